/** A board as PDF or PNG, rendered from its share view with a short-lived internal share link. */
import type { ShareBoard } from '../domain/share.js';
import { renderBoardPdf } from '../report/pdf.js';
import type { WorkspaceStore } from '../store/store.js';
import { parseBoard } from './shares.usecase.js';

/** How long the internal link a render uses may live (it is deleted as soon as the render ends). */
const INTERNAL_LINK_MS = 3 * 60_000;

export interface BoardFileInput {
  board: string;
  format?: 'pdf' | 'png';
  period?: string;
  from?: string;
  to?: string;
}

/**
 * The board as a file, rendered by Chromium on the server at `baseUrl` (this process's own address).
 *
 * @example
 * const { bytes, name } = await boardFile(ws, { board: 'sales' }, 'http://127.0.0.1:8080'); // name: 'demo-sales.pdf'
 */
export async function boardFile(
  ws: WorkspaceStore,
  input: BoardFileInput,
  baseUrl: string,
): Promise<{ bytes: Buffer; name: string; type: string; board: ShareBoard }> {
  const board = parseBoard(input.board, 'board');
  const format = input.format ?? 'pdf';
  const { token, info } = await ws.createShare(board, {
    createdBy: 'export',
    expiresAt: new Date(Date.now() + INTERNAL_LINK_MS),
    internal: true,
  });
  try {
    const bytes = await renderBoardPdf({
      baseUrl,
      token,
      board,
      format,
      ...(input.period ? { period: input.period } : {}),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
    });
    return {
      bytes,
      name: `${ws.workspace.slug}-${board}.${format}`,
      type: format === 'pdf' ? 'application/pdf' : 'image/png',
      board,
    };
  } finally {
    await ws.deleteShare(info.id);
  }
}
