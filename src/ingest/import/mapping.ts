/**
 * From a file's columns to a kind's generic fields. Generic files name the columns of INTERFACE.md
 * (case, spaces and dashes do not matter: `First Name` is `first_name`); presets rename their tool's
 * columns. Whatever the kind has no field for is kept in `properties` under its own name.
 */
import { UserError } from '../../core/errors.js';
import { type DeriveInput, findColumn, type TabularPreset } from './presets/preset.js';
import type { CellIssue } from './records.js';
import { GENERIC_COLUMNS, type MappedRow, REQUIRED_COLUMNS, type TabularKind } from './types.js';

export type MapResult = { ok: true; row: MappedRow } | { ok: false; issue: CellIssue } | 'skip';

export interface RowMapper {
  map(values: Readonly<Record<string, unknown>>): MapResult;
  /** The file's name for a generic field (for messages). */
  columnOf(field: string): string;
}

/**
 * A column name as a generic field key.
 *
 * @example
 * fieldKey(' First Name '); // 'first_name'
 */
export function fieldKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** A value as field text: strings trimmed, numbers and booleans printed, blanks left out. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v.trim() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s === '' ? null : s;
}

/**
 * The mapper for a generic file. With a CSV header, the required columns are checked up front
 * (a missing one is a file error); NDJSON objects are mapped key by key.
 *
 * @example
 * const m = genericMapper('spend', ['Date', 'Cost', 'utm_term']);
 * m.map({ Date: '2026-03-01', Cost: '12.5', utm_term: 'x' });
 * // { ok: true, row: { fields: { date: '2026-03-01', cost: '12.5' }, properties: { utm_term: 'x' } } }
 */
export function genericMapper(kind: TabularKind, header: readonly string[] | null, file?: string): RowMapper {
  const known = new Set(GENERIC_COLUMNS[kind]);
  if (header) {
    const byField = new Map<string, string>();
    for (const h of header) {
      const k = fieldKey(h);
      if (known.has(k) && !byField.has(k)) byField.set(k, h);
    }
    for (const options of REQUIRED_COLUMNS[kind]) {
      if (!options.some((o) => byField.has(o))) {
        throw new UserError(
          `missing column ${options.join(' or ')} (a ${kind} file needs ${REQUIRED_COLUMNS[kind]
            .map((o) => o.join('/'))
            .join(', ')})`,
          { ...(file ? { file } : {}), line: 1, field: options[0] },
        );
      }
    }
    const columns = [...byField.entries()];
    const mapped = new Set(byField.values());
    const extra = header.filter((h) => !mapped.has(h));
    return {
      columnOf: (field) => byField.get(field) ?? field,
      map(values) {
        const fields: Record<string, string> = {};
        for (const [field, column] of columns) {
          const t = text(values[column]);
          if (t !== null) fields[field] = t;
        }
        const properties: Record<string, unknown> = {};
        for (const column of extra) {
          const t = text(values[column]);
          if (t !== null) properties[column] = t;
        }
        return { ok: true, row: { fields, properties } };
      },
    };
  }
  return {
    columnOf: (field) => field,
    map(values) {
      const fields: Record<string, string> = {};
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        const k = fieldKey(key);
        if (known.has(k)) {
          const t = text(value);
          if (t !== null && fields[k] === undefined) fields[k] = t;
        } else if (value !== null && value !== undefined && value !== '') properties[key] = value;
      }
      return { ok: true, row: { fields, properties } };
    },
  };
}

/**
 * The mapper for a preset's CSV: its columns renamed to generic fields, then its `derive` step.
 *
 * @example
 * const m = presetMapper(HUBSPOT_CONTACTS, header);
 * m.map(row); // { ok: true, row: { fields: { id: '51', email: 'ana@acme.com', … }, properties: {…} } }
 */
export function presetMapper(preset: TabularPreset, header: readonly string[]): RowMapper {
  const byField = new Map<string, string>();
  for (const [field, names] of Object.entries(preset.columns)) {
    const column = findColumn(header, names);
    if (column !== undefined) byField.set(field, column);
  }
  const columns = [...byField.entries()];
  const mapped = new Set(byField.values());
  const extra = header.filter((h) => !mapped.has(h));
  const columnOf = (field: string) =>
    byField.get(field) ?? preset.derivedFrom?.[field] ?? preset.columns[field]?.[0] ?? field;
  return {
    columnOf,
    map(values) {
      const fields: Record<string, string> = {};
      for (const [field, column] of columns) {
        const t = text(values[column]);
        if (t !== null) fields[field] = t;
      }
      const properties: Record<string, unknown> = {};
      for (const column of extra) {
        const t = text(values[column]);
        if (t !== null) properties[column] = t;
      }
      if (preset.derive) {
        const input: DeriveInput = { fields, values, header, entries: [] };
        const r = preset.derive(input);
        if (r === 'skip') return 'skip';
        if (r) return { ok: false, issue: r };
        const row: MappedRow = { fields, properties };
        if (input.entries.length) row.entries = input.entries;
        if (input.unmappedStage !== undefined) row.unmappedStage = input.unmappedStage;
        return { ok: true, row };
      }
      return { ok: true, row: { fields, properties } };
    },
  };
}
