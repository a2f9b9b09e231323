/**
 * Incremental scoring in a running server, off the request path: every few seconds, the contacts with
 * tracked events received since the last pass are rescored (and moved where thresholds are crossed)
 * in one batch per workspace; once a day every contact is, so decay shows on contacts that went quiet.
 */
import type { Store } from '../store/store.js';
import { recomputeScores } from './recompute.js';

export interface ScoringJobOptions {
  /** Between passes (default 5 s; env NORTHSTAR_SCORING_INTERVAL_MS). */
  intervalMs?: number;
  /** Between full rescoring passes (default a day). */
  fullEveryMs?: number;
  log?: (msg: string) => void;
}

/** Events may be applied to the tables a little after they are received (the tracking journal). */
const SLACK_MS = 30_000;

/**
 * Starts the job; returns a function that stops it (and waits for a running pass). Off when
 * NORTHSTAR_SCORING=off.
 *
 * @example
 * const stop = startScoringJob(store, { log: console.error });
 * // … later
 * await stop();
 */
export function startScoringJob(store: Store, opts: ScoringJobOptions = {}): () => Promise<void> {
  if (process.env.NORTHSTAR_SCORING === 'off') return async () => undefined;
  const interval = opts.intervalMs ?? Number(process.env.NORTHSTAR_SCORING_INTERVAL_MS ?? 5000);
  const fullEvery = opts.fullEveryMs ?? 86_400_000;
  /** Per workspace: received_at of the newest event seen at the last pass, and when it was fully rescored. */
  const state = new Map<string, { since: Date; full: number }>();
  let running: Promise<void> | null = null;
  let stopped = false;

  const pass = async () => {
    for (const w of await store.listWorkspaces()) {
      if (stopped) return;
      const ws = store.forWorkspace(w);
      if (!(await ws.getScoringRules())) continue;
      const newest =
        (await ws.query<{ t: Date | null }>('SELECT max(received_at) AS t FROM @events'))[0]?.t ?? null;
      const st = state.get(w.id);
      const now = Date.now();
      if (!st || now - st.full >= fullEvery) {
        await recomputeScores(ws);
        state.set(w.id, { since: newest ?? new Date(0), full: now });
        continue;
      }
      if (!newest || newest <= st.since) continue;
      await recomputeScores(ws, {
        restrict: { kind: 'since', since: new Date(st.since.getTime() - SLACK_MS) },
      });
      st.since = newest;
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = pass()
      .catch((e) => opts.log?.(`scoring pass failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = null;
      });
  }, interval);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
