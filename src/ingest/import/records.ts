/**
 * An import file as a stream of records: CSV rows keyed by their header, or NDJSON objects, each
 * with the line it starts on and its original text (for the rejects file). Records come in batches
 * (one per chunk read) so a 10M-line file does not cost 10M awaits.
 */
import { UserError } from '../../core/errors.js';
import { DEPTH_REASON, exceedsDepth } from '../../core/json.js';
import { CsvParser, isBlankRecord } from './csv.parser.js';
import { type ImportFile, readLines, readText } from './text.source.js';

/** One problem with one row: the column it is about (as named in the file) and why. */
export interface CellIssue {
  column: string;
  reason: string;
}

export interface SourceRecord {
  ok: true;
  line: number;
  /** Column → value: CSV cells as text (trimmed), NDJSON values as parsed. */
  values: Record<string, unknown>;
  /** The row as written: CSV fields, or the NDJSON line. */
  raw: readonly string[] | string;
}

/** A row that could not even be read (bad JSON, wrong number of CSV fields). */
export interface UnreadableRecord {
  ok: false;
  line: number;
  issues: CellIssue[];
  raw: readonly string[] | string;
}

export type ReadItem = SourceRecord | UnreadableRecord;

/** How a CSV export lays out its rows, for exports with title lines, totals and footers. */
export interface CsvLayout {
  /** Whether a row is the header row. Default: the first non-blank row. */
  isHeader?: (fields: readonly string[]) => boolean;
  /** What the header must hold, for the message when none is found (`Day, Campaign, Cost`). */
  headerHint?: string;
  /** A data row, a row to leave out (`Total: …`), or the start of a footer. Default: data. */
  classify?: (fields: readonly string[], header: readonly string[]) => 'data' | 'skip' | 'end';
}

/** Rows searched for the header when a layout has title lines. */
const HEADER_SEARCH_ROWS = 50;

/**
 * Reads a file's records. After the first batch, `header` holds the CSV header (null for NDJSON).
 *
 * @example
 * const reader = new RecordReader(file, {});
 * for await (const batch of reader.batches()) for (const r of batch) if (r.ok) use(r.values);
 */
export class RecordReader {
  header: string[] | null = null;
  /** Line of the header row (CSV). */
  headerLine = 0;

  constructor(
    private readonly file: ImportFile,
    private readonly layout: CsvLayout = {},
  ) {}

  batches(onBytes?: (bytes: number) => void): AsyncGenerator<ReadItem[]> {
    return this.file.format === 'csv' ? this.csv(onBytes) : this.ndjson(onBytes);
  }

  private async *ndjson(onBytes?: (bytes: number) => void): AsyncGenerator<ReadItem[]> {
    for await (const lines of readLines(readText(this.file.path, onBytes))) {
      const out: ReadItem[] = [];
      for (const { text, line } of lines) {
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          const reason = `invalid JSON: ${(e as Error).message.replace(/^JSON\.parse: /, '')}`;
          out.push({ ok: false, line, issues: [{ column: '(line)', reason }], raw: text });
          continue;
        }
        const notObject = typeof value !== 'object' || value === null || Array.isArray(value);
        if (notObject || exceedsDepth(value)) {
          const reason = notObject ? 'not a JSON object' : DEPTH_REASON;
          out.push({ ok: false, line, issues: [{ column: '(line)', reason }], raw: text });
          continue;
        }
        out.push({ ok: true, line, values: value as Record<string, unknown>, raw: text });
      }
      if (out.length) yield out;
    }
  }

  private async *csv(onBytes?: (bytes: number) => void): AsyncGenerator<ReadItem[]> {
    const parser = new CsvParser({ delimiter: this.file.delimiter, file: this.file.name });
    const isHeader = this.layout.isHeader;
    const classify = this.layout.classify;
    let searched = 0;
    let ended = false;
    const take = (records: ReturnType<CsvParser['push']>): ReadItem[] => {
      const out: ReadItem[] = [];
      for (const { fields, line } of records) {
        if (ended) break;
        if (!this.header) {
          if (isBlankRecord(fields)) continue;
          if (!isHeader || isHeader(fields.map((f) => f.trim()))) {
            this.header = headerNames(fields);
            this.headerLine = line;
          } else if (++searched >= HEADER_SEARCH_ROWS) throw this.noHeader();
          continue;
        }
        const kind = classify ? classify(fields, this.header) : 'data';
        if (kind === 'end') {
          ended = true;
          break;
        }
        if (kind === 'skip' || isBlankRecord(fields)) continue;
        if (fields.length !== this.header.length) {
          const reason = `has ${fields.length} fields, the header has ${this.header.length}`;
          out.push({ ok: false, line, issues: [{ column: '(row)', reason }], raw: fields });
          continue;
        }
        const values: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++)
          values[this.header[i] as string] = (fields[i] as string).trim();
        out.push({ ok: true, line, values, raw: fields });
      }
      return out;
    };
    for await (const text of readText(this.file.path, onBytes)) {
      if (ended) continue; // keep reading so the byte count (progress) reaches the end
      const out = take(parser.push(text));
      if (out.length) yield out;
    }
    const out = take(parser.end());
    if (out.length) yield out;
    if (!this.header)
      throw this.layout.isHeader
        ? this.noHeader()
        : new UserError('the file is empty (no header row)', { file: this.file.name });
  }

  private noHeader(): UserError {
    const hint = this.layout.headerHint ? ` with ${this.layout.headerHint}` : '';
    return new UserError(`no header row${hint} in the first ${HEADER_SEARCH_ROWS} rows`, {
      file: this.file.name,
    });
  }
}

/**
 * Header cells → unique, trimmed column names (`Email`, `Email (2)`; a blank one is `column_3`).
 *
 * @example
 * headerNames(['\uFEFFEmail', 'Email', ' ']); // ['Email', 'Email (2)', 'column_3']
 */
export function headerNames(fields: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return fields.map((f, i) => {
    const base = f.replace(/^\uFEFF/, '').trim() || `column_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}
