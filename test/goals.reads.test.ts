// Reads have no side effects (issue 14): reading the goals records nothing and alerts nobody; the
// server's schedule does, after writes too.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { today } from '../src/core/time.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import { checkStatuses } from '../src/goals/status.job.js';
import { addWebhook } from '../src/goals/webhooks.js';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { runCli, tempStore } from './fixtures.js';

let hook: Server;
let store: DuckDbStore;
let ws: WorkspaceStore;
let app: FastifyInstance;
let readKey = '';
let tokenKey = '';
let dataDir = '';
let writes = 0;
const received: unknown[] = [];
const statusRows = async () =>
  Number(
    (await ws.query<{ n: number }>(`SELECT count(*) AS n FROM @audit_log WHERE action = 'status'`))[0]?.n,
  );

before(async () => {
  hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.url);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const t = await tempStore();
  ({ store, dataDir } = t);
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'reads', timezone: 'UTC' }));
  readKey = (await ws.createApiKey('read')).key;
  tokenKey = (await ws.createApiKey('token')).key;
  const now = today('UTC');
  // No lead at all against a target of 100 by the end of next month: behind from the first day.
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'grow',
          title: 'Grow',
          objectives: [
            {
              id: 'leads-now',
              title: '100 leads',
              kpi: 'leads',
              baseline: 80,
              target: 100,
              start: `${now.slice(0, 8)}01`,
              due: `${now.slice(0, 4)}-12-31`,
              owner: 'ana@example.com',
            },
          ],
        },
      ],
    },
    'test',
  );
  const ws2 = store.forWorkspace(
    (await store.getWorkspace('reads')) as NonNullable<Awaited<ReturnType<typeof store.getWorkspace>>>,
  );
  await addWebhook(ws2, `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, 'test');
  app = await buildApp({ store, dataDir, onWrite: () => writes++ });
});
after(async () => {
  await app.close();
  await store.close();
  await new Promise<void>((r) => hook.close(() => r()));
});

test('reading the goals, by API or CLI, records nothing and alerts nobody', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await app.inject({ url: '/api/v1/goals', headers: { authorization: `Bearer ${readKey}` } });
    assert.equal(r.statusCode, 200);
    assert.notEqual(r.json().objectives[0].status, 'on_track');
  }
  const cli = await runCli(store, dataDir, ['goals', 'status', '--workspace', 'reads', '--format', 'json']);
  assert.equal(cli.code, 0, cli.err);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await statusRows(), 0);
  assert.deepEqual(received, []);
  assert.equal(writes, 0, 'a read is no write');
});

test('the schedule (and `goals check`) records a change once and alerts once', async () => {
  const first = await checkStatuses(store);
  assert.deepEqual(
    first.map((c) => [c.workspace, c.id, c.from]),
    [['reads', 'leads-now', null]],
  );
  const deadline = Date.now() + 5_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 1);
  assert.deepEqual(await checkStatuses(store), [], 'the same status again is no change');
  const cli = await runCli(store, dataDir, ['goals', 'check', '--format', 'json']);
  assert.deepEqual(JSON.parse(cli.out), { changes: [] });
  assert.equal(await statusRows(), 1);
});

test('a JSON-API write tells the server to check statuses soon', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/leads-now/checkins',
    payload: { note: 'webinar moved', confidence: 0.6 },
    headers: { authorization: `Bearer ${tokenKey}` },
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(writes, 1);
});
