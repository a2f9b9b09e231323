import type { Direction, TargetSpec } from '../domain/goal.js';
import { parseTarget } from '../domain/goal.js';
import type { WorkspaceStore } from '../store/store.js';
import {
  baselineFromHistory,
  defaultDirection,
  type KpiFilter,
  type KpiInfo,
  kpiInfo,
} from './kpi.history.js';

/** The fields of an objective that decide what it measures (a stored spec or a plan entry). */
export interface MeasuredObjective {
  kpi: string;
  target: string | number;
  baseline?: number;
  direction?: Direction;
  filter?: KpiFilter;
  start: string;
  due: string;
}

export type BaselineSource = 'given' | 'target' | 'same_period_last_year' | 'previous_period' | 'none';

export interface ResolvedObjective {
  kpi: KpiInfo | null;
  filter: KpiFilter;
  targetSpec: TargetSpec | null;
  baseline: number | null;
  baselineSource: BaselineSource;
  /** The window the baseline was measured over, when it came from history. */
  baselineWindow: { from: string; to: string } | null;
  /** The target as a value of the KPI (null when a relative target has no baseline to apply to). */
  target: number | null;
  direction: Direction;
}

/**
 * The target as a KPI value: absolute as written, relative forms applied to the baseline.
 *
 * @example
 * targetValue({ kind: 'relative', factor: 1.15 }, 400); // 460
 * targetValue({ kind: 'from_to', from: 2000, to: 3000 }, null); // 3000
 */
export function targetValue(spec: TargetSpec | null, baseline: number | null): number | null {
  if (!spec) return null;
  switch (spec.kind) {
    case 'absolute':
      return spec.value;
    case 'from_to':
      return spec.to;
    case 'relative':
      return baseline === null ? null : clean(baseline * spec.factor);
    case 'delta':
      return baseline === null ? null : clean(baseline + spec.value);
  }
}

/** 400 × 1.15 is 459.99999999999994 in floating point; a target reads (and compares) as 460. */
function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * A target computed from a baseline (relative or delta) of a count KPI is a whole number: 3 MQLs ×
 * 1.25 asks for 4, not 3.75. Rounded towards the ambition (up for a rise, down for a cut); a target
 * written as a number stays as written.
 *
 * @example
 * wholeFor({ unit: 'count' } as KpiInfo, { kind: 'relative', factor: 1.25 }, 3.75); // 4
 */
export function wholeFor(kpi: KpiInfo | null, spec: TargetSpec | null, target: number | null): number | null {
  if (target === null || kpi?.unit !== 'count' || !spec) return target;
  if (spec.kind === 'relative') return spec.factor >= 1 ? Math.ceil(target) : Math.floor(target);
  if (spec.kind === 'delta') return spec.value >= 0 ? Math.ceil(target) : Math.floor(target);
  return target;
}

/**
 * Resolves what an objective measures against a workspace: its KPI, its baseline (as given, from a
 * "from X to Y" target, or from history), its target value and its direction (as given, else from the
 * target against the baseline, else the KPI's better direction).
 *
 * @example
 * await resolveObjective(ws, { kpi: 'cpc', target: 'halve', start: '2026-07-01', due: '2026-09-30' });
 * // { baseline: 3.1, baselineSource: 'same_period_last_year', target: 1.55, direction: 'decrease', … }
 */
export async function resolveObjective(ws: WorkspaceStore, o: MeasuredObjective): Promise<ResolvedObjective> {
  const kpi = await kpiInfo(ws, o.kpi);
  const filter = o.filter ?? {};
  const targetSpec = parseTarget(o.target);
  let baseline: number | null = null;
  let baselineSource: BaselineSource = 'none';
  let baselineWindow: { from: string; to: string } | null = null;
  if (o.baseline !== undefined) {
    baseline = o.baseline;
    baselineSource = 'given';
  } else if (targetSpec?.kind === 'from_to') {
    baseline = targetSpec.from;
    baselineSource = 'target';
  } else if (kpi) {
    const h = await baselineFromHistory(ws, o.kpi, o.start, o.due, filter);
    // "+20 %" of nothing is nothing: a window without data is no baseline for a relative target.
    if (!(h.value === 0 && targetSpec?.kind === 'relative')) {
      baseline = h.value;
      baselineSource = h.source;
      if (h.from && h.to) baselineWindow = { from: h.from, to: h.to };
    }
  }
  const target = wholeFor(kpi, targetSpec, targetValue(targetSpec, baseline));
  const direction = o.direction ?? defaultDirection(target, baseline, kpi?.better ?? 'higher');
  return { kpi, filter, targetSpec, baseline, baselineSource, baselineWindow, target, direction };
}
