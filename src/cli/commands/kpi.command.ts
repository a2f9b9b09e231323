import type { Command } from 'commander';
import { today } from '../../core/time.js';
import { KPI_CATALOG } from '../../metrics/kpi.catalog.js';
import { runKpi } from '../../metrics/kpi.query.js';
import type { Breakdown } from '../../metrics/measures.js';
import type { Grain } from '../../metrics/periods.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

export function registerKpi(program: Command, rt: Runtime): void {
  const kpi = program
    .command('kpi')
    .description("a KPI's values (`kpi ID --from --to`), or `kpi list` for the catalog")
    .argument('<id>', 'KPI id, or "list"')
    .option('--from <date>', 'first day, YYYY-MM-DD (inclusive, workspace time zone)')
    .option('--to <date>', 'last day, YYYY-MM-DD (inclusive)')
    .option('--grain <grain>', 'day|week|month|quarter|year|total', 'total')
    .option('--by <dimension>', 'channel|source|campaign|market|owner')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv');
  kpi.action(
    async (
      id: string,
      o: { from?: string; to?: string; grain: string; by?: string; workspace: string; format?: string },
    ) => {
      const format = pickFormat(rt, o.format);
      if (id === 'list') {
        const { ws } = await openWorkspace(rt, o.workspace).catch(() => ({ ws: null }));
        const custom = ws ? await ws.listCustomKpis() : [];
        const rows = [
          ...KPI_CATALOG.map((d) => ({
            id: d.id,
            family: d.family,
            unit: d.unit,
            better: d.direction,
            definition: d.definition,
          })),
          ...custom.map((c) => ({
            id: c.id,
            family: 'custom',
            unit: c.unit,
            better: c.direction,
            definition: c.formula,
          })),
        ];
        rt.out(render(format, { kpis: rows.map((r) => ({ ...r, direction: r.better })) }, rows));
        return;
      }
      const { ws } = await openWorkspace(rt, o.workspace);
      const to = o.to ?? today(ws.workspace.timezone);
      const from = o.from ?? `${to.slice(0, 4)}-01-01`;
      const result = await runKpi(ws, {
        kpi: id,
        from,
        to,
        grain: o.grain as Grain,
        by: o.by as Breakdown | undefined,
      });
      rt.out(render(format, result, result.rows));
    },
  );
}
