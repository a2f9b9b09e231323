import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ContactRow, SpendRow } from '../src/domain/crm.js';
import type { PlanInput } from '../src/domain/goal.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import { goalsStatus, type StatusReport } from '../src/goals/status.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, tempStore } from './fixtures.js';

// Every objective runs 2026-03-01 … 2026-03-10 (10 days) and is measured as of 2026-03-05, half-way:
// a straight line expects 5 / 10 = 50 % of the way.
const AS_OF = '2026-03-05';
let store: DuckDbStore;
let ws: WorkspaceStore;
let report: StatusReport;

const day = (d: number, year = 2026) => `${year}-03-${String(d).padStart(2, '0')}`;
const spend = (date: string, channel: string, cost: number, clicks: number): SpendRow => ({
  date,
  channel,
  source: null,
  medium: null,
  campaign: null,
  cost,
  currency: 'USD',
  impressions: null,
  clicks,
  reach: null,
});

const window = { start: day(1), due: day(10), owner: 'ana@example.com' };
const PLAN: PlanInput = {
  goals: [
    {
      id: 'grow',
      title: 'Grow',
      objectives: [
        { ...window, id: 'leads', title: '100 leads', kpi: 'leads', baseline: 80, target: 100, weight: 3 },
        { ...window, id: 'mqls', title: '200 MQLs', kpi: 'mqls', target: 200 },
      ],
    },
    {
      id: 'spend-less',
      title: 'Spend less',
      objectives: [
        {
          ...window,
          id: 'spend',
          title: 'Search spend −10 %',
          kpi: 'ad_spend',
          filter: { channel: 'Paid Search' },
          target: '-10%',
        },
        {
          ...window,
          id: 'cpc',
          title: 'CPC from $3.50 to $0.50',
          kpi: 'cpc',
          filter: { channel: 'Paid Social' },
          target: 'from $3.50 to $0.50',
          objectives: [
            {
              id: 'later',
              title: 'Later',
              kpi: 'leads',
              target: 10,
              start: '2026-03-20',
              due: '2026-03-31',
              owner: 'ben@example.com',
            },
          ],
        },
      ],
    },
  ],
};

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'pace', timezone: 'UTC' }));
  const contacts: ContactRow[] = [];
  // Leads: 10 on each of 1, 2 and 4 March (30 by the 5th), 20 more on the 8th (after the as-of day).
  for (const [d, n] of [
    [1, 10],
    [2, 10],
    [4, 10],
    [8, 20],
  ] as const)
    for (let i = 0; i < n; i++)
      contacts.push(contact(`l${d}-${i}`, { leadAt: new Date(`${day(d)}T12:00:00Z`) }));
  // MQLs last year: 5 a day on 1–5 March 2025, 15 a day on 6–10 March (total 100, back-loaded);
  // this year 10 a day on 1–5 March (50).
  for (let d = 1; d <= 10; d++)
    for (let i = 0; i < (d <= 5 ? 5 : 15); i++)
      contacts.push(
        contact(`m25-${d}-${i}`, { lifecycleStage: 'mql', mqlAt: new Date(`${day(d, 2025)}T12:00:00Z`) }),
      );
  for (let d = 1; d <= 5; d++)
    for (let i = 0; i < 10; i++)
      contacts.push(
        contact(`m26-${d}-${i}`, { lifecycleStage: 'mql', mqlAt: new Date(`${day(d)}T12:00:00Z`) }),
      );
  await ws.upsertContacts(contacts);
  const rows: SpendRow[] = [];
  // Paid Search: 100 a day on 1–10 March 2025 (1,000), 86 a day on 1–5 March 2026 (430).
  for (let d = 1; d <= 10; d++) rows.push(spend(day(d, 2025), 'Paid Search', 100, 50));
  for (let d = 1; d <= 5; d++) rows.push(spend(day(d), 'Paid Search', 86, 50));
  // Paid Social: $46 and 20 clicks a day on 1–5 March 2026: CPC 230 / 100 = $2.30.
  for (let d = 1; d <= 5; d++) rows.push(spend(day(d), 'Paid Social', 46, 20));
  await ws.appendSpend(rows);
  await applyPlan(ws, PLAN, 'test');
  report = await goalsStatus(ws, AS_OF);
});
after(() => store.close());

const obj = (id: string) => {
  const o = report.objectives.find((x) => x.id === id);
  assert.ok(o, id);
  return o;
};
const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-4, `${a} ≈ ${b}`);

test('quota on a straight line (no history last year): leads 30 of 100 at half time', () => {
  const o = obj('leads');
  assert.equal(o.method, 'linear');
  assert.equal(o.baseline, 80);
  assert.equal(o.baseline_source, 'given');
  assert.equal(o.direction, 'increase'); // 100 > 80
  assert.equal(o.actual, 30); // the 20 leads of 8 March are after the as-of day
  near(o.expected, 50); // 100 × 5 / 10
  near(o.forecast, 60); // 30 / 0.5
  near(o.progress, 0.3); // 30 / 100
  near(o.pace, 0.6); // 30 / 50
  near(o.gap, 70); // 100 − 30
  assert.equal(o.status, 'off_track'); // pace below 0.8
});

test("seasonal pacing follows last year's shape: MQLs 50 of 200, on track", () => {
  const o = obj('mqls');
  assert.equal(o.method, 'seasonal');
  // No baseline in the plan: the same window of 2025 had 5 × 5 + 5 × 15 = 100 MQLs.
  assert.equal(o.baseline, 100);
  assert.equal(o.baseline_source, 'same_period_last_year');
  assert.equal(o.actual, 50);
  // Last year's first 5 days were 25 of 100: 25 % is expected by now, not 50 %.
  near(o.expected, 50); // 200 × 0.25
  near(o.forecast, 200); // 50 / 0.25
  near(o.progress, 0.25); // 50 / 200
  near(o.pace, 1); // 50 / 50
  assert.equal(o.status, 'on_track');
});

test('lower is better, additive: search spend −10 % from last year, savings banked', () => {
  const o = obj('spend');
  assert.equal(o.direction, 'decrease');
  assert.equal(o.baseline, 1000); // 10 × 100 in March 2025
  near(o.target, 900); // 1,000 × 0.9
  assert.equal(o.actual, 430); // 5 × 86
  assert.equal(o.method, 'seasonal'); // last year's even 100 a day: the same 50 % as a straight line
  near(o.expected, 450); // 900 × 0.5
  near(o.forecast, 860); // 430 / 0.5
  near(o.progress, 0.7); // (1,000 × 0.5 − 430) / (1,000 − 900)
  near(o.pace, 1.4); // 0.7 / 0.5
  near(o.gap, 0); // the forecast is under the target
  assert.equal(o.status, 'on_track');
});

test('lower is better, a level: CPC $3.50 → $0.50, at $2.30 half-way', () => {
  const o = obj('cpc');
  assert.equal(o.baseline, 3.5);
  assert.equal(o.baseline_source, 'target');
  assert.equal(o.direction, 'decrease');
  near(o.actual, 2.3); // 230 / 100
  near(o.expected, 2); // 3.5 + (0.5 − 3.5) × 0.5
  near(o.forecast, 2.3); // a rate's forecast is its current value
  near(o.progress, 0.4); // (2.3 − 3.5) / (0.5 − 3.5)
  near(o.pace, 0.8); // 0.4 / 0.5
  near(o.gap, 1.8); // 2.3 − 0.5
  assert.equal(o.status, 'at_risk');
});

test('an objective whose window has not started', () => {
  const o = obj('later');
  assert.equal(o.status, 'not_started');
  assert.equal(o.progress, 0);
  assert.equal(o.actual, null);
});

test('parents roll up from their children with weights', () => {
  const grow = report.goals.find((g) => g.id === 'grow');
  // Progress (3 × 0.3 + 1 × 0.25) / 4 = 0.2875; health (3 × 0.6 + 1 × 1) / 4 = 0.7 → off track.
  near(grow?.progress ?? null, 0.2875);
  assert.equal(grow?.status, 'off_track');
  const less = report.goals.find((g) => g.id === 'spend-less');
  // Progress (0.7 + 0.4) / 2 = 0.55; health (min(1.4, 1) + 0.8) / 2 = 0.9 → at risk.
  near(less?.progress ?? null, 0.55);
  assert.equal(less?.status, 'at_risk');
  // An objective with children keeps its own numbers and carries its children's roll-up.
  assert.deepEqual(obj('cpc').rollup, { progress: 0, status: 'not_started' });
  const tree = report.tree.find((n) => n.id === 'spend-less');
  assert.deepEqual(
    tree?.children.map((c) => [c.id, c.children.map((x) => x.id)]),
    [
      ['spend', []],
      ['cpc', ['later']],
    ],
  );
});

test('after the due date the result is final: a quota short of its target is off track, one met is done', async () => {
  const late = await goalsStatus(ws, '2026-03-11');
  const leads = late.objectives.find((o) => o.id === 'leads');
  assert.equal(leads?.actual, 50); // all 50 leads of the window
  assert.equal(leads?.status, 'off_track');
  const spendDone = late.objectives.find((o) => o.id === 'spend');
  assert.equal(spendDone?.actual, 430); // under the 900 ceiling at the end
  assert.equal(spendDone?.status, 'done');
});

test('the JSON has every field INTERFACE.md names', () => {
  for (const k of ['id', 'kpi', 'baseline', 'target', 'actual', 'expected', 'forecast', 'progress', 'status'])
    assert.ok(k in obj('leads'), k);
});
