/**
 * Markov-chain removal-effect attribution with ChannelAttribution's semantics, computed exactly.
 *
 * Removal effect of channel c: RE_c = 1 - P_c(conversion) / P(conversion), where P_c is the
 * absorption probability with every state containing c redirected to null. Credited conversions
 * = RE_c / sum RE x total conversions. The value side uses the expected value of absorption
 * (E_L per last state L) the same way. See docs/attribution.md.
 */
import { HITTING_LIMIT, removalsByHitting } from './markov.hitting.js';
import { AbsorptionSolver, type SolveStats } from './markov.solver.js';
import { buildMarkovChain } from './markov.states.js';
import { tableTotals } from './path-table.js';
import { buildResult } from './result.js';
import type { AttributionResult, NullsMode, PathTable } from './types.js';

export const MAX_MARKOV_ORDER = 4;

export interface MarkovOptions {
  /** 1 to 4, default 1. */
  order?: number;
  /** Use non-converting paths (default) or leave them out. */
  nulls?: NullsMode;
}

export interface MarkovDetail {
  result: AttributionResult;
  /** P(conversion) and expected value from the start with nothing removed. */
  conversionProbability: number;
  expectedValue: number;
  valueRemovalEffects: Map<string, number>;
  states: number;
  transitions: number;
  solver: SolveStats;
}

/**
 * Markov attribution of a path table.
 *
 * @example
 * const t = pathTableFromRecords([
 *   { path: ['c1', 'c2', 'c3'], conversions: 1 },
 *   { path: ['c1'], nulls: 1 },
 *   { path: ['c2', 'c3'], nulls: 1 },
 * ]);
 * attributeMarkov(t).rows; // c2 0.4, c3 0.4, c1 0.2 (removal effects 1, 1, 0.5)
 */
export function attributeMarkov(table: PathTable, options: MarkovOptions = {}): AttributionResult {
  return attributeMarkovDetailed(table, options).result;
}

/** attributeMarkov plus the chain's size, solver statistics and value removal effects. */
export function attributeMarkovDetailed(table: PathTable, options: MarkovOptions = {}): MarkovDetail {
  const order = options.order ?? 1;
  if (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
    throw new RangeError(`Markov order must be an integer from 1 to ${MAX_MARKOV_ORDER}`);
  }
  const chain = buildMarkovChain(table, order, options.nulls ?? 'include');
  const solver = new AbsorptionSolver(chain);
  const hitting = order === 1 && chain.stateCount <= HITTING_LIMIT ? removalsByHitting(chain) : undefined;
  const base = hitting ? hitting.base : solver.solve();
  const channelCount = table.channels.length;
  const re = new Float64Array(channelCount);
  const reValue = new Float64Array(channelCount);
  for (let c = 0; c < channelCount; c++) {
    const states = chain.statesOfChannel[c]!;
    if (states.length === 0) continue;
    const without = hitting ? hitting.without(states[0]!) : solver.solve(states);
    re[c] = base.conversion > 0 ? clamp01(1 - without.conversion / base.conversion) : 0;
    reValue[c] = base.value !== 0 ? clamp01(1 - without.value / base.value) : 0;
  }
  const totals = tableTotals(table);
  const conv = spread(re, totals.conversions);
  // With no value reaching conversion through the chain, value follows the conversion shares.
  const value = sum(reValue) > 0 ? spread(reValue, totals.value) : spread(re, totals.value);
  const result = buildResult('markov', table, conv, value, { order, removalEffects: re });
  return {
    result,
    conversionProbability: base.conversion,
    expectedValue: base.value,
    valueRemovalEffects: new Map(table.channels.map((name, c) => [name, reValue[c]!])),
    states: chain.stateCount,
    transitions: chain.col.length,
    solver: solver.stats,
  };
}

// Rounding can push 1 - a/b a hair outside [0, 1].
function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** total x a_i / sum(a); zeros when the weights are all zero. */
function spread(weights: Float64Array, total: number): Float64Array {
  const s = sum(weights);
  const out = new Float64Array(weights.length);
  if (s > 0) for (let i = 0; i < weights.length; i++) out[i] = (weights[i]! / s) * total;
  return out;
}
