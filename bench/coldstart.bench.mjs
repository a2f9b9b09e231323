/**
 * The first visit after a start: starts `northstar serve` (the built dist/) on a data directory, waits
 * DELAY ms after it listens, then sends the overview page's default requests together, as the page
 * does (the goals overview and the six headline tiles for this quarter; no Cache-Control), and prints
 * how long they took, then the same again (the cache). Compare with NORTHSTAR_WARM=off.
 *
 *   npm run build && node bench/coldstart.bench.mjs DATA_DIR [delay ms=0] [port=47123] [workspace=demo]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [dir, delay = '0', port = '47123', ws = 'demo'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/coldstart.bench.mjs DATA_DIR [delay ms] [port] [workspace]');
const t0 = Date.now();
const srv = spawn(
  process.execPath,
  [new URL('../dist/cli/main.js', import.meta.url).pathname, 'serve', '--data', dir, '--port', port],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let out = '';
srv.stdout.on('data', (d) => {
  out += d;
});
srv.stderr.on('data', (d) => {
  out += d;
});
const base = `http://127.0.0.1:${port}`;
let token;
for (let i = 0; i < 600; i++) {
  if (srv.exitCode !== null) {
    console.log(out);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
  try {
    const s = JSON.parse(readFileSync(`${dir}/server.json`, 'utf8'));
    if (s.pid === srv.pid) {
      token = s.token;
      break;
    }
  } catch {}
}
const tListen = Date.now() - t0;
await new Promise((r) => setTimeout(r, Number(delay)));
// What the page asks for by default, from the same module the page and the server's warm-up use.
const { OVERVIEW_HEADLINE, OVERVIEW_SPARK_POINTS, quarterToDate } = await import(
  new URL('../dist/usecases/overview.defaults.js', import.meta.url).href
);
const today = new Date().toISOString().slice(0, 10); // the demo workspace's zone is UTC
const { from } = quarterToDate(today);
const h = { authorization: `Bearer ${token}`, 'x-northstar-workspace': ws };
const paths = [
  `/api/v1/goals/overview?as_of=${today}&from=${from}&points=${OVERVIEW_SPARK_POINTS}`,
  ...OVERVIEW_HEADLINE.map((k) => `/api/v1/kpis/${k}?from=${from}&to=${today}&grain=total`),
];
const t1 = Date.now();
const res = await Promise.all(
  paths.map(async (p) => {
    const t = Date.now();
    const r = await fetch(base + p, { headers: h });
    await r.text();
    return [r.status, Date.now() - t, p.split('?')[0]];
  }),
);
const visit = Date.now() - t1;
console.log(JSON.stringify({ listenMs: tListen, delay: Number(delay), visitMs: visit, each: res }));
const t2 = Date.now();
await Promise.all(paths.map(async (p) => (await fetch(base + p, { headers: h })).text()));
console.log('second visit', Date.now() - t2, 'ms');
srv.kill('SIGINT');
await new Promise((r) => srv.on('exit', r));
if (process.env.SHOWLOG) console.log(out);
