import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays } from '../src/core/time.js';
import type { EventRow } from '../src/domain/event.js';
import { parseDraftPlan } from '../src/goals/plan.yaml.js';
import { type LintRow, lintPlan } from '../src/goals/smart.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, eventRow, tempStore } from './fixtures.js';

// History (UTC workspace): leads per quarter of 2025 are 100, 110, 121, 130 (growth +10 %, +10 %,
// +7.4 %); ad spend in 2025 is 46,100, so a lead cost 46,100 / 461 = $100; one blog post a month;
// "Meeting Booked" events: ana books 4 in her best week, ben 2.
let store: DuckDbStore;
let ws: WorkspaceStore;
let report: LintRow[];

const QUARTERS: Array<[string, number]> = [
  ['2025-01-01', 100],
  ['2025-04-01', 110],
  ['2025-07-01', 121],
  ['2025-10-01', 130],
];

function meeting(id: string, day: string, owner: string): EventRow {
  return eventRow(id, new Date(`${day}T10:00:00Z`), {
    event: 'Meeting Booked',
    userId: `c-${id}`,
    properties: { owner },
  });
}

const PLAN = `goals:
  - id: more-leads
    title: Generate more leads
    objectives:
      - {id: modest, title: 5 % more leads, kpi: leads, target: "+5%", start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: too-much, title: 50 % more leads, kpi: leads, baseline: 130, target: "+50%", start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: vague, title: More blog posts, start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: no-target, title: Leads, kpi: leads, start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: ambiguous, title: Leads 25 %, kpi: leads, target: "25%", start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: wrong-way, title: Leads, kpi: leads, baseline: 130, target: 100, direction: increase, start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: unknown-kpi, title: Leads, kpi: lead, target: 5, start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: two-owners, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, due: 2026-03-31, owner: [ana, ben]}
      - {id: joint-owner, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, due: 2026-03-31, owner: ana and ben}
      - {id: no-owner, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, due: 2026-03-31}
      - {id: no-data, title: Emails, kpi: emails_sent, target: 1000, start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: bad-filter, title: Spend, kpi: ad_spend, filter: {owner: ana}, target: "-10%", start: 2026-01-01, due: 2026-03-31, owner: ana}
      - {id: vague-date, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, due: end of Q1, owner: ana}
      - {id: backwards, title: Leads, kpi: leads, target: "+5%", start: 2026-03-31, due: 2026-01-01, owner: ana}
      - {id: no-due, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, owner: ana}
      - {id: writers, title: 30 posts, kpi: content_published, target: 30, start: 2026-01-01, due: 2026-03-31, owner: ana, capacity: {writers: 1}}
      - {id: budget, title: 200 leads, kpi: leads, target: 200, start: 2026-01-01, due: 2026-03-31, owner: ana, capacity: {budget: 10000}}
      - {id: headcount, title: 25 meetings a week, kpi: meetings_booked, target: 25, start: 2026-01-05, due: 2026-01-11, owner: ana, capacity: {headcount: 2}}
objectives:
  - {id: orphan, title: Leads, kpi: leads, target: "+5%", start: 2026-01-01, due: 2026-03-31, owner: ana}
`;

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'smart', timezone: 'UTC' }));
  const contacts = QUARTERS.flatMap(([start, n], q) =>
    Array.from({ length: n }, (_, i) =>
      contact(`q${q}-${i}`, { leadAt: new Date(`${addDays(start, i % 85)}T12:00:00Z`) }),
    ),
  );
  await ws.upsertContacts(contacts);
  await ws.appendSpend(
    Array.from({ length: 10 }, (_, m) => ({
      date: `2025-${String(m + 1).padStart(2, '0')}-15`,
      channel: 'Paid Search',
      source: null,
      medium: null,
      campaign: null,
      cost: m === 0 ? 4_610 * 2 : 4_610 - 4_610 / 9, // 9,220 + 9 × 4,097.78 = 46,100
      currency: 'USD',
      impressions: null,
      clicks: 10,
      reach: null,
    })),
  );
  await ws.upsertCampaigns(
    Array.from({ length: 12 }, (_, m) => ({
      id: `post-${m}`,
      name: `Post ${m}`,
      channel: 'Organic Search',
      kind: 'content',
      launchedAt: new Date(`2025-${String(m + 1).padStart(2, '0')}-10T09:00:00Z`),
      budget: null,
    })),
  );
  // Weeks of 2025: ana books 4 in the week of 3 March, 1 in others; ben 2 in one week.
  await ws.appendEvents([
    ...['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'].map((d, i) => meeting(`a${i}`, d, 'ana')),
    meeting('a9', '2025-06-02', 'ana'),
    meeting('b1', '2025-04-07', 'ben'),
    meeting('b2', '2025-04-08', 'ben'),
  ]);
  report = (await lintPlan(ws, parseDraftPlan(PLAN, 'plan.yaml'))).objectives;
});
after(() => store.close());

const row = (id: string) => {
  const r = report.find((x) => x.id === id);
  assert.ok(r, id);
  return r;
};

test('the ad spend fixture sums to 46,100 (so a 2025 lead cost $100)', async () => {
  const [r] = await ws.query<{ s: number }>(`SELECT sum(cost)::DOUBLE AS s FROM @spend`);
  assert.ok(Math.abs((r?.s ?? 0) - 46_100) < 0.01);
});

test('a modest, well-formed objective passes every letter it can judge, with reasons', () => {
  const r = row('modest');
  assert.equal(r.ok, true, JSON.stringify(r.smart));
  // No baseline given: the same quarter last year, 100 leads; +5 % → 105.
  assert.equal(r.smart.specific.reason, 'leads: increase to 105 from 100 (same period last year)');
  // A baseline from the same quarter last year asks for year-on-year growth, and one year of data
  // has none to show (2025 Q1, the first quarter with data, may be partial and is left out): not
  // judged, which is no failure.
  assert.deepEqual(r.smart.achievable, {
    ok: null,
    reason:
      'not judged: asks for +5 % (100 → 105); not enough history to judge (fewer than 2 earlier quarters with data for the same quarter a year before)',
  });
  assert.equal(r.smart.relevant.reason, 'serves the goal "Generate more leads"');
  assert.equal(r.smart.time_bound.reason, 'runs 2026-01-01 → 2026-03-31 (90 days)');
  assert.match(
    r.smart.measurable.reason,
    /^leads computes for this workspace \(461 from 2025-01-01 to 2026-03-31\); owner ana$/,
  );
});

test('Achievable fails above the best growth seen, and says by how much', () => {
  const r = row('too-much');
  assert.equal(r.ok, false);
  assert.equal(r.smart.achievable.ok, false);
  // 130 × 1.5 = 195: +50 %, against a best of +10 %: 40 points.
  assert.equal(
    r.smart.achievable.reason,
    'asks for +50 % (130 → 195), 40 points above the best growth from one quarter to the next in the last 3 quarters: +10 % (2025-07-01 … 2025-09-30)',
  );
  assert.ok(r.smart.specific.ok && r.smart.measurable.ok && r.smart.relevant.ok && r.smart.time_bound.ok);
});

test('Specific fails without a KPI, without a target, with an ambiguous or contradictory one', () => {
  assert.equal(
    row('vague').smart.specific.reason,
    'no KPI: "More blog posts" says what, but not which number shows it',
  );
  // Nothing to measure without a KPI: Measurable is not judged (null), which is no failure of its own.
  assert.deepEqual(row('vague').smart.measurable, {
    ok: null,
    reason: 'not judged: there is no KPI to measure yet (see specific)',
  });
  assert.equal(row('vague').smart.achievable.ok, null);
  assert.match(row('no-target').smart.specific.reason, /^no target: say how much/);
  assert.equal(
    row('ambiguous').smart.specific.reason,
    '"25%" is ambiguous for leads: write "+25%" for growth, or a number',
  );
  assert.equal(
    row('wrong-way').smart.specific.reason,
    'the direction says increase, but the target 100 is below the baseline 130',
  );
  for (const id of ['vague', 'no-target', 'ambiguous', 'wrong-way']) assert.equal(row(id).ok, false, id);
});

test('Measurable fails for an unknown KPI, not exactly one owner, an impossible filter', () => {
  assert.equal(
    row('unknown-kpi').smart.measurable.reason,
    '"lead" is not a KPI of the catalog or of this workspace (see `northstar kpi list`)',
  );
  assert.equal(
    row('two-owners').smart.measurable.reason,
    '2 owners (ana, ben): name exactly one person accountable',
  );
  assert.equal(
    row('joint-owner').smart.measurable.reason,
    '"ana and ben" names several owners: exactly one person is accountable',
  );
  assert.equal(row('no-owner').smart.measurable.reason, 'no owner: name exactly one person accountable');
  assert.equal(
    row('bad-filter').smart.measurable.reason,
    'ad_spend cannot be split by owner (it can by channel, source, campaign)',
  );
  for (const id of ['unknown-kpi', 'two-owners', 'joint-owner', 'no-owner', 'bad-filter']) {
    assert.equal(row(id).smart.measurable.ok, false, id);
    // Achievable cannot be judged when Measurable fails: not judged, not a second failure.
    assert.equal(row(id).smart.achievable.ok, null, id);
    assert.match(row(id).smart.achievable.reason, /^not judged: the objective is not measurable yet$/);
  }
});

test('a KPI without data yet is measurable, with a warning (the plan comes before the data)', () => {
  const r = row('no-data');
  assert.deepEqual(r.smart.measurable, {
    ok: true,
    reason: 'emails_sent is a KPI Northstar computes; owner ana',
  });
  assert.deepEqual(r.warnings, [
    'emails_sent has no data in this workspace from 2025-01-01 to 2026-03-31 yet: progress shows once its data is imported or tracked',
  ]);
  // 1,000 e-mails without a baseline and no history: Achievable says it cannot judge.
  assert.equal(r.smart.achievable.ok, null);
  assert.equal(
    r.smart.achievable.reason,
    'not judged: 1,000 has no baseline to measure the change from and too little history to compare with (set `baseline:`, or import the history)',
  );
  assert.equal(r.ok, true);
  assert.deepEqual(row('modest').warnings, []);
});

test('Relevant fails for an objective linked to no goal', () => {
  const r = row('orphan');
  assert.equal(r.smart.relevant.ok, false);
  assert.equal(
    r.smart.relevant.reason,
    'not linked to any goal: nest it under the goal (or objective) it serves',
  );
  assert.equal(r.ok, false);
});

test('Time-bound fails without an exact due date after the start', () => {
  assert.equal(
    row('vague-date').smart.time_bound.reason,
    '"end of Q1" is not an exact date: write the day as YYYY-MM-DD',
  );
  assert.equal(
    row('backwards').smart.time_bound.reason,
    'the due date 2026-01-01 is not after the start 2026-03-31',
  );
  assert.match(row('no-due').smart.time_bound.reason, /^no due date/);
  for (const id of ['vague-date', 'backwards', 'no-due']) {
    assert.equal(row(id).smart.time_bound.ok, false, id);
    assert.equal(row(id).smart.measurable.ok, true, id); // the KPI itself is fine
    assert.equal(row(id).smart.achievable.ok, null, id);
    assert.match(row(id).smart.achievable.reason, /^not judged: the objective is not time-bound yet$/);
  }
});

test('Achievable checks recorded capacity: writers, budget, head-count', () => {
  // 30 posts in 90 days with 1 writer: 30 / 90 × 30.44 = 10.1 a month, above 8.
  assert.match(
    row('writers').smart.achievable.reason,
    /10\.1 posts a month per writer \(1 writer\): one writer does about 8 good posts a month/,
  );
  // At $100 a lead (46,100 / 461), 200 leads cost $20,000: more than $10,000.
  assert.match(
    row('budget').smart.achievable.reason,
    /at last year's \$100 of ad spend per unit, 200 cost about \$20,000, more than the budget of \$10,000/,
  );
  // 25 meetings in a week with 2 people is 12.5 each; ana's best week was 4.
  assert.match(
    row('headcount').smart.achievable.reason,
    /12\.5 a week per person \(2 people\), above the best week any one person had last year \(4\)/,
  );
  for (const id of ['writers', 'budget', 'headcount']) assert.equal(row(id).smart.achievable.ok, false, id);
});

test('the JSON shape is exactly the one INTERFACE.md fixes', () => {
  const r = row('modest');
  // INTERFACE.md's shape, plus the warnings it names.
  assert.deepEqual(Object.keys(r), ['id', 'smart', 'ok', 'warnings']);
  assert.deepEqual(Object.keys(r.smart), ['specific', 'measurable', 'achievable', 'relevant', 'time_bound']);
  for (const l of Object.values(r.smart)) assert.deepEqual(Object.keys(l), ['ok', 'reason']);
});
