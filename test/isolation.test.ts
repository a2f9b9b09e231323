// Isolation (issue 14): with one workspace's keys or a session of one of its users, nothing of another
// workspace is visible or changeable, through any JSON-API route, whatever ids or workspace are named.
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
const sessions: Record<string, Record<string, string>> = {};

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
  // Ed edits a and is nobody in b; Vic views a and edits b.
  for (const [email, roles] of [
    ['ed@a.test', [[a, 'editor']]],
    [
      'vic@a.test',
      [
        [a, 'viewer'],
        [b, 'editor'],
      ],
    ],
  ] as const) {
    const u = await store.createUser(email, null, 'isolation password');
    for (const [ws, role] of roles) await ws.addMember(u.id, role);
    const s = await store.createSession(u.id, 3_600_000);
    sessions[email] = { cookie: `ns_session=${s.id}`, 'x-csrf-token': s.csrf };
  }
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

/** Every read of the JSON API that names data, with b's ids where a route takes one. */
const READS = [
  '/api/v1/kpis',
  '/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31',
  '/api/v1/kpis/revenue?from=2026-01-01&to=2026-12-31',
  '/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31&by=owner',
  '/api/v1/goals',
  '/api/v1/goals/lint',
  '/api/v1/goals/b-obj/checkins',
  '/api/v1/attribution?model=first_touch&from=2026-01-01&to=2026-12-31',
  '/api/v1/scoring/contacts/b-c0',
  '/api/v1/scoring/contacts/b0@x.test',
  '/api/v1/scoring/top',
  '/api/v1/plan/review?year=2026',
];

test("a session of a's editor sees and changes only a, whatever workspace its requests name", async () => {
  const ed = sessions['ed@a.test'] ?? {};
  let answered = 0;
  for (const named of [{}, { 'x-northstar-workspace': 'a' }, { 'x-northstar-workspace': 'b' }]) {
    for (const url of [...READS, ...READS.map((u) => `${u}${u.includes('?') ? '&' : '?'}workspace=b`)]) {
      const res = await app.inject({ url, headers: { ...ed, ...named } });
      answered++;
      if ('x-northstar-workspace' in named && named['x-northstar-workspace'] === 'b') {
        assert.equal(res.statusCode, 403, `${url} naming b`);
        continue;
      }
      if (url.includes('workspace=b') && !('x-northstar-workspace' in named)) {
        assert.equal(res.statusCode, 403, `${url}: the link names b`);
        continue;
      }
      // 400: a has no scoring rules; 404: a has no such id.
      assert.ok([200, 400, 404].includes(res.statusCode), `${url}: ${res.statusCode} ${res.body}`);
      // A 404 names the id asked for; an answer with data names nothing of b.
      if (res.statusCode === 200) assert.doesNotMatch(res.body, /b-c\d|b-d1|b-obj|b-goal|b\d@x\.test/, url);
    }
  }
  console.log(`isolation: ${answered} session reads of a, none showing b`);
  const leads = await app.inject({ url: '/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31', headers: ed });
  assert.equal(
    leads.body,
    (await get('/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31')).body,
    "a's key sees the same",
  );
  // Writes naming b's objects land nowhere, or in a.
  for (const named of [{}, { 'x-northstar-workspace': 'b' }]) {
    const checkin = await app.inject({
      method: 'POST',
      url: '/api/v1/goals/b-obj/checkins',
      payload: { note: 'not yours' },
      headers: { ...ed, ...named },
    });
    assert.equal(checkin.statusCode, 'x-northstar-workspace' in named ? 403 : 404);
    const up = await app.inject({
      method: 'POST',
      url: '/api/v1/import/contacts',
      payload: 'id,email,created_at\nb-c2,session-hijack@x.test,2026-01-01\n',
      headers: { ...ed, ...named, 'content-type': 'text/csv' },
    });
    assert.equal(up.statusCode, 'x-northstar-workspace' in named ? 403 : 200, up.body);
  }
  const rules = await app.inject({
    method: 'PUT',
    url: '/api/v1/scoring/rules',
    payload: 'not: [valid',
    headers: { ...ed, 'x-northstar-workspace': 'b', 'content-type': 'application/yaml' },
  });
  assert.equal(rules.statusCode, 403);
  assert.equal((await b.listCheckins('b-obj')).length, 0);
  assert.equal((await b.getContact('b-c2'))?.email, 'b2@x.test', "b's contact is untouched");
  assert.equal((await a.getContact('b-c2'))?.email, 'session-hijack@x.test', 'the row landed in a');
  assert.equal((await b.counts()).contacts, 5);
});

test('roles are per workspace: a viewer of a who edits b writes in b only', async () => {
  const vic = sessions['vic@a.test'] ?? {};
  const post = (slug: string, objective: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/goals/${objective}/checkins`,
      payload: { note: `from vic in ${slug}` },
      headers: { ...vic, 'x-northstar-workspace': slug },
    });
  assert.equal((await post('a', 'a-obj')).statusCode, 403);
  assert.equal((await post('b', 'a-obj')).statusCode, 404, "a's objective is not in b");
  assert.equal((await post('b', 'b-obj')).statusCode, 201);
  assert.deepEqual(
    (await b.listCheckins('b-obj')).map((c) => c.note),
    ['from vic in b'],
  );
  assert.equal((await a.listCheckins('a-obj')).length, 0);
  const goals = await app.inject({ url: '/api/v1/goals', headers: { ...vic, 'x-northstar-workspace': 'b' } });
  assert.deepEqual(
    goals.json().objectives.map((o: { id: string }) => o.id),
    ['b-obj'],
  );
});

test("a's share link sees a's board figures only, whatever it names, and stops at once when revoked", async () => {
  const { token } = await a.createShare('sales', { createdBy: 'test' });
  const share = { authorization: `Share ${token}` };
  const leads = '/api/v1/kpis/leads?from=2026-01-01&to=2026-12-31';
  for (const named of [{}, { 'x-northstar-workspace': 'b' }, { 'x-northstar-workspace': 'a' }]) {
    for (const url of [leads, `${leads}&workspace=b`, '/api/v1/goals', '/api/v1/goals?workspace=b']) {
      const res = await app.inject({ url, headers: { ...share, ...named } });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      assert.doesNotMatch(res.body, /b-c\d|b-d1|b-obj|b-goal|b\d@x\.test/, url);
    }
    const r = await app.inject({ url: leads, headers: { ...share, ...named } });
    assert.equal(r.body, (await get(leads)).body, "a's read key sees the same");
  }
  const info = await app.inject({
    url: '/api/v1/share',
    headers: { ...share, 'x-northstar-workspace': 'b' },
  });
  assert.deepEqual([info.json().board, info.json().workspace.slug], ['sales', 'a']);
  // Nothing else: ids of b, other reads, writes.
  for (const url of READS.filter((u) => !u.startsWith('/api/v1/kpis') && u !== '/api/v1/goals'))
    assert.equal((await app.inject({ url, headers: share })).statusCode, 403, url);
  const w = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/a-obj/checkins',
    payload: { note: 'x' },
    headers: share,
  });
  assert.equal(w.statusCode, 403);
  // b cannot revoke a's link; a's editor can, and the next request is refused.
  await assert.rejects(b.revokeShare(token), /no live share link/);
  await a.revokeShare(token);
  const after = await app.inject({ url: leads, headers: share });
  assert.deepEqual(
    [after.statusCode, after.json().error],
    [401, 'this share link was revoked or has expired'],
  );
});

/** What b holds that a's callers might reach by naming it: compared before and after. */
async function bState() {
  return JSON.stringify({
    counts: await b.counts(),
    goals: await b.listGoals(),
    checkins: await b.listCheckins(),
    deal: await b.getDeal('b-d1'),
    keys: (await b.listApiKeys()).map((k) => [k.prefix, k.revokedAt]),
    members: (await b.listMembers()).map((m) => [m.user.email, m.role]),
    shares: await b.listShares(),
    report: await b.getReportSettings(),
    audit: await b.listAudit(10_000),
  });
}

test("a's admin, by session or token, cannot reach b's objectives, deals, links, keys or members by naming them", async () => {
  const bShare = await b.createShare('sales', { createdBy: 'test' });
  const bKey = await b.createApiKey('read');
  const bea = await store.createUser('bea@b.test', null, 'isolation password');
  await b.addMember(bea.id, 'admin');
  const ann = await store.createUser('ann@a.test', null, 'isolation password');
  await a.addMember(ann.id, 'admin');
  const s = await store.createSession(ann.id, 3_600_000);
  const callers = {
    'admin session': { cookie: `ns_session=${s.id}`, 'x-csrf-token': s.csrf },
    'admin token': { authorization: `Bearer ${(await a.createApiKey('token', 'admin')).key}` },
  };
  const before = await bState();
  const bNames = [
    bShare.info.id,
    bShare.info.prefix,
    bKey.info.prefix,
    'bea@b.test',
    'b-obj',
    'b-d1',
    'b-c0',
  ];
  for (const [name, headers] of Object.entries(callers)) {
    const send = (method: string, url: string, payload?: unknown) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    // Changes naming b's things: each is not found in a.
    for (const [method, url, payload] of [
      ['GET', '/api/v1/goals/objectives/b-obj', undefined],
      ['PATCH', '/api/v1/goals/objectives/b-obj', { target: 1 }],
      ['DELETE', `/api/v1/shares/${bShare.info.id}`, undefined],
      ['DELETE', `/api/v1/shares/${bShare.token}`, undefined],
      ['DELETE', `/api/v1/keys/${bKey.info.prefix}`, undefined],
      ['DELETE', `/api/v1/keys/${bKey.key}`, undefined],
      ['PATCH', '/api/v1/users/bea@b.test', { role: 'viewer' }],
      ['DELETE', '/api/v1/users/bea@b.test', undefined],
    ] as const) {
      const res = await send(method, url, payload);
      assert.ok(
        [400, 404].includes(res.statusCode),
        `${name}: ${method} ${url} → ${res.statusCode} ${res.body}`,
      );
    }
    // Lists of a show nothing of b.
    for (const url of [
      '/api/v1/keys',
      '/api/v1/users',
      '/api/v1/shares',
      '/api/v1/audit?limit=10000',
      '/api/v1/checkins',
      '/api/v1/goals/export',
      '/api/v1/report/settings',
      '/api/v1/export/kpis/revenue.csv?from=2026-01-01&to=2026-12-31&by=owner',
    ]) {
      const res = await send('GET', url);
      assert.equal(res.statusCode, 200, `${name}: ${url} ${res.body}`);
      for (const n of bNames) assert.ok(!res.body.includes(n), `${name}: ${url} shows b's ${n}`);
    }
    // A deal import naming b's deal lands in a.
    const up = await app.inject({
      method: 'POST',
      url: '/api/v1/import/deals',
      payload:
        'id,contact_id,stage,amount,created_at,closed_at\nb-d1,b-c0,Closed Won,1,2026-02-10,2026-03-01\n',
      headers: { ...headers, 'content-type': 'text/csv' },
    });
    assert.equal(up.statusCode, 200, `${name}: ${up.body}`);
    assert.equal((await a.getDeal('b-d1'))?.amount, 1, 'the row landed in a');
  }
  // a's share link writes nothing anywhere.
  const { token } = await a.createShare('sales', { createdBy: 'test' });
  for (const [method, url] of [
    ['POST', '/api/v1/import/deals'],
    ['PATCH', '/api/v1/goals/objectives/b-obj'],
    ['DELETE', `/api/v1/shares/${bShare.info.id}`],
  ] as const) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Share ${token}`, 'content-type': 'text/csv' },
      payload: 'id,amount\nb-d1,1\n',
    });
    assert.equal(res.statusCode, 403, `share link: ${method} ${url}`);
  }
  assert.equal(await bState(), before, 'b is exactly as it was');
  assert.equal((await b.getDeal('b-d1'))?.amount, 1000);
});
