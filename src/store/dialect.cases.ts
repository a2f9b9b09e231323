/**
 * One table of dialect cases, run on every engine (test/dialect.duckdb.test.ts on DuckDB,
 * test/dialect.clickhouse.test.ts on ClickHouse through chdb, and through `WorkspaceStore.query` with
 * the store's own dialect in the contract suite, store.contract.ts): each builds a SELECT of one column `v`
 * from the primitives of store/dialect.ts and says the value every engine must give. The data are
 * inline rows written in the SQL both engines share, so nothing but the primitives differs.
 */
import type { SqlDialect } from './dialect.js';

export interface DialectCase {
  name: string;
  sql: (d: SqlDialect) => string;
  /** The value of `v` (integers and doubles as numbers), or a check of it. */
  want: string | number | boolean | ((v: unknown) => boolean);
}

const utc = (iso: string) => Date.parse(`${iso}Z`);
const T0 = utc('2026-03-05T10:00:00');
const JSON_DOC = `'{"owner":"ann","n":5,"none":null,"sla":{"h":12,"ev":["Call","Demo"]}}'`;

/** Four rows (k, n, ts): 'b' first in time, then 'c', then the two 'a'. */
const rows = (d: SqlDialect) =>
  [
    ['a', 1, '2026-03-03 00:00:00'],
    ['b', 2, '2026-03-01 00:00:00'],
    ['c', 3, '2026-03-02 00:00:00'],
    ['a', 4, '2026-03-04 00:00:00'],
  ]
    .map(
      ([k, n, ts]) =>
        `SELECT '${k}' AS k, ${n} AS n, ${d.timestampLiteral(utc(String(ts).replace(' ', 'T')))} AS ts`,
    )
    .join(' UNION ALL ');

const agg = (d: SqlDialect, expr: string) => `SELECT ${expr} AS v FROM (${rows(d)}) t`;
const one = (expr: string) => `SELECT ${expr} AS v`;
const journey = (d: SqlDialect) => d.struct(['t', 'c']);
/** The rows as one time-ordered list of (t, c) structs, as journeys build them. */
const path = (d: SqlDialect) => d.listSort(d.listAgg(journey(d).make({ t: 't.ts', c: 't.k' })));
const day = (d: SqlDialect, grain: Parameters<SqlDialect['truncDate']>[0], ts: string) =>
  one(d.formatDate(d.truncDate(grain, ts)));

export const DIALECT_CASES: DialectCase[] = [
  { name: 'cast text to double', sql: (d) => one(d.cast(`'1.5'`, 'double')), want: 1.5 },
  { name: 'cast keeps NULL', sql: (d) => one(`${d.cast('NULL', 'varchar')} IS NULL`), want: true },
  { name: 'typed NULL', sql: (d) => one(`${d.nullOf('timestamp')} IS NULL`), want: true },
  {
    name: 'decimal sum is exact',
    sql: (d) => one(d.cast(`${d.cast('0.1', 'decimal')} + ${d.cast('0.2', 'decimal')}`, 'varchar')),
    want: (v) => Number(v) === 0.3,
  },
  {
    // A double just under 1.005 (its nearest double) becomes 1.005000: rounded, not truncated.
    name: 'a double cast to decimal rounds to the millionth',
    sql: (d) =>
      one(
        d.cast(
          `${d.cast(`${d.cast('1.005', 'double')} * 3`, 'decimal')} - ${d.cast('3.015', 'decimal')}`,
          'double',
        ),
      ),
    want: 0,
  },
  { name: 'timestamp literal to epoch ms', sql: (d) => one(d.epochMs(d.timestampLiteral(T0))), want: T0 },
  {
    name: 'now is the current UTC instant',
    sql: (d) => one(d.epochMs(d.now())),
    want: (v) => Math.abs(Number(v) - Date.now()) < 120_000,
  },
  {
    name: 'char code as a separator',
    sql: (d) => one(d.listJoin(d.list([`'a'`, `'b'`]), d.charCode(44))),
    want: 'a,b',
  },
  {
    name: 'add seconds',
    sql: (d) => one(d.epochMs(d.addInterval(d.timestampLiteral(T0), '3600', 'second'))),
    want: T0 + 3_600_000,
  },
  {
    name: 'subtract minutes',
    sql: (d) => one(d.epochMs(d.addInterval(d.timestampLiteral(T0), '-31', 'minute'))),
    want: T0 - 31 * 60_000,
  },
  {
    name: 'add days (an expression)',
    sql: (d) => one(d.epochMs(d.addInterval(d.timestampLiteral(T0), '(1 + 1)', 'day'))),
    want: T0 + 2 * 86_400_000,
  },
  {
    name: 'add hours',
    sql: (d) => one(d.epochMs(d.addInterval(d.timestampLiteral(T0), '5', 'hour'))),
    want: T0 + 5 * 3_600_000,
  },
  {
    name: 'seconds between',
    sql: (d) => one(d.secondsBetween(d.timestampLiteral(T0), d.timestampLiteral(T0 + 90_000))),
    want: 90,
  },
  {
    name: 'local date in a zone west of UTC',
    sql: (d) =>
      day(d, 'day', d.localTime(d.timestampLiteral(utc('2026-03-01T03:00:00')), 'America/New_York')),
    want: '2026-02-28',
  },
  {
    name: 'local month in a zone east of UTC',
    sql: (d) => day(d, 'month', d.localTime(d.timestampLiteral(utc('2026-01-31T23:30:00')), 'Europe/Berlin')),
    want: '2026-02-01',
  },
  {
    name: 'local day across a DST change',
    sql: (d) => day(d, 'day', d.localTime(d.timestampLiteral(utc('2026-03-29T22:30:00')), 'Europe/Berlin')),
    want: '2026-03-30',
  },
  { name: 'week starts on Monday', sql: (d) => day(d, 'week', d.timestampLiteral(T0)), want: '2026-03-02' },
  { name: 'quarter', sql: (d) => day(d, 'quarter', d.timestampLiteral(T0)), want: '2026-01-01' },
  { name: 'year', sql: (d) => day(d, 'year', d.timestampLiteral(T0)), want: '2026-01-01' },
  { name: 'day of a date', sql: (d) => day(d, 'day', d.cast(`'2026-03-05'`, 'date')), want: '2026-03-05' },
  { name: 'week of a date', sql: (d) => day(d, 'week', d.cast(`'2026-03-08'`, 'date')), want: '2026-03-02' },
  {
    name: 'offset then truncate (the KPI fast path)',
    sql: (d) =>
      day(d, 'month', d.addInterval(d.timestampLiteral(utc('2026-03-31T23:30:00')), '3600', 'second')),
    want: '2026-04-01',
  },
  {
    name: 'month label',
    sql: (d) => one(d.formatDate(d.truncDate('month', d.timestampLiteral(T0)), 'month')),
    want: '2026-03',
  },
  { name: 'glob with a star', sql: (d) => one(d.glob(`'/pricing/a.b'`, `'/pricing*'`)), want: true },
  { name: 'glob is anchored', sql: (d) => one(d.glob(`'/x/pricing'`, `'/pricing*'`)), want: false },
  { name: 'glob dot is literal', sql: (d) => one(d.glob(`'/aXb'`, `'/a.b'`)), want: false },
  { name: 'glob question mark and class', sql: (d) => one(d.glob(`'/a1-(b)'`, `'/?[0-9]-(b)'`)), want: true },
  { name: 'glob is case-sensitive', sql: (d) => one(d.glob(`'/Pricing'`, `'/pricing*'`)), want: false },
  { name: 'JSON text', sql: (d) => one(d.jsonText(JSON_DOC, ['owner'])), want: 'ann' },
  { name: 'JSON number as text', sql: (d) => one(d.jsonText(JSON_DOC, ['n'])), want: '5' },
  {
    name: 'JSON missing key is NULL',
    sql: (d) => one(`${d.jsonText(JSON_DOC, ['nope'])} IS NULL`),
    want: true,
  },
  { name: 'JSON null is NULL', sql: (d) => one(`${d.jsonText(JSON_DOC, ['none'])} IS NULL`), want: true },
  {
    name: 'JSON nested path',
    sql: (d) => one(d.cast(d.jsonText(JSON_DOC, ['sla', 'h']), 'double')),
    want: 12,
  },
  {
    name: 'JSON string list',
    sql: (d) => one(d.listJoin(d.jsonStringList(JSON_DOC, ['sla', 'ev'], d.list([`'x'`])), `','`)),
    want: 'Call,Demo',
  },
  {
    name: 'JSON string list falls back when absent',
    sql: (d) => one(d.listJoin(d.jsonStringList(JSON_DOC, ['sla', 'nope'], d.list([`'x'`])), `','`)),
    want: 'x',
  },
  {
    name: 'JSON string list falls back on NULL',
    sql: (d) => one(d.listJoin(d.jsonStringList(d.nullOf('varchar'), ['sla', 'ev'], d.list([`'x'`])), `','`)),
    want: 'x',
  },
  {
    name: 'membership in a JSON list',
    sql: (d) => `SELECT count(*) AS v FROM (${rows(d)}) t WHERE ${d.inJsonList('t.k', `'["a","c","z"]'`)}`,
    want: 3,
  },
  { name: 'arg min', sql: (d) => agg(d, d.argMin('t.k', 't.ts')), want: 'b' },
  { name: 'arg max', sql: (d) => agg(d, d.argMax('t.n', 't.ts')), want: 4 },
  { name: 'any value', sql: (d) => `${agg(d, d.anyValue('t.k'))} WHERE t.k = 'a'`, want: 'a' },
  { name: 'exact distinct', sql: (d) => agg(d, d.countDistinct('t.k')), want: 3 },
  { name: 'approximate distinct', sql: (d) => agg(d, d.countDistinct('t.k', true)), want: 3 },
  { name: 'median interpolates', sql: (d) => agg(d, d.median('t.n')), want: 2.5 },
  { name: 'median of an odd count', sql: (d) => `${agg(d, d.median('t.n'))} WHERE t.n < 4`, want: 2 },
  {
    name: 'list aggregate, sorted, joined',
    sql: (d) => agg(d, d.listJoin(d.listSort(d.listAgg('t.k')), `'-'`)),
    want: 'a-a-b-c',
  },
  {
    name: 'structs sort by their first field (a journey in time order)',
    sql: (d) => agg(d, d.listJoin(d.listTransform(path(d), 'x', journey(d).get('x', 'c')), `''`)),
    want: 'bcaa',
  },
  {
    name: 'last element of a list of structs',
    sql: (d) => agg(d, journey(d).get(d.listLast(path(d)), 'c')),
    want: 'a',
  },
  {
    name: 'filter a list against its last element (a look-back)',
    sql: (d) => {
      const s = journey(d);
      const recent = d.listFilter(
        'p',
        'x',
        `${s.get('x', 't')} >= ${d.addInterval(s.get(d.listLast('p'), 't'), '-1', 'day')}`,
      );
      return `SELECT ${d.listJoin(d.listTransform(recent, 'x', s.get('x', 'c')), `''`)} AS v FROM (${agg(d, path(d)).replace('AS v', 'AS p')}) q`;
    },
    want: 'aa',
  },
  { name: 'list length', sql: (d) => one(d.listLength(d.list([`'a'`, `'b'`, `'c'`]))), want: 3 },
  { name: 'list contains', sql: (d) => one(d.listContains(d.list([`'a'`, `'b'`]), `'b'`)), want: true },
  { name: 'list lacks', sql: (d) => one(d.listContains(d.list([`'a'`, `'b'`]), `'z'`)), want: false },
  { name: 'list position', sql: (d) => one(d.listPosition(d.list([`'a'`, `'b'`]), `'b'`)), want: 2 },
  {
    name: 'unnest a list into rows',
    sql: (d) => `SELECT sum(u) AS v FROM (SELECT ${d.unnest(d.list(['1', '2', '3']))} AS u) q`,
    want: 6,
  },
  {
    name: 'materialized CTE',
    sql: (d) =>
      `WITH ${d.cte('c', 'SELECT 7 AS n', true)}, ${d.cte('e', 'SELECT n + 1 AS n FROM c')} SELECT n AS v FROM e`,
    want: 8,
  },
];

/**
 * Compares a value an engine returned with a case's expectation: numbers by value, and a boolean also
 * as ClickHouse returns a condition (UInt8 1 or 0).
 */
export function matches(c: DialectCase, v: unknown): boolean {
  if (typeof c.want === 'function') return c.want(v);
  if (typeof c.want === 'boolean' && (v === 0 || v === 1)) return (v === 1) === c.want;
  if (typeof c.want === 'number') return Number(v) === c.want;
  return v === c.want;
}
