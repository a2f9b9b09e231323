/**
 * Planning: next year's revenue target, the reverse funnel, the channel review and the quarterly
 * roadmap (`plan …`, `/api/v1/plan/…`).
 */

import { today } from '../core/time.js';
import { parseRateOverrides } from '../planning/funnel.js';
import {
  type FunnelPlan,
  planFunnel,
  planReview,
  planTarget,
  type ReviewPlan,
  type TargetReport,
} from '../planning/plan.js';
import {
  planRoadmap,
  type RoadmapOptions,
  type RoadmapPlan,
  roadmapPlanYaml,
} from '../planning/plan.roadmap.js';
import { memoRead, stamped } from '../store/read.cache.js';
import type { WorkspaceStore } from '../store/store.js';

/**
 * Under `serve` a plan's answer is kept until the workspace is written to; tracking data arriving
 * leaves it served, said to be stale, while it is refreshed in the background (store/answer.cache.ts).
 * Keyed by today too: a default `asOf` means today.
 */
async function kept<T extends object>(
  ws: WorkspaceStore,
  what: string,
  input: object,
  compute: () => Promise<T>,
): Promise<T & { stale?: true; computed_at?: string }> {
  const key = { ...input, today: today(ws.workspace.timezone) };
  return stamped(await memoRead(ws, what, key, compute, { stale: true }));
}

/**
 * Next year's revenue target: average growth of the last 3 years plus an uplift (points).
 *
 * @example
 * await target(ws, { uplift: 5 }); // { year: 2025, years: [...], average_growth, uplift: 0.05, target_growth, target }
 */
export function target(
  ws: WorkspaceStore,
  input: { year?: number; uplift?: number; asOf?: string },
): Promise<TargetReport> {
  return kept(ws, 'plan.target', input, () => planTarget(ws, input));
}

export interface FunnelInput {
  revenue?: number;
  growth?: number;
  segment?: string;
  avgRevenue?: number;
  /** `STAGE=R` overrides as typed (`mql_to_sql=0.4`, or several joined by commas). */
  rates?: readonly string[];
  shift?: number;
  asOf?: string;
}

/**
 * The reverse funnel a revenue goal needs: customers, SQLs, MQLs, leads, visits and budget.
 *
 * @example
 * await reverseFunnel(ws, { growth: 10, rates: ['mql_to_sql=0.4'] });
 */
export function reverseFunnel(ws: WorkspaceStore, input: FunnelInput): Promise<FunnelPlan> {
  const { rates, ...rest } = input;
  return kept(ws, 'plan.funnel', input, () =>
    planFunnel(ws, { ...rest, rates: parseRateOverrides(rates ?? []) }),
  );
}

/** The channel review: a year per channel with keep / cut / double down, and flagged landing pages. */
export function review(ws: WorkspaceStore, input: { year?: number; asOf?: string }): Promise<ReviewPlan> {
  return kept(ws, 'plan.review', input, () => planReview(ws, input));
}

/** The quarterly roadmap: focus areas ranked by expected revenue per unit, with drafted objectives. */
export function roadmap(ws: WorkspaceStore, input: RoadmapOptions): Promise<RoadmapPlan> {
  return kept(ws, 'plan.roadmap', input, () => planRoadmap(ws, input));
}

/**
 * The goal tree with the roadmap's drafted objectives as a plan `goals lint` and `goals apply` read.
 *
 * @example
 * const { yaml } = await roadmapPlan(ws, { year: 2026, quarter: 3 });
 */
export async function roadmapPlan(ws: WorkspaceStore, input: RoadmapOptions): Promise<{ yaml: string }> {
  return { yaml: await roadmapPlanYaml(ws, await planRoadmap(ws, input)) };
}
