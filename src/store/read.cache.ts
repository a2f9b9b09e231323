/**
 * Answers kept between requests (`serve` only): what a read computed (a KPI's base measures, the goals'
 * status as of a day, an attribution) is kept per workspace until that workspace is written to. Each
 * workspace has a version that every write bumps twice, when it is sent and when it has finished, and
 * an answer is kept under the version it started at: a read that overlapped a write is never served
 * again, and the next read after a write computes afresh. Reads never write: the cache lives in this
 * process's memory only, bounded in entries and (estimated) bytes, least recently used first out.
 */
import type { Store, WorkspaceStore } from './store.js';
import { WORKSPACE_METHODS } from './worker/protocol.js';

export interface ReadCacheOptions {
  /** Answers kept in all (default 2,000). */
  maxEntries?: number;
  /** Estimated bytes kept in all (default 256 MB); an answer above a quarter of it is not kept. */
  maxBytes?: number;
  /** Answers kept per workspace (default 500), so one busy workspace cannot push the others out. */
  maxEntriesPerWorkspace?: number;
}

interface Entry {
  ws: string;
  version: number;
  value: Promise<unknown>;
  bytes: number;
}

/** Store-wide writes that change what a workspace's reads answer (the others touch keys, sessions…). */
const STORE_WIDE_WRITES = new Set(['migrate', 'createWorkspace', 'deleteWorkspace', 'close']);

/**
 * A bounded map of answers per workspace, invalidated by writes (see the module comment).
 *
 * @example
 * const cache = new ReadCache({ maxEntries: 100 });
 * await cache.get('ws1', 'k', async () => 42); // computes: 42
 * await cache.get('ws1', 'k', async () => 43); // kept: 42
 * cache.bump('ws1');
 * await cache.get('ws1', 'k', async () => 43); // computes again: 43
 */
export class ReadCache {
  private readonly versions = new Map<string, number>();
  private everyone = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly perWs = new Map<string, number>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxPerWs: number;

  constructor(o: ReadCacheOptions = {}) {
    this.maxEntries = o.maxEntries ?? 2000;
    this.maxBytes = o.maxBytes ?? 256 * 1024 * 1024;
    this.maxPerWs = o.maxEntriesPerWorkspace ?? 500;
  }

  /** The workspace's version: it moves whenever the workspace (or every workspace) is written to. */
  version(ws: string): number {
    return this.everyone + (this.versions.get(ws) ?? 0);
  }

  /** A write to the workspace began or ended: everything read before is forgotten. */
  bump(ws: string): void {
    this.versions.set(ws, (this.versions.get(ws) ?? 0) + 1);
    for (const [k, e] of this.entries) if (e.ws === ws) this.drop(k, e);
    this.stats.invalidations++;
  }

  /** A write that may change any workspace (migrations, workspaces created or deleted). */
  bumpAll(): void {
    this.everyone++;
    for (const [k, e] of this.entries) this.drop(k, e);
    this.stats.invalidations++;
  }

  /** Entries and estimated bytes kept now. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /**
   * The kept answer for `key` in workspace `ws`, else `compute()`'s (shared with every caller asking
   * for the same key while it runs).
   */
  get<T>(ws: string, key: string, compute: () => Promise<T>): Promise<T> {
    const full = `${ws}\u0000${key}`;
    const version = this.version(ws);
    const e = this.entries.get(full);
    if (e && e.version === version) {
      this.stats.hits++;
      // Most recently used last: eviction takes from the front.
      this.entries.delete(full);
      this.entries.set(full, e);
      return e.value as Promise<T>;
    }
    this.stats.misses++;
    const value = compute();
    const entry: Entry = { ws, version, value, bytes: 0 };
    if (e) this.drop(full, e);
    this.entries.set(full, entry);
    this.perWs.set(ws, (this.perWs.get(ws) ?? 0) + 1);
    value.then(
      (v) => {
        if (this.entries.get(full) !== entry) return;
        entry.bytes = estimateBytes(v);
        this.bytes += entry.bytes;
        if (entry.bytes > this.maxBytes / 4) this.drop(full, entry);
        else deepFreeze(v);
        this.evict(ws);
      },
      () => {
        if (this.entries.get(full) === entry) this.drop(full, entry);
      },
    );
    this.evict(ws);
    return value;
  }

  private drop(key: string, e: Entry): void {
    if (this.entries.get(key) !== e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
    this.perWs.set(e.ws, (this.perWs.get(e.ws) ?? 1) - 1);
  }

  private evict(ws: string): void {
    if ((this.perWs.get(ws) ?? 0) > this.maxPerWs) {
      for (const [k, e] of this.entries) {
        if (e.ws !== ws) continue;
        this.drop(k, e);
        this.stats.evictions++;
        if ((this.perWs.get(ws) ?? 0) <= this.maxPerWs) break;
      }
    }
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(k, e);
      this.stats.evictions++;
    }
  }
}

/**
 * Roughly what a value holds in memory: 8 bytes a number, 2 a character, plus overheads; Maps, Sets,
 * arrays and plain objects walked (a shared object counted once).
 *
 * @example
 * estimateBytes({ a: [1, 2], b: 'xy' }); // 136
 */
export function estimateBytes(v: unknown, seen = new Set<object>()): number {
  if (v === null || v === undefined) return 8;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return 8;
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (typeof v !== 'object') return 8;
  if (seen.has(v)) return 8;
  seen.add(v);
  if (v instanceof Date) return 24;
  let n = 32;
  if (v instanceof Map) for (const [k, x] of v) n += 16 + estimateBytes(k, seen) + estimateBytes(x, seen);
  else if (v instanceof Set) for (const x of v) n += 16 + estimateBytes(x, seen);
  else if (Array.isArray(v)) for (const x of v) n += 8 + estimateBytes(x, seen);
  else for (const [k, x] of Object.entries(v)) n += 8 + 2 * k.length + estimateBytes(x, seen);
  return n;
}

/** A kept answer is shared by every later reader: nobody may change it (a strict-mode error if tried). */
function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  // A frozen Map can still be changed through set(); its entries are frozen, the Map is left as is.
  if (v instanceof Map) for (const x of v.values()) deepFreeze(x);
  else if (v instanceof Set) for (const x of v) deepFreeze(x);
  else {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
}

const CACHES = new WeakMap<object, ReadCache>();

/**
 * `compute()`'s answer, kept in the read cache of `ws` when it has one (a store from withReadCache), under
 * `what` and `key` (everything the answer depends on other than the workspace's data); else computed.
 *
 * @example
 * const r = await memo(ws, 'attribution', { model: 'all', from, to }, () => attributeAllModels(ws, o));
 */
export function memo<T>(
  ws: WorkspaceStore,
  what: string,
  key: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  const cache = CACHES.get(ws);
  if (!cache) return compute();
  return cache.get(ws.workspace.id, `${what}\u0000${JSON.stringify(key)}`, compute);
}

/** The read cache of `ws`, if it has one. */
export function readCacheOf(ws: WorkspaceStore): ReadCache | undefined {
  return CACHES.get(ws);
}

/** True when every argument is an empty array: writing nothing changes nothing (the scoring job's idle passes). */
function writesNothing(args: unknown[]): boolean {
  return args.length > 0 && args.every((a) => Array.isArray(a) && a.length === 0);
}

function bumping<A extends unknown[], R>(
  fn: (...a: A) => Promise<R>,
  bump: () => void,
): (...a: A) => Promise<R> {
  return async (...args: A) => {
    if (writesNothing(args)) return fn(...args);
    bump();
    try {
      return await fn(...args);
    } finally {
      bump();
    }
  };
}

/**
 * One workspace store with a read cache (see withReadCache); `memo` on it keeps answers in `cache`.
 * Alone (without withReadCache) it is for one computation that asks the same thing several times.
 *
 * @example
 * const scoped = withWorkspaceCache(ws, new ReadCache({ maxEntries: 200 }));
 */
export function withWorkspaceCache(inner: WorkspaceStore, cache: ReadCache): WorkspaceStore {
  const id = inner.workspace.id;
  const proxy = new Proxy(inner, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      const fn = (v as (...a: unknown[]) => Promise<unknown>).bind(target);
      return WORKSPACE_METHODS.get(prop) === 'read' ? fn : bumping(fn, () => cache.bump(id));
    },
  });
  CACHES.set(proxy, cache);
  return proxy;
}

/**
 * `store` with a read cache: every WorkspaceStore write (as declared in the protocol's table; a
 * method the table does not know counts as a write) bumps its workspace's version, and the store-wide
 * writes that change workspaces bump them all. `memo` on its workspace stores keeps answers in `cache`.
 *
 * @example
 * const store = withReadCache(await WorkerStore.open(path), new ReadCache());
 */
export function withReadCache(store: Store, cache: ReadCache): Store {
  return new Proxy(store, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      const fn = (v as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'forWorkspace')
        return (...a: unknown[]) => withWorkspaceCache(fn(...a) as WorkspaceStore, cache);
      if (STORE_WIDE_WRITES.has(prop))
        return bumping(fn as (...a: unknown[]) => Promise<unknown>, () => cache.bumpAll());
      return fn;
    },
  });
}
