/** Numbers as a marketer reads them in SMART reasons and alerts: "$3,500", "1,250", "4.2 %", "62 days". */

/**
 * A KPI value in its unit.
 *
 * @example
 * formatValue(3500.5, 'currency', 'USD'); // '$3,500.50'
 * formatValue(0.042, 'ratio');            // '4.2 %'
 * formatValue(1250, 'count');             // '1,250'
 */
export function formatValue(v: number | null, unit: string | null, currency = 'USD'): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (unit === 'currency')
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0,
    }).format(v);
  if (unit === 'ratio') return `${trim(v * 100, 1)} %`;
  if (unit === 'percent') return `${trim(v, 1)} %`;
  if (unit === 'days') return `${trim(v, 1)} days`;
  return trim(v, Math.abs(v) < 10 && !Number.isInteger(v) ? 2 : 0);
}

function trim(v: number, digits: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/**
 * A change as signed percent.
 *
 * @example
 * formatChange(0.153);  // '+15 %'
 * formatChange(-0.5);   // '−50 %'
 */
export function formatChange(g: number): string {
  const pct = Math.round(g * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toLocaleString('en-US')} %`;
}

/** "a 92-day window" reads worse than "a quarter": calendar names for the usual lengths. */
export function windowName(days: number): string {
  if (days === 7) return 'week';
  if (days >= 28 && days <= 31) return 'month';
  if (days >= 89 && days <= 92) return 'quarter';
  if (days >= 365 && days <= 366) return 'year';
  return `${days}-day window`;
}
