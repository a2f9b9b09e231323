/**
 * Dashboard page loads in Debian's Chromium against a real `northstar serve` on an existing data
 * directory (a demo): for each page, the time from navigation until its first figures show (the page's
 * marker element) and until every request has answered, first cold (the first visit after the server
 * started) then warm (median of 3 more). Signs in through the first-run setup when no user
 * exists, else with NORTHSTAR_EMAIL / NORTHSTAR_PASSWORD.
 *
 * Then times the overview's one API call (`/api/v1/goals/overview`) directly: cold for a period no page
 * asked for, warm (median of 5).
 *
 *   npm run build && node --import tsx bench/web.bench.ts DATA_DIR [label]
 *
 * NORTHSTAR_BIN=path/to/cli/main.js runs another build (a copy of an older dist/, to compare);
 * BENCH_TRACK=100 sends 100 page views a second to the demo workspace during the walk (a live site).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startTrackingStream } from './track.stream.js';

const data = process.argv[2];
if (!data) throw new Error('usage: bench/web.bench.ts DATA_DIR [label]');
const label = process.argv[3] ?? data;
// BENCH_TRACK=N: a live site sends N page views a second to the workspace during the whole walk.
const trackPerSecond = Number(process.env.BENCH_TRACK ?? 0);
const writeKey =
  trackPerSecond > 0
    ? execFileSync(
        process.execPath,
        [
          process.env.NORTHSTAR_BIN ?? 'dist/cli/main.js',
          'keys',
          'create',
          '--kind',
          'write',
          '--workspace',
          'demo',
          '--data',
          data,
        ],
        { encoding: 'utf8' },
      ).trim()
    : null;
const port = 19_000 + Math.floor(Math.random() * 1000);
const server: ChildProcess = spawn(
  process.execPath,
  [process.env.NORTHSTAR_BIN ?? 'dist/cli/main.js', 'serve', '--port', String(port), '--data', data],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
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

const stream = writeKey
  ? startTrackingStream(base, writeKey, Math.max(1, Math.round(trackPerSecond / 5)))
  : null;
const today = new Date().toISOString().slice(0, 10);
const threeYears = new Date(Date.now() - (3 * 365 - 1) * 86_400_000).toISOString().slice(0, 10);
const PAGES: Array<[string, string]> = [
  ['/', '.card.obj'],
  ['/goals/revenue-plus-15', 'article.objective canvas'],
  ['/kpis/leads?period=year&by=channel', '.chart canvas'],
  ['/funnel', 'tr[data-stage=customers]'],
  ['/attribution', '.chart canvas'],
  ['/attribution?period=12m&conversion=deal_won', '.chart canvas'],
  [`/attribution?period=custom&from=${threeYears}&to=${today}&conversion=lead`, '.chart canvas'],
  ['/planning?goal=1000000', '#review-h ~ div table, #review-h ~ * table'],
  ['/boards/sales', '.leaderboard, .board .chart canvas'],
];
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await ctx.addCookies([{ name: 'ns_session', value: cookie, url: base }]);
const page = await ctx.newPage();
let inflight = 0;
let lastDone = 0;
const done = () => {
  inflight--;
  lastDone = performance.now();
};
page.on('request', () => inflight++);
page.on('requestfinished', done);
page.on('requestfailed', done);

/** Navigation → the marker is there and the last request of the page has answered. */
async function visit(path: string, marker: string): Promise<[number, number]> {
  inflight = 0;
  const t0 = performance.now();
  await page.goto(base + path);
  // Cold pages on a loaded 2-core machine can take minutes: the figure, not a timeout, is the answer.
  await page.waitForSelector(marker, { timeout: 600_000 });
  const shown = performance.now();
  for (let quiet = 0; quiet < 300; ) {
    await new Promise((r) => setTimeout(r, 20));
    quiet = inflight > 0 ? 0 : performance.now() - Math.max(lastDone, shown);
  }
  return [shown - t0, Math.max(lastDone, shown) - t0];
}

const rows: string[] = [];
const before = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
for (const [path, marker] of PAGES) {
  const cold = await visit(path, marker);
  const warm: Array<[number, number]> = [];
  for (let i = 0; i < 3; i++) warm.push(await visit(path, marker));
  const median = (k: 0 | 1) => Math.round(warm.map((w) => w[k]).sort((a, b) => a - b)[1] ?? 0);
  rows.push(
    `| \`${path}\` | ${Math.round(cold[0])} ms | ${Math.round(cold[1])} ms | ${median(0)} ms | ${median(1)} ms |`,
  );
  process.stdout.write(`${rows[rows.length - 1]}\n`);
}
await browser.close();

/** One GET with the session, in ms; null when this build has no such route. */
async function timed(path: string): Promise<number | null> {
  const t0 = performance.now();
  const r = await fetch(base + path, { headers: { cookie: `ns_session=${cookie}` } });
  if (r.status === 404) return null;
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
  return performance.now() - t0;
}
const overview = `/api/v1/goals/overview?as_of=${today}&from=${today.slice(0, 4)}-01-01&points=6`;
const overviewCold = await timed(overview);
const overviewWarm: number[] = [];
for (let i = 0; i < 5 && overviewCold !== null; i++) overviewWarm.push((await timed(overview)) ?? 0);
const apiLine =
  overviewCold === null
    ? '- `GET /api/v1/goals/overview`: not served by this build.'
    : `- \`GET /api/v1/goals/overview\` (year to date, 6 points): cold ${Math.round(overviewCold)} ms, warm ${Math.round(overviewWarm.sort((a, b) => a - b)[2] ?? 0)} ms (median of 5).`;
process.stdout.write(`${apiLine}\n`);
const tracked = await stream?.stop();
const trackLine = tracked
  ? `- A tracking stream ran during the whole walk: ${trackPerSecond} page views a second on /v1/batch, ${tracked.sent} acknowledged, ${tracked.failed} requests failed, latency p50 ${Math.round([...tracked.ms].sort((a, b) => a - b)[Math.floor(tracked.ms.length / 2)] ?? 0)} ms, p99 ${Math.round([...tracked.ms].sort((a, b) => a - b)[Math.floor(tracked.ms.length * 0.99)] ?? 0)} ms.\n`
  : '';
server.kill('SIGTERM');
const out = `
## Dashboard page loads (${label})

- Date: ${new Date().toISOString()}; ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; Node ${process.version}; Chromium (Debian), 1280x800.
- Load average before: ${before} (*shared* when above ~1: other helpers and tests ran meanwhile).
${trackLine}- From navigation until the page's first figures show (its marker element: cards, chart, table), and until every request of the page has answered (sparklines, history; then no request for 300 ms, not counted); cold = first visit after the server started, warm = median of the next 3.

| page | cold: first figures | cold: all | warm: first figures | warm: all |
|---|---|---|---|---|
${rows.join('\n')}

${apiLine}
`;
appendFileSync('bench/RESULTS.md', out);
process.stdout.write(out);
