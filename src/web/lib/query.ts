/**
 * One hook per query: keyed by the workspace, the path and the query (which carry the view state), so
 * a changed view refetches and an unchanged one does not. The previous figures stay on screen while
 * new ones load; answers are kept briefly so going back to a page shows it at once; while the page is
 * visible it is refreshed on an interval (paused while the tab is hidden), so a wall screen stays current.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort, type QueryValue, queryString } from './api.js';

export interface QueryState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

const cache = new Map<string, { at: number; data: unknown }>();
/** Requests under way, shared by every component asking the same thing at once. */
const inflight = new Map<string, { promise: Promise<unknown>; users: number; ctl: AbortController }>();

/** One request per key at a time; aborted when the last component waiting for it lets go. */
function shared<T>(key: string, path: string, query: Record<string, QueryValue>) {
  let f = inflight.get(key);
  if (!f) {
    const ctl = new AbortController();
    const promise = api<T>(path, { query, signal: ctl.signal }).finally(() => {
      if (inflight.get(key)?.promise === promise) inflight.delete(key);
    });
    f = { promise, users: 0, ctl };
    inflight.set(key, f);
  }
  const entry = f;
  entry.users++;
  let released = false;
  return {
    promise: entry.promise as Promise<T>,
    release: () => {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users === 0) {
        entry.ctl.abort();
        if (inflight.get(key) === entry) inflight.delete(key);
      }
    },
  };
}
const FRESH_MS = 30_000;
/** A stale answer (the server is refreshing it) is asked for again this soon. */
const STALE_RETRY_MS = 5000;
/** Live refresh interval of every query on screen (a wall screen stays within 30 s of the data). */
export const REFRESH_MS = 30_000;

/**
 * `useApi<KpiAnswer>('/api/v1/kpis/leads', { from, to })` → `{ data, error, loading, reload }`; `path`
 * null fetches nothing (a query waiting for another).
 */
export function useApi<T>(
  path: string | null,
  query: Record<string, QueryValue> = {},
  workspace = '',
): QueryState<T> {
  const key = path === null ? null : `${workspace} ${path}${queryString(query)}`;
  const cached = key ? cache.get(key) : undefined;
  const [data, setData] = useState<T | null>((cached?.data as T | undefined) ?? null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const last = useRef<string | null>(null);
  // A live refresh of the same view loads quietly: the figures stay as they are (not dimmed) until
  // the new ones replace them, so a wall screen does not flicker every interval.
  const quiet = useRef(false);

  useEffect(() => {
    if (key === null || path === null) return;
    const hit = cache.get(key);
    if (hit) setData(hit.data as T);
    if (hit && Date.now() - hit.at < FRESH_MS && last.current !== key && tick === 0) {
      last.current = key;
      setError(null);
      return;
    }
    last.current = key;
    const req = shared<T>(key, path, query);
    let live = true;
    let again: ReturnType<typeof setTimeout> | undefined;
    if (!quiet.current) setLoading(true);
    quiet.current = false;
    req.promise
      .then((d) => {
        // Served from before new data arrived while the server refreshes it: not kept as fresh here,
        // and asked again quietly in a few seconds rather than at the next interval.
        const stale = (d as { stale?: unknown } | null)?.stale === true;
        cache.set(key, { at: stale ? 0 : Date.now(), data: d });
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
        if (stale)
          again = setTimeout(() => {
            quiet.current = true;
            setTick((t) => t + 1);
          }, STALE_RETRY_MS);
      })
      .catch((e: unknown) => {
        if (isAbort(e) || !live) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      })
      .finally(req.release);
    return () => {
      live = false;
      clearTimeout(again);
      req.release();
    };
  }, [key, tick]);

  useEffect(() => {
    if (key === null) return;
    let last = Date.now();
    const refresh = () => {
      last = Date.now();
      quiet.current = true;
      setTick((t) => t + 1);
    };
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, REFRESH_MS);
    // Back on a tab hidden for longer than the interval: refresh at once, not up to 30 s later.
    const shown = () => {
      if (document.visibilityState === 'visible' && Date.now() - last >= REFRESH_MS) refresh();
    };
    document.addEventListener('visibilitychange', shown);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, [key]);

  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}

/** Forgets every kept answer (sign-out, workspace switch, after a write). */
export function clearCache(): void {
  cache.clear();
}
