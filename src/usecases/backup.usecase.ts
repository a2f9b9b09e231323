/**
 * Backups: a consistent snapshot of the whole database while it serves, and restoring one into a new
 * data directory (`backup`, `restore`, `POST /api/v1/backups`). docs/operations.md says how the CLI
 * gets a snapshot from a running server.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { secureDataDir } from '../store/data.dir.js';
import { DuckDbStore } from '../store/duckdb/duckdb.store.js';
import type { Store } from '../store/store.js';

/** Row counts of every workspace in a store. */
async function counts(store: Store): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const w of await store.listWorkspaces())
    rows.push({ workspace: w.slug, ...(await store.forWorkspace(w).counts()) });
  return rows;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  seconds: number;
  workspaces: Array<Record<string, unknown>>;
}

/**
 * Writes a consistent copy of the database to `path` (absolute; must not exist).
 *
 * @example
 * await backup(store, { path: '/backups/ns-2026-12-03.duckdb' }); // { file, bytes, seconds, workspaces: [...] }
 */
export async function backup(store: Store, input: { path: string }): Promise<BackupSummary> {
  const t = Date.now();
  const { bytes } = await store.backup(input.path);
  const rows = await counts(store);
  return { file: input.path, bytes, seconds: (Date.now() - t) / 1000, workspaces: rows };
}

/**
 * A backup file as the database of a new, empty data directory, brought to this version's schema.
 *
 * @example
 * await restore({ file: '/backups/ns.duckdb', dataDir: '/srv/northstar-new' });
 */
export async function restore(input: {
  file: string;
  dataDir: string;
}): Promise<{ file: string; data: string; migrations: unknown; workspaces: Array<Record<string, unknown>> }> {
  const from = input.file;
  if (!existsSync(from) || !statSync(from).isFile())
    throw new UserError(`no backup file at ${from}`, { file: from });
  const target = join(input.dataDir, 'northstar.duckdb');
  if (existsSync(target))
    throw new UserError(
      `${input.dataDir} holds a database already; restore into a new data directory (--data DIR)`,
      {
        field: '--data',
      },
    );
  secureDataDir(input.dataDir);
  copyFileSync(from, target);
  secureDataDir(input.dataDir);
  // Opening it checks it is a Northstar database and brings it to this version's schema.
  const store = await DuckDbStore.open(target);
  try {
    const { applied } = await store.migrate();
    return { file: from, data: input.dataDir, migrations: applied, workspaces: await counts(store) };
  } finally {
    await store.close();
  }
}
