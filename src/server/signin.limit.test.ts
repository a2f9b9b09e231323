import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttemptLimiter } from './signin.limit.js';

test('five failures in the window block the sixth attempt until the oldest leaves it', () => {
  let now = 1_000_000;
  const l = new AttemptLimiter({ max: 5, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 5; i++) {
    assert.equal(l.wait('a'), 0);
    l.fail('a');
    now += 1_000;
  }
  // Failures at 0, 1, 2, 3, 4 s; now 5 s: the first leaves the window at 60 s, 55 s from now.
  assert.equal(l.wait('a'), 55);
  assert.equal(l.wait('b'), 0, 'another account is not affected');
  now += 55_000;
  assert.equal(l.wait('a'), 0);
  l.reset('a');
  assert.equal(l.wait('a'), 0);
});

test('memory is bounded by maxKeys', () => {
  const l = new AttemptLimiter({ max: 1, windowMs: 60_000, maxKeys: 3 });
  for (const k of ['a', 'b', 'c', 'd']) l.fail(k);
  assert.equal(l.wait('a'), 0, 'the least recent was forgotten');
  assert.ok(l.wait('d') > 0);
});
