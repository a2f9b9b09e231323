// Editing one objective (issue 15): PATCH /api/v1/goals/objectives/:id and `goals set` change the one
// objective through the apply checks and its SMART check, audited, all or nothing; a check-in from a
// session is authored by the signed-in user.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { applyPlan } from '../src/goals/plan.apply.js';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { runCli, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let dataDir = '';
let headers: Record<string, string> = {};

before(async () => {
  const t = await tempStore();
  ({ store, dataDir } = t);
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme' }));
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'grow',
          title: 'Grow',
          objectives: [
            {
              id: 'leads-h2',
              title: 'More leads from content',
              kpi: 'leads',
              target: 400,
              baseline: 300,
              start: '2026-07-01',
              due: '2026-12-31',
              owner: 'ana',
            },
            {
              id: 'other',
              title: 'Other',
              kpi: 'leads',
              target: 5,
              start: '2026-01-01',
              due: '2026-12-31',
              owner: 'bo',
            },
          ],
        },
      ],
    },
    'test',
  );
  const u = await store.createUser('ed@example.com', null, 'editor password');
  await ws.addMember(u.id, 'editor');
  app = await buildApp({ store, dataDir });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signin',
    payload: { email: 'ed@example.com', password: 'editor password' },
  });
  const cookie = /^(ns_session=[^;]*)/.exec(String(res.headers['set-cookie']))?.[1] ?? '';
  headers = { cookie, 'x-csrf-token': String(res.json().csrf), 'x-northstar-workspace': 'acme' };
});
after(async () => {
  await app.close();
  await store.close();
});

const patch = (id: string, payload: object) =>
  app.inject({ method: 'PATCH', url: `/api/v1/goals/objectives/${id}`, payload, headers });

test('GET an objective: its plan fields and its parent', async () => {
  const res = await app.inject({ url: '/api/v1/goals/objectives/leads-h2', headers });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.parent, { id: 'grow', title: 'Grow', kind: 'goal' });
  assert.equal(body.objective.target, 400);
  assert.equal(body.objective.owner, 'ana');
  assert.equal((await app.inject({ url: '/api/v1/goals/objectives/grow', headers })).statusCode, 404);
});

test('a change to one objective is stored and audited; the others stay as they were', async () => {
  const before = (await ws.listGoals()).find((r) => r.id === 'other');
  const res = await patch('leads-h2', { target: 450, owner: 'bo' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.objective.target, 450);
  assert.equal(body.objective.owner, 'bo');
  assert.deepEqual(body.result.updated, ['leads-h2']);
  assert.equal(body.lint.ok, true);
  const after = await ws.listGoals();
  assert.deepEqual(
    after.find((r) => r.id === 'other'),
    before,
    'untouched, timestamp included',
  );
  const audit = await ws.listAudit(5);
  const entry = audit.find((a) => a.entityId === 'leads-h2');
  assert.equal(entry?.actor, 'ed@example.com');
  assert.equal(entry?.action, 'update');
});

test('a change that fails the SMART check or the plan checks stores nothing', async () => {
  const stored = JSON.stringify(await ws.listGoals());
  const smart = await patch('leads-h2', { due: 'end of year' });
  assert.equal(smart.statusCode, 400, smart.body);
  assert.match(smart.json().error, /leads-h2 fails the SMART check \(time_bound: /);
  const kpi = await patch('leads-h2', { kpi: 'no_such_kpi' });
  assert.equal(kpi.statusCode, 400);
  assert.match(kpi.body, /no_such_kpi/);
  const required = await patch('leads-h2', { owner: null });
  assert.equal(required.statusCode, 400);
  assert.match(required.json().error, /owner is required/);
  assert.equal((await patch('leads-h2', { id: 'x' })).statusCode, 400, 'the id is not editable');
  assert.equal(JSON.stringify(await ws.listGoals()), stored);
  // A viewer's read key cannot change anything.
  const read = (await ws.createApiKey('read')).key;
  const refused = await app.inject({
    method: 'PATCH',
    url: '/api/v1/goals/objectives/leads-h2',
    payload: { target: 1 },
    headers: { authorization: `Bearer ${read}` },
  });
  assert.equal(refused.statusCode, 403);
});

test('goals set: the same use case from the CLI; null (an empty value) removes an optional field', async () => {
  const r = await runCli(store, dataDir, [
    'goals',
    'set',
    'leads-h2',
    'target=+20%',
    'baseline=',
    'title=Content leads',
    '--workspace',
    'acme',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const rec = (await ws.listGoals()).find((x) => x.id === 'leads-h2');
  assert.equal(rec?.title, 'Content leads');
  assert.equal(rec?.spec.target, '+20%');
  assert.equal(rec?.spec.baseline, undefined);
  const bad = await runCli(store, dataDir, ['goals', 'set', 'leads-h2', 'colour=red', '--workspace', 'acme']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /"colour=red" is not field=value/);
});

test('a check-in from a session is authored by the signed-in user, whatever the body says', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/leads-h2/checkins',
    payload: { note: 'Webinar moved', author: 'someone else' },
    headers,
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().author, 'ed@example.com');
  const token = (await ws.createApiKey('token')).key;
  const byToken = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/leads-h2/checkins',
    payload: { note: 'From a script', author: 'bot' },
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(byToken.statusCode, 201, byToken.body);
  assert.equal(byToken.json().author, 'bot');
});
