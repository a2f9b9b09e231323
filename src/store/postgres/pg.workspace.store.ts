import type postgres from 'postgres';
import { UserError } from '../../core/errors.js';
import { hashSecret, type KeyKind, newApiKey, newId } from '../../core/ids.js';
import type { AuditRow, CheckinRow, CustomKpiRow, GoalRecord } from '../../domain/goal.js';
import type { ScoringRules, StoredRules } from '../../domain/scoring.js';
import type { ReportSettings, ShareBoard } from '../../domain/share.js';
import type { ApiKeyInfo, Role, User, Workspace, WorkspaceSettings } from '../../domain/workspace.js';
import type { MetaWorkspaceStore } from '../store.js';
import * as shares from './pg.share.store.js';

type Json = postgres.JSONValue;

/** One workspace's metadata on PostgreSQL; every statement is bound to the workspace id. */
export class PostgresWorkspaceStore implements MetaWorkspaceStore {
  constructor(
    private readonly sql: postgres.Sql,
    readonly workspace: Workspace,
  ) {}

  private get ws(): string {
    return this.workspace.id;
  }

  async replaceGoals(records: readonly GoalRecord[], actor: string): Promise<void> {
    const before = await this.listGoals();
    await this.sql.begin(async (tx) => {
      await tx`DELETE FROM goals WHERE workspace_id = ${this.ws}`;
      for (const g of records) {
        await tx`INSERT INTO goals VALUES (${this.ws}, ${g.id}, ${g.parentId}, ${g.kind}, ${g.title},
          ${g.owner}, ${g.position}, ${tx.json(g.spec as Json)}, ${g.updatedAt})`;
      }
      await tx`INSERT INTO audit_log VALUES (${this.ws}, ${new Date()}, ${actor}, 'replace', 'goals', '*',
        ${tx.json(before as unknown as Json)}, ${tx.json(records as unknown as Json)})`;
    });
  }

  async listGoals(): Promise<GoalRecord[]> {
    const rows = await this.sql`SELECT * FROM goals WHERE workspace_id = ${this.ws} ORDER BY position`;
    return rows.map((r) => ({
      id: String(r.id),
      parentId: (r.parent_id as string | null) ?? null,
      kind: r.kind as 'goal' | 'objective',
      title: String(r.title),
      owner: (r.owner as string | null) ?? null,
      position: Number(r.position),
      spec: r.spec as Record<string, unknown>,
      updatedAt: r.updated_at as Date,
    }));
  }

  async addCheckin(row: CheckinRow): Promise<void> {
    await this.sql`INSERT INTO checkins VALUES (${this.ws}, ${row.objectiveId}, ${row.at}, ${row.author},
      ${row.note}, ${row.confidence})`;
  }

  async listCheckins(objectiveId?: string): Promise<CheckinRow[]> {
    const oid = objectiveId ?? null;
    const rows = await this.sql`SELECT * FROM checkins WHERE workspace_id = ${this.ws}
      AND (${oid}::text IS NULL OR objective_id = ${oid}) ORDER BY created_at DESC`;
    return rows.map((r) => ({
      objectiveId: String(r.objective_id),
      at: r.created_at as Date,
      author: String(r.author),
      note: String(r.note),
      confidence: (r.confidence as number | null) ?? null,
    }));
  }

  async upsertCustomKpi(row: CustomKpiRow): Promise<void> {
    await this.sql`INSERT INTO custom_kpis VALUES (${this.ws}, ${row.id}, ${row.name}, ${row.formula},
        ${row.unit}, ${row.direction}, ${row.description})
      ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, formula = excluded.formula,
        unit = excluded.unit, direction = excluded.direction, description = excluded.description`;
  }

  async listCustomKpis(): Promise<CustomKpiRow[]> {
    const rows = await this.sql`SELECT * FROM custom_kpis WHERE workspace_id = ${this.ws} ORDER BY id`;
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
    const json = (v: unknown) => (v === undefined ? null : this.sql.json(v as Json));
    await this.sql`INSERT INTO audit_log VALUES (${this.ws}, ${row.at ?? new Date()}, ${row.actor},
      ${row.action}, ${row.entity}, ${row.entityId}, ${json(row.before)}, ${json(row.after)})`;
  }

  async listAudit(limit = 100): Promise<AuditRow[]> {
    const rows = await this.sql`SELECT * FROM audit_log WHERE workspace_id = ${this.ws}
      ORDER BY created_at DESC LIMIT ${limit}`;
    return rows.map((r) => ({
      at: r.created_at as Date,
      actor: String(r.actor),
      action: String(r.action),
      entity: String(r.entity),
      entityId: String(r.entity_id),
      before: (r.before as unknown) ?? null,
      after: (r.after as unknown) ?? null,
    }));
  }

  async getScoringRules(): Promise<StoredRules | null> {
    const [r] = await this
      .sql`SELECT yaml, rules, updated_at FROM scoring_rules WHERE workspace_id = ${this.ws}`;
    return r
      ? { yaml: String(r.yaml), rules: r.rules as ScoringRules, updatedAt: r.updated_at as Date }
      : null;
  }

  async putScoringRules(yaml: string, rules: ScoringRules): Promise<void> {
    await this
      .sql`INSERT INTO scoring_rules VALUES (${this.ws}, ${yaml}, ${this.sql.json(rules as unknown as Json)}, ${new Date()})
      ON CONFLICT (workspace_id) DO UPDATE SET yaml = excluded.yaml, rules = excluded.rules, updated_at = excluded.updated_at`;
  }

  async updateSettings(settings: WorkspaceSettings): Promise<void> {
    await this.sql`UPDATE workspaces SET settings = ${this.sql.json(settings as Json)} WHERE id = ${this.ws}`;
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
    await this.sql`INSERT INTO api_keys (id, workspace_id, kind, key_hash, prefix, created_at, role)
      VALUES (${info.id}, ${this.ws}, ${kind}, ${hashSecret(key)}, ${info.prefix}, ${info.createdAt}, ${info.role})`;
    return { key, info };
  }

  async revokeApiKey(keyOrPrefix: string): Promise<ApiKeyInfo> {
    const text = keyOrPrefix.trim();
    const p = text.slice(0, 10);
    const rows = await this.sql`SELECT * FROM api_keys WHERE workspace_id = ${this.ws} AND revoked_at IS NULL
      AND (key_hash = ${hashSecret(text)} OR (length(${p}::text) >= 8 AND starts_with(prefix, ${p})))`;
    if (rows.length === 0)
      throw new UserError(
        `no live key ${p}… in workspace ${this.workspace.slug} (see \`keys list\`)`,
        {},
        404,
      );
    if (rows.length > 1)
      throw new UserError(`${p} names ${rows.length} keys; give the whole key`, { field: 'key' });
    const r = rows[0] as Record<string, unknown>;
    const at = new Date();
    await this.sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${String(r.id)}`;
    return { ...keyInfo(r), revokedAt: at };
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const rows = await this.sql`SELECT * FROM api_keys WHERE workspace_id = ${this.ws} ORDER BY created_at`;
    return rows.map(keyInfo);
  }

  async addMember(userId: string, role: Role): Promise<void> {
    await this.sql`INSERT INTO memberships VALUES (${this.ws}, ${userId}, ${role})
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`;
  }

  async listMembers(): Promise<Array<{ user: User; role: Role; lastSignInAt: Date | null }>> {
    const rows = await this.sql`SELECT u.id, u.email, u.name, u.created_at, m.role,
        (SELECT max(s.created_at) FROM auth_sessions s WHERE s.user_id = u.id) AS last_sign_in
      FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ${this.ws} ORDER BY u.email`;
    return rows.map((r) => ({
      user: {
        id: String(r.id),
        email: String(r.email),
        name: (r.name as string | null) ?? null,
        createdAt: r.created_at as Date,
      },
      role: r.role as Role,
      lastSignInAt: (r.last_sign_in as Date | null) ?? null,
    }));
  }

  async removeMember(userId: string): Promise<void> {
    await this.sql`DELETE FROM memberships WHERE workspace_id = ${this.ws} AND user_id = ${userId}`;
  }

  createShare(board: ShareBoard, opts: { createdBy: string; expiresAt?: Date | null; internal?: boolean }) {
    return shares.createShare(this.sql, this.ws, board, opts);
  }
  listShares() {
    return shares.listShares(this.sql, this.ws);
  }
  revokeShare(idOrToken: string) {
    return shares.revokeShare(this.sql, this.workspace, idOrToken);
  }
  deleteShare(id: string) {
    return shares.deleteShare(this.sql, this.ws, id);
  }
  getReportSettings() {
    return shares.getReportSettings(this.sql, this.ws);
  }
  putReportSettings(settings: ReportSettings) {
    return shares.putReportSettings(this.sql, this.ws, settings);
  }
  markReportSent(at: Date) {
    return shares.markReportSent(this.sql, this.ws, at);
  }

  /** Goals, check-ins, custom KPIs, audit and scoring rules; keys and members stay (as on DuckDB). */
  async clearData(): Promise<void> {
    await this.sql.begin(async (tx) => {
      for (const t of ['goals', 'checkins', 'custom_kpis', 'audit_log', 'scoring_rules'])
        await tx`DELETE FROM ${tx(t)} WHERE workspace_id = ${this.ws}`;
    });
  }
}

function keyInfo(r: Record<string, unknown>): ApiKeyInfo {
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
