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
/** Live refresh interval of every query on screen. */
export const REFRESH_MS = 60_000;

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
    setLoading(true);
    req.promise
      .then((d) => {
        cache.set(key, { at: Date.now(), data: d });
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e) || !live) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      })
      .finally(req.release);
    return () => {
      live = false;
      req.release();
    };
  }, [key, tick]);

  useEffect(() => {
    if (key === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [key]);

  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}

/** Forgets every kept answer (sign-out, workspace switch, after a write). */
export function clearCache(): void {
  cache.clear();
}
