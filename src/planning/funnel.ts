/**
 * The reverse funnel (seed 002): from a revenue goal back to the customers, SQLs, MQLs, leads and visits
 * it takes at historical conversion rates, and the media budget those leads cost per channel at each
 * channel's historical cost per lead. Pure: history comes in, the plan goes out.
 */
import { UserError } from '../core/errors.js';
import { ceilCount } from './numbers.js';
import type { Verdict } from './review.js';

/** Funnel stages in order, from the top. */
export const FUNNEL_STAGES = ['visit_to_lead', 'lead_to_mql', 'mql_to_sql', 'sql_to_customer'] as const;
export type Stage = (typeof FUNNEL_STAGES)[number];
export type Rates = Record<Stage, number>;

/**
 * Stages the bottleneck is chosen from. Visit → lead turns anonymous visits into people and is a few
 * percent on any site, so it would always be the lowest rate; the bottleneck is the weakest stage of
 * the lead funnel.
 */
export const BOTTLENECK_STAGES: readonly Stage[] = ['lead_to_mql', 'mql_to_sql', 'sql_to_customer'];

export function isStage(s: string): s is Stage {
  return (FUNNEL_STAGES as readonly string[]).includes(s);
}

/**
 * `--rate STAGE=R` values (each may also hold several, comma-separated) as rate overrides.
 *
 * @example
 * parseRateOverrides(['mql_to_sql=0.4', 'lead_to_mql=0.3,sql_to_customer=0.25']);
 * // { mql_to_sql: 0.4, lead_to_mql: 0.3, sql_to_customer: 0.25 }
 */
export function parseRateOverrides(specs: readonly string[]): Partial<Rates> {
  const out: Partial<Rates> = {};
  for (const spec of specs.flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (spec === '') continue;
    const m = /^([a-z_]+)=(.+)$/.exec(spec);
    if (!m?.[1] || m[2] === undefined)
      throw new UserError(`--rate must be STAGE=R (e.g. mql_to_sql=0.4), got "${spec}"`, { field: '--rate' });
    const stage = m[1];
    if (!isStage(stage))
      throw new UserError(`unknown stage "${stage}" (use ${FUNNEL_STAGES.join(', ')})`, {
        field: '--rate',
      });
    const r = Number(m[2]);
    if (!Number.isFinite(r) || r <= 0 || r > 1)
      throw new UserError(`--rate ${stage} must be a ratio with 0 < R ≤ 1 (0.4 for 40 %), got "${m[2]}"`, {
        field: '--rate',
      });
    out[stage] = r;
  }
  return out;
}

/** Historical rates (null where the history has nothing to divide by) with the user's overrides on top, unrounded. */
export function resolveRates(
  history: Record<Stage, number | null>,
  overrides: Partial<Rates>,
  window: string,
): Rates {
  const out = {} as Rates;
  for (const stage of FUNNEL_STAGES) {
    const r = overrides[stage] ?? history[stage];
    if (r === null || r === undefined || !Number.isFinite(r) || r <= 0)
      throw new UserError(
        `no ${stage} rate in ${window}${r === 0 ? ' (it was 0)' : ''}; give one with --rate ${stage}=R`,
        { field: '--rate' },
      );
    out[stage] = r;
  }
  return out;
}

export interface FunnelCounts {
  customers: number;
  sqls: number;
  mqls: number;
  leads: number;
  visits: number;
  bottleneck: Stage;
}

/**
 * Customers, SQLs, MQLs, leads and visits a revenue goal needs, each rounded up to a whole number before
 * the next division.
 *
 * @example
 * reverseFunnel(100_000, 8_000, { visit_to_lead: 0.02, lead_to_mql: 0.3, mql_to_sql: 0.4, sql_to_customer: 0.25 });
 * // customers ⌈100000 / 8000⌉ = ⌈12.5⌉ = 13, sqls ⌈13 / 0.25⌉ = 52, mqls ⌈52 / 0.4⌉ = 130,
 * // leads ⌈130 / 0.3⌉ = ⌈433.3⌉ = 434, visits ⌈434 / 0.02⌉ = 21700; bottleneck sql_to_customer
 */
export function reverseFunnel(goal: number, avgRevenue: number, rates: Rates): FunnelCounts {
  if (!(avgRevenue > 0)) throw new UserError('the average first-year revenue must be above 0');
  const customers = ceilCount(goal / avgRevenue);
  const sqls = ceilCount(customers / rates.sql_to_customer);
  const mqls = ceilCount(sqls / rates.mql_to_sql);
  const leads = ceilCount(mqls / rates.lead_to_mql);
  const visits = ceilCount(leads / rates.visit_to_lead);
  return { customers, sqls, mqls, leads, visits, bottleneck: bottleneck(rates) };
}

/**
 * The weakest stage of the lead funnel: the lowest of lead → MQL, MQL → SQL and SQL → customer (on a
 * tie, the earlier stage: fixing it helps every stage after it).
 *
 * @example
 * bottleneck({ visit_to_lead: 0.02, lead_to_mql: 0.3, mql_to_sql: 0.25, sql_to_customer: 0.25 }); // 'mql_to_sql'
 */
export function bottleneck(rates: Rates): Stage {
  let best: Stage = 'lead_to_mql';
  for (const s of BOTTLENECK_STAGES) if (rates[s] < rates[best]) best = s;
  return best;
}

export interface ChannelHistory {
  channel: string;
  /** Leads of the channel in the window (in the segment, when there is one). */
  leads: number;
  /** For the cost per lead: the channel's spend and leads over the same window, all markets. */
  spend: number;
  cplLeads: number;
}

/** The default share of the other channels' leads moved to the channels to double down on. */
export const DEFAULT_SHIFT = 0.2;

export interface ChannelBudget {
  channel: string;
  /** The review's verdict on the channel over the same window (keep when it was not reviewed). */
  verdict: Verdict;
  /** The channel's share of the window's leads. */
  lead_share: number;
  /** Its share of the leads the goal needs, after the review's verdicts (see `planShares`). */
  plan_share: number;
  /** ⌈needed leads × plan_share⌉. */
  leads: number;
  /** Spend / leads of the channel in the window; null with spend but no leads. */
  cost_per_lead: number | null;
  /** leads × cost_per_lead (0 for a channel without spend). */
  budget: number;
}

/**
 * Each channel's share of the new leads, following the review: a channel to cut gets none (no budget
 * growth for it), `shift` of the other channels' share moves to the channels to double down on (split
 * by their own lead shares), and the rest keep their historical proportions. When every channel with
 * leads is to be cut, the historical shares stay (there is nowhere else to get leads from).
 *
 * @example
 * planShares({ Events: 0.2, Webinars: 0.2, Organic: 0.6 }, { Events: 'cut', Webinars: 'double_down' }, 0.5);
 * // without Events: Webinars 0.2 + 0.5 × 0.6 = 0.5, Organic 0.3 → / 0.8: Webinars 0.625, Organic 0.375, Events 0
 */
export function planShares(
  shares: Readonly<Record<string, number>>,
  verdicts: Readonly<Record<string, Verdict | undefined>>,
  shift: number = DEFAULT_SHIFT,
): Record<string, number> {
  const names = Object.keys(shares);
  const of = (v: Verdict) => names.filter((n) => (verdicts[n] ?? 'keep') === v);
  const sum = (ns: string[]) => ns.reduce((s, n) => s + (shares[n] ?? 0), 0);
  const keep = of('keep');
  const up = of('double_down');
  const kept = sum(keep);
  const boosted = sum(up);
  const moved = boosted > 0 ? shift * kept : 0;
  const w: Record<string, number> = {};
  for (const n of names) {
    const s = shares[n] ?? 0;
    const v = verdicts[n] ?? 'keep';
    if (v === 'cut') w[n] = 0;
    else if (boosted <= 0) w[n] = s;
    else w[n] = v === 'double_down' ? s + (moved * s) / boosted : s * (1 - shift);
  }
  const total = names.reduce((s, n) => s + (w[n] ?? 0), 0);
  if (total <= 0) return { ...shares };
  return Object.fromEntries(names.map((n) => [n, (w[n] ?? 0) / total]));
}

/**
 * Splits the leads a goal needs over channels by `planShares` (the historical lead shares after the
 * review's verdicts) and prices them at each channel's historical cost per lead. Channels with spend
 * but no leads are listed with no leads and no budget. Most leads first. Unrounded: the report rounds.
 *
 * @example
 * channelBudgets(434, [
 *   { channel: 'Paid Search', leads: 30, spend: 6000, cplLeads: 30 },
 *   { channel: 'Organic Search', leads: 70, spend: 0, cplLeads: 70 },
 * ]);
 * // no verdicts (all keep): Organic Search ⌈434 × 0.7⌉ = 304 leads, cost per lead 0, budget 0;
 * // Paid Search ⌈434 × 0.3⌉ = 131 leads, cost per lead 200, budget 26200
 */
export function channelBudgets(
  leadsNeeded: number,
  channels: readonly ChannelHistory[],
  verdicts: Readonly<Record<string, Verdict | undefined>> = {},
  shift: number = DEFAULT_SHIFT,
): ChannelBudget[] {
  const total = channels.reduce((s, c) => s + c.leads, 0);
  const shares = Object.fromEntries(channels.map((c) => [c.channel, total === 0 ? 0 : c.leads / total]));
  const plan = planShares(shares, verdicts, shift);
  return channels
    .map((c) => {
      const plan_share = plan[c.channel] ?? 0;
      const leads = ceilCount(leadsNeeded * plan_share);
      const cost_per_lead = c.spend === 0 ? 0 : c.cplLeads === 0 ? null : c.spend / c.cplLeads;
      return {
        channel: c.channel,
        verdict: verdicts[c.channel] ?? 'keep',
        lead_share: shares[c.channel] ?? 0,
        plan_share,
        leads,
        cost_per_lead,
        budget: leads * (cost_per_lead ?? 0),
      };
    })
    .sort((a, b) => b.leads - a.leads || b.budget - a.budget || a.channel.localeCompare(b.channel));
}
