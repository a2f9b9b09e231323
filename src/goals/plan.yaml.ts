import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  stringify,
} from 'yaml';
import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { type DraftPlan, draftPlanSchema, type PlanInput, planSchema } from '../domain/goal.js';
import { OBJECTIVE_KEYS } from './goal.tree.js';

/** One problem in a plan file, located by line (1-based) and field path. */
export interface PlanProblem {
  line: number | null;
  /** `goals[0].objectives[1].owner` */
  field: string;
  message: string;
}

/**
 * A plan file that cannot be used. Carries every problem found (sorted by line); its own message and
 * location are the first one's, so the one-line CLI error points at the first thing to fix.
 */
export class PlanFileError extends UserError {
  override name = 'PlanFileError';
  constructor(
    readonly file: string,
    readonly problems: PlanProblem[],
  ) {
    const first = problems[0] ?? { line: null, field: '', message: 'invalid plan' };
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${first.message}${more}`, {
      file,
      ...(first.line ? { line: first.line } : {}),
      ...(first.field ? { field: first.field } : {}),
    });
  }

  /** Every problem as `file:line: field: message`, one per line. */
  lines(): string[] {
    return this.problems.map(
      (p) => `${this.file}${p.line ? `:${p.line}` : ''}: ${p.field ? `${p.field}: ` : ''}${p.message}`,
    );
  }
}

/** `['goals', 0, 'owner']` → `goals[0].owner`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/**
 * The 1-based line of the YAML node at `path`: the value when present, else the line where its
 * parent object starts (a missing field is reported where the object that lacks it begins).
 */
export function lineOf(doc: Document, path: readonly PropertyKey[], lc: LineCounter): number | null {
  let node: unknown = doc.contents;
  let lastLine: number | null = null;
  const lineAt = (n: unknown): number | null => {
    const range = (n as Node | null)?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  lastLine = lineAt(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      lastLine = lineAt(pair.key) ?? lastLine;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      node = item;
    } else break;
    lastLine = lineAt(node) ?? lastLine;
  }
  return lastLine;
}

// The fields an objective may have: its id and title, what export writes, and its sub-objectives.
const OBJECTIVE_FIELDS = ['id', 'title', ...OBJECTIVE_KEYS, 'objectives'];
const GOAL_FIELDS = ['id', 'title', 'owner', 'description', 'objectives'];

/**
 * The fields allowed in the object at `path` (a goal, an objective, a filter…), for "did you mean".
 *
 * @example
 * fieldsAt(['goals', 0, 'objectives', 1, 'filter']); // ['channel', 'source', 'campaign', 'market', 'owner']
 */
export function fieldsAt(path: readonly PropertyKey[]): string[] {
  const last = path.at(-1);
  if (path.length === 0) return ['goals', 'objectives'];
  if (last === 'filter') return ['channel', 'source', 'campaign', 'market', 'owner'];
  if (last === 'capacity') return ['budget', 'headcount', 'writers'];
  if (typeof last === 'number')
    return path.length === 2 && path[0] === 'goals' ? GOAL_FIELDS : OBJECTIVE_FIELDS;
  return [];
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  if (issue.code === 'invalid_type') return issue.message.replace(/^Invalid input: /, '');
  return issue.message;
}

/** Every id (goal or objective) in a plan, with its path, in file order. */
function* idsOf(plan: {
  goals: Array<{ id: string; objectives?: unknown[] }>;
  objectives?: unknown[];
}): Generator<{ id: string; path: PropertyKey[] }> {
  function* walk(
    list: unknown[] | undefined,
    path: PropertyKey[],
  ): Generator<{ id: string; path: PropertyKey[] }> {
    for (const [i, o] of (list ?? []).entries()) {
      const obj = o as { id: string; objectives?: unknown[] };
      yield { id: obj.id, path: [...path, i, 'id'] };
      yield* walk(obj.objectives, [...path, i, 'objectives']);
    }
  }
  yield* walk(plan.goals, ['goals']);
  yield* walk(plan.objectives, ['objectives']);
}

function parseWith<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: PlanProblem[] = doc.errors.map((e) => ({
    line: lc.linePos(e.pos[0]).line,
    field: '',
    message: `not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
  }));
  if (problems.length) throw new PlanFileError(file, problems);
  let json: unknown;
  try {
    // Aliases are expanded here: a few lines of `&a [*b, *b, …]` can stand for billions of nodes.
    json = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = `not a plan: ${(e as Error).message.split('\n')[0]}`;
    throw new PlanFileError(file, [{ line: 1, field: '', message }]);
  }
  if (json === null || json === undefined || typeof json !== 'object' || Array.isArray(json))
    throw new PlanFileError(file, [{ line: 1, field: '', message: 'a plan is a map with a `goals:` list' }]);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          problems.push({
            line: lineOf(doc, path, lc),
            field: formatPath(path),
            message: `unknown field${didYouMean(String(key), fieldsAt(issue.path))}`,
          });
        }
        continue;
      }
      problems.push({
        line: lineOf(doc, issue.path, lc),
        field: formatPath(issue.path),
        message: describe(issue),
      });
    }
  } else {
    const seen = new Map<string, string>();
    for (const { id, path } of idsOf(parsed.data as DraftPlan)) {
      const first = seen.get(id);
      if (first)
        problems.push({
          line: lineOf(doc, path, lc),
          field: formatPath(path),
          message: `id "${id}" is used twice (first at ${first})`,
        });
      else seen.set(id, formatPath(path.slice(0, -1)));
    }
  }
  if (problems.length) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new PlanFileError(file, problems);
  }
  return parsed.data as z.infer<S>;
}

/**
 * Parses and validates a plan file for `goals apply`: every objective complete (KPI, target, exact
 * dates, one owner). Throws a PlanFileError listing every problem with its line.
 *
 * @example
 * parsePlan(readFileSync('plan.yaml', 'utf8'), 'plan.yaml');
 * // throws: plan.yaml:14: goals[0].objectives[1].owner: exactly one owner is required
 */
export function parsePlan(text: string, file = 'plan.yaml'): PlanInput {
  return parseWith(text, file, planSchema);
}

/**
 * Parses a plan for `goals lint`: the structure must be right, but the SMART fields may be missing or
 * loose so that the check can explain, letter by letter, what is wrong.
 *
 * @example
 * parseDraftPlan('goals:\n  - id: g\n    title: Grow\n    objectives:\n      - id: o\n        title: More posts\n');
 */
export function parseDraftPlan(text: string, file = 'plan.yaml'): DraftPlan {
  return parseWith(text, file, draftPlanSchema);
}

/**
 * A plan as YAML, the format `goals apply` reads (so export → apply changes nothing).
 *
 * @example
 * planToYaml({ goals: [{ id: 'g', title: 'Grow', objectives: [] }] });
 * // '# Northstar goal plan …\ngoals:\n  - id: g\n    title: Grow\n    objectives: []\n'
 */
export function planToYaml(plan: PlanInput): string {
  const header =
    '# Northstar goal plan (see docs/goals.md). Edit, check with `northstar goals lint FILE`,\n' +
    '# and load with `northstar goals apply FILE`.\n';
  return header + stringify(plan, { lineWidth: 0 });
}
