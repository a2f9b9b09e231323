/**
 * The KPI catalog: every KPI is a formula over base measures (measures.ts), with its family, unit and
 * which direction is better. Canonical ids and arithmetic are fixed by INTERFACE.md; docs/kpis.md is
 * generated from this list (`npm run docs:kpis`), so the two cannot drift.
 */
export const FAMILIES = ['value', 'efficiency', 'response', 'activity', 'website', 'funnel', 'saas'] as const;
export type Family = (typeof FAMILIES)[number];
export const UNITS = ['count', 'currency', 'ratio', 'percent', 'days', 'hours'] as const;
export type Unit = (typeof UNITS)[number];

export interface KpiDef {
  id: string;
  name: string;
  family: Family;
  unit: Unit;
  direction: 'higher' | 'lower';
  /** Over base measure ids: `lead_revenue / leads`. */
  formula: string;
  definition: string;
}

const k = (
  id: string,
  name: string,
  family: Family,
  unit: Unit,
  direction: 'higher' | 'lower',
  formula: string,
  definition: string,
): KpiDef => ({
  id,
  name,
  family,
  unit,
  direction,
  formula,
  definition,
});

// biome-ignore format: one KPI per line reads as a table
export const KPI_CATALOG: readonly KpiDef[] = [
  // value
  k('revenue', 'Revenue', 'value', 'currency', 'higher', 'revenue', 'sum of amount of won deals with closed_at in the period'),
  k('lead_revenue', 'Lead-attributed revenue', 'value', 'currency', 'higher', 'lead_revenue', 'revenue restricted to deals whose contact has a lead date'),
  k('ad_spend', 'Ad spend', 'value', 'currency', 'lower', 'ad_spend', 'sum of cost of spend rows dated in the period'),
  k('roi', 'Marketing ROI', 'value', 'ratio', 'higher', '(revenue - ad_spend) / ad_spend', '(revenue - ad_spend) / ad_spend'),
  k('roas', 'Return on ad spend', 'value', 'ratio', 'higher', 'revenue / ad_spend', 'revenue / ad_spend'),
  k('close_rate', 'Close rate of leads', 'value', 'ratio', 'higher', 'won_leads / leads', 'of the leads with a lead date in the period, the share whose contact has a won deal closed by the end of the range'),
  k('pipeline_created', 'Pipeline created', 'value', 'currency', 'higher', 'pipeline_created', 'sum of amount of deals created in the period'),
  k('avg_deal_size', 'Average deal size', 'value', 'currency', 'higher', 'revenue / won_deals', 'revenue / won deals closed in the period'),
  k('win_rate', 'Win rate', 'value', 'ratio', 'higher', 'won_deals / (won_deals + lost_deals)', 'won deals / (won + lost deals) closed in the period'),
  // efficiency
  k('cac', 'Customer acquisition cost', 'efficiency', 'currency', 'lower', 'ad_spend / customers', 'ad_spend / customers'),
  k('cac_per_marketing_dollar', 'New customers per marketing dollar', 'efficiency', 'ratio', 'higher', 'customers / ad_spend', 'customers / ad_spend'),
  k('cost_per_lead', 'Cost per lead', 'efficiency', 'currency', 'lower', 'ad_spend / leads', 'ad_spend / leads (by channel: spend of that channel / leads of that channel)'),
  // response
  k('ad_reach', 'Ad reach', 'response', 'count', 'higher', 'ad_reach', 'people reached by ads in the period (sum of daily reach)'),
  // efficiency
  k('cpc', 'Cost per click', 'efficiency', 'currency', 'lower', 'click_spend / clicks', 'cost of click-buying spend rows / their clicks (booths and tools without clicks are left out)'),
  k('mqls', 'Marketing-qualified leads', 'efficiency', 'count', 'higher', 'mqls', 'contacts whose first MQL date is in the period'),
  k('sals', 'Sales-accepted leads', 'efficiency', 'count', 'higher', 'sals', 'contacts whose first SAL date is in the period'),
  k('sqls', 'Sales-qualified leads', 'efficiency', 'count', 'higher', 'sqls', 'contacts whose first SQL date is in the period'),
  k('opportunities', 'Opportunities', 'efficiency', 'count', 'higher', 'opportunities', 'contacts whose first opportunity date is in the period'),
  k('customers', 'New customers', 'efficiency', 'count', 'higher', 'customers', 'contacts whose first customer date is in the period'),
  k('sales_cycle_days', 'Sales-cycle length', 'efficiency', 'days', 'lower', 'cycle_days / won_deals', 'mean days from deal creation to close, over won deals closed in the period'),
  // funnel
  k('lead_to_mql_rate', 'Lead → MQL rate', 'funnel', 'ratio', 'higher', 'mqls / leads', 'MQLs / leads in the period'),
  k('mql_to_sql_rate', 'MQL → SQL rate', 'funnel', 'ratio', 'higher', 'sqls / mqls', 'SQLs / MQLs in the period'),
  k('sql_to_opportunity_rate', 'SQL → opportunity rate', 'funnel', 'ratio', 'higher', 'opportunities / sqls', 'opportunities / SQLs in the period'),
  k('opportunity_to_customer_rate', 'Opportunity → customer rate', 'funnel', 'ratio', 'higher', 'customers / opportunities', 'customers / opportunities in the period'),
  k('median_days_lead_to_mql', 'Median time lead → MQL', 'funnel', 'days', 'lower', 'days_lead_to_mql', 'median days from lead to MQL, over contacts becoming MQL in the period'),
  k('median_days_mql_to_sql', 'Median time MQL → SQL', 'funnel', 'days', 'lower', 'days_mql_to_sql', 'median days from MQL to SQL, over contacts becoming SQL in the period'),
  k('median_days_sql_to_opportunity', 'Median time SQL → opportunity', 'funnel', 'days', 'lower', 'days_sql_to_opportunity', 'median days from SQL to opportunity, over contacts becoming opportunities in the period'),
  k('median_days_opportunity_to_customer', 'Median time opportunity → customer', 'funnel', 'days', 'lower', 'days_opportunity_to_customer', 'median days from opportunity to customer, over contacts becoming customers in the period'),
  k('sql_to_customer_rate', 'SQL → customer rate', 'funnel', 'ratio', 'higher', 'customers / sqls', 'customers / SQLs in the period'),
  // response
  k('sessions', 'Sessions (visits)', 'response', 'count', 'higher', 'sessions', 'sessions that start in the period (30 min inactivity or a new source/campaign starts a new one)'),
  k('visitors', 'Visitors', 'response', 'count', 'higher', 'visitors', 'distinct persons with a session starting in the period'),
  k('page_views', 'Page views', 'response', 'count', 'higher', 'page_views', 'page views of sessions that start in the period'),
  k('blog_traffic', 'Blog traffic', 'response', 'count', 'higher', 'blog_sessions', 'sessions that land on a /blog/ page'),
  k('email_open_rate', 'E-mail open rate', 'response', 'ratio', 'higher', 'email_open_pairs / email_sent_pairs', 'distinct (recipient, campaign) pairs opened ÷ pairs sent in the period'),
  k('email_click_rate', 'E-mail click rate', 'response', 'ratio', 'higher', 'email_click_pairs / email_sent_pairs', 'distinct (recipient, campaign) pairs clicked ÷ pairs sent in the period'),
  k('email_reply_rate', 'E-mail reply rate', 'response', 'ratio', 'higher', 'email_reply_pairs / email_sent_pairs', 'distinct (recipient, campaign) pairs replied ÷ pairs sent in the period'),
  k('unsubscribe_rate', 'Unsubscribe rate', 'response', 'ratio', 'lower', 'unsubscribes / emails_sent', 'unsubscribe events ÷ sent events in the period'),
  k('subscribe_rate', 'Subscribe rate', 'response', 'ratio', 'higher', 'email_subscribes / sessions', 'newsletter subscriptions ÷ sessions in the period'),
  k('social_comments', 'Social comments', 'response', 'count', 'higher', 'social_comments', 'comments on our social posts in the period'),
  k('social_shares', 'Social shares', 'response', 'count', 'higher', 'social_shares', 'shares of our social posts in the period'),
  k('social_reach', 'Social reach', 'response', 'count', 'higher', 'social_reach', 'people reached by our social posts in the period'),
  // activity
  k('emails_sent', 'E-mails sent', 'activity', 'count', 'higher', 'emails_sent', 'sent e-mail events in the period'),
  k('triggers_fired', 'Behavioural triggers fired', 'activity', 'count', 'higher', 'triggers_fired', 'tracked CTA clicks, downloads and video plays in the period'),
  k('campaigns_launched', 'Campaigns launched', 'activity', 'count', 'higher', 'campaigns_launched', 'campaigns launched in the period'),
  k('meetings_booked', 'Meetings booked', 'activity', 'count', 'higher', 'meetings_booked', '`Meeting Booked` events in the period (by owner: the salesperson)'),
  k('calls_logged', 'Calls logged', 'activity', 'count', 'higher', 'calls_logged', '`Call Logged` events in the period'),
  k('sales_touches', 'SQLs touched', 'activity', 'count', 'higher', 'sales_touches', 'distinct contacts with a logged call in the period'),
  k('content_published', 'Content published', 'activity', 'count', 'higher', 'content_published', 'content pieces (blog posts) published in the period'),
  k('social_posts', 'Social posts', 'activity', 'count', 'higher', 'social_posts', 'posts on our social networks in the period'),
  // website
  k('leads', 'Leads', 'website', 'count', 'higher', 'leads', 'contacts whose lead date is in the period (by channel: the original source channel)'),
  k('visits_per_lead', 'Visits per lead', 'website', 'ratio', 'lower', 'sessions / leads', 'sessions / leads'),
  k('value_per_lead', 'Value per lead', 'website', 'currency', 'higher', 'lead_revenue / leads', 'lead_revenue / leads'),
  k('value_per_visit', 'Value per visit', 'website', 'currency', 'higher', 'lead_revenue / sessions', 'lead_revenue / sessions'),
  k('lead_conversion_rate', 'Lead conversion rate', 'website', 'ratio', 'higher', 'leads / sessions', 'leads / sessions (by channel: each side by its own channel rule)'),
  // funnel
  k('bofu_conversions', 'Bottom-of-funnel conversions', 'funnel', 'count', 'higher', 'bofu_requests', 'quote, consultation, assessment, demo and meeting requests in the period'),
  k('visit_to_lead_rate', 'Visit → lead rate', 'funnel', 'ratio', 'higher', 'leads / sessions', 'leads / sessions in the period'),
  // funnel: lead scoring and the marketing-sales SLA (docs/scoring.md)
  k('mqls_by_scoring', 'MQLs by lead scoring', 'funnel', 'count', 'higher', 'scored_mqls', 'contacts the lead-scoring thresholds moved to MQL in the period'),
  k('sqls_by_scoring', 'SQLs by lead scoring', 'funnel', 'count', 'higher', 'scored_sqls', 'contacts the lead-scoring thresholds moved to SQL in the period'),
  k('sla_breaches', 'SLA breaches (SQL follow-up)', 'funnel', 'count', 'lower', 'sla_breaches', 'SQLs of the period not followed up (deal, or a follow-up event of the scoring SLA) within its hours (24 by default)'),
  k('median_hours_to_follow_up', 'Median hours to follow-up', 'funnel', 'hours', 'lower', 'follow_up_hours', 'median hours from SQL to the first follow-up, over SQLs of the period that were followed up'),
  k('mql_acceptance_rate', 'Share of MQLs accepted by sales', 'funnel', 'ratio', 'higher', 'accepted_mqls / mqls', 'of the MQLs of the period, the share sales accepted (reached SAL or SQL)'),
  // saas
  k('free_trials', 'Free trials', 'saas', 'count', 'higher', 'trials', 'trials started in the period'),
  k('pqls', 'Product-qualified leads', 'saas', 'count', 'higher', 'pqls', 'product-qualified events in the period'),
  k('trial_to_paid_rate', 'Trial → paid', 'saas', 'ratio', 'higher', 'customers / trials', 'new customers / trials started in the period'),
];

export const KPI_BY_ID: ReadonlyMap<string, KpiDef> = new Map(KPI_CATALOG.map((d) => [d.id, d]));
