import type { Command } from 'commander';
import { isUserError } from '../../core/errors.js';
import { KPI_BY_ID, UNITS } from '../../metrics/kpi.catalog.js';
import type { KpiResult } from '../../metrics/kpi.query.js';
import { defaultRange, defineKpi, funnel, listKpis, queryKpi } from '../../usecases/kpis.usecase.js';
import { infoOf, onWorkspace } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface KpiOptions {
  from?: string;
  to?: string;
  grain: string;
  by?: string;
  workspace: string;
  format?: string;
  formula?: string;
  name?: string;
  unit: string;
  direction: string;
  description?: string;
}

/** `kpi list`, `kpi ID --from --to`, `kpi define ID --formula F`, `funnel`. */
export function registerKpi(program: Command, rt: Runtime): void {
  program
    .command('kpi')
    .description(
      "a KPI's values (`kpi ID --from --to`), `kpi list` for the catalog, `kpi define ID --formula F` for your own",
    )
    .argument('<id>', 'KPI id, "list" or "define"')
    .argument('[newId]', 'with define: the id of your KPI (lowercase letters, digits, underscores)')
    .option('--from <date>', 'first day, YYYY-MM-DD (inclusive, workspace time zone; default 1 January)')
    .option('--to <date>', 'last day, YYYY-MM-DD (inclusive; default today)')
    .option('--grain <grain>', 'day|week|month|quarter|year|total', 'total')
    .option('--by <dimension>', 'channel|source|campaign|market|owner')
    .option(
      '--formula <formula>',
      'with define: e.g. "revenue / customers" over base measures and catalog KPIs',
    )
    .option('--name <name>', 'with define: display name')
    .option('--unit <unit>', `with define: ${UNITS.join('|')}`, 'ratio')
    .option('--direction <d>', 'with define: higher|lower (which is better)', 'higher')
    .option('--description <text>', 'with define: a one-line definition')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (id: string, newId: string | undefined, o: KpiOptions) => {
      const format = pickFormat(rt, o.format);
      if (id === 'list') {
        const list = await onWorkspace(rt, o.workspace, (ws) => listKpis(ws), {
          method: 'GET',
          path: '/api/v1/kpis',
        }).catch(
          // No database or no such workspace yet: the catalog alone, with no server either.
          (e: unknown) => {
            if (isUserError(e) && !rt.server) return listKpis(null);
            throw e;
          },
        );
        const rows = list.kpis.map((k) => ({
          id: k.id,
          family: k.family,
          unit: k.unit,
          better: k.direction,
          definition: k.definition,
        }));
        rt.out(render(format, list, rows));
        return;
      }
      if (id === 'define') {
        const input = {
          formula: o.formula,
          name: o.name,
          unit: o.unit,
          direction: o.direction,
          description: o.description,
        };
        const row = await onWorkspace(
          rt,
          o.workspace,
          (ws) => defineKpi(ws, { id: newId, ...input }, 'cli'),
          {
            method: 'PUT',
            path: `/api/v1/kpis/${encodeURIComponent(newId ?? '')}`,
            body: input,
          },
        );
        rt.out(render(format, row, [row]));
        return;
      }
      const info = o.from && o.to && format !== 'table' ? null : await infoOf(rt, o.workspace);
      const { from, to } = info ? defaultRange(info.timezone, o.from, o.to) : { from: o.from, to: o.to };
      const input = { kpi: id, from, to, grain: o.grain, by: o.by };
      const result = await onWorkspace<KpiResult>(rt, o.workspace, (ws) => queryKpi(ws, input), {
        method: 'GET',
        path: `/api/v1/kpis/${encodeURIComponent(id)}`,
        query: { from, to, grain: o.grain, by: o.by },
      });
      const grain = result.grain === 'total' ? '' : `, by ${result.grain}`;
      const by = result.by ? `, per ${result.by}` : '';
      rt.out(
        render(format, result, result.rows, undefined, {
          kinds: { value: result.unit },
          currency: info?.currency,
          caption: `${kpiTitle(id)}, ${result.from} to ${result.to}${grain}${by}`,
        }),
      );
    });

  program
    .command('funnel')
    .description(
      'visit → lead → MQL → SQL → opportunity → customer: counts, stage conversion, median days in stage',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (default 1 January)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default today)')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { from?: string; to?: string; workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { from: o.from, to: o.to };
      const r = await onWorkspace(rt, o.workspace, (ws) => funnel(ws, input), {
        method: 'GET',
        path: '/api/v1/funnel',
        query: input,
      });
      rt.out(
        render(format, r, r.stages, undefined, {
          kinds: { count: 'count', conversion: 'ratio', median_days: 'days' },
          caption: `Funnel, ${r.from} to ${r.to} (conversion: from the stage before)`,
        }),
      );
    });
}

/** `Revenue (revenue)` for a catalog KPI, the id for one of the workspace's own. */
function kpiTitle(id: string): string {
  const def = KPI_BY_ID.get(id);
  return def ? `${def.name} (${id})` : id;
}
