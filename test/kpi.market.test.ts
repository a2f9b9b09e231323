// The market filter (issue 15): `market=` on the KPI API and `--market` in the CLI, validated against
// the workspace's markets, exact: a filtered total equals that market's row of the `by=market` breakdown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { runCli, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let dataDir = '';
let headers: Record<string, string> = {};
const range = 'from=2025-01-01&to=2026-12-31';

before(async () => {
  const t = await tempStore();
  ({ store, dataDir } = t);
  const demo = await runCli(store, dataDir, ['demo', '--scale', 'small']);
  assert.equal(demo.code, 0, demo.err);
  const read = (await runCli(store, dataDir, ['keys', 'create', '--kind', 'read'])).out.trim();
  headers = { authorization: `Bearer ${read}` };
  app = await buildApp({ store, dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ url, headers });

test('a market-filtered total equals its row of the by=market breakdown, for several KPIs', async () => {
  const { markets } = (await get('/api/v1/markets')).json() as { markets: string[] };
  assert.ok(markets.length >= 2, `the demo has markets: ${markets.join(', ')}`);
  for (const kpi of ['leads', 'revenue', 'customers', 'win_rate']) {
    const by = await get(`/api/v1/kpis/${kpi}?${range}&by=market`);
    assert.equal(by.statusCode, 200, by.body);
    const rows = by.json().rows as Array<{ market: string; value: number | null }>;
    let nonZero = 0;
    for (const m of markets) {
      const one = await get(`/api/v1/kpis/${kpi}?${range}&market=${encodeURIComponent(m)}`);
      assert.equal(one.statusCode, 200, one.body);
      const body = one.json();
      assert.equal(body.market, m);
      assert.equal(body.rows.length, 1);
      const expected = rows.find((r) => r.market === m)?.value ?? null;
      assert.equal(body.rows[0].value, expected, `${kpi} in ${m}`);
      if (expected) nonZero++;
    }
    assert.ok(nonZero >= 2, `${kpi} has figures in several markets`);
    const all = (await get(`/api/v1/kpis/${kpi}?${range}`)).json().rows[0].value as number;
    if (kpi !== 'win_rate') {
      const sum = rows.reduce((s, r) => s + (r.value ?? 0), 0);
      assert.ok(Math.abs(sum - all) < 1e-6 * Math.max(1, all), `${kpi}: the markets add up to the total`);
    }
  }
});

test('an unknown market or a KPI that has no market is refused with what to do', async () => {
  const unknown = await get(`/api/v1/kpis/leads?${range}&market=Atlantis`);
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().error, /unknown market "Atlantis" \(known: /);
  const visits = await get(`/api/v1/kpis/sessions?${range}&market=UK`);
  assert.equal(visits.statusCode, 400, visits.body);
  assert.match(visits.json().error, /sessions cannot be filtered by market/);
});

test('kpi --market prints what the API answers', async () => {
  const { markets } = (await get('/api/v1/markets')).json() as { markets: string[] };
  const m = markets[0] as string;
  const r = await runCli(store, dataDir, [
    'kpi',
    'revenue',
    '--from',
    '2025-01-01',
    '--to',
    '2026-12-31',
    '--market',
    m,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const api = (await get(`/api/v1/kpis/revenue?${range}&market=${encodeURIComponent(m)}&grain=total`)).json();
  assert.deepEqual(JSON.parse(r.out), api);
});
