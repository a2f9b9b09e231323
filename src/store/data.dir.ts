/**
 * The data directory holds contacts, deals and key hashes: only its owner may read it. New
 * directories are created 0700 and files 0600; an existing directory with looser modes is tightened
 * at open, and the caller says so.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `secureDataDir` changed, for one line in the log. */
export interface ModeFixes {
  dir: string;
  /** The directory's mode before, when it was looser than 0700. */
  dirWas: number | null;
  /** Files and folders inside whose modes were tightened. */
  entries: number;
}

/**
 * Creates `dir` 0700 if missing; otherwise sets it to 0700 and everything in it (one level of
 * sub-folders deep: the tracking journal and its quarantine) to 0600 / 0700.
 *
 * @example
 * const fixes = secureDataDir('./data');
 * if (fixes.dirWas !== null || fixes.entries) log(describeModeFixes(fixes));
 */
export function secureDataDir(dir: string): ModeFixes {
  const fixes: ModeFixes = { dir, dirWas: null, entries: 0 };
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask; an explicit chmod is not.
    chmodSync(dir, 0o700);
    return fixes;
  }
  const mode = statSync(dir).mode & 0o777;
  if (mode !== 0o700) {
    chmodSync(dir, 0o700);
    fixes.dirWas = mode;
  }
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(p);
      } catch {
        continue; // removed meanwhile (a WAL at checkpoint)
      }
      const want = st.isDirectory() ? 0o700 : 0o600;
      if ((st.mode & 0o777) !== want && (st.isDirectory() || st.isFile())) {
        chmodSync(p, want);
        fixes.entries++;
      }
      if (st.isDirectory() && depth < 2) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  return fixes;
}

/** One line about what was tightened, or null when nothing was. */
export function describeModeFixes(f: ModeFixes): string | null {
  if (f.dirWas === null && f.entries === 0) return null;
  const parts: string[] = [];
  if (f.dirWas !== null) parts.push(`the directory was ${f.dirWas.toString(8).padStart(4, '0')}, now 0700`);
  if (f.entries)
    parts.push(`${f.entries} file${f.entries === 1 ? '' : 's'} inside now readable by their owner only`);
  return `data directory ${f.dir} was readable by other users: ${parts.join('; ')}`;
}
