import postgres from 'postgres';
import { UserError } from '../../core/errors.js';
import { hashSecret, newId } from '../../core/ids.js';
import {
  type NewWorkspace,
  newWorkspaceSchema,
  type User,
  type Workspace,
  workspaceSettingsSchema,
} from '../../domain/workspace.js';
import { checkPassword, hashPassword } from '../duckdb/duckdb.store.js';
import type { MetaStore, MetaWorkspaceStore } from '../store.js';
import { PG_MIGRATIONS } from './pg.migrations.js';
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
    const sql = postgres(url, { max: opts.max ?? 4, onnotice: () => undefined, connect_timeout: 10 });
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

  async findApiKey(key: string): Promise<{ workspace: Workspace; kind: 'write' | 'read' } | null> {
    const [r] = await this.sql`
      SELECT w.*, k.kind AS key_kind FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
      WHERE k.key_hash = ${hashSecret(key)} AND k.revoked_at IS NULL`;
    return r ? { workspace: toWorkspace(r), kind: r.key_kind as 'write' | 'read' } : null;
  }

  async touchApiKey(key: string, at: Date): Promise<void> {
    await this.sql`UPDATE api_keys SET last_used_at = ${at} WHERE key_hash = ${hashSecret(key)}`;
  }

  async createUser(email: string, name: string | null, password: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized))
      throw new UserError(`not an e-mail address: ${email}`);
    if (password.length < 8) throw new UserError('the password needs at least 8 characters');
    const user: User = { id: newId(), email: normalized, name, createdAt: new Date() };
    const inserted = await this.sql`
      INSERT INTO users VALUES (${user.id}, ${user.email}, ${name}, ${hashPassword(password)}, ${user.createdAt})
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
    if (!r || !checkPassword(password, String(r.password_hash))) return null;
    return toUser(r);
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
