import { addDays, weekday } from '../core/time.js';

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year', 'total'] as const;
export type Grain = (typeof GRAINS)[number];

/** The start of the grain period containing `date` (weeks start on Monday, as in ISO 8601). */
export function periodStart(date: string, grain: Exclude<Grain, 'total'>): string {
  switch (grain) {
    case 'day':
      return date;
    case 'week':
      return addDays(date, -((weekday(date) + 6) % 7));
    case 'month':
      return `${date.slice(0, 7)}-01`;
    case 'quarter': {
      const m = Number(date.slice(5, 7));
      return `${date.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
    }
    case 'year':
      return `${date.slice(0, 4)}-01-01`;
  }
}

/**
 * Every period label of an inclusive range: the start of each grain period that overlaps it
 * (`total`: the range's first day). Data is always clipped to the range itself.
 *
 * @example
 * periods('2026-01-15', '2026-03-02', 'month'); // ['2026-01-01', '2026-02-01', '2026-03-01']
 */
export function periods(from: string, to: string, grain: Grain): string[] {
  if (grain === 'total') return [from];
  const out: string[] = [];
  let p = periodStart(from, grain);
  while (p <= to) {
    out.push(p);
    p = nextPeriod(p, grain);
  }
  return out;
}

function nextPeriod(p: string, grain: Exclude<Grain, 'total'>): string {
  if (grain === 'day') return addDays(p, 1);
  if (grain === 'week') return addDays(p, 7);
  const months = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7)) - 1 + months;
  return `${y + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}
