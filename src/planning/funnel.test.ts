import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUserError } from '../core/errors.js';
import {
  bottleneck,
  channelBudgets,
  parseRateOverrides,
  type Rates,
  resolveRates,
  reverseFunnel,
} from './funnel.js';

const userError = (re: RegExp) => (e: unknown) => isUserError(e) && re.test(e.message);
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
    sql_to_customer: 0.666667, // 2 / 3 to 6 decimals
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
    { channel: 'Organic Search', lead_share: 0.7, leads: 304, cost_per_lead: 0, budget: 0 },
    // ⌈434 × 0.3⌉ = ⌈130.2⌉ = 131 leads × (6000 / 30 = 200) = 26200
    { channel: 'Paid Search', lead_share: 0.3, leads: 131, cost_per_lead: 200, budget: 26_200 },
    // spend without leads: no cost per lead, no share of the leads
    { channel: 'Display', lead_share: 0, leads: 0, cost_per_lead: null, budget: 0 },
  ]);
});

test('the segment share and the all-market cost per lead are separate inputs', () => {
  // 3 of the segment's 4 leads are Paid Search; its cost per lead is over all markets: 900 / 9 = 100.
  const r = channelBudgets(10, [
    { channel: 'Paid Search', leads: 3, spend: 900, cplLeads: 9 },
    { channel: 'Webinars', leads: 1, spend: 300, cplLeads: 2 },
  ]);
  assert.deepEqual(r, [
    { channel: 'Paid Search', lead_share: 0.75, leads: 8, cost_per_lead: 100, budget: 800 }, // ⌈7.5⌉ = 8
    { channel: 'Webinars', lead_share: 0.25, leads: 3, cost_per_lead: 150, budget: 450 }, // ⌈2.5⌉ = 3
  ]);
});
