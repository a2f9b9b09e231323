import type { Command } from 'commander';
import { createShare, listShares, revokeShare } from '../../usecases/shares.usecase.js';
import { onWorkspace } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

/** `share create|list|revoke`: read-only links to a board or the overview (docs/dashboard.md). */
export function registerShare(program: Command, rt: Runtime): void {
  const share = program.command('share').description('read-only links to a board: create, list, revoke');
  share
    .command('create')
    .description('a new read-only link (no sign-in) to a board; its token is shown this once')
    .requiredOption('--board <board>', 'sales, saas, response or overview')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { board: string; workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const row = await onWorkspace(rt, o.workspace, (ws) => createShare(ws, { board: o.board }, 'cli'), {
        method: 'POST',
        path: '/api/v1/shares',
        body: { board: o.board },
      });
      const url = rt.server
        ? `http://${rt.server.host.includes(':') ? `[${rt.server.host}]` : rt.server.host}:${rt.server.port}${row.path}`
        : row.path;
      rt.out(render(format, { ...row, url }, [{ ...row, url }]));
    });
  share
    .command('list')
    .description("the workspace's links: id, prefix, board, who made them, revoked (never a token)")
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const r = await onWorkspace(rt, o.workspace, (ws) => listShares(ws), {
        method: 'GET',
        path: '/api/v1/shares',
      });
      rt.out(render(format, r, r.shares));
    });
  share
    .command('revoke <id>')
    .description('revokes a link by id, token or shown prefix; refused from the next request on')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (id: string, o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const row = await onWorkspace(rt, o.workspace, (ws) => revokeShare(ws, { id }, 'cli'), {
        method: 'DELETE',
        path: `/api/v1/shares/${encodeURIComponent(id)}`,
      });
      rt.out(render(format, row, [row]));
    });
}
