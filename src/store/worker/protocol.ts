import { UserError } from '../../core/errors.js';
import type { Workspace } from '../../domain/workspace.js';
import type { ColumnarTrackingBatch } from '../duckdb/tracking.merge.js';
import type { Store, WorkspaceStore } from '../store.js';

/**
 * How the database thread orders a call. A `read` runs at once (with the journal on, a workspace read
 * first waits for the writes that arrived before it); a `write` runs in arrival order behind every
 * write before it.
 */
export type Access = 'read' | 'write';

/** The Store methods that cross to the database thread (forWorkspace is answered on this side). */
export type StoreMethod = Exclude<keyof Store, 'forWorkspace'>;
/** The WorkspaceStore methods that cross to the database thread. */
export type WorkspaceMethod = Exclude<keyof WorkspaceStore, 'workspace' | 'dialect'>;

/**
 * Every Store method, declared once as a read or a write. `satisfies` makes a method added to Store
 * without an entry here (or an entry for a method that does not exist) a compile error, so nothing is
 * ordered by a guess from its name. The reads touch no tracking data: they never wait for the journal.
 */
export const STORE_ACCESS = {
  migrate: 'write',
  createWorkspace: 'write',
  getWorkspace: 'read',
  listWorkspaces: 'read',
  deleteWorkspace: 'write',
  findApiKey: 'read',
  touchApiKey: 'write',
  createUser: 'write',
  findUserByEmail: 'read',
  // A write: a legacy hash is replaced once its password is seen.
  verifyPassword: 'write',
  setPassword: 'write',
  countUsers: 'read',
  listMemberships: 'read',
  createSession: 'write',
  findSession: 'read',
  touchSession: 'write',
  deleteSession: 'write',
  deleteUserSessions: 'write',
  checkpoint: 'write',
  // A write: it waits for the tracking writes acknowledged before it, so the copy holds them.
  backup: 'write',
  close: 'write',
} as const satisfies Record<StoreMethod, Access>;

/** Every WorkspaceStore method, declared once as a read or a write (see STORE_ACCESS). */
export const WORKSPACE_ACCESS = {
  appendEvents: 'write',
  appendSessions: 'write',
  upsertSessions: 'write',
  appendIdentities: 'write',
  writeTracking: 'write',
  upsertContacts: 'write',
  appendStageChanges: 'write',
  upsertDeals: 'write',
  appendDealStageChanges: 'write',
  appendSpend: 'write',
  appendEmailEvents: 'write',
  appendSocial: 'write',
  replaceSpend: 'write',
  replaceSocial: 'write',
  upsertCampaigns: 'write',
  getContact: 'read',
  findContactByEmail: 'read',
  getDeal: 'read',
  replaceGoals: 'write',
  listGoals: 'read',
  addCheckin: 'write',
  listCheckins: 'read',
  upsertCustomKpi: 'write',
  listCustomKpis: 'read',
  audit: 'write',
  listAudit: 'read',
  updateSettings: 'write',
  createApiKey: 'write',
  listApiKeys: 'read',
  revokeApiKey: 'write',
  addMember: 'write',
  listMembers: 'read',
  clearData: 'write',
  getScoringRules: 'read',
  putScoringRules: 'write',
  writeScores: 'write',
  counts: 'read',
  query: 'read',
} as const satisfies Record<WorkspaceMethod, Access>;

/**
 * The tables as maps: a lookup by a name that came over the thread boundary must not find
 * `toString` or `constructor` on an object's prototype.
 */
export const STORE_METHODS: ReadonlyMap<string, Access> = new Map(Object.entries(STORE_ACCESS));
export const WORKSPACE_METHODS: ReadonlyMap<string, Access> = new Map(Object.entries(WORKSPACE_ACCESS));

/**
 * What `writeTracking` sends: the events as columns (half the clone work of rows), or with the journal
 * on, the journal record itself (serialized once, on this side; see encodeWrite).
 */
export type TrackingWire = ColumnarTrackingBatch | Uint8Array;

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
export type CallMessage =
  | { id: number; workspace: null; method: StoreMethod; args: unknown[] }
  | { id: number; workspace: Workspace; method: WorkspaceMethod; args: unknown[] };

/** A line for the main thread's log: the database thread's background failures (see Log). */
export interface LogMessage {
  log: { level: 'error' | 'warn' | 'info'; message: string; fields: Record<string, unknown> };
}

export type ReplyMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | LogMessage;

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
