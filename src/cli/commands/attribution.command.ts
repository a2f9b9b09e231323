import type { Command } from 'commander';
import {
  attributePaths,
  isModelId,
  MODEL_IDS,
  type ModelId,
  readPathFile,
  validateAttributionOptions,
} from '../../attribution/index.js';
import { attributeAllModels, attributeWorkspace } from '../../attribution/workspace.attribution.js';
import { CONVERSIONS, type Conversion } from '../../attribution/workspace.journeys.js';
import { UserError } from '../../core/errors.js';
import { addDays, today } from '../../core/time.js';
import { allModelsTable, attributionTable } from '../attribution.report.js';
import { render, renderTable } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

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
      const all = o.model === 'all';
      if (!all && !isModelId(o.model))
        throw new UserError(`--model must be one of ${MODEL_IDS.join(', ')}, or all`, { field: '--model' });
      const model = o.model as ModelId;
      const order = int(o.order, '--order');
      const halfLifeDays = int(o.halfLife, '--half-life');
      const nulls = o.nulls as 'include' | 'exclude';
      if (o.by !== 'channel' && o.by !== 'campaign')
        throw new UserError('--by must be channel or campaign', { field: '--by' });
      if (o.paths) {
        const table = await readPathFile(o.paths, { sep: o.sep });
        const models = all ? MODEL_IDS : [model];
        const results = models.map((m) => {
          const opts = { model: m, order, nulls, halfLifeDays };
          validateAttributionOptions(opts);
          return attributePaths(table, opts);
        });
        if (!all) {
          const r = results[0];
          if (r) rt.out(render(format, r, r.rows as unknown as Record<string, unknown>[]));
          return;
        }
        const channels = [...new Set(results.flatMap((r) => r.rows.map((x) => x.channel)))].sort();
        const credit = (r: (typeof results)[number], channel: string, k: 'conversions' | 'value') =>
          Math.round((r.rows.find((x) => x.channel === channel)?.[k] ?? 0) * 100) / 100;
        const rows = channels.map((channel) => ({
          channel,
          ...Object.fromEntries(results.map((r) => [r.model, credit(r, channel, 'conversions')])),
          ...Object.fromEntries(results.map((r) => [`${r.model}_value`, credit(r, channel, 'value')])),
        }));
        if (format !== 'table') {
          rt.out(render(format, { models: results }, rows));
          return;
        }
        // Side by side, conversions and value are two tables: one of 23 columns would not fit.
        const side = (k: 'conversions' | 'value') =>
          channels.map((channel) => ({
            channel,
            ...Object.fromEntries(results.map((r) => [r.model, credit(r, channel, k)])),
          }));
        rt.out(
          `Conversions credited per model\n${renderTable(side('conversions'))}\nValue credited per model\n${renderTable(side('value'))}`,
        );
        return;
      }
      const { ws } = await openWorkspace(rt, o.workspace);
      const to = o.to ?? today(ws.workspace.timezone);
      const from = o.from ?? addDays(to, -364);
      const common = {
        conversion: o.conversion as Conversion,
        from,
        to,
        lookbackDays: int(o.lookback, '--lookback'),
        by: o.by,
        account: o.account === true,
        order,
        nulls,
        halfLifeDays,
      } as const;
      const currency = ws.workspace.currency;
      if (all) {
        const r = await attributeAllModels(ws, common);
        rt.out(format === 'table' ? allModelsTable(r, currency) : render(format, r, r.table));
        return;
      }
      const r = await attributeWorkspace(ws, model, common);
      rt.out(format === 'table' ? attributionTable(r, currency) : render(format, r, r.rows));
    });
}
