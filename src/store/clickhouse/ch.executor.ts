import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { UserError } from '../../core/errors.js';
import type { Row, SqlParam } from '../store.js';
import { bindParams, type ChMeta, decodeRows, inlineParams } from './ch.sql.js';

/**
 * What the ClickHouse store needs from a connection: DDL, parameterised reads, and batched inserts of
 * JSON rows. Two kinds: a server over HTTP (`@clickhouse/client`) and ClickHouse in this process
 * (`chdb`, an optional package: the tests use it for modern ClickHouse without a server).
 */
export interface ChExecutor {
  /** The server's release, e.g. `26.7.2.1` or `18.16.1`. */
  readonly version: string;
  /** A statement without a result (DDL, DELETE), with `$name` parameters like `query`. */
  command(sql: string, params?: Record<string, SqlParam>): Promise<void>;
  query<T extends Row = Row>(sql: string, params?: Record<string, SqlParam>): Promise<T[]>;
  /** One INSERT of many rows (JSONEachRow); the batch is the unit ClickHouse writes as one part. */
  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

interface JsonCompact {
  meta: ChMeta[];
  data: unknown[][];
}

/**
 * Settings the dialect's SQL relies on: UTC as the session zone, NULL for an outer join's missing side,
 * and a column name winning over a SELECT alias of the same name (standard SQL, as DuckDB reads it).
 */
const DIALECT_SETTINGS = {
  session_timezone: 'UTC',
  join_use_nulls: 1,
  prefer_column_name_to_alias: 1,
} as const;

/**
 * Settings the dialect is faster with, set where the release has them. Without
 * `enable_materialized_cte` (26.x: off by default) ClickHouse accepts `AS MATERIALIZED` but inlines the
 * CTE into every reference, so a KPI batch rebuilt its stitched people once per measure: 1.7 s against
 * 0.53 s for the 22-measure CRM batch on the small demo.
 */
const OPTIONAL_SETTINGS = { enable_materialized_cte: 1 } as const;
const OPTIONAL_QUERY = `SELECT name FROM system.settings WHERE name IN (${Object.keys(OPTIONAL_SETTINGS)
  .map((k) => `'${k}'`)
  .join(', ')})`;

/** The dialect's settings plus the optional ones this release knows (`known`: names it reported). */
function settingsFor(known: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = { ...DIALECT_SETTINGS };
  for (const [k, v] of Object.entries(OPTIONAL_SETTINGS)) if (known.includes(k)) out[k] = v;
  return out;
}

/** Releases before 19.x have neither query parameters nor DateTime64. */
export function isLegacy(version: string): boolean {
  return Number(version.split('.')[0]) < 20;
}

export class HttpExecutor implements ChExecutor {
  private constructor(
    private readonly client: ClickHouseClient,
    readonly version: string,
  ) {}

  /** `url` is the HTTP endpoint, e.g. `http://127.0.0.1:8123`; `database` defaults to `default`. */
  static async open(url: string, database = 'default'): Promise<HttpExecutor> {
    // Failures reach the caller as thrown errors; the client's own log would print each one twice.
    const config = { url, database, request_timeout: 300_000, log: { level: ClickHouseLogLevel.OFF } };
    const client = createClient(config);
    try {
      const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
      const [r] = (await rs.json()) as Array<{ v: string }>;
      const version = String(r?.v);
      if (isLegacy(version)) return new HttpExecutor(client, version);
      const known = (await (
        await client.query({ query: OPTIONAL_QUERY, format: 'JSONEachRow' })
      ).json()) as Array<{ name: string }>;
      await client.close();
      // What the dialect assumes (store/clickhouse/clickhouse.dialect.ts), on every statement.
      const settings = settingsFor(known.map((r) => r.name));
      return new HttpExecutor(createClient({ ...config, clickhouse_settings: settings }), version);
    } catch (e) {
      await client.close();
      throw new UserError(`cannot reach ClickHouse at ${url}: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  get legacy(): boolean {
    return isLegacy(this.version);
  }

  async command(sql: string, params: Record<string, SqlParam> = {}): Promise<void> {
    const bound = this.legacy ? { sql: inlineParams(sql, params), params: {} } : bindParams(sql, params);
    await this.client.command({ query: bound.sql, query_params: bound.params });
  }

  async query<T extends Row = Row>(sql: string, params: Record<string, SqlParam> = {}): Promise<T[]> {
    const bound = this.legacy ? { sql: inlineParams(sql, params), params: {} } : bindParams(sql, params);
    const rs = await this.client.query({
      query: bound.sql,
      query_params: bound.params,
      format: 'JSONCompact',
    });
    const json = (await rs.json()) as unknown as JsonCompact;
    return decodeRows<T>(json.meta, json.data);
  }

  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({
      table,
      values: rows as Record<string, unknown>[],
      format: 'JSONEachRow',
      // Acknowledged once every shard has the rows, not once they are queued for a shard.
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The part of chdb's Session this adapter uses (the package is optional, so typed here). */
interface ChdbSession {
  queryAsync(sql: string, opts?: { format?: string }): Promise<{ text(): string }>;
  queryBindAsync(sql: string, params: object, opts?: { format?: string }): Promise<{ text(): string }>;
  insert(p: { table: string; values: Buffer; format: 'JSONEachRow' }): Promise<unknown>;
  close(): void;
}

/** ClickHouse inside this process through `chdb`, on a data directory (`chdb:///path/to/dir`). */
export class ChdbExecutor implements ChExecutor {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ChdbSession,
    readonly version: string,
  ) {}

  static async open(path: string): Promise<ChdbExecutor> {
    const name = 'chdb';
    let mod: { Session: new (path: string) => ChdbSession };
    try {
      mod = (await import(name)) as typeof mod;
    } catch {
      throw new UserError('chdb:// needs the optional package chdb: run `npm install chdb`');
    }
    const session = new mod.Session(path);
    const v = JSON.parse((await session.queryAsync('SELECT version() AS v', { format: 'JSON' })).text()) as {
      data: Array<{ v: string }>;
    };
    const known = JSON.parse((await session.queryAsync(OPTIONAL_QUERY, { format: 'JSON' })).text()) as {
      data: Array<{ name: string }>;
    };
    for (const [k, val] of Object.entries(settingsFor(known.data.map((r) => r.name))))
      await session.queryAsync(`SET ${k} = ${typeof val === 'string' ? `'${val}'` : val}`, {
        format: 'Null',
      });
    return new ChdbExecutor(session, String(v.data[0]?.v));
  }

  /** One statement at a time on the session (chdb's session is not meant for concurrent use). */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(f, f);
    this.chain = next.catch(() => undefined);
    return next;
  }

  command(sql: string, params: Record<string, SqlParam> = {}): Promise<void> {
    const bound = bindParams(sql, params);
    return this.serial(async () => {
      await this.session.queryBindAsync(bound.sql, bound.params, { format: 'Null' });
    });
  }

  query<T extends Row = Row>(sql: string, params: Record<string, SqlParam> = {}): Promise<T[]> {
    const bound = bindParams(sql, params);
    return this.serial(async () => {
      const r = await this.session.queryBindAsync(bound.sql, bound.params, { format: 'JSONCompact' });
      const text = r.text();
      if (!text.trim()) return [];
      const json = JSON.parse(text) as JsonCompact;
      return decodeRows<T>(json.meta, json.data);
    });
  }

  insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const values = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
    return this.serial(async () => {
      await this.session.insert({ table, values, format: 'JSONEachRow' });
    });
  }

  async close(): Promise<void> {
    await this.chain;
    this.session.close();
  }
}
