/**
 * Order-1 shortcut for the removal effects: one matrix inversion instead of one solve per channel.
 *
 * At order 1 a channel is a single state c. A walk that never reaches c is unchanged by removing
 * c; one that does converts from its first visit with probability h(c) (strong Markov property).
 * So P(conv) - P_c(conv) = P(hit c) x h(c), and likewise for the expected value with g(c), where
 * P(hit c) = N[start, c] / N[c, c] with N = (I - Q)^-1 the fundamental matrix of the transient
 * states. N costs n^3, against n solves for the per-channel route: much less with hundreds of
 * channels (campaign-level attribution).
 */
import type { Absorption } from './markov.solver.js';
import type { MarkovChain } from './markov.states.js';

/** Above this many states the n^3 inversion stops paying off against per-channel solves. */
export const HITTING_LIMIT = 800;

export interface HittingRemovals {
  base: Absorption;
  /** Absorption from the start with state `s` redirected to null. */
  without(s: number): Absorption;
}

/**
 * Removal absorptions for an order-1 chain through its fundamental matrix.
 *
 * @example
 * const r = removalsByHitting(chain);
 * const re = 1 - r.without(chain.statesOfChannel[c]![0]!).conversion / r.base.conversion;
 */
export function removalsByHitting(chain: MarkovChain): HittingRemovals {
  const n = chain.stateCount;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    for (let e = chain.rowStart[i]!; e < chain.rowStart[i + 1]!; e++) {
      const j = chain.col[e]!;
      a[i * n + j] = a[i * n + j]! - chain.prob[e]!;
    }
  }
  invertInPlace(a, n);
  // h = N r, g = N v.
  const h = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < n; j++) {
      const nij = a[i * n + j]!;
      x += nij * chain.convRate[j]!;
      y += nij * chain.valueRate[j]!;
    }
    h[i] = x;
    g[i] = y;
  }
  const base = { conversion: h[0]!, value: g[0]! };
  return {
    base,
    without(s: number): Absorption {
      if (s === 0) return { conversion: 0, value: 0 };
      const hit = a[s]! / a[s * n + s]!; // N[start, s] / N[s, s]; the start is row 0
      return { conversion: base.conversion - hit * h[s]!, value: base.value - hit * g[s]! };
    },
  };
}

/**
 * Gauss-Jordan inversion in place without pivoting: I - Q is a nonsingular M-matrix, weakly
 * diagonally dominant by rows, so the pivots stay positive and elimination is stable.
 */
function invertInPlace(a: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    const pivot = a[rowK + k]!;
    if (!(pivot > 0)) throw new Error('singular Markov system (a state that never absorbs)');
    const inv = 1 / pivot;
    a[rowK + k] = 1;
    for (let j = 0; j < n; j++) a[rowK + j] = a[rowK + j]! * inv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const rowI = i * n;
      const f = a[rowI + k]!;
      if (f === 0) continue;
      a[rowI + k] = 0;
      for (let j = 0; j < n; j++) a[rowI + j] = a[rowI + j]! - f * a[rowK + j]!;
    }
  }
}
