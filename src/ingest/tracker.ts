import { Failures, type Log, stderrLog } from '../core/log.js';
import type { ContactRow } from '../domain/crm.js';
import type { EventRow, SessionRow } from '../domain/event.js';
import type { Workspace } from '../domain/workspace.js';
import { decodeSession } from '../store/duckdb/rows.decode.js';
import type { Store, WorkspaceStore } from '../store/store.js';
import { type CompiledChannelRules, compileChannelRules } from './channels.js';
import { type IdentityCall, type IdentityChanges, type IdentityLookup, resolveIdentity } from './identity.js';
import { contactHistoryKeys } from './import/store.lookups.js';
import { toEventRow } from './normalize.js';
import type { SegmentMessage } from './segment.schema.js';
import { Sessionizer } from './sessionizer.js';

export interface TrackerOptions {
  /** How long the first request of a group waits for others before the group is written. */
  maxWaitMs?: number;
  /** A group is written as soon as it holds this many messages. */
  maxGroup?: number;
  /**
   * Groups being written at once. While the database commits one group, the next is prepared (dedupe,
   * channels, sessions, identity) and queued behind it, so neither thread waits for the other.
   */
  maxInFlight?: number;
  /** Message ids are remembered this long (by receive time) to store a retry once. */
  dedupeWindowMs?: number;
  /** At most this many ids are remembered per workspace (the oldest go first), so memory stays flat. */
  dedupeMaxIds?: number;
  /**
   * How long a visit that grew (more events, a later end) waits before it is rewritten. A visit is
   * inserted with its first events at once (its start, channel and source never wait); only its end
   * time and counts lag.
   */
  sessionFlushMs?: number;
  /**
   * At most this many grown visits are rewritten in one statement, so rewriting tens of thousands of
   * open visits never stalls the write path at once.
   */
  sessionRewritesPerWrite?: number;
  /**
   * Due visits ride along with a group at most this often (ms): a rewrite statement has a fixed cost
   * (staging, a join) that a few rows per group would pay over and over.
   */
  sessionRewriteEveryMs?: number;
  /** Hears the failures no request waits for (the background rewrite of grown visits); stderr by default. */
  log?: Log;
}

interface Pending {
  workspace: Workspace;
  messages: SegmentMessage[];
  receivedAt: Date;
  resolve: (r: AcceptResult) => void;
  reject: (e: unknown) => void;
}

export interface AcceptResult {
  stored: number;
  duplicates: number;
}

/** What the tracker keeps per workspace between groups. */
interface WorkspaceState {
  ws: WorkspaceStore;
  rules: CompiledChannelRules;
  sessionizer: Sessionizer;
  /** messageId → receive time (ms), for the dedupe window. */
  seen: Map<string, number>;
  /** Anonymous ids already linked to a user. */
  linked: Set<string>;
  /** Visits already stored → when last touched (ms), so a growing visit is updated, not inserted. */
  stored: Map<string, number>;
  /**
   * Stored visits that grew since they were last written, oldest first (a Map keeps first-insert
   * order), with when they first grew; rewritten once `sessionFlushMs` old.
   */
  dirty: Map<string, { row: SessionRow; since: number }>;
  /** Contacts in groups still being written: the database cannot show them yet, the next group must. */
  unsettled: Map<string, ContactRow>;
  /** When grown visits last rode along with a group (ms). */
  lastRewrite: number;
}

/** One workspace's part of a group, prepared and handed to the store. */
interface Prepared {
  list: Pending[];
  results: AcceptResult[];
  write: Promise<void>;
}

const DAY = 86_400_000;
const SESSION_FLUSH = 'the background rewrite of grown visits';

/**
 * The tracking write path with group commit: requests that arrive within a few milliseconds are
 * written together in one transaction (one Appender flush, one WAL commit), then all of them are
 * answered. A request's promise resolves only once its events are durable, so a 200 never loses data.
 * Groups are prepared one at a time, in arrival order, and written in that order; the next group is
 * prepared while the previous one commits.
 *
 * @example
 * const tracker = new Tracker(store);
 * await tracker.accept(workspace, parsed.messages, new Date()); // durable when this resolves
 */
export class Tracker {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private preparing: Promise<unknown> = Promise.resolve();
  private idle: Array<() => void> = [];
  private readonly states = new Map<string, Promise<WorkspaceState>>();
  private readonly maxWaitMs: number;
  private readonly maxGroup: number;
  private readonly maxInFlight: number;
  private readonly dedupeWindowMs: number;
  private readonly dedupeMaxIds: number;
  private readonly sessionFlushMs: number;
  private readonly sessionRewritesPerWrite: number;
  private readonly sessionRewriteEveryMs: number;
  private sessionTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<unknown> = Promise.resolve();
  /** Background failures, counted by kind (see Failures). */
  readonly failures: Failures;

  constructor(
    private readonly store: Store,
    opts: TrackerOptions = {},
  ) {
    this.maxWaitMs = opts.maxWaitMs ?? 4;
    this.maxGroup = opts.maxGroup ?? 20_000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
    this.dedupeWindowMs = opts.dedupeWindowMs ?? DAY;
    this.dedupeMaxIds = opts.dedupeMaxIds ?? 2_000_000;
    this.sessionFlushMs = opts.sessionFlushMs ?? 10_000;
    this.sessionRewritesPerWrite = Math.max(1, opts.sessionRewritesPerWrite ?? 5000);
    this.sessionRewriteEveryMs = opts.sessionRewriteEveryMs ?? 1000;
    this.failures = new Failures(opts.log ?? stderrLog);
  }

  accept(workspace: Workspace, messages: SegmentMessage[], receivedAt = new Date()): Promise<AcceptResult> {
    if (messages.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.queue.push({ workspace, messages, receivedAt, resolve, reject });
      this.queued += messages.length;
      if (this.queued >= this.maxGroup) this.kick(0);
      else this.kick(this.maxWaitMs);
    });
  }

  /** Writes everything queued and every visit that grew; resolves when it is durable. */
  async drain(): Promise<void> {
    while (this.queue.length || this.inFlight) {
      if (this.inFlight) await new Promise<void>((r) => this.idle.push(r));
      else this.writeGroup();
    }
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
    await this.flushSessions(true);
  }

  /**
   * Rewrites the grown visits that are due (all of them with `all`), a slice per statement so tracking
   * writes queued meanwhile go in between.
   */
  flushSessions(all = false): Promise<void> {
    return this.oneFlushAtATime(() => this.rewriteDue(all));
  }

  /** One flush at a time: a drain must also wait for the timer's flush that took visits off the list. */
  private oneFlushAtATime<T>(flush: () => Promise<T>): Promise<T> {
    const run = this.flushing.then(flush);
    // Only the next flush's turn waits on this; `run`'s failure is its caller's to report.
    this.flushing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * The timer's flush: no request waits for it, so a workspace whose rewrite fails is logged with its
   * context and counted (its visits wait for the next try) and the other workspaces still flush.
   */
  private flushInBackground(): Promise<void> {
    return this.oneFlushAtATime(async () => {
      let failed = false;
      let rewritten = 0;
      for (const p of this.states.values()) {
        const st = await p;
        try {
          rewritten += await this.rewriteWorkspace(st, false);
        } catch (err) {
          failed = true;
          this.failures.failed(SESSION_FLUSH, err, {
            workspace: st.ws.workspace.slug,
            visitsWaiting: st.dirty.size,
          });
        }
      }
      // A streak ends with a rewrite that worked, not with a turn that had nothing due.
      if (!failed && rewritten > 0) this.failures.succeeded(SESSION_FLUSH);
    });
  }

  private async rewriteDue(all: boolean): Promise<void> {
    for (const p of this.states.values()) await this.rewriteWorkspace(await p, all);
  }

  /** Rewrites one workspace's due visits; how many it rewrote. */
  private async rewriteWorkspace(st: WorkspaceState, all: boolean): Promise<number> {
    // While groups flow they carry the rewrites; the timer only catches up when traffic stops.
    if (!all && Date.now() - st.lastRewrite < this.sessionRewriteEveryMs) return 0;
    let rewritten = 0;
    for (;;) {
      const rows = this.takeDue(st, all ? Number.POSITIVE_INFINITY : Date.now(), Number.POSITIVE_INFINITY);
      if (rows.length === 0) return rewritten;
      st.lastRewrite = Date.now();
      for (let i = 0; i < rows.length; i += this.sessionRewritesPerWrite) {
        const slice = rows.slice(i, i + this.sessionRewritesPerWrite);
        await st.ws.upsertSessions(slice).catch((e: unknown) => {
          // This slice and the ones not tried yet wait for the next flush.
          this.requeue(st, rows.slice(i));
          throw e;
        });
        rewritten += slice.length;
      }
    }
  }

  /** Up to `max` grown visits first grown before `now - sessionFlushMs`, taken off the dirty list. */
  private takeDue(st: WorkspaceState, now: number, max: number): SessionRow[] {
    const rows: SessionRow[] = [];
    const cutoff = now - this.sessionFlushMs;
    for (const [id, d] of st.dirty) {
      if (rows.length >= max || d.since > cutoff) break;
      rows.push(d.row);
      st.dirty.delete(id);
    }
    return rows;
  }

  /** Visits whose rewrite failed go back on the list, unless they grew again meanwhile. */
  private requeue(st: WorkspaceState, rows: readonly SessionRow[]): void {
    for (const row of rows) if (!st.dirty.has(row.sessionId)) st.dirty.set(row.sessionId, { row, since: 0 });
  }

  private scheduleSessionFlush(): void {
    if (this.sessionTimer) return;
    this.sessionTimer = setTimeout(
      () => {
        this.sessionTimer = null;
        // Under traffic the groups rewrite due visits as they go; this catches up when traffic stops.
        this.flushInBackground().then(
          () => {
            // A workspace whose state failed to load answered its requests with the error (accept).
            for (const p of this.states.values())
              void p.then(
                (st) => st.dirty.size && this.scheduleSessionFlush(),
                () => undefined,
              );
          },
          // Only a workspace's state failing to load gets here; its requests were answered with it.
          (err: unknown) => this.failures.failed(SESSION_FLUSH, err, {}),
        );
      },
      Math.max(this.sessionFlushMs, this.sessionRewriteEveryMs),
    );
    this.sessionTimer.unref();
  }

  private kick(delay: number): void {
    if (this.inFlight >= this.maxInFlight) return; // a finishing write picks the queue up
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeGroup();
    }, delay);
  }

  private writeGroup(): void {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const group = this.queue;
    this.queue = [];
    this.queued = 0;
    this.inFlight++;
    // Preparation is sequential (sessions and dedupe state follow arrival order); writes overlap it.
    const prepared = this.preparing.then(() => this.prepareGroup(group));
    // The next group's turn only; a failure here is answered to this group's requests just below.
    this.preparing = prepared.catch(() => undefined);
    void prepared
      .then((parts) => Promise.all(parts.map((part) => this.settle(part))))
      .catch((e) => {
        for (const p of group) p.reject(e);
      })
      .finally(() => {
        this.inFlight--;
        if (this.queue.length) this.kick(0);
        else if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
      });
  }

  private async prepareGroup(group: Pending[]): Promise<Prepared[]> {
    const byWs = new Map<string, Pending[]>();
    for (const p of group) {
      const list = byWs.get(p.workspace.id) ?? [];
      list.push(p);
      byWs.set(p.workspace.id, list);
    }
    const parts: Prepared[] = [];
    for (const list of byWs.values()) {
      try {
        parts.push(await this.prepareWorkspace(list));
      } catch (e) {
        if (list.length === 1) {
          (list[0] as Pending).reject(e);
          continue;
        }
        // Something in the group as a whole failed (its visits, its identity calls): everything it
        // remembered was taken back, so each request is prepared again on its own and only the one
        // that fails alone is refused. A bad message must never fail its group-mates.
        for (const p of list) {
          try {
            parts.push(await this.prepareWorkspace([p]));
          } catch (one) {
            p.reject(one);
          }
        }
      }
    }
    return parts;
  }

  private async settle(part: Prepared): Promise<void> {
    try {
      await part.write;
      for (const [i, p] of part.list.entries()) p.resolve(part.results[i] ?? { stored: 0, duplicates: 0 });
    } catch (e) {
      for (const p of part.list) p.reject(e);
    }
  }

  private state(workspace: Workspace): Promise<WorkspaceState> {
    let s = this.states.get(workspace.id);
    if (!s) {
      s = this.loadState(workspace);
      this.states.set(workspace.id, s);
      // Forgotten so the next request loads it again; this one's requests are answered with the error.
      s.catch(() => this.states.delete(workspace.id));
    }
    return s;
  }

  /** Resumes after a restart: recent message ids, linked anonymous ids, and visits still open. */
  private async loadState(workspace: Workspace): Promise<WorkspaceState> {
    const ws = this.store.forWorkspace(workspace);
    const since = new Date(Date.now() - this.dedupeWindowMs);
    const seen = new Map<string, number>();
    const d = ws.dialect;
    const recent = await ws.query<{ id: string; at: number }>(
      `SELECT message_id AS id, ${d.epochMs('received_at')} AS at FROM @events WHERE received_at >= $since
       ORDER BY received_at DESC LIMIT $max`,
      { since, max: this.dedupeMaxIds },
    );
    for (let i = recent.length - 1; i >= 0; i--) {
      const r = recent[i] as { id: string; at: number };
      seen.set(r.id, r.at);
    }
    const linked = new Set(
      (await ws.query<{ a: string }>('SELECT DISTINCT anonymous_id AS a FROM @identities')).map((r) => r.a),
    );
    // Retries never reach the sessionizer (the message-id check above drops them), so it need not
    // remember message ids per visitor: 64 per visitor kept millions of strings alive under load.
    const sessionizer = new Sessionizer({ namespace: workspace.id, recentMessages: 0 });
    const open = await ws.query(
      `SELECT * FROM @sessions WHERE ended_at >= ${d.addInterval('(SELECT max(ended_at) FROM @sessions)', '-31', 'minute')}`,
    );
    sessionizer.restoreSessions(open.map(decodeSession));
    const stored = new Map(open.map((r) => [String(r.session_id), Date.now()]));
    return {
      ws,
      rules: compileChannelRules(workspace.settings.channelRules),
      sessionizer,
      seen,
      linked,
      stored,
      dirty: new Map(),
      unsettled: new Map(),
      lastRewrite: 0,
    };
  }

  private async prepareWorkspace(group: Pending[]): Promise<Prepared> {
    const first = group[0] as Pending;
    const st = await this.state(first.workspace);
    let list = group;
    const rows: EventRow[] = [];
    const previousIds = new Map<string, string | null>();
    const traits = new Map<string, Record<string, unknown>>();
    // The next group is prepared before this one is durable, so it must already see this one's ids
    // (a retry within the group or the next is a duplicate). If the write fails they are forgotten
    // again, so the client's retry is stored.
    const ids: string[] = [];
    const results: AcceptResult[] = [];
    const accepted: Pending[] = [];
    const now = Date.now();
    for (const p of list) {
      // A request whose messages cannot be turned into rows fails alone: what it added to the
      // remembered ids is taken back, and its group-mates go on as if it had never come.
      const r: AcceptResult = { stored: 0, duplicates: 0 };
      const own: EventRow[] = [];
      const ownIds: string[] = [];
      try {
        for (const m of p.messages) {
          const row = toEventRow(m, { receivedAt: p.receivedAt, workspaceRules: st.rules });
          if (st.seen.has(row.messageId)) {
            r.duplicates++;
            continue;
          }
          st.seen.set(row.messageId, now);
          ownIds.push(row.messageId);
          own.push(row);
          if (m.type === 'identify' || m.type === 'alias') previousIds.set(row.messageId, m.previousId);
          if (m.type === 'identify')
            traits.set(row.messageId, { ...(m.context.traits as object | undefined), ...(m.traits ?? {}) });
          r.stored++;
        }
      } catch (e) {
        for (const id of ownIds) st.seen.delete(id);
        p.reject(e);
        continue;
      }
      for (const id of ownIds) ids.push(id);
      for (const row of own) rows.push(row);
      accepted.push(p);
      results.push(r);
    }
    list = accepted;
    if (rows.length === 0) return { list, results, write: Promise.resolve() };
    const forget = () => {
      for (const id of ids) st.seen.delete(id);
    };
    let events: EventRow[] = [];
    let sessions: SessionRow[];
    let changes: Awaited<ReturnType<Tracker['identityChanges']>>;
    try {
      ({ events, sessions } = st.sessionizer.assignAll(rows));
      changes = await this.identityChanges(st, events, previousIds, traits);
    } catch (e) {
      // Nothing of this group is stored: its ids are forgotten (the clients' retries are stored) and
      // the sessionizer counts a retried event in its visit once.
      forget();
      st.sessionizer.rememberFailed(events);
      throw e;
    }
    const fresh: SessionRow[] = [];
    for (const row of lastPerSession(sessions)) {
      if (st.stored.has(row.sessionId)) {
        const d = st.dirty.get(row.sessionId);
        if (d) d.row = row;
        else st.dirty.set(row.sessionId, { row, since: now });
      } else fresh.push(row);
      st.stored.set(row.sessionId, now);
    }
    // Due visits ride along with a group about once a second, a bounded number at a time.
    let rewrites: SessionRow[] = [];
    if (now - st.lastRewrite >= this.sessionRewriteEveryMs) {
      rewrites = this.takeDue(st, now, this.sessionRewritesPerWrite);
      if (rewrites.length) st.lastRewrite = now;
    }
    // Likewise its identity links and contacts.
    const linkedNow = changes.identities.map((i) => i.anonymousId).filter((a) => !st.linked.has(a));
    for (const a of linkedNow) st.linked.add(a);
    for (const c of changes.contacts) st.unsettled.set(c.id, c);
    const write = st.ws.writeTracking({ events, sessions: fresh, grownSessions: rewrites, ...changes }).then(
      () => {
        for (const c of changes.contacts) if (st.unsettled.get(c.id) === c) st.unsettled.delete(c.id);
      },
      (e: unknown) => {
        forget();
        st.sessionizer.rememberFailed(events);
        for (const a of linkedNow) st.linked.delete(a);
        for (const c of changes.contacts) if (st.unsettled.get(c.id) === c) st.unsettled.delete(c.id);
        this.requeue(st, rewrites);
        throw e;
      },
    );
    if (st.dirty.size) this.scheduleSessionFlush();
    this.pruneSeen(st, now);
    return { list, results, write };
  }

  /** Identity through the shared resolver, against this workspace's contacts and links in flight. */
  private identityChanges(
    st: WorkspaceState,
    events: readonly EventRow[],
    previousIds: ReadonlyMap<string, string | null>,
    traits: ReadonlyMap<string, Record<string, unknown>>,
  ): Promise<IdentityChanges> {
    const calls: IdentityCall[] = [];
    for (const e of events)
      if (e.type === 'identify' || e.type === 'alias')
        calls.push({
          row: e,
          previousId: previousIds.get(e.messageId) ?? null,
          traits: traits.get(e.messageId) ?? null,
        });
    return resolveIdentity(calls, trackerLookup(st), { reason: 'identify' });
  }

  private pruneSeen(st: WorkspaceState, now: number): void {
    if (st.stored.size > 200_000) {
      // Visits untouched for 2 hours are closed for the sessionizer too (late events start new ones).
      // Insertion order is first-write order, so stop at the first recent one: pruning costs what it
      // removes, not the size of the map, on every group.
      for (const [id, at] of st.stored) {
        if (at >= now - 2 * 3_600_000 && st.stored.size <= 400_000) break;
        st.stored.delete(id);
      }
    }
    if (st.seen.size <= this.dedupeMaxIds) return;
    // A Map iterates in insertion order, which is receive order: drop from the old end.
    const cutoff = now - this.dedupeWindowMs;
    const keep = Math.floor(this.dedupeMaxIds * 0.9);
    for (const [id, at] of st.seen) {
      if (st.seen.size <= keep && at >= cutoff) break;
      st.seen.delete(id);
    }
  }
}

function lastPerSession(rows: readonly SessionRow[]): SessionRow[] {
  const m = new Map<string, SessionRow>();
  for (const r of rows) m.set(r.sessionId, r);
  return [...m.values()];
}

/**
 * Stored people as the tracker sees them: contacts of groups still being written first (the database
 * cannot show them yet), then the store; linked ids from the tracker's memory.
 */
function trackerLookup(st: WorkspaceState): IdentityLookup {
  return {
    contactsByIds: async (ids) => {
      const found = await Promise.all(
        ids.map(async (id) => st.unsettled.get(id) ?? (await st.ws.getContact(id))),
      );
      return new Map(found.filter((c): c is ContactRow => c !== null).map((c) => [c.id, c]));
    },
    contactsByEmails: async (emails) => {
      const found = await Promise.all(
        emails.map(
          async (email) =>
            [...st.unsettled.values()].find((c) => c.email?.toLowerCase() === email) ??
            (await st.ws.findContactByEmail(email)),
        ),
      );
      const out = new Map<string, ContactRow>();
      for (const [i, c] of found.entries()) if (c) out.set(emails[i] as string, c);
      return out;
    },
    linkedAnonymousIds: async (ids) => new Set(ids.filter((a) => st.linked.has(a))),
    recordedStages: (ids) => contactHistoryKeys(st.ws, ids),
  };
}
