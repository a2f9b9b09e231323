/**
 * The default look-back of workspace attribution: long enough for the workspace's own sales cycle.
 * A fixed 90 days leaves most B2B deals, whose first touch came months before the close, to `(none)`.
 */

export const MIN_LOOKBACK_DAYS = 90;
export const MAX_LOOKBACK_DAYS = 3650;
/** The share of conversions whose first touch the default look-back reaches back to. */
export const SALES_CYCLE_PERCENTILE = 90;

export interface SalesCycle {
  /** Always 90: the percentile of first touch to conversion that the look-back covers. */
  percentile: number;
  /** That percentile in days (2 decimals); null when no conversion had a touch. */
  days: number | null;
  /** Conversions measured: those with at least one touch in the widest look-back (3650 days). */
  conversions: number;
}

export interface LookbackChoice {
  /** Whole days. */
  days: number;
  /** `given` (--lookback) or `sales_cycle` (the default). */
  basis: 'given' | 'sales_cycle';
  /** How the default was found; null when the look-back was given. */
  sales_cycle: SalesCycle | null;
}

/**
 * The nearest-rank percentile: the smallest value with at least p % of the values at or below it.
 *
 * @example
 * nearestRank([5, 1, 3, 2, 4], 90); // 5 (rank ceil(0.9 × 5) = 5)
 * nearestRank([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 90); // 100 (rank ceil(9.9) = 10)
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * The sales-cycle look-back from each conversion's days between its first touch and the conversion:
 * the 90th percentile rounded up to whole days, at least 90 and at most 3650.
 *
 * @example
 * salesCycleLookback([12.5, 200.2, 40]).days; // 201: rank ceil(2.7) = 3 → 200.2 days, rounded up
 * salesCycleLookback([]).days;                // 90: nothing measured, the minimum
 */
export function salesCycleLookback(firstTouchToConversionDays: readonly number[]): LookbackChoice {
  const p = nearestRank(firstTouchToConversionDays, SALES_CYCLE_PERCENTILE);
  const days =
    p === null ? MIN_LOOKBACK_DAYS : Math.min(MAX_LOOKBACK_DAYS, Math.max(MIN_LOOKBACK_DAYS, Math.ceil(p)));
  return {
    days,
    basis: 'sales_cycle',
    sales_cycle: {
      percentile: SALES_CYCLE_PERCENTILE,
      days: p === null ? null : Math.round(p * 100) / 100,
      conversions: firstTouchToConversionDays.length,
    },
  };
}

/** How each conversion kind is named in sentences, in the plural. */
const NOUNS: Readonly<Record<string, string>> = {
  deal_won: 'won deals',
  opportunity: 'deals',
  lead: 'leads',
  mql: 'MQLs',
  sql: 'SQLs',
};

/**
 * One sentence saying which look-back was used and why, for tables and the overview.
 *
 * @example
 * describeLookback({ days: 90, basis: 'given', sales_cycle: null }, 'deal_won'); // 'look-back 90 days (--lookback)'
 */
export function describeLookback(l: LookbackChoice, conversion: string): string {
  if (l.basis === 'given' || !l.sales_cycle) return `look-back ${l.days} days (--lookback)`;
  const plural = NOUNS[conversion] ?? 'conversions';
  const c = l.sales_cycle;
  if (c.days === null)
    return `look-back ${l.days} days (the minimum; no touch to measure the sales cycle on)`;
  const measured = `${c.percentile} % of ${plural} came within ${c.days} days of their first touch (over ${c.conversions} ${plural} with a touch`;
  if (l.days === MIN_LOOKBACK_DAYS && c.days < MIN_LOOKBACK_DAYS)
    return `look-back ${l.days} days, the minimum: ${measured})`;
  if (l.days === MAX_LOOKBACK_DAYS && c.days > MAX_LOOKBACK_DAYS)
    return `look-back ${l.days} days, the maximum: ${measured})`;
  return `look-back ${l.days} days = the sales cycle: ${measured}; at least ${MIN_LOOKBACK_DAYS} days)`;
}
