import assert from 'node:assert/strict';
import { test } from 'node:test';
import { focusAreas, MIN_CUSTOMERS, slug } from './roadmap.js';

const RATES = { visit_to_lead: 0.02, lead_to_mql: 0.4, mql_to_sql: 0.3, sql_to_customer: 0.4 };

test('a channel to double down on ranks by its return; the bottleneck at the blended return', () => {
  const areas = focusAreas({
    channels: [
      { channel: 'Events', spend: 80_000, leads: 40, customers: 2, revenue: 20_000 },
      { channel: 'Webinars', spend: 10_000, leads: 100, customers: 10, revenue: 150_000 },
    ],
    verdicts: { Events: 'cut', Webinars: 'double_down' },
    rates: RATES,
    newCustomerRevenue: 170_000,
  });
  // Events (cut) is no focus area: the funnel moves its budget.
  assert.deepEqual(
    areas.map((a) => [a.id, a.action, a.unit]),
    [
      ['channel-webinars', 'double_down', 'budget'],
      ['stage-mql-to-sql', 'bottleneck', 'effort'],
    ],
  );
  const [web, stage] = areas;
  // Double its quarterly budget: 10,000 / 4 = 2,500 → 150,000 / 4 = 37,500 at 15 per 1 spent.
  assert.equal(web?.budget, 2500);
  assert.equal(web?.expected_revenue, 37_500);
  assert.equal(web?.impact_per_unit, 15);
  assert.equal(web?.step_growth, 1);
  // mql_to_sql 0.3 is the weakest; halfway to 0.4 is 0.35, a lift of 1/6 on 170,000 / 4 = 42,500 →
  // 7,083.33; compared at the blended return 170,000 / 90,000 = 1.888…
  assert.equal(stage?.numbers.target_rate, 0.35);
  assert.ok(Math.abs((stage?.step_growth ?? 0) - 1 / 6) < 1e-12);
  assert.ok(Math.abs((stage?.expected_revenue ?? 0) - 42_500 / 6) < 1e-9);
  assert.ok(Math.abs((stage?.impact_per_unit ?? 0) - 17 / 9) < 1e-12);
  assert.match(
    web?.reason ?? '',
    /\$150,000 of revenue for \$10,000 of spend: 15\.00 per 1 spent \(all channels: 1\.89\)/,
  );
});

test('a paid channel with leads but too few customers is one to fix; ties go to the larger revenue', () => {
  const areas = focusAreas({
    channels: [
      // 50 % of spend and of leads, 2 % of revenue: leads in proportion, too few customers.
      { channel: 'Paid Social', spend: 10_000, leads: 50, customers: 1, revenue: 2_000 },
      { channel: 'Paid Search', spend: 10_000, leads: 50, customers: 9, revenue: 98_000 },
    ],
    verdicts: { 'Paid Social': 'keep', 'Paid Search': 'keep' },
    rates: { visit_to_lead: 0.02, lead_to_mql: 0.5, mql_to_sql: 0.5, sql_to_customer: 0.4 },
    newCustomerRevenue: 100_000,
  });
  // Fix: (10 % − 2 %) × 50 leads / 4 = 1 more customer a quarter × 100,000 / 10 = 10,000.
  // Stage: sql_to_customer 0.4 → 0.45 (+12.5 %) × 100,000 / 4 = 3,125. Both at 100,000 / 20,000 = 5.
  assert.deepEqual(
    areas.map((a) => [a.id, a.action, a.impact_per_unit, Math.round(a.expected_revenue * 100) / 100]),
    [
      ['channel-paid-social', 'fix', 5, 10_000],
      ['stage-sql-to-customer', 'bottleneck', 5, 3_125],
    ],
  );
  // 1 more customer a quarter on 50 / 4 × 2 % = 0.25 now: counted on at least 1, so +100 %.
  assert.ok(Math.abs((areas[0]?.step_growth ?? 0) - 1) < 1e-12);
});

test('too few customers to project a return: listed last, without a return; unpaid: effort', () => {
  const areas = focusAreas({
    channels: [
      { channel: 'Webinars', spend: 2_000, leads: 30, customers: MIN_CUSTOMERS - 1, revenue: 60_000 },
      { channel: 'Referral', spend: 0, leads: 40, customers: 8, revenue: 40_000 },
      { channel: 'Events', spend: 38_000, leads: 30, customers: 1, revenue: 5_000 },
    ],
    verdicts: { Webinars: 'double_down', Referral: 'double_down', Events: 'cut' },
    rates: { visit_to_lead: 0.02, lead_to_mql: null, mql_to_sql: 0.5, sql_to_customer: 0.5 },
    newCustomerRevenue: 105_000,
  });
  // No bottleneck without every lead-funnel rate. Referral: 40,000 / 4 at 105,000 / 40,000 = 2.625.
  assert.deepEqual(
    areas.map((a) => [a.id, a.unit, a.impact_per_unit, a.expected_revenue]),
    [
      ['channel-referral', 'effort', 2.625, 10_000],
      ['channel-webinars', 'budget', null, 15_000],
    ],
  );
  assert.match(areas[1]?.reason ?? '', /only 4 customers in 12 months .* too few to project/);
});

test('slugs for ids', () => {
  assert.equal(slug('Paid Search'), 'paid-search');
  assert.equal(slug('(none)'), 'none');
  assert.equal(slug('mql_to_sql'), 'mql-to-sql');
});
