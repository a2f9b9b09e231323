import assert from 'node:assert/strict';
import { test as nodeTest } from 'node:test';
import type { Store } from './store.js';

/**
 * Accounts on every Store (run by `storeContract`): API tokens with their role, sign-in sessions
 * (stored hashed, idle-expiring, ended one by one or all but one), memberships and password changes.
 * DuckDB keeps them in its file (migration 7), the scale-out store in PostgreSQL (PG migration 2).
 */
export function accountsContract(
  name: string,
  fresh: () => Promise<{ store: Store }>,
  opts: { skip?: string | false } = {},
): void {
  const test = (title: string, fn: () => Promise<void>) => nodeTest(title, { skip: opts.skip ?? false }, fn);

  test(`${name}: API tokens carry their role; write and read keys have none`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    const admin = await ws.createApiKey('token', 'admin');
    const editor = await ws.createApiKey('token');
    const read = await ws.createApiKey('read');
    await assert.rejects(ws.createApiKey('write', 'admin'), /only an API token has a role/);
    assert.match(admin.key, /^ns_t_/);
    const found = await Promise.all([admin.key, editor.key, read.key].map((k) => store.findApiKey(k)));
    assert.deepEqual(
      found.map((f) => [f?.kind, f?.role]),
      [
        ['token', 'admin'],
        ['token', 'editor'],
        ['read', null],
      ],
    );
    assert.deepEqual((await ws.listApiKeys()).map((k) => k.role).sort(), ['admin', 'editor', null].sort());
    await ws.revokeApiKey(admin.key);
    assert.equal(await store.findApiKey(admin.key), null);
    await store.close();
  });

  test(`${name}: sign-in sessions are found by id, expire when idle, and end`, async () => {
    const { store } = await fresh();
    const w = await store.createWorkspace({ slug: 'w' });
    const u = await store.createUser('ana@example.com', 'Ana', 'correct horse');
    await store.forWorkspace(w).addMember(u.id, 'viewer');
    assert.equal(await store.countUsers(), 1);
    assert.deepEqual(
      (await store.listMemberships(u.id)).map((m) => [m.workspace.slug, m.role]),
      [['w', 'viewer']],
    );

    const a = await store.createSession(u.id, 60_000);
    const b = await store.createSession(u.id, 60_000);
    const c = await store.createSession(u.id, 60_000);
    assert.notEqual(a.id, b.id);
    const found = await store.findSession(a.id);
    assert.equal(found?.user.email, 'ana@example.com');
    assert.equal(found?.csrf, a.csrf);
    assert.equal(await store.findSession(`${a.id}x`), null);

    // Touched into the past: expired, so not found.
    await store.touchSession(b.id, new Date(Date.now() - 120_000), new Date(Date.now() - 60_000));
    assert.equal(await store.findSession(b.id), null);
    await store.deleteSession(c.id);
    assert.equal(await store.findSession(c.id), null);
    const d = await store.createSession(u.id, 60_000);
    // Everywhere but `d`: a, and the expired b, end (c is already gone).
    assert.equal(await store.deleteUserSessions(u.id, d.id), 2);
    assert.equal(await store.findSession(a.id), null);
    assert.equal((await store.findSession(d.id))?.user.id, u.id);

    await store.setPassword(u.id, 'a new passphrase');
    assert.equal(await store.verifyPassword('ana@example.com', 'correct horse'), null);
    assert.equal((await store.verifyPassword('ana@example.com', 'a new passphrase'))?.id, u.id);
    await assert.rejects(store.setPassword(u.id, 'short'), /8 characters/);
    await store.close();
  });
}
