/**
 * Who is calling (docs/security.md): a session cookie, a read key, an API token or the local CLI
 * credential, with the workspace and role that gives. Used by the access hook only (access.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isPlausibleKey } from '../core/ids.js';
import type { Role, Workspace } from '../domain/workspace.js';
import type { Store } from '../store/store.js';
import { KeyUsage } from './key.cache.js';
import type { Sessions } from './sessions.js';

export type Principal =
  | { kind: 'session'; userId: string; email: string }
  | { kind: 'read_key' | 'api_token'; prefix: string }
  | { kind: 'local' };

export const WORKSPACE_HEADER = 'x-northstar-workspace';

export type Resolved =
  | { ok: false; status: number; error: string }
  | {
      ok: true;
      principal: Principal;
      role: Role;
      /** Null when none was chosen (the local credential without X-Northstar-Workspace): `needWorkspace` says why. */
      workspace: Workspace | null;
      needWorkspace: string;
      /** A cookie-authenticated request carries the session's CSRF token (always true for the others). */
      csrfOk: boolean;
    };

/** One record of key use per store, so `keys list` shows when a key was last used. */
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

const NO_CREDENTIAL =
  'sign in (POST /api/v1/auth/signin), or send a read key or API token as Authorization: Bearer …';

/** The workspace slug a request names: the header, else (GET links) `?workspace=`. */
function namedWorkspace(req: FastifyRequest): string | null {
  const h = req.headers[WORKSPACE_HEADER];
  if (typeof h === 'string' && h !== '') return h;
  const q = (req.query as Record<string, unknown> | undefined)?.workspace;
  return req.method === 'GET' && typeof q === 'string' && q !== '' ? q : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The caller of a request and what it may reach. The header's workspace counts only for a session and
 * the local credential: a key or token is bound to its own workspace whatever a request names.
 */
export async function resolveCaller(
  req: FastifyRequest,
  opts: { store: Store; sessions: Sessions; cliToken?: string },
  onSetCookie: (cookie: string) => void = () => undefined,
): Promise<Resolved> {
  const { store } = opts;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    if (opts.cliToken && sameSecret(bearer, opts.cliToken)) {
      const slug = namedWorkspace(req);
      const workspace = slug ? await store.getWorkspace(slug) : null;
      if (slug && !workspace) return { ok: false, status: 404, error: `no workspace "${slug.slice(0, 64)}"` };
      return {
        ok: true,
        principal: { kind: 'local' },
        role: 'admin',
        workspace,
        needWorkspace: 'the local CLI credential needs an X-Northstar-Workspace header naming the workspace',
        csrfOk: true,
      };
    }
    const found = isPlausibleKey(bearer) ? await store.findApiKey(bearer) : null;
    if (!found) return { ok: false, status: 401, error: 'unknown or revoked key' };
    usageOf(store).used(bearer);
    if (found.kind === 'write')
      return {
        ok: false,
        status: 403,
        error: 'write keys are for the tracking API only; use a read key or an API token',
      };
    const prefix = bearer.slice(0, 10);
    return {
      ok: true,
      principal: { kind: found.kind === 'read' ? 'read_key' : 'api_token', prefix },
      role: found.kind === 'read' ? 'viewer' : (found.role ?? 'editor'),
      workspace: found.workspace,
      needWorkspace: '',
      csrfOk: true,
    };
  }
  const id = opts.sessions.idOf(req);
  if (!id) return { ok: false, status: 401, error: NO_CREDENTIAL };
  const found = await opts.sessions.find(id);
  if (!found) return { ok: false, status: 401, error: 'your session has ended; sign in again' };
  if (found.renewed) onSetCookie(found.renewed);
  const { session } = found;
  const memberships = await store.listMemberships(session.user.id);
  const slug = namedWorkspace(req);
  const chosen = slug ? memberships.find((m) => m.workspace.slug === slug) : memberships[0];
  if (!chosen)
    return {
      ok: false,
      status: 403,
      error: slug
        ? `you are not a member of workspace "${slug.slice(0, 64)}"`
        : 'you are not a member of any workspace; ask an admin to add you',
    };
  const csrf = req.headers['x-csrf-token'];
  return {
    ok: true,
    principal: { kind: 'session', userId: session.user.id, email: session.user.email },
    role: chosen.role,
    workspace: chosen.workspace,
    needWorkspace: '',
    csrfOk: typeof csrf === 'string' && sameSecret(csrf, session.csrf),
  };
}
