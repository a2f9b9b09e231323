import type { Row, SqlParam } from '../store.js';

/**
 * How values cross into and out of ClickHouse. Queries are written with `$name` placeholders (as on
 * DuckDB); `bindParams` turns each into ClickHouse's typed `{name:Type}` placeholder, bound by the
 * server, never spliced into the text. Only a release without query parameters (before 19.x) gets
 * literals, escaped by `literal` the way ClickHouse's own clients escape them.
 */
const TOKENS = /'(?:[^'\\]|\\.|'')*'|\$([A-Za-z_]\w*)/g;

export type ChParams = Record<string, string | null>;

/** `$name` → `{name:Type}` plus the text form of each value, skipping string literals. */
export function bindParams(sql: string, params: Record<string, SqlParam>): { sql: string; params: ChParams } {
  const out: ChParams = {};
  const text = sql.replace(TOKENS, (m, name: string | undefined) => {
    if (!name) return m;
    if (!(name in params)) throw new Error(`no value for the query parameter $${name}`);
    const v = params[name] as SqlParam;
    out[name] = paramText(v);
    return `{${name}:${paramType(v)}}`;
  });
  return { sql: text, params: out };
}

/** `$name` → an escaped literal, for servers without query parameters (ClickHouse 18.x). */
export function inlineParams(sql: string, params: Record<string, SqlParam>): string {
  return sql.replace(TOKENS, (m, name: string | undefined) => {
    if (!name) return m;
    if (!(name in params)) throw new Error(`no value for the query parameter $${name}`);
    return literal(params[name] as SqlParam);
  });
}

function paramType(v: SqlParam): string {
  if (v === null) return 'Nullable(String)';
  if (v instanceof Date) return "DateTime64(3, 'UTC')";
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Int64' : 'Float64';
  return 'String';
}

function paramText(v: SqlParam): string | null {
  if (v === null) return null;
  if (v instanceof Date) return chTime(v);
  return String(v);
}

export function literal(v: SqlParam): string {
  if (v === null) return 'NULL';
  if (v instanceof Date) return `toDateTime('${chTime(v).slice(0, 19)}', 'UTC')`;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A UTC instant as ClickHouse's text form, `YYYY-MM-DD HH:MM:SS.mmm`. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Result columns as JSONCompact reports them. */
export interface ChMeta {
  name: string;
  type: string;
}

/**
 * Rows of a JSONCompact result as plain objects with the JS values DuckDB's adapter returns:
 * timestamps as Date, 64-bit integers as number, dates as `YYYY-MM-DD`.
 */
export function decodeRows<T extends Row>(meta: readonly ChMeta[], data: readonly unknown[][]): T[] {
  const decoders = meta.map((m) => decoder(m.type));
  return data.map((values) => {
    const row: Row = {};
    meta.forEach((m, i) => {
      const v = values[i];
      row[m.name] = v === null || v === undefined ? null : (decoders[i] as (x: unknown) => unknown)(v);
    });
    return row as T;
  });
}

function decoder(type: string): (v: unknown) => unknown {
  const t = type.replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2').replace(/^Nullable\((.*)\)$/, '$1');
  if (t.startsWith('DateTime')) return (v) => new Date(`${String(v).replace(' ', 'T')}Z`);
  if (/^U?Int(64|128|256)$/.test(t) || t.startsWith('Decimal')) return (v) => Number(v);
  return (v) => v;
}
