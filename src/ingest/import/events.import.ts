/**
 * `import events`: an NDJSON file of Segment-spec messages (or GA4 rows through a preset) written as
 * live tracking writes them: one Sessionizer for the import fed in time order, identify/alias linking
 * anonymous ids, and identify with an e-mail making the contact a lead. Each batch is written in one
 * transaction (events, the visits they grew, identity links, contacts, stage changes).
 */
import type { ContactRow, IdentityRow, StageChangeRow } from '../../domain/crm.js';
import type { EventRow, SessionRow } from '../../domain/event.js';
import { applyIdentify, identityLink } from '../identity.js';
import { toEventRow } from '../normalize.js';
import { parseSegmentMessage, type SegmentMessage } from '../segment.schema.js';
import { Sessionizer } from '../sessionizer.js';
import { correctTimestamp, parseInstant } from '../timestamp.js';
import type { EventsPreset } from './presets/preset.js';
import type { CellIssue } from './records.js';
import {
  contactHistoryKeys,
  contactIdsByEmails,
  contactsByIds,
  historyKey,
  linkedAnonymousIds,
  storedMessageIds,
  storedSessionIds,
} from './store.lookups.js';
import { type Counts, type ImportContext, type KindHandler, type Parsed, zeroCounts } from './types.js';

export interface EventItem {
  row: EventRow;
  /** alias: the id linked to userId. */
  previousId: string | null;
  /** identify: the traits (`context.traits` under `traits`). */
  traits: Record<string, unknown> | null;
}

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

function stringOf(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
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
      const people = await identityChanges(ctx, freshItems, preset?.linksIds === true);
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

/**
 * Identity links (identify, alias; the first link of an anonymous id wins) and contact changes
 * (identify: traits, and the first identify with an e-mail is the lead date) of new events.
 */
async function identityChanges(
  ctx: ImportContext,
  items: readonly EventItem[],
  linkAny: boolean,
): Promise<{ identities: IdentityRow[]; contacts: ContactRow[]; stageChanges: StageChangeRow[] }> {
  const links: IdentityRow[] = [];
  if (linkAny) {
    for (const { row } of items) {
      if (row.anonymousId && row.userId)
        links.push({
          anonymousId: row.anonymousId,
          userId: row.userId,
          firstSeen: row.timestamp,
          via: 'import',
        });
    }
  }
  const calls = items.filter((i) => i.row.type === 'identify' || i.row.type === 'alias');
  if (calls.length === 0 && links.length === 0) return { identities: [], contacts: [], stageChanges: [] };
  const emailOf = (i: EventItem) => stringOf(i.traits?.email)?.toLowerCase() ?? null;
  const identifies = calls.filter((i) => i.row.type === 'identify');
  const anonymous = identifies.filter((i) => !i.row.userId && emailOf(i));
  const byEmail = anonymous.length
    ? await contactIdsByEmails(
        ctx.ws,
        anonymous.map((i) => emailOf(i) as string),
      )
    : new Map<string, string>();
  const contactId = (i: EventItem) => i.row.userId ?? byEmail.get(emailOf(i) ?? '') ?? emailOf(i);
  const ids = identifies.map(contactId).filter((id): id is string => id !== null);
  const contacts = await contactsByIds(ctx.ws, ids);
  const history = await contactHistoryKeys(ctx.ws, ids);
  for (const i of calls) {
    const link = identityLink(i.row, i.previousId);
    if (link) links.push(link);
    else if (i.row.type === 'identify' && !i.row.userId && i.row.anonymousId) {
      const id = contactId(i);
      if (id)
        links.push({
          anonymousId: i.row.anonymousId,
          userId: id,
          firstSeen: i.row.timestamp,
          via: 'identify',
        });
    }
  }
  const linked = await linkedAnonymousIds(
    ctx.ws,
    links.map((l) => l.anonymousId),
  );
  const identities: IdentityRow[] = [];
  for (const l of [...links].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime())) {
    if (linked.has(l.anonymousId)) continue;
    linked.add(l.anonymousId);
    identities.push(l);
  }
  const changed = new Map<string, ContactRow>();
  const stageChanges: StageChangeRow[] = [];
  for (const i of identifies) {
    const id = contactId(i);
    if (!id) continue;
    const before = changed.get(id) ?? contacts.get(id) ?? null;
    const { contact } = applyIdentify(before, id, i.traits ?? {}, i.row.timestamp, i.row.channel);
    changed.set(id, contact);
  }
  for (const [id, contact] of changed) {
    const before = contacts.get(id);
    if (contact.leadAt && contact.leadAt.getTime() !== before?.leadAt?.getTime()) {
      const key = historyKey(id, 'lead', contact.leadAt);
      if (!history.has(key)) {
        history.add(key);
        stageChanges.push({ contactId: id, stage: 'lead', at: contact.leadAt, reason: ctx.reason });
      }
    }
  }
  return { identities, contacts: [...changed.values()], stageChanges };
}
