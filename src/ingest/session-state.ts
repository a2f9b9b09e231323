/**
 * The sessionizer's memory and its plain-JSON form (saved on shutdown, loaded on start), plus the
 * deterministic session id. Times are epoch milliseconds inside, Dates only in SessionRow.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SessionRow } from '../domain/event.js';

/** One visit as the sessionizer tracks it. */
export interface SessionState {
  id: string;
  start: number;
  end: number;
  events: number;
  pageViews: number;
  anonymousId: string | null;
  userId: string | null;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
  referrer: string | null;
  landingPath: string | null;
  /** Time of the event that gave `landingPath` (a late, earlier page view replaces it). */
  landingAt: number | null;
}

/** One visitor: its latest few sessions (by start, oldest first) and recent message ids. */
export interface VisitorState {
  key: string;
  /** True when `key` is an anonymousId (sessions then carry it even for userId-only events). */
  anonymous: boolean;
  /** The userId last seen with this anonymous visitor (links userId-only events to it). */
  userId: string | null;
  sessions: SessionState[];
  /** messageId → sessionId of the last messages, so a retried message is not counted twice. */
  recent: Map<string, string>;
  /** Latest event time of this visitor. */
  lastActivity: number;
}

const nullableText = z.string().nullable();
const sessionStateSchema = z.object({
  id: z.string().min(1),
  start: z.number(),
  end: z.number(),
  events: z.number().int().nonnegative(),
  pageViews: z.number().int().nonnegative(),
  anonymousId: nullableText,
  userId: nullableText,
  channel: z.string(),
  source: nullableText,
  medium: nullableText,
  campaign: nullableText,
  term: nullableText,
  content: nullableText,
  referrer: nullableText,
  landingPath: nullableText,
  landingAt: z.number().nullable(),
});

/** The JSON a Sessionizer exports and imports. */
export const sessionizerStateSchema = z.object({
  version: z.literal(1),
  /** Latest event time seen (the clock idle visitors are evicted by); null before any event. */
  watermark: z.number().nullable(),
  visitors: z.array(
    z.object({
      key: z.string().min(1),
      anonymous: z.boolean(),
      userId: nullableText,
      sessions: z.array(sessionStateSchema),
      recent: z.array(z.tuple([z.string(), z.string()])),
      lastActivity: z.number(),
    }),
  ),
});
export type SessionizerState = z.infer<typeof sessionizerStateSchema>;

/**
 * A session id that depends only on its input, so replaying the same events gives the same ids:
 * a UUID-shaped SHA-256 of the namespace (workspace), the visitor and the first event's messageId.
 *
 * @example
 * sessionIdFor('ws1', 'anon-1', 'msg-1') === sessionIdFor('ws1', 'anon-1', 'msg-1'); // true
 */
export function sessionIdFor(namespace: string, visitorKey: string, messageId: string): string {
  const h = createHash('sha256').update(`${namespace}\u0000${visitorKey}\u0000${messageId}`).digest('hex');
  // Version nibble 8 ("custom") and the RFC 4122 variant keep it a syntactically valid UUID.
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A SessionRow snapshot (a copy: later updates to the state do not show through). */
export function toSessionRow(s: SessionState): SessionRow {
  return {
    sessionId: s.id,
    anonymousId: s.anonymousId,
    userId: s.userId,
    startedAt: new Date(s.start),
    endedAt: new Date(s.end),
    events: s.events,
    pageViews: s.pageViews,
    channel: s.channel,
    source: s.source,
    medium: s.medium,
    campaign: s.campaign,
    term: s.term,
    content: s.content,
    referrer: s.referrer,
    landingPath: s.landingPath,
  };
}

/** The state of a stored session, to resume after a restart without a saved state file. */
export function fromSessionRow(row: SessionRow): SessionState {
  return {
    id: row.sessionId,
    start: row.startedAt.getTime(),
    end: row.endedAt.getTime(),
    events: row.events,
    pageViews: row.pageViews,
    anonymousId: row.anonymousId,
    userId: row.userId,
    channel: row.channel,
    source: row.source,
    medium: row.medium,
    campaign: row.campaign,
    term: row.term,
    content: row.content,
    referrer: row.referrer,
    landingPath: row.landingPath,
    landingAt: row.landingPath === null ? null : row.startedAt.getTime(),
  };
}

export function visitorToJson(v: VisitorState): SessionizerState['visitors'][number] {
  return {
    key: v.key,
    anonymous: v.anonymous,
    userId: v.userId,
    sessions: v.sessions.map((s) => ({ ...s })),
    recent: [...v.recent],
    lastActivity: v.lastActivity,
  };
}

export function visitorFromJson(v: SessionizerState['visitors'][number]): VisitorState {
  return {
    key: v.key,
    anonymous: v.anonymous,
    userId: v.userId,
    sessions: v.sessions.map((s) => ({ ...s })).sort((a, b) => a.start - b.start),
    recent: new Map(v.recent),
    lastActivity: v.lastActivity,
  };
}
