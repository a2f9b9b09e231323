import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import { type Log, stderrLog } from '../../core/log.js';
import type { Workspace } from '../../domain/workspace.js';
import { EVENT_COLUMNS } from '../duckdb/columns.js';
import { toColumns } from '../duckdb/db.js';
import { duckdbDialect } from '../duckdb/duckdb.dialect.js';
import { encodeWrite } from '../duckdb/journal.apply.js';
import type { Store, TrackingBatch, WorkspaceStore } from '../store.js';
import {
  type AtomicMessage,
  type CallMessage,
  deserializeError,
  type LogMessage,
  type ReplyMessage,
  type SerializedError,
  STORE_METHODS,
  type StoreMethod,
  type TrackingWire,
  WORKSPACE_METHODS,
  type WorkerStoreOptions,
  type WorkspaceMethod,
} from './protocol.js';

export type { WorkerStoreOptions };

/**
 * Built, the worker is dist/store/worker/db.worker.js. Under tsx (tests, `npm run dev`) it is
 * TypeScript, and Node 20 does not run `--import tsx` in a worker: the worker registers tsx itself.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./db.worker.js', import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./db.worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/** A message before its id is given. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Ready = { ready: true } | { ready: false; error: SerializedError };

/**
 * The DuckDB store in its own thread. Every Store and WorkspaceStore call is posted to the database
 * thread (db.worker.ts) and answered from there, so the thread that serves HTTP spends no time in the
 * Appender, WAL flushes, commits or checkpoints. Arguments and results cross by structured clone, which
 * keeps Dates, arrays and plain objects; a UserError arrives as a UserError.
 *
 * @example
 * const store = await WorkerStore.open('data/northstar.duckdb');
 * await store.migrate();
 * const ws = store.forWorkspace((await store.getWorkspace('demo'))!); // same API as DuckDbStore
 */
export class WorkerStore {
  /** The atomic scope (in the database thread) the calls of this async context belong to. */
  private readonly scope = new AsyncLocalStorage<number>();
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed = false;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    private readonly journal: boolean,
    private readonly onLost: ((e: Error) => void) | undefined,
    private readonly log: Log,
  ) {
    worker.on('message', (m: ReplyMessage) => {
      if ('log' in m) return this.relay(m);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(deserializeError(m.error));
    });
    worker.on('error', (e) => this.lost(e));
    worker.on('exit', (code) => this.lost(new Error(`the database thread stopped (exit ${code})`)));
  }

  /**
   * Opens the file in a new database thread. `onLost` is told if that thread dies other than by
   * `close()` (every pending and later call fails then; a server should exit and be restarted).
   * `log` hears the database thread's background failures (an idle checkpoint, the journal).
   */
  static async open(
    path: string,
    options: WorkerStoreOptions = {},
    onLost?: (e: Error) => void,
    log: Log = stderrLog,
  ): Promise<Store> {
    const worker = startWorker({ path, options });
    const ready = await new Promise<Ready>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw deserializeError(ready.error);
    }
    return new WorkerStore(worker, Boolean(options.journal), onLost, log).asStore();
  }

  private call(workspace: Workspace, method: WorkspaceMethod, args: unknown[]): Promise<unknown>;
  private call(workspace: null, method: StoreMethod, args: unknown[]): Promise<unknown>;
  private call(
    workspace: Workspace | null,
    method: WorkspaceMethod | StoreMethod,
    args: unknown[],
  ): Promise<unknown> {
    const scope = this.scope.getStore();
    return this.post({
      workspace,
      method,
      args,
      ...(scope === undefined ? {} : { scope }),
    } as WithoutId<CallMessage>);
  }

  private post(message: WithoutId<CallMessage | AtomicMessage>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  /**
   * `fn` all or nothing (WorkspaceStore.atomically): a scope opened in the database thread, every
   * call `fn` makes joining it, committed when `fn` succeeds and rolled back when it fails.
   */
  private async atomically<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore() !== undefined) return fn();
    const scope = (await this.post({ atomic: 'begin' })) as number;
    let out: T;
    try {
      out = await this.scope.run(scope, fn);
    } catch (e) {
      await this.post({ atomic: 'end', scope, commit: false });
      throw e;
    }
    await this.post({ atomic: 'end', scope, commit: true });
    return out;
  }

  /** A line from the database thread (its background failures) into this thread's log. */
  private relay({ log: { level, message, fields } }: LogMessage): void {
    const err = fields.err as SerializedError | undefined;
    this.log[level]({ ...fields, ...(err ? { err: deserializeError(err) } : {}) }, message);
  }

  private lost(e: Error): void {
    const unexpected = !this.closed && !this.closing;
    this.failAll(e);
    if (unexpected) this.onLost?.(e);
  }

  private failAll(e: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    await this.call(null, 'close', []);
    this.closed = true;
    await this.worker.terminate();
  }

  /**
   * Every method in the protocol's tables (STORE_ACCESS, WORKSPACE_ACCESS) becomes a posted call;
   * forWorkspace and close are the two done here. A name in neither table is no method at all.
   */
  private asStore(): Store {
    const scoped = (workspace: Workspace): WorkspaceStore =>
      new Proxy({} as WorkspaceStore, {
        get: (_t, method) => {
          if (method === 'workspace') return workspace;
          // Plain functions that only build SQL text: the DuckDB thread's dialect, answered here.
          if (method === 'dialect') return duckdbDialect;
          if (method === 'atomically') return <T>(fn: () => Promise<T>) => this.atomically(fn);
          // The hot path: events cross as columns (half the clone work, no JSON on the other side).
          if (method === 'writeTracking')
            return (b: TrackingBatch) => {
              const batch = { ...b, events: toColumns(EVENT_COLUMNS, b.events) };
              // Journaled, the bytes serialized here are what the journal keeps: serialized once.
              const wire: TrackingWire = this.journal ? encodeWrite(workspace, batch) : batch;
              return this.call(workspace, method, [wire]);
            };
          if (typeof method !== 'string' || !WORKSPACE_METHODS.has(method)) return undefined;
          const m = method as WorkspaceMethod;
          return (...args: unknown[]) => this.call(workspace, m, args);
        },
      });
    return new Proxy({} as Store, {
      get: (_t, method) => {
        if (method === 'forWorkspace') return scoped;
        if (method === 'close') return () => this.close();
        if (typeof method !== 'string' || !STORE_METHODS.has(method)) return undefined;
        const m = method as StoreMethod;
        return (...args: unknown[]) => this.call(null, m, args);
      },
    });
  }
}
