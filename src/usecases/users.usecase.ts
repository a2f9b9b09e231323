/**
 * Members of a workspace: list, add (creating the account when new), change a role, remove
 * (`user …`, `/api/v1/users…`). A workspace always keeps one admin: the last one can be neither
 * demoted nor removed.
 */
import { randomBytes } from 'node:crypto';
import { NotFoundError, UserError } from '../core/errors.js';
import { ROLES, type Role } from '../domain/workspace.js';
import type { Store, WorkspaceStore } from '../store/store.js';

export interface MemberRow {
  email: string;
  name: string | null;
  role: Role;
  /** When the newest sign-in session still stored began (null: none known; sign-out forgets it). */
  last_sign_in: string | null;
}

function roleOf(text: string | undefined, field = '--role'): Role {
  const role = text ?? 'viewer';
  if (!(ROLES as readonly string[]).includes(role))
    throw new UserError(`${field} must be one of ${ROLES.join(', ')}`, { field });
  return role as Role;
}

/**
 * Every member of the workspace with role and last sign-in, by e-mail.
 *
 * @example
 * await listMembers(ws); // { members: [{ email: 'ana@example.com', name: null, role: 'admin', last_sign_in: '2026-…' }] }
 */
export async function listMembers(ws: WorkspaceStore): Promise<{ members: MemberRow[] }> {
  const members = (await ws.listMembers()).map((m) => ({
    email: m.user.email,
    name: m.user.name,
    role: m.role,
    last_sign_in: m.lastSignInAt?.toISOString() ?? null,
  }));
  return { members };
}

/** A password for an account the admin did not give one: 18 random bytes, base64url (24 characters). */
function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Makes the user with this e-mail a member with `role`. A new account gets `password`, or, without
 * one, a random password returned once under `password` (stored hashed only) for the admin to pass on;
 * an existing account keeps its password (`created: false`).
 *
 * @example
 * await addUser(store, ws, { email: 'ana@example.com', role: 'editor' }, 'cli');
 * // { email: 'ana@example.com', role: 'editor', workspace: 'acme', created: true, password: 'Xb3…' }
 */
export async function addUser(
  store: Store,
  ws: WorkspaceStore,
  input: { email: string; role?: string; name?: string; password?: string },
  actor: string,
): Promise<{ email: string; role: Role; workspace: string; created: boolean; password?: string }> {
  const role = roleOf(input.role);
  const given = input.password?.replace(/\r?\n$/, '');
  const existing = await store.findUserByEmail(input.email);
  const generated = existing || given ? undefined : oneTimePassword();
  const user =
    existing ?? (await store.createUser(input.email, input.name ?? null, given ?? (generated as string)));
  const before = (await ws.listMembers()).find((m) => m.user.id === user.id);
  if (before?.role === 'admin' && role !== 'admin') await keepAnAdmin(ws, user.id);
  await ws.addMember(user.id, role);
  await ws.audit({
    actor,
    action: before ? 'change_role' : 'add_member',
    entity: 'user',
    entityId: user.id,
    before: before ? { email: user.email, role: before.role } : null,
    after: { email: user.email, role },
  });
  return {
    email: user.email,
    role,
    workspace: ws.workspace.slug,
    created: !existing,
    ...(generated ? { password: generated } : {}),
  };
}

/** Refuses to leave the workspace without an admin when `userId` stops being one. */
async function keepAnAdmin(ws: WorkspaceStore, userId: string): Promise<void> {
  const admins = (await ws.listMembers()).filter((m) => m.role === 'admin' && m.user.id !== userId);
  if (admins.length === 0)
    throw new UserError(
      `${ws.workspace.slug} would have no admin left: make another member admin first`,
      {},
      409,
    );
}

async function memberOf(ws: WorkspaceStore, email: string) {
  const normalized = email.trim().toLowerCase();
  const m = (await ws.listMembers()).find((x) => x.user.email === normalized);
  if (!m) throw new NotFoundError(`member ${normalized} of ${ws.workspace.slug}`);
  return m;
}

/**
 * Changes a member's role (never the last admin's to less).
 *
 * @example
 * await setRole(ws, { email: 'ana@example.com', role: 'viewer' }, 'admin@example.com'); // { email, role: 'viewer', before: 'editor' }
 */
export async function setRole(
  ws: WorkspaceStore,
  input: { email: string; role: string },
  actor: string,
): Promise<{ email: string; role: Role; before: Role }> {
  const role = roleOf(input.role, 'role');
  const m = await memberOf(ws, input.email);
  if (m.role === role) return { email: m.user.email, role, before: m.role };
  if (m.role === 'admin') await keepAnAdmin(ws, m.user.id);
  await ws.addMember(m.user.id, role);
  await ws.audit({
    actor,
    action: 'change_role',
    entity: 'user',
    entityId: m.user.id,
    before: { email: m.user.email, role: m.role },
    after: { email: m.user.email, role },
  });
  return { email: m.user.email, role, before: m.role };
}

/**
 * Ends a membership (never the last admin's); the account stays, with its other workspaces.
 *
 * @example
 * await removeMember(ws, { email: 'ana@example.com' }, 'cli'); // { email: 'ana@example.com', removed: true }
 */
export async function removeMember(
  ws: WorkspaceStore,
  input: { email: string },
  actor: string,
): Promise<{ email: string; removed: true }> {
  const m = await memberOf(ws, input.email);
  if (m.role === 'admin') await keepAnAdmin(ws, m.user.id);
  await ws.removeMember(m.user.id);
  await ws.audit({
    actor,
    action: 'remove_member',
    entity: 'user',
    entityId: m.user.id,
    before: { email: m.user.email, role: m.role },
    after: null,
  });
  return { email: m.user.email, removed: true };
}

/** The demo's sign-in: made with the demo workspace on a first start. */
export const DEMO_ADMIN = 'demo@northstar.local';

/**
 * On a server with no account yet, the demo admin: `demo@northstar.local`, admin of every workspace,
 * with a random password returned once for the console (only its hash is stored; never a fixed
 * default). Null when any account exists (the first-run setup's rule).
 *
 * @example
 * await createDemoAdmin(store); // { email: 'demo@northstar.local', password: 'Xb3…' }
 */
export async function createDemoAdmin(store: Store): Promise<{ email: string; password: string } | null> {
  if ((await store.countUsers()) > 0) return null;
  const password = oneTimePassword();
  const user = await store.createUser(DEMO_ADMIN, 'Demo admin', password);
  for (const w of await store.listWorkspaces()) {
    const ws = store.forWorkspace(w);
    await ws.addMember(user.id, 'admin');
    await ws.audit({
      actor: 'serve',
      action: 'add_member',
      entity: 'user',
      entityId: user.id,
      before: null,
      after: { email: DEMO_ADMIN, role: 'admin' },
    });
  }
  return { email: DEMO_ADMIN, password };
}
