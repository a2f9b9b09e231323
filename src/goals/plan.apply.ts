/**
 * Goals as code: a YAML plan loaded into the workspace (`goals apply`) and written back
 * (`goals export`). Applying the same plan twice changes nothing: records are compared first, and only
 * real changes are stored and audited.
 */
import { LineCounter, parseDocument } from 'yaml';
import { type GoalRecord, type ObjectiveInput, type PlanInput, parseTarget } from '../domain/goal.js';
import type { WorkspaceStore } from '../store/store.js';
import { buildPlan, flattenPlan } from './goal.tree.js';
import { FILTER_KEYS, kpiInfo } from './kpi.history.js';
import { targetValue } from './objective.resolve.js';
import { formatPath, lineOf, PlanFileError, type PlanProblem, parsePlan, planToYaml } from './plan.yaml.js';

export interface ApplyResult {
  changed: boolean;
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: number;
}

/** A record's content without its timestamp, with keys in a fixed order, to compare two versions. */
function fingerprint(r: GoalRecord): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortKeys({ ...r, updatedAt: undefined }));
}

/** Every objective of a plan with its path in the file (for line numbers). */
function* objectivesOf(plan: PlanInput): Generator<{ o: ObjectiveInput; path: PropertyKey[] }> {
  function* walk(
    list: readonly ObjectiveInput[] | undefined,
    path: PropertyKey[],
  ): Generator<{ o: ObjectiveInput; path: PropertyKey[] }> {
    for (const [i, o] of (list ?? []).entries()) {
      yield { o, path: [...path, i] };
      yield* walk(o.objectives, [...path, i, 'objectives']);
    }
  }
  for (const [i, g] of plan.goals.entries()) yield* walk(g.objectives, ['goals', i, 'objectives']);
  yield* walk(plan.objectives, ['objectives']);
}

/**
 * Problems only the workspace can reveal, the same the SMART check fails for: a KPI it does not know, a
 * filter the KPI cannot honour (it would silently measure nothing), a bare "25%" for a KPI that is no
 * rate, a direction the plan's own baseline contradicts. Located by field path; lines are added by the
 * caller.
 */
export async function workspaceProblems(
  ws: WorkspaceStore,
  plan: PlanInput,
): Promise<Array<PlanProblem & { path: PropertyKey[] }>> {
  const out: Array<PlanProblem & { path: PropertyKey[] }> = [];
  for (const { o, path } of objectivesOf(plan)) {
    const info = await kpiInfo(ws, o.kpi);
    if (!info) {
      const p = [...path, 'kpi'];
      out.push({
        path: p,
        line: null,
        field: formatPath(p),
        message: `unknown KPI "${o.kpi}" (see \`northstar kpi list\`)`,
      });
      continue;
    }
    const spec = parseTarget(o.target);
    if (spec?.kind === 'absolute' && spec.percent && info.unit !== 'ratio' && info.unit !== 'percent') {
      const p = [...path, 'target'];
      out.push({
        path: p,
        line: null,
        field: formatPath(p),
        message: `"${o.target}" is ambiguous for ${o.kpi}: write "+${String(o.target).replace('%', '').trim()}%" for growth, or a number`,
      });
    }
    const b = o.baseline ?? (spec?.kind === 'from_to' ? spec.from : null);
    const t = targetValue(spec, b);
    if (
      t !== null &&
      b !== null &&
      ((o.direction === 'increase' && t < b) || (o.direction === 'decrease' && t > b))
    ) {
      const p = [...path, 'direction'];
      out.push({
        path: p,
        line: null,
        field: formatPath(p),
        message: `the direction says ${o.direction}, but the target ${t} is ${t < b ? 'below' : 'above'} the baseline ${b}`,
      });
    }
    for (const k of FILTER_KEYS) {
      if (o.filter?.[k] === undefined || info.filters.includes(k)) continue;
      const p = [...path, 'filter', k];
      out.push({
        path: p,
        line: null,
        field: formatPath(p),
        message: `${o.kpi} cannot be filtered by ${k}${info.filters.length ? ` (it can by ${info.filters.join(', ')})` : ''}`,
      });
    }
  }
  return out;
}

/**
 * Stores a plan as the workspace's goal tree, unless it is what is stored already. Each created,
 * changed or removed goal and objective gets its own audit entry (who, before, after).
 *
 * @example
 * await applyPlan(ws, plan, 'ana@example.com'); // { changed: true, created: ['more-leads', …], … }
 * await applyPlan(ws, plan, 'ana@example.com'); // { changed: false, unchanged: 7, … }
 */
export async function applyPlan(
  ws: WorkspaceStore,
  plan: PlanInput,
  actor: string,
  now = new Date(),
): Promise<ApplyResult> {
  const before = await ws.listGoals();
  const old = new Map(before.map((r) => [r.id, r]));
  const next = flattenPlan(plan, now).map((r) => {
    const prev = old.get(r.id);
    // An untouched record keeps its timestamp, so "updated at" means what it says.
    return prev && fingerprint(prev) === fingerprint(r) ? { ...r, updatedAt: prev.updatedAt } : r;
  });
  const ids = new Set(next.map((r) => r.id));
  const created = next.filter((r) => !old.has(r.id));
  const updated = next.filter(
    (r) => old.has(r.id) && fingerprint(old.get(r.id) as GoalRecord) !== fingerprint(r),
  );
  const deleted = before.filter((r) => !ids.has(r.id));
  const result: ApplyResult = {
    changed: created.length + updated.length + deleted.length > 0,
    created: created.map((r) => r.id),
    updated: updated.map((r) => r.id),
    deleted: deleted.map((r) => r.id),
    unchanged: next.length - created.length - updated.length,
  };
  if (!result.changed) return result;
  await ws.replaceGoals(next, actor);
  const entry = (action: string, r: GoalRecord, b: GoalRecord | null, a: GoalRecord | null) =>
    ws.audit({ actor, action, entity: r.kind, entityId: r.id, before: b, after: a });
  for (const r of created) await entry('create', r, null, r);
  for (const r of updated) await entry('update', r, old.get(r.id) ?? null, r);
  for (const r of deleted) await entry('delete', r, r, null);
  return result;
}

/**
 * Parses, validates (structure, then KPIs and filters against the workspace) and applies a plan file.
 * Any problem throws a PlanFileError with every problem and its line; nothing is stored then.
 *
 * @example
 * await applyPlanText(ws, readFileSync('plan.yaml', 'utf8'), 'plan.yaml', 'cli');
 */
export async function applyPlanText(
  ws: WorkspaceStore,
  text: string,
  file: string,
  actor: string,
): Promise<ApplyResult> {
  const plan = parsePlan(text, file);
  const problems = await workspaceProblems(ws, plan);
  if (problems.length) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    throw new PlanFileError(
      file,
      problems.map(({ path, field, message }) => ({ line: lineOf(doc, path, lc), field, message })),
    );
  }
  return applyPlan(ws, plan, actor);
}

/**
 * The stored goal tree as a YAML plan (what `goals apply` reads back unchanged).
 *
 * @example
 * await exportPlan(ws); // '# Northstar goal plan …\ngoals:\n  - id: increase-revenue\n …'
 */
export async function exportPlan(ws: WorkspaceStore): Promise<string> {
  return planToYaml(buildPlan(await ws.listGoals()));
}
