/**
 * The DuckDB dialect's SQL run on a real in-memory DuckDB (the project's driver): every shared case of
 * test/dialect.cases.ts, and the upsert primitive on a keyed table.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DIALECT_CASES, matches } from '../src/store/dialect.cases.js';
import { duckdbDialect as d } from '../src/store/duckdb/duckdb.dialect.js';

let conn: DuckDBConnection;
before(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
});
after(() => conn.closeSync());

async function value(sql: string): Promise<unknown> {
  const rows = await (await conn.runAndReadAll(sql)).getRowObjectsJS();
  const v = rows[0]?.v;
  return typeof v === 'bigint' ? Number(v) : v;
}

for (const c of DIALECT_CASES)
  test(`duckdb: ${c.name}`, async () => {
    const sql = c.sql(d);
    const v = await value(sql);
    assert.ok(matches(c, v), `${c.name}: got ${String(v)} from ${sql}`);
  });

test('duckdb: upsert replaces by primary key', async () => {
  await conn.run('CREATE TABLE kv (k VARCHAR PRIMARY KEY, v INTEGER)');
  await conn.run(d.upsert('kv', ['k', 'v'], `SELECT 'a', 1 UNION ALL SELECT 'b', 2`));
  await conn.run(d.upsert('kv', ['k', 'v'], `SELECT 'a', 3`));
  assert.equal(await value(`SELECT string_agg(k || v, ',' ORDER BY k) AS v FROM kv`), 'a3,b2');
});
