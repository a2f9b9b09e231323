/**
 * `plan target` and `plan funnel` on hand-built workspaces, with the arithmetic written out: through the
 * engine (src/planning/plan.ts) and as commands run in-process (exact JSON of INTERFACE.md).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { planFunnel, planTarget } from '../src/planning/plan.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, runCli, session, spendRow, tempStore } from './fixtures.js';

let store: DuckDbStore;
let dataDir: string;
let hist: WorkspaceStore;
let fun: WorkspaceStore;

const spend = (date: string, channel: string, cost: number) => spendRow(date, channel, cost);
const at = (s: string) => new Date(s);

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  await store.createWorkspace({ slug: 'empty', timezone: 'UTC' });

  // Revenue history in New York time: 2022 1000, 2023 1200, 2024 1500, 2025 1800.
  hist = store.forWorkspace(await store.createWorkspace({ slug: 'hist', timezone: 'America/New_York' }));
  await hist.upsertDeals([
    deal('h0', 'x', 999, '2021-05-01T12:00:00Z', '2021-06-01T12:00:00Z', true),
    deal('h1', 'x', 1000, '2022-05-01T12:00:00Z', '2022-06-01T12:00:00Z', true),
    deal('h2', 'x', 700, '2023-02-01T12:00:00Z', '2023-03-01T12:00:00Z', true),
    deal('h3', 'x', 500, '2023-08-01T12:00:00Z', '2023-09-01T12:00:00Z', true),
    deal('h4', 'x', 1500, '2024-05-01T12:00:00Z', '2024-06-01T12:00:00Z', true),
    deal('h5', 'x', 1000, '2025-04-01T12:00:00Z', '2025-05-01T12:00:00Z', true),
    deal('h6', 'x', 800, '2025-12-01T12:00:00Z', '2026-01-01T03:00:00Z', true), // 31 Dec 22:00 in New York
    deal('h7', 'x', 5000, '2025-06-01T12:00:00Z', '2025-07-01T12:00:00Z', false), // lost
    deal('h8', 'x', 3000, '2025-12-01T12:00:00Z', '2026-01-01T06:00:00Z', true), // 1 Jan 01:00: 2026
  ]);

  // Funnel window (as of 2026-06-30): 2025-07-01 … 2026-06-30, in UTC.
  fun = store.forWorkspace(await store.createWorkspace({ slug: 'fun', timezone: 'UTC' }));
  const sessions = Array.from({ length: 200 }, (_, i) =>
    session(`f${i}`, new Date(Date.parse('2025-07-01T12:00:00Z') + i * 3_600_000).toISOString(), 'Direct'),
  );
  await fun.appendSessions([...sessions, session('f-old', '2025-06-30T12:00:00Z', 'Direct')]);
  const markets = ['EMEA', 'North America', 'EMEA', 'EMEA', 'North America', 'EMEA', 'EMEA'];
  const channelOf = (i: number) => (i <= 4 ? 'Paid Search' : i <= 6 ? 'Webinars' : 'Organic Search');
  await fun.upsertContacts([
    // c0: a customer since 2024 who bought again in the window (upsell)
    contact('c0', {
      market: 'EMEA',
      originalSource: 'Referral',
      leadAt: at('2023-05-01T00:00:00Z'),
      mqlAt: at('2023-05-02T00:00:00Z'),
      sqlAt: at('2023-06-01T00:00:00Z'),
      customerAt: at('2024-01-10T00:00:00Z'),
    }),
    // c1…c10: leads in the window; c1…c6 MQLs, c1…c3 SQLs, c1 and c2 customers
    ...Array.from({ length: 10 }, (_, k) => {
      const i = k + 1;
      return contact(`c${i}`, {
        market: markets[k] ?? 'North America',
        originalSource: channelOf(i),
        leadAt: at('2025-09-01T00:00:00Z'),
        mqlAt: i <= 6 ? at('2025-09-10T00:00:00Z') : null,
        sqlAt: i <= 3 ? at('2025-09-20T00:00:00Z') : null,
        customerAt: i === 1 ? at('2025-10-15T00:00:00Z') : i === 2 ? at('2026-02-01T00:00:00Z') : null,
      });
    }),
    contact('c11', { originalSource: 'Paid Search', leadAt: at('2025-06-30T12:00:00Z') }), // before the window
  ]);
  await fun.upsertDeals([
    deal('e0', 'c0', 3000, '2023-12-01T00:00:00Z', '2024-01-10T00:00:00Z', true),
    deal('e1', 'c0', 1000, '2025-09-01T00:00:00Z', '2025-10-01T00:00:00Z', true),
    deal('e2', 'c1', 4000, '2025-09-25T00:00:00Z', '2025-10-15T00:00:00Z', true),
    deal('e3', 'c2', 2000, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z', true),
    deal('e4', 'c3', 9000, '2025-12-01T00:00:00Z', '2026-03-01T00:00:00Z', false),
    deal('e5', 'c4', 7000, '2026-01-01T00:00:00Z', null, null),
  ]);
  await fun.appendSpend([
    spend('2025-06-30', 'Paid Search', 10_000), // before the window
    spend('2025-08-01', 'Paid Search', 500),
    spend('2026-01-15', 'Paid Search', 300),
    spend('2025-11-11', 'Webinars', 300),
    spend('2026-05-05', 'Display', 100),
  ]);
});
after(() => store.close());

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(store, dataDir, args);
}

test('plan target: revenue per local calendar year, exact JSON', async () => {
  const r = await cli([
    'plan',
    'target',
    '--workspace',
    'hist',
    '--year',
    '2025',
    '--as-of',
    '2026-03-15',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  // 2025 = 1000 + 800 (31 Dec in New York); the lost deal and 1 January's 3000 are not 2025's.
  // growth 0.2, 0.25, 0.2 → mean 0.65 / 3; + 0.05 = 0.8 / 3; 1800 × 0.8 / 3 + 1800 = 480 + 1800 = 2280
  assert.equal(
    r.out,
    '{"year":2025,"years":[{"year":2022,"revenue":1000,"growth":null},{"year":2023,"revenue":1200,"growth":0.2},' +
      '{"year":2024,"revenue":1500,"growth":0.25},{"year":2025,"revenue":1800,"growth":0.2}],' +
      '"average_growth":0.216667,"uplift":0.05,"target_growth":0.266667,"target":2280,' +
      '"target_year":2026,"basis":"calendar_years","note":null}\n',
  );
  const up = await planTarget(hist, { asOf: '2026-03-15', year: 2025, uplift: 10 });
  assert.equal(up.target, 2370); // 1800 × (0.65 / 3 + 0.1) + 1800 = 390 + 180 + 1800
  const y2024 = await planTarget(hist, { asOf: '2026-03-15', year: 2024 });
  assert.deepEqual(
    y2024.years.map((y) => y.revenue),
    [999, 1000, 1200, 1500],
  );
  // (1/999 + 0.2 + 0.25) / 3 + 0.05 = 0.2003337…; 1500 × 1.2003337… = 1800.5005… → 1800.5
  assert.equal(y2024.target, 1800.5);
});

test('plan target in December plans next year from the trailing twelve months (today injected)', async () => {
  const r = await planTarget(hist, { asOf: '2026-12-03' });
  assert.equal(r.target_year, 2027);
  assert.equal(r.basis, 'trailing_twelve_months');
  assert.match(
    r.note ?? '',
    /^2026 is not over \(today is 2026-12-03\): each year is the twelve months ending on 3 December/,
  );
  // Windows 4 Dec → 3 Dec: 2023 = 700 + 500, 2024 = 1500, 2025 = 1000 (the 800 of 31 Dec 2025 is in
  // 2026's window), 2026 = 800 + 3000.
  assert.deepEqual(r.years, [
    { year: 2023, revenue: 1200, from: '2022-12-04', to: '2023-12-03', growth: null },
    { year: 2024, revenue: 1500, from: '2023-12-04', to: '2024-12-03', growth: 0.25 },
    { year: 2025, revenue: 1000, from: '2024-12-04', to: '2025-12-03', growth: -0.333333 },
    { year: 2026, revenue: 3800, from: '2025-12-04', to: '2026-12-03', growth: 2.8 },
  ]);
  // (1/4 − 1/3 + 14/5) / 3 = 163/180; + 9/180 = 43/45; 3800 × 88/45 = 7431.111…
  assert.equal(r.target, 7431.11);
  // On 31 December the year is complete: calendar years, 2026 = 3000.
  const dec31 = await planTarget(hist, { asOf: '2026-12-31' });
  assert.equal(dec31.basis, 'calendar_years');
  assert.equal(dec31.note, null);
  assert.deepEqual(
    dec31.years.map((y) => [y.year, y.revenue]),
    [
      [2023, 1200],
      [2024, 1500],
      [2025, 1800],
      [2026, 3000],
    ],
  );
  // growth 1/4, 1/5, 2/3 → 67/180; + 9/180 = 19/45; 3000 × 64/45 = 4266.666…
  assert.equal(dec31.target, 4266.67);
  // The CLI says what the year is.
  const t = await cli([
    'plan',
    'target',
    '--workspace',
    'hist',
    '--as-of',
    '2026-12-03',
    '--format',
    'table',
  ]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^Revenue target for 2027\n/);
  assert.match(t.out, /2026\s+2025-12-04\s+2026-12-03\s+\$3,800\s+280 %/);
  assert.match(t.out, /2027 target\s+\$7,431\s+95\.6 %/);
  assert.match(t.out, /2026 is not over/);
});

test('plan target: clear errors', async () => {
  const none = await cli(['plan', 'target', '--workspace', 'empty', '--as-of', '2026-03-15']);
  assert.equal(none.code, 1);
  assert.match(
    none.err,
    /^error: --year: no revenue history: no won deals closed from 2022-03-16 to 2026-03-15/,
  );
  const future = await cli([
    'plan',
    'target',
    '--workspace',
    'hist',
    '--year',
    '2027',
    '--as-of',
    '2026-03-15',
  ]);
  assert.equal(future.code, 1);
  assert.match(
    future.err,
    /--year 2027 has not started yet \(today is 2026-03-15\); plan from 2026 or earlier/,
  );
  const bad = await cli(['plan', 'target', '--workspace', 'hist', '--uplift', 'lots']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /--uplift must be a number/);
});

test('plan funnel --revenue: rates and first-year revenue from the last 12 months, exact JSON head', async () => {
  const r = await cli([
    'plan',
    'funnel',
    '--revenue',
    '10000',
    '--workspace',
    'fun',
    '--as-of',
    '2026-06-30',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  // Window 2025-07-01 … 2026-06-30. Revenue 4000 + 2000 + 1000 (c0, a customer since 2024) = 7000;
  // new customers c1, c2 brought 6000 → 3000 each. Rates: 10 leads / 200 visits, 6 MQLs / 10 leads,
  // 3 SQLs / 6 MQLs, 2 customers / 3 SQLs.
  // customers ⌈10000 / 3000⌉ = 4; sqls ⌈4 / 0.666667⌉ = ⌈5.999997⌉ = 6; mqls ⌈6 / 0.5⌉ = 12;
  // leads ⌈12 / 0.6⌉ = 20; visits ⌈20 / 0.05⌉ = 400; weakest: mql_to_sql 0.5.
  const head = Object.fromEntries(Object.entries(j).slice(0, 9));
  assert.equal(
    JSON.stringify(head),
    '{"revenue_goal":10000,"avg_first_year_revenue":3000,"rates":{"visit_to_lead":0.05,"lead_to_mql":0.6,' +
      '"mql_to_sql":0.5,"sql_to_customer":0.666667},"customers":4,"sqls":6,"mqls":12,"leads":20,"visits":400,' +
      '"bottleneck":"mql_to_sql"}',
  );
  assert.deepEqual(j.history, {
    revenue: 7000,
    new_customer_revenue: 6000,
    customers: 2,
    sqls: 3,
    mqls: 6,
    leads: 10,
    sessions: 200,
  });
  assert.deepEqual(j.upsell, {
    existing_customers: 1,
    revenue_last_12_months: 1000,
    share_of_revenue: 0.142857,
  });
  // 20 leads: Paid Search 4/10 → 8 × (800 / 4 = 200) = 1600; Organic Search 4/10 → 8, no cost;
  // Webinars 2/10 → 4 × (300 / 2 = 150) = 600; Display has spend but no leads.
  // The review of the same window: Display (8.3 % of spend, no lead, no revenue) is cut; nothing is
  // double down (Paid Search 66.7 % of spend for 85.7 % of revenue is not under-funded by half).
  const ch = (
    channel: string,
    verdict: string,
    share: number,
    leads: number,
    cpl: number | null,
    budget: number,
  ) => ({
    channel,
    verdict,
    lead_share: share,
    plan_share: share,
    leads,
    cost_per_lead: cpl,
    budget,
  });
  assert.deepEqual(j.channels, [
    ch('Paid Search', 'keep', 0.4, 8, 200, 1600),
    ch('Organic Search', 'keep', 0.4, 8, 0, 0),
    ch('Webinars', 'keep', 0.2, 4, 150, 600),
    ch('Display', 'cut', 0, 0, null, 0),
  ]);
  assert.equal(j.budget, 2200);
  // The goal is the new revenue: 7000 won in the last 12 months + 10000 = 17000 in all.
  assert.equal(j.total_revenue_goal, 17_000);
  assert.equal(j.new_revenue_needed, 10_000);
  assert.deepEqual(j.budget_rule, {
    shift: 0.2,
    cut: ['Display'],
    double_down: [],
    note: 'the channels follow the review of 2025-07-01 to 2026-06-30 (plan review); no new budget for Display (cut)',
  });
});

test('plan funnel --growth: a share of the last 12 months; overrides and --avg-revenue', async () => {
  const o = { asOf: '2026-06-30' };
  // 50 % of 7000 = 3500 → ⌈3500 / 3000⌉ = 2 customers → ⌈2 / 0.666667⌉ = 3 → 6 → 10 → 200: last year again
  const g = await planFunnel(fun, { ...o, growth: 50 });
  assert.deepEqual(
    [g.revenue_goal, g.customers, g.sqls, g.mqls, g.leads, g.visits],
    [3500, 2, 3, 6, 10, 200],
  );
  // mql_to_sql given as 0.25: 4 → 6 → ⌈6 / 0.25⌉ = 24 → ⌈24 / 0.6⌉ = 40 → 800
  const given = await planFunnel(fun, { ...o, revenue: 10_000, rates: { mql_to_sql: 0.25 } });
  assert.deepEqual([given.customers, given.sqls, given.mqls, given.leads, given.visits], [4, 6, 24, 40, 800]);
  assert.equal(given.rate_sources.mql_to_sql, 'given');
  assert.equal(given.rate_sources.lead_to_mql, 'history');
  // 10000 / 2500 = 4 customers exactly
  const avg = await planFunnel(fun, { ...o, revenue: 10_000, avgRevenue: 2500 });
  assert.equal(avg.avg_first_year_revenue, 2500);
  assert.equal(avg.customers, 4);
});

test('plan funnel --segment: contacts of one market, site-wide visit → lead', async () => {
  const r = await planFunnel(fun, { asOf: '2026-06-30', growth: 20, segment: 'EMEA' });
  // EMEA: leads c1 c3 c4 c6 c7 = 5; MQLs c1 c3 c4 c6 = 4; SQLs c1 c3 = 2; customer c1 = 1.
  // Revenue 4000 (c1) + 1000 (c0, existing) = 5000 → goal 20 % = 1000; first-year 4000 / 1 customer.
  assert.equal(r.revenue_goal, 1000);
  assert.equal(r.avg_first_year_revenue, 4000);
  assert.deepEqual(r.rates, { visit_to_lead: 0.05, lead_to_mql: 0.8, mql_to_sql: 0.5, sql_to_customer: 0.5 });
  // ⌈1000 / 4000⌉ = 1 → ⌈1 / 0.5⌉ = 2 → ⌈2 / 0.5⌉ = 4 → ⌈4 / 0.8⌉ = 5 → ⌈5 / 0.05⌉ = 100; tie 0.5/0.5: the earlier
  assert.deepEqual(
    [r.customers, r.sqls, r.mqls, r.leads, r.visits, r.bottleneck],
    [1, 2, 4, 5, 100, 'mql_to_sql'],
  );
  // EMEA leads: Paid Search 3/5, Webinars 1/5, Organic Search 1/5, priced at all-market cost per lead
  assert.deepEqual(
    r.channels.map((c) => [c.channel, c.leads, c.cost_per_lead, c.budget]),
    [
      ['Paid Search', 3, 200, 600],
      ['Webinars', 1, 150, 150],
      ['Organic Search', 1, 0, 0],
      ['Display', 0, null, 0],
    ],
  );
  assert.deepEqual(r.upsell, { existing_customers: 1, revenue_last_12_months: 1000, share_of_revenue: 0.2 });
});

test('plan funnel: user errors exit 1 with the reason', async () => {
  const run = (...args: string[]) =>
    cli(['plan', 'funnel', '--workspace', 'fun', '--as-of', '2026-06-30', ...args]);
  const cases: Array<[string[], RegExp]> = [
    [[], /either --revenue AMOUNT or --growth PCT/],
    [['--revenue', '1', '--growth', '2'], /either --revenue AMOUNT or --growth PCT/],
    [['--revenue', '-5'], /--revenue must be a number above 0/],
    [['--revenue', '100', '--rate', 'mql_to_opp=0.3'], /unknown stage "mql_to_opp"/],
    [['--revenue', '100', '--rate', 'mql_to_sql=1.5'], /0 < R ≤ 1/],
    [
      ['--revenue', '100', '--segment', 'Mars'],
      /no contacts in market "Mars" \(known: EMEA, North America\)/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await run(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, re, args.join(' '));
  }
  const empty = await cli(['plan', 'funnel', '--workspace', 'empty', '--growth', '10']);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /no revenue in the last 12 months .* give the goal with --revenue AMOUNT/);
  const noRates = await cli([
    'plan',
    'funnel',
    '--workspace',
    'empty',
    '--revenue',
    '10',
    '--avg-revenue',
    '5',
  ]);
  assert.equal(noRates.code, 1);
  assert.match(noRates.err, /no visit_to_lead rate in the last 12 months/);
  // Every rate given: a plan without history.
  const all = await cli([
    'plan',
    'funnel',
    '--workspace',
    'empty',
    '--revenue',
    '10',
    '--avg-revenue',
    '5',
    '--rate',
    'visit_to_lead=0.5',
    'lead_to_mql=0.5',
    'mql_to_sql=0.5,sql_to_customer=0.5',
    '--format',
    'json',
  ]);
  assert.equal(all.code, 0, all.err);
  const j = JSON.parse(all.out); // 2 customers → 4 → 8 → 16 → 32
  assert.deepEqual([j.customers, j.sqls, j.mqls, j.leads, j.visits], [2, 4, 8, 16, 32]);
});

test('table and CSV output of target and funnel', async () => {
  const t = await cli([
    'plan',
    'target',
    '--workspace',
    'hist',
    '--year',
    '2025',
    '--as-of',
    '2026-03-15',
    '--format',
    'table',
  ]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /2026 target\s+\$2,280\s+26\.7 %/);
  assert.match(t.out, /target = \$1,800 × \(1 \+ 26\.7 %\) = \$2,280/);
  const csv = await cli([
    'plan',
    'funnel',
    '--workspace',
    'fun',
    '--as-of',
    '2026-06-30',
    '--revenue',
    '10000',
    '--format',
    'csv',
  ]);
  assert.equal(csv.code, 0, csv.err);
  assert.equal(
    csv.out,
    'stage,count,divided_by,rate,source\ntotal revenue goal,17000,,,\nnew revenue needed,10000,,,\ncustomers,4,,,\nsqls,6,sql_to_customer,0.6667,history\n' +
      'mqls,12,mql_to_sql,0.5,history\nleads,20,lead_to_mql,0.6,history\nvisits,400,visit_to_lead,0.05,history\n',
  );
});
