/**
 * DuckDB's SQL for the dialect primitives (store/dialect.ts). Each is the plain DuckDB spelling; the
 * SQL these produce is run on a real in-memory DuckDB in test/dialect.duckdb.test.ts.
 */
import type { IntervalUnit, SqlDialect, SqlStruct, SqlType, TruncGrain } from '../dialect.js';

const TYPES: Record<SqlType, string> = {
  varchar: 'VARCHAR',
  double: 'DOUBLE',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  decimal: 'DECIMAL(38, 6)',
};

const INTERVAL: Record<IntervalUnit, string> = {
  second: 'to_seconds',
  minute: 'to_minutes',
  hour: 'to_hours',
  day: 'to_days',
};

/** A SQL string literal (for names the engines write themselves: zones, JSON keys). */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** A JSON path (`$.a.b`) of plain keys. */
const jsonPath = (path: readonly string[]) => lit(`$.${path.join('.')}`);

/** An integer literal as is; any other expression cast to what DuckDB's to_days / to_seconds take. */
const integer = (n: string, unit: IntervalUnit) =>
  /^-?\d+$/.test(n.trim()) ? n : `CAST(${n} AS ${unit === 'day' ? 'INTEGER' : 'BIGINT'})`;

const timestampText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * @example
 * duckdbDialect.argMin('channel', 'started_at'); // "arg_min(channel, started_at)"
 */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',

  cast: (expr, type) => `CAST(${expr} AS ${TYPES[type]})`,
  nullOf: (type) => `CAST(NULL AS ${TYPES[type]})`,
  timestampLiteral: (ms) => `TIMESTAMP '${timestampText(ms)}'`,
  charCode: (code) => `chr(${Math.trunc(code)})`,
  now: () => 'now()::TIMESTAMP',

  // A typed interval (to_seconds(n)) keeps `ts + …` a TIMESTAMP and takes a parameter as `n`.
  addInterval: (ts, n, unit) => `(${ts} + ${INTERVAL[unit]}(${integer(n, unit)}))`,
  secondsBetween: (from, to) => `date_diff('second', ${from}, ${to})`,
  localTime: (ts, tz) => `((${ts} AT TIME ZONE 'UTC') AT TIME ZONE ${lit(tz)})`,
  truncDate: (grain: TruncGrain, ts) => `CAST(date_trunc('${grain}', ${ts}) AS DATE)`,
  formatDate: (date, unit = 'day') => `strftime(${date}, '${unit === 'month' ? '%Y-%m' : '%Y-%m-%d'}')`,
  epochMs: (ts) => `epoch_ms(${ts})`,
  glob: (text, pattern) => `${text} GLOB ${pattern}`,

  jsonText: (json, path) =>
    path.length === 1 ? `(${json} ->> ${lit(path[0] ?? '')})` : `(${json} ->> ${jsonPath(path)})`,
  jsonStringList: (json, path, fallback) =>
    `coalesce(from_json(json_extract(${json}, ${jsonPath(path)}), '["VARCHAR"]'), ${fallback})`,
  inJsonList: (expr, param) => `${expr} IN (SELECT unnest(from_json(${param}, '["VARCHAR"]')))`,

  argMin: (value, by) => `arg_min(${value}, ${by})`,
  argMax: (value, by) => `arg_max(${value}, ${by})`,
  anyValue: (expr) => `any_value(${expr})`,
  countDistinct: (expr, approx) => (approx ? `approx_count_distinct(${expr})` : `count(DISTINCT ${expr})`),
  median: (expr) => `median(${expr})`,
  listAgg: (expr) => `list(${expr})`,

  list: (items) => `[${items.join(', ')}]`,
  listSort: (list) => `list_sort(${list})`,
  listFilter: (list, param, pred) => `list_filter(${list}, ${param} -> ${pred})`,
  listTransform: (list, param, expr) => `list_transform(${list}, ${param} -> ${expr})`,
  listLast: (list) => `(${list})[-1]`,
  listLength: (list) => `len(${list})`,
  listContains: (list, item) => `list_contains(${list}, ${item})`,
  listPosition: (list, item) => `list_position(${list}, ${item})`,
  listJoin: (list, sep) => `array_to_string(${list}, ${sep})`,
  unnest: (list) => `unnest(${list})`,
  struct: (fields): SqlStruct => ({
    make: (values) => `{${fields.map((f) => `${lit(f)}: ${values[f] ?? 'NULL'}`).join(', ')}}`,
    get: (struct, field) => `(${struct}).${field}`,
  }),

  cte: (name, sql, materialize) => `${name} AS ${materialize ? 'MATERIALIZED ' : ''}(${sql})`,
  upsert: (table, columns, select) => `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) ${select}`,
};
