import { UserError } from '../core/errors.js';
import { ClickHouseEventStore } from './clickhouse/clickhouse.store.js';
import { PostgresMetaStore, redact } from './postgres/postgres.store.js';
import { SplitStore } from './split.store.js';
import type { Store } from './store.js';

/** Where the two halves live when not in the DuckDB file (flags, else NORTHSTAR_EVENTS / NORTHSTAR_META). */
export interface EngineUrls {
  events?: string;
  meta?: string;
}

/** The flags' values, else the environment's. */
export function engineUrls(flags: EngineUrls, env: NodeJS.ProcessEnv = process.env): EngineUrls {
  return { events: flags.events ?? env.NORTHSTAR_EVENTS, meta: flags.meta ?? env.NORTHSTAR_META };
}

/**
 * The scale-out Store for `--events clickhouse://…` with `--meta postgres://…`; null when neither is
 * given (the DuckDB default). One without the other is refused: the halves share workspace ids.
 *
 * @example
 * const store = await openScaleOut({ events: 'clickhouse://ch:8123/northstar', meta: 'postgres://pg/northstar' });
 */
export async function openScaleOut(urls: EngineUrls): Promise<SplitStore | null> {
  if (!urls.events && !urls.meta) return null;
  if (!urls.events || !urls.meta)
    throw new UserError(
      'give both --events clickhouse://… and --meta postgres://… (or NORTHSTAR_EVENTS and NORTHSTAR_META): events and metadata move together',
    );
  if (!/^postgres(ql)?:\/\//.test(urls.meta))
    throw new UserError(`--meta must be a postgres:// URL, got ${urls.meta.split('@').pop()}`);
  const meta = await PostgresMetaStore.open(urls.meta);
  try {
    return new SplitStore(meta, await ClickHouseEventStore.open(urls.events));
  } catch (e) {
    await meta.close();
    throw e;
  }
}

/**
 * The store `serve` and the CLI commands work on: PostgreSQL + ClickHouse when `urls` name them (the
 * flags, else NORTHSTAR_EVENTS / NORTHSTAR_META), else the DuckDB file that `openDuckDb` opens. The
 * caller migrates it. The one place the product chooses its engines.
 *
 * @example
 * const store = await openConfiguredStore(cfg, () => DuckDbStore.open(cfg.dbPath));
 */
export async function openConfiguredStore(
  urls: EngineUrls,
  openDuckDb: () => Promise<Store>,
): Promise<Store> {
  return (await openScaleOut(urls)) ?? openDuckDb();
}

/** Where the data lives, for a log line: the DuckDB directory, or both engines without passwords. */
export function describeEngines(urls: EngineUrls, dataDir: string): string {
  if (!urls.events && !urls.meta) return `data: ${dataDir}`;
  return `events: ${redact(urls.events ?? '')}, metadata: ${redact(urls.meta ?? '')}`;
}
