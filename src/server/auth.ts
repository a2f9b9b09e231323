import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPlausibleKey } from '../core/ids.js';
import type { Workspace } from '../domain/workspace.js';
import type { Store } from '../store/store.js';
import { KeyUsage } from './key.cache.js';

/** One record of key use per store (the JSON API looks keys up on every request: nothing to cache). */
const usages = new WeakMap<Store, KeyUsage>();
function usageOf(store: Store): KeyUsage {
  let u = usages.get(store);
  if (!u) {
    u = new KeyUsage(
      (key, at) => store.touchApiKey(key, at),
      (e) => process.stderr.write(`could not note when a key was last used: ${(e as Error).message}\n`),
    );
    usages.set(store, u);
  }
  return u;
}

/**
 * The workspace a JSON API request may use with a key of `kind` as `Authorization: Bearer`: answers
 * 401 (no key, unknown key) or 403 (the other kind of key) itself and returns null then.
 *
 * Reads take a read key. A write key (meant for tracking snippets that anyone can see) cannot read.
 * Writes through the JSON API (imports, check-ins) take a write key for now, until signed-in
 * sessions with roles arrive; a read key cannot change anything.
 */
async function keyAccess(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: 'read' | 'write',
): Promise<Workspace | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) {
    await reply.code(401).send({ error: `a ${kind} key is required: Authorization: Bearer ns_${kind[0]}_…` });
    return null;
  }
  const found = isPlausibleKey(m[1]) ? await store.findApiKey(m[1]) : null;
  if (found) usageOf(store).used(m[1]);
  if (!found) {
    await reply.code(401).send({ error: 'unknown or revoked key' });
    return null;
  }
  if (found.kind !== kind) {
    const why =
      kind === 'read'
        ? 'a write key can only send data; use a read key'
        : 'a read key cannot change anything; use a write key';
    await reply.code(403).send({ error: why });
    return null;
  }
  return found.workspace;
}

/** A read key: the JSON API's reads. */
export function readAccess(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Workspace | null> {
  return keyAccess(store, req, reply, 'read');
}

/** A write key: the JSON API's writes (imports, check-ins). */
export function writeAccess(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Workspace | null> {
  return keyAccess(store, req, reply, 'write');
}
