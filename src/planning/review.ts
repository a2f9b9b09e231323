/**
 * Last year's review with keep / cut / double down (seed 002, steps 1 and 5): each channel's spend,
 * leads, customers and revenue, its costs and returns, and a verdict from how its share of the spend
 * compares with its share of the results. Pure: per-channel totals come in, the review goes out.
 */
import { cents, money, pct, ratio, ratio6 } from './numbers.js';

/** Cut: the spend share is at least this many times both the revenue share and the lead share. */
export const CUT_FACTOR = 2;
/**
 * Double down: the spend share is at most this fraction of the revenue share, and its lead → customer
 * rate is at least the rate of all channels together.
 */
export const DOUBLE_DOWN_FACTOR = 0.5;
/** Conversion is judged only for channels with at least this many leads in the year. */
export const MIN_LEADS = 20;

export type Verdict = 'keep' | 'cut' | 'double_down';

export interface ChannelTotals {
  channel: string;
  spend: number;
  leads: number;
  customers: number;
  revenue: number;
}

export interface ChannelReview {
  channel: string;
  spend: number;
  leads: number;
  customers: number;
  revenue: number;
  /** spend / customers */
  cac: number | null;
  /** spend / leads */
  cost_per_lead: number | null;
  /** (revenue − spend) / spend */
  roi: number | null;
  /** customers / leads (both in the year) */
  lead_to_customer_rate: number | null;
  spend_share: number | null;
  lead_share: number | null;
  revenue_share: number | null;
  verdict: Verdict;
  reason: string;
}

const round = (x: number | null, f: (x: number) => number) => (x === null ? null : f(x));

/**
 * Every channel's figures and verdict, most spend first (then most revenue).
 *
 * - cut: paid, and its spend share is ≥ 2 × its revenue share and ≥ 2 × its lead share;
 * - double_down: paid, spend share ≤ 0.5 × revenue share, ≥ 20 leads and a lead → customer rate at
 *   least that of all channels together; unpaid with ≥ 20 leads and the best lead → customer rate of
 *   all channels with ≥ 20 leads (and at least that of all channels together);
 * - keep: everything else (unpaid channels: "no media cost").
 *
 * @example
 * reviewChannels([
 *   { channel: 'Events', spend: 800, leads: 5, customers: 1, revenue: 1000 },
 *   { channel: 'Webinars', spend: 200, leads: 45, customers: 9, revenue: 9000 },
 * ]);
 * // Events: spend share 0.8 ≥ 2 × revenue share 0.1 and ≥ 2 × lead share 0.1 → cut
 * // Webinars: spend share 0.2 ≤ 0.5 × revenue share 0.9, 45 leads, 9/45 = 0.2 ≥ 10/50 = 0.2 → double_down
 */
export function reviewChannels(channels: readonly ChannelTotals[], currency = 'USD'): ChannelReview[] {
  const sum = (f: (c: ChannelTotals) => number) => channels.reduce((s, c) => s + f(c), 0);
  const total = {
    spend: sum((c) => c.spend),
    leads: sum((c) => c.leads),
    customers: sum((c) => c.customers),
    revenue: sum((c) => c.revenue),
  };
  const overallRate = ratio(total.customers, total.leads);
  const judged = channels.filter((c) => c.leads >= MIN_LEADS);
  const bestRate = Math.max(0, ...judged.map((c) => c.customers / c.leads));
  return channels
    .map((c): ChannelReview => {
      // Verdicts compare the unrounded shares; only the report is rounded.
      const spend_share = ratio(c.spend, total.spend);
      const lead_share = ratio(c.leads, total.leads);
      const revenue_share = ratio(c.revenue, total.revenue);
      const rate = ratio(c.customers, c.leads);
      const base = {
        channel: c.channel,
        spend: cents(c.spend),
        leads: c.leads,
        customers: c.customers,
        revenue: cents(c.revenue),
        cac: round(ratio(c.spend, c.customers), cents),
        cost_per_lead: round(ratio(c.spend, c.leads), cents),
        roi: round(ratio(c.revenue - c.spend, c.spend), ratio6),
        lead_to_customer_rate: round(rate, ratio6),
        spend_share: round(spend_share, ratio6),
        lead_share: round(lead_share, ratio6),
        revenue_share: round(revenue_share, ratio6),
      };
      const shares = `${pct(spend_share)} of spend, ${pct(revenue_share)} of revenue, ${pct(lead_share)} of leads`;
      const converts = `${pct(rate)} of its leads became customers (all channels: ${pct(overallRate)})`;
      if (c.channel === '(none)' && c.spend <= 0)
        return { ...base, verdict: 'keep', reason: 'contacts with no known original source' };
      if (c.spend <= 0) {
        if (
          c.leads >= MIN_LEADS &&
          rate !== null &&
          rate > 0 &&
          rate === bestRate &&
          overallRate !== null &&
          rate >= overallRate
        )
          return {
            ...base,
            verdict: 'double_down',
            reason: `no media cost and the best conversion: ${converts}; invest in it (content, partners, referrals)`,
          };
        return {
          ...base,
          verdict: 'keep',
          reason: `no media cost: ${pct(lead_share)} of leads, ${pct(revenue_share)} of revenue`,
        };
      }
      const defined = [revenue_share, lead_share].filter((s): s is number => s !== null);
      if (spend_share !== null && defined.length > 0 && defined.every((s) => spend_share >= CUT_FACTOR * s))
        return {
          ...base,
          verdict: 'cut',
          reason: `costs far more than it brings: ${shares}; ${c.customers > 0 ? `${money(base.cac, currency)} per customer` : 'no customer'}`,
        };
      if (
        spend_share !== null &&
        revenue_share !== null &&
        spend_share <= DOUBLE_DOWN_FACTOR * revenue_share &&
        c.leads >= MIN_LEADS &&
        rate !== null &&
        overallRate !== null &&
        rate >= overallRate
      )
        return {
          ...base,
          verdict: 'double_down',
          reason: `under-funded and it works: ${shares}; ${converts}`,
        };
      const few = (share: number | null) =>
        share !== null && spend_share !== null && spend_share >= CUT_FACTOR * share;
      const reason = few(revenue_share)
        ? `leads in proportion to its cost but little revenue, check their quality: ${shares}`
        : few(lead_share)
          ? `few leads for its cost, but they pay off in revenue: ${shares}`
          : `results in line with its cost: ${shares}`;
      return { ...base, verdict: 'keep', reason };
    })
    .sort((a, b) => b.spend - a.spend || b.revenue - a.revenue || a.channel.localeCompare(b.channel));
}

/** Pages: at most this many landing pages are listed (most sessions first). */
export const MAX_PAGES = 25;
/** A page is flagged when its conversion rate is below this fraction of the site's. */
export const PAGE_RATE_FACTOR = 0.5;

export interface LandingPageTotals {
  path: string;
  sessions: number;
  /** Sessions landing on the page in which a lead form was submitted. */
  conversions: number;
}

export interface PageReview extends LandingPageTotals {
  conversion_rate: number | null;
  flagged: boolean;
  reason: string | null;
}

export interface PagesReview {
  site_conversion_rate: number | null;
  median_sessions: number | null;
  pages: PageReview[];
}

/**
 * High-traffic pages with too few conversions: the landing pages with at least the median sessions
 * (median over all landing pages), most sessions first, at most 25; flagged when their conversion rate
 * is below half the site's (all sessions' conversions / all sessions).
 *
 * @example
 * reviewPages([
 *   { path: '/', sessions: 1000, conversions: 30 },
 *   { path: '/blog/a', sessions: 800, conversions: 4 },
 *   { path: '/pricing', sessions: 200, conversions: 6 },
 * ]);
 * // site rate 40 / 2000 = 0.02, median 800: '/' (0.03) and '/blog/a' (0.005 < 0.01, flagged) are listed
 */
export function reviewPages(rows: readonly LandingPageTotals[]): PagesReview {
  const sessions = rows.reduce((s, r) => s + r.sessions, 0);
  const conversions = rows.reduce((s, r) => s + r.conversions, 0);
  const siteRate = ratio(conversions, sessions);
  const sorted = [...rows].filter((r) => r.sessions > 0).map((r) => r.sessions);
  sorted.sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? null
      : sorted.length % 2 === 1
        ? (sorted[mid] ?? 0)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const pages = rows
    .filter((r) => median !== null && r.sessions > 0 && r.sessions >= median)
    .sort((a, b) => b.sessions - a.sessions || a.path.localeCompare(b.path))
    .slice(0, MAX_PAGES)
    .map((r): PageReview => {
      const rate = ratio(r.conversions, r.sessions);
      const flagged = siteRate !== null && rate !== null && rate < PAGE_RATE_FACTOR * siteRate;
      return {
        ...r,
        conversion_rate: round(rate, ratio6),
        flagged,
        reason: flagged
          ? `${r.sessions.toLocaleString('en-US')} sessions but only ${pct(rate)} convert (site: ${pct(siteRate)}): add a clear offer or call to action`
          : null,
      };
    });
  return { site_conversion_rate: round(siteRate, ratio6), median_sessions: median, pages };
}
