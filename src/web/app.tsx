/**
 * The app: who is signed in (nothing but the sign-in form without a session), the view from the URL,
 * the shell (navigation, workspace switcher, period picker) and the page.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { preloadCharts } from './charts/chart.js';
import { Loading } from './components/states.js';
import { ApiError, api, onSignedOut, setSession } from './lib/api.js';
import { type AppCtx, Ctx } from './lib/context.js';
import { userLocale } from './lib/format.js';
import { todayIn } from './lib/period.js';
import { clearCache } from './lib/query.js';
import { parseView, type View, viewUrl } from './lib/state.js';
import type { Me } from './lib/types.js';
import { SignIn } from './pages/signin.js';
import { Shell } from './shell.js';

type Auth =
  | { kind: 'loading' }
  | { kind: 'out'; setup: boolean }
  | { kind: 'in'; me: Me }
  | { kind: 'error'; message: string };

const here = () => parseView(location.pathname, location.search);

async function whoAmI(): Promise<Auth> {
  try {
    return { kind: 'in', me: await api<Me>('/api/v1/auth/me', { authRedirect: false }) };
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 404))
      return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    const setup = await api<{ needed: boolean }>('/api/v1/auth/setup', { authRedirect: false }).catch(() => ({
      needed: false,
    }));
    return { kind: 'out', setup: setup.needed };
  }
}

export function App() {
  const [view, setView] = useState<View>(here);
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });

  useEffect(() => {
    const pop = () => setView(here());
    addEventListener('popstate', pop);
    return () => removeEventListener('popstate', pop);
  }, []);

  // The workspace of the URL (the switcher) goes with every request, /auth/me included.
  useEffect(() => {
    setSession(auth.kind === 'in' ? auth.me.csrf : '', view.ws ?? '');
    clearCache();
    void whoAmI().then((a) => {
      if (a.kind === 'in') setSession(a.me.csrf, view.ws ?? a.me.workspace.slug);
      setAuth(a);
    });
  }, [view.ws]);

  useEffect(
    () =>
      onSignedOut(() => {
        clearCache();
        setAuth({ kind: 'out', setup: false });
      }),
    [],
  );

  const go = useCallback((patch: Partial<View>, replace = false) => {
    const next = { ...here(), ...patch };
    if (patch.page && patch.id === undefined) next.id = null;
    const url = viewUrl(next);
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    setView(parseView(location.pathname, location.search));
    if (!replace) window.scrollTo(0, 0);
  }, []);

  const signOut = useCallback(async () => {
    await api('/api/v1/auth/signout', { method: 'POST', authRedirect: false }).catch(() => undefined);
    clearCache();
    setSession('', '');
    setAuth({ kind: 'out', setup: false });
  }, []);

  useEffect(() => {
    if (auth.kind === 'in') preloadCharts();
  }, [auth.kind]);

  const ctx = useMemo<AppCtx | null>(() => {
    if (auth.kind !== 'in') return null;
    const w = auth.me.workspace;
    return {
      view,
      go,
      me: auth.me,
      fmt: { locale: userLocale(), currency: w.currency },
      tz: w.timezone,
      today: todayIn(w.timezone),
    };
  }, [auth, view, go]);

  if (auth.kind === 'loading') return <Loading what="Northstar" />;
  if (auth.kind === 'error')
    return (
      <main class="signin">
        <p class="state error" role="alert">
          The server could not be reached: {auth.message}
        </p>
      </main>
    );
  if (auth.kind === 'out' || !ctx)
    return (
      <SignIn
        setup={auth.kind === 'out' && auth.setup}
        onIn={(me) => {
          clearCache();
          setSession(me.csrf, view.ws ?? me.workspace.slug);
          setAuth({ kind: 'in', me });
        }}
      />
    );
  return (
    <Ctx.Provider value={ctx}>
      <Shell onSignOut={signOut} />
    </Ctx.Provider>
  );
}
