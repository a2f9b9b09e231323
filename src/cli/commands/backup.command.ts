import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { type BackupSummary, backup, restore } from '../../usecases/backup.usecase.js';
import { send } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

/**
 * A snapshot written here, or, while a server holds the database, written by the server in its data
 * directory and streamed to `path` (docs/operations.md).
 */
async function snapshot(rt: Runtime, path: string): Promise<BackupSummary> {
  if (existsSync(path)) throw new UserError(`${path} exists already; name a new file`, { file: path });
  if (!rt.server) return backup(await rt.store(), { path });
  const made = (await (
    await send(rt, null, { method: 'POST', path: '/api/v1/backups' })
  ).json()) as BackupSummary & {
    id: string;
  };
  const res = await send(rt, null, { method: 'GET', path: `/api/v1/backups/${made.id}` });
  if (!res.body) throw new Error('the server sent no snapshot');
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  const { id: _id, ...summary } = made;
  return { ...summary, file: path };
}

/** `backup FILE` (a consistent copy while the server runs) and `restore FILE` (into a new data directory). */
export function registerBackup(program: Command, rt: Runtime): void {
  program
    .command('backup')
    .description(
      'a consistent copy of the whole database to FILE, also while the server runs and takes events',
    )
    .argument('<file>', 'the backup file to write (must not exist)')
    .option('--format <format>', 'table|json|csv')
    .action(async (file: string, o: { format?: string }) => {
      const format = pickFormat(rt, o.format);
      const summary = await snapshot(rt, resolve(file));
      if (format === 'table')
        rt.err(
          `backed up to ${summary.file} (${summary.bytes.toLocaleString('en-US')} bytes) in ${summary.seconds.toFixed(1)} s\n`,
        );
      rt.out(render(format, summary, summary.workspaces));
    });

  program
    .command('restore')
    .description('a backup FILE as the database of a new, empty data directory (--data DIR)')
    .argument('<file>', 'a file written by `northstar backup`')
    .option('--format <format>', 'table|json|csv')
    .action(async (file: string, o: { format?: string }) => {
      if (rt.server)
        throw new UserError('restore into a data directory no server is running on (--data DIR)');
      const r = await restore({ file: resolve(file), dataDir: rt.dataDir });
      rt.out(render(pickFormat(rt, o.format), r, r.workspaces));
    });
}
