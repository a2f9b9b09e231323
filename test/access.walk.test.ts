// The route-table walk (issue 14): every route declares who may call it, and each route refuses every
// role and kind of key below its own — sessions, read keys, API tokens, write keys, the local CLI
// credential — while its own level gets through the check.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../src/domain/workspace.js';
import { type AccessLevel, roleMeets, routeTable } from '../src/server/access.js';
import { buildApp } from '../src/server/app.js';
import { ROUTE_DOCS } from '../src/server/route.docs.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { tempStore } from './fixtures.js';

const CLI_TOKEN = 'walk-local-token-0123456789abcdef';
let app: FastifyInstance;
let store: DuckDbStore;

/** A way to call: its headers, and the level it reaches in workspace `a` (null: nothing). */
interface Caller {
  name: string;
  headers: Record<string, string>;
  reaches: Role | 'local' | 'local-server' | null;
}
const callers: Caller[] = [];

async function sessionOf(email: string, memberships: Array<['a' | 'b', Role]>) {
  const user = await store.createUser(email, null, 'correct horse battery');
  for (const [slug, role] of memberships) {
    const w = await store.getWorkspace(slug);
    if (!w) throw new Error(slug);
    await store.forWorkspace(w).addMember(user.id, role);
  }
  return store.createSession(user.id, 3_600_000);
}

before(async () => {
  const t = await tempStore();
  store = t.store;
  const a = store.forWorkspace(await store.createWorkspace({ slug: 'a' }));
  await store.createWorkspace({ slug: 'b' });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const revoked = (await a.createApiKey('token', 'admin')).key;
  await a.revokeApiKey(revoked);
  callers.push(
    { name: 'no credential', headers: {}, reaches: null },
    { name: 'unknown key', headers: bearer('ns_t_unknownunknownunknownunknown'), reaches: null },
    { name: 'revoked admin token', headers: bearer(revoked), reaches: null },
    { name: 'garbage bearer', headers: bearer('x'.repeat(500)), reaches: null },
    { name: 'write key', headers: bearer((await a.createApiKey('write')).key), reaches: null },
    {
      name: 'write key as Basic',
      headers: {
        authorization: `Basic ${Buffer.from(`${(await a.createApiKey('write')).key}:`).toString('base64')}`,
      },
      reaches: null,
    },
    { name: 'read key', headers: bearer((await a.createApiKey('read')).key), reaches: 'viewer' },
    { name: 'editor token', headers: bearer((await a.createApiKey('token')).key), reaches: 'editor' },
    { name: 'admin token', headers: bearer((await a.createApiKey('token', 'admin')).key), reaches: 'admin' },
    {
      name: 'local credential',
      headers: { ...bearer(CLI_TOKEN), 'x-northstar-workspace': 'a' },
      reaches: 'local',
    },
    // Server-wide routes (`local`) need no workspace; a workspace's routes refuse it (400).
    { name: 'local credential, no workspace', headers: bearer(CLI_TOKEN), reaches: 'local-server' },
  );
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const s = await sessionOf(`${role}@a.test`, [['a', role]]);
    const cookie = `ns_session=${s.id}`;
    callers.push({ name: `${role} session`, headers: { cookie, 'x-csrf-token': s.csrf }, reaches: role });
    // Without its CSRF token a session keeps its role for GETs and writes nothing (allowed()).
    callers.push({ name: `${role} session without CSRF`, headers: { cookie }, reaches: role });
  }
  const other = await sessionOf('admin@b.test', [['b', 'admin']]);
  callers.push({
    name: "b's admin naming a",
    headers: { cookie: `ns_session=${other.id}`, 'x-csrf-token': other.csrf, 'x-northstar-workspace': 'a' },
    reaches: null,
  });
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: CLI_TOKEN });
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

/** Whether a caller reaching `reach` may call a route declared `need` with `method`. */
function allowed(
  c: Caller,
  route: { access: AccessLevel; method: string; sessionOnly: boolean },
  csrfLess: boolean,
): boolean {
  const { access: need, method } = route;
  const reach = c.reaches;
  if (need === 'public' || need === 'track') return true;
  if (reach === null) return false;
  // About the signed-in user (auth/me, auth/password): keys and tokens have none.
  if (route.sessionOnly && !('cookie' in c.headers)) return false;
  if (need === 'local') return reach === 'local' || reach === 'local-server';
  if (reach === 'local-server') return false;
  const role: Role = reach === 'local' ? 'admin' : reach;
  // A cookie without its CSRF token writes nothing, whatever the role.
  if (csrfLess && method !== 'GET') return false;
  return roleMeets(role, need);
}

test('no route is left without a declaration, and one without is refused at registration', async () => {
  const table = routeTable(app);
  const counts = new Map<string, number>();
  for (const r of table) counts.set(r.access, (counts.get(r.access) ?? 0) + 1);
  // Every documented route (route.docs.ts, which a test keeps complete) is in the table, and every
  // route of the table is one Fastify answers.
  const declared = new Set(table.map((r) => `${r.method} ${r.url}`));
  for (const key of Object.keys(ROUTE_DOCS)) assert.ok(declared.has(key), `${key} is declared`);
  for (const r of table)
    assert.ok(app.hasRoute({ method: r.method as 'GET', url: r.url }), `${r.method} ${r.url} is served`);
  console.log(`route table: ${table.length} routes (${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  assert.ok(table.length >= 25, String(table.length));
  const t = await tempStore();
  const bare = await buildApp({ store: t.store, dataDir: t.dataDir });
  assert.throws(() => bare.get('/api/v1/undeclared', async () => ({})), /declares no access/);
  await bare.close();
  await t.store.close();
});

test('every route refuses each role and key below its own, and lets its own through', async () => {
  let refused = 0;
  let passed = 0;
  for (const route of routeTable(app)) {
    if (route.access === 'public' || route.access === 'track') continue;
    const url = route.url.replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
    for (const c of callers) {
      const csrfLess = 'cookie' in c.headers && !('x-csrf-token' in c.headers);
      const res = await app.inject({
        method: route.method as 'GET',
        url,
        headers: { ...c.headers, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { payload: '{}' }),
      });
      const what = `${route.method} ${route.url} (${route.access}) with ${c.name}: ${res.statusCode} ${res.body.slice(0, 120)}`;
      if (allowed(c, route, csrfLess)) {
        assert.ok(res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500, what);
        passed++;
      } else {
        assert.ok([400, 401, 403].includes(res.statusCode), what);
        assert.match(res.headers['content-type'] as string, /json|html/);
        refused++;
      }
    }
  }
  console.log(`route-table walk: ${refused} calls refused below their route's level, ${passed} let through`);
  assert.ok(refused > 200, String(refused));
});

test('the refusals say why: 401 without a credential, 403 for a write key or a role too low', async () => {
  const r401 = await app.inject('/api/v1/kpis');
  assert.equal(r401.statusCode, 401);
  assert.match(r401.json().error, /sign in/);
  // Fastify's HEAD twins of GET routes carry the same declaration.
  assert.equal((await app.inject({ method: 'HEAD', url: '/api/v1/goals' })).statusCode, 401);
  const write = (await store.forWorkspace((await store.getWorkspace('a'))!).createApiKey('write')).key;
  const w = await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${write}` } });
  assert.deepEqual(
    [w.statusCode, w.json().error],
    [403, 'write keys are for the tracking API only; use a read key or an API token'],
  );
  const viewer = callers.find((c) => c.name === 'viewer session');
  const low = await app.inject({
    method: 'POST',
    url: '/api/v1/scoring/recompute',
    headers: viewer?.headers ?? {},
  });
  assert.deepEqual(
    [low.statusCode, low.json().error],
    [403, 'this needs the editor role; you are viewer of workspace a'],
  );
  const local = await app.inject({ url: '/api/v1/kpis', headers: { authorization: `Bearer ${CLI_TOKEN}` } });
  assert.equal(local.statusCode, 400);
  assert.match(local.json().error, /X-Northstar-Workspace/);
});
