import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Workspace } from '../src/domain/workspace.js';
import { parseSegmentMessage, type SegmentMessage } from '../src/ingest/segment.schema.js';
import { Tracker } from '../src/ingest/tracker.js';
import { EVENT_COLUMNS } from '../src/store/duckdb/columns.js';
import { toColumns } from '../src/store/duckdb/db.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { encodeWrite, type JournaledWrite } from '../src/store/duckdb/journal.apply.js';
import { JournalWriter, journalDir, listSegments, readJournal } from '../src/store/duckdb/journal.js';
import type { ColumnarTrackingBatch } from '../src/store/duckdb/tracking.merge.js';
import type { DuckDbWorkspaceStore } from '../src/store/duckdb/workspace.store.js';
import { storeContract } from '../src/store/store.contract.js';
import type { Store, TrackingBatch } from '../src/store/store.js';
import { JournaledWrites } from '../src/store/worker/journaled.js';
import { WorkerStore } from '../src/store/worker/worker.store.js';
import { contact, tempStore } from './fixtures.js';

// The whole contract through the database thread with the journal on: what `serve` runs.
storeContract('duckdb in a worker thread, journaled', async () => {
  const { store: made, dbPath } = await tempStore();
  await made.close();
  const open = async () => {
    const s = await WorkerStore.open(dbPath, { journal: true });
    await s.migrate();
    return s;
  };
  return { store: await open(), reopen: open };
});

const m = (o: Record<string, unknown>): SegmentMessage => {
  const r = parseSegmentMessage(o);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
};

/** Groups of real traffic: visits that grow across groups, a UTM change mid-visit, identify, alias. */
function traffic(): SegmentMessage[][] {
  const at = (min: number) => new Date(Date.UTC(2027, 2, 1, 10, min)).toISOString();
  const groups: SegmentMessage[][] = [];
  let n = 0;
  for (let g = 0; g < 6; g++) {
    const list: SegmentMessage[] = [];
    for (let v = 0; v < 4; v++) {
      const utm = g === 3 && v === 1 ? '?utm_source=news&utm_medium=email' : '';
      list.push(
        m({
          type: 'page',
          anonymousId: `a${v}`,
          messageId: `m${n++}`,
          timestamp: at(g * 5 + v),
          context: {
            page: {
              url: `https://acme.test/p${g}${utm}`,
              referrer: v === 0 ? 'https://www.google.com/' : '',
            },
          },
        }),
      );
    }
    if (g === 2)
      list.push(
        m({
          type: 'identify',
          anonymousId: 'a2',
          userId: 'u2',
          messageId: `m${n++}`,
          timestamp: at(g * 5 + 4),
          traits: { email: 'Ann@Acme.test', firstName: 'Ann' },
        }),
      );
    if (g === 4) {
      list.push(
        m({ type: 'alias', userId: 'u2', previousId: 'a3', messageId: `m${n++}`, timestamp: at(g * 5 + 4) }),
      );
      list.push(
        m({
          type: 'identify',
          userId: 'u2',
          messageId: `m${n++}`,
          timestamp: at(g * 5 + 4),
          traits: { company: 'Acme', title: 'CMO' },
        }),
      );
    }
    groups.push(list);
  }
  return groups;
}

/** The tracker's writes, as it hands them to the store (and as the database thread journals them). */
async function recordedWrites(): Promise<{
  workspace: Workspace;
  batches: ColumnarTrackingBatch[];
  rows: TrackingBatch[];
}> {
  const { store } = await tempStore();
  const workspace = await store.createWorkspace({ slug: 'acme' });
  const batches: ColumnarTrackingBatch[] = [];
  const rows: TrackingBatch[] = [];
  const recording: Store = Object.create(store);
  recording.forWorkspace = (w) => {
    const ws = store.forWorkspace(w);
    const out = Object.create(ws);
    out.writeTracking = (b: TrackingBatch) => {
      batches.push({ ...b, events: toColumns(EVENT_COLUMNS, b.events) });
      rows.push(b);
      return ws.writeTracking(b);
    };
    return out;
  };
  const tracker = new Tracker(recording, { maxWaitMs: 0, sessionRewriteEveryMs: 0, sessionFlushMs: 0 });
  for (const [g, list] of traffic().entries())
    await tracker.accept(workspace, list, new Date(Date.UTC(2027, 2, 1, 10, g * 5 + 4, 30)));
  await tracker.drain();
  await store.close();
  return { workspace, batches, rows };
}

const TABLES = {
  events: 'message_id',
  sessions: 'session_id',
  identities: 'anonymous_id',
  contacts: 'id',
  contact_stage_history: 'contact_id, stage',
};
async function dump(store: DuckDbStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [t, key] of Object.entries(TABLES))
    out[t] = (await store.db.all(`SELECT * EXCLUDE (workspace_id) FROM ${t} ORDER BY ${key}`)).map((r) =>
      JSON.stringify(r),
    );
  return out;
}

async function storeWith(workspace: Workspace): Promise<{ store: DuckDbStore; dbPath: string }> {
  const { store, dbPath } = await tempStore();
  await store.db.run(
    `INSERT INTO workspaces VALUES ('${workspace.id}', 'acme', 'acme', 'UTC', 'USD', '{}', now()::TIMESTAMP)`,
  );
  return { store, dbPath };
}

test('a run of tracking writes applied in one transaction leaves the tables as writing them one by one', async () => {
  const { workspace, batches } = await recordedWrites();
  assert.ok(batches.length >= 6, `${batches.length} writes`);
  assert.ok(
    batches.some((b) => (b.grownSessions ?? []).length > 0),
    'some write grows a stored visit',
  );
  assert.ok(batches.some((b) => b.contacts.length > 0 && b.identities.length > 0));
  const one = (await storeWith(workspace)).store;
  for (const b of batches) await (one.forWorkspace(workspace) as DuckDbWorkspaceStore).writeTracking(b);
  const merged = (await storeWith(workspace)).store;
  const writes: JournaledWrite[] = batches.map((batch, i) => ({ seq: i + 1, workspace, batch }));
  await merged.journal?.apply(writes);
  const expected = await dump(one);
  assert.equal(expected.events?.length, 27);
  assert.ok((expected.contacts?.length ?? 0) >= 1);
  assert.deepEqual(await dump(merged), expected);
  assert.equal(await merged.journal?.appliedSeq(), batches.length);
  await one.close();
  await merged.close();
});

test('opening the database replays what was journaled and not applied, exactly once', async () => {
  const { workspace, batches } = await recordedWrites();
  const { store, dbPath } = await storeWith(workspace);
  const expected = await (async () => {
    const ref = (await storeWith(workspace)).store;
    for (const b of batches) await (ref.forWorkspace(workspace) as DuckDbWorkspaceStore).writeTracking(b);
    const d = await dump(ref);
    await ref.close();
    return d;
  })();
  // The first two writes made it into the tables before the "crash"; all are still in the journal.
  await store.journal?.apply(batches.slice(0, 2).map((batch, i) => ({ seq: i + 1, workspace, batch })));
  await store.close();
  const j = JournalWriter.open(journalDir(dbPath), 1, 4096);
  await Promise.all(batches.map((b) => j.append(encodeWrite(workspace, b)).synced));
  assert.ok(listSegments(journalDir(dbPath)).length > 1, 'several segments');

  const reopened = await DuckDbStore.open(dbPath);
  const { replayed } = await reopened.migrate();
  assert.deepEqual(replayed, {
    writes: batches.length - 2,
    events: batches.slice(2).reduce((n, b) => n + b.events.count, 0),
  });
  assert.deepEqual(await dump(reopened), expected);
  assert.deepEqual(listSegments(journalDir(dbPath)), [], 'the journal is emptied once applied');
  assert.equal((await reopened.migrate()).replayed, undefined, 'nothing to replay the second time');
  await reopened.close();
});

test('a write the tables refuse is quarantined and logged; the writes around it are applied', async () => {
  const { workspace, batches } = await recordedWrites();
  const log: string[] = [];
  const { store: made, dbPath } = await storeWith(workspace);
  await made.close();
  const store = await DuckDbStore.open(dbPath, {}, (msg) => log.push(msg));
  const first = batches[0] as ColumnarTrackingBatch;
  const bad: ColumnarTrackingBatch = { ...first, events: { count: 1, values: [['only one column']] } };
  await store.journal?.apply([
    { seq: 1, workspace, batch: first },
    { seq: 2, workspace, batch: bad },
    { seq: 3, workspace, batch: batches[1] as ColumnarTrackingBatch },
  ]);
  assert.equal(await store.journal?.appliedSeq(), 3);
  const [{ n }] = (await store.db.all('SELECT count(*) AS n FROM events')) as [{ n: number }];
  assert.equal(n, first.events.count + (batches[1]?.events.count ?? 0));
  assert.equal(log.length, 1);
  assert.match(
    log[0] ?? '',
    /tracking write 2 \(1 events, workspace acme\) could not be stored and was kept in .*quarantine\/2\.rec: events: 1 columns given/,
  );
  await store.close();
});

test('a journaled write is on disk when acknowledged, and reads wait for it to be applied', async () => {
  const { workspace, batches } = await recordedWrites();
  const { store, dbPath } = await storeWith(workspace);
  const q = await JournaledWrites.start(store, { maxBacklogEvents: 5 });
  const acks = batches.map((b) => q.track(workspace, b, encodeWrite(workspace, b)));
  await acks[0];
  assert.ok(
    readJournal(journalDir(dbPath)).some((r) => r.seq === 1),
    'write 1 is in the journal when acknowledged',
  );
  // A read issued now sees every write that arrived before it, applied or not yet.
  const ws = store.forWorkspace(workspace);
  const n = (await q.read(() => ws.query<{ n: number }>('SELECT count(*) AS n FROM @events')))[0]?.n;
  assert.equal(n, 27);
  await Promise.all(acks);
  // An identify's contact is visible while pending, and after.
  assert.equal(
    q.pendingContact(workspace.id, (c) => c.id === 'u2'),
    undefined,
    'all applied by now',
  );
  assert.equal((await ws.getContact('u2'))?.email, 'ann@acme.test');
  // Other writes run after the tracking writes queued before them.
  const later = q.write(() => ws.clearData());
  const after = q.track(
    workspace,
    batches[0] as ColumnarTrackingBatch,
    encodeWrite(workspace, batches[0] as ColumnarTrackingBatch),
  );
  await Promise.all([later, after]);
  await q.settled();
  const e = (await ws.query<{ e: number }>('SELECT count(*) AS e FROM @events'))[0]?.e;
  assert.equal(e, batches[0]?.events.count, 'cleared, then the later write');
  await q.close();
  assert.deepEqual(listSegments(journalDir(dbPath)), [], 'closed with everything applied: no journal left');
  await store.close();
});

test('through the database thread, what was acknowledged is what every later call sees', async () => {
  const { workspace, rows } = await recordedWrites();
  const { store: made, dbPath } = await storeWith(workspace);
  await made.close();
  const store = await WorkerStore.open(dbPath, { journal: true });
  await store.migrate();
  const ws = store.forWorkspace((await store.getWorkspace('acme')) as Workspace);
  // All writes in flight at once, then each kind of read right after the acknowledgements.
  await Promise.all(rows.map((b) => ws.writeTracking(b)));
  const [contact, byEmail, counts] = await Promise.all([
    ws.getContact('u2'),
    ws.findContactByEmail('ANN@acme.test'),
    ws.counts(),
  ]);
  assert.equal(contact?.company, 'Acme', 'the later identify is the version seen');
  assert.equal(byEmail?.id, 'u2');
  assert.equal(counts.events, 27);
  // A write after them (clearing the data) runs after them, and the journal is gone after close.
  await ws.clearData();
  assert.equal((await ws.counts()).events, 0);
  await ws.writeTracking(rows[0] as TrackingBatch);
  await store.close();
  assert.deepEqual(listSegments(journalDir(dbPath)), []);
  const reopened = await DuckDbStore.open(dbPath);
  await reopened.migrate();
  const n = (await reopened.db.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0]?.n;
  assert.equal(n, rows[0]?.events.length);
  await reopened.close();
});

test('a retry after a partial failure applies nothing twice, and a write is quarantined only once it is kept', async () => {
  const { workspace, batches } = await recordedWrites();
  const { store, dbPath } = await storeWith(workspace);
  const [one, two] = batches as [ColumnarTrackingBatch, ColumnarTrackingBatch];
  const bad: ColumnarTrackingBatch = { ...one, events: { count: 1, values: [['only one column']] } };
  const run: JournaledWrite[] = [
    { seq: 1, workspace, batch: one },
    { seq: 2, workspace, batch: bad },
    { seq: 3, workspace, batch: two },
  ];
  const events = async () =>
    (await store.db.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0]?.n ?? 0;
  // The quarantine folder cannot be made (a file is in the way, as a full disk would refuse it).
  const { mkdirSync, writeFileSync, rmSync, existsSync } = await import('node:fs');
  mkdirSync(journalDir(dbPath), { recursive: true });
  writeFileSync(`${journalDir(dbPath)}/quarantine`, 'in the way');
  await assert.rejects(store.journal?.apply(run) as Promise<void>, /EEXIST|ENOTDIR/);
  await assert.rejects(store.journal?.apply(run) as Promise<void>, /EEXIST|ENOTDIR/);
  assert.equal(await events(), one.events.count, 'the first write once, however often the run is retried');
  assert.equal(
    await store.journal?.appliedSeq(),
    1,
    'the refused write is not marked applied before it is kept',
  );
  rmSync(`${journalDir(dbPath)}/quarantine`);
  await store.journal?.apply(run);
  assert.equal(await events(), one.events.count + two.events.count);
  assert.equal(await store.journal?.appliedSeq(), 3);
  assert.ok(existsSync(`${journalDir(dbPath)}/quarantine/2.rec`));
  // Applying the same run again changes nothing.
  await store.journal?.apply(run);
  assert.equal(await events(), one.events.count + two.events.count);
  await store.close();
});

test('two opens replaying at once apply the journal once', async () => {
  const { workspace, batches } = await recordedWrites();
  const { store: made, dbPath } = await storeWith(workspace);
  await made.close();
  const j = JournalWriter.open(journalDir(dbPath), 1);
  await Promise.all(batches.map((b) => j.append(encodeWrite(workspace, b)).synced));
  const store = await DuckDbStore.open(dbPath);
  await Promise.all([store.migrate(), store.migrate(), store.journal?.replay()]);
  const n = (await store.db.all<{ n: number }>('SELECT count(*) AS n FROM events'))[0]?.n;
  assert.equal(n, 27);
  await store.close();
});

test("the database thread's background failures reach the main thread's log, with their context", async () => {
  const { store: made, dbPath } = await tempStore();
  await made.close();
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    lines.push({ level, fields, message });
  const log = { error: at('error'), warn: at('warn'), info: at('info') };
  const store = await WorkerStore.open(dbPath, { journal: true }, undefined, log);
  await store.migrate();
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme' }));
  // Acknowledged once journaled; the tables then refuse it (no contact id), so it is quarantined.
  const none = { events: [], sessions: [], identities: [], stageChanges: [] };
  await ws.writeTracking({ ...none, contacts: [contact(null as unknown as string)] });
  for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.level, 'error');
  assert.equal(lines[0]?.fields.database, dbPath);
  assert.match(lines[0]?.message ?? '', /tracking write 1 \(0 events, workspace acme\) could not be stored/);
  await store.close();
});
