/**
 * Live tracking and `import events` resolve identity through one resolver (src/ingest/identity.ts):
 * the same messages give the same contacts, identity links and lead stage changes on both paths.
 * These cases are where the two paths used to differ.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile, runImport } from '../src/ingest/import/index.js';
import { parseSegmentMessage, type SegmentMessage } from '../src/ingest/segment.schema.js';
import { Tracker } from '../src/ingest/tracker.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'ns-identity-paths-'));

type Raw = Record<string, unknown>;

async function rows(on: WorkspaceStore, sql: string): Promise<Record<string, unknown>[]> {
  return (await on.query(sql)).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
  );
}

/** What identity resolution left in the workspace. */
async function people(ws: WorkspaceStore) {
  return {
    contacts: await rows(
      ws,
      'SELECT id, email, first_name, lifecycle_stage, created_at, lead_at FROM @contacts ORDER BY id',
    ),
    identities: await rows(
      ws,
      'SELECT anonymous_id, user_id, first_seen, via FROM @identities ORDER BY anonymous_id',
    ),
    history: await rows(
      ws,
      'SELECT contact_id, stage, changed_at, reason FROM @contact_stage_history ORDER BY changed_at',
    ),
  };
}

/** Each batch through the tracker, one request per batch. */
async function tracked(batches: Raw[][]) {
  const { store } = await tempStore();
  const w = await store.createWorkspace({ slug: 'live', timezone: 'UTC' });
  const tracker = new Tracker(store, { maxWaitMs: 0 });
  for (const batch of batches) {
    const messages: SegmentMessage[] = batch.map((raw) => {
      const r = parseSegmentMessage(raw);
      if (!r.ok) throw new Error(r.reason);
      return r.message;
    });
    await tracker.accept(w, messages);
  }
  await tracker.drain();
  const out = await people(store.forWorkspace(w));
  await store.close();
  return out;
}

/** Each batch as its own NDJSON file through `import events`. */
async function imported(batches: Raw[][], name: string) {
  const { store } = await tempStore();
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'imported', timezone: 'UTC' }));
  for (const [i, batch] of batches.entries()) {
    const path = join(tmp, `${name}-${i}.ndjson`);
    writeFileSync(path, `${batch.map((m) => JSON.stringify(m)).join('\n')}\n`);
    const r = await runImport(ws, { kind: 'events', file: await importFile(path) });
    assert.equal(r.committed, true, JSON.stringify(r.issues));
  }
  const out = await people(ws);
  await store.close();
  return out;
}

/** The two results, with the history reason (`identify` vs `import:<file>`) set aside. */
function withoutReasons(p: Awaited<ReturnType<typeof people>>) {
  return { ...p, history: p.history.map(({ reason: _, ...h }) => h) };
}

const identify = (id: string, at: string, over: Raw): Raw => ({
  type: 'identify',
  messageId: id,
  timestamp: at,
  context: { page: { url: 'https://acme.com/', path: '/' } },
  ...over,
});

test('an e-mail-only identify joins the contact given that e-mail earlier in the same batch', async () => {
  const batch = [
    { type: 'page', messageId: 'p1', anonymousId: 'a1', timestamp: '2026-03-01T10:00:00Z' },
    identify('i1', '2026-03-01T10:05:00Z', {
      userId: 'u1',
      anonymousId: 'a1',
      traits: { email: 'Ana@Acme.io' },
    }),
    // A second device, not logged in, gives the same e-mail in a form.
    identify('i2', '2026-03-01T10:20:00Z', {
      anonymousId: 'a2',
      traits: { email: ' ana@acme.io ', name: 'Ana B' },
    }),
  ];
  const live = await tracked([batch]);
  const file = await imported([batch], 'same-batch');
  const expected = {
    contacts: [
      {
        id: 'u1',
        email: 'ana@acme.io',
        first_name: 'Ana',
        lifecycle_stage: 'lead',
        created_at: '2026-03-01T10:05:00.000Z',
        lead_at: '2026-03-01T10:05:00.000Z',
      },
    ],
    identities: [
      { anonymous_id: 'a1', user_id: 'u1', first_seen: '2026-03-01T10:05:00.000Z', via: 'identify' },
      { anonymous_id: 'a2', user_id: 'u1', first_seen: '2026-03-01T10:20:00.000Z', via: 'identify' },
    ],
    history: [{ contact_id: 'u1', stage: 'lead', changed_at: '2026-03-01T10:05:00.000Z' }],
  };
  assert.deepEqual(withoutReasons(live), expected);
  assert.deepEqual(withoutReasons(file), expected);
  assert.deepEqual(
    [live.history[0]?.reason, file.history[0]?.reason],
    ['identify', 'import:same-batch-0.ndjson'],
  );
});

test('an earlier identify arriving later moves the lead date, and the history records the date kept', async () => {
  const late = identify('i1', '2026-03-01T10:30:00Z', {
    userId: 'u1',
    anonymousId: 'a1',
    traits: { email: 'ben@orbit.io' },
  });
  const early = identify('i2', '2026-03-01T10:10:00Z', {
    userId: 'u1',
    anonymousId: 'a1',
    traits: { email: 'ben@orbit.io' },
  });
  const contact = {
    id: 'u1',
    email: 'ben@orbit.io',
    first_name: null,
    lifecycle_stage: 'lead',
    created_at: '2026-03-01T10:10:00.000Z',
    lead_at: '2026-03-01T10:10:00.000Z',
  };
  const link = { anonymous_id: 'a1', user_id: 'u1', first_seen: '2026-03-01T10:10:00.000Z', via: 'identify' };
  // In one batch: one lead row, at the lead date the contact keeps.
  const oneBatch = {
    contacts: [contact],
    identities: [link],
    history: [{ contact_id: 'u1', stage: 'lead', changed_at: '2026-03-01T10:10:00.000Z' }],
  };
  assert.deepEqual(withoutReasons(await tracked([[late, early]])), oneBatch);
  assert.deepEqual(withoutReasons(await imported([[late, early]], 'one')), oneBatch);
  // In two batches: the first batch's date, then the earlier one the contact keeps (the link stays
  // the first one stored).
  const twoBatches = {
    contacts: [contact],
    identities: [{ ...link, first_seen: '2026-03-01T10:30:00.000Z' }],
    history: [
      { contact_id: 'u1', stage: 'lead', changed_at: '2026-03-01T10:10:00.000Z' },
      { contact_id: 'u1', stage: 'lead', changed_at: '2026-03-01T10:30:00.000Z' },
    ],
  };
  assert.deepEqual(withoutReasons(await tracked([[late], [early]])), twoBatches);
  assert.deepEqual(withoutReasons(await imported([[late], [early]], 'two')), twoBatches);
});

test('an identify whose e-mail is the id of a stored contact updates it rather than replacing it', async () => {
  const first = [
    identify('i1', '2026-03-01T10:00:00Z', { userId: 'cleo@kite.io', traits: { name: 'Cleo Park' } }),
  ];
  const second = [
    identify('i2', '2026-03-02T10:00:00Z', { anonymousId: 'a9', traits: { email: 'cleo@kite.io' } }),
  ];
  const expected = {
    contacts: [
      {
        id: 'cleo@kite.io',
        email: 'cleo@kite.io',
        first_name: 'Cleo',
        lifecycle_stage: 'lead',
        created_at: '2026-03-01T10:00:00.000Z',
        lead_at: '2026-03-02T10:00:00.000Z',
      },
    ],
    identities: [
      {
        anonymous_id: 'a9',
        user_id: 'cleo@kite.io',
        first_seen: '2026-03-02T10:00:00.000Z',
        via: 'identify',
      },
    ],
    history: [{ contact_id: 'cleo@kite.io', stage: 'lead', changed_at: '2026-03-02T10:00:00.000Z' }],
  };
  assert.deepEqual(withoutReasons(await tracked([first, second])), expected);
  assert.deepEqual(withoutReasons(await imported([first, second], 'by-id')), expected);
});
