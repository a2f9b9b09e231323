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
import type { AttributionOptions, AttributionResult } from './types.js';
import { buildJourneys, type JourneyQuery } from './workspace.journeys.js';

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
  const rows = await ws.query<{ key: string; spend: number }>(
    `SELECT coalesce(${by === 'campaign' ? 'campaign' : 'channel'}, '(none)') AS key, CAST(sum(cost) AS DOUBLE) AS spend
     FROM @spend WHERE date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY 1`,
    { from, to },
  );
  return new Map(rows.map((r) => [r.key, r.spend]));
}

/** One model, in the shape of `attribution --format json`, rows extended with spend, cost and ROI. */
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
  const { journeys } = await buildJourneys(ws, { ...o, withNulls: needsNulls });
  const result = attributeJourneys(journeys, { ...opts, by: o.by ?? 'channel' });
  return withSpend(result, await spendBy(ws, o.by ?? 'channel', o.from, o.to), o.by ?? 'channel');
}

/** Every model over the same journeys (built once), side by side. */
export async function attributeAllModels(ws: WorkspaceStore, o: WorkspaceAttributionOptions) {
  const by = o.by ?? 'channel';
  const { journeys } = await buildJourneys(ws, { ...o, withNulls: (o.nulls ?? 'include') === 'include' });
  const converting = journeys.filter((j) => (j.conversions ?? 1) > 0);
  const spend = await spendBy(ws, by, o.from, o.to);
  const results = MODEL_IDS.map((model) => {
    const r = attributeJourneys(model === 'markov' ? journeys : converting, {
      model,
      order: o.order,
      nulls: o.nulls,
      halfLifeDays: o.halfLifeDays,
      by,
    });
    return withSpend(r, spend, by);
  });
  const keys = [
    ...new Set([...results.flatMap((r) => r.rows.map((x) => x[by] as string)), ...spend.keys()]),
  ].sort();
  const table = keys.map((key) => {
    const row: Record<string, string | number | null> = { [by]: key, spend: round2(spend.get(key) ?? 0) };
    for (const r of results) row[r.model] = round2(r.rows.find((x) => x[by] === key)?.conversions ?? 0);
    return row;
  });
  return {
    by,
    from: o.from,
    to: o.to,
    conversion: o.conversion ?? 'deal_won',
    lookback: o.lookbackDays ?? 90,
    models: results,
    table,
  };
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
  return { ...r, rows };
}
