/**
 * Share links and weekly report settings of the DuckDB store (migrations 8 and 9). Kept apart from
 * workspace.store.ts, which delegates here. A share token is stored only as its SHA-256, like keys.
 */
import { UserError } from '../../core/errors.js';
import { hashSecret, isPlausibleKey } from '../../core/ids.js';
import {
  type FoundShare,
  type ReportSettings,
  reportSettingsSchema,
  SHARE_PREFIX,
  type ShareBoard,
  type ShareInfo,
  type StoredReportSettings,
} from '../../domain/share.js';
import type { Workspace } from '../../domain/workspace.js';
import { mintShare, shareInfo } from '../share.rows.js';
import type { Row } from '../store.js';
import type { Db } from './db.js';

export async function createShare(
  db: Db,
  ws: string,
  board: ShareBoard,
  opts: { createdBy: string; expiresAt?: Date | null; internal?: boolean },
): Promise<{ token: string; info: ShareInfo }> {
  const { token, hash, info } = mintShare(board, opts);
  await db.run(
    `INSERT INTO shares (id, workspace_id, board, token_hash, prefix, created_at, created_by, expires_at, revoked_at, internal)
     VALUES ($id, $ws, $board, $h, $prefix, $at, $by, $exp, NULL, $internal)`,
    {
      id: info.id,
      ws,
      board,
      h: hash,
      prefix: info.prefix,
      at: info.createdAt,
      by: info.createdBy,
      exp: info.expiresAt,
      internal: opts.internal === true,
    },
  );
  return { token, info };
}

/** The links people made (internal ones for PDFs left out), newest first. */
export async function listShares(db: Db, ws: string): Promise<ShareInfo[]> {
  const rows = await db.all(
    'SELECT * FROM shares WHERE workspace_id = $ws AND NOT internal ORDER BY created_at DESC',
    { ws },
  );
  return rows.map(shareInfo);
}

/** Revokes a live link named by its id, its whole token or its shown prefix. */
export async function revokeShare(db: Db, workspace: Workspace, idOrToken: string): Promise<ShareInfo> {
  const text = idOrToken.trim();
  const rows = await db.all(
    `SELECT * FROM shares WHERE workspace_id = $ws AND revoked_at IS NULL
       AND (id = $t OR token_hash = $h OR (length($p) >= 8 AND starts_with(prefix, $p)))`,
    { ws: workspace.id, t: text, h: hashSecret(text), p: text.slice(0, 10) },
  );
  if (rows.length === 0)
    throw new UserError(
      `no live share link ${text.slice(0, 36)} in workspace ${workspace.slug} (see \`share list\`)`,
      {},
      404,
    );
  if (rows.length > 1)
    throw new UserError(`${text.slice(0, 10)} names ${rows.length} links; give the id`, { field: 'id' });
  const r = rows[0] as Row;
  const at = new Date();
  await db.run('UPDATE shares SET revoked_at = $at WHERE id = $id', { at, id: String(r.id) });
  return { ...shareInfo(r), revokedAt: at };
}

/** Drops an internal link at once (a rendered PDF no longer needs it). */
export async function deleteShare(db: Db, ws: string, id: string): Promise<void> {
  await db.run('DELETE FROM shares WHERE workspace_id = $ws AND id = $id AND internal', { ws, id });
}

/** The id, workspace and board of a live token (not revoked, not expired), or null. */
export async function findShare(
  db: Db,
  token: string,
  toWorkspace: (r: Row) => Workspace,
): Promise<FoundShare | null> {
  if (!token.startsWith(SHARE_PREFIX) || !isPlausibleKey(token)) return null;
  const rows = await db.all(
    `SELECT w.*, s.id AS share_id, s.board AS share_board FROM shares s JOIN workspaces w ON w.id = s.workspace_id
     WHERE s.token_hash = $h AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > $now)`,
    { h: hashSecret(token), now: new Date() },
  );
  const r = rows[0];
  return r
    ? { id: String(r.share_id), board: String(r.share_board) as ShareBoard, workspace: toWorkspace(r) }
    : null;
}

export async function getReportSettings(db: Db, ws: string): Promise<StoredReportSettings | null> {
  const rows = await db.all('SELECT * FROM report_settings WHERE workspace_id = $ws', { ws });
  const r = rows[0];
  if (!r) return null;
  return {
    settings: reportSettingsSchema.parse(JSON.parse(String(r.settings))),
    lastSentAt: (r.last_sent_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
  };
}

export async function putReportSettings(db: Db, ws: string, settings: ReportSettings): Promise<void> {
  await db.run(
    `INSERT INTO report_settings VALUES ($ws, $s, NULL, $at)
     ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    { ws, s: JSON.stringify(settings), at: new Date() },
  );
}

export async function markReportSent(db: Db, ws: string, at: Date): Promise<void> {
  await db.run('UPDATE report_settings SET last_sent_at = $at WHERE workspace_id = $ws', { ws, at });
}
