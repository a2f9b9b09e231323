import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../../core/errors.js';
import { hashSecret, type KeyKind, newApiKey, newId } from '../../core/ids.js';
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
} from '../../domain/crm.js';
import type { EventRow, SessionRow } from '../../domain/event.js';
import type { AuditRow, CheckinRow, CustomKpiRow, GoalRecord } from '../../domain/goal.js';
import type { ContactScoreRow, LifecycleChangeRow, ScoringRules, StageMove } from '../../domain/scoring.js';
import type { ApiKeyInfo, Role, User, Workspace, WorkspaceSettings } from '../../domain/workspace.js';
import {
  type DataCounts,
  type Row,
  SCOPED_TABLES,
  type SqlParam,
  type TrackingBatch,
  type WorkspaceStore,
} from '../store.js';
import {
  CAMPAIGN_COLUMNS,
  CONTACT_COLUMNS,
  DEAL_COLUMNS,
  DEAL_STAGE_COLUMNS,
  EMAIL_COLUMNS,
  EVENT_COLUMNS,
  IDENTITY_COLUMNS,
  SESSION_COLUMNS,
  SOCIAL_COLUMNS,
  SPEND_COLUMNS,
  STAGE_CHANGE_COLUMNS,
} from './columns.js';
import { appendColumns, appendRows, type ColumnarRows, type ColumnSpec, type Db, exec } from './db.js';
import { duckdbDialect } from './duckdb.dialect.js';
import { decodeContact, decodeDeal } from './rows.decode.js';
import * as scoring from './scoring.store.js';
import type { ColumnarTrackingBatch } from './tracking.merge.js';

const TABLE_REF = new RegExp(`@(${SCOPED_TABLES.join('|')})\\b`, 'g');
const BARE_TABLE = new RegExp(`\\b(from|join)\\s+"?(${SCOPED_TABLES.join('|')})"?\\b`, 'i');

/**
 * Rewrites `@table` into a subquery bound to the workspace parameter `$ws`, and refuses SQL that names
 * a workspace table directly. Exported for the contract tests.
 */
export function scopeSql(sql: string): string {
  const bare = BARE_TABLE.exec(sql);
  if (bare) throw new Error(`scoped queries must name tables as @${bare[2]}, not ${bare[2]}`);
  return sql.replace(TABLE_REF, (_m, t: string) => `(SELECT * FROM ${t} WHERE workspace_id = $ws)`);
}

export class DuckDbWorkspaceStore implements WorkspaceStore {
  readonly dialect = duckdbDialect;

  constructor(
    private readonly db: Db,
    readonly workspace: Workspace,
  ) {}

  private get ws(): string {
    return this.workspace.id;
  }

  private append<T>(table: string, cols: ColumnSpec<T>[], rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.db.exclusive((c) => appendRows(c, table, this.ws, cols, rows));
  }

  /** Stage rows in a temp table through the Appender, then replace by primary key in one statement. */
  private upsert<T>(table: string, cols: ColumnSpec<T>[], rows: readonly T[], key: (r: T) => string) {
    if (rows.length === 0) return Promise.resolve();
    return this.db.transaction((c) => this.upsertOn(c, table, cols, rows, key));
  }

  private async upsertOn<T>(
    c: DuckDBConnection,
    table: string,
    cols: ColumnSpec<T>[],
    rows: readonly T[],
    key: (r: T) => string,
  ) {
    if (rows.length === 0) return;
    const last = new Map<string, T>();
    for (const r of rows) last.set(key(r), r);
    const stage = await this.stageOn(c, table, cols, [...last.values()]);
    await c.run(`INSERT OR REPLACE INTO ${table} SELECT * FROM ${stage}`);
  }

  /** Replaces the rows of the temp table `stage_<table>` (created on first use) with `rows`. */
  private async stageOn<T>(c: DuckDBConnection, table: string, cols: ColumnSpec<T>[], rows: readonly T[]) {
    const stage = `stage_${table}`;
    await c.run(`CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT * FROM ${table} LIMIT 0`);
    await c.run(`DELETE FROM ${stage}`);
    await appendRows(c, stage, this.ws, cols, rows, 'main', 'temp');
    return stage;
  }

  /**
   * The one entry point of a tracking write (see WorkspaceStore.writeTracking). Its events come as
   * rows from a caller in this thread, or as columns from the database thread's protocol and the
   * journal; `into` is the caller's open transaction on the write connection (the journal applier
   * writes a run of acknowledged writes in one), else the write is its own transaction.
   */
  writeTracking(b: TrackingBatch | ColumnarTrackingBatch, into?: DuckDBConnection): Promise<void> {
    if (!into) return this.db.transaction((c) => this.writeTrackingOn(c, b));
    return this.writeTrackingOn(into, b);
  }

  private async writeTrackingOn(
    c: DuckDBConnection,
    b: TrackingBatch | ColumnarTrackingBatch,
  ): Promise<void> {
    if (isColumnar(b.events))
      await appendColumns(c, 'events', this.ws, EVENT_COLUMNS as ColumnSpec<unknown>[], b.events);
    else await appendRows(c, 'events', this.ws, EVENT_COLUMNS, b.events);
    // New and grown visits alike as an upsert (a visit the tracker forgot, idle for hours or across a
    // restart, cannot fail the batch). An UPDATE joined to the staged rows was cheaper alone, but under
    // live tracking load a 5,000-visit UPDATE took 0.4-1.2 s against ~0.1 s for this (bench/RESULTS.md).
    const visits = [...b.sessions, ...(b.grownSessions ?? [])];
    await this.upsertOn(c, 'sessions', SESSION_COLUMNS, visits, (r) => r.sessionId);
    await appendRows(c, 'identities', this.ws, IDENTITY_COLUMNS, b.identities);
    await this.upsertOn(c, 'contacts', CONTACT_COLUMNS, b.contacts, (r) => r.id);
    await appendRows(c, 'contact_stage_history', this.ws, STAGE_CHANGE_COLUMNS, b.stageChanges);
  }

  appendEvents(rows: readonly EventRow[]) {
    return this.append('events', EVENT_COLUMNS, rows);
  }
  appendSessions(rows: readonly SessionRow[]) {
    return this.append('sessions', SESSION_COLUMNS, rows);
  }
  upsertSessions(rows: readonly SessionRow[]) {
    return this.upsert('sessions', SESSION_COLUMNS, rows, (r) => r.sessionId);
  }
  appendIdentities(rows: readonly IdentityRow[]) {
    return this.append('identities', IDENTITY_COLUMNS, rows);
  }
  upsertContacts(rows: readonly ContactRow[]) {
    return this.upsert('contacts', CONTACT_COLUMNS, rows, (r) => r.id);
  }
  appendStageChanges(rows: readonly StageChangeRow[]) {
    return this.append('contact_stage_history', STAGE_CHANGE_COLUMNS, rows);
  }
  upsertDeals(rows: readonly DealRow[]) {
    return this.upsert('deals', DEAL_COLUMNS, rows, (r) => r.id);
  }
  appendDealStageChanges(rows: readonly DealStageChangeRow[]) {
    return this.append('deal_stage_history', DEAL_STAGE_COLUMNS, rows);
  }
  async appendSpend(rows: readonly SpendRow[]) {
    for (const r of rows) if (!(r.cost >= 0)) throw new UserError(`spend cost must be >= 0, got ${r.cost}`);
    return this.append('spend', SPEND_COLUMNS, rows);
  }
  appendEmailEvents(rows: readonly EmailEventRow[]) {
    return this.append('email_events', EMAIL_COLUMNS, rows);
  }
  appendSocial(rows: readonly SocialRow[]) {
    return this.append('social_metrics', SOCIAL_COLUMNS, rows);
  }
  upsertCampaigns(rows: readonly CampaignRow[]) {
    return this.upsert('campaigns', CAMPAIGN_COLUMNS, rows, (r) => r.id);
  }

  async replaceSpend(rows: readonly SpendRow[]) {
    for (const r of rows) if (!(r.cost >= 0)) throw new UserError(`spend cost must be >= 0, got ${r.cost}`);
    await this.replaceByKey('spend', SPEND_COLUMNS, rows, [
      'date',
      'channel',
      'source',
      'medium',
      'campaign',
    ]);
  }
  replaceSocial(rows: readonly SocialRow[]) {
    return this.replaceByKey('social_metrics', SOCIAL_COLUMNS, rows, ['date', 'network', 'metric']);
  }

  /** Deletes the stored rows that share a natural key with `rows` (nulls match nulls), then appends. */
  private replaceByKey<T>(table: string, cols: ColumnSpec<T>[], rows: readonly T[], key: readonly string[]) {
    if (rows.length === 0) return Promise.resolve();
    const stage = `stage_${table}`;
    const match = key.map((k) => `t.${k} IS NOT DISTINCT FROM s.${k}`).join(' AND ');
    return this.db.transaction(async (c) => {
      await c.run(`CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT * FROM ${table} LIMIT 0`);
      await c.run(`DELETE FROM ${stage}`);
      await appendRows(c, stage, this.ws, cols, rows, 'main', 'temp');
      await exec(
        c,
        `DELETE FROM ${table} t WHERE t.workspace_id = $ws AND EXISTS (SELECT 1 FROM ${stage} s WHERE ${match})`,
        { ws: this.ws },
      );
      await c.run(`INSERT INTO ${table} SELECT * FROM ${stage}`);
    });
  }

  async getContact(id: string): Promise<ContactRow | null> {
    const r = (await this.query('SELECT * FROM @contacts WHERE id = $id', { id }))[0];
    return r ? decodeContact(r) : null;
  }

  async findContactByEmail(email: string): Promise<ContactRow | null> {
    const r = (
      await this.query(
        'SELECT * FROM @contacts WHERE lower(email) = lower($email) ORDER BY created_at LIMIT 1',
        { email },
      )
    )[0];
    return r ? decodeContact(r) : null;
  }

  async getDeal(id: string): Promise<DealRow | null> {
    const r = (await this.query('SELECT * FROM @deals WHERE id = $id', { id }))[0];
    return r ? decodeDeal(r) : null;
  }

  async replaceGoals(records: readonly GoalRecord[], actor: string): Promise<void> {
    const before = await this.listGoals();
    await this.db.transaction(async (c) => {
      await c.run('DELETE FROM goals WHERE workspace_id = $ws', { ws: this.ws });
      for (const g of records) {
        await exec(
          c,
          'INSERT INTO goals VALUES ($ws, $id, $parent, $kind, $title, $owner, $pos, $spec, $at)',
          {
            ws: this.ws,
            id: g.id,
            parent: g.parentId,
            kind: g.kind,
            title: g.title,
            owner: g.owner,
            pos: g.position,
            spec: JSON.stringify(g.spec),
            at: g.updatedAt,
          },
        );
      }
      await exec(
        c,
        'INSERT INTO audit_log VALUES ($ws, $at, $actor, $action, $entity, $eid, $before, $after)',
        {
          ws: this.ws,
          at: new Date(),
          actor,
          action: 'replace',
          entity: 'goals',
          eid: '*',
          before: JSON.stringify(before),
          after: JSON.stringify(records),
        },
      );
    });
  }

  async listGoals(): Promise<GoalRecord[]> {
    const rows = await this.query('SELECT * FROM @goals ORDER BY position');
    return rows.map((r) => ({
      id: String(r.id),
      parentId: (r.parent_id as string | null) ?? null,
      kind: r.kind as 'goal' | 'objective',
      title: String(r.title),
      owner: (r.owner as string | null) ?? null,
      position: Number(r.position),
      spec: JSON.parse(String(r.spec)) as Record<string, unknown>,
      updatedAt: r.updated_at as Date,
    }));
  }

  async addCheckin(row: CheckinRow): Promise<void> {
    await this.db.run('INSERT INTO checkins VALUES ($ws, $oid, $at, $author, $note, $conf)', {
      ws: this.ws,
      oid: row.objectiveId,
      at: row.at,
      author: row.author,
      note: row.note,
      conf: row.confidence,
    });
  }

  async listCheckins(objectiveId?: string): Promise<CheckinRow[]> {
    const rows = await this.query(
      'SELECT * FROM @checkins WHERE $oid IS NULL OR objective_id = $oid ORDER BY created_at DESC',
      { oid: objectiveId ?? null },
    );
    return rows.map((r) => ({
      objectiveId: String(r.objective_id),
      at: r.created_at as Date,
      author: String(r.author),
      note: String(r.note),
      confidence: (r.confidence as number | null) ?? null,
    }));
  }

  async upsertCustomKpi(row: CustomKpiRow): Promise<void> {
    await this.db.run('INSERT OR REPLACE INTO custom_kpis VALUES ($ws, $id, $name, $f, $u, $d, $desc)', {
      ws: this.ws,
      id: row.id,
      name: row.name,
      f: row.formula,
      u: row.unit,
      d: row.direction,
      desc: row.description,
    });
  }

  async listCustomKpis(): Promise<CustomKpiRow[]> {
    const rows = await this.query('SELECT * FROM @custom_kpis ORDER BY id');
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      formula: String(r.formula),
      unit: String(r.unit),
      direction: r.direction as 'higher' | 'lower',
      description: (r.description as string | null) ?? null,
    }));
  }

  async audit(row: Omit<AuditRow, 'at'> & { at?: Date }): Promise<void> {
    await this.db.run(
      'INSERT INTO audit_log VALUES ($ws, $at, $actor, $action, $entity, $eid, $before, $after)',
      {
        ws: this.ws,
        at: row.at ?? new Date(),
        actor: row.actor,
        action: row.action,
        entity: row.entity,
        eid: row.entityId,
        before: row.before === undefined ? null : JSON.stringify(row.before),
        after: row.after === undefined ? null : JSON.stringify(row.after),
      },
    );
  }

  async listAudit(limit = 100): Promise<AuditRow[]> {
    const rows = await this.query('SELECT * FROM @audit_log ORDER BY created_at DESC LIMIT $limit', {
      limit,
    });
    return rows.map((r) => ({
      at: r.created_at as Date,
      actor: String(r.actor),
      action: String(r.action),
      entity: String(r.entity),
      entityId: String(r.entity_id),
      before: r.before == null ? null : JSON.parse(String(r.before)),
      after: r.after == null ? null : JSON.parse(String(r.after)),
    }));
  }

  getScoringRules() {
    return scoring.getScoringRules(this.db, this.ws);
  }

  putScoringRules(yaml: string, rules: ScoringRules) {
    return scoring.putScoringRules(this.db, this.ws, yaml, rules);
  }

  writeScores(
    scores: readonly ContactScoreRow[],
    changes: readonly LifecycleChangeRow[],
    moves: readonly StageMove[],
  ) {
    return scoring.writeScores(this.db, this.ws, scores, changes, moves);
  }

  async updateSettings(settings: WorkspaceSettings): Promise<void> {
    await this.db.run('UPDATE workspaces SET settings = $s WHERE id = $ws', {
      ws: this.ws,
      s: JSON.stringify(settings),
    });
    this.workspace.settings = settings;
  }

  async createApiKey(kind: KeyKind, role?: Role): Promise<{ key: string; info: ApiKeyInfo }> {
    if (kind !== 'token' && role !== undefined) throw new UserError('only an API token has a role');
    const key = newApiKey(kind);
    const info: ApiKeyInfo = {
      id: newId(),
      kind,
      role: kind === 'token' ? (role ?? 'editor') : null,
      prefix: key.slice(0, 10),
      createdAt: new Date(),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.db.run(
      `INSERT INTO api_keys (id, workspace_id, kind, key_hash, prefix, created_at, revoked_at, role)
       VALUES ($id, $ws, $kind, $hash, $prefix, $at, NULL, $role)`,
      {
        id: info.id,
        ws: this.ws,
        kind,
        role: info.role,
        hash: hashSecret(key),
        prefix: info.prefix,
        at: info.createdAt,
      },
    );
    return { key, info };
  }

  async revokeApiKey(keyOrPrefix: string): Promise<ApiKeyInfo> {
    const text = keyOrPrefix.trim();
    const rows = await this.db.all(
      `SELECT * FROM api_keys WHERE workspace_id = $ws AND revoked_at IS NULL
         AND (key_hash = $h OR (length($p) >= 8 AND starts_with(prefix, $p)))`,
      { ws: this.ws, h: hashSecret(text), p: text.slice(0, 10) },
    );
    if (rows.length === 0)
      throw new UserError(
        `no live key ${text.slice(0, 10)}… in workspace ${this.workspace.slug} (see \`keys list\`)`,
        {},
        404,
      );
    if (rows.length > 1)
      throw new UserError(`${text.slice(0, 10)} names ${rows.length} keys; give the whole key`, {
        field: 'key',
      });
    const r = rows[0] as Row;
    const at = new Date();
    await this.db.run('UPDATE api_keys SET revoked_at = $at WHERE id = $id', { at, id: String(r.id) });
    return { ...keyInfo(r), revokedAt: at };
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.all('SELECT * FROM api_keys WHERE workspace_id = $ws ORDER BY created_at', {
      ws: this.ws,
    });
    return rows.map(keyInfo);
  }

  async addMember(userId: string, role: Role): Promise<void> {
    await this.db.run('INSERT OR REPLACE INTO memberships VALUES ($ws, $u, $r)', {
      ws: this.ws,
      u: userId,
      r: role,
    });
  }

  async listMembers(): Promise<Array<{ user: User; role: Role }>> {
    const rows = await this.db.all(
      `SELECT u.id, u.email, u.name, u.created_at, m.role FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = $ws ORDER BY u.email`,
      { ws: this.ws },
    );
    return rows.map((r) => ({
      user: {
        id: String(r.id),
        email: String(r.email),
        name: (r.name as string | null) ?? null,
        createdAt: r.created_at as Date,
      },
      role: r.role as Role,
    }));
  }

  async clearData(): Promise<void> {
    await this.db.transaction(async (c) => {
      for (const t of SCOPED_TABLES)
        await c.run(`DELETE FROM ${t} WHERE workspace_id = $ws`, { ws: this.ws });
    });
  }

  async counts(): Promise<DataCounts> {
    const rows = await this.query<Record<keyof DataCounts, number>>(
      `SELECT (SELECT count(*) FROM @events) AS events, (SELECT count(*) FROM @contacts) AS contacts,
              (SELECT count(*) FROM @deals) AS deals, (SELECT count(*) FROM @spend) AS spend,
              (SELECT count(*) FROM @email_events) AS email, (SELECT count(*) FROM @social_metrics) AS social`,
    );
    const r = rows[0];
    if (!r) throw new Error('count query returned no row');
    return {
      events: r.events,
      contacts: r.contacts,
      deals: r.deals,
      spend: r.spend,
      email: r.email,
      social: r.social,
    };
  }

  async query<T extends Row = Row>(sql: string, params: Record<string, SqlParam> = {}): Promise<T[]> {
    if ('ws' in params) throw new Error('$ws is reserved for the workspace');
    return this.db.all<T>(scopeSql(sql), { ...params, ws: this.ws });
  }
}

function isColumnar(events: TrackingBatch['events'] | ColumnarRows): events is ColumnarRows {
  return !Array.isArray(events);
}

function keyInfo(r: Row): ApiKeyInfo {
  return {
    id: String(r.id),
    kind: r.kind as KeyKind,
    role: (r.role as Role | null) ?? null,
    prefix: String(r.prefix),
    createdAt: r.created_at as Date,
    revokedAt: (r.revoked_at as Date | null) ?? null,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
  };
}
