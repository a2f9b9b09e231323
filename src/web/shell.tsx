/** The frame around every page: navigation, workspace switcher, who is signed in; none of it in wall mode. */
import type { ComponentChildren } from 'preact';
import { useApp } from './lib/context.js';
import { LANGUAGE_NAMES, LANGUAGES, type Lang, t } from './lib/i18n.js';
import type { Page } from './lib/state.js';
import { Attribution } from './pages/attribution.js';
import { Boards } from './pages/boards.js';
import { Data } from './pages/data.js';
import { Funnel } from './pages/funnel.js';
import { Goals } from './pages/goals.js';
import { Kpis } from './pages/kpis.js';
import { Overview } from './pages/overview.js';
import { Planning } from './pages/planning.js';
import { Settings } from './pages/settings.js';

const NAV: Page[] = ['overview', 'goals', 'kpis', 'funnel', 'attribution', 'planning', 'boards', 'data'];

function PageBody({ page }: { page: Page }): ComponentChildren {
  switch (page) {
    case 'goals':
      return <Goals />;
    case 'kpis':
      return <Kpis />;
    case 'attribution':
      return <Attribution />;
    case 'funnel':
      return <Funnel />;
    case 'planning':
      return <Planning />;
    case 'boards':
      return <Boards />;
    case 'data':
      return <Data />;
    case 'settings':
      return <Settings />;
    default:
      return <Overview />;
  }
}

export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { view, go, me, lang, setLang } = useApp();
  if (view.wall)
    return (
      <div class="wall">
        <PageBody page={view.page} />
        <button type="button" class="link wall-exit" onClick={() => go({ wall: false })}>
          {t('app.leaveWall')}
        </button>
      </div>
    );
  return (
    <div class="app">
      <header class="top">
        <a
          class="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            go({ page: 'overview' });
          }}
        >
          Northstar
        </a>
        <nav aria-label={t('app.pages')}>
          {(me.role === 'admin' ? [...NAV, 'settings' as const] : NAV).map((page) => (
            <a
              key={page}
              href={`/${page}`}
              aria-current={view.page === page ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                go({ page });
              }}
            >
              {t(`nav.${page}`)}
            </a>
          ))}
        </nav>
        <div class="who">
          {me.workspaces.length > 1 ? (
            <label class="switcher">
              <span class="sr">{t('app.workspace')}</span>
              <select
                value={me.workspace.slug}
                onChange={(e) => go({ ws: e.currentTarget.value })}
                aria-label={t('app.workspace')}
              >
                {me.workspaces.map((w) => (
                  <option key={w.slug} value={w.slug}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span class="ws">{me.workspace.name}</span>
          )}
          <span class="muted user" title={`${me.user.email} (${me.role})`}>
            {me.user.name || me.user.email}
          </span>
          <select
            class="lang"
            value={lang}
            aria-label={t('app.language')}
            onChange={(e) => setLang(e.currentTarget.value as Lang)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          <button type="button" class="link" onClick={onSignOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main class="page">
        <PageBody page={view.page} />
      </main>
    </div>
  );
}
