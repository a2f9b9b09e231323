/**
 * Per-key rate limits: a token bucket per key that refills at `rate` tokens a second up to `burst`.
 * The tracking API spends one token per message, so one busy or abusive write key is answered 429
 * (with Retry-After, which the Segment and RudderStack SDKs honour) before it can starve the others.
 */
export interface RateLimitOptions {
  /** Tokens per second; 0 turns the limit off. */
  rate: number;
  /** The most tokens a key can save up (a burst it may send at once). */
  burst: number;
  /** At most this many keys are tracked (least recently used go first). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * @example
 * const limits = new RateLimiter({ rate: 1000, burst: 2000 });
 * const wait = limits.take(workspace.id, messages.length); // 0, or seconds to wait before retrying
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly opts: RateLimitOptions) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Spends `cost` tokens of `key`'s bucket: 0 when granted, else the whole seconds (at least 1) after
   * which the same request would be. A request larger than the burst is granted from a full bucket
   * (it could never be otherwise), leaving the bucket in debt.
   */
  take(key: string, cost = 1): number {
    const { rate, burst } = this.opts;
    if (rate <= 0) return 0;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    this.buckets.delete(key);
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    const need = Math.min(cost, burst);
    if (b.tokens >= need) {
      b.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((need - b.tokens) / rate));
  }
}

/**
 * The tracking API's limit from NORTHSTAR_TRACK_RATE (messages a second per write key; `0` or `off`
 * turns it off), default 50,000 with a burst of twice that.
 *
 * @example
 * trackRateFromEnv({ NORTHSTAR_TRACK_RATE: '2000' }); // { rate: 2000, burst: 4000 }
 */
export function trackRateFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const text = env.NORTHSTAR_TRACK_RATE;
  const rate = text === undefined || text === '' ? 50_000 : text === 'off' ? 0 : Number(text);
  if (!Number.isFinite(rate) || rate < 0)
    throw new Error(`NORTHSTAR_TRACK_RATE must be messages per second (or off), got "${text}"`);
  return { rate, burst: rate * 2 };
}
