/**
 * Field-level helpers of the path-file reader: numbers straight from bytes, blank lines, and the
 * rare quoted line.
 */
import { PathFileError } from './errors.js';

const TAB = 9;
const SPACE = 32;
const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Only spaces and tabs in bytes [start, end).
 *
 * @example
 * isBlank(new Uint8Array([32, 9]), 0, 2); // true
 */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b !== SPACE && b !== TAB) return false;
  }
  return true;
}

/**
 * A plain decimal from bytes without allocating: integers and fixed-point numbers of up to 15
 * digits exactly (an exact integer over an exact power of ten rounds once, like Number()); anything
 * else through Number(). NaN when it is not a decimal number.
 *
 * @example
 * parseDecimalBytes(new Uint8Array(Buffer.from('12.5')), 0, 4); // 12.5
 */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
  if (s === e) return Number.NaN;
  let i = s;
  const neg = buf[i] === 45;
  if (neg || buf[i] === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 1;
  let seenDigit = false;
  while (i < e) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
    seenDigit = true;
    i++;
  }
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      scale *= 10;
      digits++;
      seenDigit = true;
      i++;
    }
  }
  if (i === e && seenDigit && digits <= 15) {
    const x = scale === 1 ? mantissa : mantissa / scale;
    return neg ? -x : x;
  }
  return parseDecimal(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1'));
}

/**
 * Number(text) for plain decimals (with optional exponent); NaN for anything else (hex, '', 'Infinity').
 *
 * @example
 * parseDecimal(' 1e3 '); // 1000
 * parseDecimal('0x10'); // NaN
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL_RE.test(t) ? Number(t) : Number.NaN;
}

/**
 * Splits one line on `sep`, honouring double quotes with `""` escapes.
 *
 * @example
 * splitQuoted('"a;b";1', ';', 2, undefined); // ['a;b', '1']
 */
export function splitQuoted(text: string, sep: string, line: number, file: string | undefined): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    while (i < text.length && (text[i] === ' ' || text[i] === '\t') && text[i] !== sep) i++;
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new PathFileError('unterminated quote', line, 'row', file);
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const next = text.indexOf(sep, i);
      i = next < 0 ? text.length : next;
    } else {
      const next = text.indexOf(sep, i);
      field = text.slice(i, next < 0 ? text.length : next);
      i = next < 0 ? text.length : next;
    }
    out.push(field);
    if (i >= text.length) return out;
    i++; // past the separator
    if (i === text.length) {
      out.push('');
      return out;
    }
  }
}
