// Issue 11's probe replayed against a real `serve` process: the server stays healthy (health answered
// within 1 s throughout), every request the probe used to kill it is refused, and no acknowledged
// event is lost or stored twice.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { startServe, stopProcess } from './fixtures.js';

const data = mkdtempSync(join(tmpdir(), 'ns-probe-'));
const dbPath = join(data, 'northstar.duckdb');
let server: ChildProcess | null = null;
after(() => server?.kill('SIGKILL'));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

test('the probe: the server stays up, refuses each hostile request, and loses nothing', async () => {
  let writeKey = '';
  let tokenKey = '';
  let readKey = '';
  {
    const store = await DuckDbStore.open(dbPath);
    await store.migrate();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'probe', timezone: 'UTC' }));
    writeKey = (await ws.createApiKey('write')).key;
    tokenKey = (await ws.createApiKey('token')).key;
    readKey = (await ws.createApiKey('read')).key;
    await store.close();
  }
  // As a directory made by hand with the usual umask would be.
  chmodSync(data, 0o755);
  chmodSync(dbPath, 0o644);
  const started = await startServe(data);
  server = started.server;
  const base = started.base;
  const pid = server.pid as number;
  assert.match(
    started.log(),
    /data directory .* was readable by other users: the directory was 0755, now 0700/,
  );

  // Health is asked every 100 ms, each with a 1 s limit, for the whole probe.
  let healthMax = 0;
  let healthFailures = 0;
  let probing = true;
  const health = (async () => {
    while (probing) {
      const t = Date.now();
      const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      healthMax = Math.max(healthMax, Date.now() - t);
      if (!ok) healthFailures++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  // 1. Dates the product cannot serve.
  for (const q of [
    'from=9999-01-01&to=9999-12-31&grain=week',
    'from=9999-01-01&to=9999-12-31&grain=day',
    'from=0100-01-01&to=9999-12-31&grain=total',
  ]) {
    const r = await fetch(`${base}/api/v1/kpis/sessions?${q}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    assert.equal(r.status, 400, q);
  }

  // 2. No key, and 1,000 distinct 900 KB keys: refused, and nothing of them kept.
  const before = rssMb(pid);
  const big = 'k'.repeat(900_000);
  for (let i = 0; i < 1000; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, j) => {
        const r = await fetch(`${base}/v1/track`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'track', event: 'X', anonymousId: 'a', writeKey: `${i + j}${big}` }),
        });
        assert.equal(r.status, 401);
        await r.arrayBuffer();
      }),
    );
  }
  const grown = rssMb(pid) - before;
  // Before the fix each request kept its key: +850 MB per 1,000.
  assert.ok(grown < 250, `RSS grew ${grown.toFixed(0)} MB over 1,000 requests with 900 KB keys`);

  // 3 and 4. A 10,000-level event among many good ones from 20 clients; failures are retried as the
  // SDKs do (5xx and network errors), until every good event is acknowledged.
  const auth = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
  };
  // Under the 32 KB limit (arrays, 2 bytes a level), so only the depth check can refuse it.
  const poison = `{"type":"track","event":"Deep","anonymousId":"evil","properties":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
  assert.ok(poison.length < 32 * 1024);
  // Passes every edge check and used to throw in the group's identity step, failing its group-mates.
  const identityPoison = JSON.stringify({
    type: 'identify',
    userId: 'evil-identify',
    traits: { email: 'evil@x.test', company: { employee_count: { toString: 1 } } },
  });
  let acknowledged = 0;
  let retries = 0;
  const sendGood = async (body: string, events: number) => {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(`${base}/v1/batch`, { method: 'POST', headers: auth, body }).catch(() => null);
      if (r?.status === 200) {
        acknowledged += events;
        return;
      }
      assert.ok(!r || r.status >= 500, `a good batch was refused: ${r?.status} ${await r?.text()}`);
      assert.ok(attempt < 5, 'retried 5 times');
      retries++;
    }
  };
  for (let round = 0; round < 10; round++) {
    const clients = Array.from({ length: 20 }, (_, c) => {
      const batch = Array.from({ length: 10 }, (_, k) => ({
        type: 'track',
        event: 'Good',
        anonymousId: `client-${c}`,
        // Half the clients send no messageId (the server's fallback id dedupes their retries).
        ...(c % 2 ? {} : { messageId: `r${round}-c${c}-e${k}` }),
        timestamp: new Date(Date.UTC(2026, 10, 1, round, c, k)).toISOString(),
        properties: { round, client: c, k },
      }));
      return sendGood(JSON.stringify({ batch }), batch.length);
    });
    const bad = fetch(`${base}/v1/track`, { method: 'POST', headers: auth, body: poison }).then(async (r) => {
      assert.equal(r.status, 400);
      assert.match(await r.text(), /nested deeper than 32 levels/);
    });
    const odd = fetch(`${base}/v1/identify`, { method: 'POST', headers: auth, body: identityPoison }).then(
      (r) => assert.equal(r.status, 200),
    );
    await Promise.all([...clients, bad, odd]);
  }
  assert.equal(acknowledged, 2000);
  assert.equal(retries, 0, 'no good request failed beside a poison one');

  // 5. Malformed upload names and YAML alias bombs are the client's errors.
  const boundary = 'b0';
  const upload = await fetch(`${base}/api/v1/import/contacts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokenKey}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''%ZZ.csv\r\n\r\nemail\r\na@b.co\r\n--${boundary}--\r\n`,
  });
  // The name only ever tells the format: a malformed one is read leniently or refused, never a 500.
  assert.ok(upload.status < 500, String(upload.status));
  const bomb = [
    'a: &a [x,x,x,x,x,x,x,x,x]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'goals: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  ].join('\n');
  const lint = await fetch(`${base}/api/v1/goals/lint`, {
    method: 'POST',
    headers: { authorization: `Bearer ${readKey}`, 'content-type': 'text/plain' },
    body: bomb,
  });
  assert.equal(lint.status, 400);

  probing = false;
  await health;
  assert.equal(healthFailures, 0);
  assert.ok(healthMax < 1000, `health took up to ${healthMax} ms`);

  // 7. Everything in the data directory is its owner's alone.
  const modes = (dir: string): Array<[string, number]> =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      const st = statSync(p);
      return st.isDirectory()
        ? [[p, st.mode & 0o777] as [string, number], ...modes(p)]
        : [[p, st.mode & 0o777]];
    });
  assert.equal(statSync(data).mode & 0o777, 0o700);
  for (const [p, mode] of modes(data))
    assert.equal(mode, statSync(p).isDirectory() ? 0o700 : 0o600, `${p} is ${mode.toString(8)}`);

  // Nothing acknowledged is lost, nothing is stored twice, and the poison is nowhere.
  await stopProcess(server, 'SIGKILL');
  server = null;
  const store = await DuckDbStore.open(dbPath);
  try {
    await store.migrate();
    const w = await store.getWorkspace('probe');
    assert.ok(w);
    const ws = store.forWorkspace(w);
    const [r] = await ws.query<{ n: number; ids: number; deep: number }>(
      `SELECT count(*) FILTER (WHERE event = 'Good') AS n, count(DISTINCT message_id) FILTER (WHERE event = 'Good') AS ids,
         count(*) FILTER (WHERE event = 'Deep') AS deep FROM @events`,
    );
    assert.deepEqual({ ...r }, { n: 2000, ids: 2000, deep: 0 });
  } finally {
    await store.close();
  }
  console.log(
    `# probe: health max ${healthMax} ms, ${retries} retries, RSS +${grown.toFixed(0)} MB after 1,000 900 KB keys`,
  );
});
