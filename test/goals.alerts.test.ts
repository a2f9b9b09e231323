import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type AlertPayload, lastStatuses, postWithRetry, recordStatuses } from '../src/goals/alerts.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import { goalsStatus } from '../src/goals/status.js';
import { addWebhook, removeWebhook } from '../src/goals/webhooks.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, tempStore } from './fixtures.js';

// A local receiver that fails the first POST with a 500 and accepts the rest.
let server: Server;
let url = '';
const received: Array<{ status: number; body: AlertPayload }> = [];
let store: DuckDbStore;
let ws: WorkspaceStore;
const FAST = { baseDelayMs: 10, timeoutMs: 2_000 };

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const status = received.length === 0 ? 500 : 200;
      received.push({ status, body: JSON.parse(body) as AlertPayload });
      res.writeHead(status).end(status === 200 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'alerts', timezone: 'UTC' }));
  // 10 leads a day on 1–5 May, then none: on pace on the 5th (50 of an expected 50), behind on the
  // 6th (50 of an expected 60: pace 0.83, at risk).
  await ws.upsertContacts(
    Array.from({ length: 50 }, (_, i) =>
      contact(`c${i}`, { leadAt: new Date(`2026-05-0${1 + Math.floor(i / 10)}T12:00:00Z`) }),
    ),
  );
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'grow',
          title: 'Grow',
          objectives: [
            {
              id: 'may-leads',
              title: '100 leads in early May',
              kpi: 'leads',
              baseline: 80,
              target: 100,
              start: '2026-05-01',
              due: '2026-05-10',
              owner: 'ana@example.com',
            },
          ],
        },
      ],
    },
    'test',
  );
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
});

async function statusAt(day: string) {
  const report = await goalsStatus(ws, day);
  return recordStatuses(ws, report.objectives, day, FAST);
}

test('webhooks are added once, validated, and removable', async () => {
  assert.deepEqual(await addWebhook(ws, url, 'test'), [url]);
  assert.deepEqual(await addWebhook(ws, url, 'test'), [url]); // twice is once
  await assert.rejects(addWebhook(ws, 'ftp://example.com/x', 'test'), /https:\/\//);
  await assert.rejects(removeWebhook(ws, 'https://example.com/nope', 'test'), /not found/);
});

test('on track: the status is recorded, nobody is alerted', async () => {
  const { changes, delivery } = await statusAt('2026-05-05');
  assert.deepEqual(changes, [{ id: 'may-leads', from: null, to: 'on_track' }]);
  assert.deepEqual(await delivery, []);
  assert.equal(received.length, 0);
  assert.equal((await lastStatuses(ws)).get('may-leads'), 'on_track');
});

test('turning at risk sends exactly one alert, retried once after a 500', async () => {
  const { changes, delivery } = await statusAt('2026-05-06');
  assert.deepEqual(changes, [{ id: 'may-leads', from: 'on_track', to: 'at_risk' }]);
  const reports = await delivery;
  assert.deepEqual(
    reports.map((r) => ({ ok: r.ok, attempts: r.attempts, last: r.last })),
    [{ ok: true, attempts: 2, last: 200 }],
  );
  assert.deepEqual(
    received.map((r) => r.status),
    [500, 200],
  );
  assert.deepEqual(received[0]?.body, received[1]?.body); // the retry is the same alert
  const alert = received[1]?.body;
  assert.equal(alert?.status, 'at_risk');
  assert.equal(alert?.previous_status, 'on_track');
  assert.equal(alert?.objective.id, 'may-leads');
  assert.equal(alert?.actual, 50);
  assert.equal(alert?.expected, 60); // 100 × 6 / 10
  assert.equal(
    alert?.text,
    '⚠️ "100 leads in early May" (may-leads, owner ana@example.com) is now at risk (was on track): leads 50 so far, 60 expected by 2026-05-06; forecast 83 by 2026-05-10 against a target of 100.',
  );
});

test('the same status again alerts nobody', async () => {
  const { changes, delivery } = await statusAt('2026-05-06');
  assert.deepEqual(changes, []);
  assert.deepEqual(await delivery, []);
  assert.equal(received.length, 2);
  const audit = await ws.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM @audit_log WHERE action = 'status' AND entity_id = 'may-leads'`,
  );
  assert.equal(audit[0]?.n, 2); // null → on_track, on_track → at_risk
});

test('a dead webhook is retried with backoff, gives up quietly, and does not hold up the others', async () => {
  const dead = await postWithRetry(
    'http://127.0.0.1:9/nothing-listens-here',
    { text: 'x' },
    { ...FAST, tries: 3 },
  );
  assert.equal(dead.ok, false);
  assert.equal(dead.attempts, 3);
  assert.equal(typeof dead.last, 'string'); // the network error, not a status
  // A refusal (4xx) is final: no retry would change it.
  const refusing = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const port = (refusing.address() as AddressInfo).port;
  const gone = await postWithRetry(`http://127.0.0.1:${port}/`, { text: 'x' }, FAST);
  assert.deepEqual(
    { ok: gone.ok, attempts: gone.attempts, last: gone.last },
    { ok: false, attempts: 1, last: 404 },
  );
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
});

test('an alert that cannot be delivered is logged with its workspace and objective, not the secret path', async () => {
  const dead = store.forWorkspace(await store.createWorkspace({ slug: 'alerts-dead', timezone: 'UTC' }));
  await dead.upsertContacts(
    Array.from({ length: 50 }, (_, i) =>
      contact(`c${i}`, { leadAt: new Date(`2026-05-0${1 + Math.floor(i / 10)}T12:00:00Z`) }),
    ),
  );
  const objective = {
    id: 'may-leads',
    title: 'May',
    kpi: 'leads',
    baseline: 80,
    target: 100,
    owner: 'ana@example.com',
  };
  await applyPlan(
    dead,
    {
      goals: [
        {
          id: 'grow',
          title: 'Grow',
          objectives: [{ ...objective, start: '2026-05-01', due: '2026-05-10' }],
        },
      ],
    },
    'test',
  );
  await addWebhook(dead, 'http://127.0.0.1:9/services/T000/SECRET', 'test');
  const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const log = {
    error: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
    warn: () => assert.fail('no warning expected'),
    info: () => assert.fail('no info expected'),
  };
  const report = await goalsStatus(dead, '2026-05-06');
  const { changes, delivery } = await recordStatuses(dead, report.objectives, '2026-05-06', {
    ...FAST,
    tries: 1,
    log,
  });
  assert.deepEqual(changes, [{ id: 'may-leads', from: null, to: 'at_risk' }]);
  const [r] = await delivery;
  assert.equal(r?.ok, false);
  assert.equal(lines.length, 1);
  const { webhook, workspace, objective: o, status, attempts } = lines[0]?.fields ?? {};
  assert.deepEqual(
    { message: lines[0]?.message, webhook, workspace, o, status, attempts },
    {
      message: 'an alert could not be delivered',
      webhook: 'http://127.0.0.1:9/…',
      workspace: 'alerts-dead',
      o: 'may-leads',
      status: 'at_risk',
      attempts: 1,
    },
  );
  assert.doesNotMatch(JSON.stringify(lines), /SECRET/);
});
