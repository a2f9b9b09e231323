import { UserError } from '../core/errors.js';
import type { AuditRow } from '../domain/goal.js';
import type { ScoringRules, StoredRules } from '../domain/scoring.js';
import type { Workspace } from '../domain/workspace.js';
import {
  type EventStore,
  type EventWorkspaceStore,
  META_TABLES,
  META_WORKSPACE_METHODS,
  type MetaStore,
  type MetaWorkspaceStore,
  type Store,
  type WorkspaceStore,
} from './store.js';

/**
 * Metadata tables an event store may keep a read copy of, for analytic queries that join them (the
 * ClickHouse store does: ch.schema.ts); SplitStore writes the copy after the metadata store.
 */
export interface ReadCopies {
  copyAudit(row: AuditRow): Promise<void>;
  copyScoringRules(rules: StoredRules): Promise<void>;
}
const COPIED: readonly string[] = ['audit_log', 'scoring_rules'];
const META_REF = new RegExp(`@(${META_TABLES.filter((t) => !COPIED.includes(t)).join('|')})\\b`);

/**
 * A Store made of two: metadata (workspaces, users, keys, goals, audit, …) in one store, events and
 * the other analytic rows in another, e.g. PostgreSQL and ClickHouse. Callers see one `Store`.
 *
 * @example
 * const store = new SplitStore(await PostgresMetaStore.open(pgUrl), await ClickHouseEventStore.open(chUrl));
 * await store.migrate();
 */
export class SplitStore implements Store {
  constructor(
    readonly meta: MetaStore,
    readonly events: EventStore,
  ) {}

  async migrate() {
    const meta = await this.meta.migrate();
    const events = await this.events.migrate();
    return {
      applied: [...meta.applied.map((m) => `meta ${m}`), ...events.applied.map((m) => `events ${m}`)],
    };
  }
  createWorkspace(input: Parameters<Store['createWorkspace']>[0]) {
    return this.meta.createWorkspace(input);
  }
  getWorkspace(slug: string) {
    return this.meta.getWorkspace(slug);
  }
  listWorkspaces() {
    return this.meta.listWorkspaces();
  }
  async deleteWorkspace(slug: string) {
    const ws = await this.meta.getWorkspace(slug);
    if (!ws) return;
    await this.events.dropWorkspace(ws.id);
    await this.meta.deleteWorkspace(slug);
  }
  findApiKey(key: string) {
    return this.meta.findApiKey(key);
  }
  touchApiKey(key: string, at: Date) {
    return this.meta.touchApiKey(key, at);
  }
  findShare(token: string) {
    return this.meta.findShare(token);
  }
  createUser(email: string, name: string | null, password: string) {
    return this.meta.createUser(email, name, password);
  }
  findUserByEmail(email: string) {
    return this.meta.findUserByEmail(email);
  }
  verifyPassword(email: string, password: string) {
    return this.meta.verifyPassword(email, password);
  }
  setPassword(userId: string, password: string) {
    return this.meta.setPassword(userId, password);
  }
  countUsers() {
    return this.meta.countUsers();
  }
  listMemberships(userId: string) {
    return this.meta.listMemberships(userId);
  }
  createSession(userId: string, idleMs: number) {
    return this.meta.createSession(userId, idleMs);
  }
  findSession(id: string) {
    return this.meta.findSession(id);
  }
  touchSession(id: string, at: Date, expiresAt: Date) {
    return this.meta.touchSession(id, at, expiresAt);
  }
  deleteSession(id: string) {
    return this.meta.deleteSession(id);
  }
  deleteUserSessions(userId: string, keep?: string) {
    return this.meta.deleteUserSessions(userId, keep);
  }
  forWorkspace(workspace: Workspace): WorkspaceStore {
    return splitWorkspace(this.meta.forWorkspace(workspace), this.events.forWorkspace(workspace));
  }
  /** Only DuckDB has a WAL of ours to checkpoint; the servers manage their own. */
  async checkpoint() {}
  async backup(): Promise<{ bytes: number }> {
    throw new UserError(
      'backup copies a DuckDB file; with PostgreSQL and ClickHouse use pg_dump and ClickHouse BACKUP (docs/scale-out.md)',
    );
  }
  async close() {
    await Promise.allSettled([this.meta.close(), this.events.close()]);
  }
}

/** One WorkspaceStore whose metadata methods go to `meta` and everything else to `events`. */
function splitWorkspace(meta: MetaWorkspaceStore, events: EventWorkspaceStore): WorkspaceStore {
  const metaMethods = new Set<string>(META_WORKSPACE_METHODS);
  const copies = 'copyAudit' in events ? (events as unknown as ReadCopies) : null;
  const composite = {
    get workspace() {
      return meta.workspace;
    },
    async clearData() {
      await events.clearData();
      await meta.clearData();
    },
    async audit(row: Omit<AuditRow, 'at'> & { at?: Date }) {
      const at = row.at ?? new Date();
      await meta.audit({ ...row, at });
      await copies?.copyAudit({ ...row, at, before: row.before ?? null, after: row.after ?? null });
    },
    async replaceGoals(records: Parameters<WorkspaceStore['replaceGoals']>[0], actor: string) {
      const before = copies ? await meta.listGoals() : [];
      await meta.replaceGoals(records, actor);
      const entry = { actor, action: 'replace', entity: 'goals', entityId: '*', before, after: records };
      await copies?.copyAudit({ ...entry, at: new Date() });
    },
    async putScoringRules(yaml: string, rules: ScoringRules) {
      await meta.putScoringRules(yaml, rules);
      const stored = await meta.getScoringRules();
      if (stored) await copies?.copyScoringRules(stored);
    },
    query(sql: string, params?: Parameters<WorkspaceStore['query']>[1]) {
      const m = META_REF.exec(sql);
      // An analytic query joining metadata would need both engines in one statement.
      if (m)
        throw new Error(
          `@${m[1]} is metadata (PostgreSQL) and cannot be read by an analytic query here; use its store method`,
        );
      return events.query(sql, params);
    },
  } as Record<string, unknown>;
  return new Proxy(composite, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !(prop in target)) {
        const side = (metaMethods.has(prop) ? meta : events) as unknown as Record<string, unknown>;
        const v = side[prop];
        return typeof v === 'function' ? v.bind(side) : v;
      }
      return Reflect.get(target, prop, receiver);
    },
  }) as unknown as WorkspaceStore;
}
