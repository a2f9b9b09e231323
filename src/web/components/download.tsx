/**
 * Downloads: a chart as PNG (drawn by the browser from the chart itself, ECharts' getDataURL), and a
 * board as PDF or PNG (rendered by the server with Chromium, GET /api/v1/boards/{board}.pdf).
 */
import { useRef, useState } from 'preact/hooks';
import { chartPng } from '../charts/chart.js';
import { ApiError, api, headersFor, queryString } from '../lib/api.js';
import { useApp } from '../lib/context.js';
import { t } from '../lib/i18n.js';

function save(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

/** A file-system-safe name from a chart's title. */
export function fileName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}

/** A "PNG" button for the chart in the same figure. */
export function ChartPng({ name }: { name: string }) {
  const me = useRef<HTMLButtonElement>(null);
  return (
    <button
      type="button"
      class="link png"
      ref={me}
      title={t('download.png', { name })}
      onClick={() => {
        const box = me.current?.closest('figure')?.querySelector('.chart');
        const url = box ? chartPng(box) : null;
        if (url) save(url, `${fileName(name)}.png`);
      }}
    >
      PNG
    </button>
  );
}

/** PDF and PNG of a whole board, rendered on the server (signed-in users). */
export function BoardFiles({ board }: { board: string }) {
  const { view } = useApp();
  const [state, setState] = useState<{ busy: string | null; error: string | null }>({
    busy: null,
    error: null,
  });
  const get = async (format: 'pdf' | 'png') => {
    setState({ busy: format, error: null });
    try {
      const q = queryString({ period: view.period, from: view.from, to: view.to });
      const res = await fetch(`/api/v1/boards/${board}.${format}${q}`, {
        credentials: 'same-origin',
        headers: headersFor('GET', undefined),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        throw new ApiError(res.status, body?.error ?? `${res.status} ${res.statusText}`, body);
      }
      const url = URL.createObjectURL(await res.blob());
      save(url, `${board}.${format}`);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: null, error: null });
    } catch (e) {
      setState({ busy: null, error: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <span class="board-files">
      {(['pdf', 'png'] as const).map((f) => (
        <button key={f} type="button" class="link" disabled={state.busy !== null} onClick={() => void get(f)}>
          {t(state.busy === f ? 'download.rendering' : 'download.board', { format: f.toUpperCase() })}
        </button>
      ))}
      {state.error ? (
        <span class="state error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}

/** "Share": an editor makes a read-only link to this board and sees its address once (POST /api/v1/shares). */
export function ShareLink({ board }: { board: string }) {
  const { me } = useApp();
  const [state, setState] = useState<{ url: string | null; error: string | null; busy: boolean }>({
    url: null,
    error: null,
    busy: false,
  });
  if (me.role === 'viewer') return null;
  const make = async () => {
    setState({ url: null, error: null, busy: true });
    try {
      const r = await api<{ path: string }>('/api/v1/shares', { method: 'POST', body: { board } });
      setState({ url: new URL(r.path, location.origin).href, error: null, busy: false });
    } catch (e) {
      setState({ url: null, error: e instanceof Error ? e.message : String(e), busy: false });
    }
  };
  return (
    <span class="share-link">
      <button type="button" class="link" disabled={state.busy} onClick={() => void make()}>
        {t('download.share')}
      </button>
      {state.url ? (
        <input
          readOnly
          value={state.url}
          aria-label={t('download.shareLink')}
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
      {state.error ? (
        <span class="state error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
