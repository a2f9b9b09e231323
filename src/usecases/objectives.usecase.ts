/**
 * One objective read and changed on its own (`goals set`, `GET|PATCH /api/v1/goals/objectives/{id}`),
 * for the dashboard's edit form. A change loads the stored tree, changes the one objective, and goes
 * through the same checks as `goals apply` (structure, the workspace's KPIs and filters) plus the
 * SMART check of that objective; it is stored, audited, whole or not at all.
 */
import { NotFoundError, UserError } from '../core/errors.js';
import type { GoalRecord, ObjectiveInput } from '../domain/goal.js';
import { buildPlan, recordToObjective } from '../goals/goal.tree.js';
import { type ApplyResult, applyPlanText } from '../goals/plan.apply.js';
import { parseDraftPlan, planToYaml } from '../goals/plan.yaml.js';
import { type LintRow, lintPlan } from '../goals/smart.js';
import type { WorkspaceStore } from '../store/store.js';

/** The fields an edit may change; null removes an optional one. */
export const EDITABLE = [
  'title',
  'kpi',
  'target',
  'baseline',
  'direction',
  'start',
  'due',
  'owner',
  'team',
  'market',
  'weight',
] as const;
export type ObjectivePatch = Partial<Record<(typeof EDITABLE)[number], string | number | null>>;
const REQUIRED = new Set(['title', 'kpi', 'target', 'start', 'due', 'owner']);

export interface ObjectiveAnswer {
  /** The objective as a plan writes it, without its sub-objectives. */
  objective: Omit<ObjectiveInput, 'objectives'>;
  parent: { id: string; title: string; kind: 'goal' | 'objective' } | null;
}

function find(records: readonly GoalRecord[], id: string): GoalRecord {
  const r = records.find((x) => x.id === id && x.kind === 'objective');
  if (!r) throw new NotFoundError(`objective "${id}"`);
  return r;
}

function answer(records: readonly GoalRecord[], r: GoalRecord): ObjectiveAnswer {
  const { objectives: _children, ...objective } = recordToObjective(r);
  const p = r.parentId ? records.find((x) => x.id === r.parentId) : undefined;
  return { objective, parent: p ? { id: p.id, title: p.title, kind: p.kind } : null };
}

/**
 * An objective's fields and its parent.
 *
 * @example
 * await getObjective(ws, 'leads-q4'); // { objective: { id: 'leads-q4', kpi: 'leads', target: 1200, … }, parent: { id: 'grow', … } }
 */
export async function getObjective(ws: WorkspaceStore, id: string): Promise<ObjectiveAnswer> {
  const records = await ws.listGoals();
  return answer(records, find(records, id));
}

/**
 * Changes one objective. Refused (400, nothing stored) when the plan it makes is invalid or the
 * objective fails the SMART check (`lint` then holds its verdicts).
 *
 * @example
 * await updateObjective(ws, 'leads-q4', { target: 1500, owner: 'ana' }, 'ana@example.com');
 * // { objective: { …, target: 1500 }, parent, result: { changed: true, updated: ['leads-q4'], … }, lint: { id, ok: true, … } }
 */
export async function updateObjective(
  ws: WorkspaceStore,
  id: string,
  patch: ObjectivePatch,
  actor: string,
): Promise<ObjectiveAnswer & { result: ApplyResult; lint: LintRow }> {
  const records = await ws.listGoals();
  const r = find(records, id);
  const spec: Record<string, unknown> = { ...r.spec };
  let { title, owner } = r;
  for (const [k, v] of Object.entries(patch)) {
    if (!(EDITABLE as readonly string[]).includes(k))
      throw new UserError(`${k} cannot be changed here (it can: ${EDITABLE.join(', ')})`, { field: k });
    if (v === null && REQUIRED.has(k)) throw new UserError(`${k} is required: give a value`, { field: k });
    if (k === 'title') title = String(v);
    else if (k === 'owner') owner = String(v);
    else if (v === null) delete spec[k];
    else spec[k] = v;
  }
  const changed = records.map((x) => (x === r ? { ...r, title, owner, spec } : x));
  const text = planToYaml(buildPlan(changed));
  const file = `objective ${id}`;
  const rows = (await lintPlan(ws, parseDraftPlan(text, file))).objectives;
  const lint = rows.find((x) => x.id === id) as LintRow;
  if (!lint.ok) {
    const failing = Object.entries(lint.smart)
      .filter(([, l]) => l.ok === false)
      .map(([letter, l]) => `${letter}: ${l.reason}`);
    throw new UserError(`${id} fails the SMART check (${failing.join('; ')})`);
  }
  const result = await applyPlanText(ws, text, file, actor);
  const after = await ws.listGoals();
  return { ...answer(after, find(after, id)), result, lint };
}
