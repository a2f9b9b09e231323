/**
 * The database thread: owns the DuckDB file and runs every Store call the main thread sends, so the
 * Appender, WAL flushes, commits and checkpoints never block the thread that answers HTTP requests.
 * Started by WorkerStore; not meant to be run directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Workspace } from '../../domain/workspace.js';
import { DuckDbStore } from '../duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../store.js';
import { type CallMessage, type ReplyMessage, serializeError, type WorkerStoreOptions } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('db.worker.ts runs as a worker thread (see WorkerStore)');
const { path, options } = workerData as { path: string; options: WorkerStoreOptions };

let store: DuckDbStore;
try {
  store = await DuckDbStore.open(path, options);
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

port.on('message', (m: CallMessage) => {
  let run: Promise<unknown>;
  try {
    const target = (m.workspace ? forWorkspace(m.workspace) : store) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const fn = target[m.method];
    if (typeof fn !== 'function') throw new Error(`no store method ${m.method}`);
    run = Promise.resolve(fn.apply(target, m.args));
  } catch (e) {
    run = Promise.reject(e);
  }
  run.then(
    (value) => port.postMessage({ id: m.id, ok: true, value } satisfies ReplyMessage),
    (e) => port.postMessage({ id: m.id, ok: false, error: serializeError(e) } satisfies ReplyMessage),
  );
});

// Checkpoints in quiet moments: a write arriving meanwhile waits for one checkpoint at most, while
// the automatic one (at the WAL threshold) would stall a commit under load.
const idle = options.idleCheckpointMs;
if (idle) {
  let running = false;
  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      store.db
        .checkpointIfIdle(idle, options.idleCheckpointMinWal ?? 16 * 1024 * 1024)
        .catch(() => false)
        .finally(() => {
          running = false;
        });
    },
    Math.max(100, Math.floor(idle / 2)),
  );
  timer.unref();
}
