/**
 * Reads path files in ChannelAttribution's layout (INTERFACE.md "Path files"):
 *
 *   path;total_conversions;total_conversion_value;total_null
 *   Search > Email > Direct;2;140.5;7
 *
 * Bytes are parsed in large chunks without splitting lines into strings: the separators are found
 * from the line end, the path is split into channel ids by a byte trie (PathTokenizer) and the id
 * sequence is summed into its distinct path (PathTableBuilder). No string is made per row and no
 * copy of the raw paths is kept. Columns are found by header name; `total_conversion_value` and
 * `total_null` may be absent (0).
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { viewOf } from './byte-interner.js';
import { PathFileError } from './errors.js';
import { ChannelDictionary, PathTableBuilder } from './path-table.js';
import { PathTokenizer } from './path-tokenizer.js';
import { isBlank, parseDecimal, parseDecimalBytes, splitQuoted } from './paths.fields.js';
import type { PathTable } from './types.js';

export interface PathFileOptions {
  /** Column separator, one ASCII character (default `;`). */
  sep?: string;
  /** Name used in error messages. */
  file?: string;
}

const CHUNK_BYTES = 1 << 20;
const NL = 10;
const CR = 13;
const QUOTE = 34;
const GT = 62;
const COLUMN_PATH = 'path';
const COLUMN_CONVERSIONS = 'total_conversions';
const COLUMN_VALUE = 'total_conversion_value';
const COLUMN_NULLS = 'total_null';

interface Columns {
  /** Columns in the header. */
  total: number;
  /** Columns a row needs: up to the last one read. */
  count: number;
  path: number;
  conversions: number;
  value: number;
  nulls: number;
  names: string[];
}

/**
 * Push-style parser: feed it chunks in order, then call finish().
 *
 * @example
 * const parser = new PathFileParser({ sep: ';' });
 * parser.push(Buffer.from('path;total_conversions;total_conversion_value;total_null\na > b;1;10;0\n'));
 * const table = parser.finish(); // table.size === 1
 */
export class PathFileParser {
  private readonly sep: number;
  private readonly sepChar: string;
  private readonly file: string | undefined;
  private line = 0;
  private columns: Columns | undefined;
  private pending: Buffer | undefined;
  private readonly dict = new ChannelDictionary();
  private readonly builder = new PathTableBuilder({ dedupe: true });
  private readonly tokenizer: PathTokenizer;
  /** Quoted paths may contain the separator: they get a tokenizer that allows it. */
  private quotedTokenizer: PathTokenizer | undefined;
  private fieldStart = new Int32Array(8);
  private fieldEnd = new Int32Array(8);
  private rows = 0;

  constructor(options: PathFileOptions = {}) {
    const sep = options.sep ?? ';';
    this.file = options.file;
    const code = sep.charCodeAt(0);
    if (sep.length !== 1 || code > 127 || code === QUOTE || code === GT || code === NL || code === CR) {
      throw new PathFileError(
        `the separator must be one ASCII character other than '"', '>' or a newline`,
        0,
        'sep',
        this.file,
      );
    }
    this.sep = code;
    this.sepChar = sep;
    this.tokenizer = new PathTokenizer(this.dict, code);
  }

  /** Parses the complete lines in `chunk`; keeps a trailing partial line for the next call. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.pending) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.pending = Buffer.concat([this.pending, buf]);
        return;
      }
      const line = Buffer.concat([this.pending, buf.subarray(0, nl + 1)]);
      this.pending = undefined;
      this.parseLines(line, 0, line.length);
      pos = nl + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last >= pos) {
      this.parseLines(buf, pos, last + 1);
      pos = last + 1;
    }
    if (pos < buf.length) this.pending = Buffer.from(buf.subarray(pos));
  }

  /** Parses the last line and returns the table of distinct paths. */
  finish(): PathTable {
    if (this.pending) {
      const line = Buffer.concat([this.pending, Buffer.from([NL])]);
      this.pending = undefined;
      this.parseLines(line, 0, line.length);
    }
    if (!this.columns) {
      throw new PathFileError(
        `empty file: expected the header ${COLUMN_PATH};${COLUMN_CONVERSIONS};…`,
        1,
        'header',
        this.file,
      );
    }
    return this.builder.build(this.dict.names, this.rows);
  }

  /**
   * Parses the lines in [start, end), which ends just after a newline. With the path in the first
   * column (the standard layout) the separators are found scanning back from the line end, so only
   * the tokenizer reads the path's bytes; quoted lines take the slow path.
   */
  private parseLines(buf: Buffer, start: number, end: number): void {
    // A plain Uint8Array view keeps element access monomorphic in the hot loop.
    const u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const dv = viewOf(u8);
    const { sep } = this;
    let nextQuote = buf.indexOf(QUOTE, start);
    let pos = start;
    while (pos < end) {
      const nl = buf.indexOf(NL, pos);
      const next = nl + 1;
      this.line++;
      let lineEnd = nl;
      if (lineEnd > pos && u8[lineEnd - 1] === CR) lineEnd--;
      const cols = this.columns;
      if (cols === undefined || isBlank(u8, pos, lineEnd)) {
        if (cols === undefined && !isBlank(u8, pos, lineEnd)) {
          this.columns = this.parseHeader(buf.toString('utf8', pos, lineEnd));
          this.fieldStart = new Int32Array(this.columns.total);
          this.fieldEnd = new Int32Array(this.columns.total);
        }
        pos = next;
        continue;
      }
      if (nextQuote >= 0 && nextQuote < nl) {
        this.parseQuotedLine(buf.toString('utf8', pos, lineEnd));
        nextQuote = buf.indexOf(QUOTE, next);
        pos = next;
        continue;
      }
      const fs = this.fieldStart;
      const fe = this.fieldEnd;
      const total = cols.total;
      if (cols.path === 0) {
        let k = total - 1;
        fe[k] = lineEnd;
        let i = lineEnd;
        while (k > 0) {
          i--;
          if (i < pos) this.missingField(total - k);
          if (u8[i] === sep) {
            fs[k] = i + 1;
            k--;
            fe[k] = i;
          }
        }
        fs[0] = pos;
      } else {
        let field = 0;
        fs[0] = pos;
        for (let i = pos; i < lineEnd; i++) {
          if (u8[i] === sep) {
            if (field < total) fe[field] = i;
            field++;
            if (field < total) fs[field] = i + 1;
          }
        }
        if (field < total) fe[field] = lineEnd;
        if (field + 1 < cols.count) this.missingField(field + 1);
      }
      const conv = this.number(u8, fs[cols.conversions]!, fe[cols.conversions]!, COLUMN_CONVERSIONS, true);
      const value =
        cols.value < 0 ? 0 : this.number(u8, fs[cols.value]!, fe[cols.value]!, COLUMN_VALUE, false);
      const nulls =
        cols.nulls < 0 ? 0 : this.number(u8, fs[cols.nulls]!, fe[cols.nulls]!, COLUMN_NULLS, true);
      this.addRow(this.tokenizer, u8, dv, fs[cols.path]!, fe[cols.path]!, conv, value, nulls);
      pos = next;
    }
  }

  private addRow(
    tokenizer: PathTokenizer,
    buf: Uint8Array,
    dv: DataView,
    ps: number,
    pe: number,
    conv: number,
    value: number,
    nulls: number,
  ): void {
    const problem = tokenizer.tokenize(buf, dv, ps, pe, this.builder.pendingTouches);
    if (problem === 'empty_channel') {
      const raw = Buffer.from(buf.buffer, buf.byteOffset + ps, pe - ps).toString('utf8');
      const what = raw.trim() === '' ? 'empty path' : `empty channel name in ${JSON.stringify(raw)}`;
      throw new PathFileError(what, this.line, COLUMN_PATH, this.file);
    }
    if (problem === 'separator_in_path') {
      throw new PathFileError(
        `more columns than the header's ${this.columns!.total} (quote a path that contains ${JSON.stringify(this.sepChar)})`,
        this.line,
        'row',
        this.file,
      );
    }
    this.builder.commit(conv, value, nulls);
    this.rows++;
  }

  /** The rare row with quotes: split as CSV with `""` escapes, then the usual checks. */
  private parseQuotedLine(text: string): void {
    const cols = this.columns!;
    const fields = splitQuoted(text, this.sepChar, this.line, this.file);
    if (fields.length < cols.count) this.missingField(fields.length);
    const num = (col: number, name: string, nonNegative: boolean): number =>
      col < 0 ? 0 : this.checkNumber(parseDecimal(fields[col]!), fields[col]!, name, nonNegative);
    const conv = num(cols.conversions, COLUMN_CONVERSIONS, true);
    const value = num(cols.value, COLUMN_VALUE, false);
    const nulls = num(cols.nulls, COLUMN_NULLS, true);
    const path = new Uint8Array(Buffer.from(fields[cols.path]!, 'utf8'));
    this.quotedTokenizer ??= new PathTokenizer(this.dict, -1);
    this.addRow(this.quotedTokenizer, path, viewOf(path), 0, path.length, conv, value, nulls);
  }

  private missingField(have: number): never {
    const cols = this.columns!;
    throw new PathFileError(
      `missing (the header has ${cols.total} columns, this row ${have})`,
      this.line,
      cols.names[have] ?? 'row',
      this.file,
    );
  }

  private number(buf: Uint8Array, start: number, end: number, name: string, nonNegative: boolean): number {
    // Most counts are one digit.
    if (end === start + 1) {
      const d = buf[start]! - 48;
      if (d >= 0 && d <= 9) return d;
    }
    const x = parseDecimalBytes(buf, start, end);
    if (!Number.isNaN(x) && (!nonNegative || x >= 0)) return x;
    return this.checkNumber(x, Buffer.from(buf.subarray(start, end)).toString('utf8'), name, nonNegative);
  }

  private checkNumber(x: number, text: string, name: string, nonNegative: boolean): number {
    if (Number.isNaN(x)) {
      throw new PathFileError(`${JSON.stringify(text.trim())} is not a number`, this.line, name, this.file);
    }
    if (nonNegative && x < 0) {
      throw new PathFileError(`must be 0 or more, got ${text.trim()}`, this.line, name, this.file);
    }
    return x;
  }

  private parseHeader(text: string): Columns {
    const names = splitQuoted(text.replace(/^\uFEFF/, ''), this.sepChar, this.line, this.file).map((n) =>
      n.trim().toLowerCase(),
    );
    const find = (name: string): number => names.indexOf(name);
    const cols: Columns = {
      total: names.length,
      count: 0,
      path: find(COLUMN_PATH),
      conversions: find(COLUMN_CONVERSIONS),
      value: find(COLUMN_VALUE),
      nulls: find(COLUMN_NULLS),
      names,
    };
    for (const [col, name] of [
      [cols.path, COLUMN_PATH],
      [cols.conversions, COLUMN_CONVERSIONS],
    ] as const) {
      if (col < 0) {
        const hint =
          names.length === 1 && /[,;\t|]/.test(text)
            ? ` (is the separator right? it is ${JSON.stringify(this.sepChar)})`
            : '';
        const s = this.sepChar;
        throw new PathFileError(
          `no column ${name}: expected ${COLUMN_PATH}${s}${COLUMN_CONVERSIONS}${s}${COLUMN_VALUE}${s}${COLUMN_NULLS}${hint}`,
          this.line,
          'header',
          this.file,
        );
      }
    }
    // Only the columns up to the last one we read must be present on each row.
    cols.count = Math.max(cols.path, cols.conversions, cols.value, cols.nulls) + 1;
    return cols;
  }
}

/**
 * Reads a path file with streaming chunk reads.
 *
 * @example
 * const table = await readPathFile('paths.csv', { sep: ';' });
 */
export async function readPathFile(
  file: string,
  options: Omit<PathFileOptions, 'file'> = {},
): Promise<PathTable> {
  const parser = new PathFileParser({ ...options, file });
  const handle = await open(file, 'r').catch((e: unknown) => {
    throw cannotRead(file, e);
  });
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      parser.push(buf.subarray(0, bytesRead));
    }
  } catch (e) {
    if (e instanceof PathFileError) throw e;
    throw cannotRead(file, e);
  } finally {
    await handle.close();
  }
  return parser.finish();
}

/** Synchronous readPathFile (fewer event-loop round trips; for the CLI and the bench). */
export function readPathFileSync(file: string, options: Omit<PathFileOptions, 'file'> = {}): PathTable {
  const parser = new PathFileParser({ ...options, file });
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      parser.push(buf.subarray(0, n));
    }
  } catch (e) {
    if (e instanceof PathFileError) throw e;
    throw cannotRead(file, e);
  } finally {
    closeSync(fd);
  }
  return parser.finish();
}

/**
 * Parses path-file text already in memory (an upload, a test).
 *
 * @example
 * parsePathText('path;total_conversions\na > b;1\n').channels; // ['a', 'b']
 */
export function parsePathText(text: string | Uint8Array, options: PathFileOptions = {}): PathTable {
  const parser = new PathFileParser(options);
  parser.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return parser.finish();
}

function cannotRead(file: string, e: unknown): PathFileError {
  const reason = e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e);
  return new PathFileError(`cannot read the file (${reason})`, 0, 'file', file);
}
