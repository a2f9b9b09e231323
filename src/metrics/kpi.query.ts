import { UserError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { daysBetween, parseDate, periodToUtc } from '../core/time.js';
import type { CustomKpiRow } from '../domain/goal.js';
import { memo } from '../store/read.cache.js';
import type { WorkspaceStore } from '../store/store.js';
import { type Expr, evaluate, FormulaError, parseFormula, references } from './expr.js';
import { KPI_BY_ID, type Unit } from './kpi.catalog.js';
import { fetchMeasures, type MeasureValues } from './kpi.plan.js';
import { BREAKDOWNS, type Breakdown, MEASURE_BY_ID, type Measure } from './measures.js';
import { GRAINS, type Grain, MAX_PERIODS, periodCount, periods } from './periods.js';

export interface KpiQuery {
  kpi: string;
  from: string;
  to: string;
  grain?: Grain;
  by?: Breakdown;
  filter?: Partial<Record<Breakdown, string>>;
}

export type KpiRow = { period: string; value: number | null } & Partial<Record<Breakdown, string>>;

export interface KpiResult {
  kpi: string;
  unit: Unit | string;
  from: string;
  to: string;
  grain: Grain;
  by?: Breakdown;
  rows: KpiRow[];
}

const _NONE = '(none)';
/** The most rows one KPI answer may hold (periods × breakdown values). */
export const MAX_CELLS = 100_000;
const ALL = '';

interface Plan {
  q: Required<Pick<KpiQuery, 'kpi' | 'from' | 'to' | 'grain'>> & Pick<KpiQuery, 'by' | 'filter'>;
  unit: string;
  expr: Expr;
  measures: Measure[];
}

/** Stage 1, normalize: validates the request and resolves the formula down to base measures. */
export function normalize(q: KpiQuery, custom: readonly CustomKpiRow[] = []): Plan {
  const from = parseDate(q.from, '--from');
  const to = parseDate(q.to, '--to');
  if (to < from) throw new UserError(`--to (${to}) is before --from (${from})`, { field: '--to' });
  const grain = q.grain ?? 'total';
  if (!GRAINS.includes(grain))
    throw new UserError(`--grain must be one of ${GRAINS.join(', ')}`, { field: '--grain' });
  if (q.by !== undefined && !BREAKDOWNS.includes(q.by))
    throw new UserError(`--by must be one of ${BREAKDOWNS.join(', ')}`, { field: '--by' });
  for (const key of Object.keys(q.filter ?? {})) {
    if (!(BREAKDOWNS as readonly string[]).includes(key))
      throw new UserError(`unknown filter "${key}" (use ${BREAKDOWNS.join(', ')})`, { field: 'filter' });
  }
  if (grain === 'day' && daysBetween(from, to) > 3_660)
    throw new UserError('a daily series is limited to 10 years', { field: '--grain' });
  // Refused before any work: the periods are generated (and fetched) only when this passes.
  const count = periodCount(from, to, grain);
  if (count > MAX_PERIODS)
    throw new UserError(
      `${from} to ${to} by ${grain} is ${count.toLocaleString('en-US')} periods; at most ${MAX_PERIODS.toLocaleString('en-US')} are served`,
      { field: '--grain' },
    );
  const def = KPI_BY_ID.get(q.kpi);
  const own = custom.find((c) => c.id === q.kpi);
  if (!def && !own) throw unknownKpi(q.kpi, custom);
  const formula = own?.formula ?? def?.formula ?? '';
  const expr = resolveFormula(formula, q.kpi);
  const measures = [...references(expr)].map((id) => MEASURE_BY_ID.get(id) as Measure);
  return { q: { ...q, from, to, grain }, unit: own?.unit ?? def?.unit ?? 'count', expr, measures };
}

/**
 * The error for a KPI id that is neither in the catalog nor the workspace's own, with the likely one.
 *
 * @example
 * unknownKpi('lead').message; // 'unknown KPI "lead" (did you mean "leads"?); the catalog: `northstar kpi list` or GET /api/v1/kpis'
 */
export function unknownKpi(id: string, custom: readonly CustomKpiRow[] = []): UserError {
  const known = [...KPI_BY_ID.keys(), ...custom.map((c) => c.id)];
  return new UserError(
    `unknown KPI "${id.slice(0, 60)}"${didYouMean(id, known)}; the catalog: \`northstar kpi list\` or GET /api/v1/kpis`,
    { field: 'kpi' },
    404,
  );
}

/**
 * Parses a formula whose names are base measures or catalog KPIs; a KPI name is replaced by its own
 * formula, so custom KPIs can say `revenue / customers` or `cac * 2` alike.
 */
export function resolveFormula(formula: string, what = 'formula', depth = 0): Expr {
  const known = new Set([...MEASURE_BY_ID.keys(), ...KPI_BY_ID.keys()]);
  let expr: Expr;
  try {
    expr = parseFormula(formula, known);
  } catch (e) {
    if (e instanceof FormulaError)
      throw new UserError(`${what}: ${e.message} in "${formula}"`, { field: 'formula' });
    throw e;
  }
  const inline = (e: Expr): Expr => {
    if (e.kind === 'ref') {
      if (MEASURE_BY_ID.has(e.name)) return e;
      const d = KPI_BY_ID.get(e.name);
      if (!d || depth > 4) throw new UserError(`${what}: cannot resolve "${e.name}"`, { field: 'formula' });
      return resolveFormula(d.formula, e.name, depth + 1);
    }
    if (e.kind === 'neg') return { kind: 'neg', arg: inline(e.arg) };
    if (e.kind === 'bin') return { ...e, left: inline(e.left), right: inline(e.right) };
    return e;
  };
  return inline(expr);
}

/** Stage 4, compute (pure): evaluates the formula per period and key from summed measure values. */
export function computeRows(
  expr: Expr,
  periodList: readonly string[],
  values: ReadonlyMap<string, MeasureValues>,
  by?: Breakdown,
  /** Measures that are undefined (not 0) where they have no rows, such as medians. */
  undefinedWhenEmpty: ReadonlySet<string> = new Set(),
): KpiRow[] {
  const keys = new Set<string>();
  for (const mv of values.values())
    for (const perKey of mv.values()) for (const key of perKey.keys()) keys.add(key);
  const keyList = by ? [...keys].sort() : [ALL];
  const rows: KpiRow[] = [];
  for (const period of periodList) {
    for (const key of keyList) {
      const vals: Record<string, number | null> = {};
      for (const [id, mv] of values)
        vals[id] = mv.get(period)?.get(key) ?? (undefinedWhenEmpty.has(id) ? null : 0);
      const v = evaluate(expr, vals);
      const row: KpiRow = by ? { period, [by]: key, value: clean(v) } : { period, value: clean(v) };
      rows.push(row);
    }
  }
  return rows;
}

function clean(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

/**
 * Runs a KPI for a period range: normalize → plan → fetch → compute → format.
 *
 * @example
 * await runKpi(ws, { kpi: 'value_per_lead', from: '2026-01-01', to: '2026-03-31', by: 'channel' });
 * // { kpi: 'value_per_lead', unit: 'currency', grain: 'total', by: 'channel', rows: [{ period, channel, value }] }
 */
export async function runKpi(ws: WorkspaceStore, q: KpiQuery): Promise<KpiResult> {
  const [result] = await runKpis(ws, [q.kpi], q);
  if (!result) throw new Error('no result');
  return result;
}

/**
 * Several KPIs over the same range, grain and breakdown, computing each base measure once (a dashboard
 * or the channel review asks for many at a time).
 *
 * @example
 * const [leads, cac] = await runKpis(ws, ['leads', 'cac'], { from: '2026-07-01', to: '2026-09-30', by: 'channel' });
 */
export function runKpis(
  ws: WorkspaceStore,
  ids: readonly string[],
  q: Omit<KpiQuery, 'kpi'>,
): Promise<KpiResult[]> {
  // Under `serve` answers are kept until the workspace is written to (store/read.cache.ts).
  const key = { ids, from: q.from, to: q.to, grain: q.grain, by: q.by, filter: q.filter };
  return memo(ws, 'kpis', key, () => computeKpis(ws, ids, q));
}

async function computeKpis(
  ws: WorkspaceStore,
  ids: readonly string[],
  q: Omit<KpiQuery, 'kpi'>,
): Promise<KpiResult[]> {
  const custom = await ws.listCustomKpis();
  const plans = ids.map((kpi) => normalize({ ...q, kpi }, custom));
  const first = plans[0];
  if (!first) return [];
  const { from, to, grain, by, filter } = first.q;
  const tz = ws.workspace.timezone;
  const { start, end } = periodToUtc(from, to, tz);
  const measures = new Map<string, Measure>();
  for (const p of plans) for (const m of p.measures) measures.set(m.id, m);
  const values = await fetchMeasures(ws, [...measures.values()], {
    from,
    to,
    grain,
    by,
    filter,
    start,
    end,
    tz,
  });
  const medians = new Set([...measures.values()].filter((m) => m.median).map((m) => m.id));
  const periodList = periods(from, to, grain);
  // Every period gets a row per key: with a breakdown the answer is periods × keys, and the keys
  // (campaigns, sources) are whatever visitors sent. Refused before a row is built.
  if (by) {
    const keys = new Set<string>();
    for (const mv of values.values())
      for (const perKey of mv.values()) for (const k of perKey.keys()) keys.add(k);
    const cells = periodList.length * keys.size;
    if (cells > MAX_CELLS)
      throw new UserError(
        `${periodList.length.toLocaleString('en-US')} periods × ${keys.size.toLocaleString('en-US')} ${by} values is ${cells.toLocaleString('en-US')} rows; at most ${MAX_CELLS.toLocaleString('en-US')} are served (choose a coarser grain, a shorter range or a filter)`,
        { field: '--grain' },
      );
  }
  return plans.map((plan) => {
    const own = new Map(plan.measures.map((m) => [m.id, values.get(m.id) ?? new Map()]));
    const rows = computeRows(plan.expr, periodList, own, by, medians);
    const kpi = plan.q.kpi;
    return by
      ? { kpi, unit: plan.unit, from, to, grain, by, rows }
      : { kpi, unit: plan.unit, from, to, grain, rows };
  });
}
