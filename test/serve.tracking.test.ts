import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { runCli, startServe, stopProcess } from './fixtures.js';

// The real `serve` process, its database in a worker thread: acknowledged events survive kill -9, and
// a retry after the restart is stored once.
const data = mkdtempSync(join(tmpdir(), 'ns-serve-'));
const dbPath = join(data, 'northstar.duckdb');
let server: ChildProcess | null = null;
let writeKey = '';
after(() => server?.kill('SIGKILL'));

async function start(): Promise<string> {
  const started = await startServe(data);
  server = started.server;
  return started.base;
}

async function kill9(): Promise<void> {
  if (server) await stopProcess(server, 'SIGKILL');
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
  // The JSON API reads the workspace through the database thread too, here with the local CLI
  // credential (the server file's token); signed out, the dashboard's data is refused.
  const { token } = JSON.parse(readFileSync(join(data, 'server.json'), 'utf8')) as { token: string };
  const url = `${base}/api/v1/kpis/sessions?from=2026-11-02&to=2026-11-02`;
  assert.equal((await fetch(url)).status, 401);
  const read = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, 'x-northstar-workspace': 'site' },
  });
  assert.equal(read.status, 200);
  assert.equal((await read.json()).rows[0].value, 30);
  await kill9();
  assert.deepEqual(await counts(), { events: 301, sessions: 30, email: 'ana@acme.test' });

  assert.deepEqual(await send(await start()), { success: true, duplicates: 301 });
  await kill9();
  assert.deepEqual(await counts(), { events: 301, sessions: 30, email: 'ana@acme.test' });
});
