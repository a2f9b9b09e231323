import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSegmentMessage, type SegmentMessage } from '../src/ingest/segment.schema.js';
import { Tracker } from '../src/ingest/tracker.js';
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
