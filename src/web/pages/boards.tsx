/**
 * The seeds' boards: fixed layouts of the same tiles and charts. Sales (revenue, target progress,
 * remaining, owners by quota progress), SaaS funnel (leads, PQLs, trials, qualified leads, conversion)
 * and response (e-mail sent, open, click, reply, unsubscribe, social, traffic). In wall mode they rotate.
 */
import { useEffect } from 'preact/hooks';
import { expectedMarker } from '../charts/options.js';
import { BoardFiles, ShareLink } from '../components/download.js';
import { ProgressBar, StatusBadge } from '../components/goal.bits.js';
import { KpiChart, KpiTile } from '../components/kpi.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { Empty, Loaded } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { grainFor, type Range } from '../lib/period.js';
import { useApi } from '../lib/query.js';
import { BOARDS, type Board } from '../lib/state.js';
import type { GoalsAnswer } from '../lib/types.js';

/**
 * A board's name in the user's language (tabs), and its page heading.
 *
 * @example
 * setLanguage('ru'); boardName('sales') // 'Продажи'; boardHeading('sales') // 'Доска «Продажи»'
 */
export const boardName = (b: Board): string => t(`board.${b}`);
export const boardHeading = (b: Board): string => t('board.heading', { board: boardName(b) });
/** How long a wall screen shows each board. */
const ROTATE_MS = 30_000;

export function SalesBoard({ range }: { range: Range }) {
  const { me, fmt, today } = useApp();
  const asOf = range.to < today ? range.to : today;
  const goals = useApi<GoalsAnswer>('/api/v1/goals', { as_of: asOf }, me.workspace.slug);
  return (
    <>
      <div class="tiles">
        <KpiTile kpi="revenue" range={range} />
        <KpiTile kpi="pipeline_created" range={range} />
        <KpiTile kpi="win_rate" range={range} />
        <KpiTile kpi="avg_deal_size" range={range} />
        <KpiTile kpi="customers" range={range} />
      </div>
      <Loaded q={goals} what={t('board.revenueTarget')}>
        {(g) => {
          const active = g.objectives.filter((o) => o.start <= range.to && o.due >= range.from);
          const revenue = active.find((o) => o.kpi === 'revenue');
          const people = active
            .filter((o) => o.owner && o.kpi !== 'revenue')
            .sort((a, b) => (b.progress ?? -1) - (a.progress ?? -1));
          return (
            <div class="board">
              <section class="panel">
                <h2>{t('board.revenueTarget')}</h2>
                {revenue ? (
                  <>
                    <p class="big-figure">
                      {t('board.ofTarget', {
                        actual: formatValue(revenue.actual, 'currency', fmt),
                        target: formatValue(revenue.target, 'currency', fmt),
                      })}{' '}
                      <StatusBadge status={revenue.status} />
                    </p>
                    <ProgressBar
                      progress={revenue.progress}
                      expected={expectedMarker(revenue, g.as_of)}
                      status={revenue.status}
                    />
                    <p class="muted">
                      {t('board.remaining')} <b>{formatValue(revenue.gap, 'currency', fmt)}</b> ·{' '}
                      {t('board.forecast', { value: formatValue(revenue.forecast, 'currency', fmt) })} ·{' '}
                      {revenue.title}
                    </p>
                  </>
                ) : (
                  <Empty>{t('board.noRevenue')}</Empty>
                )}
              </section>
              <section class="panel">
                <h2>{t('board.owners')}</h2>
                {people.length === 0 ? (
                  <Empty>{t('board.noOwned')}</Empty>
                ) : (
                  <ol class="leaderboard">
                    {people.slice(0, 10).map((o) => (
                      <li key={o.id}>
                        <span>
                          <b>{o.owner}</b> <span class="muted">{o.title}</span>
                        </span>
                        <span>{o.progress === null ? '–' : formatValue(o.progress, 'ratio', fmt)}</span>
                        <ProgressBar
                          progress={o.progress}
                          expected={expectedMarker(o, g.as_of)}
                          status={o.status}
                        />
                      </li>
                    ))}
                  </ol>
                )}
              </section>
            </div>
          );
        }}
      </Loaded>
      <div class="board">
        <KpiChart kpi="revenue" range={range} grain={grainFor(range)} chart="bar" />
        <KpiChart
          kpi="revenue"
          range={range}
          grain="total"
          by="owner"
          chart="bar"
          title={t('board.revenueByOwner')}
        />
      </div>
    </>
  );
}

export function SaasBoard({ range }: { range: Range }) {
  const grain = grainFor(range);
  return (
    <>
      <div class="tiles">
        <KpiTile kpi="leads" range={range} />
        <KpiTile kpi="pqls" range={range} />
        <KpiTile kpi="free_trials" range={range} />
        <KpiTile kpi="sqls" range={range} label={t('board.sqls')} />
        <KpiTile kpi="trial_to_paid_rate" range={range} />
        <KpiTile kpi="lead_conversion_rate" range={range} />
      </div>
      <div class="board">
        <KpiChart kpi="leads" range={range} grain={grain} by="channel" chart="bar" />
        <KpiChart kpi="free_trials" range={range} grain={grain} />
        <KpiChart kpi="pqls" range={range} grain={grain} />
        <KpiChart kpi="trial_to_paid_rate" range={range} grain={grain} />
      </div>
    </>
  );
}

export function ResponseBoard({ range }: { range: Range }) {
  const grain = grainFor(range);
  return (
    <>
      <div class="tiles">
        <KpiTile kpi="emails_sent" range={range} />
        <KpiTile kpi="email_open_rate" range={range} />
        <KpiTile kpi="email_click_rate" range={range} />
        <KpiTile kpi="email_reply_rate" range={range} />
        <KpiTile kpi="unsubscribe_rate" range={range} />
        <KpiTile kpi="social_reach" range={range} />
        <KpiTile kpi="sessions" range={range} />
      </div>
      <div class="board">
        <KpiChart kpi="email_open_rate" range={range} grain={grain} />
        <KpiChart kpi="email_click_rate" range={range} grain={grain} />
        <KpiChart kpi="social_comments" range={range} grain={grain} chart="bar" />
        <KpiChart kpi="sessions" range={range} grain={grain} by="channel" chart="bar" />
      </div>
    </>
  );
}

export function Boards() {
  const { view, go } = useApp();
  const range = useRange();
  const board = (BOARDS as readonly string[]).includes(view.id ?? '') ? (view.id as Board) : 'sales';
  useEffect(() => {
    if (!view.wall) return;
    const timer = setTimeout(() => {
      if (document.visibilityState !== 'visible') return;
      const next = BOARDS[(BOARDS.indexOf(board) + 1) % BOARDS.length];
      go({ page: 'boards', id: next }, true);
    }, ROTATE_MS);
    return () => clearTimeout(timer);
  }, [view.wall, board, go]);
  return (
    <section>
      <div class="page-head">
        <h1>{boardHeading(board)}</h1>
        <BoardFiles board={board} />
        <ShareLink board={board} />
        <PeriodPicker />
      </div>
      <nav class="tabs" aria-label={t('nav.boards')}>
        {BOARDS.map((b) => (
          <a
            key={b}
            href={`/boards/${b}`}
            aria-current={b === board ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go({ page: 'boards', id: b });
            }}
          >
            {boardName(b)}
          </a>
        ))}
        <a
          href={`/boards/${board}?wall=1`}
          onClick={(e) => {
            e.preventDefault();
            go({ page: 'boards', id: board, wall: true });
          }}
        >
          {t('board.wall')}
        </a>
      </nav>
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
