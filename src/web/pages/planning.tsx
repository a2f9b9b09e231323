/**
 * Planning: next year's revenue target with its arithmetic, the channel review (keep / cut / double
 * down, with reasons) and the reverse-funnel calculator (a revenue goal → visits, leads, MQLs, SQLs,
 * customers and budget by channel). Every number is the planning API's (`northstar plan …`).
 */
import { useMemo, useState } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { funnelOption } from '../charts/options.js';
import { CsvButton } from '../components/csv.button.js';
import { Empty, Loaded } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { formatDay, formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { useApi } from '../lib/query.js';
import type { FunnelAnswer, ReviewAnswer, TargetAnswer } from '../lib/types.js';

function Target() {
  const { view, go, me, fmt } = useApp();
  const q = useApi<TargetAnswer>('/api/v1/plan/target', { uplift: view.uplift }, me.workspace.slug);
  const money = (v: number | null | undefined) => formatValue(v ?? null, 'currency', fmt);
  const pct = (v: number | null | undefined) => formatValue(v ?? null, 'ratio', fmt);
  return (
    <section class="panel" aria-labelledby="target-h">
      <h2 id="target-h">{t('plan.target')}</h2>
      <div class="controls">
        <label>
          {t('plan.uplift')}
          <input
            type="number"
            min={0}
            max={100}
            value={view.uplift ?? 5}
            onChange={(e) =>
              go({ uplift: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) }, true)
            }
          />
        </label>
      </div>
      <Loaded q={q} what={t('plan.target')}>
        {(tg) => {
          const last = tg.years.find((y) => y.year === tg.year);
          const grown = tg.years.filter((y) => y.growth !== null).slice(-3);
          return (
            <>
              <p class="big-figure">
                {tg.target_year}: <b data-target={tg.target}>{money(tg.target)}</b>
              </p>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t('plan.year')}</th>
                      <th>{t('plan.dates')}</th>
                      <th>{t('plan.revenue')}</th>
                      <th>{t('plan.growth')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tg.years.map((y) => (
                      <tr key={y.year}>
                        <td>{y.year}</td>
                        <td>
                          {y.from && y.to
                            ? `${formatDay(y.from, fmt)} – ${formatDay(y.to, fmt)}`
                            : t('plan.calendarYear')}
                        </td>
                        <td>{money(y.revenue)}</td>
                        <td>{pct(y.growth)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p class="arith">
                {t('plan.avgGrowth')} = {t('plan.meanOf')} {grown.map((y) => pct(y.growth)).join(', ')} ={' '}
                <b>{pct(tg.average_growth)}</b>; {t('plan.targetGrowth')} = {pct(tg.average_growth)} +{' '}
                {pct(tg.uplift)} {t('plan.upliftWord')} = <b>{pct(tg.target_growth)}</b>;{' '}
                {t('plan.targetWord')} = {money(last?.revenue)} × {pct(tg.target_growth)} +{' '}
                {money(last?.revenue)} = <b>{money(tg.target)}</b>
              </p>
              {tg.note ? <p class="muted">{tg.note}</p> : null}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function Review() {
  const { me, fmt } = useApp();
  const q = useApi<ReviewAnswer>('/api/v1/plan/review', {}, me.workspace.slug);
  return (
    <section class="panel" aria-labelledby="review-h">
      <h2 id="review-h">{t('plan.review')}</h2>
      <Loaded q={q} what={t('plan.review')}>
        {(r) =>
          r.channels.length === 0 ? (
            <Empty>{t('plan.reviewEmpty')}</Empty>
          ) : (
            <>
              <div class="controls">
                <span class="muted">
                  {formatDay(r.from, fmt)} – {formatDay(r.to, fmt)}
                </span>
                <CsvButton
                  name={`channel-review-${r.from}-${r.to}.csv`}
                  columns={['channel', 'verdict', 'spend', 'leads', 'customers', 'revenue', 'roi', 'reason']}
                  rows={r.channels}
                />
              </div>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t('plan.channel')}</th>
                      <th>{t('plan.verdict')}</th>
                      <th>{t('plan.spend')}</th>
                      <th>{t('funnel.leads')}</th>
                      <th>{t('funnel.customers')}</th>
                      <th>{t('plan.revenue')}</th>
                      <th>ROI</th>
                      <th>{t('plan.why')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.channels.map((c) => (
                      <tr key={c.channel}>
                        <td>{c.channel}</td>
                        <td class={`verdict ${c.verdict}`}>{verdict(c.verdict)}</td>
                        <td>{formatValue(c.spend, 'currency', fmt)}</td>
                        <td>{formatValue(c.leads, 'count', fmt)}</td>
                        <td>{formatValue(c.customers, 'count', fmt)}</td>
                        <td>{formatValue(c.revenue, 'currency', fmt)}</td>
                        <td>{formatValue(c.roi, 'ratio', fmt)}</td>
                        <td class="wrap">{c.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

const STAGES = ['visits', 'leads', 'mqls', 'sqls', 'customers'] as const;
const STAGE_NAMES = {
  visits: 'funnel.visits',
  leads: 'funnel.leads',
  mqls: 'funnel.mqls',
  sqls: 'funnel.sqls',
  customers: 'funnel.customers',
} as const;

/** A verdict in the reader's words; an unknown one as the API spells it. */
function verdict(v: string | null | undefined): string {
  if (v === 'keep' || v === 'cut' || v === 'double_down') return t(`plan.verdict.${v}`);
  return String(v ?? '–').replaceAll('_', ' ');
}

function ReverseFunnel() {
  const { view, go, me, fmt, lang } = useApp();
  const [typed, setTyped] = useState(view.goal === null ? '' : String(view.goal));
  const q = useApi<FunnelAnswer>(
    view.goal === null ? null : '/api/v1/plan/funnel',
    { revenue: view.goal },
    me.workspace.slug,
  );
  const option = useMemo(
    () =>
      q.data
        ? funnelOption(
            STAGES.map((s) => ({ name: t(STAGE_NAMES[s]), value: q.data?.[s] ?? 0 })),
            fmt,
          )
        : null,
    [q.data, fmt, lang],
  );
  return (
    <section class="panel" aria-labelledby="funnel-h">
      <h2 id="funnel-h">{t('plan.reverse')}</h2>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(typed);
          if (Number.isFinite(n) && n > 0) go({ goal: Math.round(n) }, true);
        }}
      >
        <label>
          {t('plan.goal', { currency: me.workspace.currency })}
          <input
            type="number"
            min={1}
            required
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{t('plan.calculate')}</button>
      </form>
      {view.goal === null ? (
        <p class="muted">{t('plan.reverseHint')}</p>
      ) : (
        <Loaded q={q} what={t('plan.reverse')}>
          {(f) => (
            <>
              {option ? <Chart option={option} height={220} label={t('plan.countsNeeded')} /> : null}
              <p class="muted">
                {t('plan.avgRevenue')} {formatValue(f.avg_first_year_revenue, 'currency', fmt)} ·{' '}
                {t('plan.rates')}:{' '}
                {Object.entries(f.rates)
                  .map(([k, v]) => `${k.replaceAll('_', ' ')} ${formatValue(v, 'ratio', fmt)}`)
                  .join(' · ')}{' '}
                · {t('plan.bottleneck')}: <b>{String(f.bottleneck).replaceAll('_', ' ')}</b>
              </p>
              <div class="controls">
                <CsvButton
                  name={`reverse-funnel-${view.goal}.csv`}
                  columns={['channel', 'verdict', 'plan_share', 'leads', 'cost_per_lead', 'budget']}
                  rows={f.channels}
                />
              </div>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t('plan.channel')}</th>
                      <th>{t('plan.verdict')}</th>
                      <th>{t('plan.share')}</th>
                      <th>{t('funnel.leads')}</th>
                      <th>{t('plan.cpl')}</th>
                      <th>{t('plan.budget')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.channels.map((c) => (
                      <tr key={c.channel}>
                        <td>{c.channel}</td>
                        <td class={`verdict ${c.verdict ?? ''}`}>{verdict(c.verdict)}</td>
                        <td>{formatValue(c.plan_share, 'ratio', fmt)}</td>
                        <td>{formatValue(c.leads, 'count', fmt)}</td>
                        <td>{formatValue(c.cost_per_lead, 'currency', fmt)}</td>
                        <td>{formatValue(c.budget, 'currency', fmt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}

export function Planning() {
  return (
    <section>
      <div class="page-head">
        <h1>{t('nav.planning')}</h1>
      </div>
      <Target />
      <ReverseFunnel />
      <Review />
    </section>
  );
}
