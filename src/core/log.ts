/**
 * The log seam of the lower layers. A failure that no caller awaits (a background flush, an idle
 * checkpoint, a journal apply) has nobody to throw to, so it must be logged; but the store and the
 * engines may not import the server's logger. They take a `Log` instead: the server passes its logger
 * (pino's call shape, `log.error({ err, ...context }, 'message')`), the CLI `stderrLog`.
 */
export interface Log {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

function line(level: string, fields: Record<string, unknown>, message: string): string {
  const { err, ...rest } = fields;
  const kv = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const cause = err === undefined ? '' : `: ${err instanceof Error ? err.message : String(err)}`;
  return `${level} ${message}${cause}${kv ? ` ${kv}` : ''}\n`;
}

/**
 * One line per entry on stderr: what the CLI (and a store opened without a log) uses.
 *
 * @example
 * stderrLog.error({ err: new Error('disk full'), workspace: 'acme' }, 'the session flush failed');
 * // stderr: "ERROR the session flush failed: disk full workspace=acme"
 */
export const stderrLog: Log = {
  error: (fields, message) => process.stderr.write(line('ERROR', fields, message)),
  warn: (fields, message) => process.stderr.write(line('WARN', fields, message)),
  info: (fields, message) => process.stderr.write(line('INFO', fields, message)),
};

interface Streak {
  total: number;
  streak: number;
  loggedAt: number;
}

/**
 * Background failures by kind, counted and logged. Each failure is counted; the first of a streak
 * (failures of one kind with no success between) is logged with its context at once, later ones at
 * most once per `quietMs` with the counts, so a database that stays down for an hour writes a line a
 * minute, not one per retry. The end of a streak is logged too.
 *
 * @example
 * const failures = new Failures(stderrLog);
 * flush().then(() => failures.succeeded('session flush'), (err) => failures.failed('session flush', err, { workspace: 'acme' }));
 * failures.count('session flush'); // 1 after one failure
 */
export class Failures {
  private readonly kinds = new Map<string, Streak>();

  constructor(
    private readonly log: Log,
    private readonly quietMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a failure of `kind` and logs it (unless one of the same streak was logged < quietMs ago). */
  failed(kind: string, err: unknown, context: Record<string, unknown> = {}): void {
    const s = this.kinds.get(kind) ?? { total: 0, streak: 0, loggedAt: Number.NEGATIVE_INFINITY };
    this.kinds.set(kind, s);
    s.total++;
    s.streak++;
    const at = this.now();
    if (s.streak > 1 && at - s.loggedAt < this.quietMs) return;
    s.loggedAt = at;
    this.log.error({ err, ...context, failures: s.total, inARow: s.streak }, `${kind} failed`);
  }

  /** Ends a streak of `kind` (said once, with how many failed in it). */
  succeeded(kind: string): void {
    const s = this.kinds.get(kind);
    if (!s || s.streak === 0) return;
    this.log.info({ failures: s.total, inARow: s.streak }, `${kind} works again`);
    s.streak = 0;
  }

  /** How many times `kind` failed since this process started. */
  count(kind: string): number {
    return this.kinds.get(kind)?.total ?? 0;
  }
}
