/**
 * KPI engine speed on a demo database: every catalog KPI for one quarter by channel (cold, then warm),
 * and a 3-year monthly series of sessions.
 *
 *   node dist/cli/main.js demo --scale large --data /tmp/large && node --import tsx bench/kpi.bench.ts /tmp/large
 */
import { appendFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { KPI_CATALOG } from '../src/metrics/kpi.catalog.js';
import { runKpi, runKpis } from '../src/metrics/kpi.query.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';

const dir = process.argv[2] ?? './data';
const store = await DuckDbStore.open(join(dir, 'northstar.duckdb'));
await store.migrate();
const w = await store.getWorkspace('demo');
if (!w) throw new Error(`no demo workspace in ${dir}`);
const ws = store.forWorkspace(w);
const events = (await ws.counts()).events;
const quarter = { from: '2026-07-01', to: '2026-09-30' };

/** The whole catalog in one batch (each base measure computed once), as a dashboard asks for it. */
async function allKpis(): Promise<{ ms: number; alone: string }> {
  const t = performance.now();
  await runKpis(
    ws,
    KPI_CATALOG.map((k) => k.id),
    { ...quarter, by: 'channel' },
  );
  const ms = performance.now() - t;
  const alone: string[] = [];
  for (const id of ['sessions', 'leads', 'value_per_lead', 'visitors']) {
    const s = performance.now();
    await runKpi(ws, { kpi: id, ...quarter, by: 'channel' });
    alone.push(`${id} ${(performance.now() - s).toFixed(0)} ms`);
  }
  return { ms, alone: alone.join(', ') };
}
const cold = await allKpis();
const warm = await allKpis();
const series: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await runKpi(ws, { kpi: 'sessions', from: '2023-01-01', to: '2025-12-31', grain: 'month' });
  series.push(performance.now() - t);
}
series.sort((a, b) => a - b);
await store.close();
const lines = [
  `### KPI engine (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model ?? ''}, node ${process.version})`,
  `- demo database with ${events.toLocaleString('en-US')} events`,
  `- all ${KPI_CATALOG.length} catalog KPIs, one quarter, by channel: cold ${cold.ms.toFixed(0)} ms, warm **${warm.ms.toFixed(0)} ms** (one at a time: ${warm.alone})`,
  `- 3-year monthly series of sessions: median **${series[2]?.toFixed(0)} ms** (min ${series[0]?.toFixed(0)}, max ${series[4]?.toFixed(0)})`,
  '',
];
console.log(lines.join('\n'));
appendFileSync(new URL('./RESULTS.md', import.meta.url), `${lines.join('\n')}\n`);
