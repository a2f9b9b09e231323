/**
 * The one fetch wrapper for the JSON API: the session cookie goes by itself; writes carry the
 * session's CSRF token; the chosen workspace goes as `X-Northstar-Workspace` (access contract).
 * Failures are typed (`ApiError` with the status and the server's one-line reason); an aborted
 * request rejects with an `AbortError` the callers ignore.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** What every request carries: set once signed in, cleared on sign-out. */
const session = { csrf: '', workspace: '' };

export function setSession(csrf: string, workspace: string): void {
  session.csrf = csrf;
  session.workspace = workspace;
}

/** Listeners told when the server says the session is gone (401), so the app shows the sign-in form. */
const signedOut = new Set<() => void>();
export function onSignedOut(fn: () => void): () => void {
  signedOut.add(fn);
  return () => signedOut.delete(fn);
}

/**
 * `?a=1&b=x&rate=v&rate=w`: null and undefined left out, arrays repeated.
 *
 * @example
 * queryString({ from: '2026-01-01', by: null, rate: ['a=1', 'b=2'] }) // '?from=2026-01-01&rate=a%3D1&rate=b%3D2'
 */
export function queryString(q: Record<string, QueryValue> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** JSON-encoded unless a FormData or a string. */
  body?: unknown;
  signal?: AbortSignal;
  /** Whether a 401 means "signed out" (false for the sign-in call itself). */
  authRedirect?: boolean;
}

/** The headers of a request: the workspace, and the CSRF token on writes. */
export function headersFor(method: string, body: unknown): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (session.workspace) h['x-northstar-workspace'] = session.workspace;
  if (method !== 'GET' && session.csrf) h['x-csrf-token'] = session.csrf;
  if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string')
    h['content-type'] = 'application/json';
  return h;
}

/**
 * A JSON API call.
 *
 * @example
 * const kpi = await api<KpiResult>('/api/v1/kpis/leads', { query: { from, to, grain: 'week' }, signal });
 */
export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  const method = o.method ?? 'GET';
  const res = await fetch(path + queryString(o.query), {
    method,
    credentials: 'same-origin',
    headers: headersFor(method, o.body),
    body:
      o.body === undefined
        ? undefined
        : o.body instanceof FormData || typeof o.body === 'string'
          ? o.body
          : JSON.stringify(o.body),
    signal: o.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the text is the reason.
  }
  if (!res.ok) {
    if (res.status === 401 && o.authRedirect !== false) for (const fn of signedOut) fn();
    const reason =
      body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
        ? (body as { error: string }).error
        : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, reason, body);
  }
  return body as T;
}

/** Whether an error is the abort of a request the view no longer needs. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
