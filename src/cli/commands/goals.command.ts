import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { LintRow } from '../../goals/smart.js';
import {
  applyGoals,
  checkGoalStatuses,
  checkin,
  checkins,
  exportGoals,
  goalsStatusOf,
  lintFailure,
  lintGoals,
  webhooks,
} from '../../usecases/goals.usecase.js';
import { infoOf, onStore, onWorkspace } from '../backend.js';
import { formatValue, render } from '../format.js';
import { inputName, readTextInput, withFileProblems } from '../plan.files.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface Common {
  workspace: string;
  format?: string;
}

const LETTERS = ['specific', 'measurable', 'achievable', 'relevant', 'time_bound'] as const;

const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? 'ok' : 'FAIL');

/** One row per objective: a mark per letter (ok, FAIL, – for not judged), then why, then warnings. */
function lintTable(rows: readonly LintRow[]): Array<Record<string, unknown>> {
  return rows.map((r) => ({
    id: r.id,
    S: mark(r.smart.specific.ok),
    M: mark(r.smart.measurable.ok),
    A: mark(r.smart.achievable.ok),
    R: mark(r.smart.relevant.ok),
    T: mark(r.smart.time_bound.ok),
    why: [
      ...LETTERS.filter((l) => r.smart[l].ok !== true).map((l) => `${l}: ${r.smart[l].reason}`),
      ...r.warnings.map((w) => `warning: ${w}`),
    ].join(' | '),
  }));
}

/** A plan file (`-`: stdin) as a multipart upload, named as the user named it. */
const upload = (file: string) => ({ file, fields: { name: inputName(file) } });

/** `goals apply|export|lint|status|check|checkin|checkins|webhook`: the goal tree as code, checked and tracked. */
export function registerGoals(program: Command, rt: Runtime): void {
  const goals = program
    .command('goals')
    .description('goals and SMART objectives: apply, export, lint, status');
  const common = (c: Command) =>
    c.option('--workspace <slug>', 'workspace', 'demo').option('--format <format>', 'table|json|csv');

  common(goals.command('apply <file>'))
    .description(
      'load a YAML plan as the goal tree (applying the same plan twice changes nothing; - reads stdin)',
    )
    .option('--actor <who>', 'who is applying it, for the audit log', 'cli')
    .action(async (file: string, o: Common & { actor: string }) => {
      const format = pickFormat(rt, o.format);
      const res = await withFileProblems(rt, () =>
        onWorkspace(rt, o.workspace, async (ws) => applyGoals(ws, await readTextInput(rt, file), o.actor), {
          method: 'PUT',
          path: '/api/v1/goals',
          upload: upload(file),
        }),
      );
      const name = inputName(file);
      if (format === 'table')
        rt.out(
          res.changed
            ? `applied ${name}: ${res.created.length} created, ${res.updated.length} changed, ${res.deleted.length} removed, ${res.unchanged} unchanged\n`
            : `no change: ${name} is what is stored\n`,
        );
      else
        rt.out(
          render(format, res, [
            {
              ...res,
              created: res.created.join(' '),
              updated: res.updated.join(' '),
              deleted: res.deleted.join(' '),
            },
          ]),
        );
    });

  goals
    .command('export')
    .description('write the goal tree as a YAML plan (stdout, or --out FILE)')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (o: { workspace: string; out?: string }) => {
      const { yaml } = await onWorkspace(rt, o.workspace, (ws) => exportGoals(ws), {
        method: 'GET',
        path: '/api/v1/goals/export',
      });
      if (o.out) writeFileSync(resolve(o.out), yaml);
      else rt.out(yaml);
    });

  common(goals.command('lint [file]'))
    .description(
      'SMART check of a YAML plan (or of the stored tree; - reads stdin) against the workspace history; exit 1 if any objective fails',
    )
    .action(async (file: string | undefined, o: Common) => {
      const format = pickFormat(rt, o.format);
      const report = await withFileProblems(rt, () =>
        onWorkspace(
          rt,
          o.workspace,
          async (ws) => lintGoals(ws, file === undefined ? null : await readTextInput(rt, file)),
          file === undefined
            ? { method: 'GET', path: '/api/v1/goals/lint' }
            : { method: 'POST', path: '/api/v1/goals/lint', upload: upload(file) },
        ),
      );
      rt.out(render(format, report, lintTable(report.objectives)));
      const failure = lintFailure(report.objectives, file === undefined ? undefined : inputName(file));
      if (failure) throw failure;
    });

  common(goals.command('status'))
    .description('every objective with progress, expected, forecast and status (as of today, or --as-of)')
    .option('--as-of <date>', 'measure as of this day (YYYY-MM-DD)')
    .action(async (o: Common & { asOf?: string }) => {
      const format = pickFormat(rt, o.format);
      // A look records nothing: `goals check` (and the server, every 15 minutes) records and alerts.
      const report = await onWorkspace(rt, o.workspace, (ws) => goalsStatusOf(ws, { asOf: o.asOf }), {
        method: 'GET',
        path: '/api/v1/goals/status',
        query: { as_of: o.asOf },
      });
      // In a table each figure reads in its KPI's unit ($116,870, 55.5 d, 13); CSV stays raw numbers.
      const cur = format === 'table' ? (await infoOf(rt, o.workspace)).currency : '';
      const shown = (v: number | null, unit: string | null) =>
        format === 'table' && v !== null && unit ? formatValue(v, unit, cur) : v;
      const rows = report.objectives.map((x) => ({
        id: x.id,
        kpi: x.kpi,
        status: x.status,
        progress: x.progress,
        actual: shown(x.actual, x.unit),
        expected: shown(x.expected, x.unit),
        forecast: shown(x.forecast, x.unit),
        target: shown(x.target, x.unit),
        baseline: shown(x.baseline, x.unit),
        due: x.due,
      }));
      const right = ['actual', 'expected', 'forecast', 'target', 'baseline'];
      rt.out(
        render(format, report, rows, undefined, {
          kinds: { progress: 'ratio' },
          caption: `Objectives as of ${report.as_of}`,
          alignRight: right,
        }),
      );
    });

  goals
    .command('check')
    .description(
      "record today's status changes of every workspace's objectives and alert their webhooks (a running server does this every 15 minutes and after writes)",
    )
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { format?: string }) => {
      const format = pickFormat(rt, o.format);
      const r = await onStore(rt, (store) => checkGoalStatuses(store), {
        method: 'POST',
        path: '/api/v1/goals/check',
      });
      rt.out(render(format, r, r.changes));
    });

  common(goals.command('checkin <objective>'))
    .description("record a check-in on an objective (the daily review's note)")
    .requiredOption('--note <text>', 'what happened, what is next')
    .option('--confidence <0..1>', 'how sure the owner is of hitting the target (0.7 = 70 %)')
    .option('--author <who>', 'who writes it (default: the objective owner)')
    .action(async (objective: string, o: Common & { note: string; confidence?: string; author?: string }) => {
      const format = pickFormat(rt, o.format);
      const confidence = o.confidence === undefined ? null : Number(o.confidence);
      if (confidence !== null && Number.isNaN(confidence))
        throw new UserError('--confidence is a number from 0 to 1', { field: '--confidence' });
      const body = { note: o.note, confidence, ...(o.author === undefined ? {} : { author: o.author }) };
      const row = await onWorkspace(rt, o.workspace, (ws) => checkin(ws, { objective, ...body }), {
        method: 'POST',
        path: `/api/v1/goals/${encodeURIComponent(objective)}/checkins`,
        body,
      });
      rt.out(render(format, row, [row]));
    });

  common(goals.command('checkins [objective]'))
    .description('check-ins, newest first (of one objective, or all)')
    .action(async (objective: string | undefined, o: Common) => {
      const format = pickFormat(rt, o.format);
      const r = await onWorkspace(rt, o.workspace, (ws) => checkins(ws, { objective }), {
        method: 'GET',
        path:
          objective === undefined
            ? '/api/v1/checkins'
            : `/api/v1/goals/${encodeURIComponent(objective)}/checkins`,
      });
      rt.out(render(format, r, r.checkins));
    });

  const webhook = goals
    .command('webhook')
    .description('webhook URLs that receive at-risk / off-track alerts');
  const hooks = async (o: Common, change: { add?: string; remove?: string }) => {
    const format = pickFormat(rt, o.format);
    const r = await onWorkspace(rt, o.workspace, (ws) => webhooks(ws, change, 'cli'), {
      method: change.add !== undefined ? 'POST' : change.remove !== undefined ? 'DELETE' : 'GET',
      path: '/api/v1/goals/webhooks',
      ...(change.add !== undefined || change.remove !== undefined
        ? { body: { url: change.add ?? change.remove } }
        : {}),
    });
    rt.out(
      render(
        format,
        r,
        r.webhooks.map((url) => ({ url })),
      ),
    );
  };
  common(webhook.command('add <url>'))
    .description('send alerts to this URL (a Slack incoming webhook, or any JSON endpoint)')
    .action((url: string, o: Common) => hooks(o, { add: url }));
  common(webhook.command('remove <url>'))
    .description('stop sending alerts to this URL')
    .action((url: string, o: Common) => hooks(o, { remove: url }));
  common(webhook.command('list'))
    .description('the URLs alerts go to')
    .action((o: Common) => hooks(o, {}));
}
