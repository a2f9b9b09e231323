// Members (issue 15, settings): an admin lists, adds, re-roles and removes members over the JSON API
// and the CLI; a new member without a password gets a one-time one; a workspace never loses its last
// admin; every change is audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { createDemoAdmin } from '../src/usecases/users.usecase.js';
import { runCli, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let dataDir = '';
let ws: WorkspaceStore;
let admin = { cookie: '', csrf: '' };

function cookieOf(res: LightMyRequestResponse): string {
  const m = /^(ns_session=[^;]*)/.exec(String(res.headers['set-cookie'] ?? ''));
  if (!m?.[1]) throw new Error('no session cookie');
  return m[1];
}

async function signin(email: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/signin', payload: { email, password } });
  return res.statusCode === 200 ? { cookie: cookieOf(res), csrf: String(res.json().csrf) } : null;
}

const as = (
  who: { cookie: string; csrf: string },
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) =>
  app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'x-northstar-workspace': 'team' },
  });

before(async () => {
  const t = await tempStore();
  ({ store, dataDir } = t);
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'team' }));
  const u = await store.createUser('boss@example.com', 'Boss', 'boss password 1');
  await ws.addMember(u.id, 'admin');
  app = await buildApp({ store, dataDir });
  const s = await signin('boss@example.com', 'boss password 1');
  if (!s) throw new Error('admin cannot sign in');
  admin = s;
});
after(async () => {
  await app.close();
  await store.close();
});

test('an admin adds a new member without a password: a one-time password, usable once given', async () => {
  const res = await as(admin, 'POST', '/api/v1/users', { email: 'Ana@Example.com', role: 'editor' });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.equal(body.email, 'ana@example.com');
  assert.equal(body.role, 'editor');
  assert.equal(body.created, true);
  assert.match(body.password, /^[A-Za-z0-9_-]{24}$/);
  assert.ok(await signin('ana@example.com', body.password), 'the one-time password signs in');
  const rows = await store.db.all<{ h: string }>('SELECT password_hash AS h FROM users WHERE email = $e', {
    e: 'ana@example.com',
  });
  assert.ok(!String(rows[0]?.h).includes(body.password), 'stored hashed only');

  // An existing account joins with its own password untouched, and no password in the answer.
  const again = await as(admin, 'POST', '/api/v1/users', { email: 'ana@example.com', role: 'viewer' });
  assert.equal(again.statusCode, 201);
  assert.equal(again.json().created, false);
  assert.equal(again.json().password, undefined);
});

test('the member list: role and last sign-in when known, never a password', async () => {
  const res = await as(admin, 'GET', '/api/v1/users');
  assert.equal(res.statusCode, 200, res.body);
  const members = res.json().members as Array<Record<string, string | null>>;
  assert.deepEqual(
    members.map((m) => [m.email, m.role]),
    [
      ['ana@example.com', 'viewer'],
      ['boss@example.com', 'admin'],
    ],
  );
  for (const m of members) {
    assert.ok(m.last_sign_in && Date.now() - Date.parse(m.last_sign_in) < 60_000, 'signed in just now');
    assert.deepEqual(Object.keys(m).sort(), ['email', 'last_sign_in', 'name', 'role']);
  }
});

test('roles change; the last admin is neither demoted nor removed; a viewer or editor cannot manage', async () => {
  const demote = await as(admin, 'PATCH', `/api/v1/users/${encodeURIComponent('boss@example.com')}`, {
    role: 'editor',
  });
  assert.equal(demote.statusCode, 409);
  assert.match(demote.json().error, /no admin left/);
  assert.equal((await as(admin, 'DELETE', '/api/v1/users/boss@example.com')).statusCode, 409);
  assert.equal(
    (await as(admin, 'PATCH', '/api/v1/users/ana@example.com', { role: 'owner' })).statusCode,
    400,
  );
  assert.equal((await as(admin, 'DELETE', '/api/v1/users/nobody@example.com')).statusCode, 404);

  const up = await as(admin, 'PATCH', '/api/v1/users/ana@example.com', { role: 'editor' });
  assert.equal(up.statusCode, 200, up.body);
  assert.deepEqual(up.json(), { email: 'ana@example.com', role: 'editor', before: 'viewer' });

  // With a second admin, the first may step down.
  assert.equal(
    (await as(admin, 'PATCH', '/api/v1/users/ana@example.com', { role: 'admin' })).statusCode,
    200,
  );
  const down = await as(admin, 'PATCH', '/api/v1/users/boss@example.com', { role: 'editor' });
  assert.equal(down.statusCode, 200, down.body);
  // …and the admin role is checked on the next request: boss is an editor now.
  assert.equal((await as(admin, 'GET', '/api/v1/users')).statusCode, 403);
  await ws.addMember((await store.findUserByEmail('boss@example.com'))?.id ?? '', 'admin');
});

test('CLI: user list, role, remove and create --generate-password over the same use case, audited', async () => {
  const cli = (args: string[], stdin?: string) =>
    runCli(store, dataDir, [...args, '--workspace', 'team'], stdin === undefined ? {} : { stdin });
  const created = await cli(['user', 'create', '--email', 'cy@example.com', '--generate-password']);
  assert.equal(created.code, 0, created.err);
  const pw = /one-time password \(shown once, only its hash is stored\): (\S+)/.exec(created.out)?.[1];
  assert.ok(pw && (await store.verifyPassword('cy@example.com', pw)), created.out);

  const role = await cli(['user', 'role', 'cy@example.com', 'editor']);
  assert.equal(role.code, 0, role.err);
  assert.equal(role.out, 'cy@example.com is editor (was viewer)\n');
  const list = await cli(['user', 'list', '--format', 'json']);
  assert.deepEqual(
    (JSON.parse(list.out).members as Array<{ email: string; role: string }>).map((m) => [m.email, m.role]),
    [
      ['ana@example.com', 'admin'],
      ['boss@example.com', 'admin'],
      ['cy@example.com', 'editor'],
    ],
  );
  const removed = await cli(['user', 'remove', 'cy@example.com']);
  assert.equal(removed.code, 0, removed.err);
  assert.equal(removed.out, 'cy@example.com is no longer a member of team\n');
  assert.ok(await store.findUserByEmail('cy@example.com'), 'the account stays');
  const bad = await cli(['user', 'role', 'cy@example.com', 'viewer']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /member cy@example\.com of team not found/);

  const audit = await ws.query<{ action: string; actor: string }>(
    `SELECT action, actor FROM @audit_log WHERE entity = 'user'`,
  );
  assert.deepEqual(audit.map((a) => `${a.actor} ${a.action}`).sort(), [
    'boss@example.com add_member',
    'boss@example.com change_role',
    'boss@example.com change_role',
    'boss@example.com change_role',
    'boss@example.com change_role',
    'cli add_member',
    'cli change_role',
    'cli remove_member',
  ]);
});

test('the demo admin of a first start: a random password, once, only while no account exists', async () => {
  const t = await tempStore();
  try {
    await t.store.createWorkspace({ slug: 'demo' });
    await t.store.createWorkspace({ slug: 'other' });
    const first = await createDemoAdmin(t.store);
    assert.equal(first?.email, 'demo@northstar.local');
    assert.match(first?.password ?? '', /^[A-Za-z0-9_-]{24}$/);
    const user = await t.store.verifyPassword('demo@northstar.local', first?.password ?? '');
    assert.ok(user);
    assert.deepEqual(
      (await t.store.listMemberships(user.id)).map((m) => [m.workspace.slug, m.role]),
      [
        ['demo', 'admin'],
        ['other', 'admin'],
      ],
    );
    assert.equal(await createDemoAdmin(t.store), null, 'never a second time');
    const t2 = await tempStore();
    try {
      await t2.store.createWorkspace({ slug: 'demo' });
      const second = await createDemoAdmin(t2.store);
      assert.notEqual(second?.password, first?.password, 'never a fixed password');
    } finally {
      await t2.store.close();
    }
  } finally {
    await t.store.close();
  }
});
