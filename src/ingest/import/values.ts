/**
 * Cell values as exports write them → typed values. Generic files use ISO 8601; presets also accept
 * the spellings their tools export (`3/14/2026 9:05 AM`, `Mar 14, 2026`, `1,234.56`, `USD 1,200.00`).
 * Every parser returns null for a value it cannot read; the schemas turn that into a row error.
 */

import { instantInRange, MAX_DATE, MIN_DATE, zonedToUtc } from '../../core/time.js';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../../domain/crm.js';

/** `iso`: ISO 8601 only (generic files). `loose`: also US `M/D/YYYY` and month names (presets). */
export type DateStyle = 'iso' | 'loose';

export interface ValueContext {
  /** The workspace's time zone: times without an offset and bare dates are local to it. */
  tz: string;
  dates: DateStyle;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]\.?M\.?)?)?$/i;
const NAMED_RE =
  /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface Parts {
  y: number;
  m: number;
  d: number;
  seconds: number;
  ms: number;
  offset: string | null;
  hasTime: boolean;
}

const MIN_YEAR = Number(MIN_DATE.slice(0, 4));
const MAX_YEAR = Number(MAX_DATE.slice(0, 4));

function validDay(y: number, m: number, d: number): boolean {
  // The product's one date range (core/time.ts): a year outside it is no date an import may hold.
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function clock(h: string | undefined, min: string | undefined, s: string | undefined, ampm?: string) {
  if (h === undefined) return 0;
  let hour = Number(h);
  const minute = Number(min);
  const second = Number(s ?? 0);
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    const pm = ampm[0]?.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return hour * 3600 + minute * 60 + second;
}

function parts(text: string, style: DateStyle): Parts | null {
  const s = text.trim();
  let m = ISO_RE.exec(s);
  if (m) {
    const seconds = clock(m[4], m[5], m[6]);
    if (seconds === null) return null;
    const frac = m[7] ? Number(`0.${m[7]}`) : 0;
    return {
      y: Number(m[1]),
      m: Number(m[2]),
      d: Number(m[3]),
      seconds,
      ms: Math.round(frac * 1000),
      offset: m[8] ?? null,
      hasTime: m[4] !== undefined,
    };
  }
  if (style === 'iso') return null;
  m = US_RE.exec(s);
  if (m) {
    const seconds = clock(m[4], m[5], m[6], m[7]);
    if (seconds === null) return null;
    const base = { y: Number(m[3]), m: Number(m[1]), d: Number(m[2]), ms: 0, offset: null };
    return { ...base, seconds, hasTime: m[4] !== undefined };
  }
  m = NAMED_RE.exec(s);
  if (m) {
    const month = MONTHS.indexOf((m[1] ?? '').slice(0, 3).toLowerCase()) + 1;
    const seconds = clock(m[4], m[5], m[6], m[7]);
    if (month === 0 || seconds === null) return null;
    const base = { y: Number(m[3]), m: month, d: Number(m[2]), ms: 0, offset: null };
    return { ...base, seconds, hasTime: m[4] !== undefined };
  }
  return null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A date or date-time → the UTC instant. A time with an offset (`Z`, `+02:00`) is that instant; a
 * time without one, and a bare date (midnight), is local to the workspace's time zone.
 *
 * @example
 * parseInstantText('2026-03-14T09:30:00Z', { tz: 'Europe/Warsaw', dates: 'iso' }); // 09:30Z
 * parseInstantText('2026-03-14', { tz: 'Europe/Warsaw', dates: 'iso' });          // 2026-03-13T23:00Z
 * parseInstantText('3/14/2026 9:05 AM', { tz: 'UTC', dates: 'loose' });           // 2026-03-14T09:05Z
 */
export function parseInstantText(text: string, ctx: ValueContext): Date | null {
  const p = parts(text, ctx.dates);
  if (!p || !validDay(p.y, p.m, p.d)) return null;
  const date = `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
  if (p.offset) {
    const off = p.offset.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(p.offset);
    const ms = Date.parse(`${date}T${clockText(p.seconds)}.${pad(p.ms, 3)}${off}`);
    // The offset can carry a day in range out of it (2199-12-31T23:30-05:00 is in 2200).
    return instantInRange(ms) ? new Date(ms) : null;
  }
  const local = zonedToUtc(date, ctx.tz, p.seconds).getTime() + p.ms;
  return instantInRange(local) ? new Date(local) : null;
}

function normalizeOffset(o: string): string {
  const digits = o.slice(1).replace(':', '');
  return `${o[0]}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padEnd(2, '0')}`;
}

function clockText(seconds: number): string {
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/**
 * A calendar day `YYYY-MM-DD` (presets: also `3/14/2026`, `Mar 14, 2026`). A value with a time is
 * refused: a local date is what spend and social rows hold.
 *
 * @example
 * parseLocalDate('3/14/2026', 'loose'); // '2026-03-14'
 * parseLocalDate('2026-02-30', 'iso');  // null
 */
export function parseLocalDate(text: string, style: DateStyle): string | null {
  const p = parts(text, style);
  if (!p || p.hasTime || !validDay(p.y, p.m, p.d)) return null;
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

const PLAIN_NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/**
 * A number: `1234.5`, `-3`, `1e3`, or with thousands separators `1,234.56`. Not `1.234,56` (the
 * comma would be ambiguous), not blank.
 *
 * @example
 * parseNumber('1,234.56'); // 1234.56
 * parseNumber('12,5');     // null
 */
export function parseNumber(text: string): number | null {
  const s = text.trim();
  let n: number;
  if (PLAIN_NUMBER_RE.test(s)) n = Number(s);
  else if (GROUPED_RE.test(s)) n = Number(s.replace(/,/g, ''));
  else return null;
  return Number.isFinite(n) ? n : null;
}

/**
 * An amount as reports print it: a number, optionally after a currency symbol or ISO code
 * (`$1,200.00`, `USD 1,200.00`, `1200 EUR`). Returns the currency when one was written.
 *
 * @example
 * parseAmount('USD 1,200.00'); // { value: 1200, currency: 'USD' }
 * parseAmount('80');           // { value: 80, currency: null }
 */
export function parseAmount(text: string): { value: number; currency: string | null } | null {
  let s = text.trim();
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*(.+)$/.exec(s) ?? /^(.+?)\s*([A-Z]{3})$/.exec(s);
  if (code) {
    const [a, b] = [code[1] ?? '', code[2] ?? ''];
    currency = /^[A-Z]{3}$/.test(a) ? a : b;
    s = /^[A-Z]{3}$/.test(a) ? b : a;
  } else {
    const sign = s.startsWith('-') ? '-' : '';
    const body = sign ? s.slice(1) : s;
    const sym = SYMBOLS[body.charAt(0)];
    if (sym) {
      currency = sym;
      s = sign + body.slice(1).trim();
    }
  }
  const value = parseNumber(s);
  return value === null ? null : { value, currency };
}

/**
 * A whole, non-negative count (`12,345` too).
 *
 * @example
 * parseCount('12,345'); // 12345
 * parseCount('1.5');    // null
 */
export function parseCount(text: string): number | null {
  const n = parseNumber(text);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

/**
 * `true/false`, `1/0`, `yes/no` (any case) → boolean; anything else → null.
 *
 * @example
 * parseBool('Yes'); // true
 */
export function parseBool(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return null;
}

/** Letters and digits only, lower case: `Closed Won` → `closedwon`. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const STAGE_ALIASES: Readonly<Record<string, LifecycleStage>> = {
  ...Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, s])),
  marketingqualifiedlead: 'mql',
  marketingqualified: 'mql',
  salesacceptedlead: 'sal',
  salesaccepted: 'sal',
  salesqualifiedlead: 'sql',
  salesqualified: 'sql',
  evangelist: 'customer',
};

/**
 * A lifecycle stage by our id or the names CRMs use (`marketingqualifiedlead`, `Sales Qualified
 * Lead`, `Evangelist` → customer).
 *
 * @example
 * parseStage('Marketing Qualified Lead'); // 'mql'
 * parseStage('other');                    // null
 */
export function parseStage(text: string): LifecycleStage | null {
  return STAGE_ALIASES[squash(text)] ?? null;
}

/**
 * Won or lost from a deal stage name (`closedwon`, `Closed Won`, `closed_lost`, `Won`); null for
 * an open stage.
 *
 * @example
 * wonFromStage('Closed Won'); // true
 * wonFromStage('proposal');   // null
 */
export function wonFromStage(text: string): boolean | null {
  const s = squash(text);
  if (s === 'closedwon' || s === 'won') return true;
  if (s === 'closedlost' || s === 'lost') return false;
  return null;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A plausible e-mail address, lower-cased; null when it is not one. */
export function parseEmail(text: string): string | null {
  const s = text.trim().toLowerCase();
  return EMAIL_RE.test(s) && s.length <= 320 ? s : null;
}
