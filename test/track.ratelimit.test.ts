// Overload (issue 14): a write key over its rate is answered 429 with Retry-After; the real Segment
// and RudderStack SDKs wait and retry, and every event arrives exactly once.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let key = '';
let base = '';
let answered429 = 0;

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'busy', timezone: 'UTC' }));
  key = (await ws.createApiKey('write')).key;
  app = await buildApp({ store, dataDir: t.dataDir, trackRate: { rate: 6, burst: 6 } });
  app.addHook('onResponse', async (_req, reply) => {
    if (reply.statusCode === 429) answered429++;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app.close();
  await store.close();
});

const stored = async (prefix: string) =>
  (
    await ws.query<{ id: string; n: number }>(
      `SELECT anonymous_id AS id, count(*) AS n FROM @events WHERE anonymous_id LIKE $p || '%' GROUP BY 1`,
      { p: prefix },
    )
  ).reduce((m, r) => m.set(r.id, Number(r.n)), new Map<string, number>());

test('429 with Retry-After in whole seconds, over the key only', async () => {
  const auth = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
  const batch = {
    batch: Array.from({ length: 10 }, (_, i) => ({ type: 'track', event: 'E', anonymousId: `raw-${i}` })),
  };
  const first = await app.inject({ method: 'POST', url: '/v1/batch', payload: batch, headers: auth });
  assert.equal(first.statusCode, 200, 'a batch over the burst passes from a full bucket');
  const second = await app.inject({ method: 'POST', url: '/v1/batch', payload: batch, headers: auth });
  assert.equal(second.statusCode, 429);
  assert.match(String(second.headers['retry-after']), /^[1-9]\d*$/);
  assert.match(second.json().error, /too many events for this write key/);
  await new Promise((r) => setTimeout(r, 5_000));
});

test('@segment/analytics-node and @rudderstack/rudder-sdk-node retry after 429 and lose nothing', {
  timeout: 60_000,
}, async () => {
  answered429 = 0;
  const seg = new SegmentAnalytics({ writeKey: key, host: base, flushAt: 1, maxRetries: 5 });
  for (let i = 0; i < 12; i++) seg.track({ anonymousId: `seg-${i}`, event: 'Busy', timestamp: new Date() });
  const rud = new RudderAnalytics(key, {
    dataPlaneUrl: base,
    flushAt: 1,
    flushInterval: 100,
    logLevel: 'error',
  });
  for (let i = 0; i < 12; i++) rud.track({ anonymousId: `rud-${i}`, event: 'Busy' });
  await seg.closeAndFlush({ timeout: 45_000 });
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline && ((await stored('seg-')).size < 12 || (await stored('rud-')).size < 12))
    await new Promise((r) => setTimeout(r, 250));
  for (const prefix of ['seg-', 'rud-']) {
    const got = await stored(prefix);
    assert.equal(got.size, 12, `${prefix}: ${got.size} of 12 visitors arrived`);
    for (const [id, n] of got) assert.equal(n, 1, `${id} stored ${n} times`);
  }
  assert.ok(answered429 > 0, 'the limit was reached, so the retries were tested');
  console.log(`# rate limit: ${answered429} answers 429, 24 of 24 events stored once`);
});
