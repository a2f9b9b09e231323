// The audit log (issue 14): every kind of change the issue names — goals, objectives, check-ins,
// scoring and channel rules, members and keys — and those added since (share links, the weekly
// report's settings, webhooks, custom KPIs) made through the JSON API by a signed-in admin is in
// `GET /api/v1/audit` with who and what; the SMTP password is not; the log is the admin's and its
// workspace's only; a refused change leaves no entry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let a: WorkspaceStore;
let admin: Record<string, string> = {};
let otherAdmin: Record<string, string> = {};

const PLAN = `goals:
  - id: grow
    title: Grow
    objectives:
      - id: leads-2026
        title: Leads in 2026
        kpi: leads
        target: 100
        start: 2026-01-01
        due: 2026-12-31
        owner: ada@a.test
`;
const RULES = `models:
  - id: demand
    thresholds: {mql: 50, sql: 90}
    behaviour:
      - {id: demo, event: Demo Requested, points: 40, once: true}
`;

before(async () => {
  const t = await tempStore();
  store = t.store;
  a = store.forWorkspace(await store.createWorkspace({ slug: 'a' }));
  const b = store.forWorkspace(await store.createWorkspace({ slug: 'b' }));
  await a.upsertContacts([contact('c1', { leadAt: new Date('2026-02-01T10:00:00Z') })]);
  const signIn = async (email: string, ws: WorkspaceStore) => {
    const user = await store.createUser(email, null, 'correct horse battery');
    await ws.addMember(user.id, 'admin');
    const s = await store.createSession(user.id, 3_600_000);
    return { cookie: `ns_session=${s.id}`, 'x-csrf-token': s.csrf };
  };
  admin = await signIn('ada@a.test', a);
  otherAdmin = await signIn('bob@b.test', b);
  app = await buildApp({ store, dataDir: t.dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

async function call(method: string, url: string, payload?: unknown, headers = admin) {
  const res = await app.inject({
    method: method as 'POST',
    url,
    headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? null : res.json();
}

test('every change the issue names is in the admin API audit log, with who made it', async () => {
  // Goals and objectives: a plan, then one objective edited.
  await call('PUT', '/api/v1/goals', { yaml: PLAN });
  await call('PATCH', '/api/v1/goals/objectives/leads-2026', { target: 120 });
  await call('POST', '/api/v1/goals/leads-2026/checkins', { note: 'on our way', confidence: 0.7 });
  await call('PUT', '/api/v1/scoring/rules', { yaml: RULES });
  await call('PUT', '/api/v1/channels/rules', { yaml: '- channel: Partners\n  when: { source: partner }\n' });
  await call('PUT', '/api/v1/kpis/deals_won', { formula: 'won_deals' });
  await call('POST', '/api/v1/goals/webhooks', { url: 'https://hooks.example.test/a' });
  await call('DELETE', '/api/v1/goals/webhooks', { url: 'https://hooks.example.test/a' });
  // Members: added, role changed, removed.
  await call('POST', '/api/v1/users', { email: 'eve@a.test', role: 'viewer', password: 'a long password' });
  await call('PATCH', '/api/v1/users/eve@a.test', { role: 'editor' });
  await call('DELETE', '/api/v1/users/eve@a.test');
  // Keys: created and revoked.
  const key = await call('POST', '/api/v1/keys', { kind: 'token', role: 'editor' });
  await call('DELETE', `/api/v1/keys/${key.key}`);
  // Share links: created and revoked.
  const share = await call('POST', '/api/v1/shares', { board: 'sales' });
  await call('DELETE', `/api/v1/shares/${share.id}`);
  // The weekly report's settings, with an SMTP password that must not reach the log.
  await call('PUT', '/api/v1/report/settings', {
    enabled: true,
    recipients: ['ada@a.test'],
    smtp: { host: 'smtp.example.test', from: 'ns@a.test', user: 'ns', password: 'hunter2-smtp-secret' },
  });

  const log = await app.inject({ url: '/api/v1/audit?limit=1000', headers: admin });
  assert.equal(log.statusCode, 200, log.body);
  assert.doesNotMatch(log.body, /hunter2-smtp-secret/, 'the SMTP password is never logged');
  assert.doesNotMatch(log.body, new RegExp(key.key), 'nor a key itself');
  const entries = log.json().entries as Array<{ actor: string; action: string; entity: string; id: string }>;
  const seen = new Set(entries.map((e) => `${e.action} ${e.entity}`));
  const expected = [
    'create goal',
    'create objective',
    'update objective',
    'checkin objective',
    'create scoring_rules',
    'update channel_rules',
    'create custom_kpi',
    'webhook_add workspace',
    'webhook_remove workspace',
    'add_member user',
    'change_role user',
    'remove_member user',
    'create api_key',
    'revoke api_key',
    'create share',
    'revoke share',
    'report_settings workspace',
  ];
  for (const e of expected) assert.ok(seen.has(e), `"${e}" is in the log: ${[...seen].join(', ')}`);
  for (const e of entries) assert.equal(e.actor, 'ada@a.test', `${e.action} ${e.entity} names its author`);
  assert.equal(entries.find((e) => e.entity === 'objective' && e.action === 'update')?.id, 'leads-2026');
  console.log(`audit: ${expected.length} kinds of change, ${entries.length} entries, each with its author`);
});

test("the log is its workspace's admins' only, and a refused change leaves no entry", async () => {
  const count = (await a.listAudit(10_000)).length;
  // Another workspace's admin, naming a or not, sees nothing of a.
  const other = await app.inject({ url: '/api/v1/audit?limit=1000', headers: otherAdmin });
  assert.equal(other.statusCode, 200);
  assert.doesNotMatch(other.body, /ada@a\.test|leads-2026/);
  const named = await app.inject({
    url: '/api/v1/audit',
    headers: { ...otherAdmin, 'x-northstar-workspace': 'a' },
  });
  assert.equal(named.statusCode, 403);
  // Below admin: an editor token and a read key are refused.
  for (const kind of ['token', 'read'] as const) {
    const k = (await a.createApiKey(kind)).key;
    const res = await app.inject({ url: '/api/v1/audit', headers: { authorization: `Bearer ${k}` } });
    assert.equal(res.statusCode, 403, kind);
  }
  // Refused changes: a role that does not exist, a member who is none, an unknown link, a bad plan.
  const refused = [
    ['PATCH', '/api/v1/users/ada@a.test', { role: 'owner' }],
    ['DELETE', '/api/v1/users/nobody@a.test', undefined],
    ['DELETE', '/api/v1/shares/nope', undefined],
    ['PUT', '/api/v1/goals', { yaml: 'goals: [' }],
    ['PUT', '/api/v1/report/settings', { hour: 25 }],
  ] as const;
  for (const [method, url, payload] of refused) {
    const res = await app.inject({
      method,
      url,
      headers: { ...admin, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${method} ${url}: ${res.statusCode}`);
  }
  assert.equal((await a.listAudit(10_000)).length, count, 'no entry for a refused change');
});
