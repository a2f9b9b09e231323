import { UserError } from '../core/errors.js';
import { ClickHouseEventStore } from './clickhouse/clickhouse.store.js';
import { PostgresMetaStore } from './postgres/postgres.store.js';
import { SplitStore } from './split.store.js';

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
