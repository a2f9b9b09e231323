// Keys (issue 14): listed with prefix, kind, creation and last use; revoked by key or prefix, and
// refused by the very next request, the tracking API's cached keys included.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { runCli, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let dataDir = '';
let write = '';
let read = '';
const cli = (args: string[]) => runCli(store, dataDir, [...args, '--workspace', 'k']);
const track = () =>
  app.inject({
    method: 'POST',
    url: '/v1/track',
    payload: { type: 'track', event: 'E', anonymousId: 'a' },
    headers: { authorization: `Basic ${Buffer.from(`${write}:`).toString('base64')}` },
  });
const kpis = () => app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${read}` } });

before(async () => {
  const t = await tempStore();
  ({ store, dataDir } = t);
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'k' }));
  write = (await ws.createApiKey('write')).key;
  read = (await ws.createApiKey('read')).key;
  app = await buildApp({ store, dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

test('keys list: prefix, kind, created, last used; never the key itself', async () => {
  assert.equal((await track()).statusCode, 200);
  assert.equal((await kpis()).statusCode, 200);
  await new Promise((r) => setTimeout(r, 200)); // the last-use note is written off the request path
  const r = await cli(['keys', 'list', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out).keys as Array<Record<string, string | null>>;
  assert.deepEqual(
    list.map((k) => [k.prefix, k.kind, k.revoked]),
    [
      [write.slice(0, 10), 'write', null],
      [read.slice(0, 10), 'read', null],
    ],
  );
  for (const k of list)
    assert.ok(k.last_used && Date.now() - Date.parse(k.last_used) < 60_000, 'last use noted');
  assert.ok(!r.out.includes(write) && !r.out.includes(read));
});

test('a revoked key is refused by the very next request, tracking (cached) and JSON API alike', async () => {
  assert.equal((await track()).statusCode, 200, 'the key is in the tracking cache now');
  const byPrefix = await cli(['keys', 'revoke', write.slice(0, 10), '--format', 'json']);
  assert.equal(byPrefix.code, 0, byPrefix.err);
  assert.equal(JSON.parse(byPrefix.out).prefix, write.slice(0, 10));
  assert.equal((await track()).statusCode, 401);
  const whole = await cli(['keys', 'revoke', read]);
  assert.equal(whole.code, 0, whole.err);
  assert.equal((await kpis()).statusCode, 401);
  const again = await cli(['keys', 'revoke', read]);
  assert.equal(again.code, 1);
  assert.match(again.err, /no live key/);
  const audit = await store
    .forWorkspace(
      (await store.getWorkspace('k')) as NonNullable<Awaited<ReturnType<DuckDbStore['getWorkspace']>>>,
    )
    .query<{ n: number }>(
      `SELECT count(*) AS n FROM @audit_log WHERE action = 'revoke' AND entity = 'api_key'`,
    );
  assert.equal(Number(audit[0]?.n), 2);
});

test('northstar audit lists who changed what, newest first', async () => {
  const r = await cli(['audit', '--limit', '5', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const entries = JSON.parse(r.out).entries as Array<{
    actor: string;
    action: string;
    entity: string;
    id: string;
  }>;
  assert.deepEqual(
    entries.slice(0, 2).map((e) => [e.actor, e.action, e.entity, e.id]),
    [
      ['cli', 'revoke', 'api_key', read.slice(0, 10)],
      ['cli', 'revoke', 'api_key', write.slice(0, 10)],
    ],
  );
  assert.equal((await cli(['audit', '--limit', '0'])).code, 1);
});

test('API tokens: created by an admin with a role, shown once, listed, and refused once revoked', async () => {
  const made = await cli(['keys', 'create', '--kind', 'token']);
  assert.equal(made.code, 0, made.err);
  const token = made.out.trim();
  assert.match(token, /^ns_t_[A-Za-z0-9_-]{32}$/);
  const admin = (await cli(['keys', 'create', '--kind', 'token', '--role', 'admin'])).out.trim();
  assert.equal((await cli(['keys', 'create', '--kind', 'token', '--role', 'viewer'])).code, 1);
  assert.equal((await cli(['keys', 'create', '--kind', 'read', '--role', 'admin'])).code, 1);
  const list = JSON.parse((await cli(['keys', 'list', '--format', 'json'])).out).keys as Array<
    Record<string, string | null>
  >;
  assert.deepEqual(
    list.filter((k) => k.kind === 'token').map((k) => [k.prefix, k.role, k.revoked]),
    [
      [token.slice(0, 10), 'editor', null],
      [admin.slice(0, 10), 'admin', null],
    ],
  );
  const importAs = (key: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/import/contacts',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      payload: 'email,created_at\nt@example.com,2026-01-01\n',
    });
  const first = await importAs(token);
  assert.equal(first.statusCode, 200, first.body);
  // The workspace is the token's, whatever a request names.
  const other = await app.inject({
    url: '/api/v1/kpis',
    headers: { authorization: `Bearer ${token}`, 'x-northstar-workspace': 'elsewhere' },
  });
  assert.equal(other.statusCode, 200);
  assert.equal((await cli(['keys', 'revoke', token.slice(0, 10)])).code, 0);
  const refused = await importAs(token);
  assert.deepEqual([refused.statusCode, refused.json()], [401, { error: 'unknown or revoked key' }]);
  assert.equal((await importAs(admin)).statusCode, 200, 'only the revoked token stops');
  const created = await store
    .forWorkspace(
      (await store.getWorkspace('k')) as NonNullable<Awaited<ReturnType<DuckDbStore['getWorkspace']>>>,
    )
    .query<{ n: number }>(
      `SELECT count(*) AS n FROM @audit_log WHERE action = 'create' AND entity = 'api_key'`,
    );
  assert.equal(Number(created[0]?.n), 2, 'each creation is in the audit log');
});

test('a session deleted by sign-out or a password change is refused by the very next request', async () => {
  const w = (await store.getWorkspace('k')) as NonNullable<Awaited<ReturnType<DuckDbStore['getWorkspace']>>>;
  const u = await store.createUser('k@example.com', null, 'session password');
  await store.forWorkspace(w).addMember(u.id, 'viewer');
  const s = await store.createSession(u.id, 3_600_000);
  const me = () => app.inject({ url: '/api/v1/goals', headers: { cookie: `ns_session=${s.id}` } });
  assert.equal((await me()).statusCode, 200);
  assert.equal(await store.deleteUserSessions(u.id), 1);
  assert.equal((await me()).statusCode, 401);
});
