/**
 * A small, bounded memory of key lookups for the tracking API, where every request names its key and
 * a database round trip per request would cost more than the request itself.
 *
 * Bounded three ways, so no sequence of requests can grow it: only plausible keys (≤ 64 characters,
 * see `isPlausibleKey`) are ever looked up or kept; at most `maxEntries` are kept (the least recently
 * used go first); and entries expire (`knownTtlMs` for a key that exists, a much shorter
 * `unknownTtlMs` for one that does not, so a key created a moment ago works almost at once).
 */
import { isPlausibleKey } from '../core/ids.js';

export interface KeyCacheOptions {
  maxEntries?: number;
  knownTtlMs?: number;
  unknownTtlMs?: number;
  now?: () => number;
}

/**
 * @example
 * const cache = new KeyCache((key) => store.findApiKey(key));
 * await cache.get('ns_w_…'); // looked up once, then answered from memory for a while
 */
export class KeyCache<T> {
  private readonly entries = new Map<string, { value: T | null; until: number }>();
  private readonly maxEntries: number;
  private readonly knownTtlMs: number;
  private readonly unknownTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly lookup: (key: string) => Promise<T | null>,
    opts: KeyCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.knownTtlMs = opts.knownTtlMs ?? 60_000;
    this.unknownTtlMs = opts.unknownTtlMs ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  /** The value for a key, or null for an implausible, unknown or revoked key. */
  async get(key: string | null): Promise<T | null> {
    if (key === null || !isPlausibleKey(key)) return null;
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && hit.until > now) {
      // Re-inserted so the Map's order is least recently used first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = await this.lookup(key);
    this.entries.delete(key);
    this.entries.set(key, {
      value,
      until: this.now() + (value === null ? this.unknownTtlMs : this.knownTtlMs),
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return value;
  }

  /** Forgets every key (a key was revoked: see store/key.events.ts). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * When keys were last used, written to the store at most once a minute per key (off the request
 * path), for `keys list`.
 *
 * @example
 * const usage = new KeyUsage((key, at) => store.touchApiKey(key, at), log);
 * usage.used(key); // cheap: a map lookup, a write at most once a minute
 */
export class KeyUsage {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly touch: (key: string, at: Date) => Promise<void>,
    private readonly onError: (e: unknown) => void,
    private readonly everyMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  used(key: string): void {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.everyMs) return;
    this.last.delete(key);
    this.last.set(key, t);
    if (this.last.size > 10_000) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
    this.touch(key, new Date(t)).catch(this.onError);
  }
}
