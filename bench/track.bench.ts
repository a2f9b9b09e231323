/**
 * Tracking throughput: a real `northstar serve` process, a load generator in this process sending
 * /v1/batch requests of 100 events over keep-alive connections for DURATION seconds, then a check that
 * every acknowledged event is stored. Also the raw Appender rate (the ceiling) for the same rows.
 *
 *   npm run build && node --import tsx bench/track.bench.ts [seconds=60] [connections=32]
 *
 * BENCH_NODE_ARGS adds node flags to the server (`--cpu-prof --cpu-prof-dir=DIR` to profile it);
 * BENCH_SHOW_LOG=1 copies the server's log to this terminal. BENCH_RATE=N offers N events/s on a fixed
 * schedule instead (open loop, up to CONNECTIONS at once, latency from each request's scheduled time);
 * BENCH_SERVER_ENV="K=V …" sets server environment variables (NORTHSTAR_JOURNAL=off to compare; the
 * per-key rate limit is off unless NORTHSTAR_TRACK_RATE is given here).
 * BENCH_SCORING=on|off loads lead-scoring rules into the workspace and makes every 50th message an
 * identify (so visitors become contacts to score), with the server's scoring job on or off.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.argv[2] ?? 60);
const connections = Number(process.argv[3] ?? 32);
const rate = Number(process.env.BENCH_RATE ?? 0);
const PER_REQUEST = 100;
const data = mkdtempSync(join(tmpdir(), 'ns-bench-track-'));
const cli = (args: string[]) =>
  execFileSync(process.execPath, ['dist/cli/main.js', ...args, '--data', data], { encoding: 'utf8' }).trim();

cli(['workspace', 'create', 'bench', '--format', 'json']);
const key = cli(['keys', 'create', '--kind', 'write', '--workspace', 'bench']);
const scoring = process.env.BENCH_SCORING;
if (scoring) {
  const rules = join(data, 'scoring.yaml');
  writeFileSync(
    rules,
    'models:\n  - id: bench\n    thresholds: {mql: 20, sql: 40}\n    fit:\n      - {id: d, field: email_domain, in: [acme.test], points: 5}\n    behaviour:\n      - {id: p, page: /p/1*, points: 2, cap: 30, half_life_days: 7}\n      - {id: s, event: Signed Up, points: 10, once: true}\n',
  );
  cli(['score', 'rules', 'apply', rules, '--workspace', 'bench', '--format', 'json']);
  process.env.NORTHSTAR_SCORING = scoring;
}
const port = 18_000 + Math.floor(Math.random() * 1000);
const server: ChildProcess = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    'dist/cli/main.js',
    'serve',
    '--port',
    String(port),
    '--data',
    data,
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      // Capacity, not the per-key limit, is measured: one key sends everything here.
      NORTHSTAR_TRACK_RATE: 'off',
      ...Object.fromEntries(
        (process.env.BENCH_SERVER_ENV ?? '')
          .split(' ')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
    },
  },
);
let log = '';
server.stderr?.on('data', (d) => {
  log += String(d);
  if (process.env.BENCH_SHOW_LOG) process.stderr.write(String(d));
});
while (!/listening/.test(log)) await new Promise((r) => setTimeout(r, 100));

const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const channels = ['https://www.google.com/', 'https://www.linkedin.com/', ''];
let seq = 0;
function body(): string {
  const batch = [];
  for (let i = 0; i < PER_REQUEST; i++) {
    const n = seq++;
    const visitor = `v${n % 50_000}`;
    if (scoring && n % 50 === 0) {
      // Each visitor sends one message per round (visitor = n), so this identifies the next message's
      // visitor: its page views and clicks, every round, belong to a contact then.
      const next = `v${(n + 1) % 50_000}`;
      batch.push({
        type: 'identify',
        anonymousId: next,
        userId: `u${next}`,
        messageId: `b-${n}`,
        traits: { email: `${next}@acme.test` },
      });
      continue;
    }
    batch.push({
      type: n % 10 === 0 ? 'track' : 'page',
      event: n % 10 === 0 ? 'CTA Clicked' : undefined,
      anonymousId: visitor,
      messageId: `b-${n}`,
      properties: { path: `/p/${n % 40}` },
      context: {
        page: { url: `https://acme.test/p/${n % 40}`, referrer: channels[n % 3] },
        userAgent: 'bench',
      },
    });
  }
  return JSON.stringify({ batch, sentAt: new Date().toISOString() });
}

// Bodies are built before the clock starts so the generator spends its time sending; each round
// gives the message ids a new suffix, so nothing is a retry.
const TEMPLATES = Array.from({ length: 500 }, () =>
  body().replaceAll('"messageId":"b-', '"messageId":"b-@@-'),
);
let round = 0;
let next = 0;
function nextBody(): string {
  if (next === TEMPLATES.length) {
    next = 0;
    round++;
  }
  return (TEMPLATES[next++] as string).replaceAll('@@', String(round));
}

const latencies: number[] = [];
let acked = 0;
let failed = 0;
const rss: number[] = [];
const wal: number[] = [];
const pid = server.pid as number;
const sampler = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    rss.push(Math.round(kb / 1024));
    wal.push(
      Math.round((statSync(join(data, 'northstar.duckdb.wal'), { throwIfNoEntry: false })?.size ?? 0) / 1e6),
    );
  } catch {}
}, 1000);
const end = Date.now() + seconds * 1000;
const started = Date.now();
function send(payload: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/batch',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: auth,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}
function record(status: number, since: number): void {
  if (status === 200) acked += PER_REQUEST;
  else failed++;
  latencies.push(performance.now() - since);
}
/** Closed loop: each connection sends its next request as soon as the last is answered. */
async function worker(): Promise<void> {
  while (Date.now() < end) {
    const payload = nextBody();
    const t = performance.now();
    record(await send(payload), t);
  }
}
/**
 * Open loop at `rate` events/s: requests leave on a fixed schedule whether or not earlier ones are
 * answered, and latency counts from the scheduled time, so a stall shows in full (no coordinated
 * omission).
 */
async function openLoop(rate: number): Promise<void> {
  const gapMs = (PER_REQUEST / rate) * 1000;
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  while (Date.now() < end) {
    const due = Math.floor((performance.now() - t0) / gapMs);
    for (; sent <= due; sent++) {
      const at = t0 + sent * gapMs;
      const p: Promise<void> = send(nextBody()).then((status) => {
        record(status, at);
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
}
if (rate) await openLoop(rate);
else await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (Date.now() - started) / 1000;
clearInterval(sampler);
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(1);
server.kill(process.env.BENCH_NODE_ARGS ? 'SIGINT' : 'SIGKILL'); // no clean shutdown: acknowledged events must already be durable
await new Promise((r) => server.once('exit', r));
const stored = JSON.parse(cli(['stats', '--workspace', 'bench', '--format', 'json'])).events as number;

// The ceiling: the same rows through the Appender alone, no HTTP, no sessions.
const { DuckDbStore } = await import('../src/store/duckdb/duckdb.store.js');
const { parseBatch } = await import('../src/ingest/segment.schema.js');
const { toEventRow } = await import('../src/ingest/normalize.js');
const raw = await DuckDbStore.open(join(data, 'raw.duckdb'));
await raw.migrate();
const rws = raw.forWorkspace(await raw.createWorkspace({ slug: 'raw' }));
const rows = [];
for (let i = 0; i < 2000; i++)
  for (const m of parseBatch(JSON.parse(body())).messages)
    rows.push(toEventRow(m, { receivedAt: new Date() }));
const t0 = performance.now();
for (let i = 0; i < rows.length; i += 10_000) await rws.appendEvents(rows.slice(i, i + 10_000));
const appenderRate = Math.round(rows.length / ((performance.now() - t0) / 1000));
await raw.close();

const ackRate = Math.round(acked / elapsed);
const offered = rate;
const lines = [
  `### Tracking /v1/batch (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model ?? ''}, node ${process.version})`,
  `- ${seconds} s, ${rate ? `open loop offering ${offered.toLocaleString('en-US')} events/s, up to ${connections}` : connections} connections, ${PER_REQUEST} events per request${process.env.BENCH_SERVER_ENV ? ` (server: ${process.env.BENCH_SERVER_ENV})` : ''}${scoring ? ` (lead scoring ${scoring}: rules loaded, every 50th message an identify)` : ''}: **${ackRate.toLocaleString('en-US')} events/s** acknowledged`,
  `- latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)?.toFixed(1)} ms; failed requests ${failed}`,
  `- after kill -9: ${stored.toLocaleString('en-US')} stored of ${acked.toLocaleString('en-US')} acknowledged (${stored >= acked ? 'none lost' : `${acked - stored} LOST`})`,
  `- server RSS (MB) first/peak/last: ${rss[0]}/${Math.max(...rss)}/${rss.at(-1)}`,
  `- server RSS (MB) at the end of each minute: ${rss.filter((_, i) => i % 60 === 59).join(', ') || 'n/a'}; WAL peak ${Math.max(...wal)} MB`,
  `- raw Appender ceiling (same rows, one process, no HTTP): ${appenderRate.toLocaleString('en-US')} rows/s`,
  '',
];
console.log(lines.join('\n'));
appendFileSync(new URL('./RESULTS.md', import.meta.url), `${lines.join('\n')}\n`);
process.exit(0);
