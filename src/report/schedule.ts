/** When the weekly report is due: pure date arithmetic in the workspace's time zone. */
import { addDays, localDate, weekday, zonedToUtc } from '../core/time.js';
import { WEEKDAYS, type Weekday } from '../domain/share.js';

/** Monday = 0 … Sunday = 6, as WEEKDAYS lists them. */
function mondayIndex(date: string): number {
  return (weekday(date) + 6) % 7;
}

/**
 * The latest instant at or before `now` that is `day` at `hour`:00 in `tz`.
 *
 * @example
 * lastSlot(new Date('2026-12-02T10:00:00Z'), 'monday', 8, 'Europe/Warsaw').toISOString(); // '2026-11-30T07:00:00.000Z'
 */
export function lastSlot(now: Date, day: Weekday, hour: number, tz: string): Date {
  const today = localDate(now, tz);
  let back = (mondayIndex(today) - WEEKDAYS.indexOf(day) + 7) % 7;
  let slot = zonedToUtc(addDays(today, -back), tz, hour * 3600);
  if (slot.getTime() > now.getTime()) {
    back += 7;
    slot = zonedToUtc(addDays(today, -back), tz, hour * 3600);
  }
  return slot;
}

/** A report missed by more than this (the server was down) waits for the next week's slot. */
export const LATE_LIMIT_MS = 24 * 3600_000;

/**
 * Whether a report scheduled on `day` at `hour` in `tz` is due at `now`, given when one was last sent:
 * its latest slot has passed, less than a day ago, and nothing was sent since.
 *
 * @example
 * reportDue(new Date('2026-11-30T07:05:00Z'), null, 'monday', 8, 'Europe/Warsaw'); // true
 */
export function reportDue(now: Date, lastSent: Date | null, day: Weekday, hour: number, tz: string): boolean {
  const slot = lastSlot(now, day, hour, tz);
  if (now.getTime() - slot.getTime() >= LATE_LIMIT_MS) return false;
  return lastSent === null || lastSent.getTime() < slot.getTime();
}
