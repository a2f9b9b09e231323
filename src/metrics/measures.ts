/**
 * Base measures: additive counts and sums (or distinct counts) that every KPI formula is built from.
 * Each is SQL over workspace-scoped tables (`@table`); the query planner buckets it by period and
 * breakdown. Keeping rates out of here is what makes them exact: a rate is always
 * sum(numerator) / sum(denominator) over the same period and breakdown, never an average of ratios.
 */
import type { SqlDialect } from '../store/dialect.js';
import { idsSql, sessionPeopleSql } from '../store/identity.sql.js';

export const BREAKDOWNS = ['channel', 'source', 'campaign', 'market', 'owner'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/**
 * A piece of SQL: plain text in the SQL every store shares, or built with the store's dialect where
 * it needs engine-specific syntax (store/dialect.ts).
 */
export type Sql = string | ((d: SqlDialect) => string);

/**
 * The text of a piece of SQL for a dialect.
 *
 * @example
 * sqlFor((d) => d.argMin('channel', 'started_at'), ws.dialect);
 */
export function sqlFor(s: Sql, d: SqlDialect): string {
  return typeof s === 'string' ? s : s(d);
}

/**
 * Shared building blocks, included only when a measure needs them, as (name, query, materialize)
 * common table expressions. Small results that several measures read are materialized once.
 */
export const CTES = {
  // Identity stitching (store/identity.sql.ts): an anonymous id belongs to the first user it
  // was linked to; a session's person is its contact, else its anonymous id.
  ids: [['ids', idsSql, true]],
  sess: [['sess', sessionPeopleSql(), false]],
  // A contact's original source: its first session's channel, else what the CRM recorded.
  people: [
    [
      'first_touch',
      (d) => `SELECT contact_id, ${d.argMin('channel', 'started_at')} AS channel,
         ${d.argMin('source', 'started_at')} AS source, ${d.argMin('campaign', 'started_at')} AS campaign
       FROM sess WHERE contact_id IS NOT NULL GROUP BY 1`,
      true,
    ],
    [
      'people',
      `SELECT c.*, coalesce(ft.channel, c.original_source) AS o_channel, coalesce(ft.source, c.original_source) AS o_source,
         ft.campaign AS o_campaign
       FROM @contacts c LEFT JOIN first_touch ft ON ft.contact_id = c.id`,
      true,
    ],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, Sql, boolean]>>;
export type Cte = keyof typeof CTES;
const CTE_DEPS: Record<Cte, Cte[]> = { ids: [], sess: ['ids'], people: ['ids', 'sess'] };
const CTE_ORDER: Cte[] = ['ids', 'sess', 'people'];

/** The WITH clause for a set of needs (with their dependencies), in dependency order. */
export function withCtes(needs: Iterable<Cte>, d: SqlDialect): string {
  const all = new Set<Cte>();
  const add = (c: Cte) => {
    for (const d of CTE_DEPS[c]) add(d);
    all.add(c);
  };
  for (const n of needs) add(n);
  const parts = CTE_ORDER.filter((c) => all.has(c)).flatMap((c) =>
    CTES[c].map(([name, sql, mat]) => d.cte(name, sqlFor(sql, d), mat)),
  );
  return parts.length ? `WITH ${parts.join(',\n')}` : '';
}

export interface Measure {
  id: string;
  description: string;
  needs: Cte[];
  /** FROM clause; the row alias is `x`. */
  from: Sql;
  /** When the row happened: a UTC TIMESTAMP expression, or a local DATE for `timeKind: 'date'`. */
  time: string;
  timeKind: 'instant' | 'date';
  /** Summed per group; ignored when `distinct` is set. */
  value: Sql;
  /** Counted distinct per group instead of summing `value`. */
  distinct?: Sql;
  /** The median of this expression per group instead of a sum (undefined, not 0, with no rows). */
  median?: Sql;
  where?: string;
  /** Breakdown expressions; a missing one groups every row under "(none)". */
  dims: Partial<Record<Breakdown, Sql>>;
  /** Named lists of key events this measure reads (bound as parameters). */
  keyEvents?: 'bofu' | 'trial' | 'pql' | 'lead' | 'subscribe';
}

const personDims = {
  channel: 'x.o_channel',
  source: 'x.o_source',
  campaign: 'x.o_campaign',
  market: 'x.market',
  owner: 'x.owner',
} satisfies Partial<Record<Breakdown, string>>;

const sessionDims = { channel: 'x.channel', source: 'x.source', campaign: 'x.campaign' };

function stage(id: string, column: string, what: string): Measure {
  return {
    id,
    description: `contacts whose first ${what} date is in the period`,
    needs: ['people'],
    from: 'people x',
    time: `x.${column}`,
    timeKind: 'instant',
    value: '1',
    where: `x.${column} IS NOT NULL`,
    dims: personDims,
  };
}

function emailPairs(id: string, type: string): Measure {
  return {
    id,
    description: `distinct (recipient, campaign) pairs with a ${type} event in the period`,
    needs: [],
    from: '@email_events x',
    time: 'x.ts',
    timeKind: 'instant',
    value: '1',
    distinct: (d) => `x.email || ${d.charCode(31)} || coalesce(x.campaign, '')`,
    where: `x.type = '${type}'`,
    dims: { channel: `'Email'`, campaign: 'x.campaign' },
  };
}

function emailCount(id: string, type: string): Measure {
  return { ...emailPairs(id, type), distinct: undefined, description: `${type} e-mail events in the period` };
}

function trackEvents(
  id: string,
  description: string,
  where: string,
  keyEvents?: Measure['keyEvents'],
  distinct?: string,
): Measure {
  return {
    id,
    description,
    needs: [],
    from: '@events x',
    time: 'x.ts',
    timeKind: 'instant',
    value: '1',
    distinct,
    where: `x.type = 'track' AND ${where}`,
    dims: {
      channel: 'x.channel',
      source: 'x.source',
      campaign: 'x.campaign',
      owner: (d) => d.jsonText('x.properties', ['owner']),
    },
    keyEvents,
  };
}

function social(id: string, metric: string): Measure {
  return {
    id,
    description: `sum of social ${metric} in the period`,
    needs: [],
    from: '@social_metrics x',
    time: 'x.date',
    timeKind: 'date',
    value: 'x.value',
    where: `x.metric = '${metric}'`,
    dims: { source: 'x.network', channel: `'Organic Social'` },
  };
}

const dealDims = {
  channel: 'x.o_channel',
  source: 'x.o_source',
  campaign: 'x.o_campaign',
  market: 'x.market',
  owner: 'd.owner',
};
const wonDeals = '@deals d LEFT JOIN people x ON x.id = d.contact_id';

/** Days a contact spent between two stages, for contacts that reached the later one in the period. */
function stageDays(id: string, fromCol: string, toCol: string, what: string): Measure {
  return {
    ...stage(id, toCol, what),
    description: `median days from ${fromCol.replace('_at', '')} to ${toCol.replace('_at', '')}, over contacts reaching ${what} in the period`,
    median: (d) => `${d.secondsBetween(`x.${fromCol}`, `x.${toCol}`)} / 86400.0`,
    where: `x.${toCol} IS NOT NULL AND x.${fromCol} IS NOT NULL AND x.${toCol} >= x.${fromCol}`,
  };
}

/**
 * Every SQL with its first follow-up (a deal created for the contact, or a tracked event the scoring
 * SLA names, e.g. a logged call) at or after its SQL date, and the hours that took; an SQL not
 * followed up counts the hours until now. `breach`: over the SLA's hours (scoring rules; 24 without).
 */
export function followUpSql(d: SqlDialect): string {
  const hours = `${d.secondsBetween('c.sql_at', `coalesce(f.first_at, ${d.now()})`)} / 3600.0`;
  // One row however many rule rows there are (none: NULL, so the defaults apply), parsed once.
  const rules = (expr: (json: string) => string) =>
    `(SELECT ${expr(d.anyValue('r.rules'))} FROM @scoring_rules r)`;
  const events = rules((json) =>
    d.jsonStringList(json, ['sla', 'followUpEvents'], d.list([`'Call Logged'`, `'Meeting Booked'`])),
  );
  const slaHours = rules((json) => d.cast(d.jsonText(json, ['sla', 'sqlFollowUpHours']), 'double'));
  return `SELECT c.*, f.first_at AS followed_at, ${hours} AS follow_up_hours, ${hours} > cfg.hours AS breach
  FROM people c
  CROSS JOIN (SELECT coalesce(${slaHours}, 24) AS hours) cfg
  LEFT JOIN (
    SELECT s.id, min(t.at) AS first_at
    FROM (SELECT d.contact_id AS cid, d.created_at AS at FROM @deals d
          UNION ALL
          SELECT e.user_id, e.ts FROM @events e WHERE e.type = 'track' AND e.user_id IS NOT NULL
            AND ${d.listContains(events, 'e.event')}) t
    JOIN @contacts s ON s.id = t.cid AND s.sql_at IS NOT NULL AND t.at >= s.sql_at
    GROUP BY 1) f ON f.id = c.id
  WHERE c.sql_at IS NOT NULL`;
}

/** Contacts that lead scoring moved to `stage` (lifecycle_changes), counted once each, when it did. */
function scoredStage(id: string, stage: 'mql' | 'sql'): Measure {
  return {
    id,
    description: `contacts lead scoring moved to ${stage.toUpperCase()} in the period`,
    needs: ['people'],
    from: '@lifecycle_changes l JOIN people x ON x.id = l.contact_id',
    time: 'l.changed_at',
    timeKind: 'instant',
    value: '1',
    distinct: 'x.id',
    where: `l.source = 'score' AND l.stage = '${stage}'`,
    dims: personDims,
  };
}

/** Lead-scoring and SLA measures (docs/scoring.md). */
const SCORING_MEASURES: readonly Measure[] = [
  scoredStage('scored_mqls', 'mql'),
  scoredStage('scored_sqls', 'sql'),
  {
    id: 'sla_breaches',
    description: 'SQLs of the period not followed up within the SLA hours (a deal, a call, a meeting)',
    needs: ['people'],
    from: (d) => `(${followUpSql(d)}) x`,
    time: 'x.sql_at',
    timeKind: 'instant',
    value: '1',
    where: 'x.breach',
    dims: personDims,
  },
  {
    id: 'follow_up_hours',
    description: 'median hours from SQL to the first follow-up, over SQLs of the period followed up',
    needs: ['people'],
    from: (d) => `(${followUpSql(d)}) x`,
    time: 'x.sql_at',
    timeKind: 'instant',
    value: '1',
    median: 'x.follow_up_hours',
    where: 'x.followed_at IS NOT NULL',
    dims: personDims,
  },
  {
    ...stage('accepted_mqls', 'mql_at', 'MQL'),
    description: 'contacts whose first MQL date is in the period and that sales accepted (SAL or SQL since)',
    where: 'x.mql_at IS NOT NULL AND (x.sal_at IS NOT NULL OR x.sql_at IS NOT NULL)',
  },
];

export const MEASURES: readonly Measure[] = [
  ...SCORING_MEASURES,
  {
    id: 'sessions',
    description: 'sessions that start in the period',
    needs: [],
    from: '@sessions x',
    time: 'x.started_at',
    timeKind: 'instant',
    value: '1',
    dims: sessionDims,
  },
  {
    ...sessionMeasure('visitors', 'distinct persons with a session starting in the period'),
    needs: ['sess'],
    from: 'sess x',
    distinct: 'x.person',
  },
  {
    ...sessionMeasure('page_views', 'page views of sessions that start in the period'),
    value: 'x.page_views',
  },
  {
    ...sessionMeasure('blog_sessions', 'sessions that start in the period on a /blog/ page'),
    where: `x.landing_path LIKE '/blog/%'`,
  },
  stage('leads', 'lead_at', 'lead'),
  stage('mqls', 'mql_at', 'MQL'),
  stage('sals', 'sal_at', 'SAL (sales-accepted)'),
  stage('sqls', 'sql_at', 'SQL'),
  stage('opportunities', 'opportunity_at', 'opportunity'),
  stage('customers', 'customer_at', 'customer'),
  stage('subscribers', 'subscriber_at', 'subscriber'),
  stageDays('days_lead_to_mql', 'lead_at', 'mql_at', 'MQL'),
  stageDays('days_mql_to_sql', 'mql_at', 'sql_at', 'SQL'),
  stageDays('days_sql_to_opportunity', 'sql_at', 'opportunity_at', 'opportunity'),
  stageDays('days_opportunity_to_customer', 'opportunity_at', 'customer_at', 'customer'),
  {
    id: 'won_leads',
    description:
      'leads with a lead date in the period whose contact has a won deal closed by the end of the range',
    needs: ['people'],
    from: 'people x',
    time: 'x.lead_at',
    timeKind: 'instant',
    value: '1',
    where:
      'x.lead_at IS NOT NULL AND EXISTS (SELECT 1 FROM @deals d WHERE d.contact_id = x.id AND d.won AND d.closed_at < $range_end)',
    dims: personDims,
  },
  dealMeasure('revenue', 'sum of amount of won deals closed in the period', 'd.amount', 'd.won'),
  dealMeasure(
    'lead_revenue',
    'revenue of won deals whose contact has a lead date',
    'd.amount',
    'd.won AND x.lead_at IS NOT NULL',
  ),
  dealMeasure('won_deals', 'won deals closed in the period', '1', 'd.won'),
  dealMeasure('lost_deals', 'lost deals closed in the period', '1', 'd.won = false'),
  dealMeasure(
    'cycle_days',
    'sum of days from creation to close of won deals closed in the period',
    (d) => `${d.secondsBetween('d.created_at', 'd.closed_at')} / 86400.0`,
    'd.won',
  ),
  {
    ...dealMeasure('pipeline_created', 'sum of amount of deals created in the period', 'd.amount', 'true'),
    time: 'd.created_at',
  },
  { ...dealMeasure('deals_created', 'deals created in the period', '1', 'true'), time: 'd.created_at' },
  spendMeasure('ad_spend', 'sum of cost of spend rows dated in the period', 'x.cost'),
  spendMeasure('clicks', 'ad clicks in the period', 'coalesce(x.clicks, 0)'),
  {
    ...spendMeasure(
      'click_spend',
      'cost of spend rows that bought clicks (paid media, not booths or tools)',
      'x.cost',
    ),
    where: 'x.clicks > 0',
  },
  spendMeasure('impressions', 'ad impressions in the period', 'coalesce(x.impressions, 0)'),
  spendMeasure(
    'ad_reach',
    'people reached by ads in the period (sum of daily reach)',
    'coalesce(x.reach, 0)',
  ),
  emailCount('emails_sent', 'sent'),
  emailPairs('email_sent_pairs', 'sent'),
  emailPairs('email_open_pairs', 'open'),
  emailPairs('email_click_pairs', 'click'),
  emailPairs('email_reply_pairs', 'reply'),
  emailCount('unsubscribes', 'unsubscribe'),
  emailCount('email_subscribes', 'subscribe'),
  trackEvents(
    'bofu_requests',
    'bottom-of-funnel requests (demo, quote, consultation, assessment, meeting) in the period',
    'x.event IN $keys',
    'bofu',
  ),
  trackEvents('trials', 'free trials started in the period', 'x.event IN $keys', 'trial'),
  trackEvents('pqls', 'product-qualified leads in the period', 'x.event IN $keys', 'pql'),
  trackEvents('form_fills', 'lead forms submitted in the period', 'x.event IN $keys', 'lead'),
  trackEvents('meetings_booked', 'meetings booked in the period', `x.event = 'Meeting Booked'`),
  trackEvents('calls_logged', 'sales calls logged in the period', `x.event = 'Call Logged'`),
  trackEvents(
    'sales_touches',
    'distinct contacts a salesperson called in the period',
    `x.event = 'Call Logged'`,
    undefined,
    'x.user_id',
  ),
  trackEvents(
    'triggers_fired',
    'behavioural triggers fired (tracked CTA clicks, downloads, video plays) in the period',
    `x.event IN ('CTA Clicked', 'Content Downloaded', 'Video Played')`,
  ),
  campaignMeasure(
    'content_published',
    'content pieces (blog posts) published in the period',
    `x.kind = 'content'`,
  ),
  campaignMeasure(
    'campaigns_launched',
    'campaigns launched in the period (all kinds but content)',
    `x.kind <> 'content'`,
  ),
  social('social_posts', 'posts'),
  social('social_comments', 'comments'),
  social('social_shares', 'shares'),
  social('social_reach', 'reach'),
];

function sessionMeasure(id: string, description: string): Measure {
  return {
    id,
    description,
    needs: [],
    from: '@sessions x',
    time: 'x.started_at',
    timeKind: 'instant',
    value: '1',
    dims: sessionDims,
  };
}

function dealMeasure(id: string, description: string, value: Sql, where: string): Measure {
  return {
    id,
    description,
    needs: ['people'],
    from: wonDeals,
    time: 'd.closed_at',
    timeKind: 'instant',
    value,
    where,
    dims: dealDims,
  };
}

function spendMeasure(id: string, description: string, value: Sql): Measure {
  return {
    id,
    description,
    needs: [],
    from: '@spend x',
    time: 'x.date',
    timeKind: 'date',
    value,
    dims: { channel: 'x.channel', source: 'x.source', campaign: 'x.campaign' },
  };
}

function campaignMeasure(id: string, description: string, where: string): Measure {
  return {
    id,
    description,
    needs: [],
    from: '@campaigns x',
    time: 'x.launched_at',
    timeKind: 'instant',
    value: '1',
    where,
    dims: { channel: 'x.channel', campaign: 'x.id' },
  };
}

export const MEASURE_BY_ID: ReadonlyMap<string, Measure> = new Map(MEASURES.map((m) => [m.id, m]));
