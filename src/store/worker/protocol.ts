import { UserError } from '../../core/errors.js';
import type { Workspace } from '../../domain/workspace.js';

export interface WorkerStoreOptions {
  /** DuckDB's automatic checkpoint threshold (see DbOptions). */
  checkpointThreshold?: string;
  /** Checkpoint once no write has run for this long (ms) and the WAL is large enough; off when unset. */
  idleCheckpointMs?: number;
  /** Smallest WAL (bytes) worth an idle checkpoint; default 16 MB. */
  idleCheckpointMinWal?: number;
  /**
   * Acknowledge tracking writes once fsynced to the journal beside the database and apply them to the
   * tables afterwards (see JournaledWrites), so checkpoints never hold up an acknowledgement.
   */
  journal?: boolean | { maxBacklogEvents?: number; maxApplyEvents?: number; segmentBytes?: number };
}

/** A call from the main thread: a Store method, or a WorkspaceStore method when `workspace` is set. */
export interface CallMessage {
  id: number;
  workspace: Workspace | null;
  method: string;
  args: unknown[];
}

export type ReplyMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Set for a UserError: it stays the user's to fix on the other side of the thread. */
  user?: { where: UserError['where']; status: number };
}

/** Structured clone keeps only an Error's message; a UserError must stay a UserError (exit 1, 4xx). */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof UserError) {
    return { name: e.name, message: e.message, user: { where: { ...e.where }, status: e.status } };
  }
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): Error {
  if (s.user) {
    const e = new UserError(s.message, s.user.where, s.user.status);
    e.name = s.name;
    return e;
  }
  const e = new Error(s.message);
  e.name = s.name;
  if (s.stack) e.stack = `${s.stack}\n    (in the database thread)`;
  return e;
}
