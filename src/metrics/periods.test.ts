import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../core/time.js';
import { GRAINS, MAX_PERIODS, periodCount, periods } from './periods.js';

test('period counts by arithmetic, worked by hand', () => {
  assert.equal(periodCount('2026-01-15', '2026-03-02', 'month'), 3);
  // Mondays 2025-12-29 … 2026-12-28.
  assert.equal(periodCount('2026-01-01', '2026-12-31', 'week'), 53);
  assert.equal(periodCount('2026-02-01', '2026-02-01', 'day'), 1);
  assert.equal(periodCount('2026-03-31', '2026-04-01', 'quarter'), 2);
  assert.equal(periodCount('1970-01-01', '2199-12-31', 'year'), 230);
  assert.equal(periodCount('1970-01-01', '2199-12-31', 'total'), 1);
});

test('the count is the length of the list, for any range and grain', () => {
  const day = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays('1970-01-01', n));
  fc.assert(
    fc.property(day, fc.integer({ min: 0, max: 800 }), fc.constantFrom(...GRAINS), (from, len, grain) => {
      const to = addDays(from, len);
      assert.equal(periods(from, to, grain).length, periodCount(from, to, grain));
    }),
    { numRuns: 2000 },
  );
});

test('more than MAX_PERIODS periods are refused before any is made; labels stay four-digit years', () => {
  assert.throws(() => periods('1970-01-01', '2199-12-31', 'week'), /12,002 periods; at most 10,000/);
  assert.equal(MAX_PERIODS, 10_000);
  const last = periods('2190-01-01', '2199-12-31', 'quarter').at(-1);
  assert.equal(last, '2199-10-01');
});
