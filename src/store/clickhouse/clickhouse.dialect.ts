/**
 * Modern ClickHouse SQL for the dialect primitives (store/dialect.ts), tested on 26.7 through chdb
 * (older releases lack some of it, e.g. MATERIALIZED CTEs). Assumes what the ClickHouse store sets up:
 * timestamps as DateTime64(3, 'UTC'), JSON objects as String columns, nullable columns as
 * Nullable(...), `session_timezone = 'UTC'` and `join_use_nulls = 1` (so an outer join's missing side
 * is NULL, as in DuckDB). The cases of store/dialect.cases.ts run on chdb and on DuckDB alike.
 */
import type { IntervalUnit, SqlDialect, SqlStruct, SqlType, TruncGrain } from '../dialect.js';

const TYPES: Record<SqlType, string> = {
  varchar: 'String',
  double: 'Float64',
  integer: 'Int32',
  bigint: 'Int64',
  boolean: 'Bool',
  timestamp: "DateTime64(3, 'UTC')",
  date: 'Date32',
  decimal: 'Decimal(38, 6)',
};

const INTERVAL: Record<IntervalUnit, string> = {
  second: 'toIntervalSecond',
  minute: 'toIntervalMinute',
  hour: 'toIntervalHour',
  day: 'toIntervalDay',
};

const TRUNC: Record<TruncGrain, string> = {
  day: 'toDate32',
  week: 'toMonday',
  month: 'toStartOfMonth',
  quarter: 'toStartOfQuarter',
  year: 'toStartOfYear',
};

/** A SQL string literal (for names the engines write themselves: zones, JSON keys). */
const lit = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const keys = (path: readonly string[]) => path.map(lit).join(', ');

const timestampText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * A number as Decimal(38, 6), rounded as DuckDB's cast rounds (to the nearest millionth of the
 * double, ties to even) where ClickHouse's CAST(Float64 AS Decimal) truncates (1.005 would become
 * 1.004999, and a sum of spend rows would drift by 1e-6): round the scaled double to a whole number,
 * which a Decimal holds exactly, then scale it back by a Decimal factor (exact, scales add).
 */
const toDecimal = (expr: string) =>
  `CAST(CAST(round(CAST(${expr} AS Nullable(Float64)) * 1000000) AS Nullable(Decimal(38, 0))) * toDecimal32('0.000001', 6) AS Nullable(Decimal(38, 6)))`;

/**
 * @example
 * clickhouseDialect.argMin('channel', 'started_at'); // "argMin(channel, started_at)"
 */
export const clickhouseDialect: SqlDialect = {
  name: 'clickhouse',

  // Nullable(...) so a NULL stays NULL instead of failing the cast (cast_keep_nullable is off).
  cast: (expr, type) => (type === 'decimal' ? toDecimal(expr) : `CAST(${expr} AS Nullable(${TYPES[type]}))`),
  nullOf: (type) => `CAST(NULL AS Nullable(${TYPES[type]}))`,
  timestampLiteral: (ms) => `toDateTime64('${timestampText(ms)}', 3, 'UTC')`,
  charCode: (code) => `char(${Math.trunc(code)})`,
  now: () => "now64(3, 'UTC')",

  addInterval: (ts, n, unit) => `(${ts} + ${INTERVAL[unit]}(${n}))`,
  secondsBetween: (from, to) => `dateDiff('second', ${from}, ${to})`,
  // toTimeZone changes the zone the value is shown and truncated in, not the instant: truncate it
  // (truncDate) or format it, never compare it with UTC timestamps.
  localTime: (ts, tz) => `toTimeZone(${ts}, ${lit(tz)})`,
  truncDate: (grain, ts) => `${TRUNC[grain]}(${ts})`,
  formatDate: (date, unit = 'day') => `formatDateTime(${date}, '${unit === 'month' ? '%Y-%m' : '%Y-%m-%d'}')`,
  // No GLOB: the pattern becomes an anchored RE2 expression, literal text quoted (\Q…\E) between
  // the wildcards * and ? and [character classes].
  glob: (text, pattern) => {
    const swap = (e: string, from: string, to: string) => `replaceAll(${e}, '${from}', ${lit(to)})`;
    const wild = [
      ['*', '\\E.*\\Q'],
      ['?', '\\E.\\Q'],
      ['[', '\\E['],
      [']', ']\\Q'],
    ].reduce((e, [from, to]) => swap(e, from ?? '', to ?? ''), pattern);
    return `match(${text}, concat('^\\\\Q', ${wild}, '\\\\E$'))`;
  },
  epochMs: (ts) => `toUnixTimestamp64Milli(toDateTime64(${ts}, 3, 'UTC'))`,

  // JSONExtractString gives '' for a missing key and for a non-string: decide absence with JSONHas
  // and return other values as their JSON text (a number as DuckDB's ->> returns it).
  jsonText: (json, path) =>
    `if(JSONHas(${json}, ${keys(path)}), if(JSONType(${json}, ${keys(path)}) = 'String', ` +
    `JSONExtractString(${json}, ${keys(path)}), if(JSONType(${json}, ${keys(path)}) = 'Null', NULL, ` +
    `JSONExtractRaw(${json}, ${keys(path)}))), NULL)`,
  jsonStringList: (json, path, fallback) =>
    `if(JSONHas(coalesce(${json}, ''), ${keys(path)}), JSONExtract(coalesce(${json}, ''), ${keys(path)}, 'Array(String)'), ${fallback})`,
  inJsonList: (expr, param) => `${expr} IN (SELECT arrayJoin(JSONExtract(${param}, 'Array(String)')))`,

  argMin: (value, by) => `argMin(${value}, ${by})`,
  argMax: (value, by) => `argMax(${value}, ${by})`,
  anyValue: (expr) => `any(${expr})`,
  // count(DISTINCT) is uniqExact by default (count_distinct_implementation); uniq is the sketch.
  countDistinct: (expr, approx) => (approx ? `uniq(${expr})` : `uniqExact(${expr})`),
  // ClickHouse's plain median is a sampling estimate; this one is exact and interpolates like DuckDB.
  median: (expr) => `quantileExactInclusive(0.5)(${expr})`,
  listAgg: (expr) => `groupArray(${expr})`,

  list: (items) => `[${items.join(', ')}]`,
  listSort: (list) => `arraySort(${list})`,
  listFilter: (list, param, pred) => `arrayFilter(${param} -> ${pred}, ${list})`,
  listTransform: (list, param, expr) => `arrayMap(${param} -> ${expr}, ${list})`,
  listLast: (list) => `arrayElement(${list}, -1)`,
  listLength: (list) => `length(${list})`,
  listContains: (list, item) => `has(${list}, ${item})`,
  listPosition: (list, item) => `indexOf(${list}, ${item})`,
  listJoin: (list, sep) => `arrayStringConcat(${list}, ${sep})`,
  unnest: (list) => `arrayJoin(${list})`,
  // Tuples are read by position: the struct's field list is the one place the order is kept.
  struct: (fields): SqlStruct => ({
    make: (values) => `tuple(${fields.map((f) => values[f] ?? 'NULL').join(', ')})`,
    get: (struct, field) => `tupleElement(${struct}, ${fields.indexOf(field) + 1})`,
  }),

  // ClickHouse inlines a WITH subquery wherever it is named; materialize (24.x+) computes it once.
  cte: (name, sql, materialize) => `${name} AS ${materialize ? 'MATERIALIZED ' : ''}(${sql})`,
  upsert: (table, columns, select) => `INSERT INTO ${table} (${columns.join(', ')}) ${select}`,
};

const LEGACY_TYPES: Record<SqlType, string> = {
  ...TYPES,
  boolean: 'UInt8',
  timestamp: "DateTime('UTC')",
  date: 'Date',
};

/**
 * The primitives Debian's clickhouse-server 18.16 can say differently (no DateTime64, Date32 or Bool
 * there; the store keeps whole-second DateTime columns on it): enough for the tracker's look-ups, so
 * `serve` tracks into an 18.16 cluster. KPIs, journeys and attribution still need a current release
 * (MATERIALIZED CTEs, JSON and array functions added since), docs/scale-out.md.
 *
 * @example
 * clickhouseLegacyDialect.epochMs('received_at'); // "(toUInt64(toUnixTimestamp(received_at)) * 1000)"
 */
export const clickhouseLegacyDialect: SqlDialect = {
  ...clickhouseDialect,
  name: 'clickhouse',
  cast: (expr, type) =>
    type === 'decimal' ? toDecimal(expr) : `CAST(${expr} AS Nullable(${LEGACY_TYPES[type]}))`,
  nullOf: (type) => `CAST(NULL AS Nullable(${LEGACY_TYPES[type]}))`,
  timestampLiteral: (ms) => `toDateTime('${timestampText(ms)}', 'UTC')`,
  now: () => "toDateTime(now(), 'UTC')",
  truncDate: (grain, ts) => (grain === 'day' ? `toDate(${ts})` : `${TRUNC[grain]}(${ts})`),
  epochMs: (ts) => `(toUInt64(toUnixTimestamp(${ts})) * 1000)`,
};
