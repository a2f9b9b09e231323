import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { runCli } from './fixtures.js';

// The real `serve` process, its database in a worker thread: acknowledged events survive kill -9, and
// a retry after the restart is stored once.
const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'ns-serve-'));
const dbPath = join(data, 'northstar.duckdb');
let server: ChildProcess | null = null;
let writeKey = '';
after(() => server?.kill('SIGKILL'));

async function start(): Promise<string> {
  server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', '--data', data], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr?.on('data', (d) => {
    log += String(d);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/[^ ]+)/.exec(log);
    if (m?.[1]) return m[1];
    if (Date.now() > deadline) throw new Error(`server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function kill9(): Promise<void> {
  const s = server;
  if (!s) return;
  const exited = new Promise((r) => s.once('exit', r));
  s.kill('SIGKILL');
  await exited;
  server = null;
}

async function counts(): Promise<{ events: number; sessions: number; email: string | null }> {
  const store = await DuckDbStore.open(dbPath);
  try {
    const w = await store.getWorkspace('site');
    assert.ok(w);
    const ws = store.forWorkspace(w);
    const [s] = await ws.query<{ n: number }>('SELECT count(*) AS n FROM @sessions');
    return {
      events: (await ws.counts()).events,
      sessions: s?.n ?? 0,
      email: (await ws.getContact('u-1'))?.email ?? null,
    };
  } finally {
    await store.close();
  }
}

const batch = {
  batch: [
    ...Array.from({ length: 300 }, (_, i) => ({
      type: 'page',
      messageId: `p-${i}`,
      anonymousId: `visitor-${i % 30}`,
      timestamp: new Date(Date.UTC(2026, 10, 2, 9, 0, i)).toISOString(),
      context: { page: { url: `https://acme.test/pricing?utm_source=newsletter&utm_medium=email` } },
    })),
    {
      type: 'identify',
      messageId: 'id-1',
      anonymousId: 'visitor-0',
      userId: 'u-1',
      traits: { email: 'ana@acme.test' },
    },
  ],
};

test('acknowledged events survive kill -9 of serve, and a retry after the restart is stored once', async () => {
  {
    const store = await DuckDbStore.open(dbPath);
    await store.migrate();
    await store.createWorkspace({ slug: 'site' });
    const key = await runCli(store, data, ['keys', 'create', '--kind', 'write', '--workspace', 'site']);
    await store.close();
    assert.equal(key.code, 0, key.err);
    writeKey = key.out.trim();
  }
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const send = async (base: string) => {
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(batch),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { success: boolean; duplicates?: number };
  };

  const base = await start();
  assert.deepEqual(await send(base), { success: true });
  // The overview page reads the workspace through the database thread too.
  const home = await fetch(`${base}/`);
  assert.equal(home.status, 200);
  assert.match(await home.text(), /site/);
  await kill9();
  assert.deepEqual(await counts(), { events: 301, sessions: 30, email: 'ana@acme.test' });

  assert.deepEqual(await send(await start()), { success: true, duplicates: 301 });
  await kill9();
  assert.deepEqual(await counts(), { events: 301, sessions: 30, email: 'ana@acme.test' });
});
