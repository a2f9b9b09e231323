/**
 * Attribution over the workspace's journeys, one model or all side by side, with the spend of each
 * channel (or campaign) in the range, cost per attributed conversion and ROI under each model.
 */
import type { WorkspaceStore } from '../store/store.js';
import {
  attributeJourneys,
  type JourneyDimension,
  MODEL_IDS,
  type ModelId,
  validateAttributionOptions,
} from './index.js';
import { NO_TOUCH } from './journeys.js';
import type { AttributionOptions, AttributionResult } from './types.js';
import { buildJourneys, type JourneyQuery } from './workspace.journeys.js';
import type { LookbackChoice } from './workspace.lookback.js';

export interface WorkspaceAttributionOptions extends JourneyQuery {
  by?: JourneyDimension;
  order?: number;
  nulls?: 'include' | 'exclude';
  halfLifeDays?: number;
}

export interface SpendRowOut {
  key: string;
  spend: number;
}

/** Spend per channel or campaign over the range (local dates). */
export async function spendBy(
  ws: WorkspaceStore,
  by: JourneyDimension,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const d = ws.dialect;
  const rows = await ws.query<{ key: string; spend: number }>(
    `SELECT coalesce(${by === 'campaign' ? 'campaign' : 'channel'}, '(none)') AS key, ${d.cast('sum(cost)', 'double')} AS spend
     FROM @spend WHERE date BETWEEN ${d.cast('$from', 'date')} AND ${d.cast('$to', 'date')} GROUP BY 1`,
    { from, to },
  );
  return new Map(rows.map((r) => [r.key, r.spend]));
}

/** What `(none)` — conversions without a touch in the look-back — was credited, and its share of the totals. */
export interface NoneShare {
  conversions: number;
  value: number;
  /** Of total_conversions / total_value; null when the total is 0. */
  conversion_share: number | null;
  value_share: number | null;
}

/** The range, conversion and look-back every workspace result states (the look-back's reason included). */
function context(o: WorkspaceAttributionOptions, lookback: LookbackChoice) {
  return {
    by: o.by ?? 'channel',
    from: o.from,
    to: o.to,
    conversion: o.conversion ?? 'deal_won',
    lookback: lookback.days,
    lookback_basis: lookback.basis,
    sales_cycle: lookback.sales_cycle,
  };
}

/**
 * One model, in the shape of `attribution --format json`, rows extended with spend, cost and ROI,
 * plus the range, the look-back and the `(none)` share.
 *
 * @example
 * const r = await attributeWorkspace(ws, 'linear', { from: '2026-01-01', to: '2026-12-31' });
 * r.lookback; r.none.value_share; r.rows[0].roi;
 */
export async function attributeWorkspace(ws: WorkspaceStore, model: ModelId, o: WorkspaceAttributionOptions) {
  const opts: AttributionOptions = {
    model,
    order: o.order,
    nulls: o.nulls,
    halfLifeDays: o.halfLifeDays,
    stages: model === 'w_shaped' || model === 'full_path',
  };
  validateAttributionOptions(opts);
  const needsNulls = model === 'markov' && (o.nulls ?? 'include') === 'include';
  const { journeys, lookback } = await buildJourneys(ws, { ...o, withNulls: needsNulls });
  const result = attributeJourneys(journeys, { ...opts, by: o.by ?? 'channel' });
  const r = withSpend(result, await spendBy(ws, o.by ?? 'channel', o.from, o.to), o.by ?? 'channel');
  return { ...r, ...context(o, lookback), none: noneShare(r, o.by ?? 'channel') };
}

/**
 * Every model over the same journeys (built once), side by side. `table` has one row per channel:
 * spend, then per model its credited conversions (`<model>`), value (`<model>_value`) and ROI
 * (`<model>_roi`, null without spend).
 *
 * @example
 * const all = await attributeAllModels(ws, { from: '2026-01-01', to: '2026-12-31' });
 * all.table.find((r) => r.channel === 'Email')?.markov_value;
 */
export async function attributeAllModels(ws: WorkspaceStore, o: WorkspaceAttributionOptions) {
  const by = o.by ?? 'channel';
  const { journeys, lookback } = await buildJourneys(ws, {
    ...o,
    withNulls: (o.nulls ?? 'include') === 'include',
  });
  const converting = journeys.filter((j) => (j.conversions ?? 1) > 0);
  const spend = await spendBy(ws, by, o.from, o.to);
  const results: Array<ReturnType<typeof withSpend> & { none: NoneShare }> = [];
  for (const model of MODEL_IDS) {
    // Each model over three years of journeys takes up to ~150 ms of the server's one thread: let the
    // requests waiting meanwhile (tracking, answers kept) through between them.
    if (results.length > 0) await new Promise((r) => setImmediate(r));
    const r = attributeJourneys(model === 'markov' ? journeys : converting, {
      model,
      order: o.order,
      nulls: o.nulls,
      halfLifeDays: o.halfLifeDays,
      by,
    });
    const withS = withSpend(r, spend, by);
    results.push({ ...withS, none: noneShare(withS, by) });
  }
  const keys = [
    ...new Set([...results.flatMap((r) => r.rows.map((x) => x[by] as string)), ...spend.keys()]),
  ].sort();
  const table = keys.map((key) => {
    const s = spend.get(key) ?? 0;
    const row: Record<string, string | number | null> = { [by]: key, spend: round2(s) };
    for (const r of results) {
      const x = r.rows.find((y) => y[by] === key);
      row[r.model] = round2(x?.conversions ?? 0);
      row[`${r.model}_value`] = round2(x?.value ?? 0);
      row[`${r.model}_roi`] = s > 0 ? round4(((x?.value ?? 0) - s) / s) : null;
    }
    return row;
  });
  return { ...context(o, lookback), models: results, table };
}

/** The `(none)` row's credit and share under one model's result. */
export function noneShare(
  r: { total_conversions: number; total_value: number; rows: SpendAttributionRow[] },
  by: JourneyDimension,
): NoneShare {
  const row = r.rows.find((x) => x[by] === NO_TOUCH);
  const conversions = row?.conversions ?? 0;
  const value = row?.value ?? 0;
  return {
    conversions,
    value,
    conversion_share: r.total_conversions > 0 ? conversions / r.total_conversions : null,
    value_share: r.total_value !== 0 ? value / r.total_value : null,
  };
}

function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export interface SpendAttributionRow {
  [key: string]: string | number | null | undefined;
  conversions: number;
  value: number;
  removal_effect?: number;
  spend: number;
  cost_per_conversion: number | null;
  roi: number | null;
}

function withSpend(
  r: AttributionResult,
  spend: Map<string, number>,
  by: JourneyDimension,
): Omit<AttributionResult, 'rows'> & { rows: SpendAttributionRow[] } {
  const rows = r.rows.map(({ channel, ...rest }): SpendAttributionRow => {
    const s = spend.get(channel) ?? 0;
    return {
      [by]: channel,
      ...rest,
      spend: round2(s),
      cost_per_conversion: rest.conversions > 0 && s > 0 ? s / rest.conversions : null,
      roi: s > 0 ? (rest.value - s) / s : null,
    };
  });
  // A channel with spend and no touch is credited nothing: listed, so its spend and ROI show.
  const seen = new Set(r.rows.map((x) => x.channel));
  for (const [key, s] of [...spend].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (seen.has(key) || s === 0) continue;
    rows.push({
      [by]: key,
      conversions: 0,
      value: 0,
      ...(r.model === 'markov' ? { removal_effect: 0 } : {}),
      spend: round2(s),
      cost_per_conversion: null,
      roi: -1,
    });
  }
  return { ...r, rows };
}
