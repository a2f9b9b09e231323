/**
 * The ClickHouse dialect's SQL run on ClickHouse itself, in process through the npm package chdb
 * (ClickHouse 26.x in the package; nothing is downloaded): the same cases as DuckDB
 * (test/dialect.cases.ts), with the settings the ClickHouse store runs with.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clickhouseDialect as d } from '../src/store/clickhouse/clickhouse.dialect.js';
import { DIALECT_CASES, matches } from '../src/store/dialect.cases.js';

// chdb (ClickHouse 26 in a 540 MB npm package) is not in the default install: npm could not write a
// lock file holding its other platforms' packages. `npm i --no-save chdb@3.4.0` runs these on ClickHouse.
const chdbName = 'chdb';
const chdb = (await import(chdbName).catch(() => null)) as {
  query: (sql: string, format: string) => string;
} | null;
const skip = chdb ? false : 'chdb is not installed (npm i --no-save chdb@3.4.0)';

const SETTINGS = `SETTINGS session_timezone = 'UTC', join_use_nulls = 1, output_format_json_quote_64bit_integers = 0`;

function value(sql: string): unknown {
  const out = (chdb as NonNullable<typeof chdb>).query(`${sql} ${SETTINGS}`, 'JSONEachRow').trim();
  return (JSON.parse(out.split('\n')[0] ?? '{}') as { v?: unknown }).v;
}

for (const c of DIALECT_CASES)
  test(`clickhouse: ${c.name}`, { skip }, () => {
    const sql = c.sql(d);
    const v = value(sql);
    assert.ok(matches(c, v), `${c.name}: got ${JSON.stringify(v)} from ${sql}`);
  });

test('clickhouse: upsert is an insert of the listed columns (ReplacingMergeTree keeps the last)', () => {
  assert.equal(d.upsert('kv', ['k', 'v'], `SELECT 'a', 1`), `INSERT INTO kv (k, v) SELECT 'a', 1`);
});
