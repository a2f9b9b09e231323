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

  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly log: (msg: string) => void,
  ) {}

  async appliedSeq(): Promise<number> {
    const rows = await this.db.all<{ s: number }>('SELECT applied_seq AS s FROM journal_state WHERE id = 1');
    return rows[0]?.s ?? 0;
  }

  /** Applies `writes` (in sequence order); throws only if the database itself fails. */
  async apply(writes: readonly JournaledWrite[]): Promise<void> {
    const last = writes.at(-1);
    if (!last) return;
    try {
      await this.db.transaction(async (c) => {
        const byWs = new Map<string, { ws: Workspace; batches: ColumnarTrackingBatch[] }>();
        for (const w of writes) {
          const g = byWs.get(w.workspace.id) ?? { ws: w.workspace, batches: [] };
          g.batches.push(w.batch);
          byWs.set(w.workspace.id, g);
        }
        for (const g of byWs.values())
          await new DuckDbWorkspaceStore(this.db, g.ws).writeTrackingColumnarOn(c, mergeTracking(g.batches));
        await c.run(`UPDATE journal_state SET applied_seq = ${Number(last.seq)} WHERE id = 1`);
      });
    } catch (e) {
      if (writes.length > 1) {
        for (const w of writes) await this.apply([w]);
        return;
      }
      // Alone it still fails: if the database can record progress at all, the write is at fault.
      await this.db.run(`UPDATE journal_state SET applied_seq = ${Number(last.seq)} WHERE id = 1`);
      const reason = e instanceof Error ? e.message : String(e);
      const path = quarantineRecord(this.dir, last.seq, encodeWrite(last.workspace, last.batch), reason);
      this.log(
        `tracking write ${last.seq} (${last.batch.events.count} events, workspace ${last.workspace.slug}) could not be stored and was kept in ${path}: ${reason}`,
      );
    }
  }

  /**
   * Applies every journaled write not yet in the tables, then empties the journal. Run at open,
   * before anything reads or writes, so every process sees what a killed server acknowledged.
   */
  async replay(): Promise<{ writes: number; events: number }> {
    if (this.live) return { writes: 0, events: 0 };
    const records = readJournal(this.dir, this.log);
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

  /** The sequence number a new journal starts at: after everything applied or still on disk. */
  async nextSeq(): Promise<number> {
    return (await this.appliedSeq()) + 1;
  }
}
