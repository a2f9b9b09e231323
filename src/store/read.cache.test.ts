import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateBytes, ReadCache } from './read.cache.js';

test('a kept answer is served until its workspace is written to, then computed again', async () => {
  const c = new ReadCache();
  let runs = 0;
  const compute = async () => ({ n: ++runs });
  assert.deepEqual(await c.get('a', 'k', compute), { n: 1 });
  assert.deepEqual(await c.get('a', 'k', compute), { n: 1 });
  c.bump('b'); // another workspace's write changes nothing here
  assert.deepEqual(await c.get('a', 'k', compute), { n: 1 });
  c.bump('a');
  assert.deepEqual(await c.get('a', 'k', compute), { n: 2 });
  c.bumpAll();
  assert.deepEqual(await c.get('a', 'k', compute), { n: 3 });
  assert.deepEqual(c.stats, {
    hits: 2,
    misses: 3,
    stale: 0,
    refreshes: 0,
    failures: 0,
    evictions: 0,
    invalidations: 3,
  });
});

test('the same key in two workspaces is two answers', async () => {
  const c = new ReadCache();
  assert.equal(await c.get('a', 'k', async () => 'A'), 'A');
  assert.equal(await c.get('b', 'k', async () => 'B'), 'B');
  assert.equal(await c.get('a', 'k', async () => 'x'), 'A');
});

test('callers asking while it runs share one computation; a read that overlapped a write is not kept', async () => {
  const c = new ReadCache();
  let release: (v: number) => void = () => {};
  let runs = 0;
  const slow = () => {
    runs++;
    return new Promise<number>((r) => {
      release = r;
    });
  };
  const p1 = c.get('a', 'k', slow);
  const p2 = c.get('a', 'k', slow);
  assert.equal(runs, 1);
  c.bump('a'); // a write began while the read ran
  release(1);
  assert.equal(await p1, 1);
  assert.equal(await p2, 1);
  assert.equal(await c.get('a', 'k', async () => 2), 2);
  assert.equal(runs, 1);
});

test('a failed computation is not kept', async () => {
  const c = new ReadCache();
  await assert.rejects(
    c.get('a', 'k', async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await c.get('a', 'k', async () => 7), 7);
});

test('bounded in entries (least recently used out), per workspace and in bytes', async () => {
  const c = new ReadCache({ maxEntries: 3, maxEntriesPerWorkspace: 2, maxBytes: 4000 });
  for (const k of ['k1', 'k2']) await c.get('a', k, async () => k);
  await c.get('a', 'k1', async () => 'again'); // k1 used last
  await c.get('a', 'k3', async () => 'k3'); // a third of workspace a: k2 goes
  assert.equal(await c.get('a', 'k1', async () => 'new'), 'k1');
  assert.equal(await c.get('a', 'k2', async () => 'new'), 'new');
  await c.get('b', 'k1', async () => 'b1');
  await c.get('b', 'k2', async () => 'b2');
  assert.ok(c.size().entries <= 3);
  // An answer over a quarter of the bytes is returned, not kept.
  const big = 'x'.repeat(1000);
  assert.equal(await c.get('c', 'big', async () => big), big);
  await new Promise((r) => setImmediate(r));
  assert.equal(await c.get('c', 'big', async () => 'recomputed'), 'recomputed');
  assert.ok(c.size().bytes <= 4000);
});

test('a kept answer cannot be changed by a reader', async () => {
  const c = new ReadCache();
  const v = await c.get('a', 'k', async () => ({ rows: [{ v: 1 }] }));
  assert.throws(() => {
    (v.rows as Array<{ v: number }>).push({ v: 2 });
  }, TypeError);
  assert.throws(() => {
    (v.rows[0] as { v: number }).v = 3;
  }, TypeError);
});

test('estimateBytes counts numbers, strings, arrays, maps and objects', () => {
  assert.equal(estimateBytes(1), 8);
  assert.equal(estimateBytes('ab'), 20);
  assert.equal(estimateBytes([1, 2]), 32 + 2 * (8 + 8));
  assert.equal(estimateBytes({ a: [1, 2], b: 'xy' }), 32 + (8 + 2 + 64) + (8 + 2 + 20));
  assert.equal(estimateBytes(new Map([['k', 1]])), 32 + 16 + 18 + 8);
});
