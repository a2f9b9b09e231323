/**
 * KPIs: the catalog with the workspace's own, a KPI's values, defining one, and the funnel
 * (`kpi …`, `funnel`, `/api/v1/kpis`, `/api/v1/funnel`).
 */
import { UserError } from '../core/errors.js';
import { today } from '../core/time.js';
import { FILTER_KEYS, kpiInfo } from '../goals/kpi.history.js';
import { KPI_BY_ID, KPI_CATALOG, UNITS } from '../metrics/kpi.catalog.js';
import { type KpiResult, normalize, resolveFormula, runKpi, unknownKpi } from '../metrics/kpi.query.js';
import type { Breakdown } from '../metrics/measures.js';
import type { Grain } from '../metrics/periods.js';
import { memoRead, stamped } from '../store/read.cache.js';
import type { WorkspaceStore } from '../store/store.js';

/** One KPI of the list, catalog or custom. */
export interface KpiListRow {
  id: string;
  name: string;
  family: string;
  unit: string;
  direction: string;
  formula: string;
  definition: string;
  /** What its rows can be filtered by (every measure it reads has the dimension), e.g. market. */
  filters?: string[];
}

/**
 * The catalog, then the workspace's own KPIs (none without a workspace).
 *
 * @example
 * (await listKpis(null)).kpis[0]; // { id: 'revenue', name: 'Revenue', family: 'value', unit: 'currency', … }
 */
export async function listKpis(ws: WorkspaceStore | null): Promise<{ kpis: KpiListRow[] }> {
  const custom = ws ? await ws.listCustomKpis() : [];
  const filters = (id: string) => {
    try {
      const plan = normalize({ kpi: id, from: '2000-01-01', to: '2000-01-01' }, custom);
      return FILTER_KEYS.filter((k) => plan.measures.every((m) => m.dims[k] !== undefined));
    } catch {
      return []; // a custom KPI whose formula no longer resolves
    }
  };
  return {
    kpis: [
      ...KPI_CATALOG.map((d) => ({
        id: d.id,
        name: d.name,
        family: d.family,
        unit: d.unit,
        direction: d.direction,
        formula: d.formula,
        definition: d.definition,
        filters: filters(d.id),
      })),
      ...custom.map((c) => ({
        id: c.id,
        name: c.name,
        family: 'custom',
        unit: c.unit,
        direction: c.direction,
        formula: c.formula,
        definition: c.description ?? c.formula,
        filters: filters(c.id),
      })),
    ],
  };
}

/** Fails with the KPI meant (404) unless `id` is a catalog KPI or one of the workspace's. */
export async function requireKpi(ws: WorkspaceStore, id: string): Promise<void> {
  const custom = await ws.listCustomKpis();
  if (!KPI_BY_ID.has(id) && !custom.some((c) => c.id === id)) throw unknownKpi(id, custom);
}

/**
 * The range a KPI is read over when not given: 1 January of `to`'s year to today (workspace time).
 *
 * @example
 * defaultRange('UTC', undefined, '2026-05-04'); // { from: '2026-01-01', to: '2026-05-04' }
 */
export function defaultRange(timezone: string, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? today(timezone);
  return { from: from ?? `${end.slice(0, 4)}-01-01`, to: end };
}

export interface KpiInput {
  kpi: string;
  from?: string;
  to?: string;
  grain?: string;
  by?: string;
  /** Only rows of this market (one of the workspace's known markets). */
  market?: string;
}

/**
 * The markets the workspace's contacts carry, sorted: the values a market filter may take.
 *
 * @example
 * await knownMarkets(ws); // { markets: ['DACH', 'Nordics', 'UK'] }
 */
export async function knownMarkets(ws: WorkspaceStore): Promise<{ markets: string[] }> {
  const rows = await ws.query<{ market: string }>(
    'SELECT DISTINCT market FROM @contacts WHERE market IS NOT NULL ORDER BY market',
  );
  return { markets: rows.map((r) => String(r.market)) };
}

/** The filter of a KPI query, refused when the KPI cannot honour it or the value is unknown. */
async function filterOf(ws: WorkspaceStore, input: KpiInput): Promise<{ market?: string }> {
  if (input.market === undefined || input.market === '') return {};
  const info = await kpiInfo(ws, input.kpi);
  if (info && !info.filters.includes('market'))
    throw new UserError(
      `${input.kpi} cannot be filtered by market${info.filters.length ? ` (it can by ${info.filters.join(', ')})` : ''}`,
      { field: '--market' },
    );
  const { markets } = await knownMarkets(ws);
  if (!markets.includes(input.market))
    throw new UserError(
      `unknown market "${input.market}" (${markets.length ? `known: ${markets.join(', ')}` : 'no contact has a market yet'})`,
      { field: '--market' },
    );
  return { market: input.market };
}

/**
 * A KPI's values over a range, by period and breakdown (INTERFACE.md's `kpi … --format json`).
 *
 * @example
 * await queryKpi(ws, { kpi: 'leads', from: '2026-01-01', to: '2026-03-31', by: 'channel', market: 'UK' });
 */
export async function queryKpi(
  ws: WorkspaceStore,
  input: KpiInput,
): Promise<KpiResult & { market?: string; stale?: true; computed_at?: string }> {
  const { from, to } = defaultRange(ws.workspace.timezone, input.from, input.to);
  // Under `serve` kept until the workspace is written to; tracking data arriving meanwhile leaves the
  // answer served, said to be stale, while it is refreshed in the background (store/answer.cache.ts).
  const key = { kpi: input.kpi, from, to, grain: input.grain, by: input.by, market: input.market };
  return stamped(
    await memoRead(ws, 'kpi.answer', key, () => kpiAnswer(ws, input, from, to), { stale: true }),
  );
}

async function kpiAnswer(
  ws: WorkspaceStore,
  input: KpiInput,
  from: string,
  to: string,
): Promise<KpiResult & { market?: string }> {
  const filter = await filterOf(ws, input);
  const r = await runKpi(ws, {
    kpi: input.kpi,
    from,
    to,
    grain: input.grain as Grain,
    by: input.by as Breakdown,
    ...(filter.market ? { filter } : {}),
  });
  return filter.market ? { ...r, market: filter.market } : r;
}

export interface KpiDefinition {
  id: string;
  name: string;
  formula: string;
  unit: string;
  direction: string;
  description: string | null;
}

/**
 * Defines (or redefines) one of the workspace's own KPIs.
 *
 * @example
 * await defineKpi(ws, { id: 'rev_per_customer', formula: 'revenue / customers', unit: 'currency' }, 'cli');
 */
export async function defineKpi(
  ws: WorkspaceStore,
  input: {
    id?: string;
    formula?: string;
    name?: string;
    unit?: string;
    direction?: string;
    description?: string;
  },
  actor: string,
): Promise<KpiDefinition> {
  const { id, formula } = input;
  const unit = input.unit ?? 'ratio';
  const direction = input.direction ?? 'higher';
  if (!id || !/^[a-z][a-z0-9_]{1,62}$/.test(id))
    throw new UserError('kpi define needs an id: lowercase letters, digits and underscores', { field: 'id' });
  if (KPI_BY_ID.has(id)) throw new UserError(`"${id}" is a catalog KPI; choose another id`, { field: 'id' });
  if (!formula)
    throw new UserError('kpi define needs --formula, e.g. "revenue / customers"', { field: '--formula' });
  if (!(UNITS as readonly string[]).includes(unit))
    throw new UserError(`--unit must be one of ${UNITS.join(', ')}`, { field: '--unit' });
  if (direction !== 'higher' && direction !== 'lower')
    throw new UserError('--direction must be higher or lower', { field: '--direction' });
  resolveFormula(formula, id);
  const before = (await ws.listCustomKpis()).find((k) => k.id === id) ?? null;
  const row = {
    id,
    name: input.name ?? id,
    formula,
    unit: unit as (typeof UNITS)[number],
    direction: direction as 'higher' | 'lower',
    description: input.description ?? null,
  } as const;
  await ws.upsertCustomKpi(row);
  await ws.audit({
    actor,
    action: before ? 'update' : 'create',
    entity: 'custom_kpi',
    entityId: id,
    before,
    after: row,
  });
  return row;
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

export interface FunnelStage {
  stage: string;
  count: number | null;
  conversion: number | null;
  median_days: number | null;
}

/**
 * visit → lead → MQL → SQL → opportunity → customer over a range: counts, conversion from the stage
 * before, median days in stage.
 *
 * @example
 * await funnel(ws, { from: '2026-01-01', to: '2026-03-31' }); // { from, to, stages: [{ stage: 'visit', count, … }] }
 */
export async function funnel(
  ws: WorkspaceStore,
  input: { from?: string; to?: string },
): Promise<{ from: string; to: string; stages: FunnelStage[] }> {
  const { from, to } = defaultRange(ws.workspace.timezone, input.from, input.to);
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
  return { from, to, stages };
}
