/**
 * The funnel: visit → lead → MQL → SQL → opportunity → customer over the period, with each stage's
 * count, the conversion into it and the median days spent before it, overall and by channel. Every
 * figure is a catalog KPI (GET /api/v1/kpis/{id}), so it is the CLI's `kpi …` figure too.
 */
import { useMemo } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { funnelOption } from '../charts/options.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { ErrorBox, Loading } from '../components/states.js';
import { useApp } from '../lib/context.js';
import { formatValue } from '../lib/format.js';
import type { Range } from '../lib/period.js';
import { useApi } from '../lib/query.js';
import type { KpiAnswer } from '../lib/types.js';

interface Stage {
  name: string;
  count: string;
  /** The conversion into this stage from the one before, and the median days it took. */
  rate: string | null;
  days: string | null;
}

const STAGES: Stage[] = [
  { name: 'Visits', count: 'sessions', rate: null, days: null },
  { name: 'Leads', count: 'leads', rate: 'visit_to_lead_rate', days: null },
  { name: 'MQLs', count: 'mqls', rate: 'lead_to_mql_rate', days: 'median_days_lead_to_mql' },
  { name: 'SQLs', count: 'sqls', rate: 'mql_to_sql_rate', days: 'median_days_mql_to_sql' },
  {
    name: 'Opportunities',
    count: 'opportunities',
    rate: 'sql_to_opportunity_rate',
    days: 'median_days_sql_to_opportunity',
  },
  {
    name: 'Customers',
    count: 'customers',
    rate: 'opportunity_to_customer_rate',
    days: 'median_days_opportunity_to_customer',
  },
];
const IDS = [
  ...new Set(STAGES.flatMap((s) => [s.count, s.rate, s.days]).filter((x): x is string => x !== null)),
];
const BY_CHANNEL = STAGES.flatMap((s) => [s.count, s.rate]).filter((x): x is string => x !== null);

/** Every KPI of `ids` over the range (a fixed list: one query each, always in the same order). */
function useTotals(ids: readonly string[], range: Range, by: 'channel' | null) {
  const { me } = useApp();
  const answers = ids.map((id) =>
    useApi<KpiAnswer>(
      `/api/v1/kpis/${id}`,
      { from: range.from, to: range.to, grain: 'total', by },
      me.workspace.slug,
    ),
  );
  const error = answers.find((a) => a.error)?.error ?? null;
  const ready = answers.every((a) => a.data !== null);
  return { byId: new Map(ids.map((id, i) => [id, answers[i]?.data ?? null])), error, ready };
}

export function Funnel() {
  const { fmt } = useApp();
  const range = useRange();
  const all = useTotals(IDS, range, null);
  const channels = useTotals(BY_CHANNEL, range, 'channel');
  const total = (id: string | null) => (id ? (all.byId.get(id)?.rows[0]?.value ?? null) : null);
  const option = useMemo(
    () =>
      all.ready
        ? funnelOption(
            STAGES.map((s) => ({ name: s.name, value: total(s.count) ?? 0 })),
            fmt,
          )
        : null,
    [all.ready, all.byId, fmt],
  );
  const names = [
    ...new Set(
      [...channels.byId.values()].flatMap((a) => a?.rows.map((r) => String(r.channel ?? '(none)')) ?? []),
    ),
  ].sort();
  const cell = (id: string, ch: string) =>
    channels.byId.get(id)?.rows.find((r) => String(r.channel ?? '(none)') === ch)?.value ?? null;
  return (
    <section>
      <div class="page-head">
        <h1>Funnel</h1>
        <PeriodPicker />
      </div>
      {all.error ? <ErrorBox error={all.error} /> : null}
      {!all.ready ? (
        <Loading what="Funnel" />
      ) : (
        <>
          <div class="layout-2 even">
            <figure class="panel kpi-chart">
              <figcaption>Stage counts</figcaption>
              {option ? <Chart option={option} height={260} label="Funnel stage counts" /> : null}
            </figure>
            <div class="panel scroll">
              <table>
                <thead>
                  <tr>
                    <th>Stage</th>
                    <th>Count</th>
                    <th>Conversion</th>
                    <th>Median days</th>
                  </tr>
                </thead>
                <tbody>
                  {STAGES.map((s) => (
                    <tr key={s.name} data-stage={s.count}>
                      <td>{s.name}</td>
                      <td>{formatValue(total(s.count), 'count', fmt)}</td>
                      <td>{s.rate ? formatValue(total(s.rate), 'ratio', fmt) : ''}</td>
                      <td>{s.days ? formatValue(total(s.days), 'days', fmt) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p class="muted">
                Each count is the stage's KPI in the period (contacts reaching it then); a conversion is its
                KPI's definition (hover a stage's name on the KPIs page).
              </p>
            </div>
          </div>
          <h2>By channel</h2>
          {channels.error ? <ErrorBox error={channels.error} /> : null}
          {!channels.ready ? (
            <Loading what="Funnel by channel" />
          ) : (
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th>Channel</th>
                    {STAGES.map((s) => (
                      <th key={s.name}>{s.name}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {names.map((ch) => (
                    <tr key={ch}>
                      <td>{ch}</td>
                      {STAGES.map((s) => (
                        <td key={s.name}>
                          {formatValue(cell(s.count, ch), 'count', fmt)}
                          {s.rate ? (
                            <div class="muted">{formatValue(cell(s.rate, ch), 'ratio', fmt)}</div>
                          ) : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
