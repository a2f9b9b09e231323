import type { EventRow } from '../domain/event.js';

/**
 * A server-side `track` event of a known person (a CRM activity, a download, a webinar), as the demo
 * writes them: no visit, no traffic source, no context.
 *
 * @example
 * personEvent('m_1', 'Call Logged', 'u_1', Date.parse('2026-03-02T10:00:00Z'), { owner: 'ana@x.test' });
 */
export function personEvent(
  messageId: string,
  event: string,
  userId: string,
  ms: number,
  properties: Record<string, unknown>,
): EventRow {
  const at = new Date(ms);
  return {
    messageId,
    type: 'track',
    event,
    anonymousId: null,
    userId,
    timestamp: at,
    receivedAt: new Date(ms),
    sessionId: null,
    channel: null,
    source: null,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    referrer: null,
    url: null,
    path: null,
    clickIdType: null,
    clickId: null,
    revenue: null,
    value: null,
    currency: null,
    properties,
    context: {},
    traits: {},
  };
}
