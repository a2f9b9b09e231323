/**
 * A stored tracking message: a Segment-spec message with the columns analytics needs pulled out.
 * The raw `properties`, `context` and `traits` stay as JSON text so nothing the client sent is lost.
 * Timestamps are UTC instants (JS Date); the store keeps them as TIMESTAMP (UTC).
 */
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventRow {
  messageId: string;
  type: EventType;
  /** `track` event name (`Form Submitted`), page name for `page`/`screen`, else null. */
  event: string | null;
  anonymousId: string | null;
  userId: string | null;
  /** When it happened, corrected for client clock skew (see docs/data-model.md). */
  timestamp: Date;
  receivedAt: Date;
  sessionId: string | null;
  /** Channel group of the session this event belongs to (GA4 default groups + workspace rules). */
  channel: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
  referrer: string | null;
  url: string | null;
  path: string | null;
  /** First click id found (gclid, msclkid, fbclid, …) and which one it was. */
  clickIdType: string | null;
  clickId: string | null;
  /** `properties.revenue` (orders) and `properties.value` (lead value). */
  revenue: number | null;
  value: number | null;
  currency: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  traits: Record<string, unknown>;
}

/** A visit: consecutive events of one visitor with < 30 min gaps and one traffic source. */
export interface SessionRow {
  sessionId: string;
  anonymousId: string | null;
  userId: string | null;
  startedAt: Date;
  endedAt: Date;
  events: number;
  pageViews: number;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
  referrer: string | null;
  landingPath: string | null;
}
