import { deserialize, serialize } from 'node:v8';
import type { Workspace } from '../../domain/workspace.js';
import type { Db } from './db.js';
import { clearJournal, type JournalRecord, quarantineRecord, readJournal } from './journal.js';
import { type ColumnarTrackingBatch, mergeTracking } from './tracking.merge.js';
import { DuckDbWorkspaceStore } from './workspace.store.js';

/** One acknowledged tracking write as the journal keeps it. */
export interface JournaledWrite {
  seq: number;
  workspace: Workspace;
  batch: ColumnarTrackingBatch;
}

/** The journal payload of a write: structured clone keeps Dates, so rows come back as they went in. */
export function encodeWrite(workspace: Workspace, batch: ColumnarTrackingBatch): Buffer {
  return serialize({ workspace, batch });
}

export function decodeWrite(r: JournalRecord): JournaledWrite {
  const { workspace, batch } = deserialize(r.payload) as Omit<JournaledWrite, 'seq'>;
  return { seq: r.seq, workspace, batch };
}

/** Events in a replay transaction: large enough to amortize the commit, small enough for memory. */
const REPLAY_EVENTS = 50_000;

/**
 * Applies journaled tracking writes to the tables: a run of them in one transaction, which also
 * records the last sequence number applied, so a replay after a crash skips exactly what is already
 * in. A write the tables refuse is retried alone; if it still fails it is quarantined (kept in the
 * journal's `quarantine/` folder, and logged) so it cannot block every later write.
 *
 * @example
 * const applier = new JournalApplier(db, journalDir(path), console.error);
 * await applier.replay(); // at open: whatever a killed server acknowledged but had not applied
 */
export class JournalApplier {
  /** Set while a server journals into the directory: a replay then would apply its live records. */
  live = false;
  private replaying: Promise<{ writes: number; events: number }> | null = null;
  private highestSeen = 0;

  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly log: (msg: string) => void,
  ) {}

  async appliedSeq(): Promise<number> {
    const rows = await this.db.all<{ s: number }>('SELECT applied_seq AS s FROM journal_state WHERE id = 1');
    return rows[0]?.s ?? 0;
  }

  /**
   * Applies `writes` (in sequence order), skipping any already applied, so a retry after a partial
   * failure never applies a write twice. Throws if the database itself fails (disk, memory), and the
   * caller retries; a write the tables refuse is quarantined instead.
   */
  async apply(writes: readonly JournaledWrite[]): Promise<void> {
    if (writes.length === 0) return;
    try {
      await this.db.transaction(async (c) => {
        const done = Number((await this.db.allOn<{ s: number }>(c, APPLIED))[0]?.s ?? 0);
        const todo = writes.filter((w) => w.seq > done);
        const last = todo.at(-1);
        if (!last) return;
        const byWs = new Map<string, { ws: Workspace; batches: ColumnarTrackingBatch[] }>();
        for (const w of todo) {
          const g = byWs.get(w.workspace.id) ?? { ws: w.workspace, batches: [] };
          g.batches.push(w.batch);
          byWs.set(w.workspace.id, g);
        }
        for (const g of byWs.values())
          await new DuckDbWorkspaceStore(this.db, g.ws).writeTracking(mergeTracking(g.batches), c);
        await c.run(advance(last.seq));
      });
    } catch (e) {
      if (isDatabaseFailure(e)) throw e;
      if (writes.length > 1) {
        for (const w of writes) await this.apply([w]);
        return;
      }
      const w = writes[0] as JournaledWrite;
      if (w.seq <= (await this.appliedSeq())) return;
      // Kept (and synced) before it is marked applied, so a crash in between cannot lose it.
      const reason = e instanceof Error ? e.message : String(e);
      const path = quarantineRecord(this.dir, w.seq, encodeWrite(w.workspace, w.batch), reason);
      await this.db.run(advance(w.seq));
      this.log(
        `tracking write ${w.seq} (${w.batch.events.count} events, workspace ${w.workspace.slug}) could not be stored and was kept in ${path}: ${reason}`,
      );
    }
  }

  /**
   * Applies every journaled write not yet in the tables, then empties the journal. Run at open,
   * before anything reads or writes, so every process sees what a killed server acknowledged. Calls
   * made while one runs share it.
   */
  replay(): Promise<{ writes: number; events: number }> {
    if (this.live) return Promise.resolve({ writes: 0, events: 0 });
    this.replaying ??= this.replayOnce().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayOnce(): Promise<{ writes: number; events: number }> {
    const records = readJournal(this.dir, this.log);
    for (const r of records) this.highestSeen = Math.max(this.highestSeen, r.seq);
    if (records.length === 0) {
      clearJournal(this.dir);
      return { writes: 0, events: 0 };
    }
    const applied = await this.appliedSeq();
    let chunk: JournaledWrite[] = [];
    let chunkEvents = 0;
    let writes = 0;
    let events = 0;
    for (const r of records) {
      if (r.seq <= applied) continue;
      let w: JournaledWrite;
      try {
        w = decodeWrite(r);
      } catch (e) {
        const path = quarantineRecord(this.dir, r.seq, r.payload, `unreadable: ${String(e)}`);
        this.log(`journaled tracking write ${r.seq} is unreadable and was kept in ${path}`);
        continue;
      }
      chunk.push(w);
      chunkEvents += w.batch.events.count;
      writes++;
      events += w.batch.events.count;
      if (chunkEvents >= REPLAY_EVENTS) {
        await this.apply(chunk);
        chunk = [];
        chunkEvents = 0;
      }
    }
    await this.apply(chunk);
    clearJournal(this.dir);
    return { writes, events };
  }

  /**
   * The sequence number a new journal starts at: after everything applied and every record a replay
   * saw (an unreadable one is never applied, and its quarantined copy keeps its number).
   */
  async nextSeq(): Promise<number> {
    return Math.max(await this.appliedSeq(), this.highestSeen) + 1;
  }
}

const APPLIED = 'SELECT applied_seq AS s FROM journal_state WHERE id = 1';
const advance = (seq: number) =>
  `UPDATE journal_state SET applied_seq = greatest(applied_seq, ${Math.trunc(seq)}) WHERE id = 1`;

/**
 * DuckDB's own failures (I/O, memory, an invalidated database) and system errors are the database's
 * fault and worth a retry; anything else (a constraint, a conversion, a malformed batch) is the write's.
 */
export function isDatabaseFailure(e: unknown): boolean {
  if (typeof (e as { code?: unknown })?.code === 'string') return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /^(IO|Out of Memory|FATAL|INTERNAL|Interrupt|TransactionContext|Connection) Error|database has been invalidated/i.test(
    msg,
  );
}
