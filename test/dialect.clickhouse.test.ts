/**
 * The ClickHouse dialect's SQL run on ClickHouse itself, in process through the npm package chdb
 * (ClickHouse 26.x in the package; nothing is downloaded): the same cases as DuckDB
 * (test/dialect.cases.ts), with the settings the ClickHouse store runs with.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { query } from 'chdb';
import { clickhouseDialect as d } from '../src/store/clickhouse/clickhouse.dialect.js';
import { DIALECT_CASES, matches } from '../src/store/dialect.cases.js';

const SETTINGS = `SETTINGS session_timezone = 'UTC', join_use_nulls = 1, output_format_json_quote_64bit_integers = 0`;

function value(sql: string): unknown {
  const out = query(`${sql} ${SETTINGS}`, 'JSONEachRow').trim();
  return (JSON.parse(out.split('\n')[0] ?? '{}') as { v?: unknown }).v;
}

for (const c of DIALECT_CASES)
  test(`clickhouse: ${c.name}`, () => {
    const sql = c.sql(d);
    const v = value(sql);
    assert.ok(matches(c, v), `${c.name}: got ${JSON.stringify(v)} from ${sql}`);
  });

test('clickhouse: upsert is an insert of the listed columns (ReplacingMergeTree keeps the last)', () => {
  assert.equal(d.upsert('kv', ['k', 'v'], `SELECT 'a', 1`), `INSERT INTO kv (k, v) SELECT 'a', 1`);
});
