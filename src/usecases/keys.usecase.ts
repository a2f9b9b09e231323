/** API keys of a workspace: create, list, revoke (`keys …`, `/api/v1/keys`). */
import { UserError } from '../core/errors.js';
import type { Role } from '../domain/workspace.js';
import { keysChanged } from '../store/key.events.js';
import type { WorkspaceStore } from '../store/store.js';

export interface KeyRow {
  prefix: string;
  kind: string;
  /** A token's role (editor or admin); null for write and read keys. */
  role: Role | null;
  created: string;
  last_used: string | null;
  revoked: string | null;
}

/**
 * Each key's prefix, kind and dates (never the key).
 *
 * @example
 * await listKeys(ws); // { keys: [{ prefix: 'ns_r_AbCd', kind: 'read', created: '…', last_used: null, revoked: null }] }
 */
export async function listKeys(ws: WorkspaceStore): Promise<{ keys: KeyRow[] }> {
  const keys = (await ws.listApiKeys()).map((k) => ({
    prefix: k.prefix,
    kind: k.kind,
    role: k.role ?? null,
    created: k.createdAt.toISOString(),
    last_used: k.lastUsedAt?.toISOString() ?? null,
    revoked: k.revokedAt?.toISOString() ?? null,
  }));
  return { keys };
}

/**
 * A new key of `kind` (write: tracking API; read: JSON-API reads; token: JSON-API writes from scripts,
 * editor unless `role` is admin); only its hash is stored, so this is the one time it is seen.
 *
 * @example
 * await createKey(ws, { kind: 'token', role: 'admin' }, 'cli'); // { key: 'ns_t_…', prefix, kind: 'token', role: 'admin' }
 */
export async function createKey(
  ws: WorkspaceStore,
  input: { kind: string; role?: string },
  actor: string,
): Promise<{ key: string; prefix: string; kind: 'write' | 'read' | 'token'; role: Role | null }> {
  const { kind, role } = input;
  if (kind !== 'write' && kind !== 'read' && kind !== 'token')
    throw new UserError('--kind must be write, read or token', { field: '--kind' });
  if (role !== undefined && kind !== 'token')
    throw new UserError('--role is for --kind token only (write and read keys have none)', {
      field: '--role',
    });
  if (role !== undefined && role !== 'editor' && role !== 'admin')
    throw new UserError("--role must be editor or admin (a read key is the viewer's)", { field: '--role' });
  const { key, info } = await ws.createApiKey(kind, role);
  await ws.audit({
    actor,
    action: 'create',
    entity: 'api_key',
    entityId: info.prefix,
    before: null,
    after: { kind: info.kind, role: info.role },
  });
  return { key, prefix: info.prefix, kind, role: info.role ?? null };
}

/**
 * Revokes a key given whole or by its prefix; every cache of it forgets it now.
 *
 * @example
 * await revokeKey(ws, { key: 'ns_r_AbCd' }, 'cli'); // { prefix, kind, revoked: '2026-…' }
 */
export async function revokeKey(
  ws: WorkspaceStore,
  input: { key: string },
  actor: string,
): Promise<{ prefix: string; kind: string; revoked: string | null }> {
  const info = await ws.revokeApiKey(input.key);
  keysChanged();
  await ws.audit({
    actor,
    action: 'revoke',
    entity: 'api_key',
    entityId: info.prefix,
    before: null,
    after: { kind: info.kind },
  });
  return { prefix: info.prefix, kind: info.kind, revoked: info.revokedAt?.toISOString() ?? null };
}
