/**
 * Bulk imports (docs/imports.md): CSV and NDJSON files of contacts, deals, spend, e-mail events,
 * social metrics and tracking events, generic or from a tool's export through a preset.
 *
 * @example
 * const file = await importFile('contacts.csv');
 * const { summary, issues, committed } = await runImport(ws, { kind: 'contacts', file });
 */
export {
  type ImportOptions,
  type ImportPhase,
  type ImportProgress,
  type ImportResult,
  type ImportSummary,
  runImport,
} from './importer.js';
export { PRESETS, presetFor } from './presets/index.js';
export { type FileFormat, formatOf, type ImportFile, importFile } from './text.source.js';
export { IMPORT_KINDS, type ImportKind, type RowIssue } from './types.js';
export { type ImportWarning, warningLines } from './warnings.js';
