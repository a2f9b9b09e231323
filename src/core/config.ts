import { resolve } from 'node:path';

/** Where things live and listen, from flags first, then the environment, then defaults. */
export interface Config {
  dataDir: string;
  dbPath: string;
  host: string;
  port: number;
  /** How much the server logs: `--log-level`, else NORTHSTAR_LOG_LEVEL, else info. */
  logLevel: string;
  /**
   * The URL people and SDKs reach the server at (`--public-url`, else NORTHSTAR_PUBLIC_URL), e.g.
   * `https://northstar.example.com`: its host name is the one (besides loopback names) the server
   * answers to, and URLs it hands out are built from it. Null: `http://HOST:PORT` as it listens.
   */
  publicUrl: string | null;
  /**
   * Scale-out (docs/scale-out.md): the ClickHouse event store and PostgreSQL metadata store URLs
   * (`--events` / `--meta`, else NORTHSTAR_EVENTS / NORTHSTAR_META); absent, the DuckDB file holds both.
   */
  events?: string;
  meta?: string;
}

export function resolveConfig(
  opts: {
    data?: string;
    host?: string;
    port?: string | number;
    logLevel?: string;
    publicUrl?: string;
    events?: string;
    meta?: string;
  },
  env = process.env,
): Config {
  const dataDir = resolve(opts.data ?? env.NORTHSTAR_DATA ?? './data');
  const port = Number(opts.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`not a port: ${opts.port ?? env.PORT}`);
  return {
    dataDir,
    dbPath: resolve(dataDir, 'northstar.duckdb'),
    host: opts.host ?? env.HOST ?? '127.0.0.1',
    port,
    logLevel: opts.logLevel ?? env.NORTHSTAR_LOG_LEVEL ?? 'info',
    publicUrl: parsePublicUrl(opts.publicUrl ?? env.NORTHSTAR_PUBLIC_URL),
    ...engines(opts.events ?? env.NORTHSTAR_EVENTS, opts.meta ?? env.NORTHSTAR_META),
  };
}

function engines(events: string | undefined, meta: string | undefined): Pick<Config, 'events' | 'meta'> {
  return { ...(events ? { events } : {}), ...(meta ? { meta } : {}) };
}

/** `https://ns.example.com/` → `https://ns.example.com` (origin only); a clear error otherwise. */
export function parsePublicUrl(text: string | undefined): string | null {
  if (text === undefined || text === '') return null;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`--public-url must be a URL such as https://northstar.example.com, got "${text}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`--public-url must be http or https, got "${text}"`);
  return u.origin;
}
