/**
 * The rejects file of `--skip-invalid`: `<input>.rejects.csv` beside the input, one row per bad row
 * with its line, column(s) and reason(s) followed by the row as it was (CSV: its fields under the
 * input's header; NDJSON: the line in a `record` column). Written as rejects are found.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { csvLine } from './csv.parser.js';
import type { CellIssue } from './records.js';

/**
 * @example
 * const w = new RejectsWriter('in.csv.rejects.csv', () => header);
 * await w.add(3, [{ column: 'email', reason: 'must be an e-mail address' }], fields);
 * await w.close(); // the path, or null when nothing was rejected
 */
export class RejectsWriter {
  private out: WriteStream | null = null;
  private buffer = '';
  count = 0;

  /** `header`: the input's CSV header, or null for NDJSON. */
  constructor(
    readonly path: string,
    private readonly header: () => readonly string[] | null,
  ) {}

  async add(line: number, issues: readonly CellIssue[], raw: readonly string[] | string): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path);
      const header = this.header();
      this.buffer += `${csvLine(['line', 'column', 'reason', ...(header ?? ['record'])])}\n`;
    }
    const column = [...new Set(issues.map((i) => i.column))].join('; ');
    const reason = issues.map((i) => (issues.length > 1 ? `${i.column}: ${i.reason}` : i.reason)).join('; ');
    const original = typeof raw === 'string' ? [raw] : raw;
    this.buffer += `${csvLine([String(line), column, reason, ...original])}\n`;
    this.count++;
    if (this.buffer.length > 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.out || this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Finishes the file; returns its path, or null when there was nothing to reject. */
  async close(): Promise<string | null> {
    if (!this.out) return null;
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
    this.out = null;
    return this.path;
  }
}
