import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLookback, nearestRank, salesCycleLookback } from './workspace.lookback.js';

test('nearest-rank percentile: the smallest value with at least p % at or below it', () => {
  assert.equal(nearestRank([], 90), null);
  assert.equal(nearestRank([7], 90), 7);
  assert.equal(nearestRank([5, 1, 3, 2, 4], 90), 5); // rank ceil(4.5) = 5
  // 10 values: rank ceil(9) = 9, so the largest is left out.
  assert.equal(nearestRank([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000], 90), 90);
  // 11 values: rank ceil(9.9) = 10.
  assert.equal(nearestRank([110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 90), 100);
  assert.equal(nearestRank([3, 1, 2], 50), 2); // rank ceil(1.5) = 2
});

test('the sales-cycle look-back: 90th percentile rounded up to days, at least 90, at most 3650', () => {
  // 20 deals: 1..19 days and one at 400; rank ceil(18) = 18 → 18 days → the minimum, 90.
  const short = [...Array.from({ length: 19 }, (_, i) => i + 1), 400];
  assert.deepEqual(salesCycleLookback(short), {
    days: 90,
    basis: 'sales_cycle',
    sales_cycle: { percentile: 90, days: 18, conversions: 20 },
  });
  // 10 deals of 100.2 … 190.2 days (steps of 10): rank 9 → 180.2 → 181 days.
  const long = Array.from({ length: 10 }, (_, i) => 100.2 + 10 * i);
  const l = salesCycleLookback(long);
  assert.equal(l.days, 181);
  assert.equal(l.sales_cycle?.days, 180.2);
  assert.equal(salesCycleLookback([5000, 6000]).days, 3650);
  assert.deepEqual(salesCycleLookback([]), {
    days: 90,
    basis: 'sales_cycle',
    sales_cycle: { percentile: 90, days: null, conversions: 0 },
  });
});

test('the look-back is said in words', () => {
  assert.equal(
    describeLookback({ days: 60, basis: 'given', sales_cycle: null }, 'deal_won'),
    'look-back 60 days (--lookback)',
  );
  assert.equal(
    describeLookback(salesCycleLookback(Array.from({ length: 10 }, (_, i) => 100.2 + 10 * i)), 'deal_won'),
    'look-back 181 days = the sales cycle: 90 % of won deals came within 180.2 days of their first touch (over 10 won deals with a touch; at least 90 days)',
  );
  assert.match(describeLookback(salesCycleLookback([3]), 'lead'), /90 % of leads came within 3 days/);
  assert.equal(
    describeLookback(salesCycleLookback([]), 'deal_won'),
    'look-back 90 days (the minimum; no touch to measure the sales cycle on)',
  );
});

test('a look-back held at the minimum or the maximum says so', () => {
  assert.equal(
    describeLookback(salesCycleLookback([14.83]), 'lead'),
    'look-back 90 days, the minimum: 90 % of leads came within 14.83 days of their first touch (over 1 leads with a touch)',
  );
  assert.equal(
    describeLookback(salesCycleLookback([4000]), 'deal_won'),
    'look-back 3650 days, the maximum: 90 % of won deals came within 4000 days of their first touch (over 1 won deals with a touch)',
  );
});
