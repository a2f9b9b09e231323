import { UserError } from '../../core/errors.js';
import type { Workspace } from '../../domain/workspace.js';
import type { EventStore, EventWorkspaceStore } from '../store.js';
import { ChdbExecutor, type ChExecutor, HttpExecutor, isLegacy } from './ch.executor.js';
import { CH_TABLES, type ChFeatures, createDistributed, createTable } from './ch.schema.js';
import { ClickHouseWorkspaceStore } from './ch.workspace.store.js';

/** Where the event store lives: one server, a cluster of shards, or ClickHouse in this process. */
export interface ClickHouseTarget {
  /** The node queries and inserts go to (a shard of the cluster, or the only server). */
  entry: ChExecutor;
  /** With a cluster: every shard, the entry included, each holding `<table>_local`. */
  shards?: ChExecutor[];
  cluster?: string;
  database: string;
}

/**
 * Events, visits, identity links, CRM and channel rows and scores on ClickHouse: the analytic half of
 * a scale-out deployment (metadata lives in PostgreSQL; `SplitStore` joins the two).
 *
 * URLs: `clickhouse://host:8123/db` (HTTP), `clickhouse://host:8123/db?cluster=NAME&shards=h2:8123,…`
 * (a Distributed table over `<table>_local` on every shard, sharded by person), `chdb:///dir`
 * (in-process, the optional `chdb` package).
 *
 * @example
 * const events = await ClickHouseEventStore.open('clickhouse://127.0.0.1:8123/northstar');
 * await events.migrate();
 */
export class ClickHouseEventStore implements EventStore {
  private constructor(readonly target: ClickHouseTarget) {}

  static async open(url: string): Promise<ClickHouseEventStore> {
    return new ClickHouseEventStore(await openTarget(url));
  }

  get features(): ChFeatures {
    return { legacy: isLegacy(this.target.entry.version) };
  }

  /** The nodes that hold the rows (each shard, or the one server). */
  private get nodes(): ChExecutor[] {
    return this.target.shards ?? [this.target.entry];
  }

  /** Tables are created if missing; ClickHouse's schema is this list, so the one "migration" is 1. */
  async migrate(): Promise<{ applied: string[] }> {
    const { entry, cluster, database } = this.target;
    await entry.command(
      'CREATE TABLE IF NOT EXISTS northstar_migrations (version UInt32, name String, applied_at DateTime) ENGINE = MergeTree ORDER BY version',
    );
    const done = await entry.query<{ version: number }>('SELECT version FROM northstar_migrations');
    if (done.some((r) => r.version === 1)) return { applied: [] };
    for (const t of CH_TABLES) {
      if (cluster && t.person) {
        for (const node of this.nodes) await node.command(createTable(t, this.features, `${t.name}_local`));
        await entry.command(createDistributed(t, this.features, cluster, database));
      } else {
        await entry.command(createTable(t, this.features));
      }
    }
    await entry.insert('northstar_migrations', [
      {
        version: 1,
        name: 'analytic tables',
        applied_at: new Date().toISOString().slice(0, 19).replace('T', ' '),
      },
    ]);
    return { applied: ['1 analytic tables'] };
  }

  forWorkspace(workspace: Workspace): EventWorkspaceStore {
    return new ClickHouseWorkspaceStore(this.target, this.features, workspace);
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    await new ClickHouseWorkspaceStore(this.target, this.features, {
      id: workspaceId,
    } as Workspace).clearData();
  }

  async close(): Promise<void> {
    const all = new Set([this.target.entry, ...(this.target.shards ?? [])]);
    await Promise.all([...all].map((e) => e.close()));
  }
}

async function openTarget(url: string): Promise<ClickHouseTarget> {
  if (url.startsWith('chdb://')) {
    const path = url.slice('chdb://'.length) || ':memory:';
    return { entry: await ChdbExecutor.open(path), database: 'default' };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`not a ClickHouse URL: ${url} (clickhouse://host:8123/database or chdb:///dir)`);
  }
  if (u.protocol !== 'clickhouse:' && u.protocol !== 'clickhouses:')
    throw new UserError(`not a ClickHouse URL: ${url} (clickhouse://host:8123/database or chdb:///dir)`);
  const scheme = u.protocol === 'clickhouses:' ? 'https' : 'http';
  const auth = u.username ? `${u.username}:${u.password}@` : '';
  const database = u.pathname.replace(/^\//, '') || 'default';
  const entry = await HttpExecutor.open(`${scheme}://${auth}${u.host}`, database);
  const cluster = u.searchParams.get('cluster') ?? undefined;
  if (!cluster) return { entry, database };
  const others = (u.searchParams.get('shards') ?? '').split(',').filter(Boolean);
  const shards = [entry];
  for (const host of others) shards.push(await HttpExecutor.open(`${scheme}://${auth}${host}`, database));
  return { entry, shards, cluster, database };
}
