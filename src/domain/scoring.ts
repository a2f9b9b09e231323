/**
 * Lead scoring as the store holds it: the workspace's rule document, each contact's scores per model,
 * and the lifecycle changes scoring made (or saw the CRM make). The rules themselves are described in
 * docs/scoring.md; src/scoring/ parses, checks and applies them.
 */
import type { LifecycleStage } from './crm.js';

/** Contact fields a fit rule may test (`properties.NAME` reaches an imported extra column). */
export const FIT_FIELDS = [
  'industry',
  'job_title',
  'company_size',
  'country',
  'market',
  'company',
  'email_domain',
  'original_source',
  'owner',
] as const;
export type FitField = (typeof FIT_FIELDS)[number];

/** E-mail event types a behaviour rule may score. */
export const SCORED_EMAIL_TYPES = ['open', 'click', 'reply', 'subscribe', 'unsubscribe', 'bounce'] as const;

export interface FitRule {
  id: string;
  /** A FitField or `properties.NAME`. */
  field: string;
  points: number;
  /** Exactly one test: a list of values (case-insensitive), a regular expression, or a numeric range. */
  in?: string[];
  matches?: string;
  between?: [number, number];
}

export interface BehaviourRule {
  id: string;
  /** Exactly one source: tracked event names, page paths (`*` = any characters), or e-mail event types. */
  event?: string[];
  page?: string[];
  email?: string[];
  points: number;
  /** The most this rule adds (or, for negative points, takes away) at any time. */
  cap?: number;
  /** Only the contact's first matching event counts. */
  once?: boolean;
  /** Days after which an event's points are worth half; no decay when absent. */
  halfLifeDays?: number;
}

export interface ScoreModel {
  id: string;
  title?: string;
  /** Combined score (fit + behaviour) at which a lead becomes an MQL, and an MQL an SQL. */
  thresholds: { mql: number; sql: number };
  /** The model that moves lifecycle stages (one per workspace; the first model by default). */
  lifecycle: boolean;
  fit: FitRule[];
  behaviour: BehaviourRule[];
}

export interface SlaSpec {
  /** Every SQL followed up (a deal, or one of `followUpEvents` for the contact) within this many hours. */
  sqlFollowUpHours: number;
  followUpEvents: string[];
  /** MQLs marketing delivers per calendar month. */
  mqlsPerMonth: number | null;
}

export interface ScoringRules {
  models: ScoreModel[];
  sla: SlaSpec;
}

export interface ContactScoreRow {
  contactId: string;
  model: string;
  fit: number;
  behaviour: number;
  score: number;
  computedAt: Date;
}

export interface LifecycleChangeRow {
  contactId: string;
  model: string;
  stage: LifecycleStage;
  at: Date;
  /** Combined, fit and behaviour score at the change (null for a CRM change seen afterwards). */
  score: number | null;
  fit: number | null;
  behaviour: number | null;
  /** `score`: moved by a threshold; `crm`: the CRM set another stage after an automatic move. */
  source: 'score' | 'crm';
  reason: string;
}

/** A stage move scoring made: the contact's stage and stage date, and a history row. */
export interface StageMove {
  contactId: string;
  stage: LifecycleStage;
  at: Date;
  reason: string;
}

export interface StoredRules {
  yaml: string;
  rules: ScoringRules;
  updatedAt: Date;
}
