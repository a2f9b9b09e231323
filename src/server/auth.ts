import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../core/errors.js';
import { isPlausibleKey } from '../core/ids.js';
import type { Workspace } from '../domain/workspace.js';
import type { Store } from '../store/store.js';
import { openWorkspace } from '../usecases/workspaces.usecase.js';
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
  refused?: string,
): Promise<Workspace | null> {
  // The local CLI credential reads and writes (the access hook will make it admin).
  if (isLocal(store, req)) return localWorkspace(store, req);
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
      refused ??
      (kind === 'read'
        ? 'a write key can only send data; use a read key'
        : 'a read key cannot change anything; use a write key');
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

/** A write key: the JSON API's writes (imports, check-ins); `refused`: the 403's words for a read key. */
export function writeAccess(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
  refused?: string,
): Promise<Workspace | null> {
  return keyAccess(store, req, reply, 'write', refused);
}

// ---------------------------------------------------------------------------------------------------
// TEMPORARY, until the access hook of src/server/access.ts (branch h/trust) lands and maps the local
// CLI credential to admin itself: the token of the data directory's server file, accepted here.
// Everything below this line is what that hook replaces.
// ---------------------------------------------------------------------------------------------------

/** The local CLI token of the app serving a store (set once by buildApp). */
const localTokens = new WeakMap<Store, string>();

/** Accepts `token` (the server file's) as the local CLI credential on this store's routes. */
export function acceptLocalToken(store: Store, token: string): void {
  localTokens.set(store, token);
}

/** Whether the request carries the local CLI token as `Authorization: Bearer`. */
export function isLocal(store: Store, req: FastifyRequest): boolean {
  const token = localTokens.get(store);
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!token || !m?.[1]) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who a write is audited as: the local CLI, or an API caller. */
export function actorOf(store: Store, req: FastifyRequest): 'cli' | 'api' {
  return isLocal(store, req) ? 'cli' : 'api';
}

/** The workspace the local CLI names in `X-Northstar-Workspace` (400 without one, 404 unknown). */
async function localWorkspace(store: Store, req: FastifyRequest): Promise<Workspace> {
  const slug = req.headers['x-northstar-workspace'];
  if (typeof slug !== 'string' || slug === '')
    throw new UserError('X-Northstar-Workspace is required with the local token', { field: 'workspace' });
  return (await openWorkspace(store, slug)).workspace;
}

/**
 * The admin routes (workspaces, keys, users, demo, backups): the local CLI token only, until
 * signed-in admins arrive with the access hook. Answers 401 itself and returns false otherwise.
 */
export async function adminAccess(store: Store, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (isLocal(store, req)) return true;
  await reply
    .code(401)
    .send({ error: 'this route takes the local CLI credential (run the command with northstar)' });
  return false;
}

/** An admin route of one workspace: the local CLI token and its `X-Northstar-Workspace`. */
export async function adminWorkspace(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Workspace | null> {
  return (await adminAccess(store, req, reply)) ? localWorkspace(store, req) : null;
}
