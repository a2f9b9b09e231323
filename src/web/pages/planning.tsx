/**
 * Planning: next year's revenue target with its arithmetic, the channel review (keep / cut / double
 * down, with reasons) and the reverse-funnel calculator (a revenue goal → visits, leads, MQLs, SQLs,
 * customers and budget by channel). Every number is the planning API's (`northstar plan …`).
 */
import { useMemo, useState } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { funnelOption } from '../charts/options.js';
import { Empty, Loaded } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { formatDay, formatValue } from '../lib/format.js';
import { useApi } from '../lib/query.js';
import type { FunnelAnswer, ReviewAnswer, TargetAnswer } from '../lib/types.js';

function Target() {
  const { view, go, me, fmt } = useApp();
  const q = useApi<TargetAnswer>('/api/v1/plan/target', { uplift: view.uplift }, me.workspace.slug);
  const money = (v: number | null | undefined) => formatValue(v ?? null, 'currency', fmt);
  const pct = (v: number | null | undefined) => formatValue(v ?? null, 'ratio', fmt);
  return (
    <section class="panel" aria-labelledby="target-h">
      <h2 id="target-h">Revenue target</h2>
      <div class="controls">
        <label>
          Uplift (points)
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
      <Loaded q={q} what="Target">
        {(t) => {
          const last = t.years.find((y) => y.year === t.year);
          const grown = t.years.filter((y) => y.growth !== null).slice(-3);
          return (
            <>
              <p class="big-figure">
                {t.target_year}: <b data-target={t.target}>{money(t.target)}</b>
              </p>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>Year</th>
                      <th>Dates</th>
                      <th>Revenue</th>
                      <th>Growth</th>
                    </tr>
                  </thead>
                  <tbody>
                    {t.years.map((y) => (
                      <tr key={y.year}>
                        <td>{y.year}</td>
                        <td>
                          {y.from && y.to
                            ? `${formatDay(y.from, fmt)} – ${formatDay(y.to, fmt)}`
                            : 'calendar year'}
                        </td>
                        <td>{money(y.revenue)}</td>
                        <td>{pct(y.growth)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p class="arith">
                Average growth = mean of {grown.map((y) => pct(y.growth)).join(', ')} ={' '}
                <b>{pct(t.average_growth)}</b>; target growth = {pct(t.average_growth)} + {pct(t.uplift)}{' '}
                uplift = <b>{pct(t.target_growth)}</b>; target = {money(last?.revenue)} ×{' '}
                {pct(t.target_growth)} + {money(last?.revenue)} = <b>{money(t.target)}</b>
              </p>
              {t.note ? <p class="muted">{t.note}</p> : null}
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
      <h2 id="review-h">Channel review</h2>
      <Loaded q={q} what="Channel review">
        {(r) =>
          r.channels.length === 0 ? (
            <Empty>
              No channel has spend, leads or revenue in the last 12 months: import spend, contacts and deals.
            </Empty>
          ) : (
            <>
              <p class="muted">
                {formatDay(r.from, fmt)} – {formatDay(r.to, fmt)}
              </p>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>Channel</th>
                      <th>Verdict</th>
                      <th>Spend</th>
                      <th>Leads</th>
                      <th>Customers</th>
                      <th>Revenue</th>
                      <th>ROI</th>
                      <th>Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.channels.map((c) => (
                      <tr key={c.channel}>
                        <td>{c.channel}</td>
                        <td class={`verdict ${c.verdict}`}>{c.verdict.replace('_', ' ')}</td>
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
const STAGE_NAMES: Record<(typeof STAGES)[number], string> = {
  visits: 'Visits',
  leads: 'Leads',
  mqls: 'MQLs',
  sqls: 'SQLs',
  customers: 'Customers',
};

function ReverseFunnel() {
  const { view, go, me, fmt } = useApp();
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
            STAGES.map((s) => ({ name: STAGE_NAMES[s], value: q.data?.[s] ?? 0 })),
            fmt,
          )
        : null,
    [q.data, fmt],
  );
  return (
    <section class="panel" aria-labelledby="funnel-h">
      <h2 id="funnel-h">Reverse funnel</h2>
      <form
        class="controls"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(typed);
          if (Number.isFinite(n) && n > 0) go({ goal: Math.round(n) }, true);
        }}
      >
        <label>
          New revenue goal ({me.workspace.currency})
          <input
            type="number"
            min={1}
            required
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Calculate</button>
      </form>
      {view.goal === null ? (
        <p class="muted">
          Type a revenue goal: the funnel works back to the visits, leads and budget it takes, at the last 12
          months' rates.
        </p>
      ) : (
        <Loaded q={q} what="Reverse funnel">
          {(f) => (
            <>
              {option ? <Chart option={option} height={220} label="Counts needed per stage" /> : null}
              <p class="muted">
                Average first-year revenue per customer{' '}
                {formatValue(f.avg_first_year_revenue, 'currency', fmt)} · rates:{' '}
                {Object.entries(f.rates)
                  .map(([k, v]) => `${k.replaceAll('_', ' ')} ${formatValue(v, 'ratio', fmt)}`)
                  .join(' · ')}{' '}
                · bottleneck: <b>{String(f.bottleneck).replaceAll('_', ' ')}</b>
              </p>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>Channel</th>
                      <th>Verdict</th>
                      <th>Share of leads</th>
                      <th>Leads</th>
                      <th>Cost per lead</th>
                      <th>Budget</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.channels.map((c) => (
                      <tr key={c.channel}>
                        <td>{c.channel}</td>
                        <td class={`verdict ${c.verdict ?? ''}`}>
                          {String(c.verdict ?? '–').replace('_', ' ')}
                        </td>
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
        <h1>Planning</h1>
      </div>
      <Target />
      <ReverseFunnel />
      <Review />
    </section>
  );
}
