/**
 * The weekly reports go out on the server's own schedule (like objective statuses, status.job.ts):
 * every few minutes each workspace's report is checked, and sent when its weekday and hour (in the
 * workspace's time zone) have come and it was not sent since.
 */
import type { Store } from '../store/store.js';
import { sendDueReports } from '../usecases/report.usecase.js';

/**
 * Starts the schedule; returns `stop()`. `baseUrl()` is this server's own address (Chromium renders
 * the boards from it).
 *
 * @example
 * const stop = startReportJob(store, () => 'http://127.0.0.1:8080', { log: (m) => logs.error(m) });
 */
export function startReportJob(
  store: Store,
  baseUrl: () => string,
  opts: { intervalMs?: number; log?: (msg: string) => void } = {},
): () => Promise<void> {
  const interval = opts.intervalMs ?? Number(process.env.NORTHSTAR_REPORT_INTERVAL_MS ?? 5 * 60_000);
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = running
      .then(() => sendDueReports(store, baseUrl()))
      .then(
        (results) => {
          for (const r of results)
            if (!r.ok) opts.log?.(`the weekly report of ${r.workspace} could not be sent: ${r.error}`);
        },
        (e: unknown) =>
          opts.log?.(`weekly reports check failed: ${e instanceof Error ? e.message : String(e)}`),
      );
  };
  run();
  const timer = setInterval(run, interval);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
