/**
 * Lead scoring on the demo, blind: builds a demo workspace, keeps the generator's own MQL decisions as
 * the truth, wipes every stage past lead (so scoring sees events and fields only), scores the whole
 * workspace as of the demo's last day, and compares the contacts scoring made MQLs with the truth.
 * Then times `recompute` over the same data (no moves left to make). Prints the figures and appends
 * them to bench/RESULTS.md.
 *
 *   node --import tsx bench/scoring.bench.ts [scale=small] [until=2026-11-30] [seed=1]
 *
 * BENCH_DATA=DIR uses the demo already built in DIR (`northstar demo --scale S --until U --seed N
 * --data DIR`, the same arguments) instead of building one, and wipes its stages: use a copy.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scale } from '../src/demo/demo.config.js';
import { runDemo } from '../src/demo/demo.js';
import { recomputeScores } from '../src/scoring/recompute.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';

const scale = (process.argv[2] ?? 'small') as Scale;
const until = process.argv[3] ?? '2026-11-30';
const seed = Number(process.argv[4] ?? 1);
const reuse = process.env.BENCH_DATA;
const dir = reuse ?? mkdtempSync(join(tmpdir(), 'ns-bench-scoring-'));
const store = await DuckDbStore.open(join(dir, 'northstar.duckdb'));
await store.migrate();
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const t0 = Date.now();
const built = reuse ? null : await runDemo(store, { seed, scale, until });
const workspace = built?.workspace ?? (await store.getWorkspace('demo'));
if (!workspace) throw new Error(`no demo workspace in ${dir}`);
const options = built?.options ?? { from: `${Number(until.slice(0, 4)) - 3}-01-01` };
const demoSeconds = (Date.now() - t0) / 1000;
const ws = store.forWorkspace(workspace);
const db = store.db;
const wsId = workspace.id;

// The truth: who the generator made an MQL (its own stage history, not scoring's), among leads dated
// in the stored range (the warm-up half year before it keeps no events to score).
const from = new Date(`${options.from}T05:00:00Z`);
const truthRows = await ws.query<{ id: string; at: Date }>(
  `SELECT c.id, min(h.changed_at) AS at FROM @contacts c JOIN @contact_stage_history h ON h.contact_id = c.id
   WHERE h.stage = 'mql' AND h.reason NOT LIKE 'score:%' AND c.lead_at >= $from GROUP BY 1`,
  { from },
);
const truth = new Map(truthRows.map((r) => [r.id, r.at.getTime()]));
const leads = Number(
  (await ws.query<{ n: number }>('SELECT count(*) AS n FROM @contacts WHERE lead_at >= $from', { from }))[0]
    ?.n,
);

// Blind: every lead back at lead stage, no stage past it anywhere, no earlier scoring.
await db.run(
  `UPDATE contacts SET lifecycle_stage = 'lead', mql_at = NULL, sal_at = NULL, sql_at = NULL,
     opportunity_at = NULL, customer_at = NULL WHERE workspace_id = $ws AND lead_at IS NOT NULL`,
  { ws: wsId },
);
await db.run(
  `DELETE FROM contact_stage_history WHERE workspace_id = $ws AND stage NOT IN ('subscriber', 'lead')`,
  { ws: wsId },
);
await db.run('DELETE FROM lifecycle_changes WHERE workspace_id = $ws', { ws: wsId });
await db.run('DELETE FROM contact_scores WHERE workspace_id = $ws', { ws: wsId });

const asOf = new Date(`${until}T23:59:59-05:00`);
const first = await recomputeScores(ws, { asOf });
const autoRows = await ws.query<{ id: string; at: Date }>(
  `SELECT l.contact_id AS id, l.changed_at AS at FROM @lifecycle_changes l JOIN @contacts c ON c.id = l.contact_id
   WHERE l.source = 'score' AND l.stage = 'mql' AND c.lead_at >= $from`,
  { from },
);
let tp = 0;
const lagDays: number[] = [];
for (const r of autoRows) {
  const t = truth.get(r.id);
  if (t === undefined) continue;
  tp++;
  lagDays.push((r.at.getTime() - t) / 86_400_000);
}
lagDays.sort((a, b) => a - b);
const precision = autoRows.length ? tp / autoRows.length : 0;
const recall = truth.size ? tp / truth.size : 0;
const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
const median = lagDays.length ? (lagDays[Math.floor(lagDays.length / 2)] as number) : Number.NaN;
const again = await recomputeScores(ws, { asOf });
const counts = await ws.counts();
await store.close();
if (!reuse) rmSync(dir, { recursive: true, force: true });

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const lines = [
  '',
  `### Lead scoring vs the demo's planted MQLs (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model.trim() ?? ''}, node ${process.version})`,
  `- \`node --import tsx bench/scoring.bench.ts ${scale} ${until} ${seed}\`: demo ${scale}, seed ${seed}, until ${until} (${counts.events.toLocaleString('en-US')} events, ${counts.contacts.toLocaleString('en-US')} contacts, ${counts.email.toLocaleString('en-US')} e-mail events; ${reuse ? `built beforehand in ${reuse}` : `built in ${demoSeconds.toFixed(1)} s`}); load average at start ${load}`,
  `- blind run (every stage past lead wiped, the demo's rules, as of ${until}): ${leads.toLocaleString('en-US')} leads in range, ${truth.size.toLocaleString('en-US')} planted MQLs, ${autoRows.length.toLocaleString('en-US')} automatic MQLs, ${tp.toLocaleString('en-US')} of them planted`,
  `- automatic MQL: **precision ${pct(precision)}, recall ${pct(recall)}** (F1 ${f1.toFixed(3)}); median lag of the automatic MQL date behind the planted one ${median.toFixed(2)} days`,
  `- \`recompute\` of the whole workspace: ${first.seconds} s with the moves (${first.hits.toLocaleString('en-US')} scored events, ${first.mqls} MQL and ${first.sqls} SQL moves), ${again.seconds} s again with none left`,
];
const text = lines.join('\n');
process.stdout.write(`${text}\n`);
appendFileSync(new URL('./RESULTS.md', import.meta.url), `${text}\n`);
