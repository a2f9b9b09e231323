/**
 * The data directory holds contacts, deals and key hashes: only its owner may read it. New
 * directories are created 0700; Northstar's own files in it (the database, its WAL, the tracking
 * journal, the server file) lose any group and other bits at open, and the caller says so. Nothing
 * else in the directory is touched, and links are never followed.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What `secureDataDir` changed, for one line in the log. */
export interface ModeFixes {
  dir: string;
  /** The directory's mode before, when others could read or enter it. */
  dirWas: number | null;
  /** Northstar's files and folders inside whose modes were tightened. */
  entries: number;
}

/** Names of what Northstar keeps in a data directory. */
const OWN = /^(northstar\.duckdb(\.wal|\.journal)?|server\.json)$/;

/** Clears group and other bits of a real file or folder (never through a link); true when changed. */
function tighten(path: string): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink() || !(st.isFile() || st.isDirectory())) return false;
  const mode = st.mode & 0o777;
  if ((mode & 0o077) === 0) return false;
  chmodSync(path, mode & ~0o077);
  return true;
}

/**
 * Creates `dir` 0700 if missing; otherwise takes group and other access away from it and from
 * Northstar's files in it (the journal folder with its segments and quarantine).
 *
 * @example
 * const fixes = secureDataDir('./data');
 * const line = describeModeFixes(fixes); // null when nothing changed
 */
export function secureDataDir(dir: string): ModeFixes {
  const fixes: ModeFixes = { dir, dirWas: null, entries: 0 };
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask; an explicit chmod is not.
    chmodSync(dir, 0o700);
    return fixes;
  }
  const was = lstatSync(dir).mode & 0o777;
  if (tighten(dir)) fixes.dirWas = was;
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d)) {
      if (depth === 0 && !OWN.test(name)) continue;
      const p = join(d, name);
      if (tighten(p)) fixes.entries++;
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() && !st.isSymbolicLink() && depth < 2) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  return fixes;
}

/** One line about what was tightened, or null when nothing was. */
export function describeModeFixes(f: ModeFixes): string | null {
  if (f.dirWas === null && f.entries === 0) return null;
  const parts: string[] = [];
  if (f.dirWas !== null)
    parts.push(
      `the directory was ${f.dirWas.toString(8).padStart(4, '0')}, now ${(f.dirWas & ~0o077).toString(8).padStart(4, '0')}`,
    );
  if (f.entries) parts.push(`${f.entries} of its files now readable by their owner only`);
  return `data directory ${f.dir} was readable by other users: ${parts.join('; ')}`;
}
