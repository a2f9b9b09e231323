/** Shared loading, error and empty states: never a blank page. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../lib/api.js';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : null;
  return (
    <div class="state error" role="alert">
      <b>{status === 403 ? 'Not allowed' : 'Could not load this'}</b>: {error.message}
      {status ? <span class="muted"> (HTTP {status})</span> : null}
      {retry ? (
        <button type="button" class="link" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** An empty state says which data is missing and how to send it. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state empty">{children}</div>;
}

/**
 * The usual trio around a query: a spinner only when there is nothing to show yet, the error (above
 * the previous figures if there are any), else the content.
 */
export function Loaded<T>({
  q,
  children,
  what,
}: {
  q: { data: T | null; error: Error | null; loading: boolean; reload: () => void };
  children: (d: T) => ComponentChildren;
  what?: string;
}) {
  if (q.data === null && q.error) return <ErrorBox error={q.error} retry={q.reload} />;
  if (q.data === null) return <Loading what={what} />;
  return (
    <div class={q.loading ? 'stale' : undefined} aria-busy={q.loading}>
      {q.error ? <ErrorBox error={q.error} retry={q.reload} /> : null}
      {children(q.data)}
    </div>
  );
}
