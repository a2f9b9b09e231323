/**
 * What goals read from the KPI engine: a KPI's nature (additive or a level, which way is better, how it
 * can be filtered), its value over a window, its daily shape, and its history in windows of a given
 * length. Everything goes through `runKpi`, so goals measure exactly what `northstar kpi` shows.
 */
import { isUserError } from '../core/errors.js';
import { addDays, daysBetween, MAX_DATE, MIN_DATE } from '../core/time.js';
import type { Direction } from '../domain/goal.js';
import type { Expr } from '../metrics/expr.js';
import { KPI_BY_ID } from '../metrics/kpi.catalog.js';
import { normalize, runKpi } from '../metrics/kpi.query.js';
import { periodCount, periodStart, periods } from '../metrics/periods.js';
import type { WorkspaceStore } from '../store/store.js';

export const FILTER_KEYS = ['channel', 'source', 'campaign', 'market', 'owner'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type KpiFilter = Partial<Record<FilterKey, string>>;

export interface KpiInfo {
  id: string;
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  /**
   * True for counts and sums (leads, revenue, ad spend): the value over a window is a total that grows
   * day by day. False for levels (rates, averages, costs per unit), whose value over a window is not a
   * sum of its days.
   */
  additive: boolean;
  /** Filters every measure of the KPI can honour; another one would silently match nothing. */
  filters: FilterKey[];
}

function isAdditive(e: Expr): boolean {
  if (e.kind === 'ref') return true;
  if (e.kind === 'neg') return isAdditive(e.arg);
  if (e.kind === 'bin') return (e.op === '+' || e.op === '-') && isAdditive(e.left) && isAdditive(e.right);
  return false;
}

/**
 * A KPI of the catalog or of the workspace's custom KPIs; null when the workspace knows no such id.
 *
 * @example
 * await kpiInfo(ws, 'cpc'); // { id: 'cpc', unit: 'currency', better: 'lower', additive: false, filters: ['channel', 'source', 'campaign'] }
 */
export async function kpiInfo(ws: WorkspaceStore, kpi: string): Promise<KpiInfo | null> {
  const custom = await ws.listCustomKpis();
  let plan: ReturnType<typeof normalize>;
  try {
    plan = normalize({ kpi, from: '2000-01-01', to: '2000-01-01' }, custom);
  } catch (e) {
    if (isUserError(e)) return null;
    throw e;
  }
  const def = KPI_BY_ID.get(kpi);
  const own = custom.find((c) => c.id === kpi);
  return {
    id: kpi,
    name: own?.name ?? def?.name ?? kpi,
    unit: plan.unit,
    better: own?.direction ?? def?.direction ?? 'higher',
    additive: isAdditive(plan.expr),
    filters: FILTER_KEYS.filter((k) => plan.measures.every((m) => m.dims[k] !== undefined)),
  };
}

/** The KPI over an inclusive window (null: undefined, e.g. a rate over nothing). */
export async function kpiValue(
  ws: WorkspaceStore,
  kpi: string,
  from: string,
  to: string,
  filter: KpiFilter = {},
): Promise<number | null> {
  // Windows derived from an objective's dates (the year before, the period before) may reach past
  // the accepted date range: there is no data there, so nothing to measure rather than an error.
  if (to < MIN_DATE || from > MAX_DATE) return null;
  const r = await runKpi(ws, {
    kpi,
    from: from < MIN_DATE ? MIN_DATE : from,
    to: to > MAX_DATE ? MAX_DATE : to,
    filter,
  });
  return r.rows[0]?.value ?? null;
}

/** The KPI per day of an inclusive window; days without data are 0. */
export async function dailyValues(
  ws: WorkspaceStore,
  kpi: string,
  from: string,
  to: string,
  filter: KpiFilter = {},
): Promise<number[]> {
  const r = await runKpi(ws, { kpi, from, to, grain: 'day', filter });
  const byDay = new Map(r.rows.map((row) => [row.period, row.value ?? 0]));
  const out: number[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(byDay.get(d) ?? 0);
  return out;
}

/** Days in an inclusive window. */
export function windowDays(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}

/**
 * The same day one year earlier for a window of `days` days: 52 weeks (364 days) earlier when the
 * window is whole weeks, so Mondays line up with Mondays; otherwise the same calendar date (29 February
 * becomes the 28th).
 *
 * @example
 * yearEarlier('2026-11-23', 7);  // '2025-11-24' (a Monday, as 2026-11-23 is)
 * yearEarlier('2026-10-01', 92); // '2025-10-01'
 */
export function yearEarlier(date: string, days: number): string {
  if (days % 7 === 0) return addDays(date, -364);
  const y = Number(date.slice(0, 4)) - 1;
  const md = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${y}-${md}`;
}

export interface BaselineFromHistory {
  value: number | null;
  source: 'same_period_last_year' | 'previous_period' | 'none';
  from?: string;
  to?: string;
}

/**
 * The baseline of an objective that states none: the KPI over the same window one year earlier when
 * the workspace has a (non-zero) value there and the window is at most a year long, because that
 * cancels seasonality; otherwise the KPI over the window of equal length just before the start.
 *
 * @example
 * await baselineFromHistory(ws, 'revenue', '2026-10-01', '2026-12-31');
 * // { value: 150680, source: 'same_period_last_year', from: '2025-10-01', to: '2025-12-31' }
 */
export async function baselineFromHistory(
  ws: WorkspaceStore,
  kpi: string,
  start: string,
  due: string,
  filter: KpiFilter = {},
): Promise<BaselineFromHistory> {
  const n = windowDays(start, due);
  if (n <= 366) {
    const from = yearEarlier(start, n);
    const to = yearEarlier(due, n);
    const v = await kpiValue(ws, kpi, from, to, filter);
    if (v !== null && v !== 0) return { value: v, source: 'same_period_last_year', from, to };
  }
  const from = addDays(start, -n);
  const to = addDays(start, -1);
  const v = await kpiValue(ws, kpi, from, to, filter);
  return v === null ? { value: null, source: 'none' } : { value: v, source: 'previous_period', from, to };
}

/** The calendar grain a window is exactly one period of (a Monday-to-Sunday week, a month…), if any. */
export function alignedGrain(start: string, due: string): 'week' | 'month' | 'quarter' | 'year' | null {
  const next = addDays(due, 1);
  for (const g of ['week', 'month', 'quarter', 'year'] as const) {
    if (periodStart(start, g) === start && periodStart(next, g) === next && periodCount(start, next, g) === 2)
      return g;
  }
  return null;
}

export interface HistoryWindow {
  from: string;
  to: string;
  value: number | null;
}
export interface Growth {
  from: string;
  to: string;
  /** Change over the window before: 0.25 = +25 %. */
  growth: number;
}

/** How far back the Achievable check looks for windows of the same length. */
export const HISTORY_YEARS = 3;

/**
 * The KPI in consecutive windows of the objective's length before its start (calendar periods when
 * the window is one, else windows tiled back from the start, at most 12), and the change from each
 * window to the next (or, with `yearOverYear`, from the same window a year earlier). Windows before the data begins are dropped, and so is the first window with data
 * when it may be partial (it is not the first window asked for).
 *
 * @example
 * const { growths } = await windowHistory(ws, 'leads', {}, '2026-10-01', '2026-12-31');
 * Math.max(...growths.map((g) => g.growth)); // the best quarter-on-quarter growth in 3 years
 */
export async function windowHistory(
  ws: WorkspaceStore,
  kpi: string,
  filter: KpiFilter,
  start: string,
  due: string,
  opts: { yearOverYear?: boolean } = {},
): Promise<{ windows: HistoryWindow[]; growths: Growth[] }> {
  const n = windowDays(start, due);
  const grain = alignedGrain(start, due);
  let windows: HistoryWindow[] = [];
  // History from before the accepted date range holds no data: none to look at.
  if (addDays(start, -365 * HISTORY_YEARS - 7) < MIN_DATE) return { windows: [], growths: [] };
  if (grain) {
    const from = periodStart(addDays(start, -365 * HISTORY_YEARS), grain);
    const r = await runKpi(ws, { kpi, from, to: addDays(start, -1), grain, filter });
    const labels = periods(from, addDays(start, -1), grain);
    windows = labels.map((p, i) => ({
      from: p,
      to: addDays(labels[i + 1] ?? start, -1),
      value: r.rows.find((row) => row.period === p)?.value ?? null,
    }));
  } else {
    const count = Math.min(12, Math.floor((365 * HISTORY_YEARS) / n));
    for (let j = count; j >= 1; j--) {
      const from = addDays(start, -j * n);
      const to = addDays(start, -(j - 1) * n - 1);
      windows.push({ from, to, value: await kpiValue(ws, kpi, from, to, filter) });
    }
  }
  const firstData = windows.findIndex((w) => w.value !== null && w.value !== 0);
  if (firstData < 0) return { windows: [], growths: [] };
  windows = windows.slice(firstData > 0 ? firstData + 1 : firstData);
  const growths: Growth[] = [];
  const push = (w: HistoryWindow | undefined, prev: number | null) => {
    if (w && prev !== null && w.value !== null && prev > 0)
      growths.push({ from: w.from, to: w.to, growth: w.value / prev - 1 });
  };
  if (opts.yearOverYear) {
    // Each window against the same window a year earlier: what a target on last year's same period
    // asks is measured against what such years did (a quarter against the quarter before would mix in
    // the season).
    const lag = grain ? { week: 52, month: 12, quarter: 4, year: 1 }[grain] : null;
    for (const [i, w] of windows.entries()) {
      if (lag !== null) {
        if (i >= lag) push(w, windows[i - lag]?.value ?? null);
      } else push(w, await kpiValue(ws, kpi, yearEarlier(w.from, n), yearEarlier(w.to, n), filter));
    }
    return { windows, growths };
  }
  for (let i = 1; i < windows.length; i++) push(windows[i], windows[i - 1]?.value ?? null);
  return { windows, growths };
}

/** Which way an objective's KPI should move when the plan does not say. */
export function defaultDirection(
  target: number | null,
  baseline: number | null,
  better: 'higher' | 'lower',
): Direction {
  if (target !== null && baseline !== null && target !== baseline)
    return target > baseline ? 'increase' : 'decrease';
  if (target !== null && baseline !== null) return better === 'higher' ? 'stay_above' : 'stay_below';
  return better === 'higher' ? 'increase' : 'decrease';
}
