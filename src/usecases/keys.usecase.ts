/** API keys of a workspace: create, list, revoke (`keys …`, `/api/v1/keys`). */
import { UserError } from '../core/errors.js';
import { keysChanged } from '../store/key.events.js';
import type { WorkspaceStore } from '../store/store.js';

export interface KeyRow {
  prefix: string;
  kind: string;
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
    created: k.createdAt.toISOString(),
    last_used: k.lastUsedAt?.toISOString() ?? null,
    revoked: k.revokedAt?.toISOString() ?? null,
  }));
  return { keys };
}

/**
 * A new key of `kind`; only its hash is stored, so this is the one time it is seen.
 *
 * @example
 * await createKey(ws, { kind: 'read' }); // { key: 'ns_r_…', prefix: 'ns_r_…', kind: 'read' }
 */
export async function createKey(
  ws: WorkspaceStore,
  input: { kind: string },
): Promise<{ key: string; prefix: string; kind: 'write' | 'read' }> {
  if (input.kind !== 'write' && input.kind !== 'read')
    throw new UserError('--kind must be write or read', { field: '--kind' });
  const { key, info } = await ws.createApiKey(input.kind);
  return { key, prefix: info.prefix, kind: input.kind };
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
