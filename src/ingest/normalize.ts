/**
 * A validated Segment message → the stored EventRow (session fields are the sessionizer's job).
 */
import { createHash } from 'node:crypto';
import type { EventRow } from '../domain/event.js';
import { type ChannelRule, type CompiledChannelRules, classifyChannel } from './channels.js';
import type { SegmentMessage } from './segment.schema.js';
import { correctTimestamp } from './timestamp.js';
import { externalHost, resolveTrafficSource } from './traffic-source.js';
import { extractTouch } from './utm.js';

export interface NormalizeOptions {
  /** When the server received the request (the clock-skew correction is relative to it). */
  receivedAt: Date;
  /** The workspace's custom channel rules (raw rules are compiled once and cached by identity). */
  workspaceRules?: readonly ChannelRule[] | CompiledChannelRules | null;
}

/** A number from a number or a numeric string (`"49.90"`); null otherwise. */
function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function currencyOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const c = v.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? c : null;
}

function objectOf(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * A stable id for a message sent without `messageId`: a hash of what it says, so a retried copy
 * gets the same id (and is stored once). Without a client timestamp the receive time is part of
 * it, so two identical untimed events are not mistaken for one.
 */
export function fallbackMessageId(message: SegmentMessage, receivedAt: Date): string {
  const { sentAt: _sentAt, writeKey: _writeKey, ...content } = message;
  const when = message.timestamp ? null : receivedAt.toISOString();
  const digest = createHash('sha256')
    .update(JSON.stringify([content, when]))
    .digest('hex');
  return `ns-${digest.slice(0, 32)}`;
}

/** The event name column: the `track` event, the page/screen name. */
function eventName(message: SegmentMessage): string | null {
  if (message.type === 'track') return message.event;
  if (message.type === 'page' || message.type === 'screen') {
    const name = message.properties.name;
    return message.name ?? (typeof name === 'string' && name.trim() !== '' ? name.trim() : null);
  }
  return null;
}

/**
 * The traits column. identify: the user's traits (`traits`, over `context.traits`); group: the
 * account's traits; other calls: `context.traits` (what the client knew about the user).
 */
function traitsOf(message: SegmentMessage): Record<string, unknown> {
  const contextTraits = objectOf(message.context.traits) ?? {};
  if (message.type === 'identify') return { ...contextTraits, ...(message.traits ?? {}) };
  if (message.type === 'group') return message.traits ?? {};
  return contextTraits;
}

/**
 * Top-level fields EventRow has no column for (`previousId`, `groupId`, a page's `category`) are
 * kept in properties under their own names, unless the client already used those names.
 */
function propertiesOf(message: SegmentMessage): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (message.type === 'alias' && message.previousId && !('previousId' in message.properties)) {
    extra.previousId = message.previousId;
  }
  if (message.type === 'group' && message.groupId && !('groupId' in message.properties)) {
    extra.groupId = message.groupId;
  }
  if (message.category && !('category' in message.properties)) extra.category = message.category;
  return Object.keys(extra).length === 0 ? message.properties : { ...message.properties, ...extra };
}

/**
 * The stored row for one valid message. `source`…`content` are the message's own traffic source
 * (all null when it carries none) and `channel` is that source's channel; `sessionId` is null. The
 * sessionizer decides sessions from those, then puts the session's id, channel and source on the row.
 *
 * @example
 * const r = parseSegmentMessage({
 *   type: 'page', anonymousId: 'a1', messageId: 'm1', name: 'Pricing',
 *   context: { page: { url: 'https://acme.com/pricing?utm_source=google&utm_medium=cpc' } },
 * });
 * if (r.ok) toEventRow(r.message, { receivedAt: new Date() });
 * // { messageId: 'm1', type: 'page', event: 'Pricing', source: 'google', medium: 'cpc',
 * //   channel: 'Paid Search', path: '/pricing', sessionId: null, … }
 */
export function toEventRow(message: SegmentMessage, opts: NormalizeOptions): EventRow {
  const touch = extractTouch(message);
  const src = resolveTrafficSource(touch);
  const external = externalHost(touch.referrerHost, touch.pageHost) ? touch.referrer : null;
  const channel = classifyChannel(
    {
      source: src?.source ?? null,
      medium: src?.medium ?? null,
      campaign: src?.campaign ?? null,
      referrer: external,
      clickIdType: touch.clickIdType,
    },
    opts.workspaceRules,
  );
  const props = message.properties;
  return {
    messageId: message.messageId ?? fallbackMessageId(message, opts.receivedAt),
    type: message.type,
    event: eventName(message),
    anonymousId: message.anonymousId,
    userId: message.userId,
    timestamp: correctTimestamp({
      timestamp: message.timestamp,
      sentAt: message.sentAt,
      receivedAt: opts.receivedAt,
    }),
    receivedAt: opts.receivedAt,
    sessionId: null,
    channel,
    source: src?.source ?? null,
    medium: src?.medium ?? null,
    campaign: src?.campaign ?? null,
    term: src?.term ?? null,
    content: src?.content ?? null,
    referrer: touch.referrer,
    url: touch.url,
    path: touch.path,
    clickIdType: touch.clickIdType,
    clickId: touch.clickId,
    revenue: numberOf(props.revenue),
    value: numberOf(props.value),
    currency: currencyOf(props.currency),
    properties: propertiesOf(message),
    context: message.context,
    traits: traitsOf(message),
  };
}
