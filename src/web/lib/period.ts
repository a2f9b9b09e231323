/**
 * Periods as date ranges, computed in one place in the workspace's time zone (never the browser's):
 * every date is a `YYYY-MM-DD` string of the workspace's calendar, as the API takes them.
 */

export const PERIODS = [
  'month',
  'quarter',
  'year',
  'last_month',
  'last_quarter',
  'last_year',
  '12m',
  'custom',
] as const;
export type PeriodKind = (typeof PERIODS)[number];

export interface Range {
  from: string;
  to: string;
}

/**
 * Today's date in a time zone.
 *
 * @example
 * todayIn('Asia/Seoul', new Date('2026-03-31T20:00:00Z')) // '2026-04-01'
 */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const split = (day: string): [number, number, number] => {
  const [y, m, d] = day.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
};
/** The last day of month `m` (1-12) of year `y`. */
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A day moved by whole days.
 *
 * @example
 * addDays('2026-03-01', -1) // '2026-02-28'
 */
export function addDays(day: string, n: number): string {
  const [y, m, d] = split(day);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The date range of a period kind around `today` (the current ones end today; the `last_` ones are
 * the previous complete calendar period). `custom` takes `from` and `to` as given (swapped if reversed),
 * falling back to the current month when either is missing.
 *
 * @example
 * periodRange('quarter', '2026-05-20') // { from: '2026-04-01', to: '2026-05-20' }
 * periodRange('last_quarter', '2026-05-20') // { from: '2026-01-01', to: '2026-03-31' }
 */
export function periodRange(
  kind: PeriodKind,
  today: string,
  from?: string | null,
  to?: string | null,
): Range {
  const [y, m] = split(today);
  const q0 = Math.floor((m - 1) / 3) * 3 + 1;
  switch (kind) {
    case 'month':
      return { from: ymd(y, m, 1), to: today };
    case 'quarter':
      return { from: ymd(y, q0, 1), to: today };
    case 'year':
      return { from: ymd(y, 1, 1), to: today };
    case 'last_month': {
      const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
      return { from: ymd(py, pm, 1), to: ymd(py, pm, lastDay(py, pm)) };
    }
    case 'last_quarter': {
      const [py, pq] = q0 === 1 ? [y - 1, 10] : [y, q0 - 3];
      return { from: ymd(py, pq, 1), to: ymd(py, pq + 2, lastDay(py, pq + 2)) };
    }
    case 'last_year':
      return { from: ymd(y - 1, 1, 1), to: ymd(y - 1, 12, 31) };
    case '12m':
      return { from: addDays(today, -364), to: today };
    case 'custom': {
      if (!from || !to) return periodRange('month', today);
      return from <= to ? { from, to } : { from: to, to: from };
    }
  }
}

/**
 * The range just before `r`, of the same length (for "compared with the previous period").
 *
 * @example
 * previousRange({ from: '2026-04-01', to: '2026-04-30' }) // { from: '2026-03-02', to: '2026-03-31' }
 */
export function previousRange(r: Range): Range {
  const days = daysBetween(r.from, r.to) + 1;
  return { from: addDays(r.from, -days), to: addDays(r.from, -1) };
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = split(a);
  const [by, bm, bd] = split(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / 86_400_000);
}

/**
 * The grain a chart over a range reads best in: days up to ~2 months, weeks up to ~9 months, months beyond.
 *
 * @example
 * grainFor({ from: '2026-01-01', to: '2026-12-31' }) // 'month'
 */
export function grainFor(r: Range): 'day' | 'week' | 'month' {
  const days = daysBetween(r.from, r.to) + 1;
  return days <= 62 ? 'day' : days <= 275 ? 'week' : 'month';
}

/** A valid `YYYY-MM-DD` (a real calendar day), else null. */
export function validDay(s: string | null | undefined): string | null {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const [y, m, d] = split(s);
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m) ? s : null;
}
