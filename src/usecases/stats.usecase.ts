/** Row counts of a workspace (`stats`, `GET /api/v1/stats`). */
import type { DataCounts, WorkspaceStore } from '../store/store.js';

export type Stats = DataCounts;

/**
 * Row counts per kind of data; `events` counts every stored tracking message.
 *
 * @example
 * await stats(ws); // { events: 0, contacts: 1, deals: 0, spend: 0, email: 0, social: 0 }
 */
export async function stats(ws: WorkspaceStore): Promise<Stats> {
  return ws.counts();
}
