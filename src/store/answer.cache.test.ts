import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadCache, readFresh } from './answer.cache.js';

/** A computation the test finishes by hand, counting its runs. */
function gate<T>() {
  const pending: Array<(v: T) => void> = [];
  const failing: Array<(e: Error) => void> = [];
  let runs = 0;
  return {
    compute: () => {
      runs++;
      return new Promise<T>((resolve, reject) => {
        pending.push(resolve);
        failing.push(reject);
      });
    },
    finish(v: T) {
      failing.shift();
      pending.shift()?.(v);
    },
    fail(e: Error) {
      pending.shift();
      failing.shift()?.(e);
    },
    get runs() {
      return runs;
    },
    get waiting() {
      return pending.length;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));
const quiet = { hotMs: 0 };

test('after arriving data a stale-accepting read gets the last answer at once, with when it was computed', async () => {
  let now = 1000;
  const c = new ReadCache({ ...quiet, now: () => now });
  const g = gate<number>();
  const first = c.read('a', 'k', g.compute, { stale: true });
  g.finish(1);
  assert.deepEqual(await first, { value: 1, computedAt: 1000, stale: false });
  now = 2000;
  c.touch('a');
  assert.deepEqual(await c.read('a', 'k', g.compute, { stale: true }), {
    value: 1,
    computedAt: 1000,
    stale: true,
  });
  assert.equal(g.runs, 2, 'one refresh started');
  g.finish(2);
  await tick();
  assert.deepEqual(await c.read('a', 'k', g.compute, { stale: true }), {
    value: 2,
    computedAt: 2000,
    stale: false,
  });
  assert.equal(g.runs, 2);
  assert.equal(c.stats.stale, 1);
  assert.equal(c.stats.refreshes, 1);
});

test('single flight: many stale reads while a refresh runs start no other computation', async () => {
  const c = new ReadCache(quiet);
  const g = gate<string>();
  const p = c.get('a', 'k', g.compute);
  g.finish('old');
  await p;
  c.touch('a');
  const reads = await Promise.all(
    Array.from({ length: 20 }, () => c.read('a', 'k', g.compute, { stale: true })),
  );
  assert.ok(reads.every((r) => r.value === 'old' && r.stale));
  assert.equal(g.runs, 2);
  assert.equal(c.size().refreshing, 1);
  g.finish('new');
  await tick();
  assert.equal(c.size().refreshing, 0);
  assert.equal(await c.get('a', 'k', g.compute), 'new');
  assert.equal(g.runs, 2);
});

test('data arriving during a refresh: its answer is kept but still stale, and the next read refreshes again', async () => {
  const c = new ReadCache(quiet);
  const g = gate<number>();
  const p = c.get('a', 'k', g.compute);
  g.finish(1);
  await p;
  c.touch('a');
  assert.equal((await c.read('a', 'k', g.compute, { stale: true })).value, 1);
  c.touch('a'); // more events while the refresh runs
  assert.equal((await c.read('a', 'k', g.compute, { stale: true })).value, 1);
  assert.equal(g.runs, 2, 'no second refresh while the first runs');
  g.finish(2);
  await tick();
  const r = await c.read('a', 'k', g.compute, { stale: true });
  assert.deepEqual([r.value, r.stale], [2, true], 'kept, but from before the last arrival');
  assert.equal(g.runs, 3, 'and refreshed again');
  g.finish(3);
  await tick();
  assert.deepEqual(await c.read('a', 'k', g.compute, { stale: true }).then((x) => [x.value, x.stale]), [
    3,
    false,
  ]);
});

test('a write (not arriving data) during a refresh: its answer is dropped and nobody is served stale', async () => {
  const c = new ReadCache(quiet);
  const g = gate<number>();
  const p = c.get('a', 'k', g.compute);
  g.finish(1);
  await p;
  c.touch('a');
  assert.equal((await c.read('a', 'k', g.compute, { stale: true })).value, 1);
  c.bump('a'); // a plan applied while the refresh ran
  g.finish(2);
  await tick();
  const next = c.read('a', 'k', g.compute, { stale: true });
  assert.equal(g.runs, 3, 'the refresh that overlapped the write was not kept: computed again');
  g.finish(3);
  assert.deepEqual(await next.then((x) => [x.value, x.stale]), [3, false]);
});

test('reads that do not accept stale answers wait for a fresh one: by default, in readFresh and inside a computation', async () => {
  const c = new ReadCache(quiet);
  let n = 0;
  const compute = async () => ++n;
  await c.get('a', 'k', compute);
  c.touch('a');
  assert.equal(await c.get('a', 'k', compute), 2);
  c.touch('a');
  assert.deepEqual(
    await readFresh(() => c.read('a', 'k', compute, { stale: true })).then((r) => [r.value, r.stale]),
    [3, false],
  );
  c.touch('a');
  // An outer answer computed from a stale inner one would be kept as fresh: inner reads wait.
  const outer = await c.read('a', 'outer', () => c.read('a', 'k', compute, { stale: true }), { stale: true });
  assert.deepEqual([outer.value.value, outer.value.stale], [4, false]);
});

test('a stale answer older than maxStaleMs is not served', async () => {
  let now = 0;
  const c = new ReadCache({ ...quiet, maxStaleMs: 60_000, now: () => now });
  let n = 0;
  const compute = async () => ++n;
  await c.get('a', 'k', compute);
  c.touch('a');
  now = 60_000;
  assert.equal((await c.read('a', 'k', compute, { stale: true })).value, 1);
  await tick();
  c.touch('a');
  now = 60_000 + 60_001; // the refresh began at 60,000
  const r = await c.read('a', 'k', compute, { stale: true });
  assert.deepEqual([r.value, r.stale, r.computedAt], [3, false, 120_001]);
});

test('background refreshes run one at a time across keys, and a failed one leaves the stale answer served', async () => {
  const c = new ReadCache(quiet);
  const g = gate<string>();
  for (const k of ['k1', 'k2', 'k3']) {
    const p = c.get('a', k, g.compute);
    g.finish(k);
    await p;
  }
  c.touch('a');
  for (const k of ['k1', 'k2', 'k3'])
    assert.equal((await c.read('a', k, g.compute, { stale: true })).value, k);
  assert.equal(g.waiting, 1, 'one refresh runs, two wait');
  assert.equal(c.size().refreshing, 3);
  g.fail(new Error('database busy'));
  await tick();
  assert.equal(g.waiting, 1, 'the next one started');
  g.finish('k2 new');
  await tick();
  g.finish('k3 new');
  await tick();
  assert.equal(c.stats.failures, 1);
  assert.deepEqual(await c.read('a', 'k1', g.compute, { stale: true }).then((r) => [r.value, r.stale]), [
    'k1',
    true,
  ]);
  assert.equal((await c.read('a', 'k2', g.compute, { stale: true })).value, 'k2 new');
});

test('answers read lately are refreshed unasked after data arrives, at most once per interval; others are not', async () => {
  const c = new ReadCache({ hotMs: 60_000, refreshDelayMs: 5, refreshEveryMs: 0 });
  let hot = 0;
  let cold = 0;
  await c.read('a', 'hot', async () => ++hot, { stale: true });
  await c.get('a', 'cold', async () => ++cold); // no reader accepted it stale: nobody to refresh it for
  c.touch('a');
  c.touch('a');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(hot, 2, 'refreshed once for the burst');
  assert.equal(cold, 1);
  const r = await c.read('a', 'hot', async () => ++hot, { stale: true });
  assert.deepEqual([r.value, r.stale], [2, false]);

  const slow = new ReadCache({ hotMs: 60_000, refreshDelayMs: 5, refreshEveryMs: 60_000 });
  let n = 0;
  await slow.read('a', 'k', async () => ++n, { stale: true });
  slow.touch('a');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(n, 1, 'computed less than refreshEveryMs ago: left for a reader to refresh');
});

test('bounded in entries and bytes also with stale answers and refreshes', async () => {
  const c = new ReadCache({ ...quiet, maxEntries: 3, maxEntriesPerWorkspace: 3, maxBytes: 10_000 });
  for (let i = 0; i < 10; i++) await c.read('a', `k${i}`, async () => `v${i}`, { stale: true });
  assert.equal(c.size().entries, 3);
  c.touch('a');
  for (let i = 7; i < 10; i++) await c.read('a', `k${i}`, async () => `w${i}`, { stale: true });
  while (c.size().refreshing > 0) await tick();
  await tick();
  assert.equal(c.size().entries, 3);
  assert.equal(c.stats.evictions, 7);
  assert.equal(await c.get('a', 'k9', async () => 'x'), 'w9');
});

test('inside a computation, data arriving does not make it recompute what it computed since it began', async () => {
  const c = new ReadCache(quiet);
  let inner = 0;
  const part = async () => ++inner;
  await c.get('a', 'part', part); // computed before the outer one began
  c.touch('a');
  const outer = await c.get('a', 'outer', async () => {
    const first = await c.get('a', 'part', part); // older than the outer computation: recomputed
    c.touch('a'); // a tracking write while the outer computation runs
    const again = await c.get('a', 'part', part); // as new as the outer's start: reused
    return [first, again];
  });
  assert.deepEqual(outer, [2, 2]);
  assert.equal(inner, 2);
  // Outside any computation the same read is stale now: a default read computes it afresh.
  assert.equal(await c.get('a', 'part', part), 3);
});
