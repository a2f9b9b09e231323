import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { MAX_DATE, MIN_DATE, parseDate } from '../core/time.js';

/** Plan ids: lowercase letters, digits and dashes. */
const planId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

/**
 * Why a text is not an exact calendar day (null when it is one). Day and month swapped, as in
 * `2027-31-03`, gets the fix spelled out: it is the mistake people make.
 *
 * @example
 * dateProblem('2027-31-03'); // '"2027-31-03" is not a calendar date (there is no month 31): did you mean 2027-03-31?'
 * dateProblem('2027-03-31'); // null
 */
export function dateProblem(text: string): string | null {
  try {
    parseDate(text);
    return null;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return `"${text}" is not an exact date: write the day as YYYY-MM-DD`;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const real = new Date(`${text}T00:00:00Z`);
  if (!Number.isNaN(real.getTime()) && real.toISOString().slice(0, 10) === text)
    return `${text} is outside the dates Northstar accepts (${MIN_DATE} to ${MAX_DATE})`;
  const swapped = `${y}-${d}-${mo}`;
  if (Number(mo) > 12) {
    let fix = '';
    try {
      fix = `: did you mean ${parseDate(swapped)}?`;
    } catch {}
    return `"${text}" is not a calendar date (there is no month ${Number(mo)})${fix || ': write the day as YYYY-MM-DD'}`;
  }
  return `"${text}" is not a calendar date (month ${Number(mo)} has no day ${Number(d)})`;
}

const isoDate = z
  .union([z.string(), z.date()], { error: 'a date YYYY-MM-DD' })
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .superRefine((v, ctx) => {
    const problem = dateProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const DIRECTIONS = ['increase', 'decrease', 'stay_above', 'stay_below'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * A target as written in a plan. `relative` multiplies the baseline ("+15%" → 1.15, "halve" → 0.5),
 * `delta` adds to it ("+500"), `from_to` states the baseline itself ("from 2,000 to 3,000"), and an
 * unsigned percentage ("25%") is an absolute rate (0.25) flagged so the SMART check can question it
 * for KPIs that are not rates.
 */
export type TargetSpec =
  | { kind: 'absolute'; value: number; percent?: boolean }
  | { kind: 'relative'; factor: number }
  | { kind: 'delta'; value: number }
  | { kind: 'from_to'; from: number; to: number };

export const TARGET_FORMS =
  'a number, "+15%", "-10%", "+500", "x2", "double", "triple", "halve" or "from 2,000 to 3,000"';

const MINUS = /[\u2212\u2013]/g; // typographic minus and en dash, as pasted from documents
const NUMBER = String.raw`[$€£]?\s*(?:\d{1,3}(?:[,\s\u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?`;

/**
 * Reads a formatted number: thousands separators (",", spaces) and a leading currency sign are
 * allowed, because plans are written by people who copy numbers from slides.
 *
 * @example
 * parseAmount('$3,500.50'); // 3500.5
 * parseAmount('about 3k');  // null
 */
export function parseAmount(text: string): number | null {
  const t = text.trim().replace(MINUS, '-');
  const m = new RegExp(`^(-)?(${NUMBER})$`).exec(t);
  if (!m?.[2]) return null;
  const n = Number(m[2].replace(/[$€£\s,\u00a0\u202f]/g, ''));
  return Number.isFinite(n) ? (m[1] ? -n : n) : null;
}

const WORDS: Record<string, number> = { double: 2, triple: 3, halve: 0.5, half: 0.5, 'cut in half': 0.5 };

/**
 * Parses a plan target; null when it is none of the accepted forms (see TARGET_FORMS).
 *
 * @example
 * parseTarget('+15%');                 // { kind: 'relative', factor: 1.15 }
 * parseTarget('from 2,000 to 3,000');  // { kind: 'from_to', from: 2000, to: 3000 }
 * parseTarget(15);                     // { kind: 'absolute', value: 15 }
 */
export function parseTarget(raw: string | number): TargetSpec | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'absolute', value: raw } : null;
  const t = raw.trim().replace(MINUS, '-').replace(/\s+/g, ' ').toLowerCase();
  const word = WORDS[t];
  if (word !== undefined) return { kind: 'relative', factor: word };
  const pct = /^([+-])\s?(\d+(?:[.,]\d+)?)\s?%$/.exec(t);
  if (pct?.[2]) {
    const p = Number(pct[2].replace(',', '.')) / 100;
    const factor = pct[1] === '-' ? 1 - p : 1 + p;
    return factor >= 0 ? { kind: 'relative', factor: round(factor) } : null;
  }
  const times = /^(?:[x×*]\s?(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s?[x×])$/.exec(t);
  if (times) {
    const factor = Number(times[1] ?? times[2]);
    return factor > 0 ? { kind: 'relative', factor } : null;
  }
  const rate = /^(\d+(?:\.\d+)?)\s?%$/.exec(t);
  if (rate?.[1]) return { kind: 'absolute', value: round(Number(rate[1]) / 100), percent: true };
  const fromTo = new RegExp(`^(?:from )?(-?${NUMBER}) ?(?:to|->|→|=>) ?(-?${NUMBER})$`).exec(t);
  if (fromTo?.[1] && fromTo[2]) {
    const from = parseAmount(fromTo[1]);
    const to = parseAmount(fromTo[2]);
    return from !== null && to !== null ? { kind: 'from_to', from, to } : null;
  }
  const delta = /^([+-]) ?(.+)$/.exec(t);
  if (delta?.[2] && delta[1] === '+') {
    const v = parseAmount(delta[2]);
    if (v !== null) return { kind: 'delta', value: v };
  }
  const v = parseAmount(t);
  if (v !== null)
    return delta?.[1] === '-' && v < 0 ? { kind: 'delta', value: v } : { kind: 'absolute', value: v };
  return null;
}

/** Rounds away binary noise such as 1.1500000000000001 so factors compare and print cleanly. */
function round(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/** A number, or a formatted one ("2,000", "$3.50") as people write them in YAML. */
const amount = z.union([z.number(), z.string()], { error: 'a number' }).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : parseAmount(v);
  if (n === null || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `a number, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

export const filterSchema = z
  .object({
    channel: z.string().optional(),
    source: z.string().optional(),
    campaign: z.string().optional(),
    market: z.string().optional(),
    owner: z.string().optional(),
  })
  .strict();

/** Capacity recorded next to an objective (used by the Achievable check). */
export const capacitySchema = z
  .object({
    budget: amount.pipe(z.number().nonnegative()).optional(),
    headcount: amount.pipe(z.number().nonnegative()).optional(),
    writers: amount.pipe(z.number().nonnegative()).optional(),
  })
  .strict();

/**
 * True when an owner names exactly one person: a list, or a text joining several names with a comma,
 * a slash, "&" or "and", is several owners (and nobody's job).
 */
export function isSingleOwner(owner: unknown): owner is string {
  return typeof owner === 'string' && owner.trim() !== '' && !/[,;/&]|\sand\s/i.test(owner);
}

const OWNER_MESSAGE = 'exactly one owner is required';
const owner = z
  .string({ error: OWNER_MESSAGE })
  .trim()
  .refine((o) => isSingleOwner(o), { message: OWNER_MESSAGE });

export interface ObjectiveInput {
  id: string;
  title: string;
  kpi: string;
  filter?: z.infer<typeof filterSchema>;
  baseline?: number;
  target: string | number;
  direction?: Direction;
  start: string;
  due: string;
  owner: string;
  team?: string;
  market?: string;
  weight?: number;
  capacity?: z.infer<typeof capacitySchema>;
  tradeoffs?: string[];
  objectives?: ObjectiveInput[];
}

/**
 * An objective as a draft may be written before it is SMART: the fields the SMART check judges
 * (kpi, target, dates, owner) may be missing or loose, so `goals lint` can say what is wrong with
 * each letter instead of refusing the file.
 */
export interface ObjectiveDraft
  extends Omit<ObjectiveInput, 'kpi' | 'target' | 'start' | 'due' | 'owner' | 'objectives'> {
  kpi?: string;
  target?: string | number;
  start?: string;
  due?: string;
  owner?: string | string[];
  objectives?: ObjectiveDraft[];
}

const shared = {
  id: planId,
  title: z.string().min(1),
  filter: filterSchema.optional(),
  baseline: amount.optional(),
  direction: z.enum(DIRECTIONS).optional(),
  team: z.string().optional(),
  market: z.string().optional(),
  weight: amount.pipe(z.number().positive()).optional(),
  capacity: capacitySchema.optional(),
  tradeoffs: z.array(z.string()).optional(),
};

const target = z
  .union([z.number(), z.string()], { error: TARGET_FORMS })
  .refine((t) => parseTarget(t) !== null, { message: `the target must be ${TARGET_FORMS}` });

export const objectiveSchema: z.ZodType<ObjectiveInput> = z.lazy(() =>
  z
    .object({
      ...shared,
      kpi: z.string().min(1),
      target,
      start: isoDate,
      due: isoDate,
      owner,
      objectives: z.array(objectiveSchema).optional(),
    })
    .strict()
    .superRefine((o, ctx) => {
      if (o.due <= o.start)
        ctx.addIssue({ code: 'custom', path: ['due'], message: `due must be after start (${o.start})` });
      const t = parseTarget(o.target);
      if (t?.kind === 'from_to' && o.baseline !== undefined && o.baseline !== t.from)
        ctx.addIssue({
          code: 'custom',
          path: ['baseline'],
          message: `baseline ${o.baseline} contradicts the target, which starts from ${t.from}`,
        });
    }),
) as z.ZodType<ObjectiveInput>;

const looseDate = z
  .union([z.string(), z.number(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)));

export const objectiveDraftSchema: z.ZodType<ObjectiveDraft> = z.lazy(() =>
  z
    .object({
      ...shared,
      kpi: z.string().optional(),
      target: z.union([z.number(), z.string()]).optional(),
      start: looseDate.optional(),
      due: looseDate.optional(),
      owner: z.union([z.string(), z.array(z.string())]).optional(),
      objectives: z.array(objectiveDraftSchema).optional(),
    })
    .strict(),
) as z.ZodType<ObjectiveDraft>;

const goalShape = {
  id: planId,
  title: z.string().min(1),
  owner: z.string().min(1).optional(),
  description: z.string().optional(),
};

export const goalSchema = z
  .object({ ...goalShape, objectives: z.array(objectiveSchema).default([]) })
  .strict();
export type GoalInput = z.infer<typeof goalSchema>;

/**
 * A plan: goals with their objective trees. Top-level `objectives` are objectives linked to no goal;
 * they can be stored, but fail the Relevant letter of the SMART check.
 */
export const planSchema = z
  .object({ goals: z.array(goalSchema).default([]), objectives: z.array(objectiveSchema).optional() })
  .strict();
export type PlanInput = z.infer<typeof planSchema>;

export const draftPlanSchema = z
  .object({
    goals: z
      .array(z.object({ ...goalShape, objectives: z.array(objectiveDraftSchema).default([]) }).strict())
      .default([]),
    objectives: z.array(objectiveDraftSchema).optional(),
  })
  .strict();
export type DraftPlan = z.infer<typeof draftPlanSchema>;

/** A goal or objective as stored: the tree flattened with parent links. */
export interface GoalRecord {
  id: string;
  parentId: string | null;
  kind: 'goal' | 'objective';
  title: string;
  owner: string | null;
  position: number;
  /** For objectives: the objective fields (kpi, target, dates…) as given in the plan. */
  spec: Record<string, unknown>;
  updatedAt: Date;
}

export interface CheckinRow {
  objectiveId: string;
  at: Date;
  author: string;
  note: string;
  /** 0..1, the owner's confidence of hitting the target. */
  confidence: number | null;
}

export interface CustomKpiRow {
  id: string;
  name: string;
  formula: string;
  unit: string;
  direction: 'higher' | 'lower';
  description: string | null;
}

export interface AuditRow {
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
