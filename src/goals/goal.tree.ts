import type { GoalRecord, ObjectiveInput, PlanInput } from '../domain/goal.js';

/**
 * Flattens a plan (goals → objectives → child objectives) into stored records with parent links and a
 * stable position, so applying the same plan twice stores the same rows.
 *
 * @example
 * flattenPlan({ goals: [{ id: 'g', title: 'Grow', objectives: [] }] }, now);
 * // [{ id: 'g', parentId: null, kind: 'goal', position: 0, … }]
 */
export function flattenPlan(plan: PlanInput, updatedAt: Date): GoalRecord[] {
  const out: GoalRecord[] = [];
  const walk = (o: ObjectiveInput, parentId: string) => {
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
  return out;
}
