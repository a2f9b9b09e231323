/**
 * Rounding and wording shared by the planning reports. Reports round what they show (ratios to 6
 * decimals, money to cents) and compute what follows from the rounded values, so every figure in the
 * JSON can be recomputed from the figures next to it.
 */

/**
 * A ratio as reported: 6 decimals.
 *
 * @example
 * ratio6(0.65 / 3); // 0.216667
 */
export function ratio6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Money as reported: cents.
 *
 * @example
 * cents(2279.999999); // 2280
 */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A whole count needed to cover `x`: rounded up, but not past float noise (7 / 0.7 is
 * 10.000000000000002 in binary floating point and needs 10, not 11).
 *
 * @example
 * ceilCount(7 / 0.7); // 10
 * ceilCount(10.2);    // 11
 */
export function ceilCount(x: number): number {
  return Math.ceil(Number(x.toPrecision(12)));
}

/**
 * A ratio as a marketer reads it.
 *
 * @example
 * pct(0.0972); // '9.7 %'
 */
export function pct(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '–';
  return `${(x * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
}

/**
 * Money without cents, in the workspace currency.
 *
 * @example
 * money(181500, 'USD'); // '$181,500'
 */
export function money(x: number | null, currency = 'USD'): string {
  if (x === null || !Number.isFinite(x)) return '–';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(x);
}

/** a / b, or null when b is 0 (a rate over nothing is undefined, not 0). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
