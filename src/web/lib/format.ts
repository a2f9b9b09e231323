/**
 * Numbers, money, percentages and dates through `Intl` in the user's locale (never a fixed one), money
 * in the workspace's currency. A missing value (`null`: a rate over zero, no data) shows as "–".
 */

export interface Fmt {
  locale: string | undefined;
  currency: string;
}

const DASH = '–';

/**
 * A value in a KPI unit (`count`, `currency`, `ratio`, `percent`, `days`, `hours`).
 *
 * @example
 * formatValue(0.1234, 'ratio', { locale: 'en', currency: 'EUR' }) // '12.3%'
 * formatValue(1234.5, 'currency', { locale: 'de', currency: 'EUR' }) // '1.235 €'
 */
export function formatValue(v: number | null | undefined, unit: string | null | undefined, f: Fmt): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  switch (unit) {
    case 'currency':
      return new Intl.NumberFormat(f.locale, {
        style: 'currency',
        currency: f.currency,
        maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 2,
      }).format(v);
    case 'ratio':
      return new Intl.NumberFormat(f.locale, {
        style: 'percent',
        maximumFractionDigits: Math.abs(v) < 0.1 ? 2 : 1,
      }).format(v);
    case 'percent':
      return new Intl.NumberFormat(f.locale, { style: 'percent', maximumFractionDigits: 1 }).format(v / 100);
    case 'days':
    case 'hours':
      // The unit in the locale's own words and order: "12.3 days", "12,3 dnia", "12,3 j", "12.3일".
      return new Intl.NumberFormat(f.locale, {
        style: 'unit',
        unit: unit === 'days' ? 'day' : 'hour',
        unitDisplay: 'short',
        maximumFractionDigits: 1,
      }).format(v);
    default:
      return new Intl.NumberFormat(f.locale, {
        maximumFractionDigits: Number.isInteger(v) || Math.abs(v) >= 100 ? 0 : 2,
      }).format(v);
  }
}

/**
 * A short form for axes and sparklines: 12.3K, 1.2M.
 *
 * @example
 * compact(12345, { locale: 'en', currency: 'USD' }) // '12K'
 */
export function compact(v: number, f: Fmt): string {
  return new Intl.NumberFormat(f.locale, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

/**
 * A calendar day (`YYYY-MM-DD`, already in the workspace's zone) in the user's words; formatted as
 * UTC so the browser's own zone cannot move it a day.
 *
 * @example
 * formatDay('2026-03-05', { locale: 'en-GB', currency: 'EUR' }) // '5 Mar 2026'
 */
export function formatDay(day: string, f: Fmt, style: 'medium' | 'short' = 'medium'): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(f.locale, {
    timeZone: 'UTC',
    ...(style === 'medium'
      ? { year: 'numeric', month: 'short', day: 'numeric' }
      : { month: 'short', day: 'numeric' }),
  }).format(d);
}

/** An instant (ISO string) in the workspace's time zone. */
export function formatInstant(iso: string, f: Fmt, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(f.locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The user's locale: the browser's language list (undefined lets Intl choose). */
export function userLocale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.languages?.[0] ?? navigator.language);
}
