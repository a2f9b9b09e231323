/**
 * The tracking half of bench/scaleout.bench.ts: a real `northstar serve` process (on the DuckDB file,
 * or on `--events clickhouse://… --meta postgres://…`), and concurrent HTTP clients in this process
 * posting Segment `/v1/batch` requests with a write key over keep-alive connections (closed loop: each
 * connection sends its next request when the last is answered), as bench/track.bench.ts does for
 * DuckDB alone. The server is then killed with SIGKILL, so what is counted back afterwards is what
 * was durable when it was acknowledged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';

/** Events per request, as in bench/track.bench.ts (a browser SDK's flush). */
export const PER_REQUEST = 100;

export interface TrackRun {
  seconds: number;
  connections: number;
  acked: number;
  failedRequests: number;
  /** Per-request latency (ms), sorted. */
  latencies: number[];
}

/** `northstar serve` on a free port with `args`; resolves with its base URL once it listens. */
export async function startServer(
  dataDir: string,
  args: readonly string[],
): Promise<{ server: ChildProcess; base: string; log: () => string }> {
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'serve', '--port', '0', '--data', dataDir, ...args],
    // Capacity is measured, not the per-key limit: one key sends everything here.
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NORTHSTAR_TRACK_RATE: 'off' } },
  );
  let log = '';
  server.stderr?.on('data', (d) => {
    log += String(d);
  });
  for (const deadline = Date.now() + 120_000; ; ) {
    const m = /listening on (http:\/\/\S+)/.exec(log);
    if (m?.[1]) return { server, base: m[1], log: () => log };
    if (Date.now() > deadline || server.exitCode !== null) {
      server.kill('SIGKILL');
      throw new Error(`server did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills `server` without a clean shutdown and waits for it to exit. */
export async function killServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  await exited;
}

const REFERRERS = ['https://www.google.com/', 'https://www.linkedin.com/', ''];

/** One request body: page views and CTA clicks of 50,000 visitors, message ids unique per `tag`. */
function body(tag: string, first: number): string {
  const batch = [];
  for (let n = first; n < first + PER_REQUEST; n++)
    batch.push({
      type: n % 10 === 0 ? 'track' : 'page',
      event: n % 10 === 0 ? 'CTA Clicked' : undefined,
      anonymousId: `v${n % 50_000}`,
      messageId: `${tag}-${n}`,
      properties: { path: `/p/${n % 40}` },
      context: {
        page: { url: `https://acme.test/p/${n % 40}`, referrer: REFERRERS[n % 3] },
        userAgent: 'bench',
      },
    });
  return JSON.stringify({ batch, sentAt: new Date().toISOString() });
}

/**
 * Sends `/v1/batch` requests to `base` from `connections` clients for `seconds`; counts the events of
 * the requests answered 200 (acknowledged) and the latency of every request.
 *
 * @example
 * const run = await driveTracking('http://127.0.0.1:8080', 'ns_w_…', 60, 16, 'duck');
 */
export async function driveTracking(
  base: string,
  writeKey: string,
  seconds: number,
  connections: number,
  tag: string,
): Promise<TrackRun> {
  const url = new URL(base);
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = (payload: string) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
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
  const latencies: number[] = [];
  let acked = 0;
  let failedRequests = 0;
  let seq = 0;
  const end = Date.now() + seconds * 1000;
  const started = Date.now();
  const worker = async () => {
    while (Date.now() < end) {
      const payload = body(tag, seq);
      seq += PER_REQUEST;
      const t = performance.now();
      const status = await send(payload);
      latencies.push(performance.now() - t);
      if (status === 200) acked += PER_REQUEST;
      else failedRequests++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { seconds: (Date.now() - started) / 1000, connections, acked, failedRequests, latencies };
}

/** The `p`th percentile of sorted latencies, in ms. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
