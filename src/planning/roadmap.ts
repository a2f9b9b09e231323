/**
 * The quarterly roadmap (SPEC §4, the last step of seed 002's method): focus areas from the review and
 * the reverse funnel, ranked by the revenue one unit of budget (or effort) is expected to bring. Pure:
 * the last 12 months per channel and the funnel's rates come in, the ranked areas go out. Unrounded:
 * the report rounds.
 */
import { BOTTLENECK_STAGES, bottleneck, type Rates, type Stage } from './funnel.js';
import { money, pct, ratio } from './numbers.js';
import { type ChannelTotals, CUT_FACTOR, MIN_LEADS, type Verdict } from './review.js';

export type FocusAction = 'double_down' | 'fix' | 'bottleneck';

export interface FocusArea {
  /** `channel-webinars`, `stage-mql-to-sql`. */
  id: string;
  kind: 'channel' | 'stage';
  /** The channel, or the stage (`mql_to_sql`). */
  name: string;
  action: FocusAction;
  /** What one step costs: media budget, or the team's effort (no new budget). */
  unit: 'budget' | 'effort';
  /** New budget for the quarter (0 for effort). */
  budget: number;
  /** Extra revenue the step is expected to bring in the quarter. */
  expected_revenue: number;
  /**
   * Expected revenue per unit of currency: the channel's own return for budget; for effort, the
   * workspace's blended return (what the same revenue would cost through media today). Null when there
   * is no spend to compare with.
   */
  impact_per_unit: number | null;
  /** The step, as a growth of the objective's KPI over the quarter (1 = +100 %). */
  step_growth: number;
  /** The figures behind the ranking (last 12 months). */
  numbers: Record<string, number | null>;
  /** What to do, in words. */
  step: string;
  reason: string;
}

export interface RoadmapInput {
  /** Spend, leads, customers, revenue per channel over the last 12 months. */
  channels: readonly ChannelTotals[];
  /** The review's verdicts over the same window. */
  verdicts: Readonly<Record<string, Verdict | undefined>>;
  /** The funnel's rates over the same window (null where the history cannot give one). */
  rates: Readonly<Record<Stage, number | null>>;
  /** Revenue from new customers over the window. */
  newCustomerRevenue: number;
  currency?: string;
}

/**
 * A channel's return is projected only from at least this many customers in the window: with fewer,
 * one large deal makes the return (the area is listed, unranked, and not proposed).
 */
export const MIN_CUSTOMERS = 5;

/** The window is twelve months; a quarter is a quarter of it. */
const QUARTERS = 4;

/**
 * Focus areas, best first: channels to double down on (double their quarterly budget, at their own
 * return), paid channels to fix (leads in proportion to their cost but too few customers: bring their
 * lead → customer rate to all channels' rate), and the funnel's bottleneck (lift it halfway to the
 * next-weakest stage). Sorted by impact per unit (null last), then expected revenue.
 *
 * @example
 * focusAreas({
 *   channels: [
 *     { channel: 'Events', spend: 80_000, leads: 40, customers: 2, revenue: 20_000 },
 *     { channel: 'Webinars', spend: 10_000, leads: 100, customers: 10, revenue: 150_000 },
 *   ],
 *   verdicts: { Events: 'cut', Webinars: 'double_down' },
 *   rates: { visit_to_lead: 0.02, lead_to_mql: 0.4, mql_to_sql: 0.3, sql_to_customer: 0.4 },
 *   newCustomerRevenue: 170_000,
 * });
 * // [Webinars: +2500 budget → +37,500 revenue (15 per 1), mql_to_sql: 0.3 → 0.35, +16.7 % → +7,083 (at 1.89 per 1)]
 */
export function focusAreas(input: RoadmapInput): FocusArea[] {
  const cur = input.currency ?? 'USD';
  const total = input.channels.reduce(
    (s, c) => ({
      spend: s.spend + c.spend,
      leads: s.leads + c.leads,
      customers: s.customers + c.customers,
      revenue: s.revenue + c.revenue,
    }),
    { spend: 0, leads: 0, customers: 0, revenue: 0 },
  );
  const blended = ratio(total.revenue, total.spend);
  const overallRate = ratio(total.customers, total.leads);
  const perCustomer = ratio(total.revenue, total.customers);
  const areas: FocusArea[] = [];
  for (const c of input.channels) {
    const verdict = input.verdicts[c.channel] ?? 'keep';
    const rate = ratio(c.customers, c.leads);
    const numbers = {
      spend: c.spend,
      leads: c.leads,
      customers: c.customers,
      revenue: c.revenue,
      revenue_per_spend: ratio(c.revenue, c.spend),
      lead_to_customer_rate: rate,
      all_channels_rate: overallRate,
      blended_return: blended,
    };
    const id = `channel-${slug(c.channel)}`;
    if (verdict === 'double_down' && c.spend > 0) {
      const budget = c.spend / QUARTERS;
      const thin = c.customers < MIN_CUSTOMERS;
      areas.push({
        id,
        kind: 'channel',
        name: c.channel,
        action: 'double_down',
        unit: 'budget',
        budget,
        expected_revenue: c.revenue / QUARTERS,
        impact_per_unit: thin ? null : c.revenue / c.spend,
        step_growth: 1,
        numbers,
        step: `double its budget: +${money(budget, cur)} for the quarter (twice its pace of the last 12 months)`,
        reason: thin
          ? `only ${c.customers} customer${c.customers === 1 ? '' : 's'} in 12 months (${money(c.revenue, cur)}): too few to project its return from (at least ${MIN_CUSTOMERS}); watch it`
          : `${money(c.revenue, cur)} of revenue for ${money(c.spend, cur)} of spend: ${fixed(c.revenue / c.spend)} per 1 spent (all channels: ${fixed(blended)})`,
      });
    } else if (verdict === 'double_down') {
      areas.push({
        id,
        kind: 'channel',
        name: c.channel,
        action: 'double_down',
        unit: 'effort',
        budget: 0,
        expected_revenue: c.revenue / QUARTERS,
        impact_per_unit: blended,
        step_growth: 1,
        numbers,
        step: 'double its output (content, partners, referrals): no media budget',
        reason: `no media cost and the best conversion: ${pct(rate)} of its leads became customers (all: ${pct(overallRate)})`,
      });
    } else if (
      verdict === 'keep' &&
      c.spend > 0 &&
      c.leads >= MIN_LEADS &&
      rate !== null &&
      overallRate !== null &&
      perCustomer !== null &&
      rate < overallRate &&
      total.spend > 0 &&
      total.revenue > 0 &&
      c.spend / total.spend >= CUT_FACTOR * (c.revenue / total.revenue)
    ) {
      const quarterCustomers = c.customers / QUARTERS;
      const extra = ((overallRate - rate) * c.leads) / QUARTERS;
      areas.push({
        id,
        kind: 'channel',
        name: c.channel,
        action: 'fix',
        unit: 'effort',
        budget: 0,
        expected_revenue: extra * perCustomer,
        impact_per_unit: blended,
        // No customer yet: the step is the whole extra (as if from one customer a quarter).
        step_growth: extra / Math.max(quarterCustomers, 1),
        numbers,
        step: `fix its lead quality: bring its lead → customer rate from ${pct(rate)} to all channels' ${pct(overallRate)}`,
        reason: `leads in proportion to its cost, but ${pct(rate)} of them become customers (all: ${pct(overallRate)})`,
      });
    }
  }
  const stage = stageArea(input.rates, input.newCustomerRevenue, blended);
  if (stage) areas.push(stage);
  return areas.sort(
    (a, b) =>
      (b.impact_per_unit ?? Number.NEGATIVE_INFINITY) - (a.impact_per_unit ?? Number.NEGATIVE_INFINITY) ||
      b.expected_revenue - a.expected_revenue ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The bottleneck as a focus area: lifting its rate halfway to the next-weakest stage of the lead funnel
 * (by 10 % when they are equal) raises new-customer revenue by the same proportion.
 */
function stageArea(
  rates: Readonly<Record<Stage, number | null>>,
  newCustomerRevenue: number,
  blended: number | null,
): FocusArea | null {
  if (BOTTLENECK_STAGES.some((s) => !((rates[s] ?? 0) > 0)) || !(newCustomerRevenue > 0)) return null;
  const r = rates as Rates;
  const b = bottleneck(r);
  const from = r[b];
  const others = BOTTLENECK_STAGES.filter((s) => s !== b).map((s) => r[s]);
  const next = Math.min(...others);
  const to = next > from ? (from + next) / 2 : Math.min(1, from * 1.1);
  const lift = to / from - 1;
  if (!(lift > 0)) return null;
  return {
    id: `stage-${slug(b)}`,
    kind: 'stage',
    name: b,
    action: 'bottleneck',
    unit: 'effort',
    budget: 0,
    expected_revenue: (newCustomerRevenue / QUARTERS) * lift,
    impact_per_unit: blended,
    step_growth: lift,
    numbers: {
      rate: from,
      target_rate: to,
      next_weakest_rate: next,
      new_customer_revenue: newCustomerRevenue,
      blended_return: blended,
    },
    step: `lift ${b.replace(/_/g, ' ')} from ${pct(from)} to ${pct(to)} (halfway to the next-weakest stage)`,
    reason: `the weakest stage of the lead funnel: lifting it brings ${pct(lift)} more new customers (and their revenue) from the same leads`,
  };
}

/** `Paid Search` → `paid-search`. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'none'
  );
}

const fixed = (x: number | null) => (x === null ? '–' : x.toFixed(2));
