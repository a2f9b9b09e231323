/**
 * Dates and time zones. A "date" is a local calendar day `YYYY-MM-DD` in a workspace's time zone; an
 * instant is a JS Date (UTC). Periods are inclusive local dates, turned into half-open UTC ranges.
 */
import { UserError } from './errors.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * The one range of dates the product accepts anywhere (API, CLI, YAML plans, imports, tracking
 * timestamps). Outside it a date is refused, so nothing downstream meets years it cannot label
 * (`+010000-01`) or ranges whose work grows without bound.
 */
export const MIN_DATE = '1970-01-01';
export const MAX_DATE = '2199-12-31';
/** The first and last instants of the accepted range (UTC). */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(2199, 11, 31, 23, 59, 59, 999);

/** Whether a UTC instant (ms) lies in the accepted range. */
export function instantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

/** Whether a `YYYY-MM-DD` text lies in the accepted range (string order is date order there). */
export function dateInRange(date: string): boolean {
  return date >= MIN_DATE && date <= MAX_DATE;
}

/**
 * Whether a text is a real calendar day `YYYY-MM-DD` within the accepted range.
 *
 * @example
 * isDate('2027-03-31'); // true
 * isDate('2027-31-03'); // false (no month 31)
 */
export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s && dateInRange(s);
}

/**
 * Validates `YYYY-MM-DD` (a real calendar day within MIN_DATE..MAX_DATE) and returns it.
 *
 * @example
 * parseDate('2026-03-31', 'to'); // '2026-03-31'
 * parseDate('2026-31-03', 'to'); // throws UserError: to must be a date YYYY-MM-DD, got "2026-31-03"
 * parseDate('9999-12-31', 'to'); // throws UserError: to must be between 1970-01-01 and 2199-12-31 …
 */
export function parseDate(s: string, field = 'date'): string {
  if (typeof s !== 'string') throw new UserError(`${field} must be a date YYYY-MM-DD`, { field });
  const m = DATE_RE.exec(s);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s) {
    throw new UserError(`${field} must be a date YYYY-MM-DD, got "${String(s).slice(0, 40)}"`, { field });
  }
  if (!dateInRange(s))
    throw new UserError(`${field} must be between ${MIN_DATE} and ${MAX_DATE}, got ${s}`, { field });
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
