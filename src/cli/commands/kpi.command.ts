import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { today } from '../../core/time.js';
import { KPI_BY_ID, KPI_CATALOG, UNITS } from '../../metrics/kpi.catalog.js';
import { resolveFormula, runKpi } from '../../metrics/kpi.query.js';
import type { Breakdown } from '../../metrics/measures.js';
import type { Grain } from '../../metrics/periods.js';
import type { WorkspaceStore } from '../../store/store.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

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

const FUNNEL = [
  { stage: 'visit', kpi: 'sessions', rate: null, days: null },
  { stage: 'lead', kpi: 'leads', rate: 'visit_to_lead_rate', days: null },
  { stage: 'mql', kpi: 'mqls', rate: 'lead_to_mql_rate', days: 'median_days_lead_to_mql' },
  { stage: 'sql', kpi: 'sqls', rate: 'mql_to_sql_rate', days: 'median_days_mql_to_sql' },
  {
    stage: 'opportunity',
    kpi: 'opportunities',
    rate: 'sql_to_opportunity_rate',
    days: 'median_days_sql_to_opportunity',
  },
  {
    stage: 'customer',
    kpi: 'customers',
    rate: 'opportunity_to_customer_rate',
    days: 'median_days_opportunity_to_customer',
  },
] as const;

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
        // No database or no such workspace yet: the catalog alone. Anything else is an error to show.
        const { ws } = await openWorkspace(rt, o.workspace).catch((e: unknown) => {
          if (e instanceof UserError) return { ws: null };
          throw e;
        });
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
            definition: c.description ?? c.formula,
          })),
        ];
        rt.out(render(format, { kpis: rows.map(({ better, ...r }) => ({ ...r, direction: better })) }, rows));
        return;
      }
      const { ws } = await openWorkspace(rt, o.workspace);
      if (id === 'define') {
        const row = await define(ws, newId, o);
        rt.out(render(format, row, [row]));
        return;
      }
      const to = o.to ?? today(ws.workspace.timezone);
      const from = o.from ?? `${to.slice(0, 4)}-01-01`;
      const result = await runKpi(ws, {
        kpi: id,
        from,
        to,
        grain: o.grain as Grain,
        by: o.by as Breakdown | undefined,
      });
      const grain = result.grain === 'total' ? '' : `, by ${result.grain}`;
      const by = result.by ? `, per ${result.by}` : '';
      rt.out(
        render(format, result, result.rows, undefined, {
          kinds: { value: result.unit },
          currency: ws.workspace.currency,
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
      const { ws } = await openWorkspace(rt, o.workspace);
      const to = o.to ?? today(ws.workspace.timezone);
      const from = o.from ?? `${to.slice(0, 4)}-01-01`;
      const value = async (kpi: string | null) =>
        kpi ? ((await runKpi(ws, { kpi, from, to })).rows[0]?.value ?? null) : null;
      const stages = await Promise.all(
        FUNNEL.map(async (s) => ({
          stage: s.stage,
          count: await value(s.kpi),
          conversion: await value(s.rate),
          median_days: await value(s.days),
        })),
      );
      rt.out(
        render(format, { from, to, stages }, stages, undefined, {
          kinds: { count: 'count', conversion: 'ratio', median_days: 'days' },
          caption: `Funnel, ${from} to ${to} (conversion: from the stage before)`,
        }),
      );
    });
}

/** `Revenue (revenue)` for a catalog KPI, the id for one of the workspace's own. */
function kpiTitle(id: string): string {
  const def = KPI_BY_ID.get(id);
  return def ? `${def.name} (${id})` : id;
}

async function define(ws: WorkspaceStore, id: string | undefined, o: KpiOptions) {
  if (!id || !/^[a-z][a-z0-9_]{1,62}$/.test(id))
    throw new UserError('kpi define needs an id: lowercase letters, digits and underscores', { field: 'id' });
  if (KPI_BY_ID.has(id)) throw new UserError(`"${id}" is a catalog KPI; choose another id`, { field: 'id' });
  if (!o.formula)
    throw new UserError('kpi define needs --formula, e.g. "revenue / customers"', { field: '--formula' });
  if (!(UNITS as readonly string[]).includes(o.unit))
    throw new UserError(`--unit must be one of ${UNITS.join(', ')}`, { field: '--unit' });
  if (o.direction !== 'higher' && o.direction !== 'lower')
    throw new UserError('--direction must be higher or lower', { field: '--direction' });
  resolveFormula(o.formula, id);
  const before = (await ws.listCustomKpis()).find((k) => k.id === id) ?? null;
  const row = {
    id,
    name: o.name ?? id,
    formula: o.formula,
    unit: o.unit,
    direction: o.direction,
    description: o.description ?? null,
  } as const;
  await ws.upsertCustomKpi(row);
  await ws.audit({
    actor: 'cli',
    action: before ? 'update' : 'create',
    entity: 'custom_kpi',
    entityId: id,
    before,
    after: row,
  });
  return row;
}
