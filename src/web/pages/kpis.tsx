/**
 * The KPI catalog grouped by family (custom KPIs with it), and any KPI as a line or bar chart by period
 * over the view's period, with a breakdown, its table (every row, with a CSV export) and its definition.
 */
import { useMemo } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { kpiOption, MAX_SERIES } from '../charts/options.js';
import { MarketPicker, useMarketFilter } from '../components/market.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { Empty, Loaded } from '../components/states.js';
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { csvDownload } from '../lib/csv.js';
import { formatDay, formatValue } from '../lib/format.js';
import { language, t } from '../lib/i18n.js';
import { grainFor } from '../lib/period.js';
import { useApi } from '../lib/query.js';
import { BREAKDOWNS, type By } from '../lib/state.js';
import type { KpiAnswer, KpiCatalogEntry } from '../lib/types.js';

const UNITS = ['count', 'currency', 'ratio', 'percent', 'days', 'hours'] as const;

/** A unit's name in the user's language (an unknown one as the server sent it). */
function unitName(unit: string): string {
  return (UNITS as readonly string[]).includes(unit) ? t(`kpi.unit.${unit as (typeof UNITS)[number]}`) : unit;
}

/** A column heading from a word the pickers show in lower case ("channel" → "Channel"). */
const capitalized = (s: string) => s.charAt(0).toLocaleUpperCase(language()) + s.slice(1);

function Catalog({ list }: { list: KpiCatalogEntry[] }) {
  const { go } = useApp();
  const families = [...new Set(list.map((k) => k.family))];
  return (
    <div class="catalog">
      {families.map((f) => (
        <section key={f} class="panel">
          <h2>{f}</h2>
          <ul>
            {list
              .filter((k) => k.family === f)
              .map((k) => (
                <li key={k.id}>
                  <a
                    href={`/kpis/${k.id}`}
                    title={k.definition}
                    onClick={(e) => {
                      e.preventDefault();
                      go({ page: 'kpis', id: k.id });
                    }}
                  >
                    {k.name}
                  </a>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function KpiView({ def }: { def: KpiCatalogEntry }) {
  const { view, go, me, fmt } = useApp();
  const range = useRange();
  const grain = grainFor(range);
  const market = useMarketFilter(def.id);
  const q = useApi<KpiAnswer>(
    `/api/v1/kpis/${encodeURIComponent(def.id)}`,
    { from: range.from, to: range.to, grain, by: view.by, ...market.query },
    me.workspace.slug,
  );
  const total = useApi<KpiAnswer>(
    `/api/v1/kpis/${encodeURIComponent(def.id)}`,
    { from: range.from, to: range.to, grain: 'total', ...market.query },
    me.workspace.slug,
  );
  const option = useMemo(
    () => (q.data ? kpiOption(q.data, view.chart, fmt, def.name) : null),
    [q.data, view.chart, fmt, def.name],
  );
  const key = view.by;
  return (
    <section data-kpi={def.id}>
      <div class="page-head">
        <h1>
          {def.name}
          {market.query.market ? <span class="muted"> · {market.query.market}</span> : null}
        </h1>
        <MarketPicker />
        <PeriodPicker />
      </div>
      <div class="controls">
        <label>
          {t('kpi.breakdown')}
          <select
            value={view.by ?? ''}
            onChange={(e) => go({ by: (e.currentTarget.value || null) as By | null }, true)}
          >
            <option value="">{t('kpi.none')}</option>
            {BREAKDOWNS.map((b) => (
              <option key={b} value={b}>
                {t(`kpi.by.${b}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('kpi.chart')}
          <select
            value={view.chart}
            onChange={(e) => go({ chart: e.currentTarget.value as 'line' | 'bar' }, true)}
          >
            <option value="line">{t('kpi.line')}</option>
            <option value="bar">{t('kpi.bar')}</option>
          </select>
        </label>
        <span class="muted">
          {t('kpi.total')}{' '}
          <b data-total>{total.data ? formatValue(total.data.rows[0]?.value ?? null, def.unit, fmt) : '…'}</b>
        </span>
      </div>
      <details class="panel definition">
        <summary>{t('kpi.definition')}</summary>
        <p>{def.definition}</p>
        <p class="muted">
          {t('kpi.formula')} <code>{def.formula}</code> · {t('kpi.unit', { unit: unitName(def.unit) })} ·{' '}
          {def.direction === 'higher' || def.direction === 'lower'
            ? t(`kpi.better.${def.direction}`)
            : def.direction}
        </p>
      </details>
      <Loaded q={q} what={def.name}>
        {(d) =>
          d.rows.length === 0 ? (
            <Empty>{t('kpi.empty', { name: def.name.toLowerCase() })}</Empty>
          ) : (
            <>
              {option ? (
                <Chart
                  option={option}
                  height={320}
                  label={t('kpi.chartLabel', { name: def.name, grain: t(`kpi.grain.${grain}`) })}
                />
              ) : null}
              {key && new Set(d.rows.map((r) => r[key])).size > MAX_SERIES ? (
                <p class="muted">{t('kpi.maxSeries', { max: MAX_SERIES })}</p>
              ) : null}
              <div class="controls">
                <button
                  type="button"
                  class="secondary"
                  onClick={() =>
                    csvDownload(
                      `/api/v1/kpis/${encodeURIComponent(def.id)}`,
                      { from: range.from, to: range.to, grain, by: view.by, ...market.query },
                      `${def.id}-${range.from}-${range.to}${market.query.market ? `-${market.query.market}` : ''}.csv`,
                    )
                  }
                >
                  {t('table.csv')}
                </button>
              </div>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>{t('period.label')}</th>
                      {key ? <th>{capitalized(t(`kpi.by.${key}`))}</th> : null}
                      <th>{def.name}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.rows.map((r) => (
                      <tr key={`${r.period}|${key ? r[key] : ''}`}>
                        <td>{formatDay(r.period, fmt)}</td>
                        {key ? <td>{r[key]}</td> : null}
                        <td>{formatValue(r.value, d.unit, fmt)}</td>
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

export function Kpis() {
  const { view } = useApp();
  const cat = useCatalog();
  const def = view.id ? cat.byId.get(view.id) : undefined;
  if (cat.list.length === 0)
    return (
      <Loaded q={{ data: null, error: cat.error, loading: true, reload: () => {} }}>{() => null}</Loaded>
    );
  if (view.id && !def) return <Empty>{t('kpi.missing', { id: view.id })}</Empty>;
  return def ? (
    <KpiView def={def} />
  ) : (
    <section>
      <div class="page-head">
        <h1>{t('nav.kpis')}</h1>
      </div>
      <Catalog list={cat.list} />
    </section>
  );
}
