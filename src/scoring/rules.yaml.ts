import { type Document, LineCounter, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { EMAIL_EVENT_TYPES } from '../domain/crm.js';
import {
  type BehaviourRule,
  FIT_FIELDS,
  type FitRule,
  type ScoreModel,
  type ScoringRules,
} from '../domain/scoring.js';
import { formatPath, lineOf, PlanFileError, type PlanProblem } from '../goals/plan.yaml.js';

const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const points = z.number().refine(Number.isFinite, 'a number');

const fitSchema = z
  .object({
    id: ruleId,
    field: z.string().min(1),
    points,
    in: z
      .array(z.union([z.string(), z.number()]).transform(String))
      .min(1)
      .optional(),
    matches: z.string().min(1).optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
  })
  .strict();
const behaviourSchema = z
  .object({
    id: ruleId,
    event: names.optional(),
    page: names.optional(),
    email: names.optional(),
    points,
    cap: z.number().optional(),
    once: z.boolean().optional(),
    half_life_days: z.number().optional(),
  })
  .strict();
const modelSchema = z
  .object({
    id: ruleId,
    title: z.string().optional(),
    lifecycle: z.boolean().optional(),
    thresholds: z.object({ mql: z.number(), sql: z.number() }).strict(),
    fit: z.array(fitSchema).default([]),
    behaviour: z.array(behaviourSchema).default([]),
  })
  .strict();
const fileSchema = z
  .object({
    models: z.array(modelSchema).min(1, 'at least one model'),
    sla: z
      .object({
        sql_follow_up_hours: z.number().default(24),
        follow_up_events: z.array(z.string().min(1)).default(['Call Logged', 'Meeting Booked']),
        mqls_per_month: z.number().int().nullable().default(null),
      })
      .strict()
      .default({
        sql_follow_up_hours: 24,
        follow_up_events: ['Call Logged', 'Meeting Booked'],
        mqls_per_month: null,
      }),
  })
  .strict();
type RulesFile = z.infer<typeof fileSchema>;

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** Checks that need the whole file: meaning, not shape. Paths point at the offending value. */
function semanticProblems(
  f: RulesFile,
  knownEvents: ReadonlySet<string> | null,
): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  const modelIds = new Set<string>();
  let lifecycleModels = 0;
  f.models.forEach((m, mi) => {
    const at = (...p: PropertyKey[]) => ['models', mi, ...p];
    if (modelIds.has(m.id)) out.push({ path: at('id'), message: `model id "${m.id}" is used twice` });
    modelIds.add(m.id);
    if (m.lifecycle) lifecycleModels++;
    if (m.thresholds.sql < m.thresholds.mql)
      out.push({
        path: at('thresholds', 'sql'),
        message: `the SQL threshold (${m.thresholds.sql}) is below the MQL threshold (${m.thresholds.mql}): a lead could never move in order; make sql >= mql`,
      });
    const ruleIds = new Set<string>();
    const seen = (id: string, path: PropertyKey[]) => {
      if (ruleIds.has(id)) out.push({ path, message: `rule id "${id}" is used twice in model ${m.id}` });
      ruleIds.add(id);
    };
    m.fit.forEach((r, ri) => {
      const p = (...x: PropertyKey[]) => at('fit', ri, ...x);
      seen(r.id, p('id'));
      const field = r.field;
      if (!(FIT_FIELDS as readonly string[]).includes(field) && !/^properties\.[\w-]+$/.test(field))
        out.push({
          path: p('field'),
          message: `unknown field "${field}"; use one of ${FIT_FIELDS.join(', ')} or properties.NAME`,
        });
      const tests = [r.in, r.matches, r.between].filter((t) => t !== undefined).length;
      if (tests !== 1)
        out.push({ path: p('id'), message: 'a fit rule needs exactly one test: in, matches or between' });
      if (r.matches !== undefined) {
        try {
          new RegExp(r.matches, 'i');
        } catch (e) {
          out.push({ path: p('matches'), message: `not a regular expression: ${(e as Error).message}` });
        }
      }
      if (r.between && r.between[0] > r.between[1])
        out.push({ path: p('between'), message: 'between is [min, max] with min <= max' });
    });
    m.behaviour.forEach((r, ri) => {
      const p = (...x: PropertyKey[]) => at('behaviour', ri, ...x);
      seen(r.id, p('id'));
      const sources = [r.event, r.page, r.email].filter((s) => s !== undefined).length;
      if (sources !== 1)
        out.push({ path: p('id'), message: 'a behaviour rule needs exactly one of event, page or email' });
      for (const t of list(r.email) ?? [])
        if (!(EMAIL_EVENT_TYPES as readonly string[]).includes(t))
          out.push({
            path: p('email'),
            message: `unknown e-mail event "${t}"; use one of ${EMAIL_EVENT_TYPES.join(', ')}`,
          });
      if (knownEvents)
        for (const name of list(r.event) ?? [])
          if (!knownEvents.has(name))
            out.push({
              path: p('event'),
              message: `unknown event "${name}": the workspace has never received it (check the spelling)`,
            });
      if (r.half_life_days !== undefined && !(r.half_life_days > 0))
        out.push({
          path: p('half_life_days'),
          message: `half_life_days must be more than 0 days (got ${r.half_life_days}); leave it out for no decay`,
        });
      if (r.cap !== undefined && !(r.cap > 0))
        out.push({
          path: p('cap'),
          message: `cap is the most points the rule gives, more than 0 (got ${r.cap})`,
        });
    });
  });
  if (lifecycleModels > 1)
    out.push({ path: ['models'], message: 'only one model may have lifecycle: true (it moves the stages)' });
  if (!(f.sla.sql_follow_up_hours > 0))
    out.push({ path: ['sla', 'sql_follow_up_hours'], message: 'sql_follow_up_hours must be more than 0' });
  if (f.sla.mqls_per_month !== null && f.sla.mqls_per_month < 0)
    out.push({ path: ['sla', 'mqls_per_month'], message: 'mqls_per_month cannot be negative' });
  return out;
}

function toRules(f: RulesFile): ScoringRules {
  const anyLifecycle = f.models.some((m) => m.lifecycle);
  const models: ScoreModel[] = f.models.map((m, i) => ({
    id: m.id,
    ...(m.title ? { title: m.title } : {}),
    thresholds: { ...m.thresholds },
    lifecycle: anyLifecycle ? Boolean(m.lifecycle) : i === 0,
    fit: m.fit.map(
      (r): FitRule => ({
        id: r.id,
        field: r.field,
        points: r.points,
        ...(r.in ? { in: r.in } : {}),
        ...(r.matches !== undefined ? { matches: r.matches } : {}),
        ...(r.between ? { between: r.between } : {}),
      }),
    ),
    behaviour: m.behaviour.map(
      (r): BehaviourRule => ({
        id: r.id,
        points: r.points,
        ...(r.event !== undefined ? { event: list(r.event) } : {}),
        ...(r.page !== undefined ? { page: list(r.page) } : {}),
        ...(r.email !== undefined ? { email: list(r.email) } : {}),
        ...(r.cap !== undefined ? { cap: r.cap } : {}),
        ...(r.once ? { once: true } : {}),
        ...(r.half_life_days !== undefined ? { halfLifeDays: r.half_life_days } : {}),
      }),
    ),
  }));
  return {
    models,
    sla: {
      sqlFollowUpHours: f.sla.sql_follow_up_hours,
      followUpEvents: f.sla.follow_up_events,
      mqlsPerMonth: f.sla.mqls_per_month,
    },
  };
}

/**
 * Parses and checks a scoring rules file. Every problem is collected with its line; any problem
 * throws a PlanFileError (so nothing from a file with errors can be applied). `knownEvents`, when
 * given, is the set of event names the workspace has received: a rule on any other is an error.
 *
 * @example
 * parseRules('models:\n  - id: main\n    thresholds: {mql: 50, sql: 40}\n', 'rules.yaml');
 * // throws: rules.yaml:3: models[0].thresholds.sql: the SQL threshold (40) is below the MQL threshold (50)…
 */
export function parseRules(
  text: string,
  file = 'scoring.yaml',
  knownEvents: ReadonlySet<string> | null = null,
): ScoringRules {
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
    // Aliases are expanded here: a few lines of `&a [*b, *b, …]` can stand for billions of nodes
    // (as in plan.yaml.ts; without the cap, yaml's own limit threw, and the server answered 500).
    json = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = `not a rules file: ${(e as Error).message.split('\n')[0]}`;
    throw new PlanFileError(file, [{ line: 1, field: '', message }]);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new PlanFileError(file, [
      { line: 1, field: '', message: 'a rules file is a map with a `models:` list' },
    ]);
  const parsed = fileSchema.safeParse(json);
  const locate = (path: readonly PropertyKey[], message: string): PlanProblem => ({
    line: lineOf(doc as Document, path, lc),
    field: formatPath(path),
    message,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(locate([...issue.path, key], 'unknown field'));
        continue;
      }
      const msg =
        issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
          ? 'is required'
          : issue.message.replace(/^Invalid input: /, '');
      problems.push(locate(issue.path, msg));
    }
  } else {
    for (const p of semanticProblems(parsed.data, knownEvents)) problems.push(locate(p.path, p.message));
  }
  if (problems.length || !parsed.success) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new PlanFileError(file, problems);
  }
  return toRules(parsed.data);
}

/**
 * Rules as the YAML `score rules apply` reads (export → apply changes nothing).
 *
 * @example
 * rulesToYaml(parseRules(text)); // '# Northstar scoring rules …\nmodels:\n  - id: main\n …'
 */
export function rulesToYaml(rules: ScoringRules): string {
  const doc = {
    models: rules.models.map((m) => ({
      id: m.id,
      ...(m.title ? { title: m.title } : {}),
      lifecycle: m.lifecycle,
      thresholds: m.thresholds,
      fit: m.fit,
      behaviour: m.behaviour.map((r) => ({
        id: r.id,
        ...(r.event ? { event: r.event } : {}),
        ...(r.page ? { page: r.page } : {}),
        ...(r.email ? { email: r.email } : {}),
        points: r.points,
        ...(r.cap !== undefined ? { cap: r.cap } : {}),
        ...(r.once ? { once: true } : {}),
        ...(r.halfLifeDays !== undefined ? { half_life_days: r.halfLifeDays } : {}),
      })),
    })),
    sla: {
      sql_follow_up_hours: rules.sla.sqlFollowUpHours,
      follow_up_events: rules.sla.followUpEvents,
      mqls_per_month: rules.sla.mqlsPerMonth,
    },
  };
  const header =
    '# Northstar scoring rules (see docs/scoring.md). Check with `northstar score rules lint FILE`,\n' +
    '# load with `northstar score rules apply FILE`.\n';
  return header + stringify(doc, { lineWidth: 0 });
}
