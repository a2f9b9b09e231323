import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { UserError } from '../../core/errors.js';
import type { Row, SqlParam } from '../store.js';

/** Column kinds the Appender helper knows how to write. */
export type ColumnKind =
  | 'varchar'
  | 'double'
  | 'integer'
  | 'bigint'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'json';

export interface ColumnSpec<T> {
  name: string;
  kind: ColumnKind;
  get: (row: T) => unknown;
}

const MS_PER_DAY = 86_400_000;

/** `YYYY-MM-DD` → DuckDB DATE (days since the epoch). */
export function toDuckDate(date: string): DuckDBDateValue {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${date}`);
  return new DuckDBDateValue(Math.round(ms / MS_PER_DAY));
}

export function toDuckTimestamp(d: Date): DuckDBTimestampValue {
  return new DuckDBTimestampValue(BigInt(d.getTime()) * 1000n);
}

function toDuckParam(v: SqlParam): DuckDBValue {
  if (v instanceof Date) return toDuckTimestamp(v);
  return v;
}

const SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Converts what DuckDB hands back (bigint counts, DATE objects) to plain JS values. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}

export interface DbOptions {
  /**
   * WAL size at which DuckDB checkpoints by itself, inside the commit that crosses it (that commit
   * waits for the checkpoint). Default 256MB: bulk loads are not interrupted every 16 MB.
   */
  checkpointThreshold?: string;
}

/**
 * One DuckDB file, one instance. Writes go through a single connection, one at a time (DuckDB runs
 * one statement per connection); reads use their own connections so a long analytic query does not
 * hold up ingestion.
 */
/**
 * An all-or-nothing scope (Db.atomically): one transaction on the write connection that every write
 * and read of the scope's async context joins, one statement at a time, until it commits.
 */
interface Scope {
  conn: DuckDBConnection;
  chain: Promise<unknown>;
  open: boolean;
  /** True inside a task of the scope: its own nested calls run at once (queueing them would deadlock). */
  inTask: boolean;
}

/** An open all-or-nothing scope (Db.begin). */
export interface AtomicScope {
  /** Runs `fn` in the scope: its writes and reads through the Db join the scope's transaction. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Commits (true) or rolls back the scope, once every call of it has finished. */
  end(commit: boolean): Promise<void>;
}

export class Db {
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private writeChain: Promise<unknown> = Promise.resolve();
  private readers: DuckDBConnection[] = [];
  private writesQueued = 0;
  private lastWriteEnd = 0;

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly path: string,
  ) {}

  static async open(path: string, opts: DbOptions = {}): Promise<Db> {
    const instance = await DuckDBInstance.create(path);
    const writer = await instance.connect();
    // TIMESTAMP columns hold UTC; casts to TIMESTAMPTZ must read them as UTC whatever the host's TZ.
    await writer.run("SET GLOBAL TimeZone = 'UTC'");
    // Fewer automatic checkpoints during bulk writes; 256 MB of WAL still replays in seconds.
    const threshold = opts.checkpointThreshold ?? '256MB';
    if (!SIZE.test(threshold))
      throw new UserError(`NORTHSTAR_CHECKPOINT_THRESHOLD must look like 64MB, got ${threshold}`, {
        field: 'NORTHSTAR_CHECKPOINT_THRESHOLD',
      });
    await writer.run(`SET checkpoint_threshold = '${threshold}'`);
    // DuckDB's buffer cache would otherwise grow to 80 % of RAM; a server's memory should stay flat.
    const memory = process.env.NORTHSTAR_DB_MEMORY ?? '3GB';
    if (!SIZE.test(memory))
      throw new UserError(`NORTHSTAR_DB_MEMORY must look like 3GB, got ${memory}`, {
        field: 'NORTHSTAR_DB_MEMORY',
      });
    await writer.run(`SET memory_limit = '${memory}'`);
    return new Db(instance, writer, path);
  }

  /** Runs `fn` on the connection of the open scope of this async context, in its order; null: none. */
  private inScope<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> | null {
    const scope = this.scopes.getStore();
    if (!scope?.open) return null;
    if (scope.inTask) return fn(scope.conn);
    const next = scope.chain.then(() => this.scopes.run({ ...scope, inTask: true }, () => fn(scope.conn)));
    scope.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs `fn` as one transaction: every write and read `fn` makes through this Db (its own
   * `transaction`s included) joins it and sees its uncommitted rows; other writers wait until it
   * commits, readers elsewhere see the state before it. A failure, or the process dying, leaves
   * nothing of it (DuckDB writes a transaction to its WAL only at commit).
   *
   * @example
   * await db.atomically(async () => { await a(); await b(); }); // both or neither
   */
  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scopes.getStore()?.open) return fn();
    const scope = await this.begin();
    let out: T;
    try {
      out = await scope.run(fn);
    } catch (e) {
      await scope.end(false);
      throw e;
    }
    await scope.end(true);
    return out;
  }

  /**
   * Opens an all-or-nothing scope whose calls come one by one (the database thread serves a scope
   * opened by the server's thread: db.worker.ts): `run` joins a call to it, `end` commits or rolls
   * it back. Other writers wait until it ends.
   *
   * @example
   * const s = await db.begin(); await s.run(() => write()); await s.end(true);
   */
  begin(): Promise<AtomicScope> {
    return new Promise((resolveScope, rejectScope) => {
      let finish: (commit: boolean) => void = () => undefined;
      const decided = new Promise<boolean>((r) => {
        finish = r;
      });
      const outcome = this.exclusive(async (conn) => {
        const scope: Scope = { conn, chain: Promise.resolve(), open: true, inTask: false };
        await conn.run('BEGIN TRANSACTION');
        resolveScope({
          run: (fn) => {
            if (!scope.open) return Promise.reject(new Error('the atomic scope has ended'));
            return this.scopes.run(scope, fn);
          },
          end: async (commit) => {
            finish(commit);
            await outcome;
          },
        });
        const commit = await decided;
        await scope.chain;
        scope.open = false;
        await conn.run(commit ? 'COMMIT' : 'ROLLBACK');
      });
      outcome.catch(rejectScope);
    });
  }

  /** Runs `fn` with the write connection once every earlier write has finished. */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const scoped = this.inScope(fn);
    if (scoped) return scoped;
    this.writesQueued++;
    const next = this.writeChain
      .then(() => fn(this.writer))
      .finally(() => {
        this.writesQueued--;
        this.lastWriteEnd = Date.now();
      });
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /**
   * Checkpoints when no write has run for `idleMs` and the WAL holds at least `minWalBytes`, so the
   * checkpoint falls in a quiet moment instead of inside a commit someone waits for. True if it ran.
   */
  async checkpointIfIdle(idleMs: number, minWalBytes: number): Promise<boolean> {
    if (this.writesQueued > 0 || Date.now() - this.lastWriteEnd < idleMs) return false;
    const wal = statSync(`${this.path}.wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (wal < minWalBytes) return false;
    await this.exclusive((c) => c.run('CHECKPOINT'));
    return true;
  }

  async run(sql: string, params: Record<string, SqlParam> = {}): Promise<void> {
    await this.exclusive((c) => c.run(sql, convertParams(params)));
  }

  /** Runs statements in one transaction on the write connection. */
  async transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    // Inside an atomic scope, the scope's transaction is this one's.
    const scoped = this.inScope(fn);
    if (scoped) return scoped;
    return this.exclusive(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const out = await fn(c);
        await c.run('COMMIT');
        return out;
      } catch (e) {
        await c.run('ROLLBACK');
        throw e;
      }
    });
  }

  async all<T extends Row = Row>(sql: string, params: Record<string, SqlParam> = {}): Promise<T[]> {
    // An atomic scope reads its own uncommitted rows.
    const scoped = this.inScope((c) => this.allOn<T>(c, sql, params));
    if (scoped) return scoped;
    const conn = this.readers.pop() ?? (await this.instance.connect());
    try {
      const reader = await conn.runAndReadAll(sql, convertParams(params, sql));
      return reader.getRowObjectsJS().map((r) => {
        const out: Row = {};
        for (const [k, v] of Object.entries(r)) out[k] = plain(v);
        return out as T;
      });
    } finally {
      if (this.readers.length < 4) this.readers.push(conn);
      else conn.closeSync();
    }
  }

  /** Reads through the write connection (sees its uncommitted transaction). */
  async allOn<T extends Row = Row>(
    conn: DuckDBConnection,
    sql: string,
    params: Record<string, SqlParam> = {},
  ) {
    const reader = await conn.runAndReadAll(sql, convertParams(params, sql));
    return reader.getRowObjectsJS().map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) out[k] = plain(v);
      return out as T;
    });
  }

  close(): void {
    for (const r of this.readers) r.closeSync();
    this.readers = [];
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Named parameters as DuckDB values. With `sql`, only those the statement uses are bound (DuckDB
 * rejects a named parameter the statement does not have), so callers can pass a shared set.
 */
export function convertParams(params: Record<string, SqlParam>, sql?: string): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) {
    if (sql !== undefined && !new RegExp(`\\$${k}\\b`).test(sql)) continue;
    out[k] = toDuckParam(v);
  }
  return out;
}

/**
 * The Appender's calls are synchronous: a long append yields to the event loop every so many rows,
 * so the thread can answer other work meanwhile (the database thread acknowledges journaled tracking
 * writes while it applies earlier ones). ~10 ms of appending at a time here.
 */
const YIELD_ROWS = 2000;
const turn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Appends rows through DuckDB's Appender (far faster than INSERT … VALUES), with `workspace_id`
 * first, then `columns` in table order. `flushSync` before close makes the rows durable in the WAL.
 */
export async function appendRows<T>(
  conn: DuckDBConnection,
  table: string,
  workspaceId: string,
  columns: readonly ColumnSpec<T>[],
  rows: readonly T[],
  schema?: string,
  catalog?: string,
): Promise<void> {
  if (rows.length === 0) return;
  const appender = await conn.createAppender(table, schema ?? null, catalog ?? null);
  try {
    let n = 0;
    for (const row of rows) {
      appender.appendVarchar(workspaceId);
      for (const col of columns) appendValue(appender, col, col.get(row));
      appender.endRow();
      if (++n % YIELD_ROWS === 0) await turn();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Rows taken apart into one array per column, values already what the Appender takes: strings (JSON
 * serialized), numbers, booleans, `YYYY-MM-DD` dates, and times as epoch milliseconds. Crossing to the
 * database thread this way is half the structured-clone work of row objects, and the database thread
 * no longer serializes JSON.
 */
export interface ColumnarRows {
  count: number;
  values: unknown[][];
}

/** `rows` as columns for `appendColumns`, in `columns` order. */
export function toColumns<T>(columns: readonly ColumnSpec<T>[], rows: readonly T[]): ColumnarRows {
  const values = columns.map((col) => {
    const out = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = col.get(rows[i] as T);
      if (v === null || v === undefined) out[i] = null;
      else if (col.kind === 'json') out[i] = typeof v === 'string' ? v : JSON.stringify(v);
      else if (col.kind === 'timestamp') {
        if (!(v instanceof Date) || Number.isNaN(v.getTime()))
          throw new Error(`${col.name}: not a valid time`);
        out[i] = v.getTime();
      } else out[i] = v;
    }
    return out;
  });
  return { count: rows.length, values };
}

/** Like appendRows, from columns (see ColumnarRows). */
export async function appendColumns(
  conn: DuckDBConnection,
  table: string,
  workspaceId: string,
  columns: readonly ColumnSpec<unknown>[],
  data: ColumnarRows,
): Promise<void> {
  if (data.count === 0) return;
  if (data.values.length !== columns.length) throw new Error(`${table}: ${data.values.length} columns given`);
  const appender = await conn.createAppender(table);
  try {
    for (let r = 0; r < data.count; r++) {
      appender.appendVarchar(workspaceId);
      for (let c = 0; c < columns.length; c++)
        appendValue(appender, columns[c] as ColumnSpec<unknown>, (data.values[c] as unknown[])[r]);
      appender.endRow();
      if ((r + 1) % YIELD_ROWS === 0) await turn();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function appendValue<T>(a: DuckDBAppender, col: ColumnSpec<T>, v: unknown): void {
  if (v === null || v === undefined) {
    a.appendNull();
    return;
  }
  switch (col.kind) {
    case 'varchar':
      a.appendVarchar(String(v));
      return;
    case 'json':
      a.appendVarchar(typeof v === 'string' ? v : JSON.stringify(v));
      return;
    case 'double':
      a.appendDouble(Number(v));
      return;
    case 'integer':
      a.appendInteger(Number(v));
      return;
    case 'bigint':
      a.appendBigInt(BigInt(Math.round(Number(v))));
      return;
    case 'boolean':
      a.appendBoolean(Boolean(v));
      return;
    case 'timestamp':
      if (typeof v === 'number' && Number.isFinite(v)) {
        a.appendTimestamp(new DuckDBTimestampValue(BigInt(v) * 1000n));
        return;
      }
      if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new Error(`${col.name}: not a valid time`);
      a.appendTimestamp(toDuckTimestamp(v));
      return;
    case 'date':
      a.appendDate(toDuckDate(String(v)));
      return;
  }
}

/** Runs one statement on a given connection (inside a transaction) with converted parameters. */
export async function exec(conn: DuckDBConnection, sql: string, params: Record<string, SqlParam> = {}) {
  await conn.run(sql, convertParams(params));
}
