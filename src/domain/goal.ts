import { z } from 'zod';

/** Plan ids: lowercase letters, digits and dashes. */
const planId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'));

export const DIRECTIONS = ['increase', 'decrease', 'stay_above', 'stay_below'] as const;
export type Direction = (typeof DIRECTIONS)[number];

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
    budget: z.number().nonnegative().optional(),
    headcount: z.number().nonnegative().optional(),
    writers: z.number().nonnegative().optional(),
  })
  .strict();

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

export const objectiveSchema: z.ZodType<ObjectiveInput> = z.lazy(() =>
  z
    .object({
      id: planId,
      title: z.string().min(1),
      kpi: z.string().min(1),
      filter: filterSchema.optional(),
      baseline: z.number().optional(),
      target: z.union([z.number(), z.string().min(1)]),
      direction: z.enum(DIRECTIONS).optional(),
      start: isoDate,
      due: isoDate,
      owner: z.string().min(1),
      team: z.string().optional(),
      market: z.string().optional(),
      weight: z.number().positive().optional(),
      capacity: capacitySchema.optional(),
      tradeoffs: z.array(z.string()).optional(),
      objectives: z.array(objectiveSchema).optional(),
    })
    .strict(),
) as z.ZodType<ObjectiveInput>;

export const goalSchema = z
  .object({
    id: planId,
    title: z.string().min(1),
    owner: z.string().min(1).optional(),
    description: z.string().optional(),
    objectives: z.array(objectiveSchema).default([]),
  })
  .strict();
export type GoalInput = z.infer<typeof goalSchema>;

export const planSchema = z.object({ goals: z.array(goalSchema) }).strict();
export type PlanInput = z.infer<typeof planSchema>;

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
