import type {
  CampaignRow,
  ContactRow,
  DealRow,
  DealStageChangeRow,
  EmailEventRow,
  IdentityRow,
  SocialRow,
  SpendRow,
  StageChangeRow,
} from '../../domain/crm.js';
import type { EventRow, SessionRow } from '../../domain/event.js';
import type { ColumnSpec } from './db.js';

/** Column lists in table order (after workspace_id), for the Appender. Keep in step with migrations.ts. */
type Cols<T> = ColumnSpec<T>[];

export const EVENT_COLUMNS: Cols<EventRow> = [
  { name: 'message_id', kind: 'varchar', get: (r) => r.messageId },
  { name: 'type', kind: 'varchar', get: (r) => r.type },
  { name: 'event', kind: 'varchar', get: (r) => r.event },
  { name: 'anonymous_id', kind: 'varchar', get: (r) => r.anonymousId },
  { name: 'user_id', kind: 'varchar', get: (r) => r.userId },
  { name: 'ts', kind: 'timestamp', get: (r) => r.timestamp },
  { name: 'received_at', kind: 'timestamp', get: (r) => r.receivedAt },
  { name: 'session_id', kind: 'varchar', get: (r) => r.sessionId },
  { name: 'channel', kind: 'varchar', get: (r) => r.channel },
  { name: 'source', kind: 'varchar', get: (r) => r.source },
  { name: 'medium', kind: 'varchar', get: (r) => r.medium },
  { name: 'campaign', kind: 'varchar', get: (r) => r.campaign },
  { name: 'term', kind: 'varchar', get: (r) => r.term },
  { name: 'content', kind: 'varchar', get: (r) => r.content },
  { name: 'referrer', kind: 'varchar', get: (r) => r.referrer },
  { name: 'url', kind: 'varchar', get: (r) => r.url },
  { name: 'path', kind: 'varchar', get: (r) => r.path },
  { name: 'click_id_type', kind: 'varchar', get: (r) => r.clickIdType },
  { name: 'click_id', kind: 'varchar', get: (r) => r.clickId },
  { name: 'revenue', kind: 'double', get: (r) => r.revenue },
  { name: 'value', kind: 'double', get: (r) => r.value },
  { name: 'currency', kind: 'varchar', get: (r) => r.currency },
  { name: 'properties', kind: 'json', get: (r) => emptyToNull(r.properties) },
  { name: 'context', kind: 'json', get: (r) => emptyToNull(r.context) },
  { name: 'traits', kind: 'json', get: (r) => emptyToNull(r.traits) },
];

export const SESSION_COLUMNS: Cols<SessionRow> = [
  { name: 'session_id', kind: 'varchar', get: (r) => r.sessionId },
  { name: 'anonymous_id', kind: 'varchar', get: (r) => r.anonymousId },
  { name: 'user_id', kind: 'varchar', get: (r) => r.userId },
  { name: 'started_at', kind: 'timestamp', get: (r) => r.startedAt },
  { name: 'ended_at', kind: 'timestamp', get: (r) => r.endedAt },
  { name: 'events', kind: 'integer', get: (r) => r.events },
  { name: 'page_views', kind: 'integer', get: (r) => r.pageViews },
  { name: 'channel', kind: 'varchar', get: (r) => r.channel },
  { name: 'source', kind: 'varchar', get: (r) => r.source },
  { name: 'medium', kind: 'varchar', get: (r) => r.medium },
  { name: 'campaign', kind: 'varchar', get: (r) => r.campaign },
  { name: 'term', kind: 'varchar', get: (r) => r.term },
  { name: 'content', kind: 'varchar', get: (r) => r.content },
  { name: 'referrer', kind: 'varchar', get: (r) => r.referrer },
  { name: 'landing_path', kind: 'varchar', get: (r) => r.landingPath },
];

export const IDENTITY_COLUMNS: Cols<IdentityRow> = [
  { name: 'anonymous_id', kind: 'varchar', get: (r) => r.anonymousId },
  { name: 'user_id', kind: 'varchar', get: (r) => r.userId },
  { name: 'first_seen', kind: 'timestamp', get: (r) => r.firstSeen },
  { name: 'via', kind: 'varchar', get: (r) => r.via },
];

export const CONTACT_COLUMNS: Cols<ContactRow> = [
  { name: 'id', kind: 'varchar', get: (r) => r.id },
  { name: 'email', kind: 'varchar', get: (r) => r.email },
  { name: 'first_name', kind: 'varchar', get: (r) => r.firstName },
  { name: 'last_name', kind: 'varchar', get: (r) => r.lastName },
  { name: 'company', kind: 'varchar', get: (r) => r.company },
  { name: 'industry', kind: 'varchar', get: (r) => r.industry },
  { name: 'job_title', kind: 'varchar', get: (r) => r.jobTitle },
  { name: 'company_size', kind: 'varchar', get: (r) => r.companySize },
  { name: 'country', kind: 'varchar', get: (r) => r.country },
  { name: 'market', kind: 'varchar', get: (r) => r.market },
  { name: 'lifecycle_stage', kind: 'varchar', get: (r) => r.lifecycleStage },
  { name: 'original_source', kind: 'varchar', get: (r) => r.originalSource },
  { name: 'owner', kind: 'varchar', get: (r) => r.owner },
  { name: 'created_at', kind: 'timestamp', get: (r) => r.createdAt },
  { name: 'subscriber_at', kind: 'timestamp', get: (r) => r.subscriberAt },
  { name: 'lead_at', kind: 'timestamp', get: (r) => r.leadAt },
  { name: 'mql_at', kind: 'timestamp', get: (r) => r.mqlAt },
  { name: 'sal_at', kind: 'timestamp', get: (r) => r.salAt },
  { name: 'sql_at', kind: 'timestamp', get: (r) => r.sqlAt },
  { name: 'opportunity_at', kind: 'timestamp', get: (r) => r.opportunityAt },
  { name: 'customer_at', kind: 'timestamp', get: (r) => r.customerAt },
  { name: 'properties', kind: 'json', get: (r) => emptyToNull(r.properties) },
];

export const STAGE_CHANGE_COLUMNS: Cols<StageChangeRow> = [
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'stage', kind: 'varchar', get: (r) => r.stage },
  { name: 'changed_at', kind: 'timestamp', get: (r) => r.at },
  { name: 'reason', kind: 'varchar', get: (r) => r.reason },
];

export const DEAL_COLUMNS: Cols<DealRow> = [
  { name: 'id', kind: 'varchar', get: (r) => r.id },
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'name', kind: 'varchar', get: (r) => r.name },
  { name: 'amount', kind: 'double', get: (r) => r.amount },
  { name: 'currency', kind: 'varchar', get: (r) => r.currency },
  { name: 'stage', kind: 'varchar', get: (r) => r.stage },
  { name: 'pipeline', kind: 'varchar', get: (r) => r.pipeline },
  { name: 'owner', kind: 'varchar', get: (r) => r.owner },
  { name: 'created_at', kind: 'timestamp', get: (r) => r.createdAt },
  { name: 'closed_at', kind: 'timestamp', get: (r) => r.closedAt },
  { name: 'won', kind: 'boolean', get: (r) => r.won },
  { name: 'properties', kind: 'json', get: (r) => emptyToNull(r.properties) },
];

export const DEAL_STAGE_COLUMNS: Cols<DealStageChangeRow> = [
  { name: 'deal_id', kind: 'varchar', get: (r) => r.dealId },
  { name: 'stage', kind: 'varchar', get: (r) => r.stage },
  { name: 'changed_at', kind: 'timestamp', get: (r) => r.at },
];

export const SPEND_COLUMNS: Cols<SpendRow> = [
  { name: 'date', kind: 'date', get: (r) => r.date },
  { name: 'channel', kind: 'varchar', get: (r) => r.channel },
  { name: 'source', kind: 'varchar', get: (r) => r.source },
  { name: 'medium', kind: 'varchar', get: (r) => r.medium },
  { name: 'campaign', kind: 'varchar', get: (r) => r.campaign },
  { name: 'cost', kind: 'double', get: (r) => r.cost },
  { name: 'currency', kind: 'varchar', get: (r) => r.currency },
  { name: 'impressions', kind: 'bigint', get: (r) => r.impressions },
  { name: 'clicks', kind: 'bigint', get: (r) => r.clicks },
  { name: 'reach', kind: 'bigint', get: (r) => r.reach },
];

export const EMAIL_COLUMNS: Cols<EmailEventRow> = [
  { name: 'ts', kind: 'timestamp', get: (r) => r.timestamp },
  { name: 'email', kind: 'varchar', get: (r) => r.email },
  { name: 'contact_id', kind: 'varchar', get: (r) => r.contactId },
  { name: 'campaign', kind: 'varchar', get: (r) => r.campaign },
  { name: 'type', kind: 'varchar', get: (r) => r.type },
];

export const SOCIAL_COLUMNS: Cols<SocialRow> = [
  { name: 'date', kind: 'date', get: (r) => r.date },
  { name: 'network', kind: 'varchar', get: (r) => r.network },
  { name: 'metric', kind: 'varchar', get: (r) => r.metric },
  { name: 'value', kind: 'double', get: (r) => r.value },
];

export const CAMPAIGN_COLUMNS: Cols<CampaignRow> = [
  { name: 'id', kind: 'varchar', get: (r) => r.id },
  { name: 'name', kind: 'varchar', get: (r) => r.name },
  { name: 'channel', kind: 'varchar', get: (r) => r.channel },
  { name: 'kind', kind: 'varchar', get: (r) => r.kind },
  { name: 'launched_at', kind: 'timestamp', get: (r) => r.launchedAt },
  { name: 'budget', kind: 'double', get: (r) => r.budget },
];

function emptyToNull(o: Record<string, unknown>): Record<string, unknown> | null {
  for (const _ in o) return o;
  return null;
}
