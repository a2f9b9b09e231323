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
const YEAR = { from: '2025-07-01', to: '2026-06-30', grain: 'month' as const };
const QUERIES = [{ ...Q1, by: 'channel' as const }, { ...Q1, by: 'market' as const }, YEAR];
let results: Promise<KpiResult[][][]> | undefined;
for (const [i, id] of ids.entries()) {
  test(`KPI ${id}: by channel, by market and by month, the same on both`, { skip }, async () => {
    results ??= Promise.all([duck, ch].map((ws) => Promise.all(QUERIES.map((q) => runKpis(ws, ids, q)))));
    const [a, b] = (await results) as [KpiResult[][], KpiResult[][]];
    for (const [k, q] of QUERIES.entries()) same(a[k]?.[i], b[k]?.[i], `${id} ${JSON.stringify(q)}`);
  });
}

test('the funnel history is the same on both', { skip }, async () => {
  same(await funnelHistory(duck, YEAR.from, YEAR.to), await funnelHistory(ch, YEAR.from, YEAR.to));
});

test('landing pages are the same on both (an unordered list, compared sorted)', { skip }, async () => {
  const sorted = async (ws: WorkspaceStore) =>
    (await landingPages(ws, Q1.from, Q1.to)).sort((x, y) => x.path.localeCompare(y.path));
  same(await sorted(duck), await sorted(ch));
});

/** Journeys as a multiset: the SQL leaves the order of grouped paths to the engine. */
const journeys = async (ws: WorkspaceStore, q: Parameters<typeof buildJourneys>[1]) => {
  const r = await buildJourneys(ws, q);
  return { ...r, journeys: r.journeys.map((j) => JSON.stringify(j)).sort() };
};

test('journeys and every attribution model are the same on both', { skip }, async () => {
  for (const conversion of ['lead', 'deal_won'] as const) {
    const q = { ...Q1, conversion, withNulls: true };
    const [a, b] = [await journeys(duck, q), await journeys(ch, q)];
    assert.ok(a.journeys.length > 0, `${conversion}: the demo has journeys`);
    same(a, b, conversion);
    same(await attributeAllModels(duck, q), await attributeAllModels(ch, q), `${conversion} attribution`);
  }
});
