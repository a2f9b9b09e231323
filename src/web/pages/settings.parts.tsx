/** What the Settings panels share: a titled panel, and a write that refreshes the page's queries. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { clearCache } from '../lib/query.js';

/**
 * Runs a write: busy while it runs, its error kept to show, the page's queries refreshed after.
 *
 * @example
 * const w = useWrite();
 * await w.run(() => api('/api/v1/keys', { method: 'POST', body }), q.reload); // null if it failed
 */
export function useWrite() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async <T,>(fn: () => Promise<T>, after: () => void): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      const r = await fn();
      clearCache();
      after();
      return r;
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A Settings section, headed by its title (its `id` names it for tests and links). */
export function Panel({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="panel settings" aria-labelledby={`${id}-h`} data-section={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}
