// The server's read cache (src/store/read.cache.ts) over a real DuckDB store: a kept answer is the
// answer computed afresh, a write that changes the answer changes the next read, and reads never
// invalidate anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PlanInput } from '../src/domain/goal.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import { goalsStatus } from '../src/goals/status.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { ReadCache, readFresh, withReadCache } from '../src/store/read.cache.js';
import type { Store, WorkspaceStore } from '../src/store/store.js';
import { workspaceAttribution } from '../src/usecases/attribution.usecase.js';
import { goalsOverview, goalsTree } from '../src/usecases/goals.usecase.js';
import { funnel, queryKpi } from '../src/usecases/kpis.usecase.js';
import { contact, deal, session, tempStore } from './fixtures.js';

let raw: DuckDbStore;
let cached: Store;
let cache: ReadCache;
let plain: WorkspaceStore;
let ws: WorkspaceStore;

const PLAN: PlanInput = {
  goals: [
    {
      id: 'grow',
      title: 'Grow',
      owner: 'ana',
      objectives: [
        {
          id: 'leads',
          title: '100 leads',
          kpi: 'leads',
          target: 100,
          start: '2026-03-01',
          due: '2026-03-31',
          owner: 'ana',
        },
        {
          id: 'won',
          title: 'Revenue',
          kpi: 'revenue',
          target: 5000,
          start: '2026-03-01',
          due: '2026-03-31',
          owner: 'ana',
        },
      ],
    },
  ],
};

before(async () => {
  const t = await tempStore();
  raw = t.store;
  cache = new ReadCache();
  cached = withReadCache(raw, cache);
  const w = await cached.createWorkspace({ slug: 'rc', timezone: 'UTC' });
  plain = raw.forWorkspace(w);
  ws = cached.forWorkspace(w);
  const contacts = [];
  const sessions = [];
  for (let d = 1; d <= 20; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`;
    for (let i = 0; i < d % 4; i++) {
      const id = `c${d}-${i}`;
      contacts.push(
        contact(id, { leadAt: new Date(`${day}T12:00:00Z`), createdAt: new Date(`${day}T11:00:00Z`) }),
      );
      sessions.push(
        session(`s${d}-${i}`, `${day}T10:00:00Z`, i % 2 ? 'Paid Search' : 'Email', {
          userId: id,
        }),
      );
    }
  }
  await ws.upsertContacts(contacts);
  await ws.appendSessions(sessions);
  await ws.upsertDeals([
    deal('d1', 'c3-0', 1200, '2026-03-05T00:00:00Z', '2026-03-10T00:00:00Z', true),
    deal('d2', 'c7-1', 800, '2026-03-08T00:00:00Z', '2026-03-15T00:00:00Z', true),
  ]);
  await applyPlan(ws, PLAN, 'test');
});
after(() => raw.close());

const total = (r: Awaited<ReturnType<typeof workspaceAttribution>>) =>
  'total_conversions' in r ? r.total_conversions : Number.NaN;
const leadsActual = async (w: WorkspaceStore, asOf: string) =>
  (await goalsStatus(w, asOf)).objectives.find((o) => o.id === 'leads')?.actual;

test('kept answers equal the ones computed without the cache, and reads invalidate nothing', async () => {
  const before = cache.stats.invalidations;
  const q = { kpi: 'leads', from: '2026-03-01', to: '2026-03-31', grain: 'week', by: 'channel' };
  const a = { model: 'all', conversion: 'lead', from: '2026-03-01', to: '2026-03-31' };
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(
      await goalsTree(ws, { asOf: '2026-03-20' }),
      await goalsTree(plain, { asOf: '2026-03-20' }),
    );
    assert.deepEqual(await queryKpi(ws, q), await queryKpi(plain, q));
    assert.deepEqual(
      await funnel(ws, { from: '2026-03-01', to: '2026-03-31' }),
      await funnel(plain, { from: '2026-03-01', to: '2026-03-31' }),
    );
    assert.deepEqual(await workspaceAttribution(ws, a), await workspaceAttribution(plain, a));
  }
  assert.ok(cache.stats.hits >= 4, `hits ${cache.stats.hits}`);
  assert.equal(cache.stats.invalidations, before, 'a read bumped a version');
});

test('a write that changes the answer changes the next read', async () => {
  const was = await leadsActual(ws, '2026-03-20');
  const kpiWas = (await queryKpi(ws, { kpi: 'leads', from: '2026-03-01', to: '2026-03-31' })).rows[0]?.value;
  const attrWas = await workspaceAttribution(ws, {
    model: 'linear',
    conversion: 'lead',
    from: '2026-03-01',
    to: '2026-03-31',
  });
  await ws.upsertContacts([contact('late', { leadAt: new Date('2026-03-18T09:00:00Z') })]);
  await ws.appendSessions([session('s-late', '2026-03-18T08:00:00Z', 'Social', { userId: 'late' })]);
  assert.equal(await leadsActual(ws, '2026-03-20'), (was ?? 0) + 1);
  assert.equal(await leadsActual(ws, '2026-03-20'), await leadsActual(plain, '2026-03-20'));
  assert.equal(
    (await queryKpi(ws, { kpi: 'leads', from: '2026-03-01', to: '2026-03-31' })).rows[0]?.value,
    (kpiWas ?? 0) + 1,
  );
  const attr = await workspaceAttribution(ws, {
    model: 'linear',
    conversion: 'lead',
    from: '2026-03-01',
    to: '2026-03-31',
  });
  assert.equal(total(attr), total(attrWas) + 1);
  // A goal plan is a write too: the tree changes with it.
  await applyPlan(ws, { goals: [{ ...PLAN.goals[0]!, title: 'Grow more' }] }, 'test');
  assert.equal((await goalsTree(ws, { asOf: '2026-03-20' })).goals[0]?.title, 'Grow more');
});

test("the overview's history is each date's goals status, in one answer", async () => {
  const o = await goalsOverview(ws, { asOf: '2026-03-25', from: '2026-03-01', points: 6 });
  assert.deepEqual(o.history.dates, [
    '2026-03-01',
    '2026-03-06',
    '2026-03-11',
    '2026-03-15',
    '2026-03-20',
    '2026-03-25',
  ]);
  for (const [i, day] of o.history.dates.entries()) {
    const fresh = await goalsStatus(plain, day);
    for (const ob of fresh.objectives)
      assert.equal(o.history.actual[ob.id]?.[i], ob.actual, `${ob.id} ${day}`);
  }
  assert.deepEqual(
    { as_of: o.as_of, goals: o.goals, objectives: o.objectives },
    await goalsTree(plain, { asOf: '2026-03-25' }),
  );
  // Without the server's cache (the CLI), the same answer.
  assert.deepEqual(await goalsOverview(plain, { asOf: '2026-03-25', from: '2026-03-01', points: 6 }), o);
  await assert.rejects(goalsOverview(ws, { asOf: '2026-03-01', from: '2026-03-05' }), /after --as-of/);
  await assert.rejects(goalsOverview(ws, { points: 0 }), /--points/);
});

test('tracking data arriving leaves attribution served stale, said so, while it is refreshed; a plan write does not', async () => {
  const q = { model: 'linear', conversion: 'lead', from: '2026-03-01', to: '2026-03-31' };
  const social = (r: Awaited<ReturnType<typeof workspaceAttribution>>) =>
    'rows' in r ? (r.rows.find((x) => x.channel === 'Social')?.conversions ?? 0) : Number.NaN;
  const first = await workspaceAttribution(ws, q);
  assert.equal(first.stale, undefined);
  await ws.appendSessions([session('s-arrived', '2026-03-05T11:00:00Z', 'Social', { userId: 'c5-0' })]);
  const served = await workspaceAttribution(ws, q);
  assert.equal(served.stale, true);
  assert.match(served.computed_at ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(social(served), social(first), 'the last answer, from before the session arrived');
  while (cache.size().refreshing > 0) await new Promise((r) => setTimeout(r, 10));
  const refreshed = await workspaceAttribution(ws, q);
  assert.equal(refreshed.stale, undefined);
  assert.equal(social(refreshed), social(first) + 0.5, 'the new session shares the lead with Email');
  assert.deepEqual(refreshed, await workspaceAttribution(plain, q));
  // readFresh (a request with Cache-Control: no-cache) never takes a stale answer.
  await ws.appendSessions([session('s-arrived-2', '2026-03-06T09:00:00Z', 'Social', { userId: 'c6-0' })]);
  const fresh = await readFresh(() => workspaceAttribution(ws, q));
  assert.equal(fresh.stale, undefined);
  assert.deepEqual(fresh, await workspaceAttribution(plain, q));
  // A write someone made (a plan) is seen at once: nothing from before it is served.
  const overview = await goalsOverview(ws, { asOf: '2026-03-25', from: '2026-03-01', points: 2 });
  await applyPlan(ws, { goals: [{ ...PLAN.goals[0]!, title: 'Grow again' }] }, 'test');
  const after = await goalsOverview(ws, { asOf: '2026-03-25', from: '2026-03-01', points: 2 });
  assert.equal(after.stale, undefined);
  assert.notEqual(overview.goals[0]?.title, 'Grow again');
  assert.equal(after.goals[0]?.title, 'Grow again');
});
