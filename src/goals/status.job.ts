/**
 * Objective statuses are recorded, and alerts sent, on the server's own schedule: every
 * `intervalMs`, and a few seconds after a write that can change them (a plan applied, a check-in,
 * an import). Never because someone read the goals: a read has no side effects, so a read key
 * cannot make the server send webhooks over and over.
 */
import { today } from '../core/time.js';
import type { Store } from '../store/store.js';
import { recordStatuses } from './alerts.js';
import { goalsStatus } from './status.js';

export interface StatusJobOptions {
  /** Between scheduled checks (default 15 minutes; env NORTHSTAR_STATUS_INTERVAL_MS). */
  intervalMs?: number;
  /** How long after a write the check runs (several writes in a row make one check). */
  afterWriteMs?: number;
  log?: (msg: string) => void;
}

/**
 * Records every workspace's objective statuses as of its today; returns the changes found.
 *
 * @example
 * const changes = await checkStatuses(store); // [{ workspace: 'demo', id: 'leads-per-quarter', from: 'on_track', to: 'at_risk' }]
 */
export async function checkStatuses(
  store: Store,
): Promise<Array<{ workspace: string; id: string; from: string | null; to: string }>> {
  const out: Array<{ workspace: string; id: string; from: string | null; to: string }> = [];
  for (const w of await store.listWorkspaces()) {
    const ws = store.forWorkspace(w);
    if ((await ws.listGoals()).length === 0) continue;
    const asOf = today(w.timezone);
    const report = await goalsStatus(ws, asOf);
    const { changes } = await recordStatuses(ws, report.objectives, asOf);
    for (const c of changes) out.push({ workspace: w.slug, ...c });
  }
  return out;
}

/**
 * Starts the schedule (a first check at once); returns `soon()` for writes to call and `stop()`.
 *
 * @example
 * const job = startStatusJob(store, { log: (m) => logger.error(m) });
 * job.soon(); // after an import
 * await job.stop();
 */
export function startStatusJob(store: Store, opts: StatusJobOptions = {}) {
  const interval = opts.intervalMs ?? Number(process.env.NORTHSTAR_STATUS_INTERVAL_MS ?? 15 * 60_000);
  const afterWrite = opts.afterWriteMs ?? 5_000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let pending: NodeJS.Timeout | null = null;
  const run = () => {
    if (stopped) return running;
    running = running
      .then(() => checkStatuses(store))
      .then(
        () => undefined,
        (e: unknown) =>
          opts.log?.(`objective status check failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), interval);
  timer.unref();
  return {
    /** A write happened: check in a few seconds (once for a burst of writes). */
    soon(): void {
      if (stopped || pending) return;
      pending = setTimeout(() => {
        pending = null;
        void run();
      }, afterWrite);
      pending.unref();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      await running;
    },
  };
}
