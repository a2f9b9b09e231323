import { UserError } from '../core/errors.js';
import { addDays, daysBetween, weekday } from '../core/time.js';

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
  const count = periodCount(from, to, grain);
  if (count > MAX_PERIODS)
    throw new UserError(
      `${from} to ${to} by ${grain} is ${count.toLocaleString('en-US')} periods; at most ${MAX_PERIODS.toLocaleString('en-US')} are served (choose a coarser grain or a shorter range)`,
      { field: 'grain' },
    );
  const out: string[] = [];
  let p = periodStart(from, grain);
  // Counted, not compared: the loop ends after `count` steps whatever the labels look like.
  for (let i = 0; i < count; i++) {
    out.push(p);
    p = nextPeriod(p, grain);
  }
  return out;
}

/** The most periods one request may produce (a series, a chart, a pacing path). */
export const MAX_PERIODS = 10_000;

/**
 * How many grain periods overlap an inclusive range, by arithmetic (no loop), so a request is
 * refused before anything grows with its length.
 *
 * @example
 * periodCount('2026-01-15', '2026-03-02', 'month'); // 3
 * periodCount('2026-01-01', '2026-12-31', 'week');  // 53 (Monday 2025-12-29 to Monday 2026-12-28)
 */
export function periodCount(from: string, to: string, grain: Grain): number {
  if (to < from) return 0;
  switch (grain) {
    case 'total':
      return 1;
    case 'day':
      return daysBetween(from, to) + 1;
    case 'week':
      return daysBetween(periodStart(from, 'week'), periodStart(to, 'week')) / 7 + 1;
    default: {
      const months = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
      const index = (d: string) =>
        Math.floor((Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1) / months);
      return index(to) - index(from) + 1;
    }
  }
}

function nextPeriod(p: string, grain: Exclude<Grain, 'total'>): string {
  if (grain === 'day') return addDays(p, 1);
  if (grain === 'week') return addDays(p, 7);
  const months = grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12;
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7)) - 1 + months;
  return `${String(y + Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}
