/**
 * The goal tree (goals → objectives → team and personal objectives, expandable, each with progress and
 * status) and, beside it, the chosen objective's detail.
 */
import { useState } from 'preact/hooks';
import { ProgressBar, StatusBadge } from '../components/goal.bits.js';
import { Empty, Loaded } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { useApi } from '../lib/query.js';
import type { GoalNode, GoalsAnswer } from '../lib/types.js';
import { ObjectiveDetail } from './objective.js';

function Node({ n, open, toggle }: { n: GoalNode; open: Set<string>; toggle: (id: string) => void }) {
  const { view, go } = useApp();
  const expanded = !open.has(`-${n.id}`);
  return (
    <li>
      <div class={`node${view.id === n.id ? ' chosen' : ''}`}>
        {n.children.length ? (
          <button
            type="button"
            class="toggle"
            aria-expanded={expanded}
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${n.title}`}
            onClick={() => toggle(`-${n.id}`)}
          >
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span />
        )}
        {n.kind === 'objective' ? (
          <a
            href={`/goals/${encodeURIComponent(n.id)}`}
            onClick={(e) => {
              e.preventDefault();
              go({ page: 'goals', id: n.id });
            }}
          >
            {n.title}
          </a>
        ) : (
          <b>{n.title}</b>
        )}
        <ProgressBar progress={n.progress} status={n.status} />
        <StatusBadge status={n.status} />
      </div>
      {n.children.length && expanded ? (
        <ul class="tree">
          {n.children.map((c) => (
            <Node key={c.id} n={c} open={open} toggle={toggle} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function Goals() {
  const { me, view, today } = useApp();
  const q = useApi<GoalsAnswer>('/api/v1/goals', { as_of: today }, me.workspace.slug);
  // Collapsed nodes (all start open), kept while the page is open.
  const [closed, setClosed] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setClosed((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <section>
      <div class="page-head">
        <h1>Goals</h1>
      </div>
      <Loaded q={q} what="Goal tree">
        {(g) =>
          g.goals.length === 0 ? (
            <Empty>
              No goals yet: load a plan with <code>northstar goals apply plan.yaml</code> (docs/goals.md).
            </Empty>
          ) : (
            <div class={view.id ? 'layout-2' : undefined}>
              <div class="panel">
                <ul class="tree">
                  {g.goals.map((n) => (
                    <Node key={n.id} n={n} open={closed} toggle={toggle} />
                  ))}
                </ul>
              </div>
              {view.id ? <ObjectiveDetail id={view.id} report={g} /> : null}
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
