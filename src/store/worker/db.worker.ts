/**
 * The database thread: owns the DuckDB file and runs every Store call the main thread sends, so the
 * Appender, WAL flushes, commits and checkpoints never block the thread that answers HTTP requests.
 * Started by WorkerStore; not meant to be run directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Failures, type Log } from '../../core/log.js';
import type { ContactRow } from '../../domain/crm.js';
import type { Workspace } from '../../domain/workspace.js';
import type { AtomicScope } from '../duckdb/db.js';
import { DuckDbStore } from '../duckdb/duckdb.store.js';
import { decodeWrite } from '../duckdb/journal.apply.js';
import type { WorkspaceStore } from '../store.js';
import { JournaledWrites } from './journaled.js';
import {
  type Access,
  type AtomicMessage,
  type CallMessage,
  type LogMessage,
  type ReplyMessage,
  STORE_METHODS,
  serializeError,
  WORKSPACE_METHODS,
  type WorkerStoreOptions,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('db.worker.ts runs as a worker thread (see WorkerStore)');
const { path, options } = workerData as { path: string; options: WorkerStoreOptions };

/** The database thread's background failures go to the main thread's log (see WorkerStore.relay). */
const log: Log = {
  error: (fields, message) => post('error', fields, message),
  warn: (fields, message) => post('warn', fields, message),
  info: (fields, message) => post('info', fields, message),
};
function post(level: LogMessage['log']['level'], fields: Record<string, unknown>, message: string) {
  if (!port) return;
  const { err, ...rest } = fields;
  const wire = err === undefined ? rest : { ...rest, err: serializeError(err) };
  port.postMessage({ log: { level, message, fields: wire } } satisfies LogMessage);
}

let store: DuckDbStore;
try {
  store = await DuckDbStore.open(path, options, (message) => log.error({ database: path }, message));
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ ready: false, error: serializeError(e) });
  process.exit(0);
}

// A WorkspaceStore per workspace as last seen: its settings (zone, currency, rules) travel with each call.
const scoped = new Map<string, { key: string; ws: WorkspaceStore }>();
function forWorkspace(w: Workspace): WorkspaceStore {
  const key = `${w.timezone}|${w.currency}|${JSON.stringify(w.settings)}`;
  const hit = scoped.get(w.id);
  if (hit && hit.key === key) return hit.ws;
  const ws = store.forWorkspace(w);
  scoped.set(w.id, { key, ws });
  return ws;
}

function invoke(m: CallMessage): Promise<unknown> {
  try {
    const target = (m.workspace ? forWorkspace(m.workspace) : store) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const fn = target[m.method];
    if (typeof fn !== 'function') throw new Error(`no store method ${m.method}`);
    return Promise.resolve(fn.apply(target, m.args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** A method in neither table of the protocol is refused, never guessed at. */
function accessOf(m: CallMessage): Access | undefined {
  return m.workspace ? WORKSPACE_METHODS.get(m.method) : STORE_METHODS.get(m.method);
}
const refuse = (m: CallMessage) => Promise.reject(new Error(`no store method ${m.method}`));

// With the journal on, every call goes through its queue (see JournaledWrites), started on the first
// workspace write: by then the server has migrated, which replayed what an earlier run left.
const journalOpts = options.journal === true ? {} : options.journal || null;
let journaled: Promise<JournaledWrites> | null = null;
const queue = () => {
  if (!journaled) {
    journaled = JournaledWrites.start(store, { ...journalOpts, log });
    // A failed start (the database not migrated yet) is retried by the next call, not kept; the call
    // that started it fails with the reason.
    journaled.catch(() => {
      journaled = null;
    });
  }
  return journaled;
};

async function viaJournal(m: CallMessage): Promise<unknown> {
  // The hot path first: a tracking write is journaled, acknowledged once on disk.
  if (m.method === 'writeTracking' && m.workspace) {
    const payload = Buffer.from(m.args[0] as Uint8Array);
    const { batch } = decodeWrite({ seq: 0, payload });
    return (await queue()).track(m.workspace, batch, payload);
  }
  const access = accessOf(m);
  if (!access) return refuse(m);
  if (m.workspace === null) {
    // Store-wide reads touch no tracking data, and nothing store-wide waits for a journal not started.
    if (access === 'read' || !journaled) return invoke(m);
    const q = await queue();
    if (m.method !== 'close') return q.write(() => invoke(m));
    await q.close();
    return invoke(m);
  }
  if (access === 'write') return (await queue()).write(() => invoke(m));
  if (!journaled) return invoke(m);
  const q = await journaled;
  if (m.method === 'getContact') {
    const id = m.args[0] as string;
    return q.pendingContact(m.workspace.id, (c) => c.id === id) ?? invoke(m);
  }
  if (m.method === 'findContactByEmail') {
    // Exact only if no pending write has that address or changes the contact the tables return.
    const wsId = m.workspace.id;
    const email = String(m.args[0]).toLowerCase();
    if (!q.pendingContact(wsId, (c) => c.email?.toLowerCase() === email)) {
      const found = (await invoke(m)) as ContactRow | null;
      if (!found || !q.pendingContact(wsId, (c) => c.id === found.id)) return found;
    }
    return q.read(() => invoke(m));
  }
  return q.read(() => invoke(m));
}

/**
 * Atomic scopes the server's thread opened (an import's write pass). Their calls run in the scope's
 * transaction, past the journal's queue: the scope holds the write connection, which the journal's
 * applier waits for, so queueing behind it would never end. Tracking writes acknowledged meanwhile
 * stay in the journal and are applied once the scope ends.
 */
const scopes = new Map<number, AtomicScope>();
let nextScope = 1;

/** A call of a scope; a journaled tracking write arrives as the journal's bytes, decoded here. */
function invokeScoped(m: CallMessage): Promise<unknown> {
  if (m.method === 'writeTracking' && m.workspace && options.journal) {
    const { batch } = decodeWrite({ seq: 0, payload: Buffer.from(m.args[0] as Uint8Array) });
    return invoke({ ...m, args: [batch] });
  }
  return invoke(m);
}

async function atomic(m: AtomicMessage): Promise<unknown> {
  if (m.atomic === 'begin') {
    const id = nextScope++;
    scopes.set(id, await store.db.begin());
    return id;
  }
  const scope = scopes.get(m.scope);
  if (!scope) throw new Error(`no atomic scope ${m.scope}`);
  scopes.delete(m.scope);
  await scope.end(m.commit);
  return null;
}

port.on('message', (m: CallMessage | AtomicMessage) => {
  const scope = 'atomic' in m ? undefined : m.scope === undefined ? undefined : scopes.get(m.scope);
  const run =
    'atomic' in m
      ? atomic(m)
      : m.scope !== undefined
        ? scope && accessOf(m)
          ? scope.run(() => invokeScoped(m))
          : Promise.reject(new Error(`no atomic scope ${m.scope}`))
        : options.journal
          ? viaJournal(m)
          : accessOf(m)
            ? invoke(m)
            : refuse(m);
  run.then(
    (value) => port.postMessage({ id: m.id, ok: true, value } satisfies ReplyMessage),
    (e) => port.postMessage({ id: m.id, ok: false, error: serializeError(e) } satisfies ReplyMessage),
  );
});

// Checkpoints in quiet moments: a write arriving meanwhile waits for one checkpoint at most, while
// the automatic one (at the WAL threshold) would stall a commit under load.
const idle = options.idleCheckpointMs;
// It runs twice a second: a failing checkpoint is counted, and logged once a minute while it lasts.
const failures = new Failures(log);
if (idle) {
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      store.db
        .checkpointIfIdle(idle, options.idleCheckpointMinWal ?? 16 * 1024 * 1024)
        .then(
          () => failures.succeeded('the idle checkpoint'),
          (err: unknown) => failures.failed('the idle checkpoint', err, { database: path }),
        )
        .finally(() => {
          running = false;
        });
    },
    Math.max(100, Math.floor(idle / 2)),
  );
  timer.unref();
}
