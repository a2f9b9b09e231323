/**
 * Event time per the Segment spec: clients' clocks are often wrong, so when the client says both
 * when the event happened (`timestamp`) and when it sent it (`sentAt`), only the difference between
 * the two is trusted and it is applied to the server's own clock (`receivedAt`).
 */

import { instantInRange } from '../core/time.js';

/** An ISO-8601 instant with a time but no offset: read as UTC so the server's TZ never matters. */
const NO_OFFSET_RE = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * Reads a client-supplied instant: an ISO-8601 string (an offset-less time counts as UTC) or epoch
 * milliseconds. Returns null when it is not a usable instant (unparseable, or outside the product's
 * date range, 1970-01-01 to 2199-12-31: see `MIN_DATE` in core/time.ts).
 *
 * @example
 * parseInstant('2026-03-01T10:00:00+01:00')?.toISOString(); // '2026-03-01T09:00:00.000Z'
 * parseInstant('2026-03-01T10:00:00')?.toISOString();       // '2026-03-01T10:00:00.000Z'
 * parseInstant('yesterday');                                  // null
 */
export function parseInstant(value: string | number | Date): Date | null {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else {
    const text = value.trim();
    if (text === '') return null;
    ms = Date.parse(NO_OFFSET_RE.test(text) ? `${text}Z` : text);
  }
  if (!instantInRange(ms)) return null;
  return new Date(ms);
}

export interface TimestampInput {
  /** The client's event time (`timestamp`, else `originalTimestamp`). */
  timestamp?: Date | null;
  /** When the client sent the request, by the client's clock. */
  sentAt?: Date | null;
  /** When the server received it, by the server's clock. */
  receivedAt: Date;
}

/**
 * The stored event time.
 * - `timestamp` and `sentAt` both known: `receivedAt - (sentAt - timestamp)` (clock-skew correction);
 * - only `timestamp`: kept as sent, so historical imports land on their original dates;
 * - no `timestamp`: `receivedAt`.
 *
 * @example
 * correctTimestamp({
 *   timestamp: new Date('2026-01-01T10:00:00Z'),
 *   sentAt: new Date('2026-01-01T10:00:05Z'),     // client clock 1 h fast, event 5 s old
 *   receivedAt: new Date('2026-01-01T09:00:06Z'),
 * }).toISOString(); // '2026-01-01T09:00:01.000Z'
 */
export function correctTimestamp(input: TimestampInput): Date {
  const { timestamp, sentAt, receivedAt } = input;
  if (!timestamp) return new Date(receivedAt.getTime());
  if (!sentAt) return new Date(timestamp.getTime());
  const corrected = receivedAt.getTime() - (sentAt.getTime() - timestamp.getTime());
  // A skew so large that the correction leaves the accepted range is no clock error to correct.
  return new Date(instantInRange(corrected) ? corrected : timestamp.getTime());
}
