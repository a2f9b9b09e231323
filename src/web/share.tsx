/**
 * The app opened through a share link (`/share/<token>`): that one board or the overview, read-only,
 * no sign-in and no navigation. Every request carries the token (`Authorization: Share …`); the
 * server lets it reach only the reads a board needs. `?print=1` (the server's PDF render) hides the
 * controls and marks the page ready (`data-share-ready`) once every request has answered.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { preloadCharts } from './charts/chart.js';
import { PeriodPicker, useRange } from './components/period.js';
import { Loading } from './components/states.js';
import { activeRequests, api, setShareToken } from './lib/api.js';
import { type AppCtx, Ctx } from './lib/context.js';
import { userLocale } from './lib/format.js';
import { pickLanguage, setLanguage, t } from './lib/i18n.js';
import { todayIn } from './lib/period.js';
import { parseView, type View, viewUrl } from './lib/state.js';
import type { Me } from './lib/types.js';
import { boardHeading, ResponseBoard, SaasBoard, SalesBoard } from './pages/boards.js';
import { Overview } from './pages/overview.js';

/** `GET /api/v1/share`. */
interface ShareAnswer {
  board: 'sales' | 'saas' | 'response' | 'overview';
  prefix: string;
  workspace: Me['workspace'];
}

/** The token of a share link's path, or null for any other page. */
export function shareToken(pathname: string): string | null {
  return /^\/share\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)?.[1] ?? null;
}

/** Quiet this long (no request under way) before a print render is called ready: charts animate in. */
const SETTLE_MS = 1500;

function useReady(enabled: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let quiet = 0;
    const timer = setInterval(() => {
      const busy = activeRequests() > 0 || document.querySelector('.state.loading') !== null;
      quiet = busy ? 0 : quiet + 250;
      if (quiet >= SETTLE_MS) {
        setReady(true);
        clearInterval(timer);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [enabled]);
  return ready;
}

function BoardBody({ board }: { board: ShareAnswer['board'] }) {
  const range = useRange();
  if (board === 'overview') return <Overview />;
  return (
    <section>
      <div class="page-head">
        <h1>{boardHeading(board)}</h1>
        <PeriodPicker />
      </div>
      {board === 'sales' ? (
        <SalesBoard range={range} />
      ) : board === 'saas' ? (
        <SaasBoard range={range} />
      ) : (
        <ResponseBoard range={range} />
      )}
    </section>
  );
}

export function ShareApp({ token }: { token: string }) {
  const [info, setInfo] = useState<ShareAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<View>(() => parseView('/', location.search));
  const print = new URLSearchParams(location.search).get('print') === '1';

  useEffect(() => {
    setShareToken(token);
    preloadCharts();
    api<ShareAnswer>('/api/v1/share', { authRedirect: false }).then(setInfo, (e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  }, [token]);

  // Only the view's query changes (the period); the path stays the link's.
  const go = useCallback(
    (patch: Partial<View>, replace = false) => {
      if (patch.page !== undefined || patch.id !== undefined) return;
      const next = { ...parseView('/', location.search), ...patch };
      const url = viewUrl(next);
      const q = url.includes('?') ? url.slice(url.indexOf('?')) : '';
      const p = print ? `${q ? `${q}&` : '?'}print=1` : q;
      if (replace) history.replaceState(null, '', `/share/${token}${p}`);
      else history.pushState(null, '', `/share/${token}${p}`);
      setView(parseView('/', location.search));
    },
    [token, print],
  );

  // A share link has no user: the page speaks the browser's language, with no choice to keep.
  const lang = pickLanguage(null, navigator.languages ?? []);
  setLanguage(lang);
  const ctx = useMemo<AppCtx | null>(() => {
    if (!info) return null;
    const w = info.workspace;
    const me: Me = {
      user: { id: '', email: '', name: null },
      workspace: w,
      role: 'viewer',
      workspaces: [],
      csrf: '',
    };
    return {
      view,
      go,
      me,
      fmt: { locale: userLocale(), currency: w.currency },
      tz: w.timezone,
      today: todayIn(w.timezone),
      lang,
      setLang: () => undefined,
    };
  }, [info, view, go, lang]);
  const ready = useReady(ctx !== null);

  if (error)
    return (
      <main class="signin">
        <p class="state error" role="alert">
          {t('share.broken', { message: error })}
        </p>
      </main>
    );
  if (!ctx || !info) return <Loading what={t('share.loading')} />;
  return (
    <Ctx.Provider value={ctx}>
      <div class={`app share${print ? ' print' : ''}`} data-share-ready={ready ? '1' : '0'}>
        <header class="top">
          <span class="brand">Northstar</span>
          <span class="ws">{info.workspace.name}</span>
          <span class="muted">{t('share.readOnly')}</span>
        </header>
        <main class="page">
          <BoardBody board={info.board} />
        </main>
      </div>
    </Ctx.Provider>
  );
}
