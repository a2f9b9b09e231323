import { basename, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import {
  IMPORT_KINDS,
  type ImportKind,
  type ImportProgress,
  type ImportResult,
  type ImportSummary,
  importFile,
  PRESETS,
  runImport,
  warningLines,
} from '../../ingest/import/index.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

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
    .argument('<file>', 'a .csv/.tsv or .ndjson/.jsonl file')
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
      const { ws } = await openWorkspace(rt, o.workspace);
      const file = await importFile(resolve(path), { name: basename(path) });
      const result = await runImport(ws, {
        kind: kind as ImportKind,
        file,
        preset: o.preset ?? null,
        skipInvalid: o.skipInvalid === true,
        keepIssues: LISTED,
        ...(rt.isTTY && !rt.inServer && process.stderr.isTTY ? { progress: progressBar() } : {}),
      });
      listIssues(rt, path, result);
      const s = result.summary;
      if (!result.committed) {
        throw new UserError(
          `${s.rejected} of ${s.rows} rows are invalid; nothing was imported (fix them, or use --skip-invalid)`,
          { file: path },
        );
      }
      if (s.rejected) rt.err(`${s.rejected} invalid rows skipped, written to ${s.rejects_file}\n`);
      for (const line of warningLines(path, s.warnings)) rt.err(`${line}\n`);
      if (s.conflicts) {
        rt.err(
          `${s.conflicts} ${kind} rows were already stored with other values and were kept as stored (docs/imports.md)\n`,
        );
      }
      rt.out(render(format, s, [tableRow(s)]));
    });
}

/** `file:line: column: reason` per bad row (the first ones), then how many more there are. */
function listIssues(rt: Runtime, path: string, r: ImportResult): void {
  if (r.issues.length === 0) return;
  const byLine = new Map<number, string[]>();
  for (const i of r.issues) {
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
  const more = r.summary.rejected - shown;
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
