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
