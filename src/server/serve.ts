import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { runDemo } from '../demo/demo.js';
import { startStatusJob } from '../goals/status.job.js';
import { startScoringJob } from '../scoring/scoring.job.js';
import { describeModeFixes, secureDataDir } from '../store/data.dir.js';
import { describeEngines, openConfiguredStore } from '../store/open.store.js';
import { ReadCache, withReadCache } from '../store/read.cache.js';
import { WorkerStore } from '../store/worker/worker.store.js';
import { createDemoAdmin } from '../usecases/users.usecase.js';
import { buildApp } from './app.js';
import { createLogger, type Logger, parseLogLevel } from './logger.js';
import { startReportJob } from './report.job.js';
import { warmDefaultPages } from './warm.job.js';

function parseLogLevelOrFail(text: string) {
  try {
    return parseLogLevel(text);
  } catch (e) {
    throw new UserError((e as Error).message, { field: '--log-level' });
  }
}

/** What a running server leaves in its data directory so the CLI can reach it. */
export interface ServerFile {
  pid: number;
  host: string;
  port: number;
  token: string;
}

export function serverFilePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

/** The server running on this data directory, if its process is alive. */
export function runningServer(dataDir: string): ServerFile | null {
  const path = serverFilePath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as ServerFile;
    process.kill(s.pid, 0);
    return s;
  } catch {
    return null;
  }
}

/**
 * `northstar serve`: opens the store, creates the demo workspace on a first start (an empty data
 * directory), and serves the tracking API, JSON API and dashboard until SIGINT/SIGTERM.
 */
export async function serve(cfg: Config, logger?: Logger): Promise<void> {
  const logs = logger ?? createLogger(parseLogLevelOrFail(cfg.logLevel));
  const log = (s: string) => logs.info(s);
  const other = runningServer(cfg.dataDir);
  if (other && other.pid !== process.pid) {
    throw new UserError(
      `a server (pid ${other.pid}) already serves ${cfg.dataDir} on ${other.host}:${other.port}`,
    );
  }
  // The database runs in its own thread, so writes, commits and checkpoints never hold up a request.
  // Checkpoints run when writes pause for a second. Under sustained load DuckDB's automatic one runs
  // inside the commit that crosses the threshold, stalling it for time proportional to the WAL: small
  // and frequent beats large and rare for latency and memory (bench/RESULTS.md).
  // Tracking writes are acknowledged once fsynced to a journal beside the database and applied to it
  // right after in larger transactions, so a checkpoint delays the tables, never a client
  // (docs/tracking.md). NORTHSTAR_JOURNAL=off acknowledges after DuckDB's commit instead.
  const journal = process.env.NORTHSTAR_JOURNAL !== 'off';
  // Everything the server creates in the data directory (the database, its WAL, journal segments,
  // uploads) is its owner's alone; an existing directory with looser modes is tightened, and said.
  process.umask(0o077);
  const fixed = describeModeFixes(secureDataDir(cfg.dataDir));
  if (fixed) logs.warn(fixed);
  // --events/--meta (NORTHSTAR_EVENTS/NORTHSTAR_META): ClickHouse and PostgreSQL; else the DuckDB file.
  const raw = await openConfiguredStore(cfg, () =>
    WorkerStore.open(
      cfg.dbPath,
      {
        checkpointThreshold: process.env.NORTHSTAR_CHECKPOINT_THRESHOLD ?? '64MB',
        idleCheckpointMs: 1000,
        journal,
      },
      (e) => {
        // Without its database the server can only fail every request: exit so a supervisor restarts it.
        logs.fatal({ err: e }, `the database thread failed: ${e.message}`);
        process.exit(2);
      },
      logs,
    ),
  );
  const { replayed } = await raw.migrate();
  // Reads' answers kept until their workspace is written to (store/read.cache.ts): every request,
  // job and write of the server goes through this one store. While tracking data arrives the
  // expensive answers are served stale and refreshed in the background, those read in the last 10
  // minutes every NORTHSTAR_REFRESH_MS (default 30 s, the dashboard's own interval) unasked; 0 leaves
  // refreshes to readers.
  const refreshMs = Number(process.env.NORTHSTAR_REFRESH_MS ?? 30_000);
  if (!Number.isFinite(refreshMs) || refreshMs < 0)
    throw new UserError(
      `NORTHSTAR_REFRESH_MS must be a number of milliseconds, got ${process.env.NORTHSTAR_REFRESH_MS}`,
      {
        field: 'NORTHSTAR_REFRESH_MS',
      },
    );
  const store = withReadCache(
    raw,
    new ReadCache(refreshMs === 0 ? { hotMs: 0 } : { refreshEveryMs: refreshMs }),
  );
  if (replayed)
    log(
      `applied ${replayed.events} events from ${replayed.writes} journaled tracking writes left by the last run`,
    );
  if ((await store.listWorkspaces()).length === 0) {
    log('first start: creating the demo workspace…');
    const t = Date.now();
    const { counts } = await runDemo(store, {});
    log(`demo workspace ready in ${((Date.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    const demoAdmin = await createDemoAdmin(store);
    // Shown this once: only the password's hash is stored (`user …` or Settings add more accounts).
    if (demoAdmin)
      log(
        `sign in to the demo as ${demoAdmin.email} with the password ${demoAdmin.password} (shown once: only its hash is stored; add your own accounts in Settings)`,
      );
  }
  const token = randomBytes(24).toString('hex');
  // Objective statuses and their alerts: on this schedule and after writes, never on a read.
  const statusJob = startStatusJob(store, { log: (m) => logs.error(m) });
  const app = await buildApp({
    onWrite: () => statusJob.soon(),
    store,
    dataDir: cfg.dataDir,
    cliToken: token,
    logger: logs,
    ...(cfg.publicUrl ? { publicUrl: cfg.publicUrl } : {}),
  });
  await app.listen({ host: cfg.host, port: cfg.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const file: ServerFile = { pid: process.pid, host: cfg.host, port, token };
  // The token in it is the local CLI's admin credential: the file is its owner's alone, also when a
  // stale one with other modes was left behind (the mode option only applies to a new file).
  writeFileSync(serverFilePath(cfg.dataDir), JSON.stringify(file), { mode: 0o600 });
  chmodSync(serverFilePath(cfg.dataDir), 0o600);
  log(`Northstar listening on http://${cfg.host}:${port} (${describeEngines(cfg, cfg.dataDir)})`);
  // Incremental lead scoring (docs/scoring.md); a failed pass is an error in the log.
  const stopScoring = startScoringJob(store, { log: (m) => logs.error(m) });
  // Weekly reports (docs/reports.md): rendered from this server's own loopback address.
  const loopback = `http://${/^(0\.0\.0\.0|::)$/.test(cfg.host) ? '127.0.0.1' : cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  const stopReports = startReportJob(store, () => loopback, { log: (m) => logs.error(m) });
  // The overview's default reads computed after a start rather than during the first visit;
  // NORTHSTAR_WARM=off leaves them to the first reader.
  const warm =
    process.env.NORTHSTAR_WARM === 'off'
      ? null
      : warmDefaultPages(store, { log, error: (m) => logs.error(m) });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await warm?.stop();
    await stopScoring();
    await stopReports();
    await statusJob.stop();
    try {
      await app.close();
      await store.checkpoint().catch((e: unknown) => logs.warn({ err: e }, 'the last checkpoint failed'));
      await store.close();
    } catch (e) {
      logs.error({ err: e }, 'stopping failed; the next start applies what the journal holds');
      process.exitCode = 2;
    }
    rmSync(serverFilePath(cfg.dataDir), { force: true });
    log('stopped');
    process.exit(process.exitCode ?? 0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
