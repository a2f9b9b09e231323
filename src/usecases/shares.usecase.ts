/** Read-only share links to a board or the overview: create, list, revoke (`share …`, `/api/v1/shares`). */
import { UserError } from '../core/errors.js';
import { SHARE_BOARDS, type ShareBoard, type ShareInfo } from '../domain/share.js';
import type { WorkspaceStore } from '../store/store.js';

export interface ShareRow {
  id: string;
  prefix: string;
  board: ShareBoard;
  created: string;
  created_by: string;
  revoked: string | null;
}

function row(s: ShareInfo): ShareRow {
  return {
    id: s.id,
    prefix: s.prefix,
    board: s.board,
    created: s.createdAt.toISOString(),
    created_by: s.createdBy,
    revoked: s.revokedAt?.toISOString() ?? null,
  };
}

/** The board a text names, or a UserError listing the boards. */
export function parseBoard(board: string | undefined, field = '--board'): ShareBoard {
  if (board && (SHARE_BOARDS as readonly string[]).includes(board)) return board as ShareBoard;
  throw new UserError(`${field} must be one of ${SHARE_BOARDS.join(', ')}`, { field });
}

/** The path of a link's page on the server (the public URL goes in front). */
export function sharePath(token: string): string {
  return `/share/${token}`;
}

/**
 * A new read-only link to `board`; the token is shown this once (only its SHA-256 is stored).
 *
 * @example
 * await createShare(ws, { board: 'sales' }, 'cli'); // { token: 'ns_s_…', path: '/share/ns_s_…', id, prefix, board: 'sales', … }
 */
export async function createShare(
  ws: WorkspaceStore,
  input: { board: string },
  actor: string,
): Promise<ShareRow & { token: string; path: string }> {
  const board = parseBoard(input.board, 'board');
  const { token, info } = await ws.createShare(board, { createdBy: actor });
  await ws.audit({
    actor,
    action: 'create',
    entity: 'share',
    entityId: info.prefix,
    before: null,
    after: { board },
  });
  return { ...row(info), token, path: sharePath(token) };
}

/**
 * Every link made in the workspace (never a token), newest first, revoked ones with their date.
 *
 * @example
 * await listShares(ws); // { shares: [{ id, prefix: 'ns_s_AbCd', board: 'sales', created, created_by: 'cli', revoked: null }] }
 */
export async function listShares(ws: WorkspaceStore): Promise<{ shares: ShareRow[] }> {
  return { shares: (await ws.listShares()).map(row) };
}

/**
 * Revokes a link by id, whole token or shown prefix: the very next request through it is refused.
 *
 * @example
 * await revokeShare(ws, { id: 'ns_s_AbCd' }, 'ann@x.test'); // { id, prefix, board, revoked: '2026-…', … }
 */
export async function revokeShare(
  ws: WorkspaceStore,
  input: { id: string },
  actor: string,
): Promise<ShareRow> {
  const info = await ws.revokeShare(input.id);
  await ws.audit({
    actor,
    action: 'revoke',
    entity: 'share',
    entityId: info.prefix,
    before: { board: info.board },
    after: null,
  });
  return row(info);
}
