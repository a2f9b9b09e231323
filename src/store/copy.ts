import { UserError } from '../core/errors.js';
import type { Workspace } from '../domain/workspace.js';
import { CH_TABLES } from './clickhouse/ch.schema.js';
import type { ClickHouseWorkspaceStore } from './clickhouse/ch.workspace.store.js';
import { ClickHouseEventStore } from './clickhouse/clickhouse.store.js';
import type { DuckDbStore } from './duckdb/duckdb.store.js';
import { PostgresMetaStore } from './postgres/postgres.store.js';
import type { Row } from './store.js';

/** Rows read from DuckDB and written to the target per step (one ClickHouse insert, one progress tick). */
const PAGE = 100_000;

/** Metadata tables copied to PostgreSQL, workspace-scoped, in foreign-key order. */
const META_COPY = [
  'memberships',
  'api_keys',
  'goals',
  'checkins',
  'custom_kpis',
  'audit_log',
  'scoring_rules',
  'shares',
  'report_settings',
];

/** JSON columns of the metadata tables: DuckDB hands them back as text, PostgreSQL stores jsonb. */
const JSON_COLUMNS: Record<string, readonly string[]> = {
  goals: ['spec'],
  audit_log: ['before', 'after'],
  scoring_rules: ['rules'],
  report_settings: ['settings'],
};

/**
 * How many distinct rows ClickHouse will hold after deduplication: the replacing tables' keys, as
 * DuckDB computes them (a DuckDB file may hold a message id twice, which ClickHouse counts once).
 */
const DISTINCT: Record<string, string> = {
  events: 'count(DISTINCT (CAST(ts AS DATE), message_id))',
  sessions: 'count(DISTINCT (CAST(started_at AS DATE), session_id))',
  contacts: 'count(DISTINCT id)',
  deals: 'count(DISTINCT id)',
  campaigns: 'count(DISTINCT id)',
  contact_scores: 'count(DISTINCT (contact_id, model))',
  scoring_rules: 'count(*)',
};

export interface CopyProgress {
  workspace: string;
  table: string;
  /** Rows written so far, of `total`, across every table of every workspace being copied. */
  done: number;
  total: number;
}

export interface CopyCheck {
  workspace: string;
  table: string;
  source: number;
  target: number;
}

/**
 * Copies workspaces from a DuckDB store to PostgreSQL (metadata) and ClickHouse (analytic rows),
 * keeping every id, then counts each table on both sides. Refuses a workspace that exists at the
 * target already. Returns the counts; the caller fails when any differ.
 *
 * @example
 * const checks = await copyWorkspaces(duck, { meta: 'postgres://…', events: 'clickhouse://…' }, ['demo']);
 */
export async function copyWorkspaces(
  source: DuckDbStore,
  to: { meta: string; events: string },
  slugs: readonly string[] | null,
  onProgress?: (p: CopyProgress) => void,
): Promise<CopyCheck[]> {
  const all = await source.listWorkspaces();
  const chosen = slugs ? all.filter((w) => slugs.includes(w.slug)) : all;
  for (const s of slugs ?? [])
    if (!all.some((w) => w.slug === s)) throw new UserError(`no workspace ${s} in the DuckDB store`);
  const meta = await PostgresMetaStore.open(to.meta);
  const events = await ClickHouseEventStore.open(to.events).catch(async (e) => {
    await meta.close();
    throw e;
  });
  try {
    await meta.migrate();
    await events.migrate();
    for (const w of chosen)
      if (await meta.getWorkspace(w.slug))
        throw new UserError(`workspace ${w.slug} exists in PostgreSQL already; copy into an empty target`);
    const sizes = new Map<string, number>();
    let total = 0;
    for (const w of chosen)
      for (const t of [...META_COPY, ...CH_TABLES.map((x) => x.name)]) {
        const n = await countOf(source, t, w);
        sizes.set(`${w.id}/${t}`, n);
        total += n;
      }
    let done = 0;
    const tick = (w: Workspace, table: string, n: number) => {
      done += n;
      onProgress?.({ workspace: w.slug, table, done, total });
    };
    await copyUsers(source, meta);
    for (const w of chosen) {
      await meta.sql`INSERT INTO workspaces VALUES (${w.id}, ${w.slug}, ${w.name}, ${w.timezone},
        ${w.currency}, ${meta.sql.json(w.settings as never)}, ${w.createdAt})`;
      for (const t of META_COPY) {
        const rows = (await source.db.all(`SELECT * FROM ${t} WHERE workspace_id = $ws`, { ws: w.id })).map(
          (r) => {
            for (const c of JSON_COLUMNS[t] ?? [])
              if (typeof r[c] === 'string') r[c] = meta.sql.json(JSON.parse(r[c] as string));
            return r;
          },
        );
        for (let i = 0; i < rows.length; i += 1000) {
          const page = rows.slice(i, i + 1000);
          await meta.sql`INSERT INTO ${meta.sql(t)} ${meta.sql(page as never)}`;
          tick(w, t, page.length);
        }
      }
      const ws = events.forWorkspace(w) as ClickHouseWorkspaceStore;
      for (const t of CH_TABLES) {
        const n = sizes.get(`${w.id}/${t.name}`) ?? 0;
        // Pages by rowid: each is a range scan of DuckDB's row groups, not an OFFSET re-read.
        const [range] = await source.db.all<{ lo: number | null; hi: number | null }>(
          `SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${t.name} WHERE workspace_id = $ws`,
          { ws: w.id },
        );
        if (!n || range?.lo == null || range.hi == null) continue;
        for (let lo = range.lo; lo <= range.hi; lo += PAGE) {
          const rows = await source.db.all(
            `SELECT * FROM ${t.name} WHERE workspace_id = $ws AND rowid >= $lo AND rowid < $hi`,
            { ws: w.id, lo, hi: lo + PAGE },
          );
          await ws.insertRaw(t.name, rows);
          tick(w, t.name, rows.length);
        }
      }
    }
    return await verify(source, meta, events, chosen);
  } finally {
    await meta.close();
    await events.close();
  }
}

async function countOf(source: DuckDbStore, table: string, w: Workspace, expr = 'count(*)'): Promise<number> {
  const [r] = await source.db.all<{ n: number }>(
    `SELECT ${expr} AS n FROM ${table} WHERE workspace_id = $ws`,
    {
      ws: w.id,
    },
  );
  return Number(r?.n ?? 0);
}

/** Every user (they are global), keeping ids and password hashes; one already there is kept. */
async function copyUsers(source: DuckDbStore, meta: PostgresMetaStore): Promise<void> {
  const users = await source.db.all<Row>('SELECT id, email, name, password_hash, created_at FROM users');
  for (let i = 0; i < users.length; i += 1000)
    await meta.sql`INSERT INTO users ${meta.sql(users.slice(i, i + 1000) as never)} ON CONFLICT DO NOTHING`;
}

async function verify(
  source: DuckDbStore,
  meta: PostgresMetaStore,
  events: ClickHouseEventStore,
  chosen: readonly Workspace[],
): Promise<CopyCheck[]> {
  const checks: CopyCheck[] = [];
  for (const w of chosen) {
    for (const t of META_COPY) {
      const [r] = await meta.sql`SELECT count(*)::int AS n FROM ${meta.sql(t)} WHERE workspace_id = ${w.id}`;
      checks.push({ workspace: w.slug, table: t, source: await countOf(source, t, w), target: Number(r?.n) });
    }
    const ws = events.forWorkspace(w);
    for (const t of CH_TABLES) {
      const [r] = await ws.query<{ n: number }>(`SELECT count(*) AS n FROM @${t.name}`);
      checks.push({
        workspace: w.slug,
        table: t.name,
        source: await countOf(source, t.name, w, DISTINCT[t.name]),
        target: Number(r?.n),
      });
    }
  }
  return checks;
}
