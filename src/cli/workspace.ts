import { UserError } from '../core/errors.js';
import type { Store, WorkspaceStore } from '../store/store.js';
import { defaultFormat, FORMATS, type Format } from './format.js';
import type { Runtime } from './runtime.js';

/** The workspace a command names with `--workspace` (default `demo`), or a clear error. */
export async function openWorkspace(
  rt: Runtime,
  slug: string,
): Promise<{ store: Store; ws: WorkspaceStore }> {
  const store = await rt.store();
  const w = await store.getWorkspace(slug);
  if (!w) {
    const known = (await store.listWorkspaces()).map((x) => x.slug);
    throw new UserError(
      `workspace "${slug}" does not exist (${known.length ? `known: ${known.join(', ')}` : 'none yet: run `northstar demo` or `northstar workspace create SLUG`'})`,
      { field: '--workspace' },
    );
  }
  return { store, ws: store.forWorkspace(w) };
}

export function pickFormat(rt: Runtime, f: string | undefined): Format {
  if (f === undefined) return defaultFormat(rt.isTTY);
  if (!(FORMATS as readonly string[]).includes(f))
    throw new UserError(`--format must be one of ${FORMATS.join(', ')}`, { field: '--format' });
  return f as Format;
}
