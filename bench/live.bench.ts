/**
 * The expensive reads of a live site, against a real `northstar serve` on an existing demo data
 * directory: attribution (every model) over a year of won deals and over three years of lead
 * conversions, and the goals overview. Each is timed cold (the first request after the server
 * started), warm (median of 5), then for SECONDS while a tracking stream writes to the same workspace
 * (BATCH events every 200 ms on /v1/batch with a write key, as a busy website would): latency and the
 * age of the figures served (now − `computed_at` when the answer says it is stale, else 0).
 *
 *   npm run build && node --import tsx bench/live.bench.ts DATA_DIR [label] [SECONDS] [BATCH]
 *
 * NORTHSTAR_BIN=path/to/cli/main.js runs another build (a copy of an older dist/, to compare).
 * Signs in as web.bench.ts does (first-run setup, else NORTHSTAR_EMAIL / NORTHSTAR_PASSWORD).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const data = process.argv[2];
if (!data) throw new Error('usage: bench/live.bench.ts DATA_DIR [label] [SECONDS] [BATCH]');
const label = process.argv[3] ?? data;
const seconds = Number(process.argv[4] ?? 60);
const perBatch = Number(process.argv[5] ?? 20);
const bin = process.env.NORTHSTAR_BIN ?? 'dist/cli/main.js';
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadBefore = load();

const key = execFileSync(
  process.execPath,
  [bin, 'keys', 'create', '--kind', 'write', '--workspace', 'demo', '--data', data],
  { encoding: 'utf8' },
).trim();
const port = 20_000 + Math.floor(Math.random() * 1000);
const started = performance.now();
const server: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data', data], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NORTHSTAR_TRACK_RATE: 'off' },
});
// A failed run must not leave the server holding the database.
process.on('exit', () => server.kill('SIGTERM'));
let log = '';
server.stderr?.on('data', (d) => {
  log += String(d);
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; !/listening on/.test(log); i++) {
  if (i > 1200) throw new Error(`server did not start: ${log}`);
  await new Promise((r) => setTimeout(r, 100));
}
const startMs = performance.now() - started;
const email = process.env.NORTHSTAR_EMAIL ?? 'bench@example.test';
const password = process.env.NORTHSTAR_PASSWORD ?? 'bench password 123';
const needed = ((await (await fetch(`${base}/api/v1/auth/setup`)).json()) as { needed: boolean }).needed;
const res = await fetch(`${base}/api/v1/auth/${needed ? 'setup' : 'signin'}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password }),
});
if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
const cookie = /ns_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
if (!cookie) throw new Error('no session cookie');

const day = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);
const today = day(0);
const DAY = 86_400_000;
const READS: Array<[string, string]> = [
  [
    'attribution, all models, 1 year of won deals',
    `/api/v1/attribution?model=all&conversion=deal_won&from=${day(364 * DAY)}&to=${today}`,
  ],
  [
    'attribution, all models, 3 years of lead conversions',
    `/api/v1/attribution?model=all&conversion=lead&from=${day((3 * 365 - 1) * DAY)}&to=${today}`,
  ],
  [
    'goals overview (year to date, 6 points)',
    `/api/v1/goals/overview?as_of=${today}&from=${today.slice(0, 4)}-01-01&points=6`,
  ],
];

interface Timed {
  ms: number;
  /** Age of the figures: now − computed_at when the answer is stale, else 0. */
  age: number;
}
async function timed(path: string): Promise<Timed> {
  const t0 = performance.now();
  const r = await fetch(base + path, { headers: { cookie: `ns_session=${cookie}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { stale?: boolean; computed_at?: string };
  const ms = performance.now() - t0;
  return { ms, age: body.stale && body.computed_at ? Date.now() - Date.parse(body.computed_at) : 0 };
}
const rss = () => {
  const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const mb = (k: string) => Math.round(Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024);
  return { now: mb('VmRSS'), peak: mb('VmHWM') };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = Math.round;

const rows: string[] = [];
const results: Array<{ cold: number; warm: number[]; live: Timed[] }> = [];
for (const [, path] of READS) results.push({ cold: (await timed(path)).ms, warm: [], live: [] });
const rssAfterCold = rss();
for (const [i, [, path]] of READS.entries())
  for (let k = 0; k < 5; k++) results[i]?.warm.push((await timed(path)).ms);

// The tracking stream: page views of returning visitors, BATCH every 200 ms, until the reads end.
const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
let sent = 0;
let failed = 0;
const trackMs: number[] = [];
let streaming = true;
const stream = (async () => {
  for (let round = 0; streaming; round++) {
    const batch = Array.from({ length: perBatch }, (_, i) => ({
      type: 'page',
      anonymousId: `live-${(round * perBatch + i) % 5000}`,
      messageId: `live-${process.pid}-${round}-${i}`,
      properties: { path: '/pricing' },
      context: { page: { url: 'https://example.test/pricing', referrer: 'https://www.google.com/' } },
    }));
    const t = performance.now();
    const r = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    }).catch(() => null);
    await r?.arrayBuffer();
    trackMs.push(performance.now() - t);
    if (r?.ok) sent += perBatch;
    else failed++;
    await new Promise((res) => setTimeout(res, Math.max(0, 200 - (performance.now() - t))));
  }
})();
const until = performance.now() + seconds * 1000;
while (performance.now() < until) {
  for (const [i, [, path]] of READS.entries()) results[i]?.live.push(await timed(path));
  await new Promise((r) => setTimeout(r, 1000));
}
streaming = false;
await stream;
const mem = rss();
server.kill('SIGTERM');

for (const [i, [name]] of READS.entries()) {
  const r = results[i];
  if (!r) continue;
  const live = r.live.map((x) => x.ms);
  const ages = r.live.map((x) => x.age);
  rows.push(
    `| ${name} | ${round(r.cold)} ms | ${round(median(r.warm))} ms | ${round(median(live))} ms | ${round(Math.max(...live))} ms | ${r.live.filter((x) => x.age > 0).length} of ${r.live.length} | ${round(median(ages) / 1000)} s / ${round(Math.max(...ages) / 1000)} s |`,
  );
}
const out = `
### Live reads: ${label}

- Date: ${new Date().toISOString()}; ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; Node ${process.version}; build \`${bin}\`.
- Load average before / after: ${loadBefore} / ${load()} (*shared* when above ~1: other helpers and tests ran meanwhile).
- Server start to listening: ${round(startMs)} ms. Server RSS after the cold reads ${rssAfterCold.now} MB; at the end ${mem.now} MB, peak ${mem.peak} MB.
- Tracking stream: ${perBatch} page views every 200 ms on /v1/batch for ${seconds} s: ${sent} events acknowledged, ${failed} requests failed; their latency p50 ${round(median(trackMs))} ms, p99 ${round([...trackMs].sort((a, b) => a - b)[Math.floor(trackMs.length * 0.99)] ?? 0)} ms; the three reads in turn, then 1 s pause, meanwhile.

| read | cold (first after start) | warm (median of 5) | under the stream: median | max | answers stale | age of figures: median / max |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
appendFileSync('bench/RESULTS.md', out);
process.stdout.write(out);
