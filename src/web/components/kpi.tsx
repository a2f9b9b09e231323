/** The KPI building blocks every page and board is made of: a tile (one value) and a chart (by period). */
import { useMemo } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { kpiOption } from '../charts/options.js';
import { useCatalog } from '../lib/catalog.js';
import { useApp } from '../lib/context.js';
import { formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import type { Range } from '../lib/period.js';
import { useApi } from '../lib/query.js';
import type { By } from '../lib/state.js';
import type { KpiAnswer } from '../lib/types.js';
import { ChartPng } from './download.js';
import { useMarketFilter } from './market.js';
import { Loaded } from './states.js';

/** A KPI's value over a range, with its name; `label` overrides the catalog's name. */
export function KpiTile({ kpi, range, label }: { kpi: string; range: Range; label?: string }) {
  const { fmt, me } = useApp();
  const cat = useCatalog();
  const market = useMarketFilter(kpi);
  const q = useApi<KpiAnswer>(
    `/api/v1/kpis/${kpi}`,
    { from: range.from, to: range.to, grain: 'total', ...market.query },
    me.workspace.slug,
  );
  const v = q.data?.rows[0]?.value ?? null;
  const def = cat.byId.get(kpi);
  return (
    <div class="tile" data-kpi={kpi} title={def?.definition}>
      <div class="k">
        {label ?? def?.name ?? kpi}
        {market.ignored ? <span class="muted"> {t('kpi.allMarkets')}</span> : null}
      </div>
      <div class="v" data-value={q.data ? (v ?? 'null') : ''}>
        {q.data ? formatValue(v, q.data.unit, fmt) : q.error ? '!' : '…'}
      </div>
    </div>
  );
}

/** A KPI by period over a range (and a breakdown), as a line or bar chart. */
export function KpiChart({
  kpi,
  range,
  grain,
  by = null,
  chart = 'line',
  height = 240,
  title,
}: {
  kpi: string;
  range: Range;
  grain: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'total';
  by?: By | null;
  chart?: 'line' | 'bar';
  height?: number;
  title?: string;
}) {
  const { fmt, me } = useApp();
  const cat = useCatalog();
  const name = title ?? cat.byId.get(kpi)?.name ?? kpi;
  const market = useMarketFilter(kpi);
  const q = useApi<KpiAnswer>(
    `/api/v1/kpis/${kpi}`,
    { from: range.from, to: range.to, grain, by, ...market.query },
    me.workspace.slug,
  );
  const option = useMemo(
    () => (q.data ? kpiOption(q.data, chart, fmt, name) : null),
    [q.data, chart, fmt, name],
  );
  return (
    <figure class="panel kpi-chart" data-kpi={kpi}>
      <figcaption>
        {name} <ChartPng name={name} />
      </figcaption>
      <Loaded q={q} what={name}>
        {() =>
          option ? (
            <Chart
              option={option}
              height={height}
              label={t('kpi.chartLabel', { name, grain: t(`kpi.grain.${grain}`) })}
            />
          ) : null
        }
      </Loaded>
    </figure>
  );
}
