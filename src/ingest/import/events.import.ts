/**
 * `import events`: an NDJSON file of Segment-spec messages (or GA4 rows through a preset) written as
 * live tracking writes them: one Sessionizer for the import fed in time order, and identity resolved
 * by the same resolver as live tracking (src/ingest/identity.ts). Each batch is written in one
 * transaction (events, the visits they grew, identity links, contacts, stage changes).
 */
import type { EventRow, SessionRow } from '../../domain/event.js';
import { type IdentityCall, resolveIdentity } from '../identity.js';
import { toEventRow } from '../normalize.js';
import { parseSegmentMessage, type SegmentMessage } from '../segment.schema.js';
import { Sessionizer } from '../sessionizer.js';
import { correctTimestamp, parseInstant } from '../timestamp.js';
import type { EventsPreset } from './presets/preset.js';
import type { CellIssue } from './records.js';
import { identityLookup, storedMessageIds, storedSessionIds } from './store.lookups.js';
import { type Counts, type ImportContext, type KindHandler, type Parsed, zeroCounts } from './types.js';

/** A parsed event with what identity resolution reads of its message. */
export type EventItem = IdentityCall;

/** A late event (by time) up to this far behind the latest one still joins its visit. */
export const EVENT_ORDER_TOLERANCE_MS = 60 * 60_000;

/**
 * A stored event with the same messageId counts as the same event when its time is within this of
 * the imported one's (a live-tracked copy differs by the client's clock skew at most).
 */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60_000;

const FIELD_OF_REASON: ReadonlyArray<[RegExp, string]> = [
  [/^no userId or anonymousId/, 'userId'],
  [/^track without event/, 'event'],
  [/^alias without previousId/, 'previousId'],
  [/^group without groupId/, 'groupId'],
  [/^(missing|unknown) type/, 'type'],
  [/^invalid timestamp/, 'timestamp'],
  [/^invalid sentAt/, 'sentAt'],
  [/^(\w+)(\.\w+)* /, ''],
];

/**
 * The message field a parseSegmentMessage reason is about.
 *
 * @example
 * fieldOfReason('track without event'); // 'event'
 */
export function fieldOfReason(reason: string): string {
  for (const [re, field] of FIELD_OF_REASON) {
    const m = re.exec(reason);
    if (m) return field || (m[0].trim().split(' ')[0] ?? '(message)');
  }
  return '(message)';
}

/**
 * One JSON object of an events file → an EventItem. The client's `timestamp` is kept as sent (a
 * historical import); only a message with `originalTimestamp`, `sentAt` and `receivedAt` (a Segment
 * archive) gets the clock-skew correction. A message with no time at all is refused: its time would
 * be the import's, and a re-import would store it again.
 *
 * @example
 * parseEventObject({ type: 'track', event: 'Signed Up', anonymousId: 'a', timestamp: '2026-03-01T10:00:00Z' }, opts);
 * // { ok: true, item: { row: { type: 'track', event: 'Signed Up', … }, … } }
 */
export function parseEventObject(
  raw: Record<string, unknown>,
  ctx: Pick<ImportContext, 'rules'>,
  preset?: EventsPreset,
): Parsed<EventItem> {
  const r = readMessage(raw, preset);
  if (!r.ok) return r;
  const { message, receivedAt } = r;
  const row = toEventRow(message, {
    receivedAt: receivedAt ?? (message.timestamp as Date),
    workspaceRules: ctx.rules,
  });
  const traits =
    message.type === 'identify'
      ? {
          ...((message.context.traits as Record<string, unknown> | undefined) ?? {}),
          ...(message.traits ?? {}),
        }
      : null;
  return { ok: true, item: { row, previousId: message.previousId, traits } };
}

/** The validated message and the receive time it carried (Segment archives). */
function readMessage(
  raw: Record<string, unknown>,
  preset?: EventsPreset,
): { ok: true; message: SegmentMessage; receivedAt: Date | null } | { ok: false; issues: CellIssue[] } {
  let msg = raw;
  if (preset) {
    const m = preset.toMessage(raw);
    if (!m.ok) return m;
    msg = m.message;
  }
  // Imports are not held to the HTTP API's 32 KB message limit (GA4 rows with items exceed it).
  const r = parseSegmentMessage(msg, { byteLength: 0 });
  if (!r.ok) return { ok: false, issues: [{ column: fieldOfReason(r.reason), reason: r.reason }] };
  const message = r.message;
  if (!message.timestamp) {
    const reason = 'is required (an imported event needs timestamp or originalTimestamp)';
    return { ok: false, issues: [{ column: 'timestamp', reason }] };
  }
  const received = msg.receivedAt;
  const receivedAt =
    typeof received === 'string' || typeof received === 'number' ? parseInstant(received) : null;
  // The skew correction only for originalTimestamp + sentAt + receivedAt; a `timestamp` is kept.
  if (msg.timestamp != null || receivedAt === null) message.sentAt = null;
  return { ok: true, message, receivedAt };
}

/**
 * First-pass check of one object: valid or not, and its event time (no row is built).
 *
 * @example
 * validateEventObject({ type: 'page', anonymousId: 'a', timestamp: '2026-03-01T10:00:00Z' }); // { ok: true, time: … }
 */
export function validateEventObject(
  raw: Record<string, unknown>,
  preset?: EventsPreset,
): { ok: true; time: number } | { ok: false; issues: CellIssue[] } {
  const r = readMessage(raw, preset);
  if (!r.ok) return r;
  const { message, receivedAt } = r;
  const at = correctTimestamp({
    timestamp: message.timestamp,
    sentAt: message.sentAt,
    receivedAt: receivedAt ?? new Date(0),
  });
  return { ok: true, time: at.getTime() };
}

/**
 * The events kind: Segment objects (or a preset's rows) validated, sessionized in time order and
 * written batch by batch with their visits, identity links and contacts.
 *
 * @example
 * const h = eventsHandler(ctx);
 * const r = h.parse({ type: 'page', anonymousId: 'a', timestamp: '2026-03-01T10:00:00Z' }, 1);
 * if (r.ok) await h.write([r.item]);
 */
export function eventsHandler(
  ctx: ImportContext,
  preset?: EventsPreset,
): KindHandler<EventItem, Record<string, unknown>> {
  const counts: Counts = zeroCounts();
  const sessionizer = new Sessionizer({
    namespace: ctx.ws.workspace.id,
    evictAfterMs: 2 * EVENT_ORDER_TOLERANCE_MS,
  });
  return {
    counts,
    parse: (raw) => parseEventObject(raw, ctx, preset),
    validate: (raw) => validateEventObject(raw, preset),
    timeOf: (item) => item.row.timestamp.getTime(),

    async write(items) {
      const inBatch = new Set<string>();
      const rows: EventItem[] = [];
      for (const item of items) {
        if (inBatch.has(item.row.messageId)) {
          counts.skipped++;
          continue;
        }
        inBatch.add(item.row.messageId);
        rows.push(item);
      }
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const { row } of rows) {
        const t = row.timestamp.getTime();
        if (t < from) from = t;
        if (t > to) to = t;
      }
      const stored = await storedMessageIds(
        ctx.ws,
        inBatch,
        new Date(from - DUPLICATE_WINDOW_MS),
        new Date(to + DUPLICATE_WINDOW_MS),
      );
      // Stored events are placed too, so a re-import rebuilds the same visits (same ids).
      const { events, sessions } = sessionizer.assignAll(rows.map((i) => i.row));
      const fresh: EventRow[] = [];
      const freshItems: EventItem[] = [];
      events.forEach((e, i) => {
        if (stored.has(e.messageId)) counts.skipped++;
        else {
          fresh.push(e);
          freshItems.push({ ...(rows[i] as EventItem), row: e });
        }
      });
      const people = await resolveIdentity(freshItems, identityLookup(ctx.ws), {
        reason: ctx.reason,
        linkEveryEvent: preset?.linksIds === true,
      });
      const touched = new Map<string, SessionRow>();
      for (const s of sessions) touched.set(s.sessionId, s);
      // Visits this batch started go in with its events; visits it grew are rewritten after.
      const known = await storedSessionIds(ctx.ws, touched.keys());
      const started = [...touched.values()].filter((s) => !known.has(s.sessionId));
      const grown = [...touched.values()].filter((s) => known.has(s.sessionId));
      await ctx.ws.writeTracking({ events: fresh, sessions: started, ...people });
      await ctx.ws.upsertSessions(grown);
      counts.imported += fresh.length;
      counts.sessions += started.length;
      counts.identities += people.identities.length;
      counts.contacts += people.contacts.length;
      counts.history += people.stageChanges.length;
    },

    async finish() {},
  };
}
