import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Workspace } from '../domain/workspace.js';
import type { Store } from '../store/store.js';

/**
 * The workspace a JSON API request may read: a read key as `Authorization: Bearer`. A write key (meant
 * for tracking snippets that anyone can see) gets 403; no key or an unknown one gets 401.
 */
export async function readAccess(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Workspace | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) {
    await reply.code(401).send({ error: 'a read key is required: Authorization: Bearer ns_r_…' });
    return null;
  }
  const found = await store.findApiKey(m[1]);
  if (!found) {
    await reply.code(401).send({ error: 'unknown or revoked key' });
    return null;
  }
  if (found.kind !== 'read') {
    await reply.code(403).send({ error: 'a write key can only send tracking data; use a read key' });
    return null;
  }
  return found.workspace;
}
