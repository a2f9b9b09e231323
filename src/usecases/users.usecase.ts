/** Users of a workspace (`user create`, `POST /api/v1/users`). */
import { UserError } from '../core/errors.js';
import { ROLES, type Role } from '../domain/workspace.js';
import type { Store, WorkspaceStore } from '../store/store.js';

/**
 * Makes the user with this e-mail (created with `password` when new) a member with `role`.
 *
 * @example
 * await addUser(store, ws, { email: 'ana@example.com', role: 'editor', password: 'a long password' }, 'cli');
 * // { email: 'ana@example.com', role: 'editor', workspace: 'acme' }
 */
export async function addUser(
  store: Store,
  ws: WorkspaceStore,
  input: { email: string; role?: string; name?: string; password: string },
  actor: string,
): Promise<{ email: string; role: Role; workspace: string }> {
  const role = (input.role ?? 'viewer') as Role;
  if (!(ROLES as readonly string[]).includes(role))
    throw new UserError(`--role must be one of ${ROLES.join(', ')}`, { field: '--role' });
  const password = input.password.replace(/\r?\n$/, '');
  const user =
    (await store.findUserByEmail(input.email)) ??
    (await store.createUser(input.email, input.name ?? null, password));
  await ws.addMember(user.id, role);
  await ws.audit({
    actor,
    action: 'add_member',
    entity: 'user',
    entityId: user.id,
    before: null,
    after: { email: user.email, role },
  });
  return { email: user.email, role, workspace: ws.workspace.slug };
}
