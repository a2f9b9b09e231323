import type { GoalRecord, ObjectiveInput, PlanInput } from '../domain/goal.js';

/**
 * Flattens a plan (goals → objectives → child objectives) into stored records with parent links and a
 * stable position, so applying the same plan twice stores the same rows. Top-level `objectives` (linked
 * to no goal) come last, with no parent.
 *
 * @example
 * flattenPlan({ goals: [{ id: 'g', title: 'Grow', objectives: [] }] }, now);
 * // [{ id: 'g', parentId: null, kind: 'goal', position: 0, … }]
 */
export function flattenPlan(plan: PlanInput, updatedAt: Date): GoalRecord[] {
  const out: GoalRecord[] = [];
  const walk = (o: ObjectiveInput, parentId: string | null) => {
    const { objectives, id, title, owner, ...spec } = o;
    out.push({ id, parentId, kind: 'objective', title, owner, position: out.length, spec, updatedAt });
    for (const child of objectives ?? []) walk(child, id);
  };
  for (const g of plan.goals) {
    const { objectives, id, title, owner, ...spec } = g;
    out.push({
      id,
      parentId: null,
      kind: 'goal',
      title,
      owner: owner ?? null,
      position: out.length,
      spec,
      updatedAt,
    });
    for (const o of objectives) walk(o, id);
  }
  for (const o of plan.objectives ?? []) walk(o, null);
  return out;
}

/** Field order of an objective in exported YAML: what it measures, then when, then who. */
export const OBJECTIVE_KEYS = [
  'kpi',
  'filter',
  'baseline',
  'target',
  'direction',
  'start',
  'due',
  'owner',
  'team',
  'market',
  'weight',
  'capacity',
  'tradeoffs',
] as const;

/**
 * The inverse of flattenPlan: stored records back into a plan, children in position order. Applying
 * the result stores the same records again (the round trip `goals export` relies on).
 *
 * @example
 * buildPlan(await ws.listGoals()); // { goals: [{ id: 'more-leads', title: …, objectives: [ … ] }] }
 */
export function buildPlan(records: readonly GoalRecord[]): PlanInput {
  const sorted = [...records].sort((a, b) => a.position - b.position);
  const children = childrenByParent(sorted);
  const objective = (r: GoalRecord): ObjectiveInput => {
    const o: Record<string, unknown> = { id: r.id, title: r.title };
    for (const k of OBJECTIVE_KEYS) {
      if (k === 'owner') o.owner = r.owner ?? undefined;
      else if (r.spec[k] !== undefined) o[k] = r.spec[k];
    }
    const kids = (children.get(r.id) ?? []).filter((c) => c.kind === 'objective').map(objective);
    if (kids.length) o.objectives = kids;
    return o as unknown as ObjectiveInput;
  };
  const goals = sorted
    .filter((r) => r.kind === 'goal' && r.parentId === null)
    .map((g) => ({
      id: g.id,
      title: g.title,
      ...(g.owner ? { owner: g.owner } : {}),
      ...(typeof g.spec.description === 'string' ? { description: g.spec.description } : {}),
      objectives: (children.get(g.id) ?? []).filter((c) => c.kind === 'objective').map(objective),
    }));
  const orphans = sorted.filter((r) => r.kind === 'objective' && r.parentId === null).map(objective);
  return orphans.length ? { goals, objectives: orphans } : { goals };
}

/** Records grouped by parent id (null: the roots), each list in position order. */
export function childrenByParent(records: readonly GoalRecord[]): Map<string | null, GoalRecord[]> {
  const out = new Map<string | null, GoalRecord[]>();
  for (const r of [...records].sort((a, b) => a.position - b.position)) {
    const list = out.get(r.parentId) ?? [];
    list.push(r);
    out.set(r.parentId, list);
  }
  return out;
}

/** A record as an objective input (the shape the SMART check and pacing read). */
export function recordToObjective(r: GoalRecord): ObjectiveInput {
  return {
    ...(r.spec as Omit<ObjectiveInput, 'id' | 'title' | 'owner'>),
    id: r.id,
    title: r.title,
    owner: r.owner ?? '',
  };
}
