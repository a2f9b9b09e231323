/**
 * The KPI catalog grouped by family (custom KPIs with it), and any KPI as a line or bar chart by period
 * over the view's period, with a breakdown, its table (every row, with a CSV export) and its definition.
 */
import { useMemo } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { kpiOption, MAX_SERIES } from '../charts/options.js';
import { PeriodPicker, useRange } from '../components/period.js';
import { Empty, Loaded } from '../components/states.js';
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { csvDownload } from '../lib/csv.js';
import { formatDay, formatValue } from '../lib/format.js';
import { grainFor } from '../lib/period.js';
import { useApi } from '../lib/query.js';
import { BREAKDOWNS, type By } from '../lib/state.js';
import type { KpiAnswer, KpiCatalogEntry } from '../lib/types.js';

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
  const q = useApi<KpiAnswer>(
    `/api/v1/kpis/${encodeURIComponent(def.id)}`,
    { from: range.from, to: range.to, grain, by: view.by },
    me.workspace.slug,
  );
  const total = useApi<KpiAnswer>(
    `/api/v1/kpis/${encodeURIComponent(def.id)}`,
    { from: range.from, to: range.to, grain: 'total' },
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
        <h1>{def.name}</h1>
        <PeriodPicker />
      </div>
      <div class="controls">
        <label>
          Breakdown
          <select
            value={view.by ?? ''}
            onChange={(e) => go({ by: (e.currentTarget.value || null) as By | null }, true)}
          >
            <option value="">none</option>
            {BREAKDOWNS.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Chart
          <select
            value={view.chart}
            onChange={(e) => go({ chart: e.currentTarget.value as 'line' | 'bar' }, true)}
          >
            <option value="line">line</option>
            <option value="bar">bar</option>
          </select>
        </label>
        <span class="muted">
          Total:{' '}
          <b data-total>{total.data ? formatValue(total.data.rows[0]?.value ?? null, def.unit, fmt) : '…'}</b>
        </span>
      </div>
      <details class="panel definition">
        <summary>Definition</summary>
        <p>{def.definition}</p>
        <p class="muted">
          Formula: <code>{def.formula}</code> · unit {def.unit} · better when {def.direction}
        </p>
      </details>
      <Loaded q={q} what={def.name}>
        {(d) =>
          d.rows.length === 0 ? (
            <Empty>
              No {def.name.toLowerCase()} in this period: pick another period or send data (Data page).
            </Empty>
          ) : (
            <>
              {option ? <Chart option={option} height={320} label={`${def.name} by ${grain}`} /> : null}
              {key && new Set(d.rows.map((r) => r[key])).size > MAX_SERIES ? (
                <p class="muted">The chart draws the {MAX_SERIES} largest; the table has them all.</p>
              ) : null}
              <div class="controls">
                <button
                  type="button"
                  class="secondary"
                  onClick={() =>
                    csvDownload(
                      `/api/v1/kpis/${encodeURIComponent(def.id)}`,
                      { from: range.from, to: range.to, grain, by: view.by },
                      `${def.id}-${range.from}-${range.to}.csv`,
                    )
                  }
                >
                  Export CSV
                </button>
              </div>
              <div class="scroll">
                <table>
                  <thead>
                    <tr>
                      <th>Period</th>
                      {key ? <th>{key}</th> : null}
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
  if (view.id && !def)
    return <Empty>No KPI "{view.id}" in the catalog or this workspace's custom KPIs.</Empty>;
  return def ? (
    <KpiView def={def} />
  ) : (
    <section>
      <div class="page-head">
        <h1>KPIs</h1>
      </div>
      <Catalog list={cat.list} />
    </section>
  );
}
