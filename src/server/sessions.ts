/**
 * Sign-in sessions as the server hands them out: an opaque random id in an http-only, SameSite=Strict
 * cookie (Secure when the public URL is https), stored hashed with the user and a CSRF token, and
 * ending after `idleMs` without a request (14 days unless configured). Signing out or changing the
 * password deletes sessions in the store, so they end on the very next request.
 */
import type { FastifyRequest } from 'fastify';
import type { SessionInfo, Store } from '../store/store.js';

export const SESSION_COOKIE = 'ns_session';
export const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
/** A session's expiry moves forward at most this often (one write a minute per session, not per request). */
const TOUCH_EVERY_MS = 60_000;
const SESSION_ID_RE = /^[A-Za-z0-9_-]{20,64}$/;

export interface SessionOptions {
  idleMs?: number;
  /** Whether the cookie gets `Secure` (the public URL is https); asked per cookie, as the URL may come late. */
  secure: () => boolean;
  now?: () => number;
}

/**
 * @example
 * const sessions = new Sessions(store, { secure: () => false });
 * const { id, expiresAt } = await sessions.start(user.id);
 * reply.header('set-cookie', sessions.cookie(id, expiresAt));
 */
export class Sessions {
  readonly idleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly opts: SessionOptions,
  ) {
    this.idleMs = opts.idleMs ?? SESSION_IDLE_MS;
    this.now = opts.now ?? Date.now;
  }

  /** The session id a request's cookie carries (null: none, or not one of ours). */
  idOf(req: FastifyRequest): string | null {
    const header = req.headers.cookie;
    if (!header) return null;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
      const value = part.slice(eq + 1).trim();
      return SESSION_ID_RE.test(value) ? value : null;
    }
    return null;
  }

  /**
   * The live session `id` names, its expiry moved forward when a minute has passed since the last
   * move (`renewed` then holds the cookie to send again, so the browser keeps it as long).
   */
  async find(id: string): Promise<{ session: SessionInfo; renewed: string | null } | null> {
    const session = await this.store.findSession(id);
    if (!session) return null;
    const now = this.now();
    if (now - session.lastSeenAt.getTime() < TOUCH_EVERY_MS) return { session, renewed: null };
    const expiresAt = new Date(now + this.idleMs);
    await this.store.touchSession(id, new Date(now), expiresAt);
    return {
      session: { ...session, lastSeenAt: new Date(now), expiresAt },
      renewed: this.cookie(id, expiresAt),
    };
  }

  start(userId: string): Promise<{ id: string; csrf: string; expiresAt: Date }> {
    return this.store.createSession(userId, this.idleMs);
  }

  /** The Set-Cookie value for a session. */
  cookie(id: string, expiresAt: Date): string {
    const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - this.now()) / 1000));
    return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${this.opts.secure() ? '; Secure' : ''}`;
  }

  /** The Set-Cookie value that removes the cookie. */
  clearCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${this.opts.secure() ? '; Secure' : ''}`;
  }
}
