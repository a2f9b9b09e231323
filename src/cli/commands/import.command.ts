import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import {
  IMPORT_KINDS,
  type ImportProgress,
  type ImportSummary,
  PRESETS,
  type RowIssue,
  warningLines,
} from '../../ingest/import/index.js';
import { importAnswer, importData } from '../../usecases/imports.usecase.js';
import { onWorkspace, Refusal, stdinBytes } from '../backend.js';
import { render } from '../format.js';
import { inputName } from '../plan.files.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface ImportOptions {
  preset?: string;
  skipInvalid?: boolean;
  workspace: string;
  format?: string;
}

/** Bad rows listed on stderr; every one is counted. */
const LISTED = 50;

/**
 * `import KIND FILE [--preset NAME] [--skip-invalid]` (docs/imports.md).
 *
 * @example
 * northstar import contacts hubspot.csv --preset hubspot-contacts --workspace acme
 */
export function registerImport(program: Command, rt: Runtime): void {
  program
    .command('import')
    .description('imports a CSV or NDJSON file; a file with any invalid row imports nothing')
    .argument('<kind>', IMPORT_KINDS.join('|'))
    .argument(
      '<file>',
      'a .csv/.tsv or .ndjson/.jsonl file (another name: NDJSON for events, CSV otherwise); - reads stdin',
    )
    .option('--preset <name>', `read a tool's export: ${PRESETS.map((p) => p.name).join(', ')}`)
    .option('--skip-invalid', 'import the valid rows; write the bad ones to FILE.rejects.csv')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (kind: string, path: string, o: ImportOptions) => {
      if (!(IMPORT_KINDS as readonly string[]).includes(kind))
        throw new UserError(`KIND must be one of ${IMPORT_KINDS.join(', ')}, got "${kind}"`, {
          field: 'KIND',
        });
      const format = pickFormat(rt, o.format);
      const name = inputName(path);
      const fields = {
        name: path === '-' ? undefined : basename(path),
        preset: o.preset,
        skip_invalid: o.skipInvalid ? 'true' : undefined,
      };
      const outcome = await onWorkspace(
        rt,
        o.workspace,
        async (ws) => {
          const file = await localFile(rt, path);
          try {
            const r = await importData(
              ws,
              {
                kind,
                path: file.path,
                name: file.name,
                preset: o.preset ?? null,
                skipInvalid: o.skipInvalid === true,
                ...(path === '-' ? { rejectsPath: null } : {}),
                keepIssues: LISTED,
              },
              rt.isTTY && !rt.inServer && process.stderr.isTTY ? { progress: progressBar() } : {},
            );
            const answer = importAnswer(r);
            if (answer.status === 400) throw new Refusal(answer.body.error, {}, 400, answer.body);
            return answer.body;
          } finally {
            file.dispose();
          }
        },
        { method: 'POST', path: `/api/v1/import/${kind}`, upload: { file: path, fields } },
      ).then(
        ({ errors, ...summary }) => ({ committed: true, summary: summary as ImportSummary, issues: errors }),
        (e: unknown) => {
          // A file with invalid rows is refused with them (here or by the server): they are listed.
          const b = e instanceof Refusal ? e.body : null;
          if (b && Array.isArray(b.errors) && typeof b.invalid === 'number')
            return {
              committed: false,
              summary: { rows: b.rows as number, rejected: b.invalid } as ImportSummary,
              issues: b.errors as RowIssue[],
            };
          throw e;
        },
      );
      listIssues(rt, name, outcome.issues, outcome.summary.rejected);
      const s = outcome.summary;
      if (!outcome.committed) {
        throw new UserError(
          `${s.rejected} of ${s.rows} rows are invalid; nothing was imported (fix them, or use --skip-invalid)`,
          { file: name },
        );
      }
      if (s.rejected)
        rt.err(
          `${s.rejected} invalid rows skipped${s.rejects_file ? `, written to ${s.rejects_file}` : ''}\n`,
        );
      for (const line of warningLines(name, s.warnings)) rt.err(`${line}\n`);
      if (s.conflicts) {
        rt.err(
          `${s.conflicts} ${kind} rows were already stored with other values and were kept as stored (docs/imports.md)\n`,
        );
      }
      rt.out(render(format, s, [tableRow(s)]));
    });
}

/** The file to import here: the one named, or standard input spooled to a private temporary file. */
async function localFile(
  rt: Runtime,
  path: string,
): Promise<{ path: string; name: string | null; dispose(): void }> {
  if (path !== '-') return { path: resolve(path), name: basename(path), dispose: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'ns-stdin-'));
  const file = join(dir, 'stdin');
  writeFileSync(file, await stdinBytes(rt), { mode: 0o600 });
  return { path: file, name: 'stdin', dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `file:line: column: reason` per bad row (the first ones), then how many more there are. */
function listIssues(rt: Runtime, path: string, issues: readonly RowIssue[], rejected: number): void {
  if (issues.length === 0) return;
  const byLine = new Map<number, string[]>();
  for (const i of issues) {
    const list = byLine.get(i.line) ?? [];
    list.push(`${i.column}: ${i.reason}`);
    byLine.set(i.line, list);
  }
  let shown = 0;
  for (const [line, problems] of byLine) {
    if (shown === LISTED) break;
    rt.err(`${path}:${line}: ${problems.join('; ')}\n`);
    shown++;
  }
  const more = rejected - shown;
  if (more > 0) rt.err(`… and ${more} more invalid rows\n`);
}

/** The columns that mean something for the kind. */
function tableRow(s: ImportSummary): Record<string, unknown> {
  const row: Record<string, unknown> = {
    kind: s.kind,
    rows: s.rows,
    imported: s.imported,
    updated: s.updated,
    skipped: s.skipped,
    rejected: s.rejected,
  };
  if (s.kind === 'spend' || s.kind === 'social') row.conflicts = s.conflicts;
  if (s.kind === 'contacts' || s.kind === 'deals' || s.kind === 'events') row.history = s.history;
  if (s.kind === 'contacts' || s.kind === 'deals') row.unmapped_stages = s.unmapped_stages;
  if (s.kind === 'contacts') row.linked_deals = s.linked_deals;
  if (s.kind === 'deals') row.unlinked_deals = s.unlinked_deals;
  if (s.kind === 'events') {
    row.sessions = s.sessions;
    row.identities = s.identities;
    row.contacts = s.contacts;
  }
  row.seconds = s.seconds;
  return row;
}

/** A progress bar on stderr with rows/s, one per pass. */
function progressBar(): ImportProgress {
  const bar = new cliProgress.SingleBar(
    {
      format: 'import {phase} {bar} {percentage}% | {rows} rows | {rate} rows/s | {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = Date.now();
  let running = false;
  let last = 0;
  return {
    phase(phase, totalBytes) {
      if (running) bar.stop();
      started = Date.now();
      bar.start(Math.max(totalBytes, 1), 0, { phase, rows: 0, rate: 0 });
      running = true;
    },
    update(bytes, rows) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const rate = Math.round(rows / Math.max((now - started) / 1000, 0.001));
      bar.update(bytes, { rows, rate });
    },
    done() {
      if (running) bar.stop();
      running = false;
    },
  };
}
