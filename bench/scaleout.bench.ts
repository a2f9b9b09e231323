/**
 * The same demo in DuckDB and in PostgreSQL + ClickHouse, side by side in one run: load time, the KPI
 * board (every catalog KPI, one quarter, by channel) cold and warm, and tracking-sized event batches
 * into two clickhouse-server shards through a Distributed table (rows/s and p99 per acknowledged
 * batch). Needs the servers of scripts/scaleout-servers.sh (its env lines) and chdb.
 *
 *   eval "$(bash scripts/scaleout-servers.sh start /tmp/ns-bench)"; npx tsx bench/scaleout.bench.ts small
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scale } from '../src/demo/demo.config.js';
import { runDemo } from '../src/demo/demo.js';
import type { Workspace } from '../src/domain/workspace.js';
import { KPI_CATALOG } from '../src/metrics/kpi.catalog.js';
import { runKpis } from '../src/metrics/kpi.query.js';
import { HttpExecutor } from '../src/store/clickhouse/ch.executor.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { PostgresMetaStore } from '../src/store/postgres/postgres.store.js';
import { SplitStore } from '../src/store/split.store.js';
import type { Store } from '../src/store/store.js';
import { eventRow } from '../test/fixtures.js';
import { freshPgDatabase } from '../test/scaleout.env.js';

const scale = (process.argv[2] ?? 'small') as Scale;
const until = '2026-06-30';
const ids = KPI_CATALOG.map((k) => k.id);
const q = { from: '2026-01-01', to: '2026-03-31', by: 'channel' as const };
const pg = process.env.NORTHSTAR_TEST_PG;
const shards = process.env.NORTHSTAR_TEST_CH_SHARDS?.split(',') ?? [];
if (!pg || shards.length < 2) throw new Error('start the servers first (see the header)');

async function board(name: string, store: Store) {
  let t = Date.now();
  const { workspace, counts } = await runDemo(store, { seed: 7, scale, until });
  const load = Date.now() - t;
  const ws = store.forWorkspace(workspace);
  t = Date.now();
  await runKpis(ws, ids, q);
  const cold = Date.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = Date.now();
    await runKpis(ws, ids, q);
    warm.push(Date.now() - t);
  }
  console.log(
    `| ${name} | ${counts.events.toLocaleString('en-US')} | ${(load / 1000).toFixed(1)} s | ${cold} ms | ${Math.min(...warm)} ms |`,
  );
}

console.log(
  `- ${new Date().toISOString()}, scale ${scale}, until ${until}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log('\n| store | events | demo load | KPI board cold | warm (best of 3) |\n|---|---|---|---|---|');
const duck = await DuckDbStore.open(join(mkdtempSync(join(tmpdir(), 'ns-bench-')), 'northstar.duckdb'));
await duck.migrate();
await board('DuckDB', duck);
await duck.close();
const split = new SplitStore(
  await PostgresMetaStore.open(await freshPgDatabase(pg)),
  await ClickHouseEventStore.open(`chdb://${mkdtempSync(join(tmpdir(), 'ns-bench-ch-'))}`),
);
await split.migrate();
await board('PostgreSQL + ClickHouse 26.7 (chdb, in process)', split);
await split.close();

// Tracking-sized batches (500 events, as the tracker groups requests) into the two-shard cluster.
const db = `bench_${Date.now().toString(36)}`;
for (const url of shards) {
  const admin = await HttpExecutor.open(url);
  await admin.command(`CREATE DATABASE ${db}`);
  await admin.close();
}
const hosts = shards.map((u) => new URL(u).host);
const cluster = await ClickHouseEventStore.open(
  `clickhouse://${hosts[0]}/${db}?cluster=${process.env.NORTHSTAR_TEST_CH_CLUSTER}&shards=${hosts.slice(1).join(',')}`,
);
await cluster.migrate();
const ws = cluster.forWorkspace({ id: 'bench' } as Workspace);
const lat: number[] = [];
const start = Date.now();
let n = 0;
for (let b = 0; b < 200; b++) {
  const batch = Array.from({ length: 500 }, (_, i) =>
    eventRow(`b${b}-${i}`, new Date(Date.UTC(2026, 0, 1) + n++ * 1000), {
      anonymousId: `a${(b * 500 + i) % 5000}`,
    }),
  );
  const t = performance.now();
  await ws.appendEvents(batch);
  lat.push(performance.now() - t);
}
const secs = (Date.now() - start) / 1000;
lat.sort((a, b) => a - b);
console.log(
  `\nTwo clickhouse-server 18.16 shards, Distributed insert (insert_distributed_sync): ${n.toLocaleString('en-US')} events in 200 batches of 500: **${Math.round(n / secs).toLocaleString('en-US')} events/s**, per batch p50 ${lat[100]?.toFixed(0)} ms, p99 ${lat[197]?.toFixed(0)} ms; counted back: ${(await ws.counts()).events}`,
);
await cluster.close();
