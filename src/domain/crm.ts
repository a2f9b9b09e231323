/**
 * CRM, spend, e-mail and social records as the store holds them. Import schemas (issue: data in)
 * map files onto these shapes; the demo generator writes them directly.
 */
export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'customer',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Stage order, so "lead or later" is a comparison. */
export function stageRank(stage: LifecycleStage): number {
  return LIFECYCLE_STAGES.indexOf(stage);
}

export interface ContactRow {
  /** External id (CRM id or the tracked userId); unique in the workspace. */
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  industry: string | null;
  jobTitle: string | null;
  companySize: string | null;
  country: string | null;
  market: string | null;
  /** Null: a stage the import could not map (HubSpot's Other, a custom stage) and no stage date. */
  lifecycleStage: LifecycleStage | null;
  /** Original source as the CRM recorded it (a channel name for our own contacts). */
  originalSource: string | null;
  owner: string | null;
  createdAt: Date;
  /** First time the contact reached each stage; null when it never did. */
  subscriberAt: Date | null;
  leadAt: Date | null;
  mqlAt: Date | null;
  salAt: Date | null;
  sqlAt: Date | null;
  opportunityAt: Date | null;
  customerAt: Date | null;
  properties: Record<string, unknown>;
}

/**
 * Key of a stage-history row, for "already recorded?" checks.
 *
 * @example
 * historyKey('c1', 'lead', new Date(0)); // 'c1\u0000lead\u00000'
 */
export const historyKey = (id: string, stage: string, at: Date) => `${id}\u0000${stage}\u0000${at.getTime()}`;

export interface StageChangeRow {
  contactId: string;
  stage: LifecycleStage;
  at: Date;
  /** Why: `import`, `identify`, `score>=50`, `manual:ana@example.com`… */
  reason: string;
}

export interface DealRow {
  id: string;
  contactId: string | null;
  name: string | null;
  /** Null: the export had no amount (common for open and lost deals); adds nothing to revenue. */
  amount: number | null;
  currency: string;
  stage: string;
  pipeline: string | null;
  owner: string | null;
  createdAt: Date;
  closedAt: Date | null;
  won: boolean | null;
  properties: Record<string, unknown>;
}

export interface DealStageChangeRow {
  dealId: string;
  stage: string;
  at: Date;
}

export interface SpendRow {
  /** Local date in the workspace's time zone, `YYYY-MM-DD`. */
  date: string;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  cost: number;
  currency: string;
  impressions: number | null;
  clicks: number | null;
  reach: number | null;
}

export const EMAIL_EVENT_TYPES = [
  'sent',
  'delivered',
  'open',
  'click',
  'reply',
  'unsubscribe',
  'subscribe',
  'bounce',
] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export interface EmailEventRow {
  timestamp: Date;
  email: string;
  contactId: string | null;
  campaign: string | null;
  type: EmailEventType;
}

export const SOCIAL_METRICS = ['posts', 'comments', 'shares', 'followers', 'reach'] as const;
export type SocialMetric = (typeof SOCIAL_METRICS)[number];

export interface SocialRow {
  date: string;
  network: string;
  metric: SocialMetric;
  value: number;
}

/** An anonymous id known to belong to a user (identify or alias). */
export interface IdentityRow {
  anonymousId: string;
  userId: string;
  firstSeen: Date;
  /** `identify`, `alias` or `import`. */
  via: string;
}

/** A marketing campaign: what the `campaigns launched` and `content published` KPIs count. */
export interface CampaignRow {
  id: string;
  name: string;
  channel: string;
  kind: string;
  launchedAt: Date;
  budget: number | null;
}
