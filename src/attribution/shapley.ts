/**
 * Shapley value attribution (Zhao, Mahboobi & Bagheri 2018, "Shapley Value Methods for Attribution
 * Modeling in Online Advertising").
 *
 * With coalition worth v(S) = conversions of the paths whose channel set is a subset of S, the game
 * is a sum of unanimity games, one per path, so the exact Shapley value is the paper's simplified
 * formula: each path's conversions (and value) split equally over its distinct channels. No
 * enumeration of the 2^channels coalitions is needed.
 */
import { buildResult } from './result.js';
import type { AttributionResult, PathTable, PositionCredit } from './types.js';

/**
 * Exact Shapley credits.
 *
 * @example
 * const t = pathTableFromRecords([{ path: ['a', 'b', 'a'], conversions: 1, value: 10 }]);
 * attributeShapley(t).rows; // a 0.5 / 5, b 0.5 / 5 (two distinct channels)
 */
export function attributeShapley(table: PathTable): AttributionResult {
  const channelCount = table.channels.length;
  const conv = new Float64Array(channelCount);
  const value = new Float64Array(channelCount);
  // seen[c] === p + 1 marks channel c as already counted for path p (no clearing between paths).
  const seen = new Int32Array(channelCount);
  const distinct = new Int32Array(channelCount);
  const { touches, offsets } = table;
  for (let p = 0; p < table.size; p++) {
    const pc = table.conversions[p]!;
    const pv = table.values[p]!;
    if (pc === 0 && pv === 0) continue;
    let k = 0;
    for (let i = offsets[p]!; i < offsets[p + 1]!; i++) {
      const c = touches[i]!;
      if (seen[c] !== p + 1) {
        seen[c] = p + 1;
        distinct[k++] = c;
      }
    }
    if (k === 0) continue;
    const sc = pc / k;
    const sv = pv / k;
    for (let j = 0; j < k; j++) {
      const c = distinct[j]!;
      conv[c] = conv[c]! + sc;
      value[c] = value[c]! + sv;
    }
  }
  return buildResult('shapley', table, conv, value);
}

/**
 * Ordered Shapley (the paper's position-aware variant): a channel's share of a path, as above,
 * is split equally over the positions where it occurs in that path, and credits are kept per
 * position (position = touch index in the path as given, repeats counted). Summed over positions a
 * channel's ordered credit equals its Shapley credit; `by_position` holds the detail.
 *
 * @example
 * const t = pathTableFromRecords([{ path: ['a', 'b', 'a'], conversions: 1 }]);
 * attributeShapleyOrdered(t).by_position; // a: [0.25, 0, 0.25], b: [0, 0.5]
 */
export function attributeShapleyOrdered(table: PathTable): AttributionResult {
  const channelCount = table.channels.length;
  const { touches, offsets } = table;
  let maxLen = 0;
  for (let p = 0; p < table.size; p++) maxLen = Math.max(maxLen, offsets[p + 1]! - offsets[p]!);
  const posConv = new Float64Array(channelCount * maxLen);
  const posValue = new Float64Array(channelCount * maxLen);
  const count = new Int32Array(channelCount);
  for (let p = 0; p < table.size; p++) {
    const pc = table.conversions[p]!;
    const pv = table.values[p]!;
    if (pc === 0 && pv === 0) continue;
    const start = offsets[p]!;
    const end = offsets[p + 1]!;
    let k = 0;
    for (let i = start; i < end; i++) {
      const c = touches[i]!;
      if (count[c] === 0) k++;
      count[c] = count[c]! + 1;
    }
    for (let i = start; i < end; i++) {
      const c = touches[i]!;
      const share = 1 / (k * count[c]!);
      const slot = c * maxLen + (i - start);
      posConv[slot] = posConv[slot]! + share * pc;
      posValue[slot] = posValue[slot]! + share * pv;
    }
    for (let i = start; i < end; i++) count[touches[i]!] = 0;
  }
  const conv = new Float64Array(channelCount);
  const value = new Float64Array(channelCount);
  const byPosition: PositionCredit[] = [];
  table.channels.forEach((channel, c) => {
    const rowConv = Array.from(posConv.subarray(c * maxLen, (c + 1) * maxLen));
    const rowValue = Array.from(posValue.subarray(c * maxLen, (c + 1) * maxLen));
    for (let i = 0; i < maxLen; i++) {
      conv[c] = conv[c]! + rowConv[i]!;
      value[c] = value[c]! + rowValue[i]!;
    }
    let len = maxLen;
    while (len > 0 && rowConv[len - 1] === 0 && rowValue[len - 1] === 0) len--;
    byPosition.push({ channel, conversions: rowConv.slice(0, len), value: rowValue.slice(0, len) });
  });
  const result = buildResult('shapley_ordered', table, conv, value);
  const rank = new Map(result.rows.map((r, i) => [r.channel, i]));
  byPosition.sort((a, b) => rank.get(a.channel)! - rank.get(b.channel)!);
  result.by_position = byPosition;
  return result;
}
