// Isolation (issue 14): with one workspace's keys, nothing of another workspace is visible or
// changeable, through any JSON-API route, whatever ids are named.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { applyPlan } from '../src/goals/plan.apply.js';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, session, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let a: WorkspaceStore;
let b: WorkspaceStore;
const key: Record<string, string> = {};

async function seed(ws: WorkspaceStore, tag: string, leads: number) {
  await ws.upsertContacts(
    Array.from({ length: leads }, (_, i) =>
      contact(`${tag}-c${i}`, {
        email: `${tag}${i}@x.test`,
        leadAt: new Date('2026-02-01T10:00:00Z'),
        originalSource: 'ORGANIC_SEARCH',
      }),
    ),
  );
  await ws.upsertDeals([
    deal(`${tag}-d1`, `${tag}-c0`, 1000, '2026-02-10T10:00:00Z', '2026-03-01T10:00:00Z', true),
  ]);
  await ws.upsertSessions([
    session(`${tag}-s1`, '2026-02-01T09:00:00Z', 'Organic Search', { userId: `${tag}-c0` }),
  ]);
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: `${tag}-goal`,
          title: tag,
          objectives: [
            {
              id: `${tag}-obj`,
              title: tag,
              kpi: 'leads',
              target: 10,
              start: '2026-01-01',
              due: '2026-12-31',
              owner: 'o@x.test',
            },
          ],
        },
      ],
    },
    'test',
  );
}

before(async () => {
  const t = await tempStore();
  store = t.store;
  a = store.forWorkspace(await store.createWorkspace({ slug: 'a' }));
  b = store.forWorkspace(await store.createWorkspace({ slug: 'b' }));
  await seed(a, 'a', 2);
  await seed(b, 'b', 5);
  key.aRead = (await a.createApiKey('read')).key;
  key.aWrite = (await a.createApiKey('write')).key;
  key.aToken = (await a.createApiKey('token')).key;
  app = await buildApp({ store, dataDir: t.dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${key.aRead}` } });

test("one workspace's read key sees only its own figures", async () => {
  const leads = await get('/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31');
  assert.equal(leads.json().rows[0].value, 2, 'a has 2 leads; b has 5');
  const revenue = await get('/api/v1/kpis/revenue?from=2026-01-01&to=2026-12-31');
  assert.equal(revenue.json().rows[0].value, 1000);
  const goals = await get('/api/v1/goals');
  assert.deepEqual(
    goals.json().objectives.map((o: { id: string }) => o.id),
    ['a-obj'],
  );
  const attribution = await get('/api/v1/attribution?model=first_touch&from=2026-01-01&to=2026-12-31');
  assert.equal(attribution.statusCode, 200, attribution.body);
  assert.doesNotMatch(attribution.body, /b-c\d|b-d1/);
});

test("another workspace's objects cannot be read or changed by naming their ids", async () => {
  assert.equal((await get('/api/v1/goals/b-obj/checkins')).statusCode, 404);
  assert.equal((await get('/api/v1/scoring/contacts/b-c0')).statusCode, 404);
  assert.equal((await get('/api/v1/scoring/contacts/b0@x.test')).statusCode, 404);
  const checkin = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/b-obj/checkins',
    payload: { note: 'not yours' },
    headers: { authorization: `Bearer ${key.aToken}` },
  });
  assert.equal(checkin.statusCode, 404);
  assert.equal((await b.listCheckins('b-obj')).length, 0);
  // An import with a's key writes to a, whatever ids the file names.
  const up = await app.inject({
    method: 'POST',
    url: '/api/v1/import/contacts',
    payload: 'id,email,created_at\nb-c0,hijack@x.test,2026-01-01\n',
    headers: { authorization: `Bearer ${key.aToken}`, 'content-type': 'text/csv' },
  });
  assert.equal(up.statusCode, 200, up.body);
  assert.equal((await b.getContact('b-c0'))?.email, 'b0@x.test', "b's contact is untouched");
  assert.equal((await a.getContact('b-c0'))?.email, 'hijack@x.test', 'the row landed in a');
  // Tracking with a's write key lands in a.
  const tr = await app.inject({
    method: 'POST',
    url: '/v1/identify',
    payload: { userId: 'b-c1', traits: { email: 'evil@x.test' } },
    headers: { authorization: `Basic ${Buffer.from(`${key.aWrite}:`).toString('base64')}` },
  });
  assert.equal(tr.statusCode, 200);
  assert.equal((await b.getContact('b-c1'))?.email, 'b1@x.test');
  assert.equal((await b.counts()).events, 0);
});
