/**
 * DuckDB against PostgreSQL + ClickHouse, side by side in one run (issue 17):
 *  1. the same demo (seed 7) into DuckDB, the KPI board (every catalog KPI, one quarter, by channel)
 *     cold and warm;
 *  2. that DuckDB workspace copied (`copyWorkspaces`, what `northstar copy` runs) into PostgreSQL and
 *     the two clickhouse-server shards (Debian's 18.16, a Distributed table), counts verified, and the
 *     KPI board tried there (18.16 lacks the dialect's functions: the error is reported, not hidden);
 *  3. the same demo into PostgreSQL + ClickHouse 26.7 in process (chdb), where the board runs;
 *  4. the tracking API: `northstar serve` on DuckDB, then `northstar serve --events clickhouse://<the
 *     two shards> --meta postgres://…`, each driven by the same concurrent `/v1/batch` clients for
 *     TRACK_SECONDS, killed with SIGKILL, and the stored events counted back against those acknowledged.
 * Prints one markdown section; with BENCH_APPEND=1 also appends it to bench/RESULTS.md.
 *
 *   eval "$(bash scripts/scaleout-servers.sh start /tmp/ns-bench)"
 *   npx tsx bench/scaleout.bench.ts [scale=medium] [track seconds=60] [connections=16]
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scale } from '../src/demo/demo.config.js';
import { runDemo } from '../src/demo/demo.js';
import type { Workspace } from '../src/domain/workspace.js';
import { KPI_CATALOG } from '../src/metrics/kpi.catalog.js';
import { runKpis } from '../src/metrics/kpi.query.js';
import { HttpExecutor } from '../src/store/clickhouse/ch.executor.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { copyWorkspaces } from '../src/store/copy.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { PostgresMetaStore } from '../src/store/postgres/postgres.store.js';
import { SplitStore } from '../src/store/split.store.js';
import type { Store } from '../src/store/store.js';
import { freshPgDatabase } from '../test/scaleout.env.js';
import { driveTracking, killServer, percentile, startServer, type TrackRun } from './scaleout.track.js';

const scale = (process.argv[2] ?? 'medium') as Scale;
const trackSeconds = Number(process.argv[3] ?? 60);
const connections = Number(process.argv[4] ?? 16);
const until = '2026-06-30';
const ids = KPI_CATALOG.map((k) => k.id);
const q = { from: '2026-01-01', to: '2026-03-31', by: 'channel' as const };
const pg = process.env.NORTHSTAR_TEST_PG;
const shards = process.env.NORTHSTAR_TEST_CH_SHARDS?.split(',') ?? [];
const clusterName = process.env.NORTHSTAR_TEST_CH_CLUSTER;
if (!pg || shards.length < 2 || !clusterName) throw new Error('start the servers first (see the header)');

const out: string[] = [];
const say = (line: string) => {
  out.push(line);
  console.log(line);
};
const made: string[] = [];
/** A temporary directory, removed at the end (a large demo leaves gigabytes). */
const tmp = (p: string) => {
  made.push(mkdtempSync(join(tmpdir(), p)));
  return made.at(-1) as string;
};
const loads: string[] = [];
const loadSamples: number[] = [];
/** `ours`: the load is this run's own (the tracking phases start a server and 16 clients here). */
const noteLoad = (when: string, ours = false) => {
  const avg = loadavg();
  if (!ours) loadSamples.push(avg[0] ?? 0);
  loads.push(`${when} ${avg.map((x) => x.toFixed(1)).join('/')}`);
};
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A fresh database of this name on every shard; the event-store URL over both (a Distributed table). */
async function clusterUrl(db: string): Promise<string> {
  for (const url of shards) {
    const admin = await HttpExecutor.open(url);
    await admin.command(`CREATE DATABASE ${db}`);
    await admin.close();
  }
  const hosts = shards.map((u) => new URL(u).host);
  return `clickhouse://${hosts[0]}/${db}?cluster=${clusterName}&shards=${hosts.slice(1).join(',')}`;
}

/** The KPI board cold, then the best of three warm runs (ms). */
async function board(store: Store, workspace: Workspace): Promise<{ cold: number; warm: number }> {
  const ws = store.forWorkspace(workspace);
  let t = Date.now();
  await runKpis(ws, ids, q);
  const cold = Date.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = Date.now();
    await runKpis(ws, ids, q);
    warm.push(Date.now() - t);
  }
  return { cold, warm: Math.min(...warm) };
}

const rows: string[] = [];
noteLoad('start');

// 1. DuckDB.
const duckDir = tmp('ns-bench-duck-');
const duck = await DuckDbStore.open(join(duckDir, 'northstar.duckdb'));
await duck.migrate();
let t = Date.now();
const demo = await runDemo(duck, { seed: 7, scale, until });
const duckLoad = Date.now() - t;
const duckBoard = await board(duck, demo.workspace);
const events = demo.counts.events;
rows.push(
  `| DuckDB (one file) | ${n(events)} | ${s(duckLoad)} (demo) | ${n(duckBoard.cold)} ms | ${n(duckBoard.warm)} ms |`,
);
console.log(rows.at(-1));
noteLoad('after DuckDB');

// 2. The same workspace copied into PostgreSQL + two 18.16 shards.
const clusterEvents = await clusterUrl(`bench_${Date.now().toString(36)}`);
const clusterMeta = await freshPgDatabase(pg);
t = Date.now();
const checks = await copyWorkspaces(duck, { meta: clusterMeta, events: clusterEvents }, [
  demo.workspace.slug,
]);
const copyMs = Date.now() - t;
await duck.close();
const differ = checks.filter((c) => c.source !== c.target);
const onCluster = new SplitStore(
  await PostgresMetaStore.open(clusterMeta),
  await ClickHouseEventStore.open(clusterEvents),
);
const clusterCounts = await onCluster.forWorkspace(demo.workspace).counts();
let clusterBoard: string;
try {
  const b = await board(onCluster, demo.workspace);
  clusterBoard = `${n(b.cold)} ms | ${n(b.warm)} ms`;
} catch (e) {
  const why = (e as Error).message.replace(/^Code: \d+, e\.displayText\(\) = DB::Exception: /, '');
  clusterBoard = `not run, 18.16 refuses it: \`${why.split('\n')[0]?.slice(0, 110)}\` | —`;
}
await onCluster.close();
rows.push(
  `| PostgreSQL 15 + two clickhouse-server 18.16 shards (Distributed, HTTP) | ${n(clusterCounts.events)} | ${s(copyMs)} (\`copy\` from DuckDB; ${differ.length ? `**${differ.length} tables differ**` : `all ${checks.length} table counts equal`}) | ${clusterBoard} |`,
);
console.log(rows.at(-1));
noteLoad('after the copy');

// 3. The same demo into PostgreSQL + ClickHouse 26.7 in this process.
const chdb = new SplitStore(
  await PostgresMetaStore.open(await freshPgDatabase(pg)),
  await ClickHouseEventStore.open(`chdb://${tmp('ns-bench-chdb-')}`),
);
await chdb.migrate();
t = Date.now();
const demo2 = await runDemo(chdb, { seed: 7, scale, until });
const chdbLoad = Date.now() - t;
const chdbBoard = await board(chdb, demo2.workspace);
await chdb.close();
rows.push(
  `| PostgreSQL 15 + ClickHouse 26.7 (chdb, in process) | ${n(demo2.counts.events)} | ${s(chdbLoad)} (demo) | ${n(chdbBoard.cold)} ms | ${n(chdbBoard.warm)} ms |`,
);
console.log(rows.at(-1));
noteLoad('after chdb');

// 4. The tracking API on each.
async function trackOn(
  label: string,
  dataDir: string,
  args: string[],
  writeKey: string,
  count: () => Promise<number>,
) {
  const started = await startServer(dataDir, args);
  let run: TrackRun;
  try {
    run = await driveTracking(started.base, writeKey, trackSeconds, connections, label);
  } finally {
    await killServer(started.server);
  }
  const stored = await count();
  const lost = run.acked - stored;
  noteLoad(`after tracking on ${label}`, true);
  return `${n(run.acked / run.seconds)} events/s | ${percentile(run.latencies, 50).toFixed(0)} ms | ${percentile(run.latencies, 99).toFixed(0)} ms | ${run.failedRequests} | ${n(stored)} of ${n(run.acked)} (${lost > 0 ? `**${n(lost)} lost**` : 'none lost'})`;
}

const trackDir = tmp('ns-bench-track-duck-');
const trackDuck = await DuckDbStore.open(join(trackDir, 'northstar.duckdb'));
await trackDuck.migrate();
const duckWs = await trackDuck.createWorkspace({ slug: 'track' });
const duckKey = (await trackDuck.forWorkspace(duckWs).createApiKey('write')).key;
await trackDuck.close();
// Counted by the CLI, which replays the journal of acknowledged writes as the next serve would.
const duckTrack = await trackOn('duckdb', trackDir, [], duckKey, async () => {
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const args = [
    '--import',
    'tsx',
    main,
    'stats',
    '--workspace',
    'track',
    '--format',
    'json',
    '--data',
    trackDir,
  ];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })).events as number;
});

const trackEvents = await clusterUrl(`track_${Date.now().toString(36)}`);
const trackMeta = await freshPgDatabase(pg);
const meta = await PostgresMetaStore.open(trackMeta);
await meta.migrate();
const chWs = await meta.createWorkspace({ slug: 'track' });
const chKey = (await meta.forWorkspace(chWs).createApiKey('write')).key;
await meta.close();
const chTrack = await trackOn(
  'clickhouse',
  tmp('ns-bench-serve-'),
  ['--events', trackEvents, '--meta', trackMeta],
  chKey,
  async () => {
    const store = await ClickHouseEventStore.open(trackEvents);
    try {
      return (await store.forWorkspace(chWs).counts()).events;
    } finally {
      await store.close();
    }
  },
);

const cpu = cpus()[0]?.model ?? '';
/** The highest 1-minute load average while loading and querying; above the core count, other work competed. */
const busiest = Math.max(...loadSamples);
say(`### Scale-out, one run: ${scale} demo and the tracking API (${new Date().toISOString().slice(0, 16)}Z)`);
say('');
say(
  `- ${cpus().length} cores (${cpu}), Node ${process.version}; demo seed 7, scale ${scale}, until ${until}; load average (1/5/15 min) ${loads.join('; ')}${busiest > cpus().length + 1 ? ' (*shared*: other work ran on this machine meanwhile)' : ''}.`,
);
say('');
say('| store | events | load | KPI board cold (64 KPIs, Q1, by channel) | warm (best of 3) |');
say('|---|---|---|---|---|');
for (const r of rows) say(r);
say('');
say(
  `Tracking API: \`northstar serve\` as a process, ${connections} concurrent keep-alive clients posting \`/v1/batch\` (100 events each, write key, closed loop) for ${trackSeconds} s each, then SIGKILL and the stored events counted back.`,
);
say('');
say(
  '| serve on | acknowledged | p50 per request | p99 per request | failed requests | stored after kill -9 |',
);
say('|---|---|---|---|---|---|');
say(`| DuckDB (one file, worker thread, journal) | ${duckTrack} |`);
say(`| \`--events clickhouse://<two 18.16 shards, Distributed> --meta postgres://…\` | ${chTrack} |`);
say('');
if (process.env.BENCH_APPEND === '1')
  appendFileSync(new URL('./RESULTS.md', import.meta.url), `\n${out.join('\n')}\n`);
for (const d of made) rmSync(d, { recursive: true, force: true });
process.exit(0);
