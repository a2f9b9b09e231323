/**
 * The SQL dialect seam: every piece of engine-specific syntax the engines (metrics, attribution,
 * ingest, goals, planning, scoring) need, as small named primitives. Queries are written once in the
 * engines with these; each store brings its own implementation (`store/duckdb/duckdb.dialect.ts`,
 * `store/clickhouse/clickhouse.dialect.ts`) as `WorkspaceStore.dialect`. Like Cube's per-database
 * query classes, an implementation is a few dozen one-line functions: porting Northstar to an engine
 * is writing one of these, not a second copy of every query. `store/dialect.lint.test.ts` fails when
 * an engine file outside `src/store/` names an engine-only function.
 *
 * Everything here returns SQL text. Arguments named `expr`, `ts`, `list`, … are SQL expressions the
 * caller built (column references, parameters like `$start`, other primitives); primitives never take
 * user text: values reach SQL as `$name` parameters. The SQL around the primitives is the common
 * subset of DuckDB and ClickHouse (SELECT/JOIN/WITH/UNION ALL, CASE, coalesce, lower, trim, nullif,
 * greatest, LIKE, IN, count/sum/min/max, row_number() OVER, positional GROUP BY). Timestamps are UTC
 * with no zone attached and the session's zone is UTC (both stores pin it).
 *
 * @example
 * const d = ws.dialect;
 * await ws.query(
 *   `SELECT ${d.formatDate(d.truncDate('month', 'x.started_at'))} AS period, count(*) AS n
 *    FROM @sessions x GROUP BY 1`,
 * );
 */

/** Column types a primitive can cast to (each engine maps them to its own names). */
export type SqlType =
  | 'varchar'
  | 'double'
  | 'integer'
  | 'bigint'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'decimal';

/** Calendar grains for truncation; weeks start on Monday (ISO). */
export type TruncGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Units of interval arithmetic. */
export type IntervalUnit = 'second' | 'minute' | 'hour' | 'day';

/**
 * A record type with named fields, built as a struct (DuckDB) or a tuple (ClickHouse, where fields
 * are read by position). Lists of these sort by their fields in order.
 */
export interface SqlStruct {
  /** A value of the struct: one SQL expression per field, every field given. */
  make(values: Readonly<Record<string, string>>): string;
  /** Reads one field of a struct expression. */
  get(struct: string, field: string): string;
}

export interface SqlDialect {
  /** The engine's name, for messages and docs (`duckdb`, `clickhouse`). */
  readonly name: string;

  // ---- types and literals ----
  /** CAST that keeps NULL as NULL (ClickHouse needs Nullable(...) for that). */
  cast(expr: string, type: SqlType): string;
  /** A typed NULL (a column of a UNION branch that has no value). */
  nullOf(type: SqlType): string;
  /** A UTC timestamp literal (millisecond precision is dropped to the second). */
  timestampLiteral(ms: number): string;
  /** The character with this code as a one-character string (separators such as chr(31)). */
  charCode(code: number): string;
  /** The current time as a UTC timestamp. */
  now(): string;

  // ---- time ----
  /** `ts` plus `n` units; `n` is a SQL integer expression (a literal or a parameter). */
  addInterval(ts: string, n: string, unit: IntervalUnit): string;
  /** Whole seconds from `from` to `to` (positive when `to` is later). */
  secondsBetween(from: string, to: string): string;
  /** Wall-clock time in `tz` of a UTC timestamp (a per-row zone conversion: the slow, general path). */
  localTime(ts: string, tz: string): string;
  /** The DATE starting the `grain` that contains a timestamp or date (taken as is, no zone). */
  truncDate(grain: TruncGrain, ts: string): string;
  /** `YYYY-MM-DD` of a DATE, or `YYYY-MM` with `month`. */
  formatDate(date: string, unit?: 'day' | 'month'): string;
  /** Milliseconds since 1970-01-01 UTC of a timestamp, as an integer. */
  epochMs(ts: string): string;

  /** `text` matches a shell-style pattern (`*`, `?`, `[abc]`; case-sensitive, the whole text). */
  glob(text: string, pattern: string): string;

  // ---- JSON (text columns holding JSON objects) ----
  /** The text at a key path of a JSON object column; NULL when absent (a number comes back as text). */
  jsonText(json: string, path: readonly string[]): string;
  /**
   * The array of strings at a key path, else `fallback` (a list expression) when the path is absent or
   * `json` is NULL. (ClickHouse arrays cannot be NULL, so "absent" is decided here, not by coalesce.)
   */
  jsonStringList(json: string, path: readonly string[], fallback: string): string;
  /** `expr` is one of the strings of a JSON-array-of-strings parameter (`$list`): batched lookups. */
  inJsonList(expr: string, param: string): string;

  // ---- aggregates ----
  /** The `value` of the row with the smallest `by` in the group. */
  argMin(value: string, by: string): string;
  /** The `value` of the row with the largest `by` in the group. */
  argMax(value: string, by: string): string;
  /** Any one value of the group (all are the same, or any will do). */
  anyValue(expr: string): string;
  /** Distinct count, exact unless `approx` (then the engine's sketch: HyperLogLog and kin). */
  countDistinct(expr: string, approx?: boolean): string;
  /** The exact median, interpolated between the two middle values (DuckDB's `median`). */
  median(expr: string): string;
  /** The values of the group as a list (pass a non-NULL expression; order unspecified: sort it). */
  listAgg(expr: string): string;

  // ---- lists ----
  /** A list literal of SQL expressions. */
  list(items: readonly string[]): string;
  /** The list sorted ascending (structs by their fields in order). */
  listSort(list: string): string;
  /** Elements for which `pred` (over the lambda parameter `param`) holds. */
  listFilter(list: string, param: string, pred: string): string;
  /** Each element mapped through `expr` (over the lambda parameter `param`). */
  listTransform(list: string, param: string, expr: string): string;
  /** The last element of a non-empty list. */
  listLast(list: string): string;
  /** The number of elements. */
  listLength(list: string): string;
  /** Whether `item` is an element. */
  listContains(list: string, item: string): string;
  /** The 1-based position of `item` in the list (0 or NULL when absent: do not rely on which). */
  listPosition(list: string, item: string): string;
  /** The elements joined with a separator expression. */
  listJoin(list: string, sep: string): string;
  /** As a SELECT item: one output row per element of the list (the row's other columns repeated). */
  unnest(list: string): string;
  /** A struct type with these field names (see SqlStruct). */
  struct(fields: readonly string[]): SqlStruct;

  // ---- statements ----
  /** One common table expression `name AS (sql)`, computed once and reused when `materialize` is set. */
  cte(name: string, sql: string, materialize?: boolean): string;
  /**
   * Writes `select`'s rows into `table`, replacing rows with the same primary key (DuckDB: INSERT OR
   * REPLACE; ClickHouse: an insert into a ReplacingMergeTree ordered by that key, read back deduplicated).
   */
  upsert(table: string, columns: readonly string[], select: string): string;
}
