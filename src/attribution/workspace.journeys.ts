/**
 * Journeys from the workspace's own data: for each conversion, the person's touches that happen at or
 * before it and at most the look-back before it. A touch is one of the person's sessions (anonymous
 * ones linked by identify/alias included) or, for a person tracking never saw before they became a
 * contact, the CRM's original source at the contact's creation time. Each conversion keeps its own
 * journey, so later touches never re-attribute an earlier conversion. Non-converting paths (for
 * Markov) are the touches of people with no conversion in the range.
 */
import { UserError } from '../core/errors.js';
import { addDays, parseDate, periodToUtc } from '../core/time.js';
import type { SqlDialect } from '../store/dialect.js';
import { idsSql, sessionPeopleSql } from '../store/identity.sql.js';
import type { SqlParam, WorkspaceStore } from '../store/store.js';
import type { Journey, JourneyTouch } from './journeys.js';
import { type LookbackChoice, MAX_LOOKBACK_DAYS, salesCycleLookback } from './workspace.lookback.js';

export const CONVERSIONS = ['lead', 'mql', 'sql', 'opportunity', 'deal_won'] as const;
export type Conversion = (typeof CONVERSIONS)[number];

const DAY_MS = 86_400_000;

export interface JourneyQuery {
  conversion?: Conversion;
  /** Conversions dated in [from, to] (local dates); default the last 365 days. */
  from: string;
  to: string;
  /** Default: the sales cycle (see salesCycleLookback). */
  lookbackDays?: number;
  /** B2B: a conversion's touches are those of every contact of the same company. */
  account?: boolean;
  /** Also build non-converting paths (Markov uses them). */
  withNulls?: boolean;
}

/** The conversion event per kind: its contact, time, value and (for milestones) lead/opportunity times. */
function conversionSql(c: Conversion, d: SqlDialect): string {
  const noTime = d.nullOf('timestamp');
  switch (c) {
    case 'lead':
    case 'mql':
    case 'sql':
      return `SELECT c.id AS key, c.id AS contact_id, c.company, c.${c}_at AS t, 0.0 AS value,
                c.lead_at AS lead_at, c.opportunity_at AS opp_at, ${noTime} AS won_at
              FROM @contacts c WHERE c.${c}_at >= $start AND c.${c}_at < $end`;
    case 'opportunity':
      return `SELECT d.id AS key, d.contact_id, c.company, d.created_at AS t, d.amount AS value,
                c.lead_at AS lead_at, d.created_at AS opp_at, ${noTime} AS won_at
              FROM @deals d LEFT JOIN @contacts c ON c.id = d.contact_id WHERE d.created_at >= $start AND d.created_at < $end`;
    case 'deal_won':
      return `SELECT d.id AS key, d.contact_id, c.company, d.closed_at AS t, d.amount AS value,
                c.lead_at AS lead_at, d.created_at AS opp_at, d.closed_at AS won_at
              FROM @deals d LEFT JOIN @contacts c ON c.id = d.contact_id
              WHERE d.won AND d.closed_at >= $start AND d.closed_at < $end`;
  }
}

/**
 * Every touch as (started_at, channel, campaign, contact_id, person): sessions, with the contact
 * their anonymous id was linked to, and one CRM touch per contact that has an original source and no
 * session at or before its creation. The original source is taken as the channel as stored — the
 * value `kpi leads --by channel` uses (imports map HubSpot's Original Source to channel names).
 */
function touchCtes(d: SqlDialect): string {
  return `${d.cte('ids', idsSql(d), true)},
     sess AS (${sessionPeopleSql('s.started_at, s.channel, s.campaign')}),
     ${d.cte('first_seen', 'SELECT contact_id, min(started_at) AS t FROM sess WHERE contact_id IS NOT NULL GROUP BY 1', true)},
     crm AS (SELECT c.created_at AS started_at, c.original_source AS channel, ${d.nullOf('varchar')} AS campaign,
               c.id AS contact_id, c.id AS person
             FROM @contacts c LEFT JOIN first_seen f ON f.contact_id = c.id
             WHERE nullif(trim(c.original_source), '') IS NOT NULL AND (f.t IS NULL OR f.t > c.created_at)),
     touch AS (SELECT * FROM sess UNION ALL SELECT * FROM crm)`;
}

/** A conversion with every touch of the widest look-back the query used, oldest first. */
interface RawJourney {
  t: Date;
  value: number;
  lead: Date | null;
  opp: Date | null;
  won: Date | null;
  touches: JourneyTouch[];
}

/**
 * Builds the journeys of every conversion in the range. Without `lookbackDays` the look-back is the
 * sales cycle of these conversions (salesCycleLookback); `lookback` says which was used.
 *
 * @example
 * const { journeys, lookback } = await buildJourneys(ws, { conversion: 'deal_won', from: '2026-01-01', to: '2026-06-30' });
 */
export async function buildJourneys(
  ws: WorkspaceStore,
  q: JourneyQuery,
): Promise<{ journeys: Journey[]; conversions: number; nullPaths: number; lookback: LookbackChoice }> {
  const conversion = q.conversion ?? 'deal_won';
  if (!CONVERSIONS.includes(conversion))
    throw new UserError(`--conversion must be one of ${CONVERSIONS.join(', ')}`, { field: '--conversion' });
  const given = q.lookbackDays;
  if (given !== undefined && (!Number.isInteger(given) || given < 0 || given > MAX_LOOKBACK_DAYS))
    throw new UserError(`--lookback must be a whole number of days, 0 to ${MAX_LOOKBACK_DAYS}`, {
      field: '--lookback',
    });
  const from = parseDate(q.from, '--from');
  const to = parseDate(q.to, '--to');
  if (to < from) throw new UserError(`--to (${to}) is before --from (${from})`, { field: '--to' });
  const { start, end } = periodToUtc(from, to, ws.workspace.timezone);
  // The default needs every touch up to the widest look-back to measure the sales cycle on.
  const widest = given ?? MAX_LOOKBACK_DAYS;
  const raw = await rawJourneys(ws, conversion, q.account === true, { start, end, lookback: widest });
  const lookback: LookbackChoice =
    given !== undefined
      ? { days: given, basis: 'given', sales_cycle: null }
      : salesCycleLookback(
          raw.filter((j) => j.touches.length > 0).map((j) => (j.t.getTime() - j.touches[0]!.time) / DAY_MS),
        );
  const journeys: Journey[] = raw.map((j) => {
    const earliest = j.t.getTime() - lookback.days * DAY_MS;
    const touches = j.touches.filter((t) => t.time >= earliest);
    markMilestones(touches, j.lead, j.opp, j.won);
    return { touches, conversionTime: j.t.getTime(), conversions: 1, value: j.value };
  });
  const conversions = journeys.length;
  let nullPaths = 0;
  if (q.withNulls) {
    const nulls = await nullJourneys(ws, conversion, { start, end, lookback: lookback.days });
    nullPaths = nulls.reduce((n, j) => n + (j.nulls ?? 0), 0);
    journeys.push(...nulls);
  }
  return { journeys, conversions, nullPaths, lookback };
}

async function rawJourneys(
  ws: WorkspaceStore,
  conversion: Conversion,
  account: boolean,
  p: { start: Date; end: Date; lookback: number },
): Promise<RawJourney[]> {
  const params: Record<string, SqlParam> = {
    start: p.start,
    end: p.end,
    lookback_start: new Date(p.start.getTime() - p.lookback * DAY_MS),
    lookback: p.lookback,
  };
  // Touches are joined by contact, or by company for account-level (B2B) journeys.
  const joinOn = account
    ? `(x.contact_id = cv.contact_id OR (cv.company IS NOT NULL AND x.company = cv.company))`
    : 'x.contact_id = cv.contact_id';
  const d = ws.dialect;
  const rows = await ws.query<{
    key: string;
    t: Date;
    value: number;
    lead_at: Date | null;
    opp_at: Date | null;
    won_at: Date | null;
    started_at: Date | null;
    channel: string | null;
    campaign: string | null;
  }>(
    `WITH ${touchCtes(d)},
     ${d.cte('cv', conversionSql(conversion, d), true)},
     x AS (SELECT touch.started_at, touch.channel, touch.campaign, touch.contact_id, c.company
           FROM touch LEFT JOIN @contacts c ON c.id = touch.contact_id
           WHERE touch.started_at >= $lookback_start AND touch.started_at < $end AND touch.contact_id IS NOT NULL)
     SELECT cv.key, cv.t, cv.value, cv.lead_at, cv.opp_at, cv.won_at, x.started_at, x.channel, x.campaign
     FROM cv LEFT JOIN x ON ${joinOn} AND x.started_at <= cv.t
       AND x.started_at >= ${d.addInterval('cv.t', '-$lookback', 'day')}
     ORDER BY cv.key, x.started_at`,
    params,
  );
  const out: RawJourney[] = [];
  let key: string | null = null;
  for (const r of rows) {
    if (key !== r.key || out.length === 0) {
      key = r.key;
      out.push({
        t: r.t,
        value: Number(r.value ?? 0),
        lead: r.lead_at,
        opp: r.opp_at,
        won: r.won_at,
        touches: [],
      });
    }
    if (r.started_at && r.channel)
      out[out.length - 1]!.touches.push({
        channel: r.channel,
        campaign: r.campaign,
        time: r.started_at.getTime(),
      });
  }
  return out;
}

/** The touch that created each milestone: the last touch at or before it. */
function markMilestones(
  touches: JourneyTouch[],
  lead: Date | null,
  opp: Date | null,
  won: Date | null,
): void {
  const lastBefore = (at: Date | null) => {
    if (!at) return -1;
    let idx = -1;
    for (let i = 0; i < touches.length; i++) if ((touches[i] as JourneyTouch).time <= at.getTime()) idx = i;
    return idx;
  };
  const l = lastBefore(lead);
  const o = lastBefore(opp);
  const w = lastBefore(won);
  if (l >= 0) (touches[l] as JourneyTouch).isLead = true;
  if (o >= 0) (touches[o] as JourneyTouch).isOpportunity = true;
  if (w >= 0) (touches[w] as JourneyTouch).isDealWon = true;
}

/**
 * People with touches in the range and no conversion of this kind in it: their channel paths (at most
 * the look-back before their last touch), counted per distinct path in SQL so millions of visitors
 * stay a compact table.
 */
async function nullJourneys(
  ws: WorkspaceStore,
  conversion: Conversion,
  p: { start: Date; end: Date; lookback: number },
): Promise<Journey[]> {
  const d = ws.dialect;
  const touch = d.struct(['t', 'c', 'k']);
  const t = (x: string) => touch.get(x, 't');
  const sep = d.charCode(31);
  const rows = await ws.query<{ path: string; campaigns: string; n: number }>(
    `WITH ${touchCtes(d)},
     ${d.cte('cv', `SELECT DISTINCT contact_id FROM (${conversionSql(conversion, d)}) cv0 WHERE contact_id IS NOT NULL`, true)},
     s AS (SELECT started_at, channel, coalesce(campaign, '') AS campaign, person, contact_id
           FROM touch WHERE started_at >= $start AND started_at < $end),
     -- Sorting small per-person lists is far cheaper than an ordered aggregate over millions of rows.
     pp AS (SELECT ${d.anyValue('contact_id')} AS contact_id,
              ${d.listSort(d.listAgg(touch.make({ t: 'started_at', c: 'channel', k: 'campaign' })))} AS p
            FROM s GROUP BY person),
     q AS (SELECT ${d.listFilter('p', 'x', `${t('x')} >= ${d.addInterval(t(d.listLast('p')), '-$lookback', 'day')}`)} AS p FROM pp
           WHERE contact_id IS NULL OR contact_id NOT IN (SELECT contact_id FROM cv))
     SELECT ${d.listJoin(d.listTransform('p', 'x', touch.get('x', 'c')), sep)} AS path,
            ${d.listJoin(d.listTransform('p', 'x', touch.get('x', 'k')), sep)} AS campaigns, count(*) AS n
     FROM q GROUP BY 1, 2`,
    { start: p.start, end: p.end, lookback: p.lookback },
  );
  // Group identical (channel, campaign) paths: most visitors share a handful of short paths.
  const grouped = new Map<string, { channels: string[]; campaigns: string[]; n: number }>();
  for (const r of rows) {
    const k = `${r.path}\u001e${r.campaigns}`;
    const g = grouped.get(k);
    if (g) g.n += r.n;
    else grouped.set(k, { channels: r.path.split('\u001f'), campaigns: r.campaigns.split('\u001f'), n: r.n });
  }
  return [...grouped.values()].map((g) => ({
    touches: g.channels.map((channel, i) => ({ channel, campaign: g.campaigns[i] || null, time: i })),
    conversions: 0,
    value: 0,
    nulls: g.n,
  }));
}

/** The last 365 days up to `today` as a range. */
export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -364), to: today };
}
