import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demoPlan } from '../src/demo/demo.goals.js';
import { runDemo } from '../src/demo/demo.js';
import { buildPlan } from '../src/goals/goal.tree.js';
import { linearShare } from '../src/goals/pacing.js';
import { applyPlanText, exportPlan } from '../src/goals/plan.apply.js';
import { parseDraftPlan, planToYaml } from '../src/goals/plan.yaml.js';
import { type LintRow, lintPlan, lintStored } from '../src/goals/smart.js';
import { goalsStatus, type StatusReport } from '../src/goals/status.js';
import { runKpi } from '../src/metrics/kpi.query.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const UNTIL = '2026-11-24';
let store: DuckDbStore;
let ws: WorkspaceStore;
let lint: LintRow[];
let report: StatusReport;

before(async () => {
  store = (await tempStore()).store;
  const { workspace } = await runDemo(store, { seed: 1, scale: 'small', until: UNTIL });
  ws = store.forWorkspace(workspace);
  // The demo plan as the seed examples write it, built again from the demo's own history.
  const count = async (kpi: string) =>
    (await runKpi(ws, { kpi, from: '2026-07-01', to: '2026-09-30' })).rows[0]?.value ?? 0;
  const plan = demoPlan(UNTIL, {
    leadsLastQuarter: await count('leads'),
    opportunitiesLastQuarter: await count('opportunities'),
  });
  assert.deepEqual(buildPlan(await ws.listGoals()), plan, 'the stored demo tree is demoPlan()');
  lint = (await lintPlan(ws, parseDraftPlan(planToYaml(plan), 'demo.yaml'))).objectives;
  report = await goalsStatus(ws, UNTIL);
});
after(() => store.close());

const SEED_IDS = [
  'monthly-revenue-plus-15',
  'halve-sales-cycle',
  'meetings-per-rep',
  'touch-30-sqls',
  'ten-calls',
  'ad-cost-minus-10',
  'leads-per-quarter',
  'blog-posts',
  'cpc-down',
  'weekly-reach',
  'opportunities-per-quarter',
  'email-mqls-plus-20',
  'social-comments',
];

test('every seed example is specific, measurable, relevant and time-bound on the demo data', () => {
  assert.deepEqual(
    lint.map((r) => r.id),
    SEED_IDS,
  );
  for (const r of lint)
    for (const letter of ['specific', 'measurable', 'relevant', 'time_bound'] as const)
      assert.ok(r.smart[letter].ok, `${r.id} ${letter}: ${r.smart[letter].reason}`);
});

test('achievable verdicts that follow from the plan itself', () => {
  const a = (id: string) => lint.find((r) => r.id === id)?.smart.achievable;
  // Cutting ad spend is a budget decision, and −10 % of last year stays within the $250,000 budget.
  assert.equal(a('ad-cost-minus-10')?.ok, true, a('ad-cost-minus-10')?.reason);
  assert.match(a('ad-cost-minus-10')?.reason ?? '', /within the budget of \$250,000/);
  // Two posts a month with one writer is within what one writer does.
  assert.equal(a('blog-posts')?.ok, true, a('blog-posts')?.reason);
  // 15 meetings a week for one salesperson of a small demo team is far beyond anything seen.
  assert.equal(a('meetings-per-rep')?.ok, false);
  assert.match(a('meetings-per-rep')?.reason ?? '', /points above the best growth from one week to the next/);
  for (const r of lint) assert.ok(r.smart.achievable.reason.length > 10, r.id);
});

test('the stored demo tree lints exactly like the plan file', async () => {
  assert.deepEqual((await lintStored(ws)).objectives, lint);
});

test('every demo objective shows progress measured from the demo data', async () => {
  assert.deepEqual(
    report.objectives.map((o) => o.id),
    SEED_IDS,
  );
  for (const o of report.objectives) {
    assert.equal(o.note, undefined, `${o.id}: ${o.note}`);
    assert.ok(['on_track', 'at_risk', 'off_track', 'done'].includes(o.status), `${o.id} ${o.status}`);
    assert.notEqual(o.progress, null, o.id);
    // The actual is the KPI over start … min(as of, due), with the objective's filter.
    const spec = (await ws.listGoals()).find((g) => g.id === o.id)?.spec as {
      filter?: Record<string, string>;
    };
    const to = o.due < UNTIL ? o.due : UNTIL;
    const kpi = await runKpi(ws, { kpi: o.kpi, from: o.start, to, filter: spec.filter });
    const value = kpi.rows[0]?.value ?? (o.unit === 'ratio' ? null : 0);
    assert.ok(
      value !== null && Math.abs((o.actual ?? Number.NaN) - value) < 1e-6,
      `${o.id}: ${o.actual} vs ${value}`,
    );
    if (o.direction === 'increase' && o.unit !== 'ratio' && o.method === 'linear' && o.target !== null) {
      // A quota on a straight line: expected = target × elapsed share, progress = actual / target.
      const share = linearShare(o.start, o.due, to);
      assert.ok(Math.abs((o.expected ?? 0) - o.target * share) < 1e-4, `${o.id} expected`);
      assert.ok(Math.abs((o.progress ?? 0) - (o.actual ?? 0) / o.target) < 1e-4, `${o.id} progress`);
    }
  }
  // "Leads per quarter N → 1.5 N": the baseline is the demo's last full quarter, as the plan says.
  const leads = report.objectives.find((o) => o.id === 'leads-per-quarter');
  assert.equal(leads?.baseline_source, 'given');
  assert.equal(leads?.target, Math.round((leads?.baseline ?? 0) * 1.5));
  // The lower-is-better objectives run the right way round.
  for (const id of ['halve-sales-cycle', 'ad-cost-minus-10', 'cpc-down'])
    assert.equal(report.objectives.find((o) => o.id === id)?.direction, 'decrease', id);
  const cycle = report.objectives.find((o) => o.id === 'halve-sales-cycle');
  assert.ok(cycle?.target !== null && cycle?.baseline !== null);
  assert.ok(Math.abs((cycle?.target ?? 0) - (cycle?.baseline ?? 0) / 2) < 1e-4); // halve
  // Goals roll up; a goal without objectives has nothing to roll up.
  assert.deepEqual(
    report.goals.map((g) => g.id),
    ['increase-revenue', 'generate-more-leads', 'nurture-leads', 'customer-engagement', 'build-the-brand'],
  );
  for (const g of report.goals.slice(0, 4)) assert.notEqual(g.progress, null, g.id);
  assert.equal(report.goals[4]?.status, null);
});

test('the demo tree exports and applies back without a change', async () => {
  const res = await applyPlanText(ws, await exportPlan(ws), 'demo.yaml', 'test');
  assert.equal(res.changed, false);
  assert.equal(res.unchanged, SEED_IDS.length + 5);
});
