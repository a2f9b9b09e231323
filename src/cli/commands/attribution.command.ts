import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MODEL_IDS } from '../../attribution/index.js';
import type { AttributionResult } from '../../attribution/types.js';
import { CONVERSIONS } from '../../attribution/workspace.journeys.js';
import { UserError } from '../../core/errors.js';
import { pathAttribution, workspaceAttribution } from '../../usecases/attribution.usecase.js';
import { allModelsTable, attributionTable } from '../attribution.report.js';
import { infoOf, onSelf, onWorkspace, stdinBytes } from '../backend.js';
import { render, renderTable } from '../format.js';
import { inputName } from '../plan.files.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface AttributionCliOptions {
  model: string;
  paths?: string;
  order?: string;
  nulls?: string;
  sep?: string;
  halfLife?: string;
  conversion?: string;
  lookback?: string;
  by?: string;
  from?: string;
  to?: string;
  account?: boolean;
  workspace: string;
  format?: string;
}

function int(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`${field} must be a number`, { field });
  return n;
}

export function registerAttribution(program: Command, rt: Runtime): void {
  program
    .command('attribution')
    .description(
      "credit conversions and revenue to channels or campaigns: over the workspace's journeys, or a path file (--paths)",
    )
    .requiredOption('--model <model>', `${MODEL_IDS.join('|')}|all (side by side)`)
    .option(
      '--paths <file>',
      "a path file in ChannelAttribution's layout (path;total_conversions;total_conversion_value;total_null)",
    )
    .option('--order <k>', 'Markov order, 1 to 4', '1')
    .option('--nulls <mode>', 'Markov: include|exclude non-converting paths', 'include')
    .option('--sep <sep>', 'path file column separator', ';')
    .option('--half-life <days>', 'time_decay half-life in days', '7')
    .option('--conversion <c>', `${CONVERSIONS.join('|')} (value: the deal amount)`, 'deal_won')
    .option(
      '--lookback <days>',
      'touches at most this many days before the conversion (default: the sales cycle, 90th percentile of first touch to conversion, at least 90)',
    )
    .option('--by <dimension>', 'channel|campaign', 'channel')
    .option('--from <date>', 'conversions from this day (default: 364 days before --to)')
    .option('--to <date>', 'conversions up to this day (default: today)')
    .option('--account', 'B2B: a conversion gets the touches of every contact of its company')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: AttributionCliOptions) => {
      const format = pickFormat(rt, o.format);
      const model = {
        model: o.model,
        order: int(o.order, '--order'),
        nulls: o.nulls as 'include' | 'exclude',
        halfLife: int(o.halfLife, '--half-life'),
      };
      if (o.paths) {
        const file = o.paths;
        const query = {
          model: model.model,
          order: model.order,
          nulls: model.nulls,
          half_life: model.halfLife,
          sep: o.sep,
        };
        const r = await onSelf(
          rt,
          o.workspace,
          async () =>
            pathAttribution(
              {
                chunks: file === '-' ? [await stdinBytes(rt)] : createReadStream(resolve(file)),
                name: inputName(file),
                sep: o.sep,
              },
              model,
            ),
          {
            method: 'POST',
            path: '/api/v1/attribution/paths',
            query,
            upload: { file, fields: { name: inputName(file) } },
          },
        );
        rt.out(pathReport(format, r));
        return;
      }
      const input = {
        ...model,
        conversion: o.conversion,
        lookback: int(o.lookback, '--lookback'),
        by: o.by,
        from: o.from,
        to: o.to,
        account: o.account === true,
      };
      const { halfLife, ...rest } = input;
      const r = await onWorkspace(rt, o.workspace, (ws) => workspaceAttribution(ws, input), {
        method: 'GET',
        path: '/api/v1/attribution',
        query: { ...rest, half_life: halfLife },
      });
      if (format !== 'table') {
        rt.out(render(format, r, 'table' in r ? r.table : r.rows));
        return;
      }
      const { currency } = await infoOf(rt, o.workspace);
      rt.out('table' in r ? allModelsTable(r, currency) : attributionTable(r, currency));
    });
}

/** One model's result as it is, or every model's side by side (two tables: 23 columns would not fit). */
function pathReport(
  format: ReturnType<typeof pickFormat>,
  r: AttributionResult | { models: AttributionResult[] },
): string {
  if (!('models' in r)) return render(format, r, r.rows);
  const results = r.models;
  const channels = [...new Set(results.flatMap((x) => x.rows.map((row) => row.channel)))].sort();
  const credit = (x: AttributionResult, channel: string, k: 'conversions' | 'value') =>
    Math.round((x.rows.find((row) => row.channel === channel)?.[k] ?? 0) * 100) / 100;
  const rows = channels.map((channel) => ({
    channel,
    ...Object.fromEntries(results.map((x) => [x.model, credit(x, channel, 'conversions')])),
    ...Object.fromEntries(results.map((x) => [`${x.model}_value`, credit(x, channel, 'value')])),
  }));
  if (format !== 'table') return render(format, r, rows);
  const side = (k: 'conversions' | 'value') =>
    channels.map((channel) => ({
      channel,
      ...Object.fromEntries(results.map((x) => [x.model, credit(x, channel, k)])),
    }));
  return `Conversions credited per model\n${renderTable(side('conversions'))}\nValue credited per model\n${renderTable(side('value'))}`;
}
