#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { type Config, resolveConfig } from '../core/config.js';
import { isUserError, UserError } from '../core/errors.js';
import { runningServer, serve } from '../server/serve.js';
import { describeModeFixes, secureDataDir } from '../store/data.dir.js';
import { DuckDbStore } from '../store/duckdb/duckdb.store.js';
import { openConfiguredStore } from '../store/open.store.js';
import type { Store } from '../store/store.js';
import { buildProgram, runProgram } from './program.js';
import type { Runtime } from './runtime.js';

/** A flag's value from argv without parsing the rest (`--data D` or `--data=D`). */
function peek(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === flag) return argv[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let cfg: Config;
  try {
    cfg = resolveConfig({
      data: peek(argv, '--data'),
      host: peek(argv, '--host'),
      port: peek(argv, '--port'),
      logLevel: peek(argv, '--log-level'),
      publicUrl: peek(argv, '--public-url'),
      events: peek(argv, '--events'),
      meta: peek(argv, '--meta'),
    });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  if (argv[0] === 'serve' && !argv.includes('--help') && !argv.includes('-h')) {
    try {
      await serve(cfg);
      return -1; // keeps running
    } catch (e) {
      process.stderr.write(
        isUserError(e) ? `error: ${e.oneLine()}\n` : `internal error: ${(e as Error).stack}\n`,
      );
      return isUserError(e) ? 1 : 2;
    }
  }
  // While a server holds the database, every command runs its use case there, through the JSON API
  // (src/cli/backend.ts). A restore fills a new data directory: never through a server.
  const server = argv[0] === 'restore' ? null : runningServer(cfg.dataDir);
  let store: Store | null = null;
  // Only these start a data directory; any other command in a folder without one would otherwise
  // create an empty database there and report that nothing exists.
  const creates =
    argv[0] === 'demo' ||
    argv[0] === 'migrate' ||
    argv[0] === 'restore' ||
    (argv[0] === 'workspace' && argv[1] === 'create');
  const rt: Runtime = {
    store: async () => {
      if (!store) {
        // NORTHSTAR_EVENTS / NORTHSTAR_META: PostgreSQL and ClickHouse; else the DuckDB file.
        store = await openConfiguredStore(cfg, async () => {
          if (!creates && !existsSync(cfg.dbPath)) {
            throw new UserError(
              `no Northstar data in ${cfg.dataDir} (looked for ${cfg.dbPath}); point at yours with --data DIR or NORTHSTAR_DATA, or start one with \`northstar demo\` or \`northstar workspace create SLUG\``,
              { field: '--data' },
            );
          }
          const fixed = describeModeFixes(secureDataDir(cfg.dataDir));
          if (fixed) process.stderr.write(`${fixed}\n`);
          return DuckDbStore.open(cfg.dbPath);
        });
        await store.migrate();
      }
      return store;
    },
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdin: async () => (process.stdin.isTTY ? '' : readFileSync(0, 'utf8')),
    stdinBytes: async () => (process.stdin.isTTY ? Buffer.alloc(0) : readFileSync(0)),
    isTTY: process.stdout.isTTY === true,
    dataDir: cfg.dataDir,
    server,
  };
  const program = buildProgram(rt);
  program
    .command('serve')
    .description('HTTP server: tracking API, JSON API, dashboard (creates the demo workspace on first start)')
    .option('--port <n>', 'port (env PORT, default 8080)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--events <url>', 'ClickHouse event store, clickhouse://host:8123/db (env NORTHSTAR_EVENTS)')
    .option('--meta <url>', 'PostgreSQL metadata store, postgres://user@host/db (env NORTHSTAR_META)')
    .option(
      '--log-level <level>',
      'fatal|error|warn|info|debug|trace|silent (env NORTHSTAR_LOG_LEVEL, default info)',
    );
  const code = await runProgram(program, rt, argv.length ? argv : ['--help']);
  if (store) {
    await (store as Store).close();
    // The database and WAL this command created follow the directory's rule (0600).
    if ((store as Store) instanceof DuckDbStore) secureDataDir(cfg.dataDir);
  }
  return code;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`internal error: ${(e as Error).stack}\n`);
    process.exitCode = 2;
  },
);
