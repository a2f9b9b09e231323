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
  type Rates,
  resolveRates,
  reverseFunnel,
  type Stage,
} from './funnel.js';
import { cents, ratio, ratio6 } from './numbers.js';
import { channelTotals, funnelHistory, knownMarkets, landingPages, revenueByYear } from './plan.data.js';
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
  /** Default: the last complete calendar year (the one before `asOf`'s). */
  year?: number;
  /** Percentage points added to the average growth (default 5). */
  uplift?: number;
  /** "Today" (default: today in the workspace's time zone). */
  asOf?: string;
}

/**
 * `plan target`: next year's revenue target from the revenue of the last (up to) four calendar years.
 *
 * @example
 * await planTarget(ws, { asOf: '2026-11-24' });
 * // { year: 2025, years: [{ year: 2023, revenue: 149350, growth: null }, …], average_growth, uplift: 0.05, target_growth, target }
 */
export async function planTarget(ws: WorkspaceStore, o: TargetOptions = {}): Promise<TargetPlan> {
  const asOf = asOfDate(ws, o.asOf);
  const lastComplete = Number(asOf.slice(0, 4)) - 1;
  const year = checkYear(o.year ?? lastComplete);
  if (year > lastComplete)
    throw new UserError(
      `--year ${year} is not complete yet (today is ${asOf}); the last complete year is ${lastComplete}`,
      { field: '--year' },
    );
  return revenueTarget(await revenueByYear(ws, year - GROWTH_RATES, year), year, o.uplift);
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
  asOf?: string;
}

/** The JSON of `plan funnel --format json` (INTERFACE.md's fields first, then extras). */
export interface FunnelPlan {
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
  const h = await funnelHistory(ws, from, to, o.segment);
  const lastRevenue = cents(h.revenue);
  let goal: number;
  if (o.revenue !== undefined) goal = cents(o.revenue);
  else {
    if (lastRevenue <= 0)
      throw new UserError(`no revenue in ${window} to grow from; give the goal with --revenue AMOUNT`, {
        field: '--growth',
      });
    goal = cents(((o.growth ?? 0) / 100) * lastRevenue);
  }
  const newRevenue = cents(h.revenue - h.existingRevenue);
  let avg: number;
  if (o.avgRevenue !== undefined) avg = cents(o.avgRevenue);
  else {
    const hist = ratio(newRevenue, h.customers);
    if (hist === null || hist <= 0)
      throw new UserError(
        `no revenue from new customers in ${window} to average; give it with --avg-revenue N`,
        { field: '--avg-revenue' },
      );
    avg = cents(hist);
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
  const channels = channelBudgets(counts.leads, h.channels);
  const source = (s: Stage) => (given[s] === undefined ? 'history' : 'given');
  return {
    revenue_goal: goal,
    avg_first_year_revenue: avg,
    rates,
    ...counts,
    from,
    to,
    segment: o.segment ?? null,
    rate_sources: {
      visit_to_lead: source('visit_to_lead'),
      lead_to_mql: source('lead_to_mql'),
      mql_to_sql: source('mql_to_sql'),
      sql_to_customer: source('sql_to_customer'),
    },
    history: {
      revenue: lastRevenue,
      new_customer_revenue: newRevenue,
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
    channels,
    budget: cents(channels.reduce((s, c) => s + c.budget, 0)),
  };
}

export interface ReviewOptions {
  /** Default: the last complete calendar year. */
  year?: number;
  asOf?: string;
}

/** The JSON of `plan review --format json`. */
export interface ReviewPlan {
  year: number;
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
  const year = checkYear(o.year ?? current - 1);
  if (year > current)
    throw new UserError(`--year ${year} has not started yet (today is ${asOf})`, { field: '--year' });
  const from = `${year}-01-01`;
  const to = year === current ? asOf : `${year}-12-31`;
  const currency = ws.workspace.currency;
  const [totals, pages] = await Promise.all([channelTotals(ws, from, to), landingPages(ws, from, to)]);
  if (totals.length === 0)
    throw new UserError(`nothing to review in ${year}: no spend, leads, customers or revenue`, {
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
