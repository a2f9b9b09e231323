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

  test(`${name}: share links are found by token until revoked; internal ones are unlisted; report settings and members`, async () => {
    const { store } = await fresh();
    const a = store.forWorkspace(await store.createWorkspace({ slug: 'a' }));
    const b = store.forWorkspace(await store.createWorkspace({ slug: 'b' }));
    const made = await a.createShare('sales', { createdBy: 'ana@example.com' });
    const internal = await a.createShare('saas', { createdBy: 'pdf', internal: true });
    const expired = await a.createShare('response', {
      createdBy: 'ana@example.com',
      expiresAt: new Date(Date.now() - 1000),
    });
    assert.match(made.token, /^ns_s_/);
    assert.deepEqual(
      [(await store.findShare(made.token))?.board, (await store.findShare(made.token))?.workspace.slug],
      ['sales', 'a'],
    );
    assert.equal(await store.findShare(expired.token), null, 'an expired link');
    assert.deepEqual(
      (await a.listShares()).map((x) => x.board),
      ['response', 'sales'],
      'newest first, internal left out',
    );
    assert.deepEqual(await b.listShares(), [], "another workspace's links are not listed");
    await assert.rejects(b.revokeShare(made.token), /no live share link/);
    await a.deleteShare(internal.info.id);
    assert.equal(await store.findShare(internal.token), null);
    const revoked = await a.revokeShare(made.info.prefix);
    assert.ok(revoked.revokedAt instanceof Date);
    assert.equal(await store.findShare(made.token), null, 'refused at once after revoking');

    assert.equal(await a.getReportSettings(), null);
    const settings = {
      enabled: true,
      board: 'sales' as const,
      weekday: 'monday' as const,
      hour: 8,
      recipients: ['boss@example.com'],
      webhook: null,
      smtp: null,
      alerts_by_email: false,
    };
    await a.putReportSettings(settings);
    await a.putReportSettings({ ...settings, hour: 9 });
    const sent = new Date('2026-12-07T08:00:00Z');
    await a.markReportSent(sent);
    const stored = await a.getReportSettings();
    assert.deepEqual(stored?.settings, { ...settings, hour: 9 });
    assert.equal(stored?.lastSentAt?.getTime(), sent.getTime());
    assert.equal(await b.getReportSettings(), null);

    const u = await store.createUser('cy@example.com', null, 'correct horse');
    await a.addMember(u.id, 'viewer');
    await b.addMember(u.id, 'editor');
    const before = Date.now() - 1000;
    await store.createSession(u.id, 60_000);
    const member = (await a.listMembers()).find((m) => m.user.id === u.id);
    const signedIn = member?.lastSignInAt?.getTime() ?? 0;
    assert.ok(signedIn >= before && signedIn <= Date.now() + 1000, `last sign-in ${member?.lastSignInAt}`);
    await a.removeMember(u.id);
    assert.deepEqual(
      (await store.listMemberships(u.id)).map((m) => [m.workspace.slug, m.role]),
      [['b', 'editor']],
      'the other membership stays',
    );
    await store.close();
  });
}
