/**
 * Shared shapes of the attribution engine: the compact path table every model reads, the model ids
 * and options, and the result that INTERFACE.md fixes as `attribution … --format json`.
 */

/** Every model id the CLI and API accept, in the order the docs list them. */
export const MODEL_IDS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'position_based',
  'time_decay',
  'w_shaped',
  'full_path',
  'markov',
  'shapley',
  'shapley_ordered',
] as const;

export type ModelId = (typeof MODEL_IDS)[number];

/** The rule-based (per-touch weight) models. */
export const RULE_BASED_MODEL_IDS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'position_based',
  'time_decay',
  'w_shaped',
  'full_path',
] as const satisfies readonly ModelId[];

export type RuleBasedModelId = (typeof RULE_BASED_MODEL_IDS)[number];

/**
 * True when `id` names a model (narrows a CLI string).
 *
 * @example
 * isModelId('markov'); // true
 * isModelId('u_shaped'); // false
 */
export function isModelId(id: string): id is ModelId {
  return (MODEL_IDS as readonly string[]).includes(id);
}

/**
 * Distinct journeys in columnar form. Path `p` is `touches[offsets[p] .. offsets[p+1])`, each entry a
 * channel id into `channels`. Rows of a path file that repeat a path are already summed here.
 */
export interface PathTable {
  /** Channel id → name (ids are dense, in order of first appearance). */
  readonly channels: readonly string[];
  /** Number of distinct paths. */
  readonly size: number;
  /** Length `size + 1`. */
  readonly offsets: Int32Array;
  readonly touches: Int32Array;
  /** Per path: conversions, their summed value, and non-conversions (nulls). */
  readonly conversions: Float64Array;
  readonly values: Float64Array;
  readonly nulls: Float64Array;
  /**
   * Per touch: days between the touch and the conversion (>= 0). Absent for path files, whose
   * touches time decay treats as one day apart, the last on the conversion day.
   */
  readonly daysBefore?: Float64Array;
  /**
   * Per path: index within the path of the lead-creation, opportunity-creation and deal-won touch,
   * or -1 when unknown (then the defaults of the milestone models apply).
   */
  readonly milestones?: MilestoneIndices;
  /** Data rows the table was read from (a path file's rows, or journeys). */
  readonly sourceRows: number;
}

export interface MilestoneIndices {
  readonly lead: Int32Array;
  readonly opportunity: Int32Array;
  readonly dealWon: Int32Array;
}

export type NullsMode = 'include' | 'exclude';

export interface AttributionOptions {
  model: ModelId;
  /** Markov order, 1 to 4 (default 1). */
  order?: number;
  /** Markov only: use non-converting paths (`include`, default) or ignore them. */
  nulls?: NullsMode;
  /** time_decay half-life in days (default 7). */
  halfLifeDays?: number;
  /** w_shaped / full_path: also report the credit per funnel stage. */
  stages?: boolean;
}

/** One row of `attribution … --format json`. */
export interface AttributionRow {
  channel: string;
  conversions: number;
  value: number;
  /** Markov only: 1 - P(conversion without the channel) / P(conversion). */
  removal_effect?: number;
}

/** Funnel stages the milestone models (w_shaped, full_path) credit. */
export const STAGES = ['first_touch', 'lead', 'opportunity', 'deal_won', 'other'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageCredit {
  channel: string;
  stage: Stage;
  conversions: number;
  value: number;
}

/** shapley_ordered: credit of a channel at each touch position (index 0 = first touch). */
export interface PositionCredit {
  channel: string;
  conversions: number[];
  value: number[];
}

export interface AttributionResult {
  model: ModelId;
  /** Markov only. */
  order?: number;
  total_conversions: number;
  total_value: number;
  /** Sorted by conversions descending, then channel name. */
  rows: AttributionRow[];
  /** shapley_ordered only. */
  by_position?: PositionCredit[];
  /** w_shaped / full_path when `stages` was asked for. */
  stages?: StageCredit[];
}
