/**
 * Memory under unauthenticated abuse (issue 11): a real `northstar serve` process answers N requests
 * to /v1/track without credentials, each naming a distinct 900 KB `writeKey`, 10 at a time; the
 * server's RSS is sampled every 1,000 requests. Before the bounded key cache, each key was kept:
 * +850 MB per 1,000 requests, dead at about 4,700.
 *
 *   npm run build && node --import tsx bench/keys.bench.ts [requests=10000]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const total = Number(process.argv[2] ?? 10_000);
const data = mkdtempSync(join(tmpdir(), 'ns-bench-keys-'));
execFileSync(process.execPath, ['dist/cli/main.js', 'workspace', 'create', 'bench', '--data', data]);
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
  if (i > 600) throw new Error(`server did not start: ${log}`);
  await new Promise((r) => setTimeout(r, 100));
}
const rss = () =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;
const samples: number[] = [rss()];
const big = 'k'.repeat(900_000);
const t0 = Date.now();
let refused = 0;
for (let i = 0; i < total; i += 10) {
  await Promise.all(
    Array.from({ length: 10 }, async (_, j) => {
      const r = await fetch(`${base}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"type":"track","event":"X","anonymousId":"a","writeKey":"${i + j}-${big}"}`,
      });
      if (r.status === 401) refused++;
      await r.arrayBuffer();
    }),
  );
  if ((i + 10) % 1000 === 0) samples.push(rss());
}
const seconds = (Date.now() - t0) / 1000;
const health = await fetch(`${base}/api/health`).then((r) => r.status);
server.kill('SIGTERM');
const lines = [
  `### Unauthenticated requests with distinct 900 KB keys (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model.trim()}, node ${process.version})`,
  `- ${total.toLocaleString('en-US')} requests to /v1/track without credentials in ${seconds.toFixed(0)} s, each with a distinct 900 KB writeKey: ${refused.toLocaleString('en-US')} answered 401; /api/health afterwards: ${health}`,
  `- server RSS (MB) at start and after each 1,000: ${samples.map((s) => s.toFixed(0)).join(', ')}`,
  '',
];
console.log(lines.join('\n'));
appendFileSync(new URL('./RESULTS.md', import.meta.url), `\n${lines.join('\n')}`);
