import { Failures, type Log, stderrLog } from '../../core/log.js';
import type { ContactRow } from '../../domain/crm.js';
import type { Workspace } from '../../domain/workspace.js';
import type { DuckDbStore } from '../duckdb/duckdb.store.js';
import type { JournalApplier, JournaledWrite } from '../duckdb/journal.apply.js';
import { JournalWriter, journalDir } from '../duckdb/journal.js';
import type { ColumnarTrackingBatch } from '../duckdb/tracking.merge.js';

export interface JournaledOptions {
  /**
   * Acknowledged events not yet in the tables above which acknowledgements wait for the tables again:
   * bounds memory and replay time. Default 100,000 (a few seconds of peak traffic, enough to ride out
   * a checkpoint).
   */
  maxBacklogEvents?: number;
  /** Events applied in one transaction at most. Default 50,000. */
  maxApplyEvents?: number;
  /** Bytes per journal segment before the next one starts. Default 64 MB. */
  segmentBytes?: number;
  /** Hears failures no caller awaits (applying to the tables); stderr by default. */
  log?: Log;
}

type Item =
  | {
      kind: 'write';
      op: number;
      write: JournaledWrite;
      events: number;
      synced: boolean | null;
      sync: Promise<boolean>;
    }
  | {
      kind: 'call';
      op: number;
      run: () => Promise<unknown>;
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
    };

const JOURNAL_WRITE = 'writing the tracking journal (tracking writes fail meanwhile)';
const JOURNAL_APPLY = 'applying journaled tracking writes to the tables';

/**
 * The database thread's ordering of work when tracking writes are journaled: a tracking write is
 * acknowledged once fsynced to the journal and applied to the tables later, with the writes queued
 * behind it, in one transaction; every other write runs in arrival order after the tracking writes
 * before it; a read first waits until everything that arrived before it is in the tables. So a
 * checkpoint (which stalls DuckDB's commits) stalls the applier, not the clients, while every reader
 * still sees what was acknowledged before it asked.
 *
 * @example
 * const q = await JournaledWrites.start(store);
 * await q.track(workspace, batch); // durable in the journal
 * const rows = await q.read(() => ws.query('SELECT count(*) AS n FROM @events')); // includes it
 */
export class JournaledWrites {
  private items: Item[] = [];
  private ops = 0;
  private done = 0;
  private backlog = 0;
  private looping = false;
  private stopped = false;
  private reached: Array<{ op: number; resolve: () => void }> = [];
  private roomWaiters: Array<() => void> = [];
  private readonly maxBacklog: number;
  private readonly maxApply: number;
  private readonly log: Log;
  /** Journal writes and table applies that failed: counted, and logged once a minute while they last. */
  readonly failures: Failures;

  private constructor(
    private readonly writer: JournalWriter,
    private readonly applier: JournalApplier,
    private appliedSeq: number,
    opts: JournaledOptions,
  ) {
    this.maxBacklog = opts.maxBacklogEvents ?? 100_000;
    this.maxApply = opts.maxApplyEvents ?? 50_000;
    this.log = opts.log ?? stderrLog;
    this.failures = new Failures(this.log);
  }

  /** Replays what an earlier run left (if `migrate` has not), then starts a new journal. */
  static async start(store: DuckDbStore, opts: JournaledOptions = {}): Promise<JournaledWrites> {
    const applier = store.journal;
    if (!applier) throw new Error('an in-memory database has no journal');
    await applier.replay();
    const applied = await applier.appliedSeq();
    const writer = JournalWriter.open(journalDir(store.path), await applier.nextSeq(), opts.segmentBytes);
    // Only now: a start that failed must leave the next attempt (or migrate) free to replay.
    applier.live = true;
    return new JournaledWrites(writer, applier, applied, opts);
  }

  /** Journals a tracking write; resolves once it is on disk (and the backlog has room). */
  async track(workspace: Workspace, batch: ColumnarTrackingBatch, payload: Buffer): Promise<void> {
    const { seq, synced } = this.writer.append(payload);
    const item: Item & { kind: 'write' } = {
      kind: 'write',
      op: ++this.ops,
      write: { seq, workspace, batch },
      events: batch.events.count,
      synced: null,
      sync: synced.then(
        () => {
          item.synced = true;
          this.backlog += item.events;
          return true;
        },
        () => {
          item.synced = false;
          return false;
        },
      ),
    };
    this.items.push(item);
    this.kick();
    await synced.then(
      () => this.failures.succeeded(JOURNAL_WRITE),
      (e: unknown) => {
        // The request fails with it too; the log hears it once a minute while it lasts, not per request.
        this.failures.failed(JOURNAL_WRITE, e, {
          seq,
          events: batch.events.count,
          workspace: workspace.slug,
        });
        throw e;
      },
    );
    while (this.backlog > this.maxBacklog) await new Promise<void>((r) => this.roomWaiters.push(r));
  }

  /** Runs a write after everything queued before it. */
  write<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({
        kind: 'call',
        op: ++this.ops,
        run,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.kick();
    });
  }

  /** Runs a read once everything that arrived before it is in the tables (reads run side by side). */
  async read<T>(run: () => Promise<T>): Promise<T> {
    await this.settled();
    return run();
  }

  /** Resolves once everything queued so far is applied (or has failed). */
  settled(): Promise<void> {
    const op = this.ops;
    if (this.done >= op) return Promise.resolve();
    return new Promise((resolve) => this.reached.push({ op, resolve }));
  }

  /**
   * The newest version of a contact among tracking writes not yet applied, `undefined` if none has
   * it (the tables are then up to date for that contact).
   */
  pendingContact(workspaceId: string, match: (c: ContactRow) => boolean): ContactRow | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const it = this.items[i];
      // Only durable writes: one still being fsynced may yet fail (the tracker holds its contacts).
      if (it?.kind !== 'write' || it.synced !== true || it.write.workspace.id !== workspaceId) continue;
      const cs = it.write.batch.contacts;
      for (let j = cs.length - 1; j >= 0; j--) {
        const c = cs[j] as ContactRow;
        if (match(c)) return c;
      }
    }
    return undefined;
  }

  /**
   * Applies everything queued, then closes the journal (deleting it: all is in the tables). If the
   * database keeps failing, gives up after `timeoutMs`: what is not applied stays in the journal for
   * the next start.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.settled().then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      this.stopped = true;
      this.log.warn(
        { events: this.backlog },
        'closing with journaled events not applied yet; the next start applies them',
      );
    }
    await this.writer.close(this.appliedSeq);
    this.applier.live = false;
  }

  private kick(): void {
    if (this.looping) return;
    this.looping = true;
    void this.loop().finally(() => {
      this.looping = false;
      if (this.items.length) this.kick();
    });
  }

  private async loop(): Promise<void> {
    for (;;) {
      const head = this.items[0];
      if (!head || this.stopped) return;
      if (head.kind === 'call') {
        try {
          head.resolve(await head.run());
        } catch (e) {
          head.reject(e);
        }
        this.items.shift();
        this.finish(head.op);
        continue;
      }
      if (!(await head.sync)) {
        this.items.shift();
        this.finish(head.op);
        continue;
      }
      // The head and the durable tracking writes right behind it, as one transaction.
      const chunk: JournaledWrite[] = [head.write];
      let events = head.events;
      let last = head;
      for (let i = 1; i < this.items.length && events < this.maxApply; i++) {
        const it = this.items[i];
        if (it?.kind !== 'write' || it.synced !== true) break;
        chunk.push(it.write);
        events += it.events;
        last = it;
      }
      try {
        await this.applier.apply(chunk);
      } catch (e) {
        // The database itself failed (disk full, …): the writes stay journaled; try again shortly.
        this.failures.failed(JOURNAL_APPLY, e, { writes: chunk.length, events, retryInMs: 1000 });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      this.failures.succeeded(JOURNAL_APPLY);
      this.items.splice(0, chunk.length);
      this.appliedSeq = last.write.seq;
      this.writer.release(this.appliedSeq);
      this.backlog -= events;
      if (this.backlog <= this.maxBacklog) for (const r of this.roomWaiters.splice(0)) r();
      this.finish(last.op);
    }
  }

  private finish(op: number): void {
    this.done = op;
    if (this.reached.length === 0) return;
    const still: typeof this.reached = [];
    for (const w of this.reached) {
      if (w.op <= op) w.resolve();
      else still.push(w);
    }
    this.reached = still;
  }
}
