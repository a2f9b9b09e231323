/**
 * The demo's goal tree on the small demo (seed 1, until 2026-11-24, a Tuesday in Q4): its plan is the
 * example users copy (README: `goals export > plan.yaml && goals lint plan.yaml && goals apply
 * plan.yaml`), so it must lint clean; its status must tell a true story. The figures below are counted
 * from the stored rows with SQL of their own, not with the KPI engine or the pacing formulas.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OWNERS } from '../src/demo/demo.config.js';
import { demoPlan } from '../src/demo/demo.goals.js';
import { runDemo } from '../src/demo/demo.js';
import { buildPlan } from '../src/goals/goal.tree.js';
import { goalsStatus, type ObjectiveStatus, type StatusReport } from '../src/goals/status.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { runCli, tempStore } from './fixtures.js';

const UNTIL = '2026-11-24';
const [ANA, BEN, CHLOE] = OWNERS as [string, string, string];
let store: DuckDbStore;
let dir = '';
let ws: WorkspaceStore;
let report: StatusReport;

/** The local (New York) day of a stored UTC timestamp column. */
const day = (col: string) => `CAST(timezone('America/New_York', ${col}::TIMESTAMPTZ) AS DATE)`;
const one = async (sql: string): Promise<number> => {
  const v = Object.values((await ws.query(sql))[0] ?? {})[0];
  return v === null || v === undefined ? 0 : Number(v);
};
const objective = (id: string): ObjectiveStatus => {
  const o = report.objectives.find((x) => x.id === id);
  assert.ok(o, id);
  return o;
};
const near = (a: number | null, b: number, what: string) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);

before(async () => {
  const t = await tempStore();
  store = t.store;
  dir = t.dataDir;
  const { workspace } = await runDemo(store, { seed: 1, scale: 'small', until: UNTIL });
  ws = store.forWorkspace(workspace);
  report = await goalsStatus(ws, UNTIL);
});
after(() => store.close());

const IDS = [
  'revenue-plus-15',
  'sales-cycle-below-75',
  'meetings-per-rep',
  'touch-30-sqls',
  'ten-calls',
  'ad-cost-minus-10',
  'leads-per-quarter',
  'blog-posts',
  'cpc-below-3-50',
  'paid-social-reach',
  'opportunities-per-quarter',
  'mqls-plus-20',
  'social-comments',
];

test("the stored tree is demoPlan() with last quarter's revenue as the headline's baseline", async () => {
  // Revenue of Q3 2026: won deals closed 1 July … 30 September, New York days.
  const q3 = await one(
    `SELECT sum(amount) FROM @deals WHERE won AND ${day('closed_at')} BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'`,
  );
  assert.deepEqual(buildPlan(await ws.listGoals()), demoPlan(UNTIL, { revenueLastQuarter: q3 }));
  const headline = objective('revenue-plus-15');
  assert.equal(headline.baseline, q3);
  assert.equal(headline.baseline_source, 'given');
  near(headline.target, q3 * 1.15, 'target');
  assert.equal(headline.start, '2026-10-01');
  assert.equal(headline.due, '2026-12-31');
});

test('README: goals export > plan.yaml && goals lint plan.yaml && goals apply plan.yaml, clean', async () => {
  const file = join(dir, 'plan.yaml');
  const cli = (args: string[]) => runCli(store, dir, [...args, '--workspace', 'demo'], { inServer: true });
  assert.equal((await cli(['goals', 'export', '--out', file])).code, 0);
  const lint = await cli(['goals', 'lint', file, '--format', 'json']);
  assert.equal(lint.code, 0, lint.err);
  const rows = JSON.parse(lint.out).objectives as Array<{
    id: string;
    ok: boolean;
    smart: Record<string, { ok: boolean | null; reason: string }>;
    warnings: string[];
  }>;
  assert.deepEqual(
    rows.map((r) => r.id),
    IDS,
  );
  // Clean: every letter of every objective judged and passed, and nothing to warn about.
  for (const r of rows) {
    for (const [letter, l] of Object.entries(r.smart))
      assert.equal(l.ok, true, `${r.id} ${letter}: ${l.reason}`);
    assert.deepEqual(r.warnings, [], r.id);
  }
  const smart = (id: string) => rows.find((r) => r.id === id)?.smart ?? {};
  assert.match(
    smart('revenue-plus-15').specific?.reason ?? '',
    /^revenue: increase to \$[\d,]+ from \$[\d,]+$/,
  );
  assert.equal(smart('cpc-below-3-50').specific?.reason, 'cpc: stay below $3.50');
  assert.equal(smart('meetings-per-rep').specific?.reason, `meetings_booked (owner ${ANA}): at least 15`);
  // The headline's baseline is last quarter's revenue, as its title says: no note that the data differs.
  assert.doesNotMatch(smart('revenue-plus-15').achievable?.reason ?? '', /note/);
  // Two posts a month with one writer is within what one writer does.
  assert.match(smart('blog-posts').achievable?.reason ?? '', /within the 8 one writer can do well/);
  const apply = await cli(['goals', 'apply', file, '--format', 'table']);
  assert.equal(apply.code, 0, apply.err);
  assert.equal(apply.out, `no change: ${file} is what is stored\n`);
});

test('the status tells a true story: most on track, two at risk, ad cost off track', () => {
  const statuses = Object.fromEntries(report.objectives.map((o) => [o.id, o.status]));
  assert.deepEqual(statuses, {
    'revenue-plus-15': 'on_track',
    'sales-cycle-below-75': 'on_track',
    'meetings-per-rep': 'on_track',
    'touch-30-sqls': 'on_track',
    'ten-calls': 'at_risk',
    'ad-cost-minus-10': 'off_track',
    'leads-per-quarter': 'on_track',
    'blog-posts': 'done',
    'cpc-below-3-50': 'on_track',
    'paid-social-reach': 'on_track',
    'opportunities-per-quarter': 'on_track',
    'mqls-plus-20': 'on_track',
    'social-comments': 'at_risk',
  });
  for (const o of report.objectives) assert.equal(o.note, undefined, `${o.id}: ${o.note}`);
  assert.deepEqual(
    report.goals.map((g) => g.id),
    ['increase-revenue', 'generate-more-leads', 'nurture-leads', 'customer-engagement', 'build-the-brand'],
  );
  assert.equal(report.goals[4]?.status, null); // nothing to roll up
});

test('every KPI the plan uses has demo data, counted independently', async () => {
  // This week (Monday 23 … Tuesday 24 November) and this quarter, New York days.
  const week = `BETWEEN DATE '2026-11-23' AND DATE '${UNTIL}'`;
  const quarter = `BETWEEN DATE '2026-10-01' AND DATE '${UNTIL}'`;
  const events = (name: string, owner: string, range: string, what = 'count(*)') =>
    one(
      `SELECT ${what} FROM @events WHERE type = 'track' AND event = '${name}' AND json_extract_string(properties, '$.owner') = '${owner}' AND ${day('ts')} ${range}`,
    );
  const meetings = await events('Meeting Booked', ANA, week);
  const touches = await events('Call Logged', BEN, week, 'count(DISTINCT user_id)');
  const calls = await events('Call Logged', CHLOE, quarter);
  assert.ok(meetings > 0 && touches > 0 && calls > 0, `${meetings} ${touches} ${calls}`);
  assert.equal(objective('meetings-per-rep').actual, meetings);
  assert.equal(objective('touch-30-sqls').actual, touches);
  assert.equal(objective('ten-calls').actual, calls);
  // 10 calls a week over the 92 days of Q4: round(10 × 92 / 7) = 131.
  assert.equal(objective('ten-calls').target, 131);
  // Blog posts are published on the 5th and the 19th: two in November by the 24th.
  assert.equal(objective('blog-posts').actual, 2);
  assert.equal(
    await one(
      `SELECT count(*) FROM @campaigns WHERE kind = 'content' AND ${day('launched_at')} BETWEEN DATE '2026-11-01' AND DATE '${UNTIL}'`,
    ),
    2,
  );
  const leads = await one(`SELECT count(*) FROM @contacts WHERE ${day('lead_at')} ${quarter}`);
  const leadsLastYear = await one(
    `SELECT count(*) FROM @contacts WHERE ${day('lead_at')} BETWEEN DATE '2025-10-01' AND DATE '2025-12-31'`,
  );
  assert.equal(objective('leads-per-quarter').actual, leads);
  assert.equal(objective('leads-per-quarter').baseline, leadsLastYear);
  assert.equal(objective('leads-per-quarter').baseline_source, 'same_period_last_year');
  // +25 % of a count is a whole number of leads, rounded up.
  assert.equal(objective('leads-per-quarter').target, Math.ceil(leadsLastYear * 1.25));
  const revenue = await one(`SELECT sum(amount) FROM @deals WHERE won AND ${day('closed_at')} ${quarter}`);
  near(objective('revenue-plus-15').actual, revenue, 'revenue');
  const comments = await one(
    `SELECT sum(value) FROM @social_metrics WHERE metric = 'comments' AND date ${quarter}`,
  );
  assert.equal(objective('social-comments').actual, comments);
});

test('the reasons behind the off-track and at-risk objectives are in the data', async () => {
  // Ad cost: the plan asks for 10 % less than 2025, but spend grows with paid traffic.
  const spend2025 = await one(
    `SELECT sum(cost) FROM @spend WHERE date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'`,
  );
  const spend2026 = await one(
    `SELECT sum(cost) FROM @spend WHERE date BETWEEN DATE '2026-01-01' AND DATE '${UNTIL}'`,
  );
  const ad = objective('ad-cost-minus-10');
  near(ad.baseline, spend2025, 'ad spend 2025');
  near(ad.actual, spend2026, 'ad spend 2026');
  assert.ok(spend2026 > spend2025, `by 24 November 2026 already ${spend2026} > ${spend2025} in all 2025`);
  // Chloe: fewer calls a weekday this quarter than in the one before (she is onboarding customers).
  const perWeekday = async (from: string, to: string) =>
    (await one(
      `SELECT count(*) FROM @events WHERE event = 'Call Logged' AND json_extract_string(properties, '$.owner') = '${CHLOE}' AND ${day('ts')} BETWEEN DATE '${from}' AND DATE '${to}'`,
    )) /
    (await one(
      `SELECT count(*) FROM range(DATE '${from}', DATE '${to}' + 1, INTERVAL 1 DAY) t(d) WHERE dayofweek(d) BETWEEN 1 AND 5`,
    ));
  const before = await perWeekday('2026-07-01', '2026-09-30');
  const now = await perWeekday('2026-10-01', UNTIL);
  assert.ok(now < 0.85 * before, `Chloe's calls a weekday: ${now} now, ${before} last quarter`);
  // Social: fewer LinkedIn posts than in the same quarter last year (the editor is on leave).
  const posts = async (from: string, to: string) =>
    one(
      `SELECT sum(value) FROM @social_metrics WHERE network = 'LinkedIn' AND metric = 'posts' AND date BETWEEN DATE '${from}' AND DATE '${to}'`,
    );
  assert.ok((await posts('2026-10-01', UNTIL)) < 0.8 * (await posts('2025-10-01', '2025-11-24')));
  // Both owners said so in a check-in.
  const notes = (await ws.listCheckins()).map((c) => [c.objectiveId, c.author]);
  assert.deepEqual(notes.sort(), [
    ['social-comments', 'social@northstar-demo.com'],
    ['ten-calls', CHLOE],
  ]);
});
