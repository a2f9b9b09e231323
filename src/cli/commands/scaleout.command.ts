import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { copyWorkspaces } from '../../store/copy.js';
import { DuckDbStore } from '../../store/duckdb/duckdb.store.js';
import { engineUrls, openScaleOut } from '../../store/open.store.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

/**
 * `migrate` (the DuckDB file, or PostgreSQL and ClickHouse with --meta/--events) and `copy` (workspaces
 * from the DuckDB file to PostgreSQL + ClickHouse, with a progress bar, then every table counted on
 * both sides). docs/scale-out.md.
 */
export function registerScaleOut(program: Command, rt: Runtime): void {
  program
    .command('migrate')
    .description(
      'apply pending schema migrations: the DuckDB file, or --events/--meta (env NORTHSTAR_EVENTS/_META)',
    )
    .option(
      '--events <url>',
      'the ClickHouse event store (clickhouse://host:8123/db[?cluster=NAME&shards=h2:8123])',
    )
    .option('--meta <url>', 'the PostgreSQL metadata store (postgres://user@host:5432/db)')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { events?: string; meta?: string; format?: string }) => {
      const split = await openScaleOut(engineUrls(o));
      let applied: string[];
      if (split) {
        try {
          applied = (await split.migrate()).applied;
        } finally {
          await split.close();
        }
      } else {
        // rt.store() applies DuckDB's migrations as it opens; a second call reports none pending.
        applied = (await (await rt.store()).migrate()).applied;
      }
      const rows = applied.map((m) => ({ migration: m }));
      if (pickFormat(rt, o.format) === 'table' && !rows.length)
        rt.err('nothing to migrate: the schema is current\n');
      rt.out(render(pickFormat(rt, o.format), { applied }, rows));
    });

  program
    .command('copy')
    .description(
      'copy workspaces from the DuckDB file to ClickHouse (--to) and PostgreSQL (--meta-to), then verify counts',
    )
    .requiredOption('--to <url>', 'the ClickHouse event store (clickhouse://host:8123/db)')
    .requiredOption('--meta-to <url>', 'the PostgreSQL metadata store (postgres://user@host:5432/db)')
    .option('-w, --workspace <slug>', 'only this workspace (default: all)')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { to: string; metaTo: string; workspace?: string; format?: string }) => {
      const source = await rt.store();
      if (!(source instanceof DuckDbStore))
        throw new UserError(
          'copy reads the DuckDB file itself: stop the server (`northstar serve`) and unset NORTHSTAR_EVENTS and NORTHSTAR_META first',
        );
      const bar =
        rt.isTTY || process.stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                format: 'copy {bar} {percentage}% | {value}/{total} rows | {table}',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let started = false;
      const checks = await copyWorkspaces(
        source,
        { events: o.to, meta: o.metaTo },
        o.workspace ? [o.workspace] : null,
        (p) => {
          if (!started) bar?.start(p.total, 0, { table: p.table });
          started = true;
          bar?.update(p.done, { table: `${p.workspace}.${p.table}` });
        },
      );
      bar?.stop();
      const rows = checks.map((c) => ({ ...c, ok: c.source === c.target }));
      rt.out(render(pickFormat(rt, o.format), { ok: rows.every((r) => r.ok), tables: rows }, rows));
      const bad = rows.filter((r) => !r.ok);
      if (bad.length)
        throw new UserError(
          `counts differ after the copy: ${bad.map((b) => `${b.workspace}.${b.table} ${b.source} → ${b.target}`).join(', ')}`,
        );
    });
}
