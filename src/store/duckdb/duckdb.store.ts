import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../core/errors.js';
import { hashSecret, newId } from '../../core/ids.js';
import {
  type NewWorkspace,
  newWorkspaceSchema,
  type Role,
  type User,
  type Workspace,
  workspaceSettingsSchema,
} from '../../domain/workspace.js';
import { checkNewPassword, checkPassword, hashPassword, needsRehash } from '../password.js';
import { type FoundKey, SCOPED_TABLES, type SessionInfo, type Store, type WorkspaceStore } from '../store.js';
import { Db, type DbOptions } from './db.js';
import { JournalApplier } from './journal.apply.js';
import { journalDir } from './journal.js';
import { MIGRATIONS } from './migrations.js';
import { DuckDbWorkspaceStore } from './workspace.store.js';

/**
 * The embedded default: every table in one DuckDB file.
 *
 * @example
 * const store = await DuckDbStore.open('data/northstar.duckdb');
 * await store.migrate();
 * const ws = store.forWorkspace((await store.getWorkspace('demo'))!);
 */
export class DuckDbStore implements Store {
  /** Replays the tracking journal (see JournalApplier); null for an in-memory database. */
  readonly journal: JournalApplier | null;

  private constructor(
    readonly db: Db,
    readonly path: string,
    log: (msg: string) => void,
  ) {
    this.journal = path === ':memory:' ? null : new JournalApplier(db, journalDir(path), log);
  }

  /** `log` hears about journal records that could not be applied (see JournalApplier). */
  static async open(
    path: string,
    opts: DbOptions = {},
    log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
  ): Promise<DuckDbStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      return new DuckDbStore(await Db.open(path, opts), path, log);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg)) {
        throw new UserError(`the database ${path} is in use by another process (${firstLine(msg)})`);
      }
      throw e;
    }
  }

  /**
   * Applies pending migrations, then whatever tracking writes a stopped server journaled but had not
   * applied yet (so every command sees every acknowledged event).
   */
  async migrate(): Promise<{ applied: string[]; replayed?: { writes: number; events: number } }> {
    await this.db.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
    const done = new Set(
      (await this.db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    // By version, whatever order the list was merged in; a missing version number is simply skipped.
    for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await this.db.transaction(async (c) => {
        for (const s of m.statements) await c.run(s);
        await c.run('INSERT INTO schema_migrations VALUES ($v, $n, now()::TIMESTAMP)', {
          v: m.version,
          n: m.name,
        });
      });
      applied.push(`${m.version} ${m.name}`);
    }
    const replayed = await this.journal?.replay();
    return replayed?.writes ? { applied, replayed } : { applied };
  }

  async createWorkspace(input: NewWorkspace): Promise<Workspace> {
    const parsed = newWorkspaceSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(issue?.message ?? 'invalid workspace', { field: issue?.path.join('.') });
    }
    const w = parsed.data;
    if (await this.getWorkspace(w.slug)) throw new UserError(`workspace ${w.slug} already exists`, {}, 409);
    const settings = workspaceSettingsSchema.parse({});
    const row: Workspace = {
      id: newId(),
      slug: w.slug,
      name: w.name ?? w.slug,
      timezone: w.timezone,
      currency: w.currency,
      settings,
      createdAt: new Date(),
    };
    await this.db.run('INSERT INTO workspaces VALUES ($id, $slug, $name, $tz, $cur, $settings, $at)', {
      id: row.id,
      slug: row.slug,
      name: row.name,
      tz: row.timezone,
      cur: row.currency,
      settings: JSON.stringify(settings),
      at: row.createdAt,
    });
    return row;
  }

  async getWorkspace(slug: string): Promise<Workspace | null> {
    const rows = await this.db.all('SELECT * FROM workspaces WHERE slug = $slug', { slug });
    return rows[0] ? toWorkspace(rows[0]) : null;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.db.all('SELECT * FROM workspaces ORDER BY slug')).map(toWorkspace);
  }

  async deleteWorkspace(slug: string): Promise<void> {
    const ws = await this.getWorkspace(slug);
    if (!ws) return;
    await this.db.transaction(async (c) => {
      for (const t of [...SCOPED_TABLES, 'api_keys', 'memberships']) {
        await c.run(`DELETE FROM ${t} WHERE workspace_id = $ws`, { ws: ws.id });
      }
      await c.run('DELETE FROM workspaces WHERE id = $ws', { ws: ws.id });
    });
  }

  async touchApiKey(key: string, at: Date): Promise<void> {
    await this.db.run('UPDATE api_keys SET last_used_at = $at WHERE key_hash = $h', {
      at,
      h: hashSecret(key),
    });
  }

  async findApiKey(key: string): Promise<FoundKey | null> {
    const rows = await this.db.all(
      `SELECT w.*, k.kind AS key_kind, k.role AS key_role FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
       WHERE k.key_hash = $h AND k.revoked_at IS NULL`,
      { h: hashSecret(key) },
    );
    const r = rows[0];
    return r
      ? {
          workspace: toWorkspace(r),
          kind: r.key_kind as FoundKey['kind'],
          role: (r.key_role as Role | null) ?? null,
        }
      : null;
  }

  async createUser(email: string, name: string | null, password: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized))
      throw new UserError(`not an e-mail address: ${email}`);
    checkNewPassword(password);
    if (await this.findUserByEmail(normalized))
      throw new UserError(`user ${normalized} already exists`, {}, 409);
    const user: User = { id: newId(), email: normalized, name, createdAt: new Date() };
    await this.db.run('INSERT INTO users VALUES ($id, $email, $name, $ph, $at)', {
      id: user.id,
      email: user.email,
      name,
      ph: await hashPassword(password),
      at: user.createdAt,
    });
    return user;
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const rows = await this.db.all('SELECT * FROM users WHERE email = $e', { e: email.trim().toLowerCase() });
    return rows[0] ? toUser(rows[0]) : null;
  }

  async verifyPassword(email: string, password: string): Promise<User | null> {
    const rows = await this.db.all('SELECT * FROM users WHERE email = $e', { e: email.trim().toLowerCase() });
    const r = rows[0];
    const stored = r ? String(r.password_hash) : null;
    if (!r || !(await checkPassword(password, stored))) return null;
    if (stored && needsRehash(stored))
      await this.db.run('UPDATE users SET password_hash = $ph WHERE id = $id', {
        ph: await hashPassword(password),
        id: String(r.id),
      });
    return toUser(r);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    checkNewPassword(password);
    await this.db.run('UPDATE users SET password_hash = $ph WHERE id = $id', {
      ph: await hashPassword(password),
      id: userId,
    });
  }

  async countUsers(): Promise<number> {
    const rows = await this.db.all<{ n: number | bigint }>('SELECT count(*) AS n FROM users');
    return Number(rows[0]?.n ?? 0);
  }

  async listMemberships(userId: string): Promise<Array<{ workspace: Workspace; role: Role }>> {
    const rows = await this.db.all(
      `SELECT w.*, m.role AS member_role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $u ORDER BY w.slug`,
      { u: userId },
    );
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
    await this.db.run('INSERT INTO auth_sessions VALUES ($h, $u, $csrf, $now, $exp, $now)', {
      h: hashSecret(id),
      u: userId,
      csrf,
      now,
      exp: expiresAt,
    });
    return { id, csrf, expiresAt };
  }

  async findSession(id: string): Promise<SessionInfo | null> {
    const rows = await this.db.all(
      `SELECT u.*, s.csrf, s.expires_at AS s_expires, s.last_seen_at AS s_seen
       FROM auth_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $h AND s.expires_at > $now`,
      { h: hashSecret(id), now: new Date() },
    );
    const r = rows[0];
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
    await this.db.run('UPDATE auth_sessions SET last_seen_at = $at, expires_at = $exp WHERE id_hash = $h', {
      at,
      exp: expiresAt,
      h: hashSecret(id),
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE id_hash = $h', { h: hashSecret(id) });
  }

  async deleteUserSessions(userId: string, keep?: string): Promise<number> {
    const rows = await this.db.all<{ n: number | bigint }>(
      'SELECT count(*) AS n FROM auth_sessions WHERE user_id = $u AND id_hash <> $keep',
      { u: userId, keep: keep ? hashSecret(keep) : '' },
    );
    await this.db.run('DELETE FROM auth_sessions WHERE user_id = $u AND id_hash <> $keep', {
      u: userId,
      keep: keep ? hashSecret(keep) : '',
    });
    return Number(rows[0]?.n ?? 0);
  }

  forWorkspace(workspace: Workspace): WorkspaceStore {
    return new DuckDbWorkspaceStore(this.db, workspace);
  }

  async checkpoint(): Promise<void> {
    await this.db.run('CHECKPOINT');
  }

  async backup(path: string): Promise<{ bytes: number }> {
    if (existsSync(path)) throw new UserError(`${path} exists already; a backup never overwrites a file`);
    mkdirSync(dirname(path), { recursive: true });
    // One transaction on the write connection: the copy is what the database holds at its start.
    await this.db.exclusive(async (c) => {
      const name = String((await c.runAndReadAll('SELECT current_database() AS d')).getRowObjects()[0]?.d);
      await c.run(`ATTACH '${path.replaceAll("'", "''")}' AS ns_backup`);
      try {
        await c.run(`COPY FROM DATABASE "${name.replaceAll('"', '""')}" TO ns_backup`);
      } finally {
        await c.run('DETACH ns_backup');
      }
    });
    chmodSync(path, 0o600);
    return { bytes: statSync(path).size };
  }

  async close(): Promise<void> {
    await this.db.exclusive(async () => undefined);
    this.db.close();
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

export function toWorkspace(r: Record<string, unknown>): Workspace {
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    timezone: String(r.timezone),
    currency: String(r.currency),
    settings: workspaceSettingsSchema.parse(JSON.parse(String(r.settings))),
    createdAt: r.created_at as Date,
  };
}

function toUser(r: Record<string, unknown>): User {
  return {
    id: String(r.id),
    email: String(r.email),
    name: (r.name as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}
