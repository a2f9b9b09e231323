import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeAllModels } from '../src/attribution/workspace.attribution.js';
import { buildJourneys } from '../src/attribution/workspace.journeys.js';
import { runDemo } from '../src/demo/demo.js';
import { KPI_CATALOG } from '../src/metrics/kpi.catalog.js';
import { type KpiResult, runKpis } from '../src/metrics/kpi.query.js';
import { funnelHistory, landingPages } from '../src/planning/plan.data.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { PostgresMetaStore } from '../src/store/postgres/postgres.store.js';
import { SplitStore } from '../src/store/split.store.js';
import type { Store, WorkspaceStore } from '../src/store/store.js';
import { env, freshPgDatabase, skipUnless } from './scaleout.env.js';

// The same demo workspace (seed 7, small) written through each Store, then every KPI, the funnel
// history, landing pages, journeys and every attribution model read back from each: DuckDB alone,
// and PostgreSQL (metadata) + ClickHouse 26 in-process (events and the rest). Results must agree
// to the last digit a double can differ in when sums run in another order.
const skip = skipUnless(Boolean(env.pg) && env.chdb, 'PostgreSQL (NORTHSTAR_TEST_PG) and chdb');
const UNTIL = '2026-06-30';
const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const stores: Store[] = [];
let duck: WorkspaceStore;
let ch: WorkspaceStore;

before(async () => {
  if (skip) return;
  const d = await DuckDbStore.open(join(mkdtempSync(join(tmpdir(), 'ns-parity-')), 'northstar.duckdb'));
  const s = new SplitStore(
    await PostgresMetaStore.open(await freshPgDatabase(env.pg as string)),
    await ClickHouseEventStore.open(`chdb://${mkdtempSync(join(tmpdir(), 'ns-parity-ch-'))}`),
  );
  stores.push(d, s);
  for (const x of stores) await x.migrate();
  duck = d.forWorkspace((await runDemo(d, { seed: 7, scale: 'small', until: UNTIL })).workspace);
  ch = s.forWorkspace((await runDemo(s, { seed: 7, scale: 'small', until: UNTIL })).workspace);
});
after(async () => {
  for (const s of stores) await s.close();
});

/** Equal, except doubles may differ in their last bits (sums in another order). */
function same(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const tol = 1e-9 * Math.max(1, Math.abs(a));
    assert.ok(Math.abs(a - b) <= tol, `${path}: ${a} on DuckDB, ${b} on ClickHouse`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(b.length, a.length, `${path}: ${a.length} items on DuckDB, ${b.length} on ClickHouse`);
    for (const [i, x] of a.entries()) same(x, b[i], `${path}[${i}]`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object' && !(a instanceof Date)) {
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort(), `${path}: keys`);
    for (const k of Object.keys(a)) same((a as never)[k], (b as never)[k], `${path}.${k}`);
  } else assert.deepEqual(b, a, path);
}

test('both stores hold the same demo rows', { skip }, async () => {
  same(await duck.counts(), await ch.counts());
});

const ids = KPI_CATALOG.map((k) => k.id);
let byChannel: Promise<[KpiResult[], KpiResult[]]> | undefined;
for (const [i, id] of ids.entries()) {
  test(`KPI ${id}: a quarter by channel is the same on both`, { skip }, async () => {
    byChannel ??= Promise.all([
      runKpis(duck, ids, { ...Q1, by: 'channel' }),
      runKpis(ch, ids, { ...Q1, by: 'channel' }),
    ]);
    const [a, b] = await byChannel;
    same(a[i], b[i], id);
  });
}

test('every KPI by month over a year, and by market, is the same on both', { skip }, async () => {
  const year = { from: '2025-07-01', to: '2026-06-30', grain: 'month' as const };
  same(await runKpis(duck, ids, year), await runKpis(ch, ids, year), 'by month');
  same(
    await runKpis(duck, ids, { ...Q1, by: 'market' }),
    await runKpis(ch, ids, { ...Q1, by: 'market' }),
    'by market',
  );
});

test('the funnel history and landing pages are the same on both', { skip }, async () => {
  same(
    await funnelHistory(duck, '2025-07-01', '2026-06-30'),
    await funnelHistory(ch, '2025-07-01', '2026-06-30'),
  );
  same(await landingPages(duck, Q1.from, Q1.to), await landingPages(ch, Q1.from, Q1.to));
});

test('journeys and every attribution model are the same on both', { skip }, async () => {
  for (const conversion of ['lead', 'deal_won'] as const) {
    const q = { ...Q1, conversion, withNulls: true };
    const [a, b] = [await buildJourneys(duck, q), await buildJourneys(ch, q)];
    assert.ok(a.journeys.length > 0, `${conversion}: the demo has journeys`);
    same(a, b, conversion);
    same(await attributeAllModels(duck, q), await attributeAllModels(ch, q), `${conversion} attribution`);
  }
});
