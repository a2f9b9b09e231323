/**
 * The Achievable letter of the SMART check: the growth a target implies, against the KPI's own history
 * in windows of the same length, and against the capacity recorded next to the objective.
 */
import { addDays } from '../core/time.js';
import type { ObjectiveInput } from '../domain/goal.js';
import { runKpi } from '../metrics/kpi.query.js';
import type { WorkspaceStore } from '../store/store.js';
import { baselineFromHistory, type KpiFilter, kpiValue, windowDays, windowHistory } from './kpi.history.js';
import type { ResolvedObjective } from './objective.resolve.js';
import { formatChange, formatValue, windowName } from './value.format.js';

/** One SMART letter: passed, failed, or not judged (`ok: null`, no failure) with the reason. */
export interface Letter {
  ok: boolean | null;
  reason: string;
}

/**
 * Posts one writer can publish in a month and keep them "high-intent" (seed 001: two good posts a
 * month beat many thin ones). A rule of thumb, stated in docs/goals.md; above it the plan needs writers.
 */
export const POSTS_PER_WRITER_MONTH = 8;
const DAYS_PER_MONTH = 30.44;

/** Costs the team sets itself (ad spend): lowering them is a decision, not a forecast. */
function isControllableCost(r: ResolvedObjective): boolean {
  return !!r.kpi && r.kpi.additive && r.kpi.unit === 'currency' && r.kpi.better === 'lower';
}

/**
 * Judges whether an objective's target is within reach.
 *
 * @example
 * await checkAchievable(ws, objective, resolved);
 * // { ok: false, reason: 'needs +50 % over the baseline (180 → 270); the best quarter-on-quarter growth … was +22 % …' }
 */
export async function checkAchievable(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  r: ResolvedObjective,
): Promise<Letter> {
  if (!r.kpi) return { ok: null, reason: 'not judged: the KPI is unknown (see measurable)' };
  if (r.target === null)
    return {
      ok: null,
      reason: `not judged: "${o.target}" is relative and there is no baseline to apply it to yet`,
    };
  const cur = ws.workspace.currency;
  const fmt = (v: number | null) => formatValue(v, r.kpi?.unit ?? null, cur);
  const capacity = await checkCapacity(ws, o, r);
  const growth = await checkGrowth(ws, o, r, fmt);
  const note = await baselineNote(ws, o, r, fmt);
  const failed = [growth, ...capacity].filter((l) => l.ok === false);
  const parts = (failed.length ? failed : [growth, ...capacity]).map((l) => l.reason);
  // Capacity alone cannot vouch for a growth nobody can compare with history: then it is not judged.
  const ok = failed.length ? false : growth.ok === null ? null : true;
  return { ok, reason: (ok === null ? 'not judged: ' : '') + parts.join('; ') + note };
}

async function checkGrowth(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  r: ResolvedObjective,
  fmt: (v: number | null) => string,
): Promise<Letter> {
  const t = r.target as number;
  const hold = r.direction === 'stay_above' || r.direction === 'stay_below';
  const up = r.direction === 'increase' || r.direction === 'stay_above';
  if (isControllableCost(r) && !up)
    return {
      ok: true,
      reason: `${o.kpi} is set by your own budget decisions, so lowering it to ${fmt(t)} is achievable (watch what it buys)`,
    };
  // To hold a level, what counts is where the KPI is now: a target already met asks for nothing, one
  // far on the wrong side asks for the whole way there (however the plan words it).
  const level = hold ? await currentLevel(ws, o, r) : null;
  const b = level ? level.value : r.baseline;
  if (b === null || b <= 0) return checkAgainstBestLevel(ws, o, r, fmt, up);
  const g = t / b - 1;
  const ask = `${formatChange(g)} (${fmt(b)}${level ? ` in ${level.from} … ${level.to}` : ''} → ${fmt(t)})`;
  if (up ? g <= 0 : g >= 0)
    return hold
      ? {
          ok: true,
          reason: `${fmt(b)} in ${level?.from} … ${level?.to} already meets it: it asks to hold that`,
        }
      : { ok: true, reason: `asks for ${ask}: no ${up ? 'growth' : 'reduction'} beyond the baseline` };
  const n = windowDays(o.start, o.due);
  const unit = windowName(n);
  // A baseline from the same period last year asks for year-on-year growth: compare it with that.
  const yoy = !level && r.baselineSource === 'same_period_last_year';
  const { windows, growths } = await windowHistory(ws, o.kpi, r.filter, o.start, o.due, {
    yearOverYear: yoy,
  });
  if (growths.length < 2)
    return {
      ok: null,
      reason: `asks for ${ask}; not enough history to judge (${
        yoy
          ? `fewer than 2 earlier ${unit}s with data for the same ${unit} a year before`
          : `fewer than 3 earlier ${unit}s with data to compare`
      })`,
    };
  const best = growths.reduce((acc, x) => ((up ? x.growth > acc.growth : x.growth < acc.growth) ? x : acc));
  const seen = `${formatChange(best.growth)} (${best.from} … ${best.to})`;
  const step = yoy
    ? `over the same ${unit} a year earlier in the last ${growths.length} ${unit}s`
    : `from one ${unit} to the next in the last ${windows.length} ${unit}s`;
  const points = Math.round(Math.abs(g - best.growth) * 100);
  if (up)
    return g <= best.growth
      ? { ok: true, reason: `asks for ${ask}; the best growth ${step} was ${seen}` }
      : { ok: false, reason: `asks for ${ask}, ${points} points above the best growth ${step}: ${seen}` };
  if (best.growth >= 0) return { ok: false, reason: `asks for ${ask}, but ${o.kpi} never fell ${step}` };
  return g >= best.growth
    ? { ok: true, reason: `asks for ${ask}; the biggest drop ${step} was ${seen}` }
    : { ok: false, reason: `asks for ${ask}, ${points} points more than the biggest drop ${step}: ${seen}` };
}

/**
 * Where a KPI stands before an objective to hold a level starts: its value over the window of the same
 * length just before the start (null when it has none).
 */
async function currentLevel(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  r: ResolvedObjective,
): Promise<{ value: number; from: string; to: string } | null> {
  const n = windowDays(o.start, o.due);
  const from = addDays(o.start, -n);
  const to = addDays(o.start, -1);
  const value = await kpiValue(ws, o.kpi, from, to, r.filter);
  return value === null || (r.kpi?.additive && value === 0) ? null : { value, from, to };
}

/**
 * Without a baseline there is no growth to compare; an increase is then compared with the highest
 * value any earlier window of the same length reached (a weekly target with the best week ever).
 */
async function checkAgainstBestLevel(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  r: ResolvedObjective,
  fmt: (v: number | null) => string,
  up: boolean,
): Promise<Letter> {
  const t = r.target as number;
  const unit = windowName(windowDays(o.start, o.due));
  const { windows } = up ? await windowHistory(ws, o.kpi, r.filter, o.start, o.due) : { windows: [] };
  const values = windows.filter((w) => w.value !== null);
  if (!up || values.length < 3)
    return {
      ok: null,
      reason: `${fmt(t)} has no baseline to measure the change from and too little history to compare with (set \`baseline:\`, or import the history)`,
    };
  const best = values.reduce((acc, w) => ((w.value ?? 0) > (acc.value ?? 0) ? w : acc));
  const seen = `${fmt(best.value)} (${best.from} … ${best.to})`;
  return t <= (best.value ?? 0)
    ? {
        ok: true,
        reason: `asks for ${fmt(t)} a ${unit}; the best ${unit} in the last ${values.length} was ${seen}`,
      }
    : {
        ok: false,
        reason: `asks for ${fmt(t)} a ${unit}, above the best ${unit} in the last ${values.length}: ${seen}`,
      };
}

/** Capacity recorded next to the objective, each against what it has to carry. */
async function checkCapacity(ws: WorkspaceStore, o: ObjectiveInput, r: ResolvedObjective): Promise<Letter[]> {
  const c = o.capacity ?? {};
  const t = r.target as number;
  const n = windowDays(o.start, o.due);
  const cur = ws.workspace.currency;
  const out: Letter[] = [];
  if (c.writers !== undefined && o.kpi === 'content_published') {
    const perMonth = c.writers > 0 ? (t / c.writers / n) * DAYS_PER_MONTH : Number.POSITIVE_INFINITY;
    const text = `${oneDecimal(perMonth)} posts a month per writer (${c.writers} writer${c.writers === 1 ? '' : 's'})`;
    out.push(
      perMonth <= POSTS_PER_WRITER_MONTH
        ? { ok: true, reason: `${text} is within the ${POSTS_PER_WRITER_MONTH} one writer can do well` }
        : {
            ok: false,
            reason: `${text}: one writer does about ${POSTS_PER_WRITER_MONTH} good posts a month`,
          },
    );
  }
  if (c.headcount !== undefined && r.kpi?.filters.includes('owner')) {
    const perWeek = c.headcount > 0 ? (t / c.headcount / n) * 7 : Number.POSITIVE_INFINITY;
    const best = await bestPersonWeek(ws, o.kpi, r.filter, o.start);
    const text = `${oneDecimal(perWeek)} a week per person (${c.headcount} people)`;
    if (best === null) out.push({ ok: true, reason: `${text}; no per-person history to compare with` });
    else
      out.push(
        perWeek <= best
          ? {
              ok: true,
              reason: `${text}; the best week of one person last year was ${formatValue(best, r.kpi.unit, cur)}`,
            }
          : {
              ok: false,
              reason: `${text}, above the best week any one person had last year (${formatValue(best, r.kpi.unit, cur)})`,
            },
      );
  }
  if (c.budget !== undefined && r.kpi) {
    if (isControllableCost(r)) {
      out.push(
        t <= c.budget
          ? {
              ok: true,
              reason: `the target ${formatValue(t, 'currency', cur)} is within the budget of ${formatValue(c.budget, 'currency', cur)}`,
            }
          : {
              ok: false,
              reason: `the target ${formatValue(t, 'currency', cur)} is above the budget of ${formatValue(c.budget, 'currency', cur)}`,
            },
      );
    } else if (r.kpi.additive && r.kpi.unit === 'count' && r.kpi.better === 'higher') {
      const cost = await costPerUnit(ws, o.kpi, r.filter, o.start);
      if (cost !== null) {
        const needed = cost * t;
        const text = `at last year's ${formatValue(cost, 'currency', cur)} of ad spend per unit, ${formatValue(t, 'count')} cost about ${formatValue(needed, 'currency', cur)}`;
        out.push(
          needed <= c.budget
            ? { ok: true, reason: `${text}, within the budget of ${formatValue(c.budget, 'currency', cur)}` }
            : {
                ok: false,
                reason: `${text}, more than the budget of ${formatValue(c.budget, 'currency', cur)}`,
              },
        );
      }
    }
  }
  return out;
}

const oneDecimal = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** The most any single owner achieved in one week (Monday–Sunday) in the 52 weeks before `start`. */
async function bestPersonWeek(
  ws: WorkspaceStore,
  kpi: string,
  filter: KpiFilter,
  start: string,
): Promise<number | null> {
  const { owner: _owner, ...rest } = filter;
  const res = await runKpi(ws, {
    kpi,
    from: addDays(start, -364),
    to: addDays(start, -1),
    grain: 'week',
    by: 'owner',
    filter: rest,
  });
  const values = res.rows
    .filter((row) => row.owner !== '(none)' && row.value !== null)
    .map((row) => row.value as number);
  return values.length ? Math.max(...values) : null;
}

/** Ad spend per unit of a KPI over the year before `start` (spend filtered the same way when it can be). */
async function costPerUnit(
  ws: WorkspaceStore,
  kpi: string,
  filter: KpiFilter,
  start: string,
): Promise<number | null> {
  const from = addDays(start, -365);
  const to = addDays(start, -1);
  const spendFilter: KpiFilter = {};
  for (const k of ['channel', 'source', 'campaign'] as const) if (filter[k]) spendFilter[k] = filter[k];
  const [spend, units] = await Promise.all([
    kpiValue(ws, 'ad_spend', from, to, spendFilter),
    kpiValue(ws, kpi, from, to, filter),
  ]);
  return spend !== null && units !== null && units > 0 && spend > 0 ? spend / units : null;
}

/**
 * A stated baseline far from what the data shows is worth a word (not a failure: it is the plan's
 * call). "What the data shows" is either window a plan may mean: the same period last year or the
 * period just before the start; a baseline close to either is taken as meant.
 */
async function baselineNote(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  r: ResolvedObjective,
  fmt: (v: number | null) => string,
): Promise<string> {
  if ((r.baselineSource !== 'given' && r.baselineSource !== 'target') || !r.baseline) return '';
  const b = r.baseline;
  const h = await baselineFromHistory(ws, o.kpi, o.start, o.due, r.filter);
  if (h.value === null || h.value <= 0) return '';
  const n = windowDays(o.start, o.due);
  const prevFrom = addDays(o.start, -n);
  const prevTo = addDays(o.start, -1);
  const prev = h.from === prevFrom ? h.value : await kpiValue(ws, o.kpi, prevFrom, prevTo, r.filter);
  const close = (v: number | null) => v !== null && v > 0 && v / b >= 0.5 && v / b <= 2;
  if (close(h.value) || close(prev)) return '';
  return ` (note: the data shows ${fmt(h.value)} for ${h.from} … ${h.to}, not the ${fmt(b)} the plan starts from)`;
}
