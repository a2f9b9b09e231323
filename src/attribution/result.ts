/** Turning per-channel credit arrays into the sorted AttributionResult rows. */

import { tableTotals } from './path-table.js';
import type { AttributionResult, AttributionRow, ModelId, PathTable } from './types.js';

/**
 * Ranks rows: conversions descending, then channel name (code-unit order, so it is stable across
 * locales).
 *
 * @example
 * rows.sort(compareRows);
 */
export function compareRows(a: AttributionRow, b: AttributionRow): number {
  if (a.conversions !== b.conversions) return b.conversions - a.conversions;
  return a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0;
}

/**
 * One row per channel of the table (channels that earned nothing included, with 0).
 *
 * @example
 * buildResult('linear', table, new Float64Array([1.5, 0.5]), new Float64Array([15, 5]));
 */
export function buildResult(
  model: ModelId,
  table: PathTable,
  conversions: Float64Array,
  values: Float64Array,
  extra: { order?: number; removalEffects?: Float64Array } = {},
): AttributionResult {
  const totals = tableTotals(table);
  const rows: AttributionRow[] = table.channels.map((channel, c) => {
    const row: AttributionRow = { channel, conversions: conversions[c]!, value: values[c]! };
    if (extra.removalEffects) row.removal_effect = extra.removalEffects[c]!;
    return row;
  });
  rows.sort(compareRows);
  // INTERFACE.md's key order: model, order (Markov only), totals, rows.
  return {
    model,
    ...(extra.order !== undefined ? { order: extra.order } : {}),
    total_conversions: totals.conversions,
    total_value: totals.value,
    rows,
  };
}
