/**
 * The answers a server keeps between requests (see read.cache.ts for how a store feeds it), with two
 * kinds of change:
 *
 * - a **write** (`bump`: goals, settings, CRM records, spend…) is something a user did and must see at
 *   once: every answer of the workspace is forgotten, and one computed while the write ran is not kept;
 * - **arriving data** (`touch`: tracking events, sessions, identities, scores) makes answers stale but
 *   not wrong for a moment. A reader that accepts it (`{ stale: true }`) gets the last answer at once
 *   while one refresh per key runs in the background (stale-while-revalidate), and is told when that
 *   answer was computed; a reader that does not (the default, and every read made while computing
 *   another answer) waits for a fresh one. Answers read lately are also refreshed soon after data
 *   arrives, before anyone asks, so a page opened later is rarely more than a refresh old.
 *
 * Bounds: entries and (estimated) bytes in all and per workspace, least recently used out; background
 * refreshes one at a time by default (a three-year attribution holds ~1 GB while it runs) and a queue
 * of at most 100; a stale answer older than `maxStaleMs` is not served. Nothing here writes anywhere:
 * the answers live in this process's memory only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadCacheOptions {
  /** Answers kept in all (default 2,000). */
  maxEntries?: number;
  /** Estimated bytes kept in all (default 256 MB); an answer above a quarter of it is not kept. */
  maxBytes?: number;
  /** Answers kept per workspace (default 500), so one busy workspace cannot push the others out. */
  maxEntriesPerWorkspace?: number;
  /** A stale answer computed longer ago than this is not served: the reader waits (default 15 min). */
  maxStaleMs?: number;
  /** Background refreshes running at once (default 1); more wait in a queue of at most 100. */
  maxRefreshes?: number;
  /** Answers read within this long are refreshed when data arrives, unasked (default 10 min; 0: never). */
  hotMs?: number;
  /** Such an unasked refresh starts this long after data arrives (default 2 s: arrivals come in bursts)… */
  refreshDelayMs?: number;
  /** …and at most once per this interval per answer (default 30 s, the dashboard's own refresh). */
  refreshEveryMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** An answer with when its computation began (the data it saw is as of then) and whether it is stale. */
export interface Read<T> {
  value: T;
  /** Epoch ms at which the computation began. */
  computedAt: number;
  /** True when data arrived since: a refresh is under way or queued. */
  stale: boolean;
}

interface Answer {
  ws: string;
  version: number;
  data: number;
  at: number;
  value: unknown;
  bytes: number;
  usedAt: number;
  /** Set when a reader accepted it stale: how to refresh it unasked. */
  refresh: (() => Promise<unknown>) | null;
}

interface Flight {
  ws: string;
  version: number;
  data: number;
  at: number;
  promise: Promise<unknown>;
}

/**
 * What a read inside it needs: inside a computation, answers of its workspace at least as new as the
 * data the computation started with (so it reuses what it computed a moment ago even while data
 * arrives, and is never built from older parts); inside readFresh(), answers as new as the data now.
 * Neither takes a stale answer.
 */
type Need = { ws: string; data: number } | 'now';
const need = new AsyncLocalStorage<Need>();

/**
 * Runs `fn` so that every cached read in it waits for a fresh answer (a job acting on the figures, a
 * request with `Cache-Control: no-cache`).
 *
 * @example
 * const report = await readFresh(() => goalsStatus(ws, asOf));
 */
export function readFresh<T>(fn: () => Promise<T>): Promise<T> {
  return need.run('now', fn);
}

/**
 * A bounded map of answers per workspace: see the module comment.
 *
 * @example
 * const cache = new ReadCache({ maxEntries: 100 });
 * await cache.get('ws1', 'k', async () => 42); // computes: 42
 * cache.touch('ws1'); // tracking data arrived
 * await cache.read('ws1', 'k', async () => 43, { stale: true }); // { value: 42, stale: true, … }; 43 computed meanwhile
 */
export class ReadCache {
  private readonly versions = new Map<string, number>();
  private readonly dataVersions = new Map<string, number>();
  private everyone = 0;
  private readonly answers = new Map<string, Answer>();
  private readonly flights = new Map<string, Flight>();
  private readonly perWs = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private bytes = 0;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  readonly stats = {
    hits: 0,
    misses: 0,
    stale: 0,
    refreshes: 0,
    failures: 0,
    evictions: 0,
    invalidations: 0,
  };
  private readonly o: Required<ReadCacheOptions>;

  constructor(o: ReadCacheOptions = {}) {
    this.o = {
      maxEntries: o.maxEntries ?? 2000,
      maxBytes: o.maxBytes ?? 256 * 1024 * 1024,
      maxEntriesPerWorkspace: o.maxEntriesPerWorkspace ?? 500,
      maxStaleMs: o.maxStaleMs ?? 15 * 60_000,
      maxRefreshes: o.maxRefreshes ?? 1,
      hotMs: o.hotMs ?? 10 * 60_000,
      refreshDelayMs: o.refreshDelayMs ?? 2000,
      refreshEveryMs: o.refreshEveryMs ?? 30_000,
      now: o.now ?? Date.now,
    };
  }

  /** The workspace's version: it moves whenever the workspace (or every workspace) is written to. */
  version(ws: string): number {
    return this.everyone + (this.versions.get(ws) ?? 0);
  }

  private dataVersion(ws: string): number {
    return this.dataVersions.get(ws) ?? 0;
  }

  /** A write to the workspace began or ended: everything read before is forgotten. */
  bump(ws: string): void {
    this.versions.set(ws, (this.versions.get(ws) ?? 0) + 1);
    for (const [k, a] of this.answers) if (a.ws === ws) this.drop(k, a);
    this.stats.invalidations++;
  }

  /** A write that may change any workspace (migrations, workspaces created or deleted). */
  bumpAll(): void {
    this.everyone++;
    for (const [k, a] of this.answers) this.drop(k, a);
    this.stats.invalidations++;
  }

  /** Data began or finished arriving in the workspace: its answers are stale, and hot ones refreshed soon. */
  touch(ws: string): void {
    this.dataVersions.set(ws, this.dataVersion(ws) + 1);
    this.schedule(ws, this.o.refreshDelayMs);
  }

  /** Entries and estimated bytes kept now, and background refreshes running or queued. */
  size(): { entries: number; bytes: number; refreshing: number } {
    return { entries: this.answers.size, bytes: this.bytes, refreshing: this.running + this.queue.length };
  }

  /**
   * The kept answer for `key` in workspace `ws` if nothing changed since, else `compute()`'s (shared
   * with every caller asking for the same key while it runs).
   */
  async get<T>(ws: string, key: string, compute: () => Promise<T>): Promise<T> {
    return (await this.read(ws, key, compute)).value;
  }

  /**
   * As get, with when the answer was computed; with `stale: true` (and outside another computation
   * and readFresh), an answer that only arriving data changed since is served at once while one
   * background refresh of it runs.
   */
  read<T>(
    ws: string,
    key: string,
    compute: () => Promise<T>,
    opts: { stale?: boolean } = {},
  ): Promise<Read<T>> {
    const full = `${ws}\u0000${key}`;
    const version = this.version(ws);
    const data = this.dataVersion(ws);
    const now = this.o.now();
    const ctx = need.getStore();
    const minData = typeof ctx === 'object' && ctx.ws === ws ? Math.min(ctx.data, data) : data;
    const a = this.answers.get(full);
    const current = a && a.version === version ? a : undefined;
    if (current && current.data >= minData) {
      this.stats.hits++;
      this.used(full, current, now);
      return Promise.resolve({ value: current.value as T, computedAt: current.at, stale: false });
    }
    const f = this.flights.get(full);
    const staleOk = opts.stale === true && ctx === undefined;
    if (staleOk && current && now - current.at <= this.o.maxStaleMs) {
      this.stats.stale++;
      this.used(full, current, now);
      current.refresh = compute;
      // At most one computation per key in the background: one already running will be followed.
      if (!f || f.version !== version) this.start(full, ws, compute, true);
      return Promise.resolve({ value: current.value as T, computedAt: current.at, stale: true });
    }
    if (f && f.version === version && f.data >= minData) {
      this.stats.hits++;
      return this.settled<T>(f);
    }
    this.stats.misses++;
    const flight = this.start(full, ws, compute, false);
    const r = this.settled<T>(flight);
    if (staleOk)
      r.then(
        (x) => {
          const kept = this.answers.get(full);
          if (kept && kept.at === x.computedAt) kept.refresh = compute;
        },
        () => {},
      );
    return r;
  }

  private async settled<T>(f: Flight): Promise<Read<T>> {
    return { value: (await f.promise) as T, computedAt: f.at, stale: false };
  }

  /** A computation of `full`, kept when it succeeds if no write began since and nothing newer is kept. */
  private start(full: string, ws: string, compute: () => Promise<unknown>, background: boolean): Flight {
    const flight: Flight = {
      ws,
      version: this.version(ws),
      data: this.dataVersion(ws),
      at: 0,
      promise: null as never,
    };
    const run = () => {
      // The data it sees is as of now: a queued refresh takes the versions it starts at.
      flight.version = this.version(ws);
      flight.data = this.dataVersion(ws);
      flight.at = this.o.now();
      return need.run({ ws, data: flight.data }, compute);
    };
    flight.promise = background ? this.limited(run) : run();
    if (background) this.stats.refreshes++;
    this.flights.set(full, flight);
    flight.promise.then(
      (v) => {
        if (this.flights.get(full) === flight) this.flights.delete(full);
        this.keep(full, flight, v);
      },
      () => {
        if (this.flights.get(full) === flight) this.flights.delete(full);
        if (background) this.stats.failures++;
      },
    );
    // A failed background refresh leaves the stale answer served; nobody awaits it but us.
    if (background) flight.promise.catch(() => {});
    return flight;
  }

  private keep(full: string, f: Flight, value: unknown): void {
    if (f.version !== this.version(f.ws)) return;
    const old = this.answers.get(full);
    if (old && old.version === f.version && old.data > f.data) return;
    const bytes = estimateBytes(value);
    if (bytes > this.o.maxBytes / 4) {
      if (old) this.drop(full, old);
      return;
    }
    deepFreeze(value);
    if (old) this.drop(full, old);
    const a: Answer = {
      ws: f.ws,
      version: f.version,
      data: f.data,
      at: f.at,
      value,
      bytes,
      usedAt: old?.usedAt ?? f.at,
      refresh: old?.refresh ?? null,
    };
    this.answers.set(full, a);
    this.bytes += bytes;
    this.perWs.set(f.ws, (this.perWs.get(f.ws) ?? 0) + 1);
    this.evict(f.ws);
    // Data arrived while it ran: the next unasked refresh is due.
    if (a.refresh && f.data < this.dataVersion(f.ws)) this.schedule(f.ws, this.o.refreshDelayMs);
  }

  private used(full: string, a: Answer, now: number): void {
    a.usedAt = now;
    // Most recently used last: eviction takes from the front.
    this.answers.delete(full);
    this.answers.set(full, a);
  }

  /** Runs `fn` when fewer than maxRefreshes run; rejects at once when 100 already wait. */
  private limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.o.maxRefreshes) {
      this.running++;
      return fn().finally(() => this.next());
    }
    if (this.queue.length >= 100) return Promise.reject(new Error('read cache: too many refreshes queued'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        this.running++;
        fn()
          .then(resolve, reject)
          .finally(() => this.next());
      });
    });
  }

  private next(): void {
    this.running--;
    this.queue.shift()?.();
  }

  /** In `delayMs`, refreshes the workspace's stale answers read within hotMs whose last refresh is old enough. */
  private schedule(ws: string, delayMs: number): void {
    if (this.o.hotMs <= 0 || this.timers.has(ws)) return;
    const t = setTimeout(() => {
      this.timers.delete(ws);
      this.sweep(ws);
    }, delayMs);
    t.unref();
    this.timers.set(ws, t);
  }

  private sweep(ws: string): void {
    const now = this.o.now();
    const version = this.version(ws);
    const data = this.dataVersion(ws);
    let wait = Number.POSITIVE_INFINITY;
    for (const [full, a] of this.answers) {
      if (a.ws !== ws || !a.refresh || a.version !== version || a.data === data) continue;
      if (now - a.usedAt > this.o.hotMs) continue;
      const f = this.flights.get(full);
      if (f && f.version === version) continue;
      const due = a.at + this.o.refreshEveryMs - now;
      if (due > 0) wait = Math.min(wait, due);
      else this.start(full, ws, a.refresh, true);
    }
    if (wait < Number.POSITIVE_INFINITY) this.schedule(ws, wait);
  }

  private drop(key: string, a: Answer): void {
    if (this.answers.get(key) !== a) return;
    this.answers.delete(key);
    this.bytes -= a.bytes;
    this.perWs.set(a.ws, (this.perWs.get(a.ws) ?? 1) - 1);
  }

  private evict(ws: string): void {
    if ((this.perWs.get(ws) ?? 0) > this.o.maxEntriesPerWorkspace) {
      for (const [k, a] of this.answers) {
        if (a.ws !== ws) continue;
        this.drop(k, a);
        this.stats.evictions++;
        if ((this.perWs.get(ws) ?? 0) <= this.o.maxEntriesPerWorkspace) break;
      }
    }
    for (const [k, a] of this.answers) {
      if (this.answers.size <= this.o.maxEntries && this.bytes <= this.o.maxBytes) break;
      this.drop(k, a);
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
