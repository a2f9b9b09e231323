import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildApp } from '../../server/app.js';
import type { Store, WorkspaceStore } from '../../store/store.js';
import { boardFile } from '../../usecases/exports.usecase.js';
import { openWorkspace } from '../../usecases/workspaces.usecase.js';
import { send } from '../backend.js';
import type { Runtime } from '../runtime.js';
import { registerReportSettings } from './report.settings.command.js';

/**
 * Runs `fn` with this process's own server on a loopback port (no server holds the data directory):
 * Chromium renders a board from a server, so one is started for the command and stopped after.
 */
export async function withOwnServer<T>(
  rt: Runtime,
  slug: string,
  fn: (ws: WorkspaceStore, baseUrl: string, store: Store) => Promise<T>,
): Promise<T> {
  const store = await rt.store();
  const ws = await openWorkspace(store, slug);
  const app = await buildApp({ store, dataDir: rt.dataDir });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const a = app.server.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    return await fn(ws, `http://127.0.0.1:${port}`, store);
  } finally {
    await app.close();
  }
}

/** `report pdf|png`, and (report.settings.command.ts) `report settings|send`. */
export function registerReport(program: Command, rt: Runtime): void {
  const report = program.command('report').description('a board as PDF or PNG; the weekly report');
  for (const format of ['pdf', 'png'] as const)
    report
      .command(format)
      .description(`a board as ${format.toUpperCase()}, rendered by Chromium (/usr/bin/chromium)`)
      .requiredOption('--board <board>', 'sales, saas, response or overview')
      .requiredOption('--out <file>', `the ${format.toUpperCase()} file to write`)
      .option(
        '--period <period>',
        'month|quarter|year|last_month|last_quarter|last_year|12m (default quarter)',
      )
      .option('--from <date>', 'with --period custom: first day')
      .option('--to <date>', 'with --period custom: last day')
      .option('--workspace <slug>', 'workspace', 'demo')
      .action(
        async (o: {
          board: string;
          out: string;
          period?: string;
          from?: string;
          to?: string;
          workspace: string;
        }) => {
          const query = { period: o.period, from: o.from, to: o.to };
          let bytes: Buffer;
          if (rt.server) {
            const res = await send(rt, o.workspace, {
              method: 'GET',
              path: `/api/v1/boards/${encodeURIComponent(o.board)}.${format}`,
              query,
            });
            bytes = Buffer.from(await res.arrayBuffer());
          } else {
            const file = await withOwnServer(rt, o.workspace, (ws, baseUrl) =>
              boardFile(ws, { board: o.board, format, ...definedOnly(query) }, baseUrl),
            );
            bytes = file.bytes;
          }
          writeFileSync(resolve(o.out), bytes);
          rt.err(`wrote ${o.out} (${bytes.length} bytes)`);
        },
      );
  registerReportSettings(report, rt, withOwnServer);
}

function definedOnly(q: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}
