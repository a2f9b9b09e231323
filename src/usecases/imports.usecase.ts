/**
 * Imports of CSV or NDJSON files (`import KIND FILE`, `POST /api/v1/import/{kind}`; docs/imports.md).
 * The use case takes a file on disk, never a request: the server spools an upload first, the CLI
 * names the user's file (or spools its standard input).
 */
import { UserError } from '../core/errors.js';
import {
  type FileFormat,
  formatOf,
  IMPORT_KINDS,
  type ImportKind,
  type ImportProgress,
  type ImportResult,
  importFile,
  runImport,
} from '../ingest/import/index.js';
import type { WorkspaceStore } from '../store/store.js';

/** Whether `kind` is an import kind (a route answers 404 for others, the CLI exits 1). */
export function isImportKind(kind: string): kind is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(kind);
}

/**
 * The file's format: the one asked for, else its name's, else its content type's, else the kind's
 * usual one (NDJSON for events, CSV for the others); null for an unknown asked-for format.
 *
 * @example
 * formatFor('contacts', { name: 'export' }); // 'csv'
 * formatFor('events', { name: 'events.csv' }); // 'csv'
 */
export function formatFor(
  kind: ImportKind,
  o: { format?: string; name?: string | null; contentType?: string | null },
): FileFormat | null {
  if (o.format === 'csv' || o.format === 'ndjson') return o.format;
  if (o.format) return null;
  const byName = o.name ? formatOf(o.name) : null;
  if (byName) return byName;
  const t = o.contentType ?? '';
  if (/csv|tab-separated/.test(t)) return 'csv';
  if (/ndjson|jsonl|json/.test(t)) return 'ndjson';
  return kind === 'events' ? 'ndjson' : 'csv';
}

export interface ImportInput {
  kind: string;
  /** The file on disk. */
  path: string;
  /** Its name as the user gave it (tells the format and a `.tsv`'s tabs), when it has one. */
  name?: string | null;
  contentType?: string | null;
  /** `csv` or `ndjson`, overriding the name. */
  format?: string;
  preset?: string | null;
  skipInvalid?: boolean;
  /** Where rejected rows go with `skipInvalid` (default beside the file); null: nowhere. */
  rejectsPath?: string | null;
  /** How many bad rows to return (all are counted). */
  keepIssues?: number;
}

/**
 * Imports a file; a file with any invalid row imports nothing (unless `skipInvalid`) and the result
 * says `committed: false` with the first bad rows.
 *
 * @example
 * await importData(ws, { kind: 'contacts', path: '/tmp/hubspot', name: 'hubspot', preset: 'hubspot-contacts' });
 */
export async function importData(
  ws: WorkspaceStore,
  input: ImportInput,
  hooks: { progress?: ImportProgress } = {},
): Promise<ImportResult> {
  const kind = input.kind;
  if (!isImportKind(kind))
    throw new UserError(
      `KIND must be one of ${IMPORT_KINDS.join(', ')}, got "${kind}"`,
      { field: 'KIND' },
      404,
    );
  const format = formatFor(kind, input);
  if (!format) throw new UserError('format must be csv or ndjson', { field: 'format' });
  const tsv = /tab-separated/.test(input.contentType ?? '');
  const name = input.name ?? `upload${format === 'ndjson' ? '.ndjson' : tsv ? '.tsv' : '.csv'}`;
  const file = await importFile(input.path, { name, format });
  return runImport(ws, {
    kind,
    file,
    preset: input.preset || null,
    skipInvalid: input.skipInvalid === true,
    ...(input.rejectsPath !== undefined ? { rejectsPath: input.rejectsPath } : {}),
    keepIssues: input.keepIssues ?? 50,
    ...(hooks.progress ? { progress: hooks.progress } : {}),
  });
}

/** The JSON-API answer of an import: the summary with its bad rows, or a 400 listing them. */
export type ImportAnswer =
  | { status: 200; body: ImportResult['summary'] & { errors: ImportResult['issues'] } }
  | { status: 400; body: { error: string; rows: number; invalid: number; errors: ImportResult['issues'] } };

/**
 * How an import's result is answered (the route sends it; the CLI reads the same either way).
 *
 * @example
 * importAnswer(await importData(ws, input)); // { status: 200, body: { kind: 'contacts', rows: 3, …, errors: [] } }
 */
export function importAnswer(r: ImportResult): ImportAnswer {
  const s = r.summary;
  if (!r.committed)
    return {
      status: 400,
      body: {
        error: `${s.rejected} of ${s.rows} rows are invalid; nothing was imported`,
        rows: s.rows,
        invalid: s.rejected,
        errors: r.issues,
      },
    };
  return { status: 200, body: { ...s, errors: r.issues } };
}
