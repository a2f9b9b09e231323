/**
 * The SMART check: one verdict and one plain reason per letter for every objective, against the
 * workspace's own data. Used by `goals lint FILE` (a draft plan) and the API (the stored tree).
 */
import { UserError } from '../core/errors.js';
import { addDays, parseDate, today } from '../core/time.js';
import {
  type DraftPlan,
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

/** One objective's verdicts, in the shape INTERFACE.md fixes for `goals lint --format json`. */
export interface LintRow {
  id: string;
  smart: SmartVerdict;
  ok: boolean;
}

export interface ParentRef {
  id: string;
  title: string;
  kind: 'goal' | 'objective';
}

const isDate = (s: string | undefined): s is string => {
  if (s === undefined) return false;
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
};

function timeBound(o: ObjectiveDraft): Letter {
  if (o.due === undefined || o.due === '')
    return { ok: false, reason: 'no due date: give an exact day it must be done by (due: 2026-09-30)' };
  if (!isDate(o.due))
    return { ok: false, reason: `"${o.due}" is not an exact date: write the day as YYYY-MM-DD` };
  if (o.start === undefined || o.start === '')
    return { ok: false, reason: 'no start date: progress is measured from the start (start: 2026-07-01)' };
  if (!isDate(o.start))
    return { ok: false, reason: `start "${o.start}" is not an exact date: write the day as YYYY-MM-DD` };
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

async function measurable(ws: WorkspaceStore, o: ObjectiveDraft): Promise<Letter> {
  const owner = ownerProblem(o.owner);
  if (!o.kpi)
    return { ok: false, reason: ['nothing to measure without a KPI', owner].filter(Boolean).join('; ') };
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
  if (!info || problems.length) return { ok: false, reason: problems.join('; ') };
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
      ok: false,
      reason: `${what} has no data in this workspace from ${from} to ${to}: it cannot be measured yet`,
    };
  return {
    ok: true,
    reason: `${what} computes for this workspace (${formatValue(v, info.unit, ws.workspace.currency)} from ${from} to ${to}); owner ${o.owner}`,
  };
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
  const target = t === null ? `"${o.target}"` : fmt(t);
  const from =
    b === null
      ? ''
      : ` from ${fmt(b)}${r.baselineSource === 'given' || r.baselineSource === 'target' ? '' : ` (${r.baselineSource.replace(/_/g, ' ')})`}`;
  return {
    ok: true,
    reason: `${o.kpi}${describeFilter(o.filter)}: ${d.replace('_', ' ')} to ${target}${from}`,
  };
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
  const m = await measurable(ws, o);
  const spec = r && s.ok ? specificResolved(o, r, ws.workspace.currency) : s;
  const a: Letter =
    r && m.ok
      ? await checkAchievable(ws, o as ObjectiveInput, r)
      : { ok: false, reason: 'cannot be judged until the objective is specific, measurable and time-bound' };
  const smart: SmartVerdict = {
    specific: spec,
    measurable: m,
    achievable: a,
    relevant: relevant(parent),
    time_bound: t,
  };
  return { id: o.id, smart, ok: Object.values(smart).every((l) => l.ok) };
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
