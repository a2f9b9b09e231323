/**
 * Sessions, as GA4 counts them: a visitor's events with gaps under 30 minutes, split when the
 * visitor comes back through a different source. See docs/channels.md ("Sessions") for the rules,
 * including what happens to late (out-of-order) events.
 */
import type { EventRow, EventType, SessionRow } from '../domain/event.js';
import { classifyChannel } from './channels.js';
import {
  fromSessionRow,
  type SessionizerState,
  type SessionState,
  sessionIdFor,
  sessionizerStateSchema,
  toSessionRow,
  type VisitorState,
  visitorFromJson,
  visitorToJson,
} from './session-state.js';
import { sameSource } from './traffic-source.js';

export interface SessionizerOptions {
  /** Mixed into session ids (use the workspace id) so workspaces never share ids. Default ''. */
  namespace?: string;
  /** Inactivity that ends a session. Default 30 minutes. */
  inactivityMs?: number;
  /** Visitors idle this long (by event time, against the latest event seen) are forgotten. Default 30 min. */
  evictAfterMs?: number;
  /** Hard cap on visitors kept; beyond it the least recently seen are forgotten. Default 200,000. */
  maxVisitors?: number;
  /** Sessions kept per visitor for late events to join. Default 4. */
  maxSessionsPerVisitor?: number;
  /** Message ids remembered per visitor to recognise retries. Default 64. */
  recentMessages?: number;
}

/** One event's placement. `session` is null for identify/alias/group outside any visit. */
export interface Assignment {
  event: EventRow;
  session: SessionRow | null;
  /** The message id was already placed (a retry): same answer, nothing counted twice. */
  duplicate: boolean;
}

const MINUTE = 60_000;
/** Calls that say who someone is, not that they are visiting: they join a visit, never start one. */
const IDENTITY_TYPES: ReadonlySet<EventType> = new Set(['identify', 'alias', 'group']);
const VIEW_TYPES: ReadonlySet<EventType> = new Set(['page', 'screen']);
const EVICT_EVERY = 10_000;

/**
 * Assigns session ids and channels to events, one workspace per instance.
 *
 * @example
 * const s = new Sessionizer({ namespace: workspaceId });
 * const { events, sessions } = s.assignAll(rows); // rows from toEventRow
 * // store `events` and upsert `sessions` by sessionId; on shutdown save s.exportState()
 */
export class Sessionizer {
  private readonly namespace: string;
  private readonly inactivityMs: number;
  private readonly evictAfterMs: number;
  private readonly maxVisitors: number;
  private readonly maxSessions: number;
  private readonly recentMessages: number;
  /** Insertion order is recency order (re-inserted on every event): the first entry is the LRU. */
  private readonly visitors = new Map<string, VisitorState>();
  /** userId → the anonymous visitor last seen with it, so server-side userId-only events join. */
  private readonly links = new Map<string, string>();
  private watermark: number | null = null;
  private sinceEviction = 0;

  constructor(options: SessionizerOptions = {}) {
    this.namespace = options.namespace ?? '';
    this.inactivityMs = options.inactivityMs ?? 30 * MINUTE;
    this.evictAfterMs = options.evictAfterMs ?? this.inactivityMs;
    this.maxVisitors = Math.max(1, options.maxVisitors ?? 200_000);
    this.maxSessions = Math.max(1, options.maxSessionsPerVisitor ?? 4);
    this.recentMessages = Math.max(0, options.recentMessages ?? 64);
  }

  /** Visitors currently in memory. */
  get visitorCount(): number {
    return this.visitors.size;
  }

  /**
   * Places one event. Feed events of one visitor in time order where possible (assignAll sorts a
   * batch); late events are handled as docs/channels.md describes.
   *
   * @example
   * const { event, session } = sessionizer.assign(toEventRow(message, { receivedAt }));
   */
  assign(row: EventRow): Assignment {
    const { event, state, duplicate } = this.place(row);
    return { event, session: state ? toSessionRow(state) : null, duplicate };
  }

  /**
   * Places a batch: sorted by timestamp first, events returned in input order, and one final
   * SessionRow per session touched (to upsert by sessionId).
   *
   * @example
   * const { events, sessions } = sessionizer.assignAll(messages.map((m) => toEventRow(m, opts)));
   */
  assignAll(rows: readonly EventRow[]): { events: EventRow[]; sessions: SessionRow[] } {
    const order = rows.map((_, i) => i);
    const time = rows.map((r) => r.timestamp.getTime());
    order.sort((a, b) => (time[a] ?? 0) - (time[b] ?? 0) || a - b);
    const events = new Array<EventRow>(rows.length);
    const touched = new Map<string, SessionState>();
    for (const i of order) {
      const { event, state } = this.place(rows[i] as EventRow);
      events[i] = event;
      if (state) touched.set(state.id, state);
    }
    return { events, sessions: [...touched.values()].map(toSessionRow) };
  }

  /**
   * Remembers events that were placed but whose write failed, so their retry joins the same visit
   * without counting twice, also when `recentMessages` is 0 (the tracker drops retries of stored
   * events itself and needs this only after a failure).
   *
   * @example
   * const { events } = s.assignAll(rows);
   * await store.write(events).catch(() => s.rememberFailed(events));
   */
  rememberFailed(events: readonly EventRow[]): void {
    const keep = Math.max(64, this.recentMessages);
    for (const e of events) {
      const key = e.anonymousId ?? (e.userId ? (this.links.get(e.userId) ?? e.userId) : null);
      const v = key ? this.visitors.get(key) : undefined;
      if (!v || !e.sessionId) continue;
      v.recent.set(e.messageId, e.sessionId);
      if (v.recent.size > keep) {
        const first = v.recent.keys().next().value;
        if (first !== undefined) v.recent.delete(first);
      }
    }
  }

  /**
   * Forgets visitors with no event within `evictAfterMs` of the latest event time seen. Runs by
   * itself every 10,000 events; returns how many were forgotten.
   */
  evictIdle(): number {
    if (this.watermark === null) return 0;
    const cutoff = this.watermark - this.evictAfterMs;
    let n = 0;
    for (const [key, v] of this.visitors) {
      if (v.lastActivity < cutoff) {
        this.forget(key, v);
        n++;
      }
    }
    return n;
  }

  /**
   * Resumes from stored sessions (e.g. those ended in the last 30 minutes) when no exported state
   * is at hand, such as after a crash. Sessions already known are left alone.
   */
  restoreSessions(rows: readonly SessionRow[]): void {
    for (const row of rows) {
      const key = row.anonymousId ?? row.userId;
      if (!key) continue;
      const v = this.visitor(key, row.anonymousId !== null);
      if (row.anonymousId && row.userId) this.link(v, row.userId);
      if (v.sessions.some((s) => s.id === row.sessionId)) continue;
      this.insertSession(v, fromSessionRow(row));
      v.lastActivity = Math.max(v.lastActivity, row.endedAt.getTime());
      this.watermark = Math.max(this.watermark ?? -Infinity, row.endedAt.getTime());
    }
  }

  /** Plain JSON (no Dates, no Maps) to save; `Sessionizer.fromState` reads it back. */
  exportState(): SessionizerState {
    return {
      version: 1,
      watermark: this.watermark,
      visitors: [...this.visitors.values()].map(visitorToJson),
    };
  }

  /**
   * A sessionizer resuming from `exportState()` output (use the same `namespace`). Throws when the
   * state is not a valid export.
   *
   * @example
   * const s = Sessionizer.fromState(JSON.parse(await readFile(path, 'utf8')), { namespace: wsId });
   */
  static fromState(state: unknown, options: SessionizerOptions = {}): Sessionizer {
    const parsed = sessionizerStateSchema.safeParse(state);
    if (!parsed.success)
      throw new Error(`invalid sessionizer state: ${parsed.error.issues[0]?.message ?? ''}`);
    const s = new Sessionizer(options);
    s.watermark = parsed.data.watermark;
    for (const json of parsed.data.visitors) {
      const v = visitorFromJson(json);
      s.visitors.set(v.key, v);
      if (v.anonymous && v.userId) s.links.set(v.userId, v.key);
    }
    return s;
  }

  private place(row: EventRow): { event: EventRow; state: SessionState | null; duplicate: boolean } {
    const key = row.anonymousId ?? (row.userId ? (this.links.get(row.userId) ?? row.userId) : null);
    if (!key) return { event: { ...row, sessionId: null, channel: null }, state: null, duplicate: false };
    const visitor = this.visitor(key, row.anonymousId !== null || key !== row.userId);
    if (row.anonymousId && row.userId) this.link(visitor, row.userId);

    const seen = visitor.recent.get(row.messageId);
    if (seen !== undefined) {
      const state = visitor.sessions.find((s) => s.id === seen) ?? null;
      if (state || seen === '') return { event: this.decorate(row, state), state, duplicate: true };
    }

    const t = row.timestamp.getTime();
    let state = this.findSession(visitor, row, t);
    if (state === undefined) state = this.newSession(visitor, row, t);
    if (state) this.count(state, row, t);
    visitor.lastActivity = Math.max(visitor.lastActivity, t);
    this.remember(visitor, row.messageId, state?.id ?? '');
    this.advanceClock(Math.min(t, row.receivedAt.getTime()));
    return { event: this.decorate(row, state), state, duplicate: false };
  }

  /**
   * The session an event joins: the latest one started at or before it if the event is within
   * `inactivityMs` of its end, else the next one if it starts within `inactivityMs` after the
   * event (a late event extends it backwards). An event carrying a different source joins neither
   * (undefined: start a new one), except identity calls. null: no session at all.
   */
  private findSession(v: VisitorState, row: EventRow, t: number): SessionState | null | undefined {
    const sessions = v.sessions;
    let i = sessions.length - 1;
    while (i >= 0 && (sessions[i] as SessionState).start > t) i--;
    const prev = sessions[i];
    const next = sessions[i + 1];
    // Identity calls and untagged events fit any session; tagged ones only a session of their source.
    const identity = IDENTITY_TYPES.has(row.type);
    const any = identity || row.source === null;
    if (prev && t - prev.end <= this.inactivityMs && (any || sameSource(row, prev))) return prev;
    if (next && next.start - t <= this.inactivityMs && (any || sameSource(row, next))) return next;
    return identity ? null : undefined;
  }

  private newSession(v: VisitorState, row: EventRow, t: number): SessionState {
    const own = row.source !== null;
    const state: SessionState = {
      id: sessionIdFor(this.namespace, v.key, row.messageId),
      start: t,
      end: t,
      events: 0,
      pageViews: 0,
      anonymousId: row.anonymousId ?? (v.anonymous ? v.key : null),
      userId: row.userId,
      channel: row.channel ?? classifyChannel(row),
      source: row.source,
      medium: row.medium,
      campaign: row.campaign,
      term: row.term,
      content: row.content,
      referrer: own ? row.referrer : null,
      landingPath: null,
      landingAt: null,
    };
    this.insertSession(v, state);
    return state;
  }

  private count(s: SessionState, row: EventRow, t: number): void {
    s.events++;
    if (VIEW_TYPES.has(row.type)) s.pageViews++;
    if (t < s.start) s.start = t;
    if (t > s.end) s.end = t;
    if (row.userId) s.userId = row.userId;
    if (!s.anonymousId && row.anonymousId) s.anonymousId = row.anonymousId;
    if (row.path !== null && (s.landingAt === null || t < s.landingAt)) {
      s.landingPath = row.path;
      s.landingAt = t;
    }
  }

  /**
   * The row as stored: the session's id, channel and traffic source (docs/data-model.md), so event
   * and session queries agree. The event's own tags stay in `context.campaign` and `url`.
   */
  private decorate(row: EventRow, s: SessionState | null): EventRow {
    if (!s) return { ...row, sessionId: null, channel: null };
    return {
      ...row,
      sessionId: s.id,
      channel: s.channel,
      source: s.source,
      medium: s.medium,
      campaign: s.campaign,
      term: s.term,
      content: s.content,
    };
  }

  private visitor(key: string, anonymous: boolean): VisitorState {
    let v = this.visitors.get(key);
    if (v) {
      this.visitors.delete(key);
    } else {
      v = { key, anonymous, userId: null, sessions: [], recent: new Map(), lastActivity: -Infinity };
      while (this.visitors.size >= this.maxVisitors) {
        const oldest = this.visitors.entries().next().value;
        if (!oldest) break;
        this.forget(oldest[0], oldest[1]);
      }
    }
    this.visitors.set(key, v);
    return v;
  }

  private link(v: VisitorState, userId: string): void {
    if (!v.anonymous) return;
    v.userId = userId;
    this.links.set(userId, v.key);
  }

  private forget(key: string, v: VisitorState): void {
    this.visitors.delete(key);
    if (v.userId && this.links.get(v.userId) === key) this.links.delete(v.userId);
  }

  private insertSession(v: VisitorState, s: SessionState): void {
    let i = v.sessions.length;
    while (i > 0 && (v.sessions[i - 1] as SessionState).start > s.start) i--;
    v.sessions.splice(i, 0, s);
    if (v.sessions.length > this.maxSessions) v.sessions.splice(0, v.sessions.length - this.maxSessions);
  }

  private remember(v: VisitorState, messageId: string, sessionId: string): void {
    if (this.recentMessages === 0) return;
    v.recent.set(messageId, sessionId);
    if (v.recent.size > this.recentMessages) {
      const first = v.recent.keys().next().value;
      if (first !== undefined) v.recent.delete(first);
    }
  }

  /** The eviction clock never runs ahead of the server's clock (a client's future timestamp). */
  private advanceClock(t: number): void {
    if (this.watermark === null || t > this.watermark) this.watermark = t;
    if (++this.sinceEviction >= EVICT_EVERY) {
      this.sinceEviction = 0;
      this.evictIdle();
    }
  }
}
