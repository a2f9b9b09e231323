/**
 * Share links and weekly report settings on PostgreSQL (PG migration 3): the same rules as
 * `duckdb/share.store.ts` (tokens stored only as their SHA-256, internal links left out of lists).
 */
import type postgres from 'postgres';
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

type Row = Record<string, unknown>;

export async function createShare(
  sql: postgres.Sql,
  ws: string,
  board: ShareBoard,
  opts: { createdBy: string; expiresAt?: Date | null; internal?: boolean },
): Promise<{ token: string; info: ShareInfo }> {
  const { token, hash, info } = mintShare(board, opts);
  await sql`INSERT INTO shares (id, workspace_id, board, token_hash, prefix, created_at, created_by, expires_at, revoked_at, internal)
    VALUES (${info.id}, ${ws}, ${board}, ${hash}, ${info.prefix}, ${info.createdAt}, ${info.createdBy},
      ${info.expiresAt}, NULL, ${opts.internal === true})`;
  return { token, info };
}

/** The links people made (internal ones for PDFs left out), newest first. */
export async function listShares(sql: postgres.Sql, ws: string): Promise<ShareInfo[]> {
  const rows =
    await sql`SELECT * FROM shares WHERE workspace_id = ${ws} AND NOT internal ORDER BY created_at DESC`;
  return rows.map(shareInfo);
}

/** Revokes a live link named by its id, its whole token or its shown prefix. */
export async function revokeShare(
  sql: postgres.Sql,
  workspace: Workspace,
  idOrToken: string,
): Promise<ShareInfo> {
  const text = idOrToken.trim();
  const p = text.slice(0, 10);
  const rows = await sql`SELECT * FROM shares WHERE workspace_id = ${workspace.id} AND revoked_at IS NULL
    AND (id = ${text} OR token_hash = ${hashSecret(text)} OR (length(${p}::text) >= 8 AND starts_with(prefix, ${p})))`;
  if (rows.length === 0)
    throw new UserError(
      `no live share link ${text.slice(0, 36)} in workspace ${workspace.slug} (see \`share list\`)`,
      {},
      404,
    );
  if (rows.length > 1) throw new UserError(`${p} names ${rows.length} links; give the id`, { field: 'id' });
  const r = rows[0] as Row;
  const at = new Date();
  await sql`UPDATE shares SET revoked_at = ${at} WHERE id = ${String(r.id)}`;
  return { ...shareInfo(r), revokedAt: at };
}

/** Drops an internal link at once (a rendered PDF no longer needs it). */
export async function deleteShare(sql: postgres.Sql, ws: string, id: string): Promise<void> {
  await sql`DELETE FROM shares WHERE workspace_id = ${ws} AND id = ${id} AND internal`;
}

/** The id, workspace and board of a live token (not revoked, not expired), or null. */
export async function findShare(
  sql: postgres.Sql,
  token: string,
  toWorkspace: (r: Row) => Workspace,
): Promise<FoundShare | null> {
  if (!token.startsWith(SHARE_PREFIX) || !isPlausibleKey(token)) return null;
  const [r] = await sql`SELECT w.*, s.id AS share_id, s.board AS share_board
    FROM shares s JOIN workspaces w ON w.id = s.workspace_id
    WHERE s.token_hash = ${hashSecret(token)} AND s.revoked_at IS NULL
      AND (s.expires_at IS NULL OR s.expires_at > ${new Date()})`;
  return r
    ? { id: String(r.share_id), board: String(r.share_board) as ShareBoard, workspace: toWorkspace(r) }
    : null;
}

export async function getReportSettings(sql: postgres.Sql, ws: string): Promise<StoredReportSettings | null> {
  const [r] = await sql`SELECT * FROM report_settings WHERE workspace_id = ${ws}`;
  if (!r) return null;
  return {
    settings: reportSettingsSchema.parse(r.settings),
    lastSentAt: (r.last_sent_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
  };
}

export async function putReportSettings(
  sql: postgres.Sql,
  ws: string,
  settings: ReportSettings,
): Promise<void> {
  await sql`INSERT INTO report_settings VALUES (${ws}, ${sql.json(settings as postgres.JSONValue)}, NULL, ${new Date()})
    ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`;
}

export async function markReportSent(sql: postgres.Sql, ws: string, at: Date): Promise<void> {
  await sql`UPDATE report_settings SET last_sent_at = ${at} WHERE workspace_id = ${ws}`;
}
