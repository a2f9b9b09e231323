/**
 * A streaming RFC 4180 CSV parser: quoted fields with embedded delimiters, quotes (`""`) and line
 * breaks, CRLF / LF / CR line ends. Text goes in chunk by chunk; complete records come out with the
 * line they start on, so errors can point at the file. Nothing but the unfinished record is kept.
 */
import { UserError } from '../../core/errors.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

export interface CsvParserOptions {
  /** Field separator; default `,`. */
  delimiter?: string;
  /** A record longer than this (an unclosed quote, usually) is an error. Default 4 MiB. */
  maxRecordChars?: number;
  /** File name for error messages. */
  file?: string;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Push text in, take records out.
 *
 * @example
 * const p = new CsvParser();
 * p.push('id,name\n1,"Smith, J');   // [{ fields: ['id', 'name'], line: 1 }]
 * p.push('ane"\r\n');               // [{ fields: ['1', 'Smith, Jane'], line: 2 }]
 * p.end();                           // []
 */
export class CsvParser {
  private readonly delim: number;
  private readonly maxRecordChars: number;
  private readonly file: string | undefined;
  private rest = '';
  /** Line number of the first character of `rest`. */
  private line = 1;

  constructor(opts: CsvParserOptions = {}) {
    const d = opts.delimiter ?? ',';
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') throw new Error(`bad CSV delimiter ${d}`);
    this.delim = d.charCodeAt(0);
    this.maxRecordChars = opts.maxRecordChars ?? 4 * 1024 * 1024;
    this.file = opts.file;
  }

  /** Parses every record completed by `chunk`. */
  push(chunk: string): CsvRecord[] {
    const text = this.rest === '' ? chunk : this.rest + chunk;
    const out: CsvRecord[] = [];
    const consumed = this.parse(text, false, out);
    this.rest = consumed === text.length ? '' : text.slice(consumed);
    if (this.rest.length > this.maxRecordChars) {
      throw new UserError(
        `a record is longer than ${this.maxRecordChars} characters (an unclosed quote?)`,
        this.where(),
      );
    }
    return out;
  }

  /** The last record when the text does not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.rest !== '') this.parse(this.rest, true, out);
    this.rest = '';
    return out;
  }

  private where(): { file?: string; line: number } {
    return this.file ? { file: this.file, line: this.line } : { line: this.line };
  }

  /**
   * Parses whole records from `text` into `out`; returns how many characters they used. With
   * `final`, the end of the text ends the last record (and an open quote is an error).
   */
  private parse(text: string, final: boolean, out: CsvRecord[]): number {
    const n = text.length;
    const delim = this.delim;
    let pos = 0;
    while (pos < n) {
      const startLine = this.line;
      let lines = 0;
      const fields: string[] = [];
      let i = pos;
      let done = false;
      for (;;) {
        // One field starting at i.
        if (i < n && text.charCodeAt(i) === QUOTE) {
          let value = '';
          let j = i + 1;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q === -1) {
              if (!final) return pos; // the closing quote is in a later chunk
              this.line += lines;
              throw new UserError('unclosed quoted field', this.where());
            }
            value += text.slice(j, q);
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              value += '"';
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) return pos; // `"` at the chunk's end: maybe `""`
            i = q + 1;
            break;
          }
          lines += countLineBreaks(value);
          // Text after the closing quote up to the separator is kept (lenient, like spreadsheets).
          let k = i;
          while (k < n) {
            const c = text.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          if (k > i) value += text.slice(i, k);
          i = k;
          fields.push(value);
        } else {
          let k = i;
          while (k < n) {
            const c = text.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          fields.push(text.slice(i, k));
          i = k;
        }
        // After a field: a separator, a line end, or the end of the text.
        if (i >= n) {
          if (!final) return pos;
          done = true;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === delim) {
          i++;
          if (i >= n && !final) return pos;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) return pos; // CR at the chunk's end: maybe CRLF
          i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
        } else i++; // LF
        lines++;
        done = true;
        break;
      }
      if (done) {
        out.push({ fields, line: startLine });
        this.line = startLine + lines;
        pos = i;
      }
    }
    return pos;
  }
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

/**
 * True when every field is blank (an empty line, or `,,,`).
 *
 * @example
 * isBlankRecord(['', ' ']); // true
 */
export function isBlankRecord(fields: readonly string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

/**
 * One CSV line for the given values (RFC 4180 quoting), without the line break.
 *
 * @example
 * csvLine(['a', 'b,c', 'say "hi"']); // 'a,"b,c","say ""hi"""'
 */
export function csvLine(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}
