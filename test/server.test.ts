import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { contact, session, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let readKey = '';
let writeKey = '';
const TOKEN = 'test-token-0123456789';

before(async () => {
  const t = await tempStore();
  store = t.store;
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'demo', timezone: 'UTC' }));
  await ws.appendSessions([
    session('s1', '2026-01-05T10:00:00Z', 'Email'),
    session('s2', '2026-01-06T10:00:00Z', 'Direct'),
  ]);
  await ws.upsertContacts([
    contact('c1', { leadAt: new Date('2026-01-05T10:05:00Z'), originalSource: 'Email' }),
  ]);
  readKey = (await ws.createApiKey('read')).key;
  writeKey = (await ws.createApiKey('write')).key;
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: TOKEN });
});
after(async () => {
  await app.close();
  await store.close();
});

test('GET /api/health answers ok', async () => {
  const res = await app.inject('/api/health');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET / and every page path serve the dashboard app, which holds no figure', async () => {
  for (const url of ['/', '/overview', '/goals/some-objective', '/kpis/leads?by=channel', '/boards/sales']) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.body, /Northstar/);
    // The workspace's name and numbers come only from the JSON API, behind sign-in.
    assert.doesNotMatch(res.body, /Revenue|Goals and objectives/);
  }
  assert.equal((await app.inject('/assets/../../package.json')).statusCode, 404);
  assert.equal((await app.inject('/assets/nope.js')).statusCode, 404);
});

test('the JSON API wants a read key: none 401, write key 403', async () => {
  assert.equal((await app.inject('/api/v1/kpis')).statusCode, 401);
  assert.equal(
    (await app.inject({ url: '/api/v1/kpis', headers: { authorization: 'Bearer nope' } })).statusCode,
    401,
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${writeKey}` } })).statusCode,
    403,
  );
  const res = await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${readKey}` } });
  assert.equal(res.statusCode, 200);
  assert.ok(res.json().kpis.some((k: { id: string }) => k.id === 'value_per_lead'));
});

test('GET /api/v1/kpis/{id} answers the CLI JSON shape', async () => {
  const auth = { authorization: `Bearer ${readKey}` };
  const res = await app.inject({
    url: '/api/v1/kpis/visits_per_lead?from=2026-01-01&to=2026-01-31&by=channel',
    headers: auth,
  });
  assert.equal(res.statusCode, 200);
  // Email: 1 session / 1 lead = 1; Direct: 1 session / 0 leads = null.
  assert.deepEqual(res.json(), {
    kpi: 'visits_per_lead',
    unit: 'ratio',
    from: '2026-01-01',
    to: '2026-01-31',
    grain: 'total',
    by: 'channel',
    rows: [
      { period: '2026-01-01', channel: 'Direct', value: null },
      { period: '2026-01-01', channel: 'Email', value: 1 },
    ],
  });
  assert.equal(
    (await app.inject({ url: '/api/v1/kpis/leads?from=2026-1-1&to=2026-01-31', headers: auth })).statusCode,
    400,
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/kpis/nope?from=2026-01-01&to=2026-01-31', headers: auth })).statusCode,
    404,
  );
  const bad = await app.inject({ url: '/api/v1/kpis/leads?from=2026-02-01&to=2026-01-31', headers: auth });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /before/);
});

test('the local CLI token of the server file reads and administers the workspace it names', async () => {
  const local = (slug?: string) => ({
    authorization: `Bearer ${TOKEN}`,
    ...(slug ? { 'x-northstar-workspace': slug } : {}),
  });
  assert.equal((await app.inject('/api/v1/stats')).statusCode, 401);
  assert.equal(
    (await app.inject({ url: '/api/v1/keys', headers: { authorization: 'Bearer wrong' } })).statusCode,
    401,
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${readKey}` } })).statusCode,
    403,
    'the admin routes take an admin: a read key is a viewer',
  );
  const stats = await app.inject({ url: '/api/v1/stats', headers: local('demo') });
  assert.equal(stats.statusCode, 200);
  assert.deepEqual(stats.json(), { events: 0, contacts: 1, deals: 0, spend: 0, email: 0, social: 0 });
  const keys = await app.inject({ url: '/api/v1/keys', headers: local('demo') });
  assert.deepEqual(
    keys
      .json()
      .keys.map((k: { kind: string }) => k.kind)
      .sort(),
    ['read', 'write'],
  );
  const none = await app.inject({ url: '/api/v1/stats', headers: local() });
  assert.equal(none.statusCode, 400);
  assert.match(none.json().error, /needs an X-Northstar-Workspace header/);
  const missing = await app.inject({ url: '/api/v1/stats', headers: local('nope') });
  assert.equal(missing.statusCode, 404);
  assert.match(missing.json().error, /no workspace "nope"/);
});

test('GET /api/docs is the OpenAPI description of the routes', async () => {
  const res = await app.inject('/api/docs');
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\./);
  assert.ok(doc.paths['/api/v1/kpis/{id}']?.get, 'the KPI route is described');
  assert.ok(doc.paths['/v1/{kind}']?.post, 'the tracking route is described');
});

test('/api/docs: every route has a summary and its error answers; browsers get the browsable page', async () => {
  const { undocumented } = await import('../src/server/app.js');
  assert.deepEqual([...undocumented], [], 'routes without an entry in src/server/route.docs.ts');
  const doc = (await app.inject('/api/docs')).json();
  let operations = 0;
  for (const [path, methods] of Object.entries(
    doc.paths as Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>,
  )) {
    for (const [method, op] of Object.entries(methods)) {
      operations++;
      assert.ok(op.summary, `${method} ${path} has a summary`);
      assert.ok(op.responses?.['500'], `${method} ${path} documents its 500`);
    }
  }
  assert.ok(operations >= 12, `${operations} operations described`);
  assert.ok(doc.paths['/api/v1/kpis/{id}'].get.responses['404'], 'the KPI route documents its 404');
  const page = await app.inject({ url: '/api/docs', headers: { accept: 'text/html' } });
  assert.ok(page.statusCode === 200 || page.statusCode === 302, String(page.statusCode));
  const html = await app.inject({ url: '/api/docs/', headers: { accept: 'text/html' } });
  assert.equal(html.statusCode, 200);
  assert.match(html.body, /swagger/i);
});

test('the favicon request is answered, not 404', async () => {
  const r = await app.inject('/favicon.ico');
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'image/svg+xml');
});
