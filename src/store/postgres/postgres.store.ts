import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { UserError } from '../../core/errors.js';
import { hashSecret, newId } from '../../core/ids.js';
import type { FoundShare } from '../../domain/share.js';
import {
  type NewWorkspace,
  newWorkspaceSchema,
  type Role,
  type User,
  type Workspace,
  workspaceSettingsSchema,
} from '../../domain/workspace.js';
import { checkNewPassword, checkPassword, hashPassword, needsRehash } from '../password.js';
import type { FoundKey, MetaStore, MetaWorkspaceStore, SessionInfo } from '../store.js';
import { PG_MIGRATIONS } from './pg.migrations.js';
import { findShare } from './pg.share.store.js';
import { PostgresWorkspaceStore } from './pg.workspace.store.js';

export type Sql = postgres.Sql;

/**
 * The metadata half of a scale-out deployment on PostgreSQL: workspaces, users, memberships, API keys,
 * goals, check-ins, custom KPIs, audit and scoring rules. Events and the other analytic rows live in
 * an EventStore (ClickHouse); `SplitStore` joins the two into one `Store`.
 *
 * @example
 * const meta = await PostgresMetaStore.open('postgres://northstar@db:5432/northstar');
 * await meta.migrate();
 */
export class PostgresMetaStore implements MetaStore {
  private constructor(readonly sql: Sql) {}

  /** Connects (and checks the connection, so a wrong URL fails here with one clear line). */
  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresMetaStore> {
    // A URL the driver cannot parse is the caller's mistake (a flag of `copy`, NORTHSTAR_META), not a crash.
    let sql: ReturnType<typeof postgres>;
    try {
      if (!/^postgres(ql)?:\/\/./.test(url)) throw new Error('it does not start with postgres://');
      sql = postgres(url, { max: opts.max ?? 4, onnotice: () => undefined, connect_timeout: 10 });
    } catch (e) {
      throw new UserError(
        `not a PostgreSQL URL: ${redact(url)} (${(e as Error).message}; postgres://user@host:5432/database)`,
      );
    }
    try {
      await sql`SELECT 1`;
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw new UserError(`cannot reach PostgreSQL at ${redact(url)}: ${(e as Error).message}`);
    }
    return new PostgresMetaStore(sql);
  }

  async migrate(): Promise<{ applied: string[] }> {
    await this.sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`;
    const applied: string[] = [];
    for (const m of [...PG_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      // One transaction per migration, holding an advisory lock so two servers starting at once do not race.
      const done = await this.sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(7261)`;
        const seen = await tx`SELECT 1 FROM schema_migrations WHERE version = ${m.version}`;
        if (seen.length) return false;
        for (const s of m.statements) await tx.unsafe(s);
        await tx`INSERT INTO schema_migrations VALUES (${m.version}, ${m.name}, now())`;
        return true;
      });
      if (done) applied.push(`${m.version} ${m.name}`);
    }
    return { applied };
  }

  async createWorkspace(input: NewWorkspace): Promise<Workspace> {
    const parsed = newWorkspaceSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(issue?.message ?? 'invalid workspace', { field: issue?.path.join('.') });
    }
    const w = parsed.data;
    const row: Workspace = {
      id: newId(),
      slug: w.slug,
      name: w.name ?? w.slug,
      timezone: w.timezone,
      currency: w.currency,
      settings: workspaceSettingsSchema.parse({}),
      createdAt: new Date(),
    };
    const inserted = await this.sql`
      INSERT INTO workspaces VALUES (${row.id}, ${row.slug}, ${row.name}, ${row.timezone}, ${row.currency},
        ${this.sql.json(row.settings as postgres.JSONValue)}, ${row.createdAt})
      ON CONFLICT (slug) DO NOTHING RETURNING id`;
    if (!inserted.length) throw new UserError(`workspace ${w.slug} already exists`, {}, 409);
    return row;
  }

  async getWorkspace(slug: string): Promise<Workspace | null> {
    const [r] = await this.sql`SELECT * FROM workspaces WHERE slug = ${slug}`;
    return r ? toWorkspace(r) : null;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.sql`SELECT * FROM workspaces ORDER BY slug`).map(toWorkspace);
  }

  /** Foreign keys cascade, so one statement removes the workspace and every metadata row it owns. */
  async deleteWorkspace(slug: string): Promise<void> {
    await this.sql`DELETE FROM workspaces WHERE slug = ${slug}`;
  }

  async findApiKey(key: string): Promise<FoundKey | null> {
    const [r] = await this.sql`
      SELECT w.*, k.kind AS key_kind, k.role AS key_role FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
      WHERE k.key_hash = ${hashSecret(key)} AND k.revoked_at IS NULL`;
    return r
      ? {
          workspace: toWorkspace(r),
          kind: r.key_kind as FoundKey['kind'],
          role: (r.key_role as Role | null) ?? null,
        }
      : null;
  }

  async touchApiKey(key: string, at: Date): Promise<void> {
    await this.sql`UPDATE api_keys SET last_used_at = ${at} WHERE key_hash = ${hashSecret(key)}`;
  }

  async createUser(email: string, name: string | null, password: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized))
      throw new UserError(`not an e-mail address: ${email}`);
    checkNewPassword(password);
    const user: User = { id: newId(), email: normalized, name, createdAt: new Date() };
    const hash = await hashPassword(password);
    const inserted = await this.sql`
      INSERT INTO users VALUES (${user.id}, ${user.email}, ${name}, ${hash}, ${user.createdAt})
      ON CONFLICT (email) DO NOTHING RETURNING id`;
    if (!inserted.length) throw new UserError(`user ${normalized} already exists`, {}, 409);
    return user;
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const [r] = await this.sql`SELECT * FROM users WHERE email = ${email.trim().toLowerCase()}`;
    return r ? toUser(r) : null;
  }

  async verifyPassword(email: string, password: string): Promise<User | null> {
    const [r] = await this.sql`SELECT * FROM users WHERE email = ${email.trim().toLowerCase()}`;
    const stored = r ? String(r.password_hash) : null;
    if (!r || !(await checkPassword(password, stored))) return null;
    if (stored && needsRehash(stored))
      await this
        .sql`UPDATE users SET password_hash = ${await hashPassword(password)} WHERE id = ${String(r.id)}`;
    return toUser(r);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    checkNewPassword(password);
    await this.sql`UPDATE users SET password_hash = ${await hashPassword(password)} WHERE id = ${userId}`;
  }

  async countUsers(): Promise<number> {
    const [r] = await this.sql`SELECT count(*)::int AS n FROM users`;
    return Number(r?.n ?? 0);
  }

  findShare(token: string): Promise<FoundShare | null> {
    return findShare(this.sql, token, toWorkspace);
  }

  async listMemberships(userId: string): Promise<Array<{ workspace: Workspace; role: Role }>> {
    const rows = await this.sql`
      SELECT w.*, m.role AS member_role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.user_id = ${userId} ORDER BY w.slug`;
    return rows.map((r) => ({ workspace: toWorkspace(r), role: r.member_role as Role }));
  }

  async createSession(
    userId: string,
    idleMs: number,
  ): Promise<{ id: string; csrf: string; expiresAt: Date }> {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + idleMs);
    await this
      .sql`INSERT INTO auth_sessions VALUES (${hashSecret(id)}, ${userId}, ${csrf}, ${now}, ${expiresAt}, ${now})`;
    return { id, csrf, expiresAt };
  }

  async findSession(id: string): Promise<SessionInfo | null> {
    const [r] = await this.sql`
      SELECT u.*, s.csrf, s.expires_at AS s_expires, s.last_seen_at AS s_seen
      FROM auth_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = ${hashSecret(id)} AND s.expires_at > ${new Date()}`;
    return r
      ? {
          user: toUser(r),
          csrf: String(r.csrf),
          expiresAt: r.s_expires as Date,
          lastSeenAt: r.s_seen as Date,
        }
      : null;
  }

  async touchSession(id: string, at: Date, expiresAt: Date): Promise<void> {
    await this.sql`UPDATE auth_sessions SET last_seen_at = ${at}, expires_at = ${expiresAt}
      WHERE id_hash = ${hashSecret(id)}`;
  }

  async deleteSession(id: string): Promise<void> {
    await this.sql`DELETE FROM auth_sessions WHERE id_hash = ${hashSecret(id)}`;
  }

  async deleteUserSessions(userId: string, keep?: string): Promise<number> {
    const gone = await this.sql`DELETE FROM auth_sessions
      WHERE user_id = ${userId} AND id_hash <> ${keep ? hashSecret(keep) : ''} RETURNING id_hash`;
    return gone.length;
  }

  forWorkspace(workspace: Workspace): MetaWorkspaceStore {
    return new PostgresWorkspaceStore(this.sql, workspace);
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

export function toWorkspace(r: Record<string, unknown>): Workspace {
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    timezone: String(r.timezone),
    currency: String(r.currency),
    settings: workspaceSettingsSchema.parse(r.settings),
    createdAt: r.created_at as Date,
  };
}

export function toUser(r: Record<string, unknown>): User {
  return {
    id: String(r.id),
    email: String(r.email),
    name: (r.name as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
