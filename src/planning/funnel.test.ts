import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isUserError } from '../core/errors.js';
import {
  bottleneck,
  channelBudgets,
  parseRateOverrides,
  planShares,
  type Rates,
  resolveRates,
  reverseFunnel,
} from './funnel.js';

const userError = (re: RegExp) => (e: unknown) => isUserError(e) && re.test(e.message);
/** Shares are unrounded; 0.375 is 0.37499999999999994 after the divisions. */
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const RATES: Rates = { visit_to_lead: 0.02, lead_to_mql: 0.3, mql_to_sql: 0.4, sql_to_customer: 0.25 };

test('each count is rounded up before the next division', () => {
  assert.deepEqual(reverseFunnel(100_000, 8_000, RATES), {
    customers: 13, // ⌈100000 / 8000⌉ = ⌈12.5⌉
    sqls: 52, // ⌈13 / 0.25⌉ = 52
    mqls: 130, // ⌈52 / 0.4⌉ = 130
    leads: 434, // ⌈130 / 0.3⌉ = ⌈433.33⌉
    visits: 21_700, // ⌈434 / 0.02⌉ = 21700
    bottleneck: 'sql_to_customer', // 0.25 < 0.3 < 0.4 (visit → lead is not a candidate)
  });
});

test('float noise does not add a whole person: 21 / 0.7 is 30.000000000000004 in binary', () => {
  const r = reverseFunnel(21_000, 1_000, { ...RATES, sql_to_customer: 0.7 });
  assert.equal(r.customers, 21);
  assert.equal(r.sqls, 30); // not 31
  assert.equal(r.mqls, 75); // 30 / 0.4
});

test('the bottleneck is the lowest lead-funnel rate; on a tie the earlier stage', () => {
  assert.equal(bottleneck({ ...RATES, mql_to_sql: 0.2 }), 'mql_to_sql');
  assert.equal(bottleneck({ ...RATES, lead_to_mql: 0.25 }), 'lead_to_mql'); // tie with sql_to_customer
  assert.equal(
    bottleneck({ visit_to_lead: 0.9, lead_to_mql: 0.5, mql_to_sql: 0.5, sql_to_customer: 0.6 }),
    'lead_to_mql',
  );
});

test('--rate overrides: stage names and 0 < R ≤ 1 are checked', () => {
  assert.deepEqual(parseRateOverrides(['mql_to_sql=0.4', 'lead_to_mql=0.3,sql_to_customer=1']), {
    mql_to_sql: 0.4,
    lead_to_mql: 0.3,
    sql_to_customer: 1,
  });
  assert.deepEqual(parseRateOverrides([]), {});
  assert.throws(() => parseRateOverrides(['mql_to_opp=0.4']), userError(/unknown stage "mql_to_opp"/));
  assert.throws(() => parseRateOverrides(['mql_to_sql=0']), userError(/0 < R ≤ 1/));
  assert.throws(() => parseRateOverrides(['mql_to_sql=40']), userError(/0 < R ≤ 1 \(0.4 for 40 %\)/));
  assert.throws(() => parseRateOverrides(['mql_to_sql=abc']), userError(/0 < R ≤ 1/));
  assert.throws(() => parseRateOverrides(['mql_to_sql']), userError(/STAGE=R/));
});

test('history rates with overrides on top; a missing or zero rate asks for --rate', () => {
  const history = { visit_to_lead: 10 / 200, lead_to_mql: 6 / 10, mql_to_sql: 3 / 6, sql_to_customer: 2 / 3 };
  assert.deepEqual(resolveRates(history, { mql_to_sql: 0.25 }, 'the window'), {
    visit_to_lead: 0.05,
    lead_to_mql: 0.6,
    mql_to_sql: 0.25,
    sql_to_customer: 2 / 3, // unrounded: only the report rounds
  });
  assert.throws(
    () => resolveRates({ ...history, sql_to_customer: null }, {}, 'the window'),
    userError(/no sql_to_customer rate in the window; give one with --rate sql_to_customer=R/),
  );
  assert.throws(() => resolveRates({ ...history, lead_to_mql: 0 }, {}, 'w'), userError(/\(it was 0\)/));
  // An override fills the gap.
  assert.equal(
    resolveRates({ ...history, sql_to_customer: null }, { sql_to_customer: 0.5 }, 'w').sql_to_customer,
    0.5,
  );
});

test('budget per channel: leads split by lead share, priced at the channel cost per lead', () => {
  const r = channelBudgets(434, [
    { channel: 'Paid Search', leads: 30, spend: 6000, cplLeads: 30 },
    { channel: 'Organic Search', leads: 70, spend: 0, cplLeads: 70 },
    { channel: 'Display', leads: 0, spend: 500, cplLeads: 0 },
  ]);
  assert.deepEqual(r, [
    // ⌈434 × 0.7⌉ = ⌈303.8⌉ = 304 leads, no media cost
    {
      channel: 'Organic Search',
      verdict: 'keep',
      lead_share: 0.7,
      plan_share: 0.7,
      leads: 304,
      cost_per_lead: 0,
      budget: 0,
    },
    // ⌈434 × 0.3⌉ = ⌈130.2⌉ = 131 leads × (6000 / 30 = 200) = 26200
    {
      channel: 'Paid Search',
      verdict: 'keep',
      lead_share: 0.3,
      plan_share: 0.3,
      leads: 131,
      cost_per_lead: 200,
      budget: 26_200,
    },
    // spend without leads: no cost per lead, no share of the leads
    {
      channel: 'Display',
      verdict: 'keep',
      lead_share: 0,
      plan_share: 0,
      leads: 0,
      cost_per_lead: null,
      budget: 0,
    },
  ]);
});

test('the segment share and the all-market cost per lead are separate inputs', () => {
  // 3 of the segment's 4 leads are Paid Search; its cost per lead is over all markets: 900 / 9 = 100.
  const r = channelBudgets(10, [
    { channel: 'Paid Search', leads: 3, spend: 900, cplLeads: 9 },
    { channel: 'Webinars', leads: 1, spend: 300, cplLeads: 2 },
  ]);
  assert.deepEqual(
    r.map((c) => [c.channel, c.leads, c.cost_per_lead, c.budget]),
    [
      ['Paid Search', 8, 100, 800], // ⌈10 × 0.75⌉ = ⌈7.5⌉ = 8
      ['Webinars', 3, 150, 450], // ⌈2.5⌉ = 3
    ],
  );
});

test('the budget follows the review: nothing new for a channel to cut, a shift to double down', () => {
  // 100 leads needed. History: Events 20 leads at 500 each, Webinars 20 at 50, Organic 60 free.
  const history = [
    { channel: 'Events', leads: 20, spend: 10_000, cplLeads: 20 },
    { channel: 'Webinars', leads: 20, spend: 1_000, cplLeads: 20 },
    { channel: 'Organic Search', leads: 60, spend: 0, cplLeads: 60 },
  ];
  // By lead share alone Events takes 20 leads × 500 = 10000 of a 11000 budget.
  assert.equal(channelBudgets(100, history).find((c) => c.channel === 'Events')?.budget, 10_000);
  // Events cut, Webinars double down, 50 % shift: Webinars 0.2 + 0.5 × 0.6 = 0.5, Organic 0.6 × 0.5 =
  // 0.3; over 0.8: Webinars 0.625 → 63 leads (⌈62.5⌉) × 50 = 3150, Organic 0.375 → 38 leads, Events 0.
  const r = channelBudgets(100, history, { Events: 'cut', Webinars: 'double_down' }, 0.5);
  assert.deepEqual(
    r.map((c) => [c.channel, c.verdict, r6(c.plan_share), c.leads, c.budget]),
    [
      ['Webinars', 'double_down', 0.625, 63, 3150],
      ['Organic Search', 'keep', 0.375, 38, 0],
      ['Events', 'cut', 0, 0, 0],
    ],
  );
  // No shift: only the cut: Webinars 0.2 / 0.8 = 0.25, Organic 0.75.
  const noShift = channelBudgets(100, history, { Events: 'cut', Webinars: 'double_down' }, 0);
  assert.deepEqual(
    noShift.map((c) => [c.channel, r6(c.plan_share), c.leads]),
    [
      ['Organic Search', 0.75, 75],
      ['Webinars', 0.25, 25],
      ['Events', 0, 0],
    ],
  );
  // Every channel with leads cut: the historical shares stay (there is nowhere else to go).
  assert.deepEqual(planShares({ A: 0.4, B: 0.6 }, { A: 'cut', B: 'cut' }), { A: 0.4, B: 0.6 });
});

test('millions and a rate of 1/3: the counts divide by the unrounded rate', () => {
  // 1,500,000 / 45,000 = 33.3 → 34 customers; 34 / (1/3) = 102 SQLs exactly (by 0.333333 it would be
  // 102.0000102 → 103); 102 / 0.5 = 204 MQLs; 204 / 0.25 = 816 leads; 816 / 0.02 = 40,800 visits.
  const r = reverseFunnel(1_500_000, 45_000, {
    visit_to_lead: 0.02,
    lead_to_mql: 0.25,
    mql_to_sql: 0.5,
    sql_to_customer: 1 / 3,
  });
  assert.deepEqual([r.customers, r.sqls, r.mqls, r.leads, r.visits], [34, 102, 204, 816, 40_800]);
});

const rate = fc.double({ min: 0.001, max: 1, noNaN: true });
const rates = fc.record({ visit_to_lead: rate, lead_to_mql: rate, mql_to_sql: rate, sql_to_customer: rate });

test('property: every count covers what the next stage needs, and is the least that does', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 1e8, noNaN: true }),
      fc.double({ min: 100, max: 1e6, noNaN: true }),
      rates,
      (goal, avg, r) => {
        const f = reverseFunnel(goal, avg, r);
        const steps: Array<[number, number, number]> = [
          [f.customers * avg, goal, avg], // customers bring the goal
          [f.sqls * r.sql_to_customer, f.customers, r.sql_to_customer],
          [f.mqls * r.mql_to_sql, f.sqls, r.mql_to_sql],
          [f.leads * r.lead_to_mql, f.mqls, r.lead_to_mql],
          [f.visits * r.visit_to_lead, f.leads, r.visit_to_lead],
        ];
        for (const [got, need, per] of steps) {
          // never below what the rate needs (up to the 12-digit float-noise rule)…
          assert.ok(got >= need * (1 - 1e-11), `${got} < ${need}`);
          // …and one fewer would not do
          assert.ok(got - per < need * (1 + 1e-11), `${got - per} ≥ ${need}`);
        }
        assert.ok(f.customers <= f.sqls && f.sqls <= f.mqls && f.mqls <= f.leads && f.leads <= f.visits);
      },
    ),
    { numRuns: 2000 },
  );
});

test('property: the channels cover the leads needed, a channel to cut gets none, shares sum to 1', () => {
  const verdict = fc.constantFrom('keep' as const, 'cut' as const, 'double_down' as const);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 100_000 }),
      fc.array(
        fc.record({
          leads: fc.integer({ min: 0, max: 5000 }),
          spend: fc.integer({ min: 0, max: 1e6 }),
          verdict,
        }),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (needed, rows, shift) => {
        const history = rows.map((c, i) => ({
          channel: `c${i}`,
          leads: c.leads,
          spend: c.spend,
          cplLeads: c.leads,
        }));
        const verdicts = Object.fromEntries(rows.map((c, i) => [`c${i}`, c.verdict]));
        const out = channelBudgets(needed, history, verdicts, shift);
        const withLeads = rows.filter((c) => c.leads > 0);
        if (withLeads.length === 0) return;
        assert.ok(out.reduce((s, c) => s + c.leads, 0) >= needed);
        assert.ok(Math.abs(out.reduce((s, c) => s + c.plan_share, 0) - 1) < 1e-9);
        if (withLeads.some((c) => c.verdict !== 'cut'))
          for (const c of out) if (c.verdict === 'cut') assert.equal(c.leads, 0);
        // a channel to double down on never gets a smaller share than it had
        for (const c of out) if (c.verdict === 'double_down') assert.ok(c.plan_share >= c.lead_share - 1e-12);
      },
    ),
    { numRuns: 1000 },
  );
});
