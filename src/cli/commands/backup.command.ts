import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { secureDataDir } from '../../store/data.dir.js';
import { DuckDbStore } from '../../store/duckdb/duckdb.store.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

/** Row counts of every workspace in a store, for a backup or restore to report. */
async function counts(store: DuckDbStore | Awaited<ReturnType<Runtime['store']>>) {
  const rows: Array<Record<string, unknown>> = [];
  for (const w of await store.listWorkspaces())
    rows.push({ workspace: w.slug, ...(await store.forWorkspace(w).counts()) });
  return rows;
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
      const store = await rt.store();
      const path = resolve(file);
      const t = Date.now();
      const { bytes } = await store.backup(path);
      const rows = await counts(store);
      const summary = { file: path, bytes, seconds: (Date.now() - t) / 1000, workspaces: rows };
      if (pickFormat(rt, o.format) === 'table')
        rt.err(
          `backed up to ${path} (${bytes.toLocaleString('en-US')} bytes) in ${summary.seconds.toFixed(1)} s\n`,
        );
      rt.out(render(pickFormat(rt, o.format), summary, rows));
    });

  program
    .command('restore')
    .description('a backup FILE as the database of a new, empty data directory (--data DIR)')
    .argument('<file>', 'a file written by `northstar backup`')
    .option('--format <format>', 'table|json|csv')
    .action(async (file: string, o: { format?: string }) => {
      if (rt.inServer)
        throw new UserError('restore into a data directory no server is running on (--data DIR)');
      const from = resolve(file);
      if (!existsSync(from) || !statSync(from).isFile())
        throw new UserError(`no backup file at ${from}`, { file: from });
      const target = join(rt.dataDir, 'northstar.duckdb');
      if (existsSync(target))
        throw new UserError(
          `${rt.dataDir} holds a database already; restore into a new data directory (--data DIR)`,
          {
            field: '--data',
          },
        );
      secureDataDir(rt.dataDir);
      copyFileSync(from, target);
      secureDataDir(rt.dataDir);
      // Opening it checks it is a Northstar database and brings it to this version's schema.
      const store = await DuckDbStore.open(target);
      try {
        const { applied } = await store.migrate();
        const rows = await counts(store);
        rt.out(
          render(
            pickFormat(rt, o.format),
            { file: from, data: rt.dataDir, migrations: applied, workspaces: rows },
            rows,
          ),
        );
      } finally {
        await store.close();
      }
    });
}
