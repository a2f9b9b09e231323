import type { SessionRow } from '../../domain/event.js';
import type { TrackingBatch } from '../store.js';
import type { ColumnarRows } from './db.js';

/** A tracking write with its events as columns: what the database thread receives and journals. */
export type ColumnarTrackingBatch = Omit<TrackingBatch, 'events'> & { events: ColumnarRows };

/**
 * Several tracking writes of one workspace as one, with the same effect as writing them in order:
 * events, identity links and stage changes are concatenated; contacts keep their order (the upsert
 * keeps the last per id); a visit keeps its last version, upserted if any of the writes started it
 * and rewritten in place otherwise. The journal applier writes a run of acknowledged groups this way,
 * in one transaction instead of one each.
 *
 * @example
 * mergeTracking([a, b]).events.count === a.events.count + b.events.count;
 */
export function mergeTracking(batches: readonly ColumnarTrackingBatch[]): ColumnarTrackingBatch {
  const first = batches[0];
  if (!first) throw new Error('mergeTracking needs at least one batch');
  if (batches.length === 1) return first;
  const width = first.events.values.length;
  const values: unknown[][] = Array.from({ length: width }, () => []);
  let count = 0;
  const visits = new Map<string, { row: SessionRow; started: boolean }>();
  const note = (row: SessionRow, started: boolean) => {
    const had = visits.get(row.sessionId);
    // Re-inserted so the map's order is the order of last change, as the writes would leave it.
    visits.delete(row.sessionId);
    visits.set(row.sessionId, { row, started: started || (had?.started ?? false) });
  };
  const identities: TrackingBatch['identities'][number][] = [];
  const contacts: TrackingBatch['contacts'][number][] = [];
  const stageChanges: TrackingBatch['stageChanges'][number][] = [];
  for (const b of batches) {
    if (b.events.values.length !== width) throw new Error('mergeTracking: batches differ in event columns');
    for (let c = 0; c < width; c++) {
      const into = values[c] as unknown[];
      for (const v of b.events.values[c] as unknown[]) into.push(v);
    }
    count += b.events.count;
    // A write upserts its new visits before it rewrites its grown ones.
    for (const s of b.sessions) note(s, true);
    for (const s of b.grownSessions ?? []) note(s, false);
    identities.push(...b.identities);
    contacts.push(...b.contacts);
    stageChanges.push(...b.stageChanges);
  }
  const sessions: SessionRow[] = [];
  const grownSessions: SessionRow[] = [];
  for (const v of visits.values()) (v.started ? sessions : grownSessions).push(v.row);
  return { events: { count, values }, sessions, grownSessions, identities, contacts, stageChanges };
}
