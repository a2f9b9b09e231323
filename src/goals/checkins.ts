/**
 * Check-ins: the seed's daily 15-minute review, a short note per objective with the owner's
 * confidence. Every check-in is audited.
 */
import { NotFoundError, UserError } from '../core/errors.js';
import type { CheckinRow } from '../domain/goal.js';
import type { WorkspaceStore } from '../store/store.js';

export const MAX_NOTE = 2_000;

export interface NewCheckin {
  objectiveId: string;
  note: string;
  confidence?: number | null;
  author?: string;
  at?: Date;
}

/**
 * Records a check-in on an objective (which must exist) and audits it.
 *
 * @example
 * await addCheckin(ws, { objectiveId: 'leads-q4', note: 'Webinar moved to next week', confidence: 0.7, author: 'ana@example.com' });
 */
export async function addCheckin(ws: WorkspaceStore, c: NewCheckin): Promise<CheckinRow> {
  const note = c.note.trim();
  if (!note) throw new UserError('a check-in needs a note', { field: 'note' });
  if (note.length > MAX_NOTE)
    throw new UserError(`a note is at most ${MAX_NOTE} characters`, { field: 'note' });
  const confidence = c.confidence ?? null;
  if (confidence !== null && !(Number.isFinite(confidence) && confidence >= 0 && confidence <= 1))
    throw new UserError('confidence is a number from 0 to 1 (0.7 = 70 % sure)', { field: 'confidence' });
  const objective = (await ws.listGoals()).find((g) => g.id === c.objectiveId && g.kind === 'objective');
  if (!objective) throw new NotFoundError(`objective "${c.objectiveId}"`);
  const row: CheckinRow = {
    objectiveId: c.objectiveId,
    at: c.at ?? new Date(),
    author: c.author?.trim() || objective.owner || 'unknown',
    note,
    confidence,
  };
  await ws.addCheckin(row);
  await ws.audit({
    at: row.at,
    actor: row.author,
    action: 'checkin',
    entity: 'objective',
    entityId: row.objectiveId,
    before: null,
    after: { note: row.note, confidence: row.confidence },
  });
  return row;
}

/** A check-in as JSON (dates as ISO strings). */
export function checkinJson(c: CheckinRow): {
  objective_id: string;
  at: string;
  author: string;
  note: string;
  confidence: number | null;
} {
  return {
    objective_id: c.objectiveId,
    at: c.at.toISOString(),
    author: c.author,
    note: c.note,
    confidence: c.confidence,
  };
}
