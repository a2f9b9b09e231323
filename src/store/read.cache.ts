/**
 * The read cache's wiring (`serve` only): a store whose writes tell the cache (answer.cache.ts) what
 * changed, and `memo`, with which a read keeps its answer there. Each workspace has a version that
 * every write bumps twice, when it is sent and when it has finished, and an answer is kept under the
 * version it started at: a read that overlapped a write is never served again. Tracking data (events,
 * sessions, identities) and the scoring job's scores only make answers stale (`touch`): readers that
 * accept it (memoRead with `stale`) get the last answer at once, said to be stale, while it is
 * refreshed in the background. Reads never write: the cache lives in this process's memory only.
 */
import type { Read, ReadCache } from './answer.cache.js';
import type { Store, WorkspaceStore } from './store.js';
import { WORKSPACE_METHODS } from './worker/protocol.js';

export { estimateBytes, type Read, ReadCache, type ReadCacheOptions, readFresh } from './answer.cache.js';

/** Store-wide writes that change what a workspace's reads answer (the others touch keys, sessions…). */
const STORE_WIDE_WRITES = new Set(['migrate', 'createWorkspace', 'deleteWorkspace', 'close']);

/**
 * Writes of data that arrives on its own, continuously on a live site: they leave answers stale, not
 * wrong (see the module comment). Every other write is a change someone made and wants to see at once.
 */
const ARRIVING_DATA = new Set([
  'writeTracking',
  'appendEvents',
  'appendSessions',
  'upsertSessions',
  'appendIdentities',
  'writeScores',
]);

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

/**
 * As memo, with when the answer was computed; with `stale: true`, under `serve` an answer that only
 * arriving data (tracking, scores) changed since is served at once, `stale`, while it is refreshed in
 * the background (see answer.cache.ts). Without a read cache: computed now, never stale.
 *
 * @example
 * const { value, computedAt, stale } = await memoRead(ws, 'attribution', key, compute, { stale: true });
 */
export async function memoRead<T>(
  ws: WorkspaceStore,
  what: string,
  key: unknown,
  compute: () => Promise<T>,
  opts: { stale?: boolean } = {},
): Promise<Read<T>> {
  const cache = CACHES.get(ws);
  if (!cache) {
    const computedAt = Date.now();
    return { value: await compute(), computedAt, stale: false };
  }
  return cache.read(ws.workspace.id, `${what}\u0000${JSON.stringify(key)}`, compute, opts);
}

/**
 * `value` as an API answer: as is when fresh; when stale, with `stale: true` and `computed_at` (ISO
 * time its computation began), so a page can say "as of …" (it is refreshed in the background).
 *
 * @example
 * stamped(await memoRead(ws, 'attribution', key, compute, { stale: true }));
 */
export function stamped<T extends object>(r: Read<T>): T & { stale?: true; computed_at?: string } {
  return r.stale ? { ...r.value, stale: true, computed_at: new Date(r.computedAt).toISOString() } : r.value;
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
      if (WORKSPACE_METHODS.get(prop) === 'read') return fn;
      return bumping(fn, ARRIVING_DATA.has(prop) ? () => cache.touch(id) : () => cache.bump(id));
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
