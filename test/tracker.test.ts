import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSegmentMessage, type SegmentMessage } from '../src/ingest/segment.schema.js';
import { Tracker } from '../src/ingest/tracker.js';
import type { Store, WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const msg = (id: string, at = '2026-03-01T10:00:00Z'): SegmentMessage => {
  const r = parseSegmentMessage({
    type: 'track',
    event: 'E',
    anonymousId: 'v',
    messageId: id,
    timestamp: at,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.message;
};

test('concurrent requests are written in one group and each is answered with its own counts', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const tracker = new Tracker(store, { maxWaitMs: 20 });
  const [a, b, c] = await Promise.all([
    tracker.accept(w, [msg('m1'), msg('m2')]),
    tracker.accept(w, [msg('m2'), msg('m3')]), // m2 twice in one group: stored once
    tracker.accept(w, [msg('m1')]),
  ]);
  assert.deepEqual(
    [a, b, c],
    [
      { stored: 2, duplicates: 0 },
      { stored: 1, duplicates: 1 },
      { stored: 0, duplicates: 1 },
    ],
  );
  assert.equal((await store.forWorkspace(w).counts()).events, 3);
  await tracker.drain();
  await store.close();
});

test('the dedupe memory is bounded: the oldest ids go first', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const tracker = new Tracker(store, { maxWaitMs: 0, dedupeMaxIds: 10 });
  for (let i = 0; i < 12; i++) await tracker.accept(w, [msg(`id-${i}`)]);
  // Pruned to 9 when the 11th arrived, then id-11 added: id-0..id-1 are forgotten, id-11 is not.
  assert.deepEqual(await tracker.accept(w, [msg('id-11')]), { stored: 0, duplicates: 1 });
  assert.deepEqual(await tracker.accept(w, [msg('id-0')]), { stored: 1, duplicates: 0 });
  await tracker.drain();
  await store.close();
});

/** The store, with each tracking write held until `release` is called (or failed once with `failNext`). */
function gatedStore(store: Store) {
  const gates: Array<() => void> = [];
  let failNext = false;
  const gated: Store = Object.create(store);
  gated.forWorkspace = (w) => {
    const ws = store.forWorkspace(w);
    const wrapped: WorkspaceStore = Object.create(ws);
    wrapped.writeTracking = async (batch) => {
      await new Promise<void>((r) => gates.push(r));
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return ws.writeTracking(batch);
    };
    return wrapped;
  };
  return {
    store: gated,
    waiting: () => gates.length,
    release: () => gates.shift()?.(),
    failNext: () => {
      failNext = true;
    },
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(cond(), 'timed out');
};

const identify = (id: string, traits: Record<string, unknown>): SegmentMessage => {
  const r = parseSegmentMessage({ type: 'identify', userId: 'u1', anonymousId: 'a1', messageId: id, traits });
  if (!r.ok) throw new Error(r.reason);
  return r.message;
};

test('the next group is prepared while one is written, and sees its ids and contacts', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const g = gatedStore(store);
  const tracker = new Tracker(g.store, { maxWaitMs: 0, maxInFlight: 2 });
  const first = tracker.accept(w, [identify('i1', { email: 'ana@example.com', company: 'Acme' })]);
  await until(() => g.waiting() === 1);
  // Group 1 is not durable yet; group 2 is prepared against what group 1 will have written.
  const second = tracker.accept(w, [identify('i2', { title: 'CMO' }), identify('i1', { email: 'x@y.z' })]);
  await until(() => g.waiting() === 2);
  g.release();
  g.release();
  assert.deepEqual(await first, { stored: 1, duplicates: 0 });
  assert.deepEqual(await second, { stored: 1, duplicates: 1 });
  const c = await store.forWorkspace(w).getContact('u1');
  assert.equal(c?.email, 'ana@example.com');
  assert.equal(c?.company, 'Acme');
  assert.equal(c?.jobTitle, 'CMO');
  const leads = await store
    .forWorkspace(w)
    .query<{ n: number }>(`SELECT count(*) AS n FROM @contact_stage_history WHERE stage = 'lead'`);
  assert.equal(leads[0]?.n, 1, 'one lead date, not one per group');
  await tracker.drain();
  await store.close();
});

test('a failed write is answered with the error and forgotten, so the retry is stored', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const g = gatedStore(store);
  const tracker = new Tracker(g.store, { maxWaitMs: 0 });
  g.failNext();
  const failed = tracker.accept(w, [msg('m1')]);
  await until(() => g.waiting() === 1);
  g.release();
  await assert.rejects(failed, /disk full/);
  const retry = tracker.accept(w, [msg('m1')]);
  await until(() => g.waiting() === 1);
  g.release();
  assert.deepEqual(await retry, { stored: 1, duplicates: 0 });
  assert.equal((await store.forWorkspace(w).counts()).events, 1);
  await tracker.drain();
  // The retry joins the visit the failed attempt had opened, and is counted in it once.
  const visits = await store.forWorkspace(w).query<{ events: number }>('SELECT events FROM @sessions');
  assert.deepEqual(visits, [{ events: 1 }]);
  await store.close();
});

test('grown visits are rewritten a bounded number at a time, about once a second, and all on drain', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const tracker = new Tracker(store, { maxWaitMs: 0, sessionFlushMs: 0, sessionRewritesPerWrite: 2 });
  const page = (anon: string, id: string, at: string): SegmentMessage => {
    const r = parseSegmentMessage({ type: 'page', anonymousId: anon, messageId: id, timestamp: at });
    if (!r.ok) throw new Error(r.reason);
    return r.message;
  };
  const visitors = ['a', 'b', 'c', 'd', 'e'];
  await tracker.accept(
    w,
    visitors.map((v) => page(v, `${v}1`, '2026-03-01T10:00:00Z')),
  );
  await tracker.accept(
    w,
    visitors.map((v) => page(v, `${v}2`, '2026-03-01T10:01:00Z')),
  );
  const counts = async () =>
    (
      await store
        .forWorkspace(w)
        .query<{ events: number; n: number }>(
          'SELECT events, count(*) AS n FROM @sessions GROUP BY events ORDER BY events',
        )
    ).map((r) => [r.events, r.n]);
  // Five visits grew in the second group; two of them were rewritten with it.
  assert.deepEqual(await counts(), [
    [1, 3],
    [2, 2],
  ]);
  // Rewrites ride along at most once a second (sessionRewriteEveryMs): not with the very next group.
  await tracker.accept(w, [page('a', 'a3', '2026-03-01T10:02:00Z')]);
  assert.deepEqual(await counts(), [
    [1, 3],
    [2, 2],
  ]);
  await tracker.drain();
  assert.deepEqual(await counts(), [
    [2, 4],
    [3, 1],
  ]);
  await store.close();
});

test('a message that cannot be stored fails alone: its group-mates are stored once, their retries are duplicates', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  const tracker = new Tracker(store, { maxWaitMs: 30 });
  // A value JSON.stringify refuses stands for anything that throws while a row is built.
  // Without a messageId its fallback id is a hash of its JSON, which throws while the group is prepared.
  const poison = { ...msg('poison-1'), messageId: null, properties: { n: 1n } as Record<string, unknown> };
  const anon = (i: number): SegmentMessage => ({ ...msg(`x${i}`), messageId: null, anonymousId: `c${i}` });
  const clients = Array.from({ length: 20 }, (_, i) => [msg(`g${i}`), anon(i)]);
  const results = await Promise.allSettled([
    ...clients.slice(0, 10).map((m) => tracker.accept(w, m)),
    tracker.accept(w, [msg('before-poison'), poison]),
    ...clients.slice(10).map((m) => tracker.accept(w, m)),
  ]);
  assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
  assert.equal(results[10]?.status, 'rejected');
  const ws = store.forWorkspace(w);
  const ids = async () =>
    (await ws.query<{ id: string }>('SELECT message_id AS id FROM @events ORDER BY 1')).map((r) => r.id);
  assert.equal((await ids()).length, 40);
  // The poisoned request's good message was taken back with it: its retry (without the poison) is stored.
  assert.deepEqual(await tracker.accept(w, [msg('before-poison')]), { stored: 1, duplicates: 0 });
  // Every client retries as an SDK would after a timeout: the messages with ids are duplicates.
  for (const m of clients)
    assert.deepEqual(await tracker.accept(w, [m[0] as SegmentMessage]), { stored: 0, duplicates: 1 });
  const all = await ids();
  assert.equal(all.length, 41);
  assert.equal(new Set(all).size, 41, 'no event stored twice');
  await tracker.drain();
  await store.close();
});

test("a failure in the group's identity step fails only the request that causes it", async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  // The store answers every contact lookup but one: that lookup runs once for the whole group.
  const failing = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'forWorkspace') return Reflect.get(target, prop, receiver);
      return (ws: Parameters<typeof store.forWorkspace>[0]) =>
        new Proxy(target.forWorkspace(ws), {
          get(t, p, r) {
            const v = Reflect.get(t, p, r);
            if (p !== 'getContact' || typeof v !== 'function') return typeof v === 'function' ? v.bind(t) : v;
            return async (id: string) => {
              if (id === 'u-boom') throw new Error('lookup failed for u-boom');
              return v.call(t, id);
            };
          },
        });
    },
  });
  const tracker = new Tracker(failing, { maxWaitMs: 30 });
  const identify = (id: string, userId: string, traits: Record<string, unknown>): SegmentMessage => {
    const r = parseSegmentMessage({ type: 'identify', userId, messageId: id, traits });
    if (!r.ok) throw new Error(r.reason);
    return r.message;
  };
  const results = await Promise.allSettled([
    // An object as a company size used to throw while the group's contacts were built.
    tracker.accept(w, [
      msg('g1'),
      identify('i1', 'u-1', { email: 'one@x.test', company: { employee_count: { toString: 1 } } }),
    ]),
    tracker.accept(w, [identify('i-boom', 'u-boom', { email: 'boom@x.test' })]),
    tracker.accept(w, [msg('g2'), identify('i2', 'u-2', { email: 'two@x.test' })]),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  const ws = store.forWorkspace(w);
  const ids = (await ws.query<{ id: string }>('SELECT message_id AS id FROM @events ORDER BY 1')).map(
    (r) => r.id,
  );
  assert.deepEqual(ids, ['g1', 'g2', 'i1', 'i2']);
  assert.equal((await ws.getContact('u-1'))?.companySize ?? null, null, 'an object is no company size');
  assert.equal((await ws.getContact('u-2'))?.email, 'two@x.test');
  // The group-mates' retries are duplicates; the failed request was forgotten, so its retry is new.
  assert.deepEqual(await tracker.accept(w, [msg('g1')]), { stored: 0, duplicates: 1 });
  await assert.rejects(tracker.accept(w, [identify('i-boom', 'u-boom', { email: 'boom@x.test' })]), /u-boom/);
  await tracker.drain();
  await store.close();
});

test('a failing background rewrite of grown visits is logged with its context and counted, then its recovery', async () => {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 't' });
  let failing = true;
  const failingStore: Store = Object.create(store);
  failingStore.forWorkspace = (ws) => {
    const inner = store.forWorkspace(ws);
    const wrapped: WorkspaceStore = Object.create(inner);
    wrapped.upsertSessions = async (rows) => {
      if (failing) throw new Error('disk full');
      return inner.upsertSessions(rows);
    };
    return wrapped;
  };
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const log = {
    error: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: 'error', fields, message }),
    warn: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: 'warn', fields, message }),
    info: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: 'info', fields, message }),
  };
  const tracker = new Tracker(failingStore, {
    maxWaitMs: 0,
    sessionFlushMs: 30,
    sessionRewriteEveryMs: 30,
    log,
  });
  const kind = 'the background rewrite of grown visits';
  const page = (id: string, at: string) => {
    const r = parseSegmentMessage({ type: 'page', anonymousId: 'v', messageId: id, timestamp: at });
    if (!r.ok) throw new Error(r.reason);
    return r.message;
  };
  await tracker.accept(w, [page('p1', '2026-03-01T10:00:00Z')]);
  await tracker.accept(w, [page('p2', '2026-03-01T10:01:00Z')]); // the visit grew: rewritten by the timer
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ok());
  };
  await until(() => tracker.failures.count(kind) >= 3);
  // Counted each time, logged once while the streak lasts (a line a minute at most), with its context.
  const errors = lines.filter((l) => l.level === 'error');
  assert.equal(errors.length, 1);
  const first = errors[0];
  assert.ok(first);
  assert.equal(first.message, `${kind} failed`);
  assert.equal((first.fields.err as Error).message, 'disk full');
  assert.equal(first.fields.workspace, 't');
  assert.equal(first.fields.visitsWaiting, 1);
  assert.equal(first.fields.failures, 1);
  // The visit waits for the next try instead of being dropped: once the store works, it is rewritten.
  failing = false;
  await until(() => lines.some((l) => l.level === 'info'));
  const back = lines.find((l) => l.level === 'info');
  assert.equal(back?.message, `${kind} works again`);
  assert.ok(Number(back?.fields.inARow) >= 3);
  const visits = await store.forWorkspace(w).query<{ events: number }>('SELECT events FROM @sessions');
  assert.deepEqual(visits, [{ events: 2 }]);
  await tracker.drain();
  await store.close();
});
