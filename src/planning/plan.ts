/**
 * Planning, the public file of this engine (the CLI's `plan` commands and the API call these):
 * fetch history through the KPI engine → compute (pure: target.ts, funnel.ts, review.ts) → the JSON of
 * INTERFACE.md. docs/planning.md has every formula and threshold.
 */
import { UserError } from '../core/errors.js';
import { addDays, MAX_DATE, MIN_DATE, parseDate, today } from '../core/time.js';
import type { WorkspaceStore } from '../store/store.js';
import {
  type ChannelBudget,
  channelBudgets,
  DEFAULT_SHIFT,
  type Rates,
  resolveRates,
  reverseFunnel,
  type Stage,
} from './funnel.js';
import { cents, ratio, ratio6 } from './numbers.js';
import {
  channelTotals,
  funnelHistory,
  knownMarkets,
  landingPages,
  revenueByWindows,
  revenueByYear,
} from './plan.data.js';
import { type ChannelReview, type PageReview, reviewChannels, reviewPages } from './review.js';
import { GROWTH_RATES, revenueTarget, type TargetPlan } from './target.js';

function asOfDate(ws: WorkspaceStore, asOf?: string): string {
  return asOf === undefined ? today(ws.workspace.timezone) : parseDate(asOf, '--as-of');
}

const MIN_YEAR = Number(MIN_DATE.slice(0, 4));
const MAX_YEAR = Number(MAX_DATE.slice(0, 4));

function checkYear(year: number, field = '--year'): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw new UserError(`${field} must be a year from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`, { field });
  return year;
}

export interface TargetOptions {
  /**
   * The last year of history. Default: the current year (planning the next calendar year); while it is
   * not over, every year is the twelve months ending on `asOf`'s day.
   */
  year?: number;
  /** Percentage points added to the average growth (default 5). */
  uplift?: number;
  /** "Today" (default: today in the workspace's time zone). */
  asOf?: string;
}

/** The JSON of `plan target --format json`: INTERFACE.md's fields, then which year it plans and on what basis. */
export interface TargetReport extends TargetPlan {
  /** The year the target is for: `year + 1`. */
  target_year: number;
  /** Calendar years, or trailing twelve months when `year` is not over yet. */
  basis: 'calendar_years' | 'trailing_twelve_months';
  /** What the basis means here, for the reader (null for calendar years). */
  note: string | null;
}

/** The same month and day `k` years earlier (29 February becomes the 28th). */
function yearsEarlier(date: string, k: number): string {
  const y = Number(date.slice(0, 4)) - k;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${y}-${date.slice(5) === '02-29' && !leap ? '02-28' : date.slice(5)}`;
}

/**
 * `plan target`: next year's revenue target from the revenue of the last (up to) four years. By default
 * it plans the next calendar year; the current year, while it is not over, counts as its trailing
 * twelve months (and so does every year before it, to compare like with like).
 *
 * @example
 * await planTarget(ws, { asOf: '2026-12-03' });
 * // { year: 2026, years: [{ year: 2023, revenue, from: '2022-12-04', to: '2023-12-03', growth: null }, …],
 * //   …, target_year: 2027, basis: 'trailing_twelve_months', note: '2026 is not over …' }
 */
export async function planTarget(ws: WorkspaceStore, o: TargetOptions = {}): Promise<TargetReport> {
  const asOf = asOfDate(ws, o.asOf);
  const current = Number(asOf.slice(0, 4));
  const year = checkYear(o.year ?? current);
  if (year > current)
    throw new UserError(
      `--year ${year} has not started yet (today is ${asOf}); plan from ${current} or earlier`,
      { field: '--year' },
    );
  const ttm = year === current && asOf.slice(5) !== '12-31';
  if (!ttm) {
    const plan = revenueTarget(await revenueByYear(ws, year - GROWTH_RATES, year), year, o.uplift);
    return { ...plan, target_year: year + 1, basis: 'calendar_years', note: null };
  }
  const windows = [];
  for (let k = GROWTH_RATES; k >= 0; k--)
    windows.push({ year: year - k, from: addDays(yearsEarlier(asOf, k + 1), 1), to: yearsEarlier(asOf, k) });
  const plan = revenueTarget(await revenueByWindows(ws, windows), year, o.uplift);
  const day = new Date(`${asOf}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  return {
    ...plan,
    target_year: year + 1,
    basis: 'trailing_twelve_months',
    note:
      `${year} is not over (today is ${asOf}): each year is the twelve months ending on ${day} ` +
      `(${year}: ${addDays(yearsEarlier(asOf, 1), 1)} to ${asOf})`,
  };
}

export interface FunnelOptions {
  /** The revenue goal (workspace currency); or… */
  revenue?: number;
  /** …a growth in percent: the goal is this share of the last 12 months' revenue (the extra revenue to win). */
  growth?: number;
  /** A market: every count, rate and the revenue come from contacts of this market. */
  segment?: string;
  /** Average first-year revenue per new customer; default from the last 12 months. */
  avgRevenue?: number;
  rates?: Partial<Rates>;
  /**
   * Percent of the other channels' share of the new leads moved to the channels the review says to
   * double down on (default 20).
   */
  shift?: number;
  asOf?: string;
}

/** The JSON of `plan funnel --format json` (INTERFACE.md's fields first, then extras). */
export interface FunnelPlan {
  /** The new revenue the funnel works back from (on top of the last 12 months'). */
  revenue_goal: number;
  avg_first_year_revenue: number;
  rates: Rates;
  customers: number;
  sqls: number;
  mqls: number;
  leads: number;
  visits: number;
  bottleneck: Stage;
  from: string;
  to: string;
  segment: string | null;
  /** The last 12 months' revenue plus the new revenue: the revenue of the next 12 months if it is won. */
  total_revenue_goal: number;
  /** The same as `revenue_goal`, named for what it is. */
  new_revenue_needed: number;
  /** Where each rate came from. */
  rate_sources: Record<Stage, 'history' | 'given'>;
  /** The last 12 months the defaults come from. */
  history: {
    revenue: number;
    new_customer_revenue: number;
    customers: number;
    sqls: number;
    mqls: number;
    leads: number;
    sessions: number;
  };
  /** Revenue existing customers brought in the last 12 months: what upsell already adds at that pace. */
  upsell: { existing_customers: number; revenue_last_12_months: number; share_of_revenue: number | null };
  channels: ChannelBudget[];
  /** The sum of the channels' budgets. */
  budget: number;
  /** How the channels' shares follow the review of the same window (`plan review` verdicts). */
  budget_rule: { shift: number; cut: string[]; double_down: string[]; note: string };
}

/**
 * `plan funnel`: customers, SQLs, MQLs, leads and visits a revenue goal needs, and the budget per
 * channel. Defaults (rates, average first-year revenue) come from the 365 days ending on `asOf`.
 *
 * @example
 * await planFunnel(ws, { growth: 10, segment: 'EMEA', rates: { mql_to_sql: 0.4 } });
 */
export async function planFunnel(ws: WorkspaceStore, o: FunnelOptions): Promise<FunnelPlan> {
  if ((o.revenue === undefined) === (o.growth === undefined))
    throw new UserError('give the goal as either --revenue AMOUNT or --growth PCT', { field: '--revenue' });
  for (const [v, field] of [
    [o.revenue, '--revenue'],
    [o.growth, '--growth'],
    [o.avgRevenue, '--avg-revenue'],
  ] as const)
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new UserError(`${field} must be a number above 0, got ${v}`, { field });
  const shiftPct = o.shift ?? DEFAULT_SHIFT * 100;
  if (!(Number.isFinite(shiftPct) && shiftPct >= 0 && shiftPct <= 100))
    throw new UserError(`--shift must be a percentage from 0 to 100, got ${o.shift}`, { field: '--shift' });
  const to = asOfDate(ws, o.asOf);
  const from = addDays(to, -364);
  const window = `the last 12 months (${from} to ${to}${o.segment === undefined ? '' : `, market ${o.segment}`})`;
  if (o.segment !== undefined) {
    const markets = await knownMarkets(ws);
    if (!markets.includes(o.segment))
      throw new UserError(
        `no contacts in market "${o.segment}" (${markets.length ? `known: ${markets.join(', ')}` : 'no contact has a market'})`,
        { field: '--segment' },
      );
  }
  const [h, totals] = await Promise.all([
    funnelHistory(ws, from, to, o.segment),
    channelTotals(ws, from, to),
  ]);
  // Unrounded throughout: only the report below is rounded.
  let goal: number;
  if (o.revenue !== undefined) goal = o.revenue;
  else {
    if (cents(h.revenue) <= 0)
      throw new UserError(`no revenue in ${window} to grow from; give the goal with --revenue AMOUNT`, {
        field: '--growth',
      });
    goal = ((o.growth ?? 0) / 100) * h.revenue;
  }
  const newRevenue = h.revenue - h.existingRevenue;
  let avg: number;
  if (o.avgRevenue !== undefined) avg = o.avgRevenue;
  else {
    const hist = ratio(newRevenue, h.customers);
    if (hist === null || cents(hist) <= 0)
      throw new UserError(
        `no revenue from new customers in ${window} to average; give it with --avg-revenue N`,
        { field: '--avg-revenue' },
      );
    avg = hist;
  }
  const given = o.rates ?? {};
  const rates = resolveRates(
    {
      visit_to_lead: ratio(h.siteLeads, h.siteSessions),
      lead_to_mql: ratio(h.mqls, h.leads),
      mql_to_sql: ratio(h.sqls, h.mqls),
      sql_to_customer: ratio(h.customers, h.sqls),
    },
    given,
    window,
  );
  const counts = reverseFunnel(goal, avg, rates);
  const review = totals.length ? reviewChannels(totals, ws.workspace.currency) : [];
  const verdicts = Object.fromEntries(review.map((c) => [c.channel, c.verdict]));
  const raw = channelBudgets(counts.leads, h.channels, verdicts, shiftPct / 100);
  const source = (s: Stage) => (given[s] === undefined ? 'history' : 'given');
  const named = (v: string) => raw.filter((c) => c.verdict === v).map((c) => c.channel);
  const cut = named('cut');
  const up = named('double_down');
  return {
    revenue_goal: cents(goal),
    avg_first_year_revenue: cents(avg),
    rates: {
      visit_to_lead: ratio6(rates.visit_to_lead),
      lead_to_mql: ratio6(rates.lead_to_mql),
      mql_to_sql: ratio6(rates.mql_to_sql),
      sql_to_customer: ratio6(rates.sql_to_customer),
    },
    ...counts,
    from,
    to,
    segment: o.segment ?? null,
    total_revenue_goal: cents(h.revenue + goal),
    new_revenue_needed: cents(goal),
    rate_sources: {
      visit_to_lead: source('visit_to_lead'),
      lead_to_mql: source('lead_to_mql'),
      mql_to_sql: source('mql_to_sql'),
      sql_to_customer: source('sql_to_customer'),
    },
    history: {
      revenue: cents(h.revenue),
      new_customer_revenue: cents(newRevenue),
      customers: h.customers,
      sqls: h.sqls,
      mqls: h.mqls,
      leads: h.leads,
      sessions: h.siteSessions,
    },
    upsell: {
      existing_customers: h.existingCustomers,
      revenue_last_12_months: cents(h.existingRevenue),
      share_of_revenue: h.revenue > 0 ? ratio6(h.existingRevenue / h.revenue) : null,
    },
    channels: raw.map((c) => ({
      ...c,
      lead_share: ratio6(c.lead_share),
      plan_share: ratio6(c.plan_share),
      cost_per_lead: c.cost_per_lead === null ? null : cents(c.cost_per_lead),
      budget: cents(c.budget),
    })),
    budget: cents(raw.reduce((s, c) => s + c.budget, 0)),
    budget_rule: {
      shift: ratio6(shiftPct / 100),
      cut,
      double_down: up,
      note: budgetNote(from, to, cut, up, shiftPct),
    },
  };
}

/** The sentence that says how the channel budget follows the review. */
function budgetNote(from: string, to: string, cut: string[], up: string[], shiftPct: number): string {
  const parts = [`the channels follow the review of ${from} to ${to} (plan review)`];
  if (cut.length) parts.push(`no new budget for ${cut.join(', ')} (cut)`);
  if (up.length && shiftPct > 0)
    parts.push(
      `${shiftPct} % of the other channels' share of the leads moved to ${up.join(', ')} (double down)`,
    );
  if (!cut.length && !up.length) parts.push('every channel keeps its share of the leads');
  return parts.join('; ');
}

export interface ReviewOptions {
  /** Default: the last complete calendar year. */
  year?: number;
  asOf?: string;
}

/** The JSON of `plan review --format json`. */
export interface ReviewPlan {
  /** The calendar year reviewed (`--year`), or null for the last 12 months (the default). */
  year: number | null;
  from: string;
  to: string;
  currency: string;
  channels: ChannelReview[];
  site_conversion_rate: number | null;
  median_sessions: number | null;
  pages: PageReview[];
}

/**
 * `plan review`: a calendar year per channel with keep / cut / double down, and the high-traffic landing
 * pages that convert too little. The current year is reviewed up to `asOf`.
 *
 * @example
 * const r = await planReview(ws, { year: 2025 });
 * r.channels.find((c) => c.channel === 'Events')?.verdict; // 'cut'
 */
export async function planReview(ws: WorkspaceStore, o: ReviewOptions = {}): Promise<ReviewPlan> {
  const asOf = asOfDate(ws, o.asOf);
  const current = Number(asOf.slice(0, 4));
  // Without --year: the last 12 months, the window `plan funnel` and `plan roadmap` take their
  // verdicts from, so the three never disagree about a channel.
  const year = o.year === undefined ? null : checkYear(o.year);
  if (year !== null && year > current)
    throw new UserError(`--year ${year} has not started yet (today is ${asOf})`, { field: '--year' });
  const from = year === null ? addDays(asOf, -364) : `${year}-01-01`;
  const to = year === null || year === current ? asOf : `${year}-12-31`;
  const currency = ws.workspace.currency;
  const [totals, pages] = await Promise.all([channelTotals(ws, from, to), landingPages(ws, from, to)]);
  if (totals.length === 0)
    throw new UserError(`nothing to review from ${from} to ${to}: no spend, leads, customers or revenue`, {
      field: '--year',
    });
  const p = reviewPages(pages);
  return {
    year,
    from,
    to,
    currency,
    channels: reviewChannels(totals, currency),
    site_conversion_rate: p.site_conversion_rate,
    median_sessions: p.median_sessions,
    pages: p.pages,
  };
}
