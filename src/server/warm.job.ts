import { today } from '../core/time.js';
import type { Store } from '../store/store.js';
import { goalsOverview } from '../usecases/goals.usecase.js';
import { queryKpi } from '../usecases/kpis.usecase.js';
import { OVERVIEW_HEADLINE, OVERVIEW_SPARK_POINTS, quarterToDate } from '../usecases/overview.defaults.js';

/**
 * After a start nothing is kept (answers live in memory), so the first visit computed the whole
 * overview while the user waited. This computes, in the background, what the overview asks for by
 * default (the goals with their sparklines and the headline tiles, this quarter) for every workspace,
 * one read at a time, into the server's read cache: a visit meanwhile joins the computation in
 * flight, a visit after it is answered from the cache. It only reads; a failure is logged and ends
 * the warm-up, never the server.
 *
 * @example
 * const warm = warmDefaultPages(store, { log: (m) => logs.info(m) });
 * await warm.stop(); // on shutdown: no new read starts
 */
export function warmDefaultPages(
  store: Store,
  opts: { log?: (msg: string) => void; error?: (msg: string) => void } = {},
): { done: Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  const run = async () => {
    const t = Date.now();
    let reads = 0;
    for (const w of await store.listWorkspaces()) {
      const ws = store.forWorkspace(w);
      const day = today(w.timezone);
      const range = quarterToDate(day);
      const jobs: Array<() => Promise<unknown>> = [
        () => goalsOverview(ws, { asOf: day, from: range.from, points: OVERVIEW_SPARK_POINTS }),
        ...OVERVIEW_HEADLINE.map(
          (kpi) => () => queryKpi(ws, { kpi, from: range.from, to: range.to, grain: 'total' }),
        ),
      ];
      for (const job of jobs) {
        if (stopped) return;
        await job();
        reads++;
      }
    }
    opts.log?.(`overview ready: ${reads} reads kept in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const done = run().catch((e: unknown) =>
    opts.error?.(`warming the overview failed: ${e instanceof Error ? e.message : String(e)}`),
  );
  return {
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
