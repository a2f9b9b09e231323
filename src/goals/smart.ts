/**
 * The SMART check: one verdict and one plain reason per letter for every objective, against the
 * workspace's own data. Used by `goals lint FILE` (a draft plan) and the API (the stored tree).
 */
import { UserError } from '../core/errors.js';
import { addDays, today } from '../core/time.js';
import {
  type Direction,
  type DraftPlan,
  dateProblem,
  isSingleOwner,
  type ObjectiveDraft,
  type ObjectiveInput,
  parseTarget,
  TARGET_FORMS,
} from '../domain/goal.js';
import type { WorkspaceStore } from '../store/store.js';
import { checkAchievable, type Letter } from './achievable.js';
import { recordToObjective } from './goal.tree.js';
import { FILTER_KEYS, kpiInfo, kpiValue, windowDays } from './kpi.history.js';
import { type ResolvedObjective, resolveObjective } from './objective.resolve.js';
import { formatValue } from './value.format.js';

export type { Letter } from './achievable.js';

export interface SmartVerdict {
  specific: Letter;
  measurable: Letter;
  achievable: Letter;
  relevant: Letter;
  time_bound: Letter;
}

/**
 * One objective's verdicts, in the shape INTERFACE.md fixes for `goals lint --format json`. `ok` is
 * false when any letter fails; a letter that is not judged (`ok: null`) is no failure. Warnings say
 * what is missing without failing the objective (no data yet, so no baseline yet).
 */
export interface LintRow {
  id: string;
  smart: SmartVerdict;
  ok: boolean;
  warnings: string[];
}

export interface ParentRef {
  id: string;
  title: string;
  kind: 'goal' | 'objective';
}

const isDate = (s: string | undefined): s is string => s !== undefined && dateProblem(s) === null;

function timeBound(o: ObjectiveDraft): Letter {
  if (o.due === undefined || o.due === '')
    return { ok: false, reason: 'no due date: give an exact day it must be done by (due: 2026-09-30)' };
  const dueProblem = dateProblem(o.due);
  if (dueProblem) return { ok: false, reason: dueProblem };
  if (o.start === undefined || o.start === '')
    return { ok: false, reason: 'no start date: progress is measured from the start (start: 2026-07-01)' };
  const startProblem = dateProblem(o.start);
  if (startProblem) return { ok: false, reason: `start ${startProblem}` };
  if (o.due <= o.start)
    return { ok: false, reason: `the due date ${o.due} is not after the start ${o.start}` };
  return { ok: true, reason: `runs ${o.start} → ${o.due} (${windowDays(o.start, o.due)} days)` };
}

function relevant(parent: ParentRef | null): Letter {
  if (!parent)
    return { ok: false, reason: 'not linked to any goal: nest it under the goal (or objective) it serves' };
  return {
    ok: true,
    reason: `serves the ${parent.kind} "${parent.title}"`,
  };
}

function specific(o: ObjectiveDraft): Letter {
  if (!o.kpi) return { ok: false, reason: `no KPI: "${o.title}" says what, but not which number shows it` };
  if (o.target === undefined || o.target === '')
    return { ok: false, reason: `no target: say how much (${TARGET_FORMS})` };
  const t = parseTarget(o.target);
  if (!t) return { ok: false, reason: `"${o.target}" is not a target: use ${TARGET_FORMS}` };
  return { ok: true, reason: '' };
}

/** The owner problem, if any: a plan names exactly one accountable person. */
function ownerProblem(owner: unknown): string | null {
  if (owner === undefined || owner === null || owner === '')
    return 'no owner: name exactly one person accountable';
  if (Array.isArray(owner))
    return `${owner.length} owners (${owner.join(', ')}): name exactly one person accountable`;
  if (!isSingleOwner(owner))
    return `"${String(owner)}" names several owners: exactly one person is accountable`;
  return null;
}

function describeFilter(f: Record<string, string | undefined> | undefined): string {
  const parts = Object.entries(f ?? {}).filter(([, v]) => v !== undefined);
  return parts.length ? ` (${parts.map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
}

/** The Measurable letter, and a warning when the KPI has no data yet (a plan comes before the data). */
async function measurable(
  ws: WorkspaceStore,
  o: ObjectiveDraft,
): Promise<{ letter: Letter; warning?: string }> {
  const owner = ownerProblem(o.owner);
  if (!o.kpi)
    return {
      letter: owner
        ? { ok: false, reason: owner }
        : { ok: null, reason: 'not judged: there is no KPI to measure yet (see specific)' },
    };
  // Looked up here, not taken from the resolved objective: a KPI is measurable even when the
  // target or the dates are not right yet.
  const info = await kpiInfo(ws, o.kpi);
  const problems: string[] = [];
  if (!info)
    problems.push(`"${o.kpi}" is not a KPI of the catalog or of this workspace (see \`northstar kpi list\`)`);
  const unsupported = FILTER_KEYS.filter(
    (k) => o.filter?.[k] !== undefined && info && !info.filters.includes(k),
  );
  if (info && unsupported.length)
    problems.push(
      `${o.kpi} cannot be split by ${unsupported.join(', ')}${info.filters.length ? ` (it can by ${info.filters.join(', ')})` : ''}`,
    );
  if (owner) problems.push(owner);
  if (!info || problems.length) return { letter: { ok: false, reason: problems.join('; ') } };
  const start = isDate(o.start) ? o.start : today(ws.workspace.timezone);
  const from = addDays(start, -365);
  const due = isDate(o.due) ? o.due : start;
  const now = today(ws.workspace.timezone);
  const end = due < now ? due : now > start ? now : addDays(start, -1);
  // A due date long before the start (Time-bound reports it) must not make the range run backwards.
  const to = end < from ? addDays(start, -1) : end;
  const v = await kpiValue(ws, o.kpi, from, to, o.filter ?? {});
  const what = `${o.kpi}${describeFilter(o.filter)}`;
  if (v === null || (info.additive && v === 0))
    return {
      letter: { ok: true, reason: `${what} is a KPI Northstar computes; owner ${o.owner}` },
      warning: `${what} has no data in this workspace from ${from} to ${to} yet: progress shows once its data is imported or tracked`,
    };
  return {
    letter: {
      ok: true,
      reason: `${what} computes for this workspace (${formatValue(v, info.unit, ws.workspace.currency)} from ${from} to ${to}); owner ${o.owner}`,
    },
  };
}

/**
 * The direction and the target as words.
 *
 * @example
 * directionPhrase('stay_below', '$6.00'); // 'stay below $6.00'
 * directionPhrase('stay_above', '15');    // 'at least 15'
 */
export function directionPhrase(d: Direction, target: string): string {
  switch (d) {
    case 'increase':
      return `increase to ${target}`;
    case 'decrease':
      return `decrease to ${target}`;
    case 'stay_above':
      return `at least ${target}`;
    case 'stay_below':
      return `stay below ${target}`;
  }
}

/** The Specific reason once the target is known, or a contradiction between direction and target. */
function specificResolved(o: ObjectiveDraft, r: ResolvedObjective, cur: string): Letter {
  const spec = parseTarget(o.target as string | number);
  const unit = r.kpi?.unit ?? null;
  if (spec?.kind === 'absolute' && spec.percent && unit !== 'ratio' && unit !== 'percent')
    return {
      ok: false,
      reason: `"${o.target}" is ambiguous for ${o.kpi}: write "+${String(o.target).replace('%', '').trim()}%" for growth, or a number`,
    };
  const fmt = (v: number | null) => formatValue(v, unit, cur);
  const { target: t, baseline: b, direction: d } = r;
  if (t !== null && b !== null && ((d === 'increase' && t < b) || (d === 'decrease' && t > b)))
    return {
      ok: false,
      reason: `the direction says ${d}, but the target ${fmt(t)} is ${t < b ? 'below' : 'above'} the baseline ${fmt(b)}`,
    };
  const what = `${o.kpi}${describeFilter(o.filter)}`;
  if (t === null)
    return { ok: true, reason: `${what}: ${d.replace('_', ' ')} by ${o.target} over a baseline (none yet)` };
  const from =
    b === null || d === 'stay_above' || d === 'stay_below'
      ? ''
      : ` from ${fmt(b)}${r.baselineSource === 'given' || r.baselineSource === 'target' ? '' : ` (${r.baselineSource.replace(/_/g, ' ')})`}`;
  return { ok: true, reason: `${what}: ${directionPhrase(d, fmt(t))}${from}` };
}

/**
 * The SMART verdicts of one objective.
 *
 * @example
 * await checkObjective(ws, { id: 'blog', title: 'More blog posts' }, { id: 'g', title: 'Grow', kind: 'goal' });
 * // { id: 'blog', ok: false, smart: { specific: { ok: false, reason: 'no KPI: …' }, … } }
 */
export async function checkObjective(
  ws: WorkspaceStore,
  o: ObjectiveDraft,
  parent: ParentRef | null,
): Promise<LintRow> {
  const s = specific(o);
  const t = timeBound(o);
  const complete = s.ok && t.ok && o.kpi !== undefined;
  // Resolving needs a KPI, a target and dates; without them the other letters say why they can't judge.
  const r = complete ? await resolveObjective(ws, o as ObjectiveInput) : null;
  const { letter: m, warning } = await measurable(ws, o);
  const spec = r && s.ok ? specificResolved(o, r, ws.workspace.currency) : s;
  const warnings = warning ? [warning] : [];
  if (r?.kpi && r.target === null)
    warnings.push(
      `the target "${o.target}" is relative and there is no baseline yet (no history): set \`baseline:\` or import the history`,
    );
  const blocked = [
    spec.ok === false ? 'specific' : null,
    m.ok === false ? 'measurable' : null,
    t.ok === false ? 'time-bound' : null,
  ].filter(Boolean);
  const a: Letter =
    r && m.ok && spec.ok
      ? await checkAchievable(ws, o as ObjectiveInput, r)
      : { ok: null, reason: `not judged: the objective is not ${blocked.join(', ') || 'complete'} yet` };
  const smart: SmartVerdict = {
    specific: spec,
    measurable: m,
    achievable: a,
    relevant: relevant(parent),
    time_bound: t,
  };
  return { id: o.id, smart, ok: Object.values(smart).every((l) => l.ok !== false), warnings };
}

/**
 * SMART verdicts of every objective of a plan (nested ones included), in file order.
 *
 * @example
 * const { objectives } = await lintPlan(ws, parseDraftPlan(text, 'plan.yaml'));
 * objectives.filter((o) => !o.ok).length; // objectives that fail
 */
export async function lintPlan(ws: WorkspaceStore, plan: DraftPlan): Promise<{ objectives: LintRow[] }> {
  const out: LintRow[] = [];
  const walk = async (list: readonly ObjectiveDraft[] | undefined, parent: ParentRef | null) => {
    for (const o of list ?? []) {
      out.push(await checkObjective(ws, o, parent));
      await walk(o.objectives, { id: o.id, title: o.title, kind: 'objective' });
    }
  };
  for (const g of plan.goals) await walk(g.objectives, { id: g.id, title: g.title, kind: 'goal' });
  await walk(plan.objectives, null);
  return { objectives: out };
}

/**
 * SMART verdicts of the stored goal tree (what `goals apply` loaded, or the demo's plan).
 *
 * @example
 * await lintStored(ws); // { objectives: [{ id, smart, ok }, …] }
 */
export async function lintStored(ws: WorkspaceStore): Promise<{ objectives: LintRow[] }> {
  const records = await ws.listGoals();
  const byId = new Map(records.map((r) => [r.id, r]));
  const out: LintRow[] = [];
  for (const rec of records) {
    if (rec.kind !== 'objective') continue;
    const p = rec.parentId ? byId.get(rec.parentId) : undefined;
    out.push(
      await checkObjective(ws, recordToObjective(rec), p ? { id: p.id, title: p.title, kind: p.kind } : null),
    );
  }
  return { objectives: out };
}

/** Thrown after printing a lint report in which some objective fails (the CLI then exits 1). */
export function lintFailure(rows: readonly LintRow[], file?: string): UserError | null {
  const failing = rows.filter((r) => !r.ok);
  if (!failing.length) return null;
  return new UserError(
    `${failing.length} of ${rows.length} objective${rows.length === 1 ? '' : 's'} fail the SMART check: ${failing.map((f) => f.id).join(', ')}`,
    file ? { file } : {},
  );
}
