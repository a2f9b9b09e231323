// Accounts (issue 14): first-run setup, sign-in with an argon2id password, the session cookie, CSRF on
// cookie writes, sign-out, password change, idle expiry and sign-in rate limits.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { applyPlan } from '../src/goals/plan.apply.js';
import { buildApp } from '../src/server/app.js';
import { SIGNIN_LIMITS } from '../src/server/routes/auth.route.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let acme: WorkspaceStore;

before(async () => {
  const t = await tempStore();
  store = t.store;
  acme = store.forWorkspace(await store.createWorkspace({ slug: 'acme', name: 'Acme', currency: 'EUR' }));
  await store.createWorkspace({ slug: 'beta' });
  await applyPlan(
    acme,
    {
      goals: [
        {
          id: 'g',
          title: 'G',
          objectives: [
            {
              id: 'o',
              title: 'O',
              kpi: 'leads',
              target: 10,
              start: '2026-01-01',
              due: '2026-12-31',
              owner: 'x',
            },
          ],
        },
      ],
    },
    'test',
  );
  app = await buildApp({ store, dataDir: t.dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

/** The `ns_session=…` pair of a Set-Cookie answer. */
function cookieOf(res: LightMyRequestResponse): string {
  const set = String(res.headers['set-cookie'] ?? '');
  const m = /^(ns_session=[^;]*)/.exec(set);
  if (!m?.[1]) throw new Error(`no session cookie in ${set}`);
  return m[1];
}

const signin = (email: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/signin', payload: { email, password }, remoteAddress });

test('first-run setup creates the one admin of every workspace, signs it in, then is closed', async () => {
  assert.deepEqual((await app.inject('/api/v1/auth/setup')).json(), { needed: true });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/setup',
    payload: { email: 'Admin@Example.com', password: 'first admin pass', name: 'Ada' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const set = String(res.headers['set-cookie']);
  // 14 days, give or take the second the request took.
  assert.match(
    set,
    /^ns_session=[A-Za-z0-9_-]{40,}; Path=\/; Max-Age=(120959\d|1209600); HttpOnly; SameSite=Strict$/,
  );
  const body = res.json();
  assert.deepEqual(body.user.email, 'admin@example.com');
  assert.deepEqual(body.workspaces, [
    { slug: 'acme', name: 'Acme', role: 'admin' },
    { slug: 'beta', name: 'beta', role: 'admin' },
  ]);
  assert.deepEqual(body.workspace, { slug: 'acme', name: 'Acme', timezone: 'UTC', currency: 'EUR' });
  assert.equal(body.role, 'admin');
  assert.match(body.csrf, /^[A-Za-z0-9_-]{32}$/);
  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/setup',
    payload: { email: 'evil@example.com', password: 'another pass' },
  });
  assert.equal(again.statusCode, 409);
  assert.equal(await store.findUserByEmail('evil@example.com'), null);
  assert.deepEqual((await app.inject('/api/v1/auth/setup')).json(), { needed: false });
  // The password is stored as argon2id, never as itself.
  const rows = await store.db.all('SELECT password_hash FROM users');
  assert.match(String(rows[0]?.password_hash), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});

test('sign-in: one answer for an unknown e-mail and a wrong password; a session reaches its workspaces', async () => {
  const u = await store.createUser('vera@example.com', 'Vera', 'viewer password');
  await acme.addMember(u.id, 'viewer');
  const unknown = await signin('nobody@example.com', 'viewer password');
  const wrong = await signin('vera@example.com', 'not her password');
  assert.deepEqual([unknown.statusCode, unknown.json()], [401, { error: 'wrong e-mail or password' }]);
  assert.deepEqual([wrong.statusCode, wrong.json()], [401, { error: 'wrong e-mail or password' }]);
  const ok = await signin('VERA@example.com', 'viewer password');
  assert.equal(ok.statusCode, 200);
  const cookie = cookieOf(ok);
  const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
  assert.equal(me.statusCode, 200);
  const body = me.json() as { user: object };
  assert.deepEqual(
    { ...body, user: { ...body.user, id: 'x' } },
    {
      user: { id: 'x', email: 'vera@example.com', name: 'Vera' },
      workspace: { slug: 'acme', name: 'Acme', timezone: 'UTC', currency: 'EUR' },
      role: 'viewer',
      workspaces: [{ slug: 'acme', name: 'Acme', role: 'viewer' }],
      csrf: ok.json().csrf,
    },
  );
  // Figures with the cookie; another workspace, by header or link, is refused.
  assert.equal((await app.inject({ url: '/api/v1/goals', headers: { cookie } })).statusCode, 200);
  const beta = await app.inject({
    url: '/api/v1/goals',
    headers: { cookie, 'x-northstar-workspace': 'beta' },
  });
  assert.deepEqual(
    [beta.statusCode, beta.json()],
    [403, { error: 'you are not a member of workspace "beta"' }],
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/goals?workspace=beta', headers: { cookie } })).statusCode,
    403,
  );
  // The dashboard's figures come from the JSON API, which the session reads.
  const page = await app.inject({ url: '/api/v1/goals', headers: { cookie } });
  assert.equal(page.statusCode, 200);
  assert.ok(Array.isArray(page.json().goals));
  // A viewer writes nothing, even with its CSRF token.
  const write = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/o/checkins',
    headers: { cookie, 'x-csrf-token': ok.json().csrf },
    payload: { note: 'x' },
  });
  assert.equal(write.statusCode, 403);
  // Keys and tokens have no user: /auth/me is for sessions.
  const read = (await acme.createApiKey('read')).key;
  assert.equal(
    (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${read}` } })).statusCode,
    401,
  );
});

test('cookie writes need the CSRF token; sign-out ends the session at once', async () => {
  const u = await store.createUser('ed@example.com', null, 'editor password');
  await acme.addMember(u.id, 'editor');
  const ok = await signin('ed@example.com', 'editor password');
  const cookie = cookieOf(ok);
  const post = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/goals/o/checkins',
      headers: { cookie, ...headers },
      payload: { note: 'n' },
    });
  const none = await post({});
  assert.equal(none.statusCode, 403);
  assert.match(none.json().error, /X-CSRF-Token/);
  assert.equal((await post({ 'x-csrf-token': 'wrong' })).statusCode, 403);
  assert.equal((await acme.listCheckins('o')).length, 0, 'nothing was written');
  assert.equal((await post({ 'x-csrf-token': ok.json().csrf })).statusCode, 201);
  const out = await app.inject({ method: 'POST', url: '/api/v1/auth/signout', headers: { cookie } });
  assert.equal(out.statusCode, 204);
  assert.match(
    String(out.headers['set-cookie']),
    /^ns_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/,
  );
  const after = await app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
  assert.deepEqual(
    [after.statusCode, after.json()],
    [401, { error: 'your session has ended; sign in again' }],
  );
});

test("a password change ends the user's other sessions; the old password stops working", async () => {
  const u = await store.createUser('pat@example.com', null, 'old password 1');
  await acme.addMember(u.id, 'editor');
  const here = await signin('pat@example.com', 'old password 1');
  const elsewhere = cookieOf(await signin('pat@example.com', 'old password 1'));
  const change = (current: string, next: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: cookieOf(here), 'x-csrf-token': here.json().csrf },
      payload: { current, next },
    });
  assert.equal((await change('not it', 'new password 2')).statusCode, 403);
  assert.equal((await change('old password 1', 'short')).statusCode, 400);
  assert.equal((await change('old password 1', 'new password 2')).statusCode, 204);
  assert.equal(
    (await app.inject({ url: '/api/v1/auth/me', headers: { cookie: elsewhere } })).statusCode,
    401,
  );
  assert.equal(
    (await app.inject({ url: '/api/v1/auth/me', headers: { cookie: cookieOf(here) } })).statusCode,
    200,
  );
  assert.equal((await signin('pat@example.com', 'old password 1')).statusCode, 401);
  assert.equal((await signin('pat@example.com', 'new password 2')).statusCode, 200);
});

test('sign-in attempts are limited per account and per address: 429 with Retry-After', async () => {
  const u = await store.createUser('rl@example.com', null, 'the right one');
  await acme.addMember(u.id, 'viewer');
  for (let i = 0; i < SIGNIN_LIMITS.perAccount; i++)
    assert.equal((await signin('rl@example.com', `guess ${i}`, '10.0.0.5')).statusCode, 401);
  const blocked = await signin('rl@example.com', 'the right one', '10.0.0.6');
  assert.equal(blocked.statusCode, 429);
  const wait = Number(blocked.headers['retry-after']);
  assert.ok(wait > 890 && wait <= 900, String(wait));
  // One address guessing across many accounts is stopped too.
  let status = 0;
  let tries = 0;
  while (status !== 429 && tries < 50) {
    status = (await signin(`spray${tries}@example.com`, 'x', '192.0.2.1')).statusCode;
    tries++;
  }
  assert.equal(status, 429);
  // Each account tried once: the address alone is stopped, after its 20th failure.
  assert.equal(tries, SIGNIN_LIMITS.perAddress + 1);
  assert.equal(
    (await signin('rl@example.com', 'x', '192.0.2.2')).statusCode,
    429,
    'the account is still held',
  );
  console.log(
    `sign-in limits: 429 after ${SIGNIN_LIMITS.perAccount} failures per account, ${SIGNIN_LIMITS.perAddress} per address, in 15 min`,
  );
});

test('sessions end after the idle time; the cookie is Secure behind an https public URL', async () => {
  const t = await tempStore();
  const w = t.store.forWorkspace(await t.store.createWorkspace({ slug: 'idle' }));
  const u = await t.store.createUser('idle@example.com', null, 'idle password');
  await w.addMember(u.id, 'viewer');
  const short = await buildApp({
    store: t.store,
    dataDir: t.dataDir,
    sessionIdleMs: 300,
    publicUrl: 'https://ns.example.com',
  });
  try {
    const ok = await short.inject({
      method: 'POST',
      url: '/api/v1/auth/signin',
      payload: { email: 'idle@example.com', password: 'idle password' },
    });
    assert.match(String(ok.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Secure$/);
    const cookie = cookieOf(ok);
    assert.equal((await short.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 200);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await short.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 401);
  } finally {
    await short.close();
    await t.store.close();
  }
});

test('a password stored before argon2id still signs in, and is rehashed as argon2id', async () => {
  const u = await store.createUser('legacy@example.com', null, 'placeholder pass');
  await acme.addMember(u.id, 'viewer');
  // scrypt$salt$hash of "legacy password", as the store wrote before migration 7.
  const { randomBytes, scryptSync } = await import('node:crypto');
  const salt = randomBytes(16);
  const old = `scrypt$${salt.toString('hex')}$${scryptSync('legacy password', salt, 32).toString('hex')}`;
  await store.db.run('UPDATE users SET password_hash = $h WHERE id = $id', { h: old, id: u.id });
  assert.equal((await signin('legacy@example.com', 'legacy password')).statusCode, 200);
  const rows = await store.db.all('SELECT password_hash FROM users WHERE id = $id', { id: u.id });
  assert.match(String(rows[0]?.password_hash), /^\$argon2id\$/);
  assert.equal((await signin('legacy@example.com', 'legacy password')).statusCode, 200);
});
