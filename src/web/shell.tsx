/** The frame around every page: navigation, workspace switcher, who is signed in; none of it in wall mode. */
import type { ComponentChildren } from 'preact';
import { useApp } from './lib/context.js';
import type { Page } from './lib/state.js';
import { Attribution } from './pages/attribution.js';
import { Boards } from './pages/boards.js';
import { Data } from './pages/data.js';
import { Funnel } from './pages/funnel.js';
import { Goals } from './pages/goals.js';
import { Kpis } from './pages/kpis.js';
import { Overview } from './pages/overview.js';
import { Planning } from './pages/planning.js';

const NAV: Array<{ page: Page; label: string }> = [
  { page: 'overview', label: 'Overview' },
  { page: 'goals', label: 'Goals' },
  { page: 'kpis', label: 'KPIs' },
  { page: 'funnel', label: 'Funnel' },
  { page: 'attribution', label: 'Attribution' },
  { page: 'planning', label: 'Planning' },
  { page: 'boards', label: 'Boards' },
  { page: 'data', label: 'Data' },
];

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
    default:
      return <Overview />;
  }
}

export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { view, go, me } = useApp();
  if (view.wall)
    return (
      <div class="wall">
        <PageBody page={view.page} />
        <button type="button" class="link wall-exit" onClick={() => go({ wall: false })}>
          Leave wall mode
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
        <nav aria-label="Pages">
          {NAV.map((n) => (
            <a
              key={n.page}
              href={`/${n.page}`}
              aria-current={view.page === n.page ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                go({ page: n.page });
              }}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <div class="who">
          {me.workspaces.length > 1 ? (
            <label class="switcher">
              <span class="sr">Workspace</span>
              <select
                value={me.workspace.slug}
                onChange={(e) => go({ ws: e.currentTarget.value })}
                aria-label="Workspace"
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
          <button type="button" class="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main class="page">
        <PageBody page={view.page} />
      </main>
    </div>
  );
}
