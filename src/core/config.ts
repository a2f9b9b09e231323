import { resolve } from 'node:path';

/** Where things live and listen, from flags first, then the environment, then defaults. */
export interface Config {
  dataDir: string;
  dbPath: string;
  host: string;
  port: number;
  /** How much the server logs: `--log-level`, else NORTHSTAR_LOG_LEVEL, else info. */
  logLevel: string;
}

export function resolveConfig(
  opts: { data?: string; host?: string; port?: string | number; logLevel?: string },
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
  };
}
