import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role, User, Workspace } from '../../domain/workspace.js';
import type { Store } from '../../store/store.js';
import { WORKSPACE_HEADER } from '../principals.js';
import type { Sessions } from '../sessions.js';
import { AttemptLimiter } from '../signin.limit.js';

/** Failed sign-ins allowed per account and per address in SIGNIN_WINDOW_MS before 429. */
export const SIGNIN_LIMITS = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

const WRONG = 'wrong e-mail or password';
const credentials = {
  type: 'object',
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', minLength: 1, maxLength: 320 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
  additionalProperties: false,
};

/** What `/auth/me`, sign-in and setup answer: the user, the chosen workspace and role, the CSRF token. */
function describe(
  user: User,
  memberships: Array<{ workspace: Workspace; role: Role }>,
  chosen: { workspace: Workspace; role: Role } | undefined,
  csrf: string,
) {
  return {
    user: { id: user.id, email: user.email, name: user.name },
    workspace: chosen
      ? {
          slug: chosen.workspace.slug,
          name: chosen.workspace.name,
          timezone: chosen.workspace.timezone,
          currency: chosen.workspace.currency,
        }
      : null,
    role: chosen?.role ?? null,
    workspaces: memberships.map((m) => ({ slug: m.workspace.slug, name: m.workspace.name, role: m.role })),
    csrf,
  };
}

/**
 * Accounts (docs/security.md): `GET /api/v1/auth/me`, `POST /api/v1/auth/signin|signout|password`,
 * `GET|POST /api/v1/auth/setup` (the first admin, while no user exists).
 */
export function authRoutes(store: Store, sessions: Sessions) {
  const perAccount = new AttemptLimiter({ max: SIGNIN_LIMITS.perAccount, windowMs: SIGNIN_LIMITS.windowMs });
  const perAddress = new AttemptLimiter({ max: SIGNIN_LIMITS.perAddress, windowMs: SIGNIN_LIMITS.windowMs });
  // Setup creates the first admin once: two requests at the same moment must not both see "no user".
  let setupRunning: Promise<unknown> = Promise.resolve();

  /** Signs `user` in: a new session, its cookie, and the answer /me would give. */
  async function signIn(req: FastifyRequest, reply: FastifyReply, user: User) {
    const memberships = await store.listMemberships(user.id);
    const slug = req.headers[WORKSPACE_HEADER];
    const chosen = memberships.find((m) => m.workspace.slug === slug) ?? memberships[0];
    const s = await sessions.start(user.id);
    reply.header('set-cookie', sessions.cookie(s.id, s.expiresAt));
    return describe(user, memberships, chosen, s.csrf);
  }

  /** 429 with Retry-After when the account or the address has failed too often lately. */
  function limited(reply: FastifyReply, account: string, address: string) {
    const wait = Math.max(perAccount.wait(account), perAddress.wait(address));
    if (!wait) return null;
    return reply
      .code(429)
      .header('retry-after', String(wait))
      .send({ error: `too many failed sign-ins; try again in ${wait} s` });
  }

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/auth/me', { config: { access: 'viewer', sessionOnly: true } }, async (req) => {
      const id = sessions.idOf(req);
      const session = id ? await store.findSession(id) : null;
      if (!session) throw new Error('the access hook let a request without a session through');
      const memberships = await store.listMemberships(session.user.id);
      const chosen = memberships.find((m) => m.workspace.id === req.access.workspace.id);
      return describe(session.user, memberships, chosen, session.csrf);
    });

    app.post<{ Body: { email: string; password: string } }>(
      '/api/v1/auth/signin',
      { config: { access: 'public' }, schema: { body: credentials } },
      async (req, reply) => {
        const account = req.body.email.trim().toLowerCase();
        if (limited(reply, account, req.ip)) return reply;
        const user = await store.verifyPassword(account, req.body.password);
        if (!user) {
          perAccount.fail(account);
          perAddress.fail(req.ip);
          return reply.code(401).send({ error: WRONG });
        }
        perAccount.reset(account);
        return signIn(req, reply, user);
      },
    );

    app.post('/api/v1/auth/signout', { config: { access: 'public' } }, async (req, reply) => {
      const id = sessions.idOf(req);
      if (id) await store.deleteSession(id);
      return reply.code(204).header('set-cookie', sessions.clearCookie()).send();
    });

    app.post<{ Body: { current: string; next: string } }>(
      '/api/v1/auth/password',
      {
        config: { access: 'viewer', sessionOnly: true },
        schema: {
          body: {
            type: 'object',
            required: ['current', 'next'],
            properties: {
              current: { type: 'string', minLength: 1, maxLength: 1024 },
              next: { type: 'string', minLength: 1, maxLength: 1024 },
            },
            additionalProperties: false,
          },
        },
      },
      async (req, reply) => {
        const p = req.access.principal;
        if (p.kind !== 'session') throw new Error('the access hook let a request without a session through');
        if (limited(reply, p.email, req.ip)) return reply;
        if (!(await store.verifyPassword(p.email, req.body.current))) {
          perAccount.fail(p.email);
          perAddress.fail(req.ip);
          return reply.code(403).send({ error: 'the current password is wrong', field: 'current' });
        }
        await store.setPassword(p.userId, req.body.next);
        // Whoever else held a session of this user (a stolen cookie) is out from the next request.
        await store.deleteUserSessions(p.userId, sessions.idOf(req) ?? undefined);
        return reply.code(204).send();
      },
    );

    app.get('/api/v1/auth/setup', { config: { access: 'public' } }, async () => ({
      needed: (await store.countUsers()) === 0,
    }));

    app.post<{ Body: { email: string; password: string; name?: string } }>(
      '/api/v1/auth/setup',
      {
        config: { access: 'public' },
        schema: {
          body: {
            ...credentials,
            properties: { ...credentials.properties, name: { type: 'string', minLength: 1, maxLength: 200 } },
          },
        },
      },
      async (req, reply) => {
        const run = setupRunning.then(async () => {
          if ((await store.countUsers()) > 0) return null;
          const user = await store.createUser(req.body.email, req.body.name ?? null, req.body.password);
          for (const w of await store.listWorkspaces()) {
            const ws = store.forWorkspace(w);
            await ws.addMember(user.id, 'admin');
            await ws.audit({
              actor: user.email,
              action: 'add_member',
              entity: 'user',
              entityId: user.id,
              before: null,
              after: { email: user.email, role: 'admin', via: 'setup' },
            });
          }
          return user;
        });
        setupRunning = run.catch(() => undefined);
        const user = await run;
        if (!user)
          return reply
            .code(409)
            .send({ error: 'setup is done: an account exists already; sign in, or ask an admin for one' });
        return signIn(req, reply, user);
      },
    );
  };
}
