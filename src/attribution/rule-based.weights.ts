/**
 * The touch weights of the rule-based models: for one path, weights over its touches that sum to
 * 1. Definitions (and the milestone defaults) are in docs/attribution.md.
 */
import type { RuleBasedModelId } from './types.js';
import { STAGES } from './types.js';

export const DEFAULT_HALF_LIFE_DAYS = 7;

/**
 * Channels named `direct` or `(direct)`, any case, are direct traffic for last_non_direct.
 *
 * @example
 * isDirectChannel('(Direct)'); // true
 * isDirectChannel('Direct Mail'); // false
 */
export function isDirectChannel(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === 'direct' || n === '(direct)';
}

/** Shares of the milestone models; `rest` is spread evenly over the touches that are no milestone. */
interface MilestoneShares {
  first: number;
  lead: number;
  opportunity: number;
  dealWon: number;
  rest: number;
}

const W_SHAPED: MilestoneShares = { first: 0.3, lead: 0.3, opportunity: 0.3, dealWon: 0, rest: 0.1 };
const FULL_PATH: MilestoneShares = {
  first: 0.225,
  lead: 0.225,
  opportunity: 0.225,
  dealWon: 0.225,
  rest: 0.1,
};

export const STAGE_FIRST = 0;
export const STAGE_LEAD = 1;
export const STAGE_OPPORTUNITY = 2;
export const STAGE_DEAL_WON = 3;
export const STAGE_OTHER = 4;
export const STAGE_COUNT = STAGES.length;

/** Where one path's touches live and what is known about them. */
export interface PathView {
  touches: Int32Array;
  /** Offset of the first touch in `touches` (and in `daysBefore`). */
  start: number;
  n: number;
  daysBefore: Float64Array | undefined;
  isDirect: Uint8Array;
  lead: number;
  opportunity: number;
  dealWon: number;
}

function fillPositionBased(n: number, w: Float64Array): void {
  if (n === 1) {
    w[0] = 1;
    return;
  }
  if (n === 2) {
    w[0] = 0.5;
    w[1] = 0.5;
    return;
  }
  const middle = 0.2 / (n - 2);
  for (let i = 1; i < n - 1; i++) w[i] = middle;
  w[0] = 0.4;
  w[n - 1] = 0.4;
}

function fillTimeDecay(v: PathView, halfLifeDays: number, w: Float64Array): void {
  const { n } = v;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    // Path files carry no times: touches count as one day apart, the last on the conversion day.
    const days = v.daysBefore ? Math.max(0, v.daysBefore[v.start + i]!) : n - 1 - i;
    const x = 2 ** (-days / halfLifeDays);
    w[i] = x;
    sum += x;
  }
  for (let i = 0; i < n; i++) w[i] = w[i]! / sum;
}

function clampIndex(i: number, n: number, fallback: number): number {
  return i >= 0 && i < n ? i : fallback;
}

/**
 * Milestone weights. Coinciding milestones add their shares on the shared touch; with no touch left
 * over for `rest`, the milestone shares are scaled up proportionally so the path still sums to 1.
 * `stageW` (optional, n x 5) receives the same weights split by the stage that earned them.
 */
function fillMilestones(v: PathView, shares: MilestoneShares, w: Float64Array, stageW?: Float64Array): void {
  const { n } = v;
  const lead = clampIndex(v.lead, n, 0);
  const opportunity = clampIndex(v.opportunity, n, n - 1);
  const dealWon = clampIndex(v.dealWon, n, n - 1);
  w.fill(0, 0, n);
  if (stageW) stageW.fill(0, 0, n * STAGE_COUNT);
  const add = (i: number, stage: number, share: number): void => {
    if (share === 0) return;
    w[i] = w[i]! + share;
    if (stageW) stageW[i * STAGE_COUNT + stage] = stageW[i * STAGE_COUNT + stage]! + share;
  };
  add(0, STAGE_FIRST, shares.first);
  add(lead, STAGE_LEAD, shares.lead);
  add(opportunity, STAGE_OPPORTUNITY, shares.opportunity);
  if (shares.dealWon > 0) add(dealWon, STAGE_DEAL_WON, shares.dealWon);
  let restCount = 0;
  for (let i = 0; i < n; i++) if (w[i] === 0) restCount++;
  if (restCount > 0) {
    const each = shares.rest / restCount;
    for (let i = 0; i < n; i++) if (w[i] === 0) add(i, STAGE_OTHER, each);
    return;
  }
  const scale = 1 / (1 - shares.rest);
  for (let i = 0; i < n; i++) w[i] = w[i]! * scale;
  if (stageW) for (let k = 0; k < n * STAGE_COUNT; k++) stageW[k] = stageW[k]! * scale;
}

/** Fills w[0..n) with the model's touch weights for one path. */
export function fillWeights(
  model: RuleBasedModelId,
  v: PathView,
  halfLifeDays: number,
  w: Float64Array,
  stageW?: Float64Array,
): void {
  const { n } = v;
  switch (model) {
    case 'first_touch':
      w.fill(0, 0, n);
      w[0] = 1;
      return;
    case 'last_touch':
      w.fill(0, 0, n);
      w[n - 1] = 1;
      return;
    case 'last_non_direct': {
      w.fill(0, 0, n);
      let i = n - 1;
      while (i >= 0 && v.isDirect[v.touches[v.start + i]!] === 1) i--;
      // An all-direct path stays direct: its last touch keeps the credit.
      w[i >= 0 ? i : n - 1] = 1;
      return;
    }
    case 'linear':
      w.fill(1 / n, 0, n);
      return;
    case 'position_based':
      fillPositionBased(n, w);
      return;
    case 'time_decay':
      fillTimeDecay(v, halfLifeDays, w);
      return;
    case 'w_shaped':
      fillMilestones(v, W_SHAPED, w, stageW);
      return;
    case 'full_path':
      fillMilestones(v, FULL_PATH, w, stageW);
      return;
  }
}

/** What a caller of touchWeights knows about one journey's touches. */
export interface TouchInfo {
  /** Channel names (last_non_direct needs them). */
  channels?: readonly string[];
  /** Days before the conversion per touch (time_decay); default: one day apart ending at 0. */
  daysBefore?: readonly number[];
  /** Touch indices of the milestones; default lead = first, opportunity = last, deal won = last. */
  lead?: number;
  opportunity?: number;
  dealWon?: number;
  halfLifeDays?: number;
}

/**
 * The weights a rule-based model gives the `n` touches of one journey (they sum to 1).
 *
 * @example
 * touchWeights('position_based', 4); // [0.4, 0.1, 0.1, 0.4]
 * touchWeights('last_non_direct', 2, { channels: ['Email', 'Direct'] }); // [1, 0]
 */
export function touchWeights(model: RuleBasedModelId, n: number, info: TouchInfo = {}): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('a journey needs at least one touch');
  const names = info.channels ?? [];
  const isDirect = new Uint8Array(n);
  const touches = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    touches[i] = i;
    isDirect[i] = names[i] !== undefined && isDirectChannel(names[i]!) ? 1 : 0;
  }
  const w = new Float64Array(n);
  const view: PathView = {
    touches,
    start: 0,
    n,
    daysBefore: info.daysBefore ? Float64Array.from(info.daysBefore) : undefined,
    isDirect,
    lead: info.lead ?? -1,
    opportunity: info.opportunity ?? -1,
    dealWon: info.dealWon ?? -1,
  };
  fillWeights(model, view, info.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, w);
  return Array.from(w);
}
