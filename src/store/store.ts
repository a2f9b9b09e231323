import type { KeyKind } from '../core/ids.js';
import type {
  CampaignRow,
  ContactRow,
  DealRow,
  DealStageChangeRow,
  EmailEventRow,
  IdentityRow,
  SocialRow,
  SpendRow,
  StageChangeRow,
} from '../domain/crm.js';
import type { EventRow, SessionRow } from '../domain/event.js';
import type { AuditRow, CheckinRow, CustomKpiRow, GoalRecord } from '../domain/goal.js';
import type {
  ContactScoreRow,
  LifecycleChangeRow,
  ScoringRules,
  StageMove,
  StoredRules,
} from '../domain/scoring.js';
import type {
  FoundShare,
  ReportSettings,
  ShareBoard,
  ShareInfo,
  StoredReportSettings,
} from '../domain/share.js';
import type {
  ApiKeyInfo,
  NewWorkspace,
  Role,
  User,
  Workspace,
  WorkspaceSettings,
} from '../domain/workspace.js';
import type { SqlDialect } from './dialect.js';

/**
 * The storage seam. Callers get a Store, find a workspace, and from then on hold a WorkspaceStore whose
 * every read and write is bound to that workspace: no method takes a workspace id, so none can be
 * forgotten. The embedded default is DuckDB for everything; a ClickHouse event store and a PostgreSQL
 * metadata store implement the same two interfaces (see docs/architecture.md).
 */
export interface Store {
  /**
   * Applies pending migrations; safe to call on every start. `replayed` counts tracking writes a
   * stopped server had acknowledged from its journal but not yet applied, applied now.
   */
  migrate(): Promise<{ applied: string[]; replayed?: { writes: number; events: number } }>;
  createWorkspace(input: NewWorkspace): Promise<Workspace>;
  getWorkspace(slug: string): Promise<Workspace | null>;
  listWorkspaces(): Promise<Workspace[]>;
  /** Removes a workspace and every row it owns. */
  deleteWorkspace(slug: string): Promise<void>;
  /** The workspace, kind and role of a key or API token, or null for an unknown or revoked one. */
  findApiKey(key: string): Promise<FoundKey | null>;
  /** Notes that a key was used now (the server calls it at most once a minute per key). */
  touchApiKey(key: string, at: Date): Promise<void>;
  /** The workspace and board of a live share token (not revoked, not expired), or null. */
  findShare(token: string): Promise<FoundShare | null>;
  /** Users are global; memberships bind them to workspaces with a role. */
  createUser(email: string, name: string | null, password: string): Promise<User>;
  findUserByEmail(email: string): Promise<User | null>;
  /** The user whose e-mail and password these are (null otherwise, in the same time either way). */
  verifyPassword(email: string, password: string): Promise<User | null>;
  /** Replaces a user's password (checked for length like a new one). */
  setPassword(userId: string, password: string): Promise<void>;
  countUsers(): Promise<number>;
  /** The workspaces a user is a member of, with the role in each, by workspace slug. */
  listMemberships(userId: string): Promise<Array<{ workspace: Workspace; role: Role }>>;
  /**
   * A new sign-in session for a user, idle-expiring after `idleMs`. The returned id is the cookie's
   * value and is seen only here (its hash is stored).
   */
  createSession(userId: string, idleMs: number): Promise<{ id: string; csrf: string; expiresAt: Date }>;
  /** The live session with this id, or null (unknown, signed out, revoked or expired). */
  findSession(id: string): Promise<SessionInfo | null>;
  /** Notes a session's use: it now expires at `expiresAt` (the server calls it at most once a minute). */
  touchSession(id: string, at: Date, expiresAt: Date): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Signs a user out everywhere (but the session `keep`, when given); returns how many ended. */
  deleteUserSessions(userId: string, keep?: string): Promise<number>;
  forWorkspace(workspace: Workspace): WorkspaceStore;
  /** Forces a checkpoint (WAL into the main file). */
  checkpoint(): Promise<void>;
  /**
   * Writes a consistent copy of the whole database to `path` (which must not exist): every tracking
   * write acknowledged before the call is in it. Tracking goes on meanwhile (acknowledged to the
   * journal); other writes wait for the copy.
   */
  backup(path: string): Promise<{ bytes: number }>;
  close(): Promise<void>;
}

/** A key or API token as the server sees it. */
export interface FoundKey {
  workspace: Workspace;
  kind: KeyKind;
  /** An API token's role; null for write and read keys. */
  role: Role | null;
}

/** A live sign-in session. */
export interface SessionInfo {
  user: User;
  csrf: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** Tables a workspace-scoped analytic query may name as `@table` (see WorkspaceStore.query). */
export const SCOPED_TABLES = [
  'events',
  'sessions',
  'identities',
  'contacts',
  'contact_stage_history',
  'deals',
  'deal_stage_history',
  'spend',
  'email_events',
  'social_metrics',
  'campaigns',
  'goals',
  'checkins',
  'custom_kpis',
  'audit_log',
  'scoring_rules',
  'contact_scores',
  'lifecycle_changes',
] as const;
export type ScopedTable = (typeof SCOPED_TABLES)[number];

export type SqlParam = string | number | boolean | null | Date;
export type Row = Record<string, unknown>;

export interface DataCounts {
  events: number;
  contacts: number;
  deals: number;
  spend: number;
  email: number;
  social: number;
}

export interface TrackingBatch {
  events: readonly EventRow[];
  /** New visits (upserted by id). */
  sessions: readonly SessionRow[];
  /** Visits already stored that grew since (rewritten by id; one that is missing is inserted). */
  grownSessions?: readonly SessionRow[];
  identities: readonly IdentityRow[];
  contacts: readonly ContactRow[];
  stageChanges: readonly StageChangeRow[];
}

export interface WorkspaceStore {
  readonly workspace: Workspace;
  /** The SQL primitives `query` text is written with (store/dialect.ts): never an engine's own names. */
  readonly dialect: SqlDialect;

  // Tracking data (append-only, bulk through the Appender).
  appendEvents(rows: readonly EventRow[]): Promise<void>;
  appendSessions(rows: readonly SessionRow[]): Promise<void>;
  /** Inserts or replaces visits by session id (live tracking updates a visit as it grows). */
  upsertSessions(rows: readonly SessionRow[]): Promise<void>;
  appendIdentities(rows: readonly IdentityRow[]): Promise<void>;

  /**
   * One tracking write, atomically: events, the visits they started (upserted by id), identity
   * links, and contacts (with stage changes) that identify calls changed. Returns once durable
   * (committed to the WAL).
   */
  writeTracking(batch: TrackingBatch): Promise<void>;

  // CRM and channel data. Upserts replace by id (re-importing a file changes nothing).
  upsertContacts(rows: readonly ContactRow[]): Promise<void>;
  appendStageChanges(rows: readonly StageChangeRow[]): Promise<void>;
  upsertDeals(rows: readonly DealRow[]): Promise<void>;
  appendDealStageChanges(rows: readonly DealStageChangeRow[]): Promise<void>;
  appendSpend(rows: readonly SpendRow[]): Promise<void>;
  appendEmailEvents(rows: readonly EmailEventRow[]): Promise<void>;
  appendSocial(rows: readonly SocialRow[]): Promise<void>;
  /** Replaces spend rows by their natural key (date, channel, source, medium, campaign). */
  replaceSpend(rows: readonly SpendRow[]): Promise<void>;
  /** Replaces social rows by their natural key (date, network, metric). */
  replaceSocial(rows: readonly SocialRow[]): Promise<void>;
  upsertCampaigns(rows: readonly CampaignRow[]): Promise<void>;

  getContact(id: string): Promise<ContactRow | null>;
  findContactByEmail(email: string): Promise<ContactRow | null>;
  getDeal(id: string): Promise<DealRow | null>;

  // Goals, check-ins, custom KPIs, audit.
  replaceGoals(records: readonly GoalRecord[], actor: string): Promise<void>;
  listGoals(): Promise<GoalRecord[]>;
  addCheckin(row: CheckinRow): Promise<void>;
  listCheckins(objectiveId?: string): Promise<CheckinRow[]>;
  upsertCustomKpi(row: CustomKpiRow): Promise<void>;
  listCustomKpis(): Promise<CustomKpiRow[]>;
  audit(row: Omit<AuditRow, 'at'> & { at?: Date }): Promise<void>;
  listAudit(limit?: number): Promise<AuditRow[]>;

  // Lead scoring (src/scoring, docs/scoring.md).
  getScoringRules(): Promise<StoredRules | null>;
  putScoringRules(yaml: string, rules: ScoringRules): Promise<void>;
  /** Scores (replaced by contact and model), lifecycle changes and scoring's stage moves, atomically. */
  writeScores(
    scores: readonly ContactScoreRow[],
    changes: readonly LifecycleChangeRow[],
    moves: readonly StageMove[],
  ): Promise<void>;

  // Workspace administration.
  updateSettings(settings: WorkspaceSettings): Promise<void>;
  /** Creates a key and returns it; only its hash is stored, so this is the one time it is seen. */
  createApiKey(kind: KeyKind, role?: Role): Promise<{ key: string; info: ApiKeyInfo }>;
  listApiKeys(): Promise<ApiKeyInfo[]>;
  /**
   * Revokes a live key named by the whole key or its shown prefix (an ambiguous prefix is refused);
   * callers in a server then call `keysChanged()` (store/key.events.ts) so caches forget it at once.
   */
  revokeApiKey(keyOrPrefix: string): Promise<ApiKeyInfo>;
  addMember(userId: string, role: Role): Promise<void>;
  /**
   * Members with their role and, when a sign-in session of theirs is still stored, the newest one's
   * start (`lastSignInAt`; sessions are deleted at sign-out, so this is "if known").
   */
  listMembers(): Promise<Array<{ user: User; role: Role; lastSignInAt?: Date | null }>>;
  /** Ends a user's membership of this workspace (the account and its other memberships stay). */
  removeMember(userId: string): Promise<void>;

  // Share links and the weekly report (docs/dashboard.md, docs/reports.md).
  /** A new read-only link to a board; only its hash is stored, so this is the one time it is seen. */
  createShare(
    board: ShareBoard,
    opts: { createdBy: string; expiresAt?: Date | null; internal?: boolean },
  ): Promise<{ token: string; info: ShareInfo }>;
  listShares(): Promise<ShareInfo[]>;
  /** Revokes a live link named by its id, whole token or shown prefix. */
  revokeShare(idOrToken: string): Promise<ShareInfo>;
  /** Deletes an internal link (made to render a PDF) once it is no longer needed. */
  deleteShare(id: string): Promise<void>;
  getReportSettings(): Promise<StoredReportSettings | null>;
  putReportSettings(settings: ReportSettings): Promise<void>;
  markReportSent(at: Date): Promise<void>;

  /** Deletes every data row of the workspace (events, CRM, spend, …, goals) but keeps it and its keys. */
  clearData(): Promise<void>;
  counts(): Promise<DataCounts>;
  /**
   * Runs `fn` all or nothing: the writes it makes through this store commit together or not at all,
   * also when the process dies meanwhile (imports; docs/imports.md). Stores without it write as `fn` goes.
   */
  atomically?<T>(fn: () => Promise<T>): Promise<T>;

  /**
   * A read-only analytic query bound to this workspace. Name tables as `@events`, `@contacts`, …:
   * each becomes a subquery filtered to this workspace. Naming a table without `@` is refused, so a
   * query cannot read another workspace. Parameters are `$name` placeholders (never concatenate user
   * text); `$ws` is reserved.
   *
   * @example
   * await ws.query('SELECT count(*) AS n FROM @sessions s WHERE s.channel = $channel', { channel: 'Email' });
   */
  query<T extends Row = Row>(sql: string, params?: Record<string, SqlParam>): Promise<T[]>;
}

/**
 * The metadata half of a WorkspaceStore (goals, check-ins, statuses in the audit log, custom KPIs,
 * scoring and channel rules, keys, members): small transactional rows, PostgreSQL in a scale-out
 * deployment (`src/store/postgres/`). Everything else is the analytic half (`EventWorkspaceStore`).
 */
export const META_WORKSPACE_METHODS = [
  'replaceGoals',
  'listGoals',
  'addCheckin',
  'listCheckins',
  'upsertCustomKpi',
  'listCustomKpis',
  'audit',
  'listAudit',
  'getScoringRules',
  'putScoringRules',
  'updateSettings',
  'createApiKey',
  'listApiKeys',
  'revokeApiKey',
  'addMember',
  'listMembers',
  'removeMember',
  'createShare',
  'listShares',
  'revokeShare',
  'deleteShare',
  'getReportSettings',
  'putReportSettings',
  'markReportSent',
] as const satisfies readonly (keyof WorkspaceStore)[];
export type MetaWorkspaceMethod = (typeof META_WORKSPACE_METHODS)[number];

/** Scoped tables whose rows live in the metadata store (the rest are analytic, in the event store). */
export const META_TABLES = ['goals', 'checkins', 'custom_kpis', 'audit_log', 'scoring_rules'] as const;

export type MetaWorkspaceStore = Pick<WorkspaceStore, 'workspace' | MetaWorkspaceMethod> & {
  /** Deletes the workspace's metadata rows (goals, check-ins, custom KPIs, audit, scoring rules). */
  clearData(): Promise<void>;
};

export type EventWorkspaceStore = Omit<WorkspaceStore, MetaWorkspaceMethod>;

/** The global operations of the metadata store: workspaces, users, sign-in sessions and API keys. */
export type MetaStore = Pick<
  Store,
  | 'createWorkspace'
  | 'getWorkspace'
  | 'listWorkspaces'
  | 'deleteWorkspace'
  | 'findApiKey'
  | 'touchApiKey'
  | 'findShare'
  | 'createUser'
  | 'findUserByEmail'
  | 'verifyPassword'
  | 'setPassword'
  | 'countUsers'
  | 'listMemberships'
  | 'createSession'
  | 'findSession'
  | 'touchSession'
  | 'deleteSession'
  | 'deleteUserSessions'
  | 'close'
> & {
  migrate(): Promise<{ applied: string[] }>;
  forWorkspace(workspace: Workspace): MetaWorkspaceStore;
};

/** The analytic store: events, visits, CRM and channel rows, scores, and the scoped `query`. */
export interface EventStore {
  migrate(): Promise<{ applied: string[] }>;
  forWorkspace(workspace: Workspace): EventWorkspaceStore;
  /** Removes every analytic row of a workspace (by id: the workspace row itself is metadata). */
  dropWorkspace(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}
