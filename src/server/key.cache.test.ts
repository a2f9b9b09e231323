import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyCache } from './key.cache.js';

function counting() {
  const asked: string[] = [];
  const known = new Map([['ns_w_good', 'ws-1']]);
  const lookup = async (k: string) => {
    asked.push(k);
    return known.get(k) ?? null;
  };
  return { asked, lookup };
}

test('an implausible key is never looked up nor kept', async () => {
  const { asked, lookup } = counting();
  const cache = new KeyCache(lookup);
  for (const k of ['x'.repeat(65), 'x'.repeat(900_000), 'ns w', 'ns_w_ü', '', null])
    assert.equal(await cache.get(k), null);
  assert.deepEqual(asked, []);
  assert.equal(cache.size, 0);
});

test('a known key is looked up once per TTL; an unknown one is kept only briefly', async () => {
  let now = 0;
  const { asked, lookup } = counting();
  const cache = new KeyCache(lookup, { knownTtlMs: 60_000, unknownTtlMs: 2_000, now: () => now });
  assert.equal(await cache.get('ns_w_good'), 'ws-1');
  assert.equal(await cache.get('ns_w_good'), 'ws-1');
  assert.equal(await cache.get('ns_w_nope'), null);
  assert.equal(await cache.get('ns_w_nope'), null);
  assert.deepEqual(asked, ['ns_w_good', 'ns_w_nope']);
  now = 2_001;
  await cache.get('ns_w_nope');
  await cache.get('ns_w_good');
  assert.deepEqual(asked, ['ns_w_good', 'ns_w_nope', 'ns_w_nope']);
  now = 60_001;
  await cache.get('ns_w_good');
  assert.equal(asked.length, 4);
});

test('at most maxEntries keys are kept, the least recently used leaving first', async () => {
  const { asked, lookup } = counting();
  const cache = new KeyCache(lookup, { maxEntries: 3 });
  for (const k of ['ns_a', 'ns_b', 'ns_c']) await cache.get(k);
  await cache.get('ns_a'); // a is now the most recently used
  await cache.get('ns_d'); // b leaves
  assert.equal(cache.size, 3);
  asked.length = 0;
  await cache.get('ns_a');
  await cache.get('ns_c');
  await cache.get('ns_b');
  assert.deepEqual(asked, ['ns_b']);
  for (let i = 0; i < 10_000; i++) await cache.get(`ns_x${i}`);
  assert.equal(cache.size, 3);
});
