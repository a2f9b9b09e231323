/**
 * What planning reads from the workspace: KPIs through `runKpis` (so a plan uses exactly the numbers
 * `northstar kpi` shows) and three small analytic queries the KPI catalog has no measure for (revenue
 * from existing customers, landing pages with their lead-form sessions, the known markets).
 */
import { periodToUtc } from '../core/time.js';
import { type KpiResult, runKpi, runKpis } from '../metrics/kpi.query.js';
import type { SqlParam, WorkspaceStore } from '../store/store.js';
import type { ChannelHistory } from './funnel.js';
import type { ChannelTotals, LandingPageTotals } from './review.js';
import type { YearRevenue } from './target.js';

/**
 * The `revenue` KPI per calendar year (local time), years without revenue as 0.
 *
 * @example
 * await revenueByYear(ws, 2022, 2025); // [{ year: 2022, revenue: 0 }, { year: 2023, revenue: 149350 }, …]
 */
export async function revenueByYear(ws: WorkspaceStore, first: number, last: number): Promise<YearRevenue[]> {
  const r = await runKpi(ws, { kpi: 'revenue', from: `${first}-01-01`, to: `${last}-12-31`, grain: 'year' });
  return r.rows.map((row) => ({ year: Number(row.period.slice(0, 4)), revenue: row.value ?? 0 }));
}

/**
 * The `revenue` KPI over each of several inclusive local date ranges (trailing twelve months).
 *
 * @example
 * await revenueByWindows(ws, [{ year: 2026, from: '2025-12-04', to: '2026-12-03' }]);
 * // [{ year: 2026, from: '2025-12-04', to: '2026-12-03', revenue: 512300 }]
 */
export async function revenueByWindows(
  ws: WorkspaceStore,
  windows: ReadonlyArray<{ year: number; from: string; to: string }>,
): Promise<YearRevenue[]> {
  return Promise.all(
    windows.map(async (w) => {
      const r = await runKpi(ws, { kpi: 'revenue', from: w.from, to: w.to });
      return { ...w, revenue: r.rows[0]?.value ?? 0 };
    }),
  );
}

/** Totals of a `runKpis` call without breakdown, by KPI id (null: undefined). */
function totals(ids: readonly string[], results: readonly KpiResult[]): Record<string, number | null> {
  return Object.fromEntries(ids.map((id, i) => [id, results[i]?.rows[0]?.value ?? null]));
}

/** Per-channel values of a `runKpis` call with `by: 'channel'`; a channel missing from a KPI gets 0. */
function perChannel(
  ids: readonly string[],
  results: readonly KpiResult[],
): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  results.forEach((r, i) => {
    const id = ids[i];
    if (!id) return;
    for (const row of r.rows) {
      const key = row.channel ?? '(none)';
      const rec = out.get(key) ?? Object.fromEntries(ids.map((k) => [k, 0]));
      rec[id] = (rec[id] ?? 0) + (row.value ?? 0);
      out.set(key, rec);
    }
  });
  return out;
}

export interface FunnelHistory {
  from: string;
  to: string;
  /** In the segment (market) when there is one. */
  revenue: number;
  customers: number;
  sqls: number;
  mqls: number;
  leads: number;
  /** All markets: visits have no market before they convert. */
  siteSessions: number;
  siteLeads: number;
  /** Contacts that were customers before the window (in the segment). */
  existingCustomers: number;
  /** Won deals closed in the window whose contact was a customer before it (in the segment). */
  existingRevenue: number;
  channels: ChannelHistory[];
}

/**
 * The window's history for the reverse funnel: funnel counts and revenue (in the market `segment` when
 * given), site-wide sessions, revenue from existing customers, and per channel the leads (in the
 * segment) with spend and leads (all markets) for the cost per lead.
 */
export async function funnelHistory(
  ws: WorkspaceStore,
  from: string,
  to: string,
  segment?: string,
): Promise<FunnelHistory> {
  const filter = segment === undefined ? {} : { market: segment };
  const seg = ['revenue', 'customers', 'sqls', 'mqls', 'leads'];
  const site = ['sessions', 'leads'];
  const [a, b, c, d, existing] = await Promise.all([
    runKpis(ws, seg, { from, to, filter }),
    runKpis(ws, site, { from, to }),
    runKpis(ws, ['leads'], { from, to, by: 'channel', filter }),
    runKpis(ws, ['ad_spend', 'leads'], { from, to, by: 'channel' }),
    existingCustomers(ws, from, to, segment),
  ]);
  const s = totals(seg, a);
  const w = totals(site, b);
  const segLeads = perChannel(['leads'], c);
  const cost = perChannel(['ad_spend', 'leads'], d);
  const names = [...new Set([...segLeads.keys(), ...cost.keys()])].sort();
  return {
    from,
    to,
    revenue: s.revenue ?? 0,
    customers: s.customers ?? 0,
    sqls: s.sqls ?? 0,
    mqls: s.mqls ?? 0,
    leads: s.leads ?? 0,
    siteSessions: w.sessions ?? 0,
    siteLeads: w.leads ?? 0,
    ...existing,
    channels: names.map((channel) => ({
      channel,
      leads: segLeads.get(channel)?.leads ?? 0,
      spend: cost.get(channel)?.ad_spend ?? 0,
      cplLeads: cost.get(channel)?.leads ?? 0,
    })),
  };
}

async function existingCustomers(
  ws: WorkspaceStore,
  from: string,
  to: string,
  segment?: string,
): Promise<{ existingCustomers: number; existingRevenue: number }> {
  const { start, end } = periodToUtc(from, to, ws.workspace.timezone);
  const market = segment === undefined ? '' : ' AND c.market = $market';
  const params: Record<string, SqlParam> =
    segment === undefined ? { start, end } : { start, end, market: segment };
  const d = ws.dialect;
  const [row] = await ws.query<{ customers: number; revenue: number | null }>(
    `SELECT
       (SELECT count(*) FROM @contacts c WHERE c.customer_at < $start${market}) AS customers,
       (SELECT ${d.cast(`sum(${d.cast('d.amount', 'decimal')})`, 'double')} FROM @deals d JOIN @contacts c ON c.id = d.contact_id
        WHERE d.won AND d.closed_at >= $start AND d.closed_at < $end AND c.customer_at < $start${market}) AS revenue`,
    params,
  );
  return { existingCustomers: Number(row?.customers ?? 0), existingRevenue: Number(row?.revenue ?? 0) };
}

/**
 * Spend, leads, customers and revenue per channel over an inclusive local date range (leads, customers
 * and revenue by the contact's original source channel, spend by the spend row's channel).
 *
 * @example
 * await channelTotals(ws, '2025-01-01', '2025-12-31'); // [{ channel: 'Events', spend: 181500, leads: 31, … }, …]
 */
export async function channelTotals(ws: WorkspaceStore, from: string, to: string): Promise<ChannelTotals[]> {
  const ids = ['ad_spend', 'leads', 'customers', 'revenue'];
  const m = perChannel(ids, await runKpis(ws, ids, { from, to, by: 'channel' }));
  return [...m.entries()]
    .map(([channel, v]) => ({
      channel,
      spend: v.ad_spend ?? 0,
      leads: v.leads ?? 0,
      customers: v.customers ?? 0,
      revenue: v.revenue ?? 0,
    }))
    .filter((c) => c.spend !== 0 || c.leads !== 0 || c.customers !== 0 || c.revenue !== 0);
}

/**
 * Sessions per landing page that start in the range, and how many of them had a lead form submitted
 * (the workspace's `lead` key events, `Form Submitted` and `Signed Up` by default) in the same session.
 */
export async function landingPages(
  ws: WorkspaceStore,
  from: string,
  to: string,
): Promise<LandingPageTotals[]> {
  const { start, end } = periodToUtc(from, to, ws.workspace.timezone);
  const keys = ws.workspace.settings.keyEvents.lead;
  // A session's lead form may come minutes after the range ends; a day of slack covers it.
  const params: Record<string, string | Date> = {
    start,
    end,
    events_end: new Date(end.getTime() + 86_400_000),
  };
  keys.forEach((k, i) => {
    params[`k${i}`] = k;
  });
  const list = keys.length ? keys.map((_, i) => `$k${i}`).join(', ') : 'NULL';
  const rows = await ws.query<{ path: string; sessions: number; conversions: number }>(
    `WITH s AS (SELECT session_id, landing_path FROM @sessions WHERE started_at >= $start AND started_at < $end),
     f AS (SELECT DISTINCT session_id FROM @events
           WHERE type = 'track' AND event IN (${list}) AND session_id IS NOT NULL AND ts >= $start AND ts < $events_end)
     SELECT coalesce(s.landing_path, '(none)') AS path, count(*) AS sessions, count(f.session_id) AS conversions
     FROM s LEFT JOIN f ON f.session_id = s.session_id GROUP BY 1`,
    params,
  );
  return rows.map((r) => ({
    path: r.path,
    sessions: Number(r.sessions),
    conversions: Number(r.conversions),
  }));
}

/** Markets the workspace's contacts belong to, for a helpful error on an unknown segment. */
export async function knownMarkets(ws: WorkspaceStore): Promise<string[]> {
  const rows = await ws.query<{ market: string }>(
    'SELECT DISTINCT market FROM @contacts WHERE market IS NOT NULL ORDER BY 1',
  );
  return rows.map((r) => r.market);
}
