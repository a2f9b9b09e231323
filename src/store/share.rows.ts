/**
 * Share links as both metadata stores keep them (DuckDB's `duckdb/share.store.ts`, PostgreSQL's
 * `postgres/pg.share.store.ts`): one way to mint a link and one decoder of its row.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, newId } from '../core/ids.js';
import { SHARE_PREFIX, type ShareBoard, type ShareInfo } from '../domain/share.js';
import type { Row } from './store.js';

/**
 * A new link: its token (shown once), what is stored of it (the token's SHA-256 and prefix) and its info.
 *
 * @example
 * const { token, hash, info } = mintShare('sales', { createdBy: 'ana@example.com' }); // token 'ns_s_…'
 */
export function mintShare(
  board: ShareBoard,
  opts: { createdBy: string; expiresAt?: Date | null },
): { token: string; hash: string; info: ShareInfo } {
  const token = `${SHARE_PREFIX}${randomBytes(24).toString('base64url')}`;
  return {
    token,
    hash: hashSecret(token),
    info: {
      id: newId(),
      prefix: token.slice(0, 10),
      board,
      createdAt: new Date(),
      createdBy: opts.createdBy,
      expiresAt: opts.expiresAt ?? null,
      revokedAt: null,
    },
  };
}

/** A `shares` row as the API shows it. */
export function shareInfo(r: Row): ShareInfo {
  return {
    id: String(r.id),
    prefix: String(r.prefix),
    board: String(r.board) as ShareBoard,
    createdAt: r.created_at as Date,
    createdBy: String(r.created_by),
    expiresAt: (r.expires_at as Date | null) ?? null,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}
