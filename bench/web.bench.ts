/**
 * Dashboard page loads in Debian's Chromium against a real `northstar serve` on an existing data
 * directory (a demo): for each page, the time from navigation until its first figures show (the page's
 * marker element) and until every request has answered, first cold (the first visit after the server
 * started) then warm (median of 3 more). Signs in through the first-run setup when no user
 * exists, else with NORTHSTAR_EMAIL / NORTHSTAR_PASSWORD.
 *
 *   npm run build && node --import tsx bench/web.bench.ts DATA_DIR [label]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const data = process.argv[2];
if (!data) throw new Error('usage: bench/web.bench.ts DATA_DIR [label]');
const label = process.argv[3] ?? data;
const port = 19_000 + Math.floor(Math.random() * 1000);
const server: ChildProcess = spawn(
  process.execPath,
  ['dist/cli/main.js', 'serve', '--port', String(port), '--data', data],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
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

const PAGES: Array<[string, string]> = [
  ['/', '.card.obj'],
  ['/goals/revenue-plus-15', 'article.objective canvas'],
  ['/kpis/leads?period=year&by=channel', '.chart canvas'],
  ['/funnel', 'tr[data-stage=customers]'],
  ['/attribution', '.chart canvas'],
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
  await page.waitForSelector(marker, { timeout: 120_000 });
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
server.kill('SIGTERM');
const out = `
## Dashboard page loads (${label})

- Date: ${new Date().toISOString()}; ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; Node ${process.version}; Chromium (Debian), 1280x800.
- Load average before: ${before} (*shared* when above ~1: other helpers and tests ran meanwhile).
- From navigation until the page's first figures show (its marker element: cards, chart, table), and until every request of the page has answered (sparklines, history; then no request for 300 ms, not counted); cold = first visit after the server started, warm = median of the next 3.

| page | cold: first figures | cold: all | warm: first figures | warm: all |
|---|---|---|---|---|
${rows.join('\n')}
`;
appendFileSync('bench/RESULTS.md', out);
process.stdout.write(out);
