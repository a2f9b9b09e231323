import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  applyScoringRules,
  explain,
  exportScoringRules,
  lintScoringRules,
  recompute,
  sla,
  topScoring,
} from '../../usecases/scoring.usecase.js';
import { onWorkspace } from '../backend.js';
import { render } from '../format.js';
import { inputName, readTextInput, withFileProblems } from '../plan.files.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface Common {
  workspace: string;
  format?: string;
}

/** `score rules apply|export|lint`, `score recompute|explain|top|sla`: lead scoring (docs/scoring.md). */
export function registerScore(program: Command, rt: Runtime): void {
  const score = program.command('score').description('lead scoring: rules, scores, lifecycle moves, SLA');
  const common = (c: Command) =>
    c.option('--workspace <slug>', 'workspace', 'demo').option('--format <format>', 'table|json|csv');
  const rules = score.command('rules').description('the scoring rules file: apply, export, lint');

  common(rules.command('apply <file>'))
    .description('check and load a rules file (nothing is loaded from a file with errors)')
    .option('--actor <who>', 'who is applying it, for the audit log', 'cli')
    .action(async (file: string, o: Common & { actor: string }) => {
      const format = pickFormat(rt, o.format);
      const json = await withFileProblems(rt, () =>
        onWorkspace(
          rt,
          o.workspace,
          async (ws) => applyScoringRules(ws, await readTextInput(rt, file), o.actor),
          {
            method: 'PUT',
            path: '/api/v1/scoring/rules',
            upload: { file, fields: { name: inputName(file) } },
          },
        ),
      );
      const res = json;
      if (format === 'table')
        rt.out(
          res.changed
            ? `applied ${json.file}: models ${res.models.join(', ')}; run \`northstar score recompute\` to rescore\n`
            : `no change: ${json.file} is what is stored\n`,
        );
      else rt.out(render(format, json, [{ ...json, models: res.models.join(' ') }]));
    });

  rules
    .command('export')
    .description('write the stored rules as YAML (stdout, or --out FILE)')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (o: { workspace: string; out?: string }) => {
      const { yaml } = await onWorkspace(rt, o.workspace, (ws) => exportScoringRules(ws), {
        method: 'GET',
        path: '/api/v1/scoring/rules',
      });
      if (o.out) writeFileSync(resolve(o.out), yaml);
      else rt.out(yaml);
    });

  common(rules.command('lint <file>'))
    .description('check a rules file against the workspace; exit 1 with every problem and its line')
    .action(async (file: string, o: Common) => {
      const format = pickFormat(rt, o.format);
      const json = await withFileProblems(rt, () =>
        onWorkspace(rt, o.workspace, async (ws) => lintScoringRules(ws, await readTextInput(rt, file)), {
          method: 'POST',
          path: '/api/v1/scoring/rules/lint',
          upload: { file, fields: { name: inputName(file) } },
        }),
      );
      rt.out(render(format, json, json.models));
    });

  common(score.command('recompute'))
    .description('rescore every contact under every model and make the lifecycle moves thresholds call for')
    .action(async (o: Common) => {
      const format = pickFormat(rt, o.format);
      const show = rt.isTTY && !rt.inServer && !rt.server;
      const bar = show
        ? new cliProgress.SingleBar(
            {
              format: 'score {bar} {percentage}% | {value}/{total} contacts',
              hideCursor: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      if (show) rt.err('reading scored events…\n');
      let started = false;
      const onProgress = (done: number, total: number) => {
        if (!bar) return;
        if (!started) {
          bar.start(Math.max(total, 1), 0);
          started = true;
        }
        bar.update(done);
      };
      const res = await onWorkspace(rt, o.workspace, (ws) => recompute(ws, { onProgress }), {
        method: 'POST',
        path: '/api/v1/scoring/recompute',
      });
      bar?.stop();
      rt.out(
        render(
          format,
          res,
          Object.entries(res).map(([key, value]) => ({ key, value })),
        ),
      );
    });

  common(score.command('explain <contact>'))
    .description("a contact's scores rule by rule, and its stage history (CONTACT: id or e-mail)")
    .action(async (contact: string, o: Common) => {
      const format = pickFormat(rt, o.format);
      const e = await onWorkspace(rt, o.workspace, (ws) => explain(ws, { contact }), {
        method: 'GET',
        path: `/api/v1/scoring/contacts/${encodeURIComponent(contact)}`,
      });
      if (format !== 'table') {
        const rows = e.models.flatMap((m) => m.rules.map((r) => ({ model: m.model, ...r })));
        rt.out(render(format, e, rows));
        return;
      }
      rt.out(`${e.contact.id} <${e.contact.email ?? ''}> stage ${e.contact.stage}, as of ${e.as_of}\n`);
      for (const m of e.models) {
        rt.out(
          `\nmodel ${m.model}${m.lifecycle ? ' (lifecycle)' : ''}: score ${m.score} = fit ${m.fit} + behaviour ${m.behaviour}; MQL at ${m.thresholds.mql}, SQL at ${m.thresholds.sql}\n`,
        );
        rt.out(render('table', null, m.rules, ['rule', 'kind', 'points', 'why']));
      }
      rt.out('\nstage history\n');
      rt.out(render('table', null, e.history, ['at', 'stage', 'source', 'score', 'reason']));
    });

  common(score.command('top'))
    .description('the highest scores (of the lifecycle model, or --model)')
    .option('--model <id>', 'a model of the rules')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: Common & { model?: string; limit: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { model: o.model, limit: Number(o.limit) };
      const res = await onWorkspace(rt, o.workspace, (ws) => topScoring(ws, input), {
        method: 'GET',
        path: '/api/v1/scoring/top',
        query: { model: o.model, limit: o.limit },
      });
      rt.out(render(format, res, res.rows));
    });

  common(score.command('sla'))
    .description('the marketing-sales SLA: SQL follow-ups and monthly MQLs, with breaches')
    .option('--from <date>', 'first SQL/MQL day (default: 90 days ago)')
    .option('--to <date>', 'last day (default: today)')
    .option('--breaches', 'list only the SQLs that broke the SLA')
    .action(async (o: Common & { from?: string; to?: string; breaches?: boolean }) => {
      const format = pickFormat(rt, o.format);
      const input = { from: o.from, to: o.to, breaches: o.breaches === true };
      const r = await onWorkspace(rt, o.workspace, (ws) => sla(ws, input), {
        method: 'GET',
        path: '/api/v1/scoring/sla',
        query: input,
      });
      const { sqls, from, to } = { sqls: r.sqls, from: r.from, to: r.to };
      if (format === 'table') {
        rt.out(
          `SLA: SQLs followed up within ${r.sla.sql_follow_up_hours} h (${r.sla.follow_up_events.join(', ')} or a deal); ${r.sla.mqls_per_month ?? 'no'} MQLs a month\n` +
            `${from} .. ${to}: ${r.breaches.sql_follow_up} of ${r.sqls.length} SQLs late, ${r.breaches.mql_months} of ${r.months.length} months short of MQLs\n\n`,
        );
        rt.out(render('table', null, r.months));
        rt.out('\n');
        rt.out(render('table', null, sqls));
      } else rt.out(render(format, r, sqls));
    });
}
