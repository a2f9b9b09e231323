/**
 * The absorbing Markov chain of a path table, built the way ChannelAttribution builds it:
 * a state is a window of `order` consecutive touches (the whole path when it is shorter); consecutive
 * identical states merge; every path adds its weight (conversions + nulls, or conversions alone
 * when nulls are excluded) to start → first state and to each state → next state; its last state
 * goes to conversion with its conversions and to null with its nulls.
 */
import { sequenceKey } from './path-table.js';
import type { NullsMode, PathTable } from './types.js';

/**
 * Transient states in CSR form; state 0 is the start. Absorbing states are not stored: a row's
 * missing mass is the probability of conversion (`convRate`) plus null.
 */
export interface MarkovChain {
  readonly order: number;
  /** Transient states including the start. */
  readonly stateCount: number;
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly prob: Float64Array;
  /** P(state → conversion). */
  readonly convRate: Float64Array;
  /**
   * P(state → conversion) x E_state, E_state being the mean value of a conversion of the paths that
   * end in the state; equal to (their summed value) / (weight leaving the state).
   */
  readonly valueRate: Float64Array;
  /** Mean position of each state in the paths that visit it (the solver's sweep order). */
  readonly depth: Float64Array;
  /** Per channel, the states whose window contains it. */
  readonly statesOfChannel: readonly Int32Array[];
}

/** Window keys below this many use a flat lookup array (4 bytes each). */
const DENSE_KEY_SPACE = 1 << 22;

/**
 * Builds the chain of order `order` (>= 1).
 *
 * @example
 * const t = pathTableFromRecords([{ path: ['c1', 'c2', 'c3'], conversions: 1 }, { path: ['c1'], nulls: 1 }]);
 * const chain = buildMarkovChain(t, 1, 'include'); // start, c1, c2, c3 → stateCount 4
 */
export function buildMarkovChain(table: PathTable, order: number, nulls: NullsMode): MarkovChain {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`Markov order must be a positive integer`);
  const { touches, offsets } = table;
  const channelCount = table.channels.length;
  const base = channelCount + 1;
  const keySpace = base ** order;
  const numericKeys = keySpace <= Number.MAX_SAFE_INTEGER;
  // Few channels: a flat array from window key to state id beats a Map by a wide margin.
  const denseIds = keySpace <= DENSE_KEY_SPACE ? new Int32Array(keySpace).fill(-1) : undefined;
  const keyIds = new Map<number | string, number>();
  const states = new StateArrays();
  const edges = new EdgeTable();

  for (let p = 0; p < table.size; p++) {
    const conv = table.conversions[p]!;
    const w = conv + (nulls === 'include' ? table.nulls[p]! : 0);
    if (!(w > 0)) continue;
    const start = offsets[p]!;
    const n = offsets[p + 1]! - start;
    if (n === 0) continue;
    const len = Math.min(n, order);
    const windows = n <= order ? 1 : n - order + 1;
    let prev = 0;
    let depth = 0;
    for (let j = 0; j < windows; j++) {
      const at = start + j;
      let id: number;
      if (numericKeys) {
        let key = 0;
        for (let i = 0; i < len; i++) key = key * base + touches[at + i]! + 1;
        id = denseIds ? denseIds[key]! : (keyIds.get(key) ?? -1);
        if (id < 0) {
          id = states.add(at, len);
          if (denseIds) denseIds[key] = id;
          else keyIds.set(key, id);
        }
      } else {
        const key = sequenceKey(touches.subarray(at, at + len));
        id = keyIds.get(key) ?? -1;
        if (id < 0) {
          id = states.add(at, len);
          keyIds.set(key, id);
        }
      }
      // Consecutive identical states merge.
      if (id === prev) continue;
      edges.add(prev, id, w);
      states.out[prev] = states.out[prev]! + w;
      depth++;
      states.depthSum[id] = states.depthSum[id]! + w * depth;
      prev = id;
    }
    // The last state absorbs: conversions to conversion, the rest (w - conv) to null.
    states.out[prev] = states.out[prev]! + w;
    states.toConv[prev] = states.toConv[prev]! + conv;
    states.toValue[prev] = states.toValue[prev]! + table.values[p]!;
  }

  const stateCount = states.count;
  const { rowStart, col, weight } = edges.toCsr(stateCount);
  const prob = new Float64Array(weight.length);
  const convRate = new Float64Array(stateCount);
  const valueRate = new Float64Array(stateCount);
  const depth = new Float64Array(stateCount);
  // Visits into a state = weight leaving it, except for the start, which nothing enters.
  for (let s = 0; s < stateCount; s++) {
    const o = states.out[s]!;
    if (o > 0) {
      for (let e = rowStart[s]!; e < rowStart[s + 1]!; e++) prob[e] = weight[e]! / o;
      convRate[s] = states.toConv[s]! / o;
      valueRate[s] = states.toValue[s]! / o;
      depth[s] = s === 0 ? 0 : states.depthSum[s]! / o;
    }
  }

  const lists: number[][] = Array.from({ length: channelCount }, () => []);
  const mark = new Int32Array(channelCount).fill(-1);
  for (let s = 1; s < stateCount; s++) {
    const at = states.touchStart[s]!;
    for (let i = 0; i < states.touchLength[s]!; i++) {
      const c = touches[at + i]!;
      if (mark[c] !== s) {
        mark[c] = s;
        lists[c]!.push(s);
      }
    }
  }
  return {
    order,
    stateCount,
    rowStart,
    col,
    prob,
    convRate,
    valueRate,
    depth,
    statesOfChannel: lists.map((l) => Int32Array.from(l)),
  };
}

/** Per-state accumulators, grown together; state 0 is the start. */
class StateArrays {
  count = 1;
  out = new Float64Array(64);
  toConv = new Float64Array(64);
  toValue = new Float64Array(64);
  depthSum = new Float64Array(64);
  /** Where the state's window was first seen in the table's touches, to list its channels. */
  touchStart = new Int32Array(64);
  touchLength = new Int32Array(64);

  add(at: number, len: number): number {
    const id = this.count++;
    if (id === this.out.length) {
      const cap = id * 2;
      const f = (a: Float64Array): Float64Array<ArrayBuffer> => {
        const next = new Float64Array(cap);
        next.set(a);
        return next;
      };
      const i = (a: Int32Array): Int32Array<ArrayBuffer> => {
        const next = new Int32Array(cap);
        next.set(a);
        return next;
      };
      this.out = f(this.out);
      this.toConv = f(this.toConv);
      this.toValue = f(this.toValue);
      this.depthSum = f(this.depthSum);
      this.touchStart = i(this.touchStart);
      this.touchLength = i(this.touchLength);
    }
    this.touchStart[id] = at;
    this.touchLength[id] = len;
    return id;
  }
}

/** Transition weights between transient states: open addressing on (from, to). */
class EdgeTable {
  /** Per slot: [from + 1, to] (from + 1 = 0: empty); weights in `weight` at the same slot. */
  private keys = new Int32Array(2 * 1024);
  private weight = new Float64Array(1024);
  private mask = 1023;
  size = 0;

  add(from: number, to: number, w: number): void {
    const { keys, mask } = this;
    let slot = (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b)) & mask;
    for (;;) {
      const f = keys[2 * slot]!;
      if (f === 0) break;
      if (f === from + 1 && keys[2 * slot + 1] === to) {
        this.weight[slot] = this.weight[slot]! + w;
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys[2 * slot] = from + 1;
    keys[2 * slot + 1] = to;
    this.weight[slot] = w;
    if (++this.size * 2 > mask + 1) this.rehash();
  }

  private rehash(): void {
    const { keys, weight } = this;
    const cap = weight.length * 2;
    this.keys = new Int32Array(2 * cap);
    this.weight = new Float64Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let s = 0; s < weight.length; s++) {
      if (keys[2 * s] !== 0) this.add(keys[2 * s]! - 1, keys[2 * s + 1]!, weight[s]!);
    }
  }

  toCsr(n: number): { rowStart: Int32Array; col: Int32Array; weight: Float64Array } {
    const { keys } = this;
    const rowStart = new Int32Array(n + 1);
    for (let s = 0; s <= this.mask; s++) if (keys[2 * s] !== 0) rowStart[keys[2 * s]!]!++;
    for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i + 1]! + rowStart[i]!;
    const fill = rowStart.slice(0, n);
    const col = new Int32Array(this.size);
    const weight = new Float64Array(this.size);
    for (let s = 0; s <= this.mask; s++) {
      const f = keys[2 * s]!;
      if (f === 0) continue;
      const e = fill[f - 1]!++;
      col[e] = keys[2 * s + 1]!;
      weight[e] = this.weight[s]!;
    }
    // Sorted columns make the relabelled rows (and so the solver's sums) independent of hashing.
    for (let i = 0; i < n; i++) sortRow(col, weight, rowStart[i]!, rowStart[i + 1]!);
    return { rowStart, col, weight };
  }
}

function sortRow(col: Int32Array, weight: Float64Array, start: number, end: number): void {
  if (end - start > 32) {
    // Long rows (the start state's, at high orders): sort an index instead of insertion sort.
    const idx = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => col[a]! - col[b]!);
    const c = idx.map((k) => col[k]!);
    const w = idx.map((k) => weight[k]!);
    col.set(c, start);
    weight.set(w, start);
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const c = col[i]!;
    const w = weight[i]!;
    let j = i - 1;
    while (j >= start && col[j]! > c) {
      col[j + 1] = col[j]!;
      weight[j + 1] = weight[j]!;
      j--;
    }
    col[j + 1] = c;
    weight[j + 1] = w;
  }
}
