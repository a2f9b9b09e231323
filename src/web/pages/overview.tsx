/**
 * The overview: the period's headline KPIs, the company goals, and a card per objective active in the
 * period (as of the period's end): its KPI value, target, progress with the expected-by-today marker,
 * status, a sparkline of its actual through the period, and its owner.
 */

import { useMemo } from 'preact/hooks';
import { OVERVIEW_HEADLINE, OVERVIEW_SPARK_POINTS } from '../../usecases/overview.defaults.js';
import { Chart } from '../charts/chart.js';
import { expectedMarker, STATUS_COLORS, sparkOption } from '../charts/options.js';
import { AsOf } from '../components/as.of.js';
import { ProgressBar, StatusBadge } from '../components/goal.bits.js';
import { KpiTile } from '../components/kpi.js';
import { MarketPicker } from '../components/market.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { Empty, Loaded } from '../components/states.js';
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { formatDay, formatValue } from '../lib/format.js';
import { t, tParts } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';
import type { ObjectiveStatus, OverviewAnswer } from '../lib/types.js';

// Shared with the server, which computes these reads after a start (server/warm.job.ts).
const HEADLINE = OVERVIEW_HEADLINE;
const SPARK_POINTS = OVERVIEW_SPARK_POINTS;

function ObjectiveCard({
  o,
  asOf,
  spark,
}: {
  o: ObjectiveStatus;
  asOf: string;
  spark: Array<number | null>;
}) {
  const { fmt, go } = useApp();
  const cat = useCatalog();
  const option = useMemo(() => sparkOption(spark, STATUS_COLORS[o.status]), [spark.join(','), o.status]);
  return (
    <article class={`card obj st-${o.status}`} data-objective={o.id}>
      <header>
        <a
          href={`/goals/${encodeURIComponent(o.id)}`}
          onClick={(e) => {
            e.preventDefault();
            go({ page: 'goals', id: o.id });
          }}
        >
          {o.title}
        </a>
        <StatusBadge status={o.status} />
      </header>
      <div class="kpi-line">
        <span class="big" data-actual={o.actual ?? ''}>
          {formatValue(o.actual, o.unit, fmt)}
        </span>
        <span class="muted">
          {' '}
          {t('overview.ofTarget', { target: formatValue(o.target, o.unit, fmt) })} ·{' '}
          {cat.byId.get(o.kpi)?.name ?? o.kpi}
        </span>
      </div>
      <ProgressBar progress={o.progress} expected={expectedMarker(o, asOf)} status={o.status} />
      {spark.some((v) => v !== null) ? (
        <Chart option={option} height={40} label={t('overview.spark', { title: o.title })} class="spark" />
      ) : null}
      <footer class="muted">
        {o.owner ?? t('overview.noOwner')} · {t('overview.due', { date: formatDay(o.due, fmt) })}
        {o.note ? <div class="note">{o.note}</div> : null}
      </footer>
    </article>
  );
}

export function Overview() {
  const { me, today, fmt } = useApp();
  const range = useRange();
  const asOf = range.to < today ? range.to : today;
  // One request: the tree as of the period's end and every objective's actual at SPARK_POINTS dates
  // through the period (its sparkline).
  const goals = useApi<OverviewAnswer>(
    '/api/v1/goals/overview',
    { as_of: asOf, from: range.from, points: SPARK_POINTS },
    me.workspace.slug,
  );
  return (
    <section>
      <div class="page-head">
        <h1>{t('nav.overview')}</h1>
        <MarketPicker />
        <PeriodPicker />
      </div>
      <div class="tiles">
        {HEADLINE.map((k) => (
          <KpiTile key={k} kpi={k} range={range} />
        ))}
      </div>
      <Loaded q={goals} what={t('goals.title')}>
        {(g) => {
          const active = g.objectives.filter((o) => o.start <= range.to && o.due >= range.from);
          if (g.goals.length === 0)
            return (
              <Empty>
                {tParts('overview.noGoals', {
                  command: <code key="c">northstar goals apply plan.yaml</code>,
                })}
              </Empty>
            );
          const spark = (id: string) => g.history.actual[id] ?? [];
          return (
            <>
              <h2>{t('overview.goalsAsOf', { date: formatDay(g.as_of, fmt) })}</h2>
              <AsOf answer={g} />
              <ul class="goals">
                {g.goals.map((n) => (
                  <li key={n.id}>
                    <b>{n.title}</b> <StatusBadge status={n.status} />
                    <ProgressBar progress={n.progress} status={n.status} />
                    <span class="muted">{n.owner ?? ''}</span>
                  </li>
                ))}
              </ul>
              <h2>{t('overview.objectives', { count: active.length })}</h2>
              {active.length === 0 ? (
                <Empty>{t('overview.noObjectives')}</Empty>
              ) : (
                <div class="cards">
                  {active.map((o) => (
                    <ObjectiveCard key={o.id} o={o} asOf={g.as_of} spark={spark(o.id)} />
                  ))}
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
