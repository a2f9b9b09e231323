/**
 * Progress and pacing of the stored goal tree as of a date: every objective measured with its KPI over
 * its window, compared with the expected path, and parents rolled up from their children.
 */
import { isUserError } from '../core/errors.js';
import { today } from '../core/time.js';
import { type Direction, type GoalRecord, type ObjectiveInput, objectiveSchema } from '../domain/goal.js';
import { memo } from '../store/read.cache.js';
import type { WorkspaceStore } from '../store/store.js';
import { childrenByParent, recordToObjective } from './goal.tree.js';
import { dailyValues, kpiValue, windowDays, yearEarlier } from './kpi.history.js';
import type { BaselineSource } from './objective.resolve.js';
import { resolveObjective } from './objective.resolve.js';
import { linearShare, modeOf, pace, rollUp, type Status, seasonalShare } from './pacing.js';

export interface ObjectiveStatus {
  id: string;
  title: string;
  parent: string | null;
  owner: string | null;
  kpi: string;
  unit: string | null;
  direction: Direction;
  start: string;
  due: string;
  baseline: number | null;
  baseline_source: BaselineSource;
  target: number | null;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
  progress: number | null;
  pace: number | null;
  gap: number | null;
  status: Status;
  /** How `expected` was drawn: a straight line, or last year's shape of the same window. */
  method: 'linear' | 'seasonal';
  /** Children's weighted progress and status, for objectives that have children. */
  rollup?: { progress: number | null; status: Status | null };
  /** Why a number is missing (unknown KPI, relative target without baseline, no data yet). */
  note?: string;
}

export interface GoalNode {
  id: string;
  kind: 'goal' | 'objective';
  title: string;
  owner: string | null;
  progress: number | null;
  status: Status | null;
  /** The objective's own numbers (objectives only). */
  objective?: ObjectiveStatus;
  children: GoalNode[];
}

export interface StatusReport {
  as_of: string;
  objectives: ObjectiveStatus[];
  goals: Array<{
    id: string;
    title: string;
    owner: string | null;
    progress: number | null;
    status: Status | null;
  }>;
  tree: GoalNode[];
}

const r6 = (v: number | null): number | null =>
  v === null || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6;
const r4 = (v: number | null): number | null =>
  v === null || !Number.isFinite(v) ? null : Math.round(v * 1e4) / 1e4;

/**
 * One objective's numbers as of a date (see docs/goals.md for every formula).
 *
 * @example
 * await evaluateObjective(ws, { id: 'leads-q4', kpi: 'leads', target: 3000, start: '2026-10-01', due: '2026-12-31', … }, '2026-11-15');
 * // { actual: 1480, expected: 1500, forecast: 2960, progress: 0.4933, status: 'on_track', … }
 */
export async function evaluateObjective(
  ws: WorkspaceStore,
  o: ObjectiveInput,
  asOf: string,
): Promise<Omit<ObjectiveStatus, 'parent'>> {
  const r = await resolveObjective(ws, o);
  const base = {
    id: o.id,
    title: o.title,
    owner: o.owner || null,
    kpi: o.kpi,
    unit: r.kpi?.unit ?? null,
    direction: r.direction,
    start: o.start,
    due: o.due,
    baseline: r6(r.baseline),
    baseline_source: r.baselineSource,
    target: r6(r.target),
    method: 'linear' as const,
  };
  const empty = { actual: null, expected: null, forecast: null, progress: null, pace: null, gap: null };
  if (!r.kpi) return { ...base, ...empty, status: 'at_risk', note: `unknown KPI "${o.kpi}"` };
  if (r.target === null)
    return {
      ...base,
      ...empty,
      status: asOf < o.start ? 'not_started' : 'at_risk',
      note: 'the target is relative to a baseline, and there is none (no history): set `baseline:`',
    };
  const mode = modeOf(r.kpi.additive, r.direction, r.baseline, r.target);
  if (asOf < o.start) {
    const expected = r.kpi.additive ? 0 : mode === 'path' ? r.baseline : r.target;
    return { ...base, ...empty, expected: r6(expected), progress: 0, status: 'not_started' };
  }
  const end = asOf < o.due ? asOf : o.due;
  let actual = await kpiValue(ws, o.kpi, o.start, end, r.filter);
  if (actual === null && r.kpi.additive) actual = 0;
  let share = linearShare(o.start, o.due, end);
  let method: 'linear' | 'seasonal' = 'linear';
  const n = windowDays(o.start, o.due);
  // Only totals have a shape to follow; a rate's path has no seasonal "share" of anything.
  if (r.kpi.additive && n <= 366) {
    const lastYear = await dailyValues(ws, o.kpi, yearEarlier(o.start, n), yearEarlier(o.due, n), r.filter);
    const seasonal = seasonalShare(lastYear, windowDays(o.start, end));
    if (seasonal !== null && seasonal > 0) {
      share = seasonal;
      method = 'seasonal';
    }
  }
  const p = pace({
    mode,
    baseline: r.baseline,
    target: r.target,
    actual,
    share,
    ended: asOf > o.due,
    whole: r.kpi.unit === 'count',
  });
  return {
    ...base,
    method,
    actual: r6(actual),
    expected: r6(p.expected),
    forecast: r6(p.forecast),
    progress: r4(p.progress),
    pace: r4(p.pace),
    gap: r6(p.gap),
    status: p.status,
    ...(actual === null ? { note: `${o.kpi} is undefined so far (nothing to divide by yet)` } : {}),
  };
}

/**
 * A stored objective measured, or, when what is stored is not a valid objective (written by an older
 * version, or by hand), reported as such with what is wrong: one bad row never takes the report down.
 *
 * @example
 * await evaluateStored(ws, { id: 'x', kind: 'objective', spec: { due: '2027-31-03', … }, … }, '2026-11-24');
 * // { id: 'x', status: 'at_risk', note: 'the stored objective is not valid (due: "2027-31-03" is not …', … }
 */
export async function evaluateStored(
  ws: WorkspaceStore,
  rec: GoalRecord,
  asOf: string,
): Promise<Omit<ObjectiveStatus, 'parent'>> {
  const o = recordToObjective(rec);
  const checked = objectiveSchema.safeParse(o);
  let problem = checked.success
    ? null
    : checked.error.issues
        .map((i) => `${i.path.map(String).join('.') || 'objective'}: ${i.message}`)
        .join('; ');
  if (!problem) {
    try {
      return await evaluateObjective(ws, o, asOf);
    } catch (e) {
      if (!isUserError(e)) throw e;
      problem = e.message;
    }
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: rec.id,
    title: rec.title,
    owner: rec.owner,
    kpi: text(o.kpi),
    unit: null,
    direction: o.direction ?? 'increase',
    start: text(o.start),
    due: text(o.due),
    baseline: null,
    baseline_source: 'none',
    target: null,
    actual: null,
    expected: null,
    forecast: null,
    progress: null,
    pace: null,
    gap: null,
    status: 'at_risk',
    method: 'linear',
    note: `the stored objective is not valid (${problem}): fix it in the plan and apply the plan again`,
  };
}

/** Runs `fn` over `items` with at most `limit` at a time (the machine and DuckDB have few cores). */
async function mapLimit<T, U>(items: readonly T[], limit: number, fn: (t: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Every stored objective measured as of `asOf` (today in the workspace's time zone by default), and
 * goals and parent objectives rolled up from their children.
 *
 * @example
 * const report = await goalsStatus(ws, '2026-11-24');
 * report.objectives[0]; // { id, kpi, baseline, target, actual, expected, forecast, progress, status, … }
 */
export async function goalsStatus(ws: WorkspaceStore, asOf?: string): Promise<StatusReport> {
  const day = asOf ?? today(ws.workspace.timezone);
  // Under `serve` kept until the workspace is written to (store/read.cache.ts); statusOf builds a new
  // report, so a kept one is never changed by a later caller.
  return memo(ws, 'goals.status', { asOf: day }, async () => statusOf(ws, await ws.listGoals(), day));
}

export async function statusOf(
  ws: WorkspaceStore,
  records: readonly GoalRecord[],
  asOf: string,
): Promise<StatusReport> {
  const objectives = records.filter((r) => r.kind === 'objective');
  const measured = await mapLimit(objectives, 2, async (rec) => ({
    ...(await evaluateStored(ws, rec, asOf)),
    parent: rec.parentId,
  }));
  const byId = new Map(measured.map((m) => [m.id, m]));
  const kids = childrenByParent(records);
  const weights = new Map(records.map((r) => [r.id, typeof r.spec.weight === 'number' ? r.spec.weight : 1]));
  const node = (rec: GoalRecord): GoalNode => {
    const children = (kids.get(rec.id) ?? []).map(node);
    const roll = rollUp(
      children.map((c) => ({
        progress: c.progress,
        pace: c.objective?.pace ?? null,
        status: c.status ?? 'not_started',
        weight: weights.get(c.id) ?? 1,
      })),
    );
    const own = byId.get(rec.id);
    if (own && children.length) own.rollup = { progress: r4(roll.progress), status: roll.status };
    return {
      id: rec.id,
      kind: rec.kind,
      title: rec.title,
      owner: rec.owner,
      // An objective's own KPI is its measure; a goal (or an objective that cannot be measured) takes
      // its children's.
      progress: own?.progress ?? r4(roll.progress),
      status: own ? own.status : roll.status,
      ...(own ? { objective: own } : {}),
      children,
    };
  };
  const tree = (kids.get(null) ?? []).map(node);
  const goals = tree
    .filter((n) => n.kind === 'goal')
    .map((n) => ({ id: n.id, title: n.title, owner: n.owner, progress: n.progress, status: n.status }));
  return { as_of: asOf, objectives: measured, goals, tree };
}
