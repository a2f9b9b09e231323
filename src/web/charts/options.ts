/**
 * API answers → ECharts options, as pure functions (unit-tested): the charts show the API's figures as
 * they are; nothing here recomputes a KPI.
 */
import { compact, type Fmt, formatDay, formatValue } from '../lib/format.js';
import { t } from '../lib/i18n.js';
import { addDays, daysBetween } from '../lib/period.js';
import type { KpiResult } from '../lib/types.js';

export const COLORS = [
  '#3b6fd8',
  '#e8833a',
  '#2a9d8f',
  '#c8553d',
  '#8e6ccf',
  '#d4a72c',
  '#5f7a8a',
  '#d16ba5',
];
export const STATUS_COLORS: Record<string, string> = {
  on_track: '#2e8b57',
  at_risk: '#d4a72c',
  off_track: '#c8553d',
  done: '#3b6fd8',
  not_started: '#8a93a6',
};

// The option type is ECharts' own; a plain record keeps this file free of the library (and testable in node).
export type Option = Record<string, unknown>;

/**
 * `n` dates spread evenly from `from` to `to`, both included, no repeats.
 *
 * @example
 * sampleDates('2026-01-01', '2026-01-31', 4) // ['2026-01-01', '2026-01-11', '2026-01-21', '2026-01-31']
 */
export function sampleDates(from: string, to: string, n: number): string[] {
  const days = daysBetween(from, to);
  if (days <= 0 || n < 2) return [to];
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(addDays(from, Math.round((days * i) / (n - 1))));
  return [...out];
}

/**
 * Where the "expected by today" marker sits on an objective's progress bar (0…1): progress ÷ pace,
 * since pace is progress against the expected share; the elapsed share of the window when pace is
 * unknown.
 *
 * @example
 * expectedMarker({ progress: 0.3, pace: 0.75, start: '2026-01-01', due: '2026-01-10' }, '2026-01-05') // 0.4
 */
export function expectedMarker(
  o: { progress: number | null; pace: number | null; start: string; due: string },
  asOf: string,
): number {
  if (o.progress !== null && o.pace !== null && o.pace > 0)
    return Math.max(0, Math.min(1, o.progress / o.pace));
  const total = daysBetween(o.start, o.due) + 1;
  const done = daysBetween(o.start, asOf < o.due ? asOf : o.due) + 1;
  return total > 0 ? Math.max(0, Math.min(1, done / total)) : 0;
}

/** A sparkline: no axes, no labels; null points leave gaps. */
export function sparkOption(values: Array<number | null>, color = COLORS[0]): Option {
  return {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 2 },
    xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false, scale: true },
    series: [
      {
        type: 'line',
        data: values,
        symbol: 'none',
        lineStyle: { width: 2, color },
        areaStyle: { color, opacity: 0.12 },
      },
    ],
  };
}

export interface ObjectivePoint {
  date: string;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
}

/**
 * An objective's actual, expected path and forecast at each measured date (each point is the goals
 * API as of that date), with the target at the due date.
 */
export function objectiveOption(
  points: ObjectivePoint[],
  o: { target: number | null; due: string; unit: string | null },
  fmt: Fmt,
): Option {
  const dates = [...points.map((p) => p.date)];
  if (!dates.includes(o.due)) dates.push(o.due);
  const at = (d: string, f: (p: ObjectivePoint) => number | null) => {
    const p = points.find((x) => x.date === d);
    return p ? f(p) : null;
  };
  const last = points[points.length - 1];
  return {
    animation: false,
    color: [COLORS[0], '#8a93a6', COLORS[1], STATUS_COLORS.done],
    tooltip: {
      trigger: 'axis',
      confine: true,
      className: 'ns-tip',
      valueFormatter: (v: number | null) => formatValue(v, o.unit, fmt),
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: dates,
      axisLabel: { formatter: (d: string) => formatDay(d, fmt, 'short') },
    },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, fmt) } },
    series: [
      {
        name: t('chart.actual'),
        type: 'line',
        data: dates.map((d) => at(d, (p) => p.actual)),
        connectNulls: true,
      },
      {
        name: t('chart.expected'),
        type: 'line',
        lineStyle: { type: 'dashed' },
        data: dates.map((d) =>
          d === o.due && !points.some((p) => p.date === d) ? o.target : at(d, (p) => p.expected),
        ),
        connectNulls: true,
      },
      {
        name: t('chart.forecast'),
        type: 'line',
        lineStyle: { type: 'dotted' },
        // From the last measured actual to the forecast at the due date.
        data: dates.map((d) =>
          last && d === last.date ? last.actual : d === o.due ? (last?.forecast ?? null) : null,
        ),
        connectNulls: true,
      },
      {
        name: t('chart.target'),
        type: 'line',
        symbol: 'diamond',
        symbolSize: 10,
        data: dates.map((d) => (d === o.due ? o.target : null)),
      },
    ],
  };
}

/** The breakdown values a chart draws (the table below it lists them all). */
export const MAX_SERIES = 8;

/**
 * A KPI by period, one series per breakdown value (the `MAX_SERIES` largest by their summed absolute
 * values, which only ranks them), as a line or bar chart.
 */
export function kpiOption(r: KpiResult, chart: 'line' | 'bar', fmt: Fmt, name = r.kpi): Option {
  const periods = [...new Set(r.rows.map((x) => x.period))].sort();
  const key = r.by;
  const groups = new Map<string, Map<string, number | null>>();
  for (const row of r.rows) {
    const g = key ? String(row[key] ?? t('chart.none')) : name;
    if (!groups.has(g)) groups.set(g, new Map());
    groups.get(g)?.set(row.period, row.value);
  }
  // One period with a breakdown (a `total` by owner): horizontal bars of the breakdown values, largest
  // first, whose long names (e-mails, campaigns) stay readable on a phone.
  if (key && periods.length === 1) {
    const rows = [...r.rows].sort(
      (a, b) => (b.value ?? 0) - (a.value ?? 0) || (String(a[key]) < String(b[key]) ? -1 : 1),
    );
    return {
      animation: false,
      color: COLORS,
      tooltip: {
        trigger: 'axis',
        confine: true,
        className: 'ns-tip',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: number | null) => formatValue(v, r.unit, fmt),
      },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((x) => String(x[key] ?? t('chart.none'))),
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => axisLabel(v, r.unit, fmt) } },
      series: [{ name, type: 'bar', data: rows.map((x) => x.value) }],
    };
  }
  const weight = (m: Map<string, number | null>) =>
    [...m.values()].reduce<number>((t, v) => t + Math.abs(v ?? 0), 0);
  const names = [...groups.keys()]
    .sort(
      (a, b) => weight(groups.get(b) ?? new Map()) - weight(groups.get(a) ?? new Map()) || (a < b ? -1 : 1),
    )
    .slice(0, MAX_SERIES);
  return {
    animation: false,
    color: COLORS,
    tooltip: {
      trigger: 'axis',
      confine: true,
      className: 'ns-tip',
      valueFormatter: (v: number | null) => formatValue(v, r.unit, fmt),
    },
    legend: key ? { bottom: 0, type: 'scroll' } : { show: false },
    grid: { left: 8, right: 16, top: 16, bottom: key ? 40 : 8, containLabel: true },
    // Labels in the user's words (the tooltip's heading too); the period dates stay in the data's order.
    xAxis: { type: 'category', data: periods.map((p) => formatDay(p, fmt)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => axisLabel(v, r.unit, fmt) } },
    series: names.map((n) => ({
      name: n,
      type: chart,
      data: periods.map((p) => groups.get(n)?.get(p) ?? null),
      ...(chart === 'bar' && key
        ? { stack: r.unit === 'count' || r.unit === 'currency' ? 'all' : undefined }
        : {}),
      ...(chart === 'line' ? { showSymbol: periods.length <= 40 } : {}),
    })),
  };
}

function axisLabel(v: number, unit: string, fmt: Fmt): string {
  return unit === 'ratio' ? formatValue(v, 'ratio', fmt) : compact(v, fmt);
}

/**
 * Every model side by side per channel: grouped bars of the credited conversions or value.
 *
 * @example
 * attributionOption([{ model: 'linear', rows: [{ channel: 'Email', conversions: 2, value: 50 }] }], 'value', fmt)
 */
export function attributionOption(
  models: Array<{ model: string; rows: Array<Record<string, unknown>> }>,
  metric: 'conversions' | 'value',
  by: 'channel' | 'campaign',
  fmt: Fmt,
): Option {
  const keys = [...new Set(models.flatMap((m) => m.rows.map((r) => String(r[by]))))];
  const total = (k: string) =>
    models.reduce((t, m) => t + Number(m.rows.find((r) => String(r[by]) === k)?.[metric] ?? 0), 0);
  keys.sort((a, b) => total(b) - total(a) || (a < b ? -1 : 1));
  const unit = metric === 'value' ? 'currency' : 'count';
  return {
    animation: false,
    color: [...COLORS, '#7aa6c2', '#b0b76b', '#9b7560'],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      className: 'ns-tip',
      valueFormatter: (v: number | null) => formatValue(v, unit, fmt),
    },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: keys, axisLabel: { interval: 0, rotate: keys.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, fmt) } },
    series: models.map((m) => ({
      name: m.model,
      type: 'bar',
      data: keys.map((k) => {
        const v = m.rows.find((r) => String(r[by]) === k)?.[metric];
        return typeof v === 'number' ? v : 0;
      }),
    })),
  };
}

/** Horizontal bars of stage counts, top stage first (a funnel that stays readable on a phone). */
export function funnelOption(stages: Array<{ name: string; value: number }>, fmt: Fmt): Option {
  return {
    animation: false,
    color: [COLORS[0]],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatValue(v, 'count', fmt),
    },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v, fmt) } },
    yAxis: { type: 'category', inverse: true, data: stages.map((s) => s.name) },
    series: [
      {
        type: 'bar',
        data: stages.map((s) => s.value),
        label: { show: true, position: 'right', formatter: (p: { value: number }) => compact(p.value, fmt) },
      },
    ],
  };
}
