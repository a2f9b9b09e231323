/**
 * Planning on the small demo (seed 1, until 2026-11-24): the demo is built so that trade shows cost a
 * lot and bring little, and webinars are under-funded and convert best; the review has to find that.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { periodToUtc } from '../src/core/time.js';
import { EMAIL_TOOL_COST_PER_DAY, TRADE_SHOWS, WEBINAR_COST } from '../src/demo/demo.config.js';
import { runDemo } from '../src/demo/demo.js';
import { applyPlanText } from '../src/goals/plan.apply.js';
import { parseDraftPlan } from '../src/goals/plan.yaml.js';
import { lintPlan, lintStored } from '../src/goals/smart.js';
import { runKpi } from '../src/metrics/kpi.query.js';
import { planFunnel, planReview, planTarget, type ReviewPlan } from '../src/planning/plan.js';
import { planRoadmap, roadmapPlanYaml } from '../src/planning/plan.roadmap.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const UNTIL = '2026-11-24';
let store: DuckDbStore;
let ws: WorkspaceStore;
let review: ReviewPlan;

before(async () => {
  store = (await tempStore()).store;
  const { workspace } = await runDemo(store, { seed: 1, scale: 'small', until: UNTIL });
  ws = store.forWorkspace(workspace);
  review = await planReview(ws, { year: 2025, asOf: UNTIL });
});
after(() => store.close());

test('plan review 2025: cut the trade shows, double down on webinars', () => {
  const events = review.channels.find((c) => c.channel === 'Events');
  const webinars = review.channels.find((c) => c.channel === 'Webinars');
  assert.equal(events?.verdict, 'cut', events?.reason);
  assert.equal(webinars?.verdict, 'double_down', webinars?.reason);
  // Why, in the demo's own numbers: most of the spend, a sliver of the results…
  assert.ok(events && events.spend > 150_000 && (events.spend_share ?? 0) > 0.7, JSON.stringify(events));
  assert.ok((events?.revenue_share ?? 1) < 0.1 && (events?.lead_share ?? 1) < 0.1);
  // …and a small budget with the best lead → customer rate of every channel.
  assert.ok(
    webinars && webinars.spend < 20_000 && (webinars.spend_share ?? 1) < 0.1,
    JSON.stringify(webinars),
  );
  const best = Math.max(...review.channels.map((c) => c.lead_to_customer_rate ?? 0));
  assert.equal(webinars?.lead_to_customer_rate, best);
  assert.match(webinars?.reason ?? '', /^under-funded and it works/);
});

test('plan review totals are the KPIs of the year', async () => {
  for (const [kpi, field] of [
    ['ad_spend', 'spend'],
    ['leads', 'leads'],
    ['revenue', 'revenue'],
  ] as const) {
    const total = (await runKpi(ws, { kpi, from: '2025-01-01', to: '2025-12-31' })).rows[0]?.value ?? 0;
    const sum = review.channels.reduce((s, c) => s + c[field], 0);
    assert.ok(Math.abs(sum - total) < 0.05, `${kpi}: ${sum} vs ${total}`);
  }
  assert.ok(review.pages.length > 0);
  assert.ok(review.pages.every((p) => p.sessions >= (review.median_sessions ?? 0)));
});

/** Won revenue straight from the deals table (not through the KPI engine): an independent figure. */
async function wonRevenue(from: string, to: string): Promise<number> {
  const { start, end } = periodToUtc(from, to, ws.workspace.timezone);
  const [row] = await ws.query<{ revenue: number | null }>(
    'SELECT CAST(sum(CAST(amount AS DECIMAL(38, 6))) AS DOUBLE) AS revenue FROM @deals WHERE won AND closed_at >= $start AND closed_at < $end',
    { start, end },
  );
  return Number(row?.revenue ?? 0);
}

test('plan review 2025: spend as the demo generator lays it out', () => {
  // The generator's own inputs: trade shows cost their list price +5 % a year from 2023 (×1.10 in
  // 2025), a webinar a month, the e-mail tool every day.
  const spend = (ch: string) => review.channels.find((c) => c.channel === ch)?.spend;
  assert.equal(spend('Events'), Math.round(TRADE_SHOWS.reduce((s, t) => s + t.cost, 0) * 110) / 100);
  assert.equal(spend('Webinars'), 12 * WEBINAR_COST);
  assert.equal(spend('Email'), 365 * EMAIL_TOOL_COST_PER_DAY);
});

test('plan target plans 2027 from trailing twelve months; revenue read from the deals table', async () => {
  const t = await planTarget(ws, { asOf: UNTIL });
  assert.equal(t.year, 2026);
  assert.equal(t.target_year, 2027);
  assert.equal(t.basis, 'trailing_twelve_months');
  assert.deepEqual(
    t.years.map((y) => [y.year, y.from, y.to]),
    [
      [2023, '2022-11-25', '2023-11-24'], // the demo starts on 1 January 2023
      [2024, '2023-11-25', '2024-11-24'],
      [2025, '2024-11-25', '2025-11-24'],
      [2026, '2025-11-25', '2026-11-24'],
    ],
  );
  for (const y of t.years)
    assert.equal(y.revenue, Math.round((await wonRevenue(y.from ?? '', y.to ?? '')) * 100) / 100);
  const calendar = await planTarget(ws, { asOf: UNTIL, year: 2025 });
  assert.equal(
    calendar.years.at(-1)?.revenue,
    Math.round((await wonRevenue('2025-01-01', '2025-12-31')) * 100) / 100,
  );
});

test('plan funnel on the demo: the goal from the deals table, the budget follows the review', async () => {
  const f = await planFunnel(ws, { growth: 10, asOf: UNTIL });
  const revenue = await wonRevenue('2025-11-25', UNTIL);
  assert.equal(f.history.revenue, Math.round(revenue * 100) / 100);
  assert.equal(f.revenue_goal, Math.round(revenue * 10) / 100);
  assert.equal(f.total_revenue_goal, Math.round(revenue * 110) / 100);
  assert.ok(f.customers <= f.sqls && f.sqls <= f.mqls && f.mqls <= f.leads && f.leads <= f.visits);
  assert.ok(f.channels.reduce((s, c) => s + c.leads, 0) >= f.leads, 'every needed lead is placed');
  // The trade shows are cut in the review of the same window: no new budget for them, and the
  // under-funded webinars get more than their share of the leads.
  const events = f.channels.find((c) => c.channel === 'Events');
  const webinars = f.channels.find((c) => c.channel === 'Webinars');
  assert.equal(events?.verdict, 'cut');
  assert.equal(events?.leads, 0);
  assert.equal(events?.budget, 0);
  assert.equal(webinars?.verdict, 'double_down');
  assert.ok((webinars?.plan_share ?? 0) > (webinars?.lead_share ?? 1), JSON.stringify(webinars));
  assert.match(f.budget_rule.note, /no new budget for .*Events/);
});

test('plan roadmap on the demo: Webinars first, a plan that lints and applies', async () => {
  const r = await planRoadmap(ws, { asOf: UNTIL });
  assert.deepEqual([r.year, r.quarter], [2027, 1]);
  // The demo plants webinars as under-funded and converting best: the roadmap's first pick.
  assert.equal(r.proposed[0], 'channel-webinars');
  const top = r.focus_areas[0];
  assert.equal(top?.action, 'double_down');
  // …and the channels it plants as costly (trade shows, display) are no focus area: the funnel cuts them.
  assert.ok(!r.focus_areas.some((a) => a.name === 'Events' || a.name === 'Display'));
  assert.equal(r.objectives[0]?.id, 'roadmap-2027-q1-webinars');
  assert.deepEqual(r.objectives[0]?.filter, { channel: 'Webinars' });
  const yaml = await roadmapPlanYaml(ws, r);
  // The roadmap adds no SMART failure: its objectives pass, and every objective that fails is one of
  // the demo's own that fails already.
  const before = new Set((await lintStored(ws)).objectives.filter((o) => o.ok === false).map((o) => o.id));
  const lint = await lintPlan(ws, parseDraftPlan(yaml, 'q1.yaml'));
  for (const id of r.objectives.map((o) => o.id)) {
    const row = lint.objectives.find((o) => o.id === id);
    assert.equal(row?.ok, true, JSON.stringify(row));
  }
  assert.deepEqual(
    lint.objectives.filter((o) => o.ok === false && !before.has(o.id)),
    [],
    'no new failure',
  );
  const applied = await applyPlanText(ws, yaml, 'q1.yaml', 'test');
  assert.deepEqual(
    applied.created,
    r.objectives.map((o) => o.id),
  );
  assert.deepEqual(applied.deleted, []);
});
