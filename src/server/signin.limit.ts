/**
 * Failed sign-in attempts, counted per account and per address in a sliding window: past `max`
 * failures within `windowMs`, further attempts are answered 429 with the seconds until the oldest
 * failure leaves the window (Retry-After), whether the password would be right or not. Memory is
 * bounded: at most `maxKeys` accounts or addresses are remembered (the least recently failed go first).
 */
export interface AttemptLimitOptions {
  max: number;
  windowMs: number;
  maxKeys?: number;
  now?: () => number;
}

/**
 * @example
 * const perAccount = new AttemptLimiter({ max: 5, windowMs: 15 * 60_000 });
 * if (perAccount.wait(email)) return 429;
 * if (!ok) perAccount.fail(email); else perAccount.reset(email);
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly opts: AttemptLimitOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Seconds to wait before `key` may try again (0: it may now). */
  wait(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.opts.max) return 0;
    const oldest = recent[recent.length - this.opts.max] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-this.opts.max));
    while (this.failures.size > (this.opts.maxKeys ?? 100_000)) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
