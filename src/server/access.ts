/**
 * The one access check (docs/security.md). Every route declares who may call it,
 * `config: { access: 'public' | 'track' | 'local' | 'viewer' | 'editor' | 'admin' }`; a route without
 * a declaration fails at registration. Before anything else of a request runs (its body is not even
 * read), this hook resolves the caller (principals.ts) and refuses it with 401 or 403, or sets
 * `req.access` (workspace, role, principal) for the handler. Handlers never look at credentials.
 *
 * `public` and `track` routes pass untouched: the tracking API checks its write key itself, from a
 * cache that revocation empties (routes/track.route.ts). `local` is the in-process CLI route, open to
 * the local CLI credential only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, Workspace } from '../domain/workspace.js';
import type { Store } from '../store/store.js';
import { type Principal, type Resolved, resolveCaller } from './principals.js';
import type { Sessions } from './sessions.js';
import { SIGN_IN_PAGE } from './signin.page.js';

export type AccessLevel = 'public' | 'track' | 'local' | Role;
export const ACCESS_LEVELS: readonly AccessLevel[] = [
  'public',
  'track',
  'local',
  'viewer',
  'editor',
  'admin',
];

/** What a handler of a role route knows about its caller. */
export interface Access {
  workspace: Workspace;
  role: Role;
  principal: Principal;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessLevel;
    /** A page for browsers: signed out, it answers the sign-in form (401) instead of a JSON error. */
    signInPage?: boolean;
    /** About the signed-in user (auth/me, auth/password): keys and tokens, which have no user, get 401. */
    sessionOnly?: boolean;
  }
  interface FastifyRequest {
    /** Set by the access hook on every viewer, editor and admin route (not on public or track ones). */
    access: Access;
  }
}

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** Whether `role` may call a route declared `need`. */
export function roleMeets(role: Role, need: Role): boolean {
  return RANK[role] >= RANK[need];
}

export interface AccessOptions {
  store: Store;
  sessions: Sessions;
  /** The local CLI credential (the token in the data directory's server file); none: no local caller. */
  cliToken?: string;
}

/** A route as declared: what the route-table walk (test/access.walk.test.ts) goes through. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: AccessLevel;
  sessionOnly: boolean;
}

const tables = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route registered on `app` since installAccess, with its declaration (HEAD routes left out). */
export function routeTable(app: FastifyInstance): readonly DeclaredRoute[] {
  return tables.get(app) ?? [];
}

/**
 * Installs the registration check and the request hook. Call before any route is registered.
 *
 * @example
 * installAccess(app, { store, sessions, cliToken });
 * app.get('/api/v1/kpis', { config: { access: 'viewer' } }, (req) => list(req.access.workspace));
 */
export function installAccess(app: FastifyInstance, opts: AccessOptions): void {
  const table: DeclaredRoute[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path ?? '';
    const sessionOnly = route.config?.sessionOnly === true;
    const note = (access: AccessLevel) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD') table.push({ method, url, access, sessionOnly });
    };
    // The OpenAPI page and its files are registered by @fastify/swagger-ui, which takes no route
    // options: public, as the description of the API holds no data.
    if (url === '/api/docs' || url.startsWith('/api/docs/')) {
      route.config = { ...(route.config ?? {}), access: route.config?.access ?? 'public' };
      note(route.config.access ?? 'public');
      return;
    }
    const level = route.config?.access;
    if (!level || !ACCESS_LEVELS.includes(level))
      throw new Error(
        `route ${[route.method].flat().join(',')} ${url} declares no access: add config: { access: ${ACCESS_LEVELS.map((l) => `'${l}'`).join(' | ')} }`,
      );
    note(level);
  });
  // After the Host check (registered before this), before the body is read or validated.
  app.addHook('onRequest', async (req, reply) => {
    const level = req.routeOptions.config.access;
    if (level === undefined || level === 'public' || level === 'track') return;
    const resolved = await resolveCaller(req, opts, (cookie) => reply.header('set-cookie', cookie));
    const refusal = refuse(req, resolved, level);
    if (refusal?.status === 401 && req.routeOptions.config.signInPage)
      return reply.code(401).type('text/html; charset=utf-8').send(SIGN_IN_PAGE);
    if (refusal) return reply.code(refusal.status).send({ error: refusal.error });
    if (resolved.ok && resolved.workspace)
      req.access = { workspace: resolved.workspace, role: resolved.role, principal: resolved.principal };
  });
}

/** Why the caller may not call a route of `level`, or null when it may. */
function refuse(
  req: FastifyRequest,
  r: Resolved,
  level: Exclude<AccessLevel, 'public' | 'track'>,
): { status: number; error: string } | null {
  if (!r.ok) return r;
  if (level === 'local')
    return r.principal.kind === 'local'
      ? null
      : { status: 403, error: 'this route is for the northstar command on this machine only' };
  if (req.routeOptions.config.sessionOnly && r.principal.kind !== 'session')
    return { status: 401, error: 'sign in: this is about a signed-in user, which keys and tokens are not' };
  if (!r.workspace) return { status: 400, error: r.needWorkspace };
  const unsafe = req.method !== 'GET' && req.method !== 'HEAD';
  if (r.principal.kind === 'session' && unsafe && !r.csrfOk)
    return {
      status: 403,
      error: 'missing or wrong X-CSRF-Token header (its value is the csrf of GET /api/v1/auth/me)',
    };
  if (roleMeets(r.role, level)) return null;
  if (r.principal.kind === 'read_key')
    return {
      status: 403,
      error: 'a read key cannot change anything; use an API token (northstar keys create --kind token)',
    };
  return {
    status: 403,
    error: `this needs the ${level} role; you are ${r.role} of workspace ${r.workspace.slug}`,
  };
}

/**
 * Who a write is recorded as in the audit log: the signed-in user's e-mail, a token's shown prefix,
 * or `cli` for the northstar command on this machine.
 *
 * @example
 * actorOf({ ...access, principal: { kind: 'local' } }); // 'cli'
 */
export function actorOf(access: Access): string {
  const p = access.principal;
  if (p.kind === 'session') return p.email;
  if (p.kind === 'local') return 'cli';
  return `${p.kind === 'api_token' ? 'token' : 'key'} ${p.prefix}`;
}
