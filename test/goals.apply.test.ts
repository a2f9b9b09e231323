import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../src/core/errors.js';
import { installAccess } from '../src/server/access.js';
import { goalsRoutes } from '../src/server/routes/goals.route.js';
import { Sessions } from '../src/server/sessions.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, runCli, tempStore } from './fixtures.js';

let store: DuckDbStore;
let ws: WorkspaceStore;
let dir = '';
let app: FastifyInstance;
let readKey = '';
let writeKey = '';
let tokenKey = '';

// Line numbers in the tests below are counted in this text (line 1: "goals:").
const PLAN = `goals:
  - id: more-leads
    title: Generate more leads
    owner: cmo@example.com
    objectives:
      - id: leads-q1
        title: Leads per quarter 2,000 → 3,000
        kpi: leads
        target: from 2,000 to 3,000
        start: 2026-01-01
        due: 2026-03-31
        owner: ana@example.com
      - id: email-mqls
        title: 20 % more MQLs from e-mail
        kpi: mqls
        filter: {channel: Email}
        target: "+20%"
        start: 2026-01-01
        due: 2026-03-31
        owner: ben@example.com
`;

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(store, dir, [...args, '--workspace', 'acme'], { inServer: true });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const auditCount = async () =>
  (await ws.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM @audit_log'))[0]?.n ?? 0;

before(async () => {
  const t = await tempStore();
  store = t.store;
  dir = t.dataDir;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'UTC' }));
  await ws.upsertContacts(
    Array.from({ length: 40 }, (_, i) =>
      contact(`c${i}`, { leadAt: new Date(`2026-01-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z`) }),
    ),
  );
  readKey = (await ws.createApiKey('read')).key;
  writeKey = (await ws.createApiKey('write')).key;
  tokenKey = (await ws.createApiKey('token')).key;
  app = Fastify();
  installAccess(app, { store, sessions: new Sessions(store, { secure: () => false }) });
  // As src/server/app.ts answers errors: user errors and validation failures are 4xx.
  app.setErrorHandler((e, _req, reply) => {
    if (isUserError(e)) return reply.code(e.status).send({ error: e.message, ...e.where });
    const status = (e as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: String(e) });
  });
  await app.register(goalsRoutes(store));
});
after(async () => {
  await app.close();
  await store.close();
});

test('apply stores the tree; applying it again changes nothing and audits nothing', async () => {
  const plan = file('plan.yaml', PLAN);
  const first = await cli(['goals', 'apply', plan, '--format', 'json']);
  assert.equal(first.code, 0, first.err);
  assert.deepEqual(JSON.parse(first.out), {
    changed: true,
    created: ['more-leads', 'leads-q1', 'email-mqls'],
    updated: [],
    deleted: [],
    unchanged: 0,
  });
  const stored = await ws.listGoals();
  const audits = await auditCount();
  const again = await cli(['goals', 'apply', plan, '--format', 'table']);
  assert.equal(again.code, 0, again.err);
  assert.equal(again.out, `no change: ${plan} is what is stored\n`);
  assert.equal(await auditCount(), audits);
  assert.deepEqual(await ws.listGoals(), stored); // timestamps included
});

test('export writes YAML that applies back without a change', async () => {
  const exported = await cli(['goals', 'export']);
  assert.equal(exported.code, 0, exported.err);
  assert.match(exported.out, /target: from 2,000 to 3,000/);
  const res = await cli(['goals', 'apply', file('exported.yaml', exported.out), '--format', 'json']);
  assert.equal(JSON.parse(res.out).changed, false);
});

test('a changed and a removed objective are audited one by one, with before and after', async () => {
  const changed = PLAN.replace('target: "+20%"', 'target: "+25%"');
  const res = await cli([
    'goals',
    'apply',
    file('changed.yaml', changed),
    '--format',
    'json',
    '--actor',
    'cmo@example.com',
  ]);
  assert.deepEqual(JSON.parse(res.out).updated, ['email-mqls']);
  const entry = (await ws.listAudit(10)).find((a) => a.action === 'update');
  assert.equal(entry?.actor, 'cmo@example.com');
  assert.equal(entry?.entityId, 'email-mqls');
  assert.ok(entry);
  assert.equal((entry.before as { spec: { target: string } }).spec.target, '+20%');
  assert.equal((entry.after as { spec: { target: string } }).spec.target, '+25%');
  const removed = changed.slice(0, changed.indexOf('      - id: email-mqls'));
  const res2 = await cli(['goals', 'apply', file('removed.yaml', removed), '--format', 'json']);
  assert.deepEqual(JSON.parse(res2.out).deleted, ['email-mqls']);
  const deleted = (await ws.listAudit(10)).find((a) => a.action === 'delete');
  assert.equal(deleted?.entityId, 'email-mqls');
  assert.equal(deleted?.after, null);
  await cli(['goals', 'apply', file('plan.yaml', PLAN)]);
});

test('errors name the file, the line and the field; nothing is stored', async () => {
  const before = await ws.listGoals();
  const unknown = file('unknown.yaml', PLAN.replace('kpi: mqls', 'kpi: mql'));
  const r = await cli(['goals', 'apply', unknown]);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    `error: ${unknown}:15: goals[0].objectives[1].kpi: unknown KPI "mql" (see \`northstar kpi list\`)\n`,
  );
  const owners = file(
    'owners.yaml',
    PLAN.replace('owner: ben@example.com', 'owner: [ben@example.com, eve@example.com]'),
  );
  const r2 = await cli(['goals', 'apply', owners]);
  assert.equal(r2.err, `error: ${owners}:20: goals[0].objectives[1].owner: exactly one owner is required\n`);
  // Several problems: each on its own line, then the one-line error.
  const two = file(
    'two.yaml',
    PLAN.replace('filter: {channel: Email}', 'filter: {team: Email}').replace(
      'owner: ben@example.com',
      'owner: [ben@example.com, eve@example.com]',
    ),
  );
  const r3 = await cli(['goals', 'apply', two]);
  assert.equal(r3.code, 1);
  assert.deepEqual(r3.err.trim().split('\n'), [
    `${two}:16: goals[0].objectives[1].filter.team: unknown field`,
    `${two}:20: goals[0].objectives[1].owner: exactly one owner is required`,
    `error: ${two}:16: goals[0].objectives[1].filter.team: unknown field (and 1 more)`,
  ]);
  const r4 = await cli(['goals', 'apply', join(dir, 'missing.yaml')]);
  assert.equal(r4.code, 1);
  assert.match(r4.err, /cannot read .*missing\.yaml: ENOENT/);
  assert.deepEqual(await ws.listGoals(), before);
});

test('lint prints the SMART verdicts and exits 1 when an objective fails', async () => {
  const r = await cli(['goals', 'lint', file('lint.yaml', PLAN), '--format', 'json']);
  // No e-mail MQLs in this workspace yet: measurable (Northstar computes mqls), with a warning; its
  // "+20%" has no baseline, so Achievable is not judged, which is no failure.
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as {
    objectives: Array<{
      id: string;
      ok: boolean;
      smart: Record<string, { ok: boolean | null; reason: string }>;
      warnings: string[];
    }>;
  };
  assert.deepEqual(
    json.objectives.map((o) => o.id),
    ['leads-q1', 'email-mqls'],
  );
  const mqls = json.objectives[1];
  assert.equal(mqls?.smart.measurable?.ok, true);
  assert.deepEqual(mqls?.warnings, [
    'mqls (channel Email) has no data in this workspace from 2025-01-01 to 2026-03-31 yet: progress shows once its data is imported or tracked',
    'the target "+20%" is relative and there is no baseline yet (no history): set `baseline:` or import the history',
  ]);
  assert.equal(mqls?.smart.achievable?.ok, null);
  assert.equal(mqls?.ok, true);
  assert.equal(json.objectives[0]?.ok, true);
  const failing = file('failing.yaml', PLAN.replace('owner: ben@example.com', 'owner: ben and eve'));
  const f = await cli(['goals', 'lint', failing, '--format', 'json']);
  assert.equal(f.code, 1);
  assert.match(f.err, /^error: .*failing\.yaml: 1 of 2 objectives fail the SMART check: email-mqls\n$/);
  const table = await cli(['goals', 'lint', failing, '--format', 'table']);
  assert.match(table.out, /^id\s+S\s+M\s+A\s+R\s+T\s+why/);
  // The not-judged letter shows as "–", the failing one as FAIL.
  assert.match(table.out, /\nemail-mqls\s+ok\s+FAIL\s+–\s+ok\s+ok\s+/);
});

test('status as of a day: progress of the stored objectives', async () => {
  const r = await cli(['goals', 'status', '--as-of', '2026-01-31', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as { as_of: string; objectives: Array<Record<string, unknown>> };
  assert.equal(json.as_of, '2026-01-31');
  const leads = json.objectives.find((o) => o.id === 'leads-q1');
  assert.equal(leads?.actual, 40);
  assert.equal(leads?.baseline, 2000); // from the "from 2,000 to 3,000" target
  assert.equal(leads?.target, 3000);
  // A past as-of day is not recorded (only today's status can alert).
  assert.equal((await ws.query(`SELECT * FROM @audit_log WHERE action = 'status'`)).length, 0);
  const bad = await cli(['goals', 'status', '--as-of', '31/01/2026']);
  assert.equal(bad.code, 1);
});

test('check-ins: recorded with author and confidence, audited, validated', async () => {
  const r = await cli([
    'goals',
    'checkin',
    'leads-q1',
    '--note',
    'Webinar moved',
    '--confidence',
    '0.7',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const row = JSON.parse(r.out);
  assert.equal(row.author, 'ana@example.com'); // the owner, when no --author
  assert.equal(row.confidence, 0.7);
  const [audit] = await ws.listAudit(1);
  assert.deepEqual([audit?.action, audit?.entityId], ['checkin', 'leads-q1']);
  assert.equal((await cli(['goals', 'checkin', 'nope', '--note', 'x'])).code, 1);
  assert.equal((await cli(['goals', 'checkin', 'leads-q1', '--note', 'x', '--confidence', '2'])).code, 1);
  assert.equal(
    (await cli(['goals', 'checkin', 'more-leads', '--note', 'a goal is not an objective'])).code,
    1,
  );
  const list = await cli(['goals', 'checkins', 'leads-q1', '--format', 'json']);
  assert.equal(JSON.parse(list.out).checkins.length, 1);
});

test('webhook add / list / remove', async () => {
  const add = await cli(['goals', 'webhook', 'add', 'https://hooks.example.com/a', '--format', 'json']);
  assert.deepEqual(JSON.parse(add.out), { webhooks: ['https://hooks.example.com/a'] });
  const rm = await cli(['goals', 'webhook', 'remove', 'https://hooks.example.com/a', '--format', 'json']);
  assert.deepEqual(JSON.parse(rm.out), { webhooks: [] });
  assert.equal((await cli(['goals', 'webhook', 'add', 'not a url'])).code, 1);
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

test('API: the tree with status needs a read key', async () => {
  assert.equal((await app.inject('/api/v1/goals')).statusCode, 401);
  assert.equal((await app.inject({ url: '/api/v1/goals', headers: auth(writeKey) })).statusCode, 403);
  const res = await app.inject({ url: '/api/v1/goals?as_of=2026-01-31', headers: auth(readKey) });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.as_of, '2026-01-31');
  assert.equal(body.goals[0].id, 'more-leads');
  assert.deepEqual(
    body.goals[0].children.map((c: { id: string }) => c.id),
    ['leads-q1', 'email-mqls'],
  );
  assert.equal(body.goals[0].children[0].objective.actual, 40);
  assert.equal(
    (await app.inject({ url: '/api/v1/goals?as_of=soon', headers: auth(readKey) })).statusCode,
    400,
  );
});

test('API: lint a posted YAML plan, or the stored tree', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/lint',
    headers: { ...auth(readKey), 'content-type': 'application/yaml' },
    payload: PLAN,
  });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().objectives.map((o: { id: string }) => o.id),
    ['leads-q1', 'email-mqls'],
  );
  const asJson = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/lint',
    headers: auth(readKey),
    payload: { yaml: PLAN },
  });
  assert.equal(asJson.statusCode, 200);
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/lint',
    headers: { ...auth(readKey), 'content-type': 'text/yaml' },
    payload: PLAN.replace('title: Generate more leads', 'titel: Generate more leads'),
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().problems, [
    { line: 2, field: 'goals[0].title', message: 'is required' },
    { line: 3, field: 'goals[0].titel', message: 'unknown field (did you mean "title"?)' },
  ]);
  const stored = await app.inject({ url: '/api/v1/goals/lint', headers: auth(readKey) });
  assert.equal(stored.json().objectives.length, 2);
});

test('API: check-ins read with a read key, written with an API token (a write key: 403)', async () => {
  const url = '/api/v1/goals/leads-q1/checkins';
  const denied = await app.inject({ method: 'POST', url, headers: auth(readKey), payload: { note: 'x' } });
  assert.equal(denied.statusCode, 403);
  const tracking = await app.inject({
    method: 'POST',
    url,
    headers: auth(writeKey),
    payload: { note: 'x' },
  });
  assert.equal(tracking.statusCode, 403);
  const created = await app.inject({
    method: 'POST',
    url,
    headers: auth(tokenKey),
    payload: { note: 'Two webinars booked', confidence: 0.8, author: 'ana@example.com' },
  });
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().note, 'Two webinars booked');
  const bad = await app.inject({
    method: 'POST',
    url,
    headers: auth(tokenKey),
    payload: { note: 'x', confidence: 3 },
  });
  assert.equal(bad.statusCode, 400);
  const list = await app.inject({ url, headers: auth(readKey) });
  assert.deepEqual(
    list.json().checkins.map((c: { note: string }) => c.note),
    ['Two webinars booked', 'Webinar moved'],
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/goals/nope/checkins', headers: auth(readKey) })).statusCode,
    404,
  );
  const missing = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/nope/checkins',
    headers: auth(tokenKey),
    payload: { note: 'x' },
  });
  assert.equal(missing.statusCode, 404);
});
