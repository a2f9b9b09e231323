/**
 * `plan roadmap`: the quarterly roadmap. Reads the last 12 months (the review and the reverse funnel's
 * history), ranks focus areas (roadmap.ts), proposes the top one or two and drafts SMART objectives for
 * them, each against the KPI's own history so `goals lint` can pass it. docs/planning.md has the rules.
 */
import { UserError } from '../core/errors.js';
import { addDays, parseDate, today } from '../core/time.js';
import type { GoalRecord, ObjectiveInput, PlanInput } from '../domain/goal.js';
import { buildPlan } from '../goals/goal.tree.js';
import { baselineFromHistory, type KpiFilter, kpiInfo, windowHistory } from '../goals/kpi.history.js';
import { planToYaml } from '../goals/plan.yaml.js';
import type { WorkspaceStore } from '../store/store.js';
import type { Stage } from './funnel.js';
import { cents, ratio, ratio6 } from './numbers.js';
import { channelTotals, funnelHistory } from './plan.data.js';
import { reviewChannels } from './review.js';
import { type FocusArea, focusAreas, slug } from './roadmap.js';

export interface RoadmapOptions {
  /** The quarter's year (default: the next quarter's). */
  year?: number;
  /** 1–4 (default: the quarter after today's, or Q1 of a later `year`). */
  quarter?: number;
  asOf?: string;
  /** Owner of the drafted objectives when neither an objective nor the goal they serve names one. */
  owner?: string;
}

/** The JSON of `plan roadmap --format json`. */
export interface RoadmapPlan {
  year: number;
  quarter: number;
  /** The quarter planned. */
  start: string;
  due: string;
  /** The 12 months the figures come from (the review and the funnel of the same window). */
  from: string;
  to: string;
  currency: string;
  focus_areas: Array<FocusArea & { rank: number; proposed: boolean }>;
  /** The proposed areas' ids, best first. */
  proposed: string[];
  /** The goal the drafted objectives serve (null: a new goal is drafted). */
  goal: { id: string; title: string; owner: string | null; new: boolean };
  /** SMART objectives for the proposed areas, as `goals apply` reads them. */
  objectives: ObjectiveInput[];
}

/** Stage → the rate KPI its objective measures, and the count KPI a stage owner is found by. */
const STAGE_KPIS: Record<Stage, [string, string]> = {
  visit_to_lead: ['lead_conversion_rate', 'leads'],
  lead_to_mql: ['lead_to_mql_rate', 'mqls'],
  mql_to_sql: ['mql_to_sql_rate', 'sqls'],
  sql_to_customer: ['sql_to_customer_rate', 'customers'],
};

function quarterOf(date: string): { year: number; quarter: number } {
  return { year: Number(date.slice(0, 4)), quarter: Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1 };
}

function quarterDates(year: number, quarter: number): { start: string; due: string } {
  const m = (quarter - 1) * 3 + 1;
  const start = `${year}-${String(m).padStart(2, '0')}-01`;
  const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(m + 3).padStart(2, '0')}-01`;
  return { start, due: addDays(next, -1) };
}

/** The quarter to plan: the one after today's unless given; never one that is over. */
function pickQuarter(asOf: string, o: RoadmapOptions): { year: number; quarter: number } {
  const now = quarterOf(asOf);
  const next = now.quarter === 4 ? { year: now.year + 1, quarter: 1 } : { ...now, quarter: now.quarter + 1 };
  if (o.quarter !== undefined && !(Number.isInteger(o.quarter) && o.quarter >= 1 && o.quarter <= 4))
    throw new UserError(`--quarter must be 1, 2, 3 or 4, got ${o.quarter}`, { field: '--quarter' });
  if (o.year !== undefined && !(Number.isInteger(o.year) && o.year >= 1900 && o.year <= 9999))
    throw new UserError(`--year must be a year YYYY, got ${o.year}`, { field: '--year' });
  const year = o.year ?? next.year;
  const quarter = o.quarter ?? (year === next.year ? next.quarter : year > next.year ? 1 : 4);
  const { due } = quarterDates(year, quarter);
  if (due < asOf)
    throw new UserError(
      `${year} Q${quarter} is over (today is ${asOf}); plan the current quarter or a later one (next: ${next.year} Q${next.quarter})`,
      { field: o.quarter === undefined ? '--year' : '--quarter' },
    );
  return { year, quarter };
}

/**
 * The quarterly roadmap: focus areas ranked, the top one or two proposed with drafted SMART objectives.
 *
 * @example
 * const r = await planRoadmap(ws, { asOf: '2026-11-24' }); // plans 2027 Q1
 * r.proposed; // ['channel-webinars', 'channel-email']
 */
export async function planRoadmap(ws: WorkspaceStore, o: RoadmapOptions = {}): Promise<RoadmapPlan> {
  const asOf = o.asOf === undefined ? today(ws.workspace.timezone) : parseDate(o.asOf, '--as-of');
  const { year, quarter } = pickQuarter(asOf, o);
  const { start, due } = quarterDates(year, quarter);
  const from = addDays(asOf, -364);
  const [totals, h, records] = await Promise.all([
    channelTotals(ws, from, asOf),
    funnelHistory(ws, from, asOf),
    ws.listGoals(),
  ]);
  if (totals.length === 0)
    throw new UserError(
      `nothing to plan from: no spend, leads, customers or revenue from ${from} to ${asOf}; import data first`,
      { field: '--as-of' },
    );
  const currency = ws.workspace.currency;
  const review = reviewChannels(totals, currency);
  const areas = focusAreas({
    channels: totals,
    verdicts: Object.fromEntries(review.map((c) => [c.channel, c.verdict])),
    rates: {
      visit_to_lead: ratio(h.siteLeads, h.siteSessions),
      lead_to_mql: ratio(h.mqls, h.leads),
      mql_to_sql: ratio(h.sqls, h.mqls),
      sql_to_customer: ratio(h.customers, h.sqls),
    },
    newCustomerRevenue: h.revenue - h.existingRevenue,
    currency,
  });
  // The top one or two; an area whose return cannot be projected is never proposed.
  const proposed = areas.filter((a) => a.impact_per_unit !== null || a.unit === 'effort').slice(0, 2);
  const goal = servedGoal(records, year, quarter, o.owner);
  const objectives: ObjectiveInput[] = [];
  for (const a of proposed)
    objectives.push(await draftObjective(ws, a, { year, quarter, start, due, asOf }, records, goal.owner));
  return {
    year,
    quarter,
    start,
    due,
    from,
    to: asOf,
    currency,
    focus_areas: areas.map((a, i) => ({
      ...a,
      rank: i + 1,
      proposed: proposed.includes(a),
      budget: cents(a.budget),
      expected_revenue: cents(a.expected_revenue),
      impact_per_unit: a.impact_per_unit === null ? null : ratio6(a.impact_per_unit),
      step_growth: ratio6(a.step_growth),
      numbers: Object.fromEntries(
        Object.entries(a.numbers).map(([k, v]) => [
          k,
          v === null ? null : /rate|return|per_/.test(k) ? ratio6(v) : cents(v),
        ]),
      ),
    })),
    proposed: proposed.map((a) => a.id),
    goal,
    objectives,
  };
}

/**
 * The goal the roadmap serves: the workspace's goal with a revenue objective in its tree, else its
 * first goal, else a new one (whose owner must then be given).
 */
function servedGoal(
  records: readonly GoalRecord[],
  year: number,
  quarter: number,
  owner?: string,
): RoadmapPlan['goal'] {
  const goals = records.filter((r) => r.kind === 'goal').sort((a, b) => a.position - b.position);
  const rootOf = (r: GoalRecord): GoalRecord | undefined => {
    let cur: GoalRecord | undefined = r;
    while (cur?.parentId) cur = records.find((x) => x.id === cur?.parentId);
    return cur;
  };
  const revenue = records.find((r) => r.kind === 'objective' && r.spec.kpi === 'revenue');
  const g = (revenue && rootOf(revenue)?.kind === 'goal' ? rootOf(revenue) : undefined) ?? goals[0];
  if (g) return { id: g.id, title: g.title, owner: g.owner ?? owner ?? null, new: false };
  return {
    id: `roadmap-${year}-q${quarter}`,
    title: `Grow revenue in ${year} Q${quarter}`,
    owner: owner ?? null,
    new: true,
  };
}

/** The owner of the workspace's current objective matching `match` (running on `asOf`, else the latest). */
function currentOwner(
  records: readonly GoalRecord[],
  asOf: string,
  match: (r: GoalRecord) => boolean,
): string | null {
  const list = records.filter((r) => r.kind === 'objective' && r.owner && match(r));
  const s = (r: GoalRecord, k: string) => String(r.spec[k] ?? '');
  const running = list.filter((r) => s(r, 'start') <= asOf && asOf <= s(r, 'due'));
  const pick = (running.length ? running : list).sort((a, b) => s(b, 'due').localeCompare(s(a, 'due')))[0];
  return pick?.owner ?? null;
}

interface Quarter {
  year: number;
  quarter: number;
  start: string;
  due: string;
  asOf: string;
}

/**
 * One SMART objective for a focus area. The baseline is the KPI over the same quarter a year earlier
 * (else the quarter before, as `goals lint` takes it), stated in the objective; the target grows it by
 * the area's step (a channel's leads or customers) or up to the area's target rate (a stage), but never
 * by more than the best quarter-on-quarter growth of the last three years (the Achievable letter's
 * bar). A KPI that would not grow is held (`stay_above` the baseline).
 */
async function draftObjective(
  ws: WorkspaceStore,
  a: FocusArea,
  q: Quarter,
  records: readonly GoalRecord[],
  goalOwner: string | null,
): Promise<ObjectiveInput> {
  const stage = a.kind === 'stage' ? (a.name as Stage) : null;
  const kpi = stage ? STAGE_KPIS[stage][0] : a.action === 'fix' ? 'customers' : 'leads';
  const filter: KpiFilter = stage ? {} : { channel: a.name };
  const info = await kpiInfo(ws, kpi);
  const count = info?.unit === 'count';
  const base = await baselineFromHistory(ws, kpi, q.start, q.due, filter);
  const fallback = stage
    ? (a.numbers.rate ?? 0)
    : (a.numbers[a.action === 'fix' ? 'customers' : 'leads'] ?? 0) / 4;
  const raw = base.value !== null && base.value > 0 ? base.value : fallback;
  const baseline = count ? Math.round(raw) : Math.round(raw * 10_000) / 10_000;
  const { growths } = await windowHistory(ws, kpi, filter, q.start, q.due);
  const best = growths.length >= 2 ? Math.max(...growths.map((g) => g.growth)) : null;
  // A stage aims at the area's target rate; a channel grows its KPI by the area's step.
  const step = stage && baseline > 0 ? (a.numbers.target_rate ?? 0) / baseline - 1 : a.step_growth;
  const growth = best === null ? step : Math.min(step, best);
  // Rounded down (past float noise) so the target never asks for more than the bar it was capped at.
  const down = (x: number, unit: number) => Math.floor(Number((x / unit).toPrecision(12))) * unit;
  const grown = count
    ? down(baseline * (1 + growth), 1)
    : Math.round(down(baseline * (1 + growth), 1e-4) * 1e4) / 1e4;
  const hold = !(growth > 0) || grown <= baseline;
  const target = hold ? baseline : grown;
  const owner =
    currentOwner(records, q.asOf, (r) =>
      stage
        ? (STAGE_KPIS[stage] as readonly string[]).includes(String(r.spec.kpi))
        : (r.spec.filter as KpiFilter | undefined)?.channel === a.name,
    ) ??
    goalOwner ??
    // Shown as missing; `roadmapPlanYaml` refuses to write a plan without an owner.
    '';
  const when = `${q.year} Q${q.quarter}`;
  const shown = count ? String(target) : `${(target * 100).toFixed(1)} %`;
  const title =
    a.kind === 'stage'
      ? `Lift ${a.name.replace(/_/g, ' ')} to ${shown} in ${when}`
      : a.action === 'fix'
        ? `Fix ${a.name} lead quality: ${shown} customers in ${when}`
        : `Double down on ${a.name}: ${shown} leads in ${when}`;
  return {
    id: `roadmap-${q.year}-q${q.quarter}-${slug(a.name)}`,
    title,
    kpi,
    ...(stage ? {} : { filter }),
    baseline,
    target,
    direction: hold ? 'stay_above' : 'increase',
    start: q.start,
    due: q.due,
    owner,
    tradeoffs: [a.step],
  };
}

/**
 * The workspace's goal tree with the roadmap's objectives under the goal they serve (replacing earlier
 * drafts with the same ids), as YAML for `goals lint` and `goals apply`. Applying it keeps every other
 * goal and objective.
 *
 * @example
 * writeFileSync('q1.yaml', await roadmapPlanYaml(ws, await planRoadmap(ws)));
 */
export async function roadmapPlanYaml(ws: WorkspaceStore, r: RoadmapPlan): Promise<string> {
  if (r.objectives.some((o) => o.owner === ''))
    throw new UserError(
      'no owner for the drafted objectives: no objective for that channel or stage names one and the goal they serve has none; give --owner EMAIL',
      { field: '--owner' },
    );
  const plan: PlanInput = buildPlan(await ws.listGoals());
  const ids = new Set(r.objectives.map((o) => o.id));
  const strip = (list: ObjectiveInput[]): ObjectiveInput[] =>
    list
      .filter((o) => !ids.has(o.id))
      .map((o) => (o.objectives ? { ...o, objectives: strip(o.objectives) } : o));
  const goals = plan.goals.map((g) => ({ ...g, objectives: strip(g.objectives) }));
  const served = goals.find((g) => g.id === r.goal.id);
  if (served) served.objectives.push(...r.objectives);
  else
    goals.push({
      id: r.goal.id,
      title: r.goal.title,
      ...(r.goal.owner ? { owner: r.goal.owner } : {}),
      objectives: [...r.objectives],
    });
  const out: PlanInput = { ...plan, goals };
  if (plan.objectives) out.objectives = strip(plan.objectives);
  return planToYaml(out);
}
