/**
 * Progress and pacing arithmetic, pure (no I/O) so every formula can be tested by hand. The formulas
 * and thresholds are documented in docs/goals.md; keep the two in step.
 */
import type { Direction } from '../domain/goal.js';

export const STATUSES = ['on_track', 'at_risk', 'off_track', 'done', 'not_started'] as const;
export type Status = (typeof STATUSES)[number];

/** Pace at or above this is on track: on course for at least 95 % of what the objective asks. */
export const ON_TRACK = 0.95;
/** Pace at or above this (and below ON_TRACK) is at risk; below it, off track. */
export const AT_RISK = 0.8;

/**
 * How an objective is measured, from its KPI's nature and its direction:
 * - `quota`: an additive KPI to raise (leads this quarter): the window total must reach the target.
 * - `cut`: an additive KPI to lower from a known baseline (ad spend −10 %): savings banked vs baseline.
 * - `ceiling`: an additive KPI to keep under a total (stay_below, or a decrease without baseline).
 * - `path`: a level KPI (rate, average, cost per unit) moving from its baseline to the target.
 * - `floor` / `cap`: a level KPI to hold at or above / at or below the target.
 */
export type Mode = 'quota' | 'cut' | 'ceiling' | 'path' | 'floor' | 'cap';

export function modeOf(
  additive: boolean,
  direction: Direction,
  baseline: number | null,
  target: number,
): Mode {
  const known = baseline !== null && baseline !== target;
  if (additive) {
    if (direction === 'increase' || direction === 'stay_above') return 'quota';
    return direction === 'decrease' && known && (baseline as number) > target ? 'cut' : 'ceiling';
  }
  if ((direction === 'increase' || direction === 'decrease') && known) return 'path';
  return direction === 'increase' || direction === 'stay_above' ? 'floor' : 'cap';
}

/**
 * Share of the window elapsed on a straight line: days from start through `asOf` (inclusive) over the
 * window's days, 0 before the start and 1 from the due date on.
 *
 * @example
 * linearShare('2026-07-01', '2026-09-29', '2026-07-30'); // 30 / 91
 */
export function linearShare(start: string, due: string, asOf: string): number {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const total = day(due) - day(start) + 1;
  const elapsed = Math.min(Math.max(day(asOf) - day(start) + 1, 0), total);
  return elapsed / total;
}

/**
 * Share of the window elapsed following last year's shape: last year's daily values of the same
 * window, cumulated up to the same day, over last year's window total. Null when last year had
 * nothing to give a shape (total 0) or the data is too sparse to be a shape rather than a few steps
 * (values on fewer than a quarter of the days, or on fewer than 2).
 *
 * @example
 * seasonalShare([10, 30, 60], 2); // (10 + 30) / 100 = 0.4
 */
export function seasonalShare(lastYearDaily: readonly number[], elapsedDays: number): number | null {
  const total = lastYearDaily.reduce((a, b) => a + b, 0);
  const days = lastYearDaily.filter((v) => v !== 0).length;
  if (total <= 0 || days < Math.max(2, lastYearDaily.length / 4)) return null;
  const upTo = lastYearDaily.slice(0, Math.max(0, Math.min(elapsedDays, lastYearDaily.length)));
  return upTo.reduce((a, b) => a + b, 0) / total;
}

export interface PaceInput {
  mode: Mode;
  baseline: number | null;
  target: number;
  /** The KPI from the start to min(as of, due); null when undefined (a rate over nothing). */
  actual: number | null;
  /** Share of the window elapsed (linear, or seasonal for additive KPIs). */
  share: number;
  /** True once the as-of date is after the due date: the result is final. */
  ended: boolean;
  /**
   * True for KPIs that count whole things (posts, meetings, leads): a quota less than one unit behind
   * its path is on track, because nobody publishes 0.3 posts (two posts a month read 0 until the 5th).
   */
  whole?: boolean;
}

export interface PaceResult {
  /** Where the KPI should be by now on the path to the target (a running total for additive KPIs). */
  expected: number | null;
  /** Where it will be at the due date if the trend so far continues. */
  forecast: number | null;
  /** 0 at the start, 1 when the target is met; see docs/goals.md for each mode. */
  progress: number | null;
  /** Progress against where it should be by now: 1 = exactly on the path, above 1 ahead. */
  pace: number | null;
  /** What is still missing, in the KPI's unit (0 when nothing is). */
  gap: number | null;
  /** Whether the target is met by the actual value (for ceilings and caps: not exceeded). */
  met: boolean;
  status: Status;
}

const safeDiv = (a: number, b: number): number => (b === 0 ? (a >= 0 ? Number.POSITIVE_INFINITY : 0) : a / b);

/**
 * Expected, forecast, progress, pace, gap and status of one objective.
 *
 * @example
 * // A quota of 3,000 leads, 40 % of the way through the window, 1,000 so far:
 * pace({ mode: 'quota', baseline: 2000, target: 3000, actual: 1000, share: 0.4, ended: false });
 * // expected 1,200 (3,000 × 0.4), forecast 2,500 (1,000 / 0.4), progress 1/3, pace 0.833 → at_risk
 */
export function pace(i: PaceInput): PaceResult {
  const { mode, target: t, share: s } = i;
  const b = i.baseline ?? 0;
  const a = i.actual;
  const additive = mode === 'quota' || mode === 'cut' || mode === 'ceiling';
  let expected: number | null;
  if (additive) expected = t * s;
  else if (mode === 'path') expected = b + (t - b) * s;
  else expected = t;
  if (a === null)
    return { expected, forecast: null, progress: null, pace: null, gap: null, met: false, status: 'at_risk' };
  const forecast = additive ? (s > 0 ? a / s : null) : a;
  let progress: number;
  let p: number;
  let gap: number;
  let met: boolean;
  switch (mode) {
    case 'quota':
      progress = t > 0 ? a / t : a >= t ? 1 : 0;
      p = safeDiv(a, t * s);
      gap = Math.max(0, t - a);
      met = a >= t;
      break;
    case 'cut':
      progress = (b * s - a) / (b - t);
      p = s > 0 ? progress / s : 0;
      gap = Math.max(0, (forecast ?? a) - t);
      met = a <= t;
      break;
    case 'ceiling':
      progress = a > 0 ? s * Math.min(1, (t * s) / a) : s;
      p = a > 0 ? (t * s) / a : Number.POSITIVE_INFINITY;
      gap = Math.max(0, (forecast ?? a) - t);
      met = a <= t;
      break;
    case 'path':
      progress = (a - b) / (t - b);
      p = s > 0 ? progress / s : 0;
      gap = t > b ? Math.max(0, t - a) : Math.max(0, a - t);
      met = t > b ? a >= t : a <= t;
      break;
    case 'floor':
      progress = a >= t ? 1 : t > 0 ? Math.max(0, a / t) : 0;
      p = t > 0 ? a / t : a >= t ? 1 : 0;
      gap = Math.max(0, t - a);
      met = a >= t;
      break;
    case 'cap':
      progress = a <= t ? 1 : a > 0 ? t / a : 0;
      p = a > 0 ? t / a : Number.POSITIVE_INFINITY;
      gap = Math.max(0, a - t);
      met = a <= t;
      break;
  }
  let status: Status;
  // A quota reached is reached for good (a total only grows); everything else is final at the end.
  if ((mode === 'quota' && met) || (i.ended && met)) status = 'done';
  else if (i.ended) status = 'off_track';
  else if (mode === 'quota' && i.whole && expected - a < 1) status = 'on_track';
  else status = statusFromPace(p);
  return { expected, forecast, progress, pace: Number.isFinite(p) ? p : null, gap, met, status };
}

/**
 * Status from pace while the window is open: on_track from 0.95, at_risk from 0.8, else off_track.
 *
 * @example
 * statusFromPace(0.95); // 'on_track'
 * statusFromPace(0.8);  // 'at_risk'
 * statusFromPace(0.79); // 'off_track'
 */
export function statusFromPace(p: number): Status {
  if (p >= ON_TRACK) return 'on_track';
  if (p >= AT_RISK) return 'at_risk';
  return 'off_track';
}

export interface RollupChild {
  progress: number | null;
  pace: number | null;
  status: Status;
  /** From the plan's `weight`, 1 by default. */
  weight: number;
}

/**
 * A parent's progress and status from its children. Progress: the weighted average of the children's
 * progress, each clamped to 0..1 so one objective far ahead cannot hide another behind. Status: done
 * when every child is done, not_started when none has started; otherwise the started children's
 * weighted average "health" (done 1, pace capped at 1, no data 0.8) against the same thresholds as pace.
 *
 * @example
 * rollUp([
 *   { progress: 0.5, pace: 1, status: 'on_track', weight: 3 },
 *   { progress: 0.1, pace: 0.5, status: 'off_track', weight: 1 },
 * ]);
 * // progress (3 × 0.5 + 1 × 0.1) / 4 = 0.4; health (3 × 1 + 1 × 0.5) / 4 = 0.875 → at_risk
 */
export function rollUp(children: readonly RollupChild[]): { progress: number | null; status: Status | null } {
  const measured = children.filter((c) => c.progress !== null);
  const wp = measured.reduce((acc, c) => acc + c.weight, 0);
  const progress =
    wp > 0
      ? measured.reduce((acc, c) => acc + c.weight * Math.min(1, Math.max(0, c.progress as number)), 0) / wp
      : null;
  if (children.length === 0) return { progress, status: null };
  if (children.every((c) => c.status === 'done')) return { progress, status: 'done' };
  const started = children.filter((c) => c.status !== 'not_started');
  if (started.length === 0) return { progress, status: 'not_started' };
  const health = (c: RollupChild) =>
    c.status === 'done' ? 1 : c.pace === null ? AT_RISK : Math.min(1, Math.max(0, c.pace));
  const ws = started.reduce((acc, c) => acc + c.weight, 0);
  const h = started.reduce((acc, c) => acc + c.weight * health(c), 0) / ws;
  return { progress, status: statusFromPace(h) };
}
