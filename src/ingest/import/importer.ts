/**
 * One import, in two streaming passes so that a file with a bad row writes nothing: pass 1 reads and
 * validates every row (and checks references against the store) without writing; pass 2, run only
 * when pass 1 found no bad row or `skipInvalid` is set, reads the file again and writes valid rows in
 * batches. Events files not in time order get a sort pass between the two (event.sorter.ts).
 */
import { rm } from 'node:fs/promises';
import { UserError } from '../../core/errors.js';
import type { WorkspaceStore } from '../../store/store.js';
import { compileChannelRules } from '../channels.js';
import { contactsHandler } from './contacts.import.js';
import { dealsHandler } from './deals.import.js';
import { emailHandler } from './email.import.js';
import { EventSorter } from './event.sorter.js';
import { EVENT_ORDER_TOLERANCE_MS, eventsHandler } from './events.import.js';
import { genericMapper, presetMapper, type RowMapper } from './mapping.js';
import { presetFor } from './presets/index.js';
import { type EventsPreset, hasColumns, type TabularPreset } from './presets/preset.js';
import { type CellIssue, type ReadItem, RecordReader } from './records.js';
import { RejectsWriter } from './rejects.writer.js';
import { rowSchemas } from './schemas.js';
import { socialHandler, spendHandler } from './spend.import.js';
import type { ImportFile } from './text.source.js';
import type { Counts, ImportContext, ImportKind, KindHandler, RowIssue } from './types.js';
import { type ImportWarning, WarningLog } from './warnings.js';

export type ImportPhase = 'validating' | 'sorting' | 'importing';

/** Progress callbacks (a terminal progress bar, or nothing). */
export interface ImportProgress {
  phase(phase: ImportPhase, totalBytes: number): void;
  update(bytes: number, rows: number): void;
  done(): void;
}

export interface ImportOptions {
  kind: ImportKind;
  file: ImportFile;
  preset?: string | null;
  skipInvalid?: boolean;
  /** Rejects file with `skipInvalid` (default `<input>.rejects.csv`); null: none. */
  rejectsPath?: string | null;
  progress?: ImportProgress;
  /** Bad rows kept in the result for listing (all are counted). Default 50. */
  keepIssues?: number;
  /** Rows per write batch. Default 20,000. */
  batchSize?: number;
  /** Lines per sorted run when an events file must be sorted. */
  sortRunSize?: number;
  now?: Date;
}

/** The summary printed at the end (snake_case, like every JSON the CLI prints). */
export interface ImportSummary {
  kind: ImportKind;
  preset: string | null;
  file: string;
  /** Data rows read (title lines, headers, totals and blank lines not counted). */
  rows: number;
  imported: number;
  updated: number;
  skipped: number;
  rejected: number;
  conflicts: number;
  history: number;
  sessions: number;
  identities: number;
  contacts: number;
  seconds: number;
  rejects_file: string | null;
  /** Rows whose stage (or lead status) no map knows, and how many rows had each value. */
  unmapped_stages: number;
  unmapped_stage_values: Record<string, number>;
  /** Deals: stored without their contact (not imported yet). */
  unlinked_deals: number;
  /** Contacts: deals imported earlier that this import linked to their contact. */
  linked_deals: number;
  /** Rows imported with a warning, grouped (docs/imports.md, "Warnings"). */
  warnings: ImportWarning[];
}

export interface ImportResult {
  summary: ImportSummary;
  /** The first bad rows (`keepIssues`), in file order. */
  issues: RowIssue[];
  /** False when bad rows stopped the import before anything was written. */
  committed: boolean;
}

const locks = new Map<string, Promise<unknown>>();

/** Imports of one workspace run one at a time (their duplicate checks read what the other writes). */
function exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return next;
}

/**
 * Imports a file into a workspace.
 *
 * @example
 * const file = await importFile('hubspot.csv');
 * const r = await runImport(ws, { kind: 'contacts', file, preset: 'hubspot-contacts' });
 * if (!r.committed) for (const i of r.issues) console.error(`${i.line}: ${i.column}: ${i.reason}`);
 */
export function runImport(ws: WorkspaceStore, opts: ImportOptions): Promise<ImportResult> {
  return exclusive(ws.workspace.id, () => new Import(ws, opts).run());
}

type Pending = { item: unknown; line: number; raw: readonly string[] | string };

class Import {
  private readonly preset: TabularPreset | EventsPreset | null;
  private readonly ctx: ImportContext;
  private readonly batchSize: number;
  private readonly issues: RowIssue[] = [];
  private rejected = 0;
  private rows = 0;
  private mapper: RowMapper | null = null;
  private handler: KindHandler<unknown, never> | null = null;
  private rejects: RejectsWriter | null = null;
  private reader: RecordReader | null = null;
  /** Pass 1: whether some event is earlier than the latest one before it by more than the tolerance. */
  private outOfOrder = false;
  private latest = Number.NEGATIVE_INFINITY;
  /** The batch being written (pass 2). */
  private writing: Promise<void> = Promise.resolve();
  /** Warnings of the pass that writes (pass 1 sees the same rows: its warnings are not kept). */
  private readonly warnings = new WarningLog();
  private keepWarnings = false;

  constructor(
    private readonly ws: WorkspaceStore,
    private readonly opts: ImportOptions,
  ) {
    const { kind, file } = opts;
    this.preset = opts.preset ? (presetFor(kind, opts.preset) as TabularPreset | EventsPreset) : null;
    if (kind === 'events' && file.format !== 'ndjson')
      throw new UserError('events are imported from NDJSON (one JSON message per line)', { file: file.name });
    if (this.preset && this.preset.format !== file.format)
      throw new UserError(`preset ${this.preset.name} reads ${this.preset.format.toUpperCase()} files`, {
        file: file.name,
      });
    const w = ws.workspace;
    this.ctx = {
      ws,
      tz: w.timezone,
      currency: w.currency,
      rules: compileChannelRules(w.settings.channelRules),
      dates: this.preset?.kind !== 'events' && this.preset ? this.preset.dates : 'iso',
      reason: `import:${file.name}`,
      now: opts.now ?? new Date(),
      warn: (w) => {
        if (this.keepWarnings) this.warnings.add(w);
      },
    };
    this.batchSize = opts.batchSize ?? 20_000;
  }

  async run(): Promise<ImportResult> {
    const started = Date.now();
    const { file, progress, skipInvalid } = this.opts;
    const rejectsPath = skipInvalid ? (this.opts.rejectsPath ?? `${file.path}.rejects.csv`) : null;
    if (rejectsPath) {
      await rm(rejectsPath, { force: true });
      this.rejects = new RejectsWriter(rejectsPath, () => this.reader?.header ?? null);
    }
    let rejectsFile: string | null = null;
    let sorter: EventSorter | null = null;
    const counts = () => (this.handler as KindHandler<unknown, never> | null)?.counts;
    try {
      progress?.phase('validating', file.size);
      await this.pass(this.records(), false);
      rejectsFile = (await this.rejects?.close()) ?? null;
      const committed = this.rejected === 0 || skipInvalid === true;
      if (committed) {
        this.handler = null;
        if (this.outOfOrder) {
          progress?.phase('sorting', file.size);
          sorter = await this.sort();
        }
        const source = sorter ? sortedRecords(sorter) : this.records();
        const rows = this.rows;
        this.rows = 0;
        progress?.phase('importing', file.size);
        this.keepWarnings = true;
        // The write pass is one transaction: killed halfway (kill -9, a full disk), the workspace
        // is as it was before the import, and a rerun imports the file whole.
        const write = async () => {
          await this.pass(source, true);
          await this.writing;
          await (this.handler as KindHandler<unknown, never> | null)?.finish();
        };
        await (this.ws.atomically ? this.ws.atomically(write) : write());
        this.rows = rows;
      }
      return {
        summary: this.summary(counts(), started, rejectsFile),
        issues: this.issues.sort((a, b) => a.line - b.line),
        committed,
      };
    } finally {
      sorter?.dispose();
      await this.rejects?.close();
      progress?.done();
    }
  }

  private summary(c: Counts | undefined, started: number, rejectsFile: string | null): ImportSummary {
    return {
      kind: this.opts.kind,
      preset: this.preset?.name ?? null,
      file: this.opts.file.name,
      rows: this.rows,
      imported: c?.imported ?? 0,
      updated: c?.updated ?? 0,
      skipped: c?.skipped ?? 0,
      rejected: this.rejected,
      conflicts: c?.conflicts ?? 0,
      history: c?.history ?? 0,
      sessions: c?.sessions ?? 0,
      identities: c?.identities ?? 0,
      contacts: c?.contacts ?? 0,
      seconds: Math.round((Date.now() - started) / 10) / 100,
      rejects_file: rejectsFile,
      unmapped_stages: this.warnings.unmappedStages().rows,
      unmapped_stage_values: this.warnings.unmappedStages().values,
      unlinked_deals: c?.unlinked ?? 0,
      linked_deals: c?.linked ?? 0,
      warnings: this.warnings.groups(),
    };
  }

  private records(): AsyncGenerator<ReadItem[]> {
    const p = this.preset;
    const tabular = p && p.kind !== 'events' ? p : null;
    this.reader = new RecordReader(
      this.opts.file,
      tabular
        ? {
            isHeader: (fields) => hasColumns(fields, tabular.required),
            headerHint: `the columns of a ${tabular.name} export (${tabular.required
              .map((r) => (typeof r === 'string' ? r : 'Amount spent (CUR)'))
              .join(', ')})`,
            ...(tabular.layout?.classify ? { classify: tabular.layout.classify } : {}),
          }
        : {},
    );
    return this.reader.batches((bytes) => this.opts.progress?.update(bytes, this.rows));
  }

  /** The handler for this kind, made once the CSV header is known. */
  private handlerFor(header: readonly string[] | null): KindHandler<unknown, never> {
    if (this.handler) return this.handler;
    const { kind, file } = this.opts;
    if (kind === 'events') {
      const preset = this.preset?.kind === 'events' ? this.preset : undefined;
      this.handler = eventsHandler(this.ctx, preset) as unknown as KindHandler<unknown, never>;
      return this.handler;
    }
    const tabular = this.preset?.kind === kind ? (this.preset as TabularPreset) : null;
    this.mapper = tabular && header ? presetMapper(tabular, header) : genericMapper(kind, header, file.name);
    const schemas = rowSchemas({ tz: this.ctx.tz, dates: this.ctx.dates });
    const make = {
      contacts: contactsHandler,
      deals: dealsHandler,
      spend: spendHandler,
      email: emailHandler,
      social: socialHandler,
    }[kind];
    this.handler = make(this.ctx, schemas, this.mapper) as unknown as KindHandler<unknown, never>;
    return this.handler;
  }

  private async reject(
    line: number,
    issues: readonly CellIssue[],
    raw: readonly string[] | string,
    record: boolean,
  ) {
    if (!record) return; // pass 2 meets pass 1's rejects again: already counted and written
    this.rejected++;
    const keep = this.opts.keepIssues ?? 50;
    for (const i of issues) if (this.issues.length < keep) this.issues.push({ line, ...i });
    await this.rejects?.add(line, issues, raw);
  }

  /** Reads, validates and (when `write`) writes every record of `source`. */
  private async pass(source: AsyncGenerator<ReadItem[]>, write: boolean): Promise<void> {
    let pending: Pending[] = [];
    const firstPass = !write;
    for await (const batch of source) {
      const handler = this.handlerFor(this.reader?.header ?? null);
      for (const rec of batch) {
        this.rows++;
        if (!rec.ok) {
          await this.reject(rec.line, rec.issues, rec.raw, firstPass);
          continue;
        }
        let input: unknown = rec.values;
        if (this.mapper) {
          const m = this.mapper.map(rec.values);
          if (m === 'skip') {
            this.rows--;
            continue;
          }
          if (!m.ok) {
            await this.reject(rec.line, [m.issue], rec.raw, firstPass);
            continue;
          }
          input = m.row;
        }
        if (firstPass && handler.validate) {
          const v = handler.validate(input as never, rec.line);
          if (!v.ok) await this.reject(rec.line, v.issues, rec.raw, true);
          else this.observeTime(v.time);
          continue;
        }
        const parsed = handler.parse(input as never, rec.line);
        if (!parsed.ok) {
          await this.reject(rec.line, parsed.issues, rec.raw, firstPass);
          continue;
        }
        pending.push({ item: parsed.item, line: rec.line, raw: rec.raw });
        if (pending.length >= this.batchSize) {
          await this.flush(handler, pending, write);
          pending = [];
        }
      }
    }
    const handler = this.handlerFor(this.reader?.header ?? null);
    await this.flush(handler, pending, write);
  }

  private async flush(
    handler: KindHandler<unknown, never>,
    pending: Pending[],
    write: boolean,
  ): Promise<void> {
    if (pending.length === 0) return;
    let valid = pending;
    if (handler.check) {
      const problems = await handler.check(pending.map((p) => p.item));
      if (problems.size) {
        valid = [];
        for (const [i, p] of pending.entries()) {
          const issues = problems.get(i);
          if (issues) await this.reject(p.line, issues, p.raw, !write);
          else valid.push(p);
        }
      }
    }
    if (!write) {
      if (handler.timeOf) for (const p of valid) this.observeTime(handler.timeOf(p.item));
      return;
    }
    // One write in flight while the next batch is read and validated: batches are written in order,
    // each after the one before it (a batch's duplicate checks read what the previous one wrote).
    await this.writing;
    const items = valid.map((p) => p.item);
    this.writing = handler.write(items);
    this.writing.catch(() => undefined); // awaited by the next flush or the end of the pass
  }

  /** Pass 1: notes an event time, to tell whether the file needs sorting. */
  private observeTime(t: number): void {
    if (t < this.latest - EVENT_ORDER_TOLERANCE_MS) this.outOfOrder = true;
    if (t > this.latest) this.latest = t;
  }

  /** Events files out of time order: every valid line into sorted runs, by event time. */
  private async sort(): Promise<EventSorter> {
    const sorter = new EventSorter(this.opts.sortRunSize);
    const handler = this.handlerFor(null);
    for await (const batch of this.records()) {
      for (const rec of batch) {
        if (!rec.ok || typeof rec.raw !== 'string') continue;
        const parsed = handler.parse(rec.values as never, rec.line);
        if (parsed.ok && handler.timeOf) await sorter.add(handler.timeOf(parsed.item), rec.line, rec.raw);
      }
    }
    return sorter;
  }
}

/** A sorter's lines as records again. */
async function* sortedRecords(sorter: EventSorter): AsyncGenerator<ReadItem[]> {
  for await (const lines of sorter.sorted()) {
    yield lines.map(({ line, text }) => ({
      ok: true as const,
      line,
      values: JSON.parse(text) as Record<string, unknown>,
      raw: text,
    }));
  }
}
