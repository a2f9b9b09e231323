/**
 * Next year's revenue target from history (seed 004): the mean of the latest year-over-year growth
 * rates plus an uplift is the target growth; the target is last year's revenue grown by it.
 * Pure: the revenue per year comes in, the report goes out. Everything is computed from unrounded
 * values; only the report is rounded (ratios to 6 decimals, money to cents), so rounding a ratio never
 * moves the target (at millions, 1e-7 of growth is already cents).
 */
import { UserError } from '../core/errors.js';
import { cents, ratio6 } from './numbers.js';

/** How many year-over-year growth rates the average takes (at most). */
export const GROWTH_RATES = 3;
/** The default uplift, in percentage points. */
export const DEFAULT_UPLIFT_POINTS = 5;

export interface YearRevenue {
  year: number;
  revenue: number;
  /** The dates the revenue covers, when they are not the calendar year (trailing twelve months). */
  from?: string;
  to?: string;
}

export interface TargetYear {
  year: number;
  revenue: number;
  from?: string;
  to?: string;
  /** (revenue − previous revenue) / previous revenue; null for the first year listed. */
  growth: number | null;
}

/** The JSON of `plan target --format json`. */
export interface TargetPlan {
  year: number;
  years: TargetYear[];
  average_growth: number;
  uplift: number;
  target_growth: number;
  target: number;
}

/**
 * The revenue target for the year after `year`.
 *
 * Years listed are `year − 3 … year` (so three growth rates can be computed), without leading years that
 * have no revenue at all (before the workspace's history starts). A year whose previous year had no
 * revenue has growth null and is left out of the average. The target is computed from the unrounded
 * growth rates; the report shows ratios to 6 decimals and money to cents.
 *
 * @example
 * revenueTarget([{ year: 2023, revenue: 1000 }, { year: 2024, revenue: 1200 }, { year: 2025, revenue: 1500 }], 2025);
 * // growth 0.2 and 0.25 → average_growth 0.225, uplift 0.05, target_growth 0.275,
 * // target 1500 × 0.275 + 1500 = 1912.5
 */
export function revenueTarget(
  history: readonly YearRevenue[],
  year: number,
  upliftPoints: number = DEFAULT_UPLIFT_POINTS,
): TargetPlan {
  if (!Number.isFinite(upliftPoints) || upliftPoints <= -100 || upliftPoints > 1000)
    throw new UserError(`--uplift must be a number of percentage points above -100, got ${upliftPoints}`, {
      field: '--uplift',
    });
  const byYear = new Map(history.map((h) => [h.year, h]));
  let span: YearRevenue[] = [];
  for (let y = year - GROWTH_RATES; y <= year; y++) span.push(byYear.get(y) ?? { year: y, revenue: 0 });
  const first = span.findIndex((h) => h.revenue !== 0);
  if (first < 0)
    throw new UserError(
      `no revenue history: no won deals closed from ${history[0]?.from ?? year - GROWTH_RATES} to ${history.at(-1)?.to ?? year}; import deals first (northstar import deals FILE)`,
      { field: '--year' },
    );
  span = span.slice(first);
  if (span.length < 2)
    throw new UserError(
      `only ${year} has revenue: a target from history needs at least two calendar years of won deals`,
      { field: '--year' },
    );
  const growths = span.map((h, i) => {
    const prev = span[i - 1]?.revenue;
    return prev === undefined || prev === 0 ? null : (h.revenue - prev) / prev;
  });
  const years: TargetYear[] = span.map((h, i) => ({
    year: h.year,
    revenue: cents(h.revenue),
    ...(h.from === undefined ? {} : { from: h.from, to: h.to }),
    growth: round6(growths[i] ?? null),
  }));
  const rates = growths.filter((g): g is number => g !== null);
  const averageGrowth = rates.reduce((s, g) => s + g, 0) / rates.length;
  const uplift = upliftPoints / 100;
  const targetGrowth = averageGrowth + uplift;
  return {
    year,
    years,
    average_growth: ratio6(averageGrowth),
    uplift: ratio6(uplift),
    target_growth: ratio6(targetGrowth),
    target: exactTarget(span, upliftPoints),
  };
}

/**
 * The target in cents computed exactly: last × (1 + mean of the growth rates + uplift) as a fraction of
 * integers (revenues in cents, the uplift in millionths), rounded half up as `cents` rounds. Floats
 * would be off by a cent when one growth rate is hundreds of times another.
 *
 * @example
 * exactTarget([{ year: 2024, revenue: 1000 }, { year: 2025, revenue: 1500 }], 5); // 2325 (1500 × 1.55)
 */
function exactTarget(span: readonly YearRevenue[], upliftPoints: number): number {
  const r = span.map((h) => BigInt(Math.round(h.revenue * 100)));
  let num = 0n;
  let den = 1n;
  let k = 0n;
  for (let i = 1; i < r.length; i++) {
    const prev = r[i - 1] ?? 0n;
    const cur = r[i] ?? 0n;
    if (prev === 0n) continue;
    num = num * prev + (cur - prev) * den;
    den *= prev;
    k++;
  }
  const u = BigInt(Math.round(upliftPoints * 1e4)); // points / 100 = u / 1e6
  let d = den * k * 1_000_000n;
  let n = (r.at(-1) ?? 0n) * (d + num * 1_000_000n + u * den * k);
  if (d < 0n) {
    d = -d;
    n = -n;
  }
  // floor((2n + d) / 2d): half a cent rounds up, as Math.round does
  const twice = 2n * n + d;
  const twoD = 2n * d;
  const q = twice / twoD - (twice % twoD < 0n ? 1n : 0n);
  return Number(q) / 100;
}

const round6 = (x: number | null) => (x === null ? null : ratio6(x));
