/**
 * `POST /api/v1/import/{kind}` on the real app and store: write-key auth, raw CSV/NDJSON bodies,
 * multipart forms, bad rows as a 400 with every row, skip_invalid, bodies over the app's 1 MB limit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { importRoutes } from '../src/server/routes/import.route.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname;
let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let tokenKey = '';
let readKey = '';

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw' }));
  tokenKey = (await ws.createApiKey('token')).key;
  readKey = (await ws.createApiKey('read')).key;
  app = await buildApp({ store, dataDir: t.dataDir });
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/import/:kind' })) await app.register(importRoutes(store));
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`);

test('imports need a write key: none or unknown 401, a read key 403; an unknown kind 404', async () => {
  const url = '/api/v1/import/contacts';
  const body = fixture('contacts.csv');
  const headers = { 'content-type': 'text/csv' };
  assert.equal((await app.inject({ method: 'POST', url, headers, body })).statusCode, 401);
  assert.equal(
    (await app.inject({ method: 'POST', url, headers: { ...headers, ...auth('ns_w_nope') }, body }))
      .statusCode,
    401,
  );
  const read = await app.inject({ method: 'POST', url, headers: { ...headers, ...auth(readKey) }, body });
  assert.deepEqual(
    [read.statusCode, read.json()],
    [
      403,
      { error: 'a read key cannot change anything; use an API token (northstar keys create --kind token)' },
    ],
  );
  // Write keys are public in every website snippet: the tracking API only.
  const write = (await ws.createApiKey('write')).key;
  const tracking = await app.inject({ method: 'POST', url, headers: { ...headers, ...auth(write) }, body });
  assert.equal(tracking.statusCode, 403);
  assert.match(tracking.json().error, /tracking API only/);
  const kind = await app.inject({
    method: 'POST',
    url: '/api/v1/import/leads',
    headers: { ...headers, ...auth(tokenKey) },
    body,
  });
  assert.equal(kind.statusCode, 404);
  assert.equal((await ws.counts()).contacts, 0);
});

test('a raw text/csv body: 200 with the summary', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import/contacts',
    headers: { 'content-type': 'text/csv', ...auth(tokenKey) },
    body: fixture('contacts.csv'),
  });
  assert.equal(res.statusCode, 200, res.body);
  const { seconds: _s, ...summary } = res.json();
  assert.deepEqual(summary, {
    kind: 'contacts',
    preset: null,
    file: 'upload.csv',
    rows: 4,
    imported: 4,
    updated: 0,
    skipped: 0,
    rejected: 0,
    conflicts: 0,
    history: 8,
    sessions: 0,
    identities: 0,
    contacts: 0,
    rejects_file: null,
    unmapped_stages: 0,
    unmapped_stage_values: {},
    unlinked_deals: 0,
    linked_deals: 0,
    warnings: [],
    errors: [],
  });
  assert.equal((await ws.counts()).contacts, 4);
});

test('multipart/form-data with the file and a preset field', async () => {
  const boundary = 'northstar-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="preset"\r\n\r\nhubspot-contacts\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="hubspot-contacts.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    fixture('hubspot-contacts.csv'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import/contacts',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...auth(tokenKey) },
    body,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(
    [res.json().file, res.json().preset, res.json().imported],
    ['hubspot-contacts.csv', 'hubspot-contacts', 4],
  );
  assert.equal((await ws.getContact('51'))?.lifecycleStage, 'customer');
});

test('bad rows: 400 with every bad row and nothing imported; skip_invalid imports the rest', async () => {
  const before = await ws.counts();
  const headers = { 'content-type': 'text/csv', ...auth(tokenKey) };
  const body = fixture('contacts-invalid.csv');
  const bad = await app.inject({ method: 'POST', url: '/api/v1/import/contacts', headers, body });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().error, '4 of 6 rows are invalid; nothing was imported');
  assert.deepEqual(
    bad.json().errors.map((e: { line: number; column: string }) => [e.line, e.column]),
    [
      [3, 'email'],
      [4, 'created_at'],
      [6, '(row)'],
      [7, 'id'],
    ],
  );
  assert.deepEqual(await ws.counts(), before);
  const skip = await app.inject({
    method: 'POST',
    url: '/api/v1/import/contacts?skip_invalid=true',
    headers,
    body,
  });
  assert.equal(skip.statusCode, 200);
  assert.deepEqual([skip.json().imported, skip.json().rejected, skip.json().errors.length], [2, 4, 4]);
  const missing = await app.inject({
    method: 'POST',
    url: '/api/v1/import/spend',
    headers,
    body: 'date,channel\n2026-03-01,Email\n',
  });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.json().error, /^missing column cost/);
});

test('NDJSON events as application/x-ndjson, and a body larger than the 1 MB JSON limit', async () => {
  const events = await app.inject({
    method: 'POST',
    url: '/api/v1/import/events',
    headers: { 'content-type': 'application/x-ndjson', ...auth(tokenKey) },
    body: fixture('events.ndjson'),
  });
  assert.equal(events.statusCode, 200, events.body);
  assert.deepEqual([events.json().imported, events.json().sessions], [7, 3]);
  const rows = Array.from(
    { length: 50_000 },
    (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')},Display,c${i},${i % 97}.5`,
  );
  const big = `date,channel,campaign,cost\n${rows.join('\n')}\n`;
  assert.ok(big.length > 1024 * 1024);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/import/spend',
    headers: { 'content-type': 'text/csv', ...auth(tokenKey) },
    body: big,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().imported, 50_000);
});
