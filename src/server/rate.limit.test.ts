import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter, trackRateFromEnv } from './rate.limit.js';

test('a bucket grants its burst, then refills at the rate; the wait is in whole seconds', () => {
  let now = 0;
  const l = new RateLimiter({ rate: 10, burst: 20, now: () => now });
  assert.equal(l.take('k', 15), 0);
  assert.equal(l.take('k', 5), 0);
  assert.equal(l.take('k', 1), 1); // empty: 1 token needs 0.1 s, said as 1 s
  assert.equal(l.take('k', 15), 2); // 15 tokens at 10/s: 1.5 s → 2
  now = 1_500;
  assert.equal(l.take('k', 15), 0); // 15 refilled
  assert.equal(l.take('other', 20), 0, 'keys are apart');
  now = 100_000;
  assert.equal(l.take('k', 50), 0, 'a request over the burst passes from a full bucket');
  assert.equal(l.take('k', 1), 4, 'and leaves it in debt: 30 + 1 tokens at 10/s');
});

test('off, and the environment', () => {
  assert.equal(new RateLimiter({ rate: 0, burst: 0 }).take('k', 1e9), 0);
  assert.deepEqual(trackRateFromEnv({}), { rate: 50_000, burst: 100_000 });
  assert.deepEqual(trackRateFromEnv({ NORTHSTAR_TRACK_RATE: 'off' }), { rate: 0, burst: 0 });
  assert.throws(() => trackRateFromEnv({ NORTHSTAR_TRACK_RATE: 'fast' }), /messages per second/);
});
