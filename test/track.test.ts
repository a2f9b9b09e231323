import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runKpi } from '../src/metrics/kpi.query.js';
import { buildApp } from '../src/server/app.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let key = '';
let dbPath = '';
let dataDir = '';
const basic = () => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
const post = (url: string, payload: unknown, headers: Record<string, string> = basic()) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers });
const count = async (sql: string, params = {}) =>
  Number(Object.values((await ws.query(sql, params))[0] ?? {})[0]);

before(async () => {
  const t = await tempStore();
  ({ store, dbPath, dataDir } = t);
  const w = await store.createWorkspace({ slug: 'site', timezone: 'UTC' });
  ws = store.forWorkspace(w);
  key = (await ws.createApiKey('write')).key;
  app = await buildApp({ store, dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

test('an unknown or missing write key is 401 and stores nothing', async () => {
  const msg = { type: 'track', event: 'X', anonymousId: 'a', messageId: 'k1' };
  assert.equal((await post('/v1/track', msg, {})).statusCode, 401);
  assert.equal(
    (await post('/v1/track', msg, { authorization: `Basic ${Buffer.from('ns_w_nope:').toString('base64')}` }))
      .statusCode,
    401,
  );
  const read = (await ws.createApiKey('read')).key;
  assert.equal(
    (await post('/v1/track', { ...msg, writeKey: read }, {})).statusCode,
    401,
    'a read key cannot track',
  );
  assert.equal(await count('SELECT count(*) FROM @events'), 0);
});

test('track with Basic auth is stored once, even when retried', async () => {
  const msg = {
    event: 'Signed Up',
    anonymousId: 'anon-1',
    messageId: 'm-1',
    properties: { plan: 'pro' },
    timestamp: '2026-05-01T10:00:00Z',
    sentAt: '2026-05-01T10:00:00Z',
  };
  const res = await post('/v1/track', msg);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { success: true });
  const again = await post('/v1/t', msg);
  assert.equal(again.statusCode, 200);
  assert.equal(await count(`SELECT count(*) FROM @events WHERE message_id = 'm-1'`), 1);
  assert.equal(
    await count(
      `SELECT count(*) FROM @events WHERE message_id = 'm-1' AND event = 'Signed Up' AND (properties->>'plan') = 'pro'`,
    ),
    1,
  );
});

test('JSON as text/plain with the write key in the body (the browser SDK) and CORS', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/p',
    payload: JSON.stringify({
      writeKey: key,
      anonymousId: 'anon-2',
      messageId: 'm-2',
      properties: { path: '/pricing', url: 'https://acme.test/pricing' },
    }),
    headers: { 'content-type': 'text/plain', origin: 'https://acme.test' },
  });
  assert.equal(res.statusCode, 200, res.body);
  // Any site may send; no credentials, so the origin is not reflected (issue 14).
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-allow-credentials'], undefined);
  const pre = await app.inject({
    method: 'OPTIONS',
    url: '/v1/batch',
    headers: { origin: 'https://acme.test', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.statusCode, 204);
  assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/t',
    payload: '{not json',
    headers: { 'content-type': 'text/plain', ...basic() },
  });
  assert.equal(bad.statusCode, 400);
});

test('a batch with any bad message is rejected whole, with a reason per message', async () => {
  const res = await post('/v1/batch', {
    batch: [
      { type: 'track', event: 'Ok', anonymousId: 'a', messageId: 'b-ok' },
      { type: 'track', anonymousId: 'a', messageId: 'b-noevent' },
      { type: 'page', messageId: 'b-noid' },
      { type: 'purchase', anonymousId: 'a', messageId: 'b-type' },
    ],
  });
  assert.equal(res.statusCode, 400);
  const body = res.json();
  assert.equal(body.success, false);
  assert.deepEqual(
    body.issues.map((i: { index: number }) => i.index),
    [1, 2, 3],
  );
  assert.equal(await count(`SELECT count(*) FROM @events WHERE message_id LIKE 'b-%'`), 0);
  const tooMany = await post('/v1/batch', {
    batch: Array.from({ length: 2501 }, (_, i) => ({
      type: 'track',
      event: 'E',
      anonymousId: 'a',
      messageId: `many-${i}`,
    })),
  });
  assert.equal(tooMany.statusCode, 400);
  const big = await post('/v1/track', {
    event: 'Big',
    anonymousId: 'a',
    properties: { blob: 'x'.repeat(33 * 1024) },
  });
  assert.equal(big.statusCode, 400);
});

test('identify turns an anonymous visitor into a lead whose earlier visit counts', async () => {
  const res = await post('/v1/batch', {
    context: { library: { name: 'test' } },
    batch: [
      {
        type: 'page',
        anonymousId: 'v-9',
        messageId: 'i-1',
        timestamp: '2026-06-01T09:00:00Z',
        context: {
          page: {
            url: 'https://acme.test/blog/x?utm_source=newsletter&utm_medium=email&utm_campaign=june',
            path: '/blog/x',
            referrer: '',
          },
        },
      },
      {
        type: 'identify',
        anonymousId: 'v-9',
        userId: 'user-9',
        messageId: 'i-2',
        timestamp: '2026-06-01T09:05:00Z',
        traits: { email: 'Ana@Example.com', name: 'Ana Nowak', company: { name: 'Acme' }, title: 'CMO' },
      },
      {
        type: 'page',
        anonymousId: 'v-9',
        userId: 'user-9',
        messageId: 'i-3',
        timestamp: '2026-06-01T10:00:00Z',
        context: { page: { url: 'https://acme.test/pricing', path: '/pricing' } },
      },
    ],
  });
  assert.equal(res.statusCode, 200, res.body);
  const c = await ws.getContact('user-9');
  assert.equal(c?.email, 'ana@example.com');
  assert.equal(c?.firstName, 'Ana');
  assert.equal(c?.company, 'Acme');
  assert.equal(c?.leadAt?.toISOString(), '2026-06-01T09:05:00.000Z');
  assert.equal(
    await count(`SELECT count(*) FROM @identities WHERE anonymous_id = 'v-9' AND user_id = 'user-9'`),
    1,
  );
  // The batch context reached every message.
  assert.equal(
    await count(
      `SELECT count(*) FROM @events WHERE message_id LIKE 'i-%' AND (context->'library'->>'name') = 'test'`,
    ),
    3,
  );
  // Two visits: the e-mail one, and a new one after 55 minutes of inactivity.
  const sessions = await ws.query<{ channel: string; campaign: string | null }>(
    `SELECT channel, campaign FROM @sessions WHERE anonymous_id = 'v-9' ORDER BY started_at`,
  );
  assert.deepEqual(
    sessions.map((s) => s.channel),
    ['Email', 'Direct'],
  );
  const leads = await runKpi(ws, { kpi: 'leads', from: '2026-06-01', to: '2026-06-30', by: 'channel' });
  assert.deepEqual(leads.rows, [{ period: '2026-06-01', channel: 'Email', value: 1 }]);
});

test('a campaign link opened mid-visit starts a new session; clock skew is corrected', async () => {
  await post('/v1/batch', {
    sentAt: '2026-07-01T12:00:00Z',
    batch: [
      {
        type: 'page',
        anonymousId: 'v-7',
        messageId: 'u-1',
        timestamp: '2026-07-01T11:58:00Z',
        context: { page: { url: 'https://acme.test/', path: '/' } },
      },
      {
        type: 'page',
        anonymousId: 'v-7',
        messageId: 'u-2',
        timestamp: '2026-07-01T11:59:00Z',
        context: {
          page: {
            url: 'https://acme.test/x?utm_source=google&utm_medium=cpc&utm_campaign=brand',
            path: '/x',
          },
        },
      },
    ],
  });
  const s = await ws.query<{ channel: string }>(
    `SELECT channel FROM @sessions WHERE anonymous_id = 'v-7' ORDER BY started_at`,
  );
  assert.deepEqual(
    s.map((x) => x.channel),
    ['Direct', 'Paid Search'],
  );
  // The client's clock said 12:00 when it sent: its 11:58 is 2 minutes before our receive time.
  const [r] = await ws.query<{ skew: number }>(
    `SELECT epoch_ms(received_at) - epoch_ms(ts) AS skew FROM @events WHERE message_id = 'u-1'`,
  );
  assert.ok(r && Math.abs(r.skew - 120_000) < 5, `skew ${r?.skew}`);
});

test("GET /v1/projects/{key}/settings gives the browser SDK our host, never the request's", async () => {
  const res = await app.inject({
    url: `/v1/projects/${key}/settings`,
    headers: { host: 'localhost:8080' },
  });
  assert.equal(res.statusCode, 200);
  // Not listening (inject) and no --public-url: the loopback address; never the Host header.
  assert.equal(res.json().integrations['Segment.io'].apiHost, '127.0.0.1/v1');
  assert.equal(
    (await app.inject({ url: `/v1/projects/${key}/settings`, headers: { host: 'stats.acme.test' } }))
      .statusCode,
    421,
  );
  assert.equal((await app.inject({ url: '/v1/projects/nope/settings' })).statusCode, 404);
});

test('after a restart, a retried message is still stored once', async () => {
  await app.close();
  await store.close();
  store = await DuckDbStore.open(dbPath);
  await store.migrate();
  const w = await store.getWorkspace('site');
  assert.ok(w);
  ws = store.forWorkspace(w);
  app = await buildApp({ store, dataDir });
  const before = await count('SELECT count(*) FROM @events');
  const res = await post('/v1/track', { event: 'Signed Up', anonymousId: 'anon-1', messageId: 'm-1' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().duplicates, 1);
  assert.equal(await count('SELECT count(*) FROM @events'), before);
});
