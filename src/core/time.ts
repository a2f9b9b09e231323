/**
 * Dates and time zones. A "date" is a local calendar day `YYYY-MM-DD` in a workspace's time zone; an
 * instant is a JS Date (UTC). Periods are inclusive local dates, turned into half-open UTC ranges.
 */
import { UserError } from './errors.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Validates `YYYY-MM-DD` (a real calendar day) and returns it. */
export function parseDate(s: string, field = 'date'): string {
  const m = DATE_RE.exec(s);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s) {
    throw new UserError(`${field} must be a date YYYY-MM-DD, got "${s}"`, { field });
  }
  return s;
}

/** `2026-01-31` + 1 → `2026-02-01`. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / MS_PER_DAY);
}

/** Day of week of a date, 0 = Sunday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at `instant`, in ms (New York in winter: -5 h). */
export function tzOffsetMs(instant: Date, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(instant))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The local calendar day of an instant in `tz`. */
export function localDate(instant: Date, tz: string): string {
  return new Date(instant.getTime() + tzOffsetMs(instant, tz)).toISOString().slice(0, 10);
}

/** Today in `tz`. */
export function today(tz: string, now = new Date()): string {
  return localDate(now, tz);
}

/**
 * The UTC instant of a local wall-clock time in `tz` (the first one, when DST repeats an hour).
 *
 * @example
 * zonedToUtc('2026-07-01', 'Europe/Warsaw').toISOString(); // '2026-06-30T22:00:00.000Z'
 */
export function zonedToUtc(date: string, tz: string, secondsOfDay = 0): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + secondsOfDay * 1000;
  // The offset at the wall-clock time read as UTC is right except within hours of a DST change;
  // one correction with the offset at the first estimate settles it.
  const first = wall - tzOffsetMs(new Date(wall), tz);
  return new Date(wall - tzOffsetMs(new Date(first), tz));
}

/** An inclusive local date range as a half-open UTC range [start, end). */
export function periodToUtc(from: string, to: string, tz: string): { start: Date; end: Date } {
  return { start: zonedToUtc(from, tz), end: zonedToUtc(addDays(to, 1), tz) };
}
