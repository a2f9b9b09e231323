/**
 * Rule-based attribution over a path table: each path's conversions and value spread over its
 * touches with the weights of rule-based.weights.ts.
 */
import { buildResult } from './result.js';
import {
  DEFAULT_HALF_LIFE_DAYS,
  fillWeights,
  isDirectChannel,
  type PathView,
  STAGE_COUNT,
} from './rule-based.weights.js';
import type { AttributionResult, PathTable, RuleBasedModelId, Stage, StageCredit } from './types.js';
import { STAGES } from './types.js';

export type { TouchInfo } from './rule-based.weights.js';
export { DEFAULT_HALF_LIFE_DAYS, isDirectChannel, touchWeights } from './rule-based.weights.js';

export interface RuleBasedOptions {
  halfLifeDays?: number;
  /** w_shaped / full_path: also return the credit split by funnel stage. */
  stages?: boolean;
}

/**
 * Runs a rule-based model over every path of the table.
 *
 * @example
 * const t = pathTableFromRecords([{ path: ['a', 'b', 'c'], conversions: 1, value: 10 }]);
 * attributeRuleBased(t, 'position_based').rows; // a 0.4/4, c 0.4/4, b 0.2/2
 */
export function attributeRuleBased(
  table: PathTable,
  model: RuleBasedModelId,
  options: RuleBasedOptions = {},
): AttributionResult {
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const channelCount = table.channels.length;
  const convCredit = new Float64Array(channelCount);
  const valueCredit = new Float64Array(channelCount);
  const wantStages = options.stages === true && (model === 'w_shaped' || model === 'full_path');
  const stageConv = wantStages ? new Float64Array(channelCount * STAGE_COUNT) : undefined;
  const stageValue = wantStages ? new Float64Array(channelCount * STAGE_COUNT) : undefined;
  const isDirect = new Uint8Array(channelCount);
  table.channels.forEach((name, c) => {
    isDirect[c] = isDirectChannel(name) ? 1 : 0;
  });
  let maxLen = 1;
  for (let p = 0; p < table.size; p++) maxLen = Math.max(maxLen, table.offsets[p + 1]! - table.offsets[p]!);
  const scratch = new Float64Array(maxLen);
  const stageW = wantStages ? new Float64Array(maxLen * STAGE_COUNT) : undefined;
  const { touches, offsets, milestones } = table;
  const view: PathView = {
    touches,
    start: 0,
    n: 0,
    daysBefore: table.daysBefore,
    isDirect,
    lead: -1,
    opportunity: -1,
    dealWon: -1,
  };

  const lengthOnly =
    model === 'first_touch' ||
    model === 'last_touch' ||
    model === 'linear' ||
    model === 'position_based' ||
    (model === 'last_non_direct' && !isDirect.includes(1)) ||
    (model === 'time_decay' && !table.daysBefore) ||
    ((model === 'w_shaped' || model === 'full_path') && !table.milestones && !wantStages);
  const profile = lengthOnly ? positionProfile(table) : undefined;
  if (profile) {
    creditFromProfile(profile, model, view, halfLifeDays, convCredit, valueCredit);
    return buildResult(model, table, convCredit, valueCredit);
  }

  for (let p = 0; p < table.size; p++) {
    const conv = table.conversions[p]!;
    const value = table.values[p]!;
    if (conv === 0 && value === 0) continue;
    const start = offsets[p]!;
    const n = offsets[p + 1]! - start;
    if (n === 0) continue;
    // The one-touch models skip the weight array: they are the bulk of what users run.
    if (model === 'first_touch' || model === 'last_touch') {
      const c = touches[model === 'first_touch' ? start : start + n - 1]!;
      convCredit[c] = convCredit[c]! + conv;
      valueCredit[c] = valueCredit[c]! + value;
      continue;
    }
    const w = scratch;
    view.start = start;
    view.n = n;
    if (milestones) {
      view.lead = milestones.lead[p]!;
      view.opportunity = milestones.opportunity[p]!;
      view.dealWon = milestones.dealWon[p]!;
    }
    fillWeights(model, view, halfLifeDays, w, stageW);
    for (let i = 0; i < n; i++) {
      const c = touches[start + i]!;
      const wi = w[i]!;
      convCredit[c] = convCredit[c]! + wi * conv;
      valueCredit[c] = valueCredit[c]! + wi * value;
    }
    if (stageW && stageConv && stageValue) {
      for (let i = 0; i < n; i++) {
        const base = touches[start + i]! * STAGE_COUNT;
        for (let s = 0; s < STAGE_COUNT; s++) {
          const ws = stageW[i * STAGE_COUNT + s]!;
          if (ws === 0) continue;
          stageConv[base + s] = stageConv[base + s]! + ws * conv;
          stageValue[base + s] = stageValue[base + s]! + ws * value;
        }
      }
    }
  }

  const result = buildResult(model, table, convCredit, valueCredit);
  if (stageConv && stageValue) result.stages = stageRows(table.channels, stageConv, stageValue);
  return result;
}

/**
 * Conversions and value per (channel, path length, position): when touch weights depend on the
 * path length alone, every such model is a weighted sum over this profile, so a table pays one
 * pass for all of them. Triangular layout: length n, position i at n(n-1)/2 + i.
 */
interface PositionProfile {
  maxLen: number;
  /** Lengths that occur with conversions or value. */
  lengths: Uint8Array;
  cells: number;
  conv: Float64Array;
  value: Float64Array;
}

/** Above this many cells (channels x triangular positions) the profile is not worth its memory. */
const MAX_PROFILE_CELLS = 1 << 21;
const profiles = new WeakMap<PathTable, PositionProfile | null>();

function positionProfile(table: PathTable): PositionProfile | undefined {
  const known = profiles.get(table);
  if (known !== undefined) return known ?? undefined;
  const { offsets, touches } = table;
  let maxLen = 0;
  for (let p = 0; p < table.size; p++) maxLen = Math.max(maxLen, offsets[p + 1]! - offsets[p]!);
  const cells = (maxLen * (maxLen + 1)) / 2;
  if (cells * table.channels.length > MAX_PROFILE_CELLS) {
    profiles.set(table, null);
    return undefined;
  }
  const conv = new Float64Array(cells * table.channels.length);
  const value = new Float64Array(cells * table.channels.length);
  const lengths = new Uint8Array(maxLen + 1);
  for (let p = 0; p < table.size; p++) {
    const pc = table.conversions[p]!;
    const pv = table.values[p]!;
    if (pc === 0 && pv === 0) continue;
    const start = offsets[p]!;
    const n = offsets[p + 1]! - start;
    lengths[n] = 1;
    const base = (n * (n - 1)) / 2;
    for (let i = 0; i < n; i++) {
      const k = touches[start + i]! * cells + base + i;
      conv[k] = conv[k]! + pc;
      value[k] = value[k]! + pv;
    }
  }
  const profile = { maxLen, lengths, cells, conv, value };
  profiles.set(table, profile);
  return profile;
}

function creditFromProfile(
  profile: PositionProfile,
  model: RuleBasedModelId,
  view: PathView,
  halfLifeDays: number,
  convCredit: Float64Array,
  valueCredit: Float64Array,
): void {
  const w = new Float64Array(profile.maxLen);
  const { cells, conv, value } = profile;
  // Only used without direct channels, where it is last touch.
  const weights = model === 'last_non_direct' ? 'last_touch' : model;
  for (let n = 1; n <= profile.maxLen; n++) {
    if (profile.lengths[n] === 0) continue;
    view.start = 0;
    view.n = n;
    fillWeights(weights, view, halfLifeDays, w);
    const base = (n * (n - 1)) / 2;
    for (let c = 0; c < convCredit.length; c++) {
      let sc = 0;
      let sv = 0;
      for (let i = 0; i < n; i++) {
        sc += w[i]! * conv[c * cells + base + i]!;
        sv += w[i]! * value[c * cells + base + i]!;
      }
      convCredit[c] = convCredit[c]! + sc;
      valueCredit[c] = valueCredit[c]! + sv;
    }
  }
}

function stageRows(channels: readonly string[], conv: Float64Array, value: Float64Array): StageCredit[] {
  const out: StageCredit[] = [];
  channels.forEach((channel, c) => {
    STAGES.forEach((stage: Stage, s) => {
      const k = c * STAGE_COUNT + s;
      if (conv[k] !== 0 || value[k] !== 0)
        out.push({ channel, stage, conversions: conv[k]!, value: value[k]! });
    });
  });
  return out;
}
