/**
 * Validation of Segment-spec tracking messages (HTTP API, analytics-node, analytics-next,
 * RudderStack) and of `/v1/batch` bodies. Pure: callers pass already-parsed JSON.
 * Everything the client sent is kept (loose objects); only the fields analytics needs are checked.
 */
import { z } from 'zod';
import { DEPTH_REASON, exceedsDepth, MAX_JSON_DEPTH } from '../core/json.js';
import { EVENT_TYPES, type EventType } from '../domain/event.js';
import { parseInstant } from './timestamp.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Segment's limits (KiB, as Segment counts them). */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;

/** The browser SDK's one-letter names (`/v1/t`, …), accepted wherever a type is. */
const SHORT_TYPES: Readonly<Record<string, EventType>> = {
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
};

/**
 * A JSON object, checked but not rebuilt: `z.record` copies every key of every `properties` and
 * `context` (5x slower on the hot path). JSON Schema output needs `unrepresentable: 'any'`.
 */
const jsonObject = z.custom<Record<string, unknown>>(isPlainObject, { error: 'must be an object' });
const optionalObject = jsonObject.nullish();
const optionalId = z.union([z.string(), z.number()], { error: 'must be a string' }).nullish();
const optionalText = z.string({ error: 'must be a string' }).nullish();
const optionalInstant = z.union([z.string(), z.number()], { error: 'must be an ISO-8601 string' }).nullish();

/** One message as sent. Unknown keys pass through untouched. */
export const segmentMessageSchema = z.looseObject({
  type: optionalText,
  messageId: optionalId,
  userId: optionalId,
  anonymousId: optionalId,
  previousId: optionalId,
  groupId: optionalId,
  event: optionalText,
  name: optionalText,
  category: optionalText,
  timestamp: optionalInstant,
  originalTimestamp: optionalInstant,
  sentAt: optionalInstant,
  properties: optionalObject,
  context: optionalObject,
  traits: optionalObject,
  integrations: optionalObject,
  writeKey: optionalText,
});
export type RawSegmentMessage = z.infer<typeof segmentMessageSchema>;

/** A `/v1/batch` body. */
export const segmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown(), { error: 'batch must be an array' }),
  context: optionalObject,
  integrations: optionalObject,
  sentAt: optionalInstant,
  writeKey: optionalText,
});

/** A valid message, normalized: full type name, ids as strings, instants as Dates. */
export interface SegmentMessage {
  type: EventType;
  messageId: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** `alias`: the id being linked to `userId`. */
  previousId: string | null;
  /** `group`: the account id. */
  groupId: string | null;
  /** `track` event name. */
  event: string | null;
  /** `page` / `screen` name and category. */
  name: string | null;
  category: string | null;
  /** The client's event time (`timestamp`, else `originalTimestamp`), uncorrected. */
  timestamp: Date | null;
  /** The client's send time (the message's own, else the batch's). */
  sentAt: Date | null;
  properties: Record<string, unknown>;
  /** The message's context with the batch context merged under it. */
  context: Record<string, unknown>;
  /** `traits` as sent (identify: the user's; group: the account's); null when absent. */
  traits: Record<string, unknown> | null;
  integrations: Record<string, unknown>;
  writeKey: string | null;
}

/** What surrounds a message: the endpoint it came to and, in a batch, the batch-level fields. */
export interface ParseContext {
  /** Type implied by the endpoint (`/v1/track`, `/v1/t`); it wins over the body's `type`. */
  type?: string;
  context?: Record<string, unknown> | null;
  integrations?: Record<string, unknown> | null;
  sentAt?: Date | null;
  /** The message's serialized size when the caller knows it (the request body length). */
  byteLength?: number;
}

export type MessageParseResult = { ok: true; message: SegmentMessage } | { ok: false; reason: string };

/** One bad message of a batch: its position in `batch` and why. */
export interface MessageIssue {
  index: number;
  reason: string;
}

export interface BatchParseResult {
  /** A problem with the request as a whole (size, count, shape); then `messages` is empty. */
  error: string | null;
  /** Every invalid message. The HTTP API rejects the request when this is not empty. */
  issues: MessageIssue[];
  /** The valid messages in batch order, batch context/integrations/sentAt merged in. */
  messages: SegmentMessage[];
  writeKey: string | null;
}

/**
 * `track`, `t`, `Track` → `track`; anything else → null.
 *
 * @example
 * normalizeType('p'); // 'page'
 * normalizeType('purchase'); // null
 */
export function normalizeType(type: unknown): EventType | null {
  if (typeof type !== 'string') return null;
  const t = type.trim().toLowerCase();
  if ((EVENT_TYPES as readonly string[]).includes(t)) return t as EventType;
  return SHORT_TYPES[t] ?? null;
}

/**
 * Deep merge where `over` wins; nested objects merge key by key, anything else is replaced.
 *
 * @example
 * deepMerge({ library: { name: 'x' }, ip: '1.1.1.1' }, { library: { version: '2' } });
 * // { library: { name: 'x', version: '2' }, ip: '1.1.1.1' }
 */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

/** Ids may come as numbers from some libraries; blank ids count as absent. */
function idOf(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function textOf(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = v.trim();
  return s === '' ? null : s;
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Validates one message. Reasons are short and meant for the client (`track without event`).
 *
 * @example
 * const r = parseSegmentMessage({ type: 'track', event: 'Signed Up', anonymousId: 'a1' });
 * if (r.ok) r.message.event; // 'Signed Up'
 * parseSegmentMessage({ type: 'track', anonymousId: 'a1' }); // { ok: false, reason: 'track without event' }
 */
export function parseSegmentMessage(raw: unknown, ctx: ParseContext = {}): MessageParseResult {
  if (!isPlainObject(raw)) return { ok: false, reason: 'message must be a JSON object' };
  // Before anything serializes or merges it (a 10,000-level object throws in JSON.stringify).
  if (exceedsDepth(raw)) return { ok: false, reason: `message ${DEPTH_REASON}` };
  const size = ctx.byteLength ?? byteLength(raw);
  if (size > MAX_MESSAGE_BYTES) return { ok: false, reason: 'message over 32 KB' };

  const parsed = segmentMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'message';
    return { ok: false, reason: `${field} ${issue?.message ?? 'is invalid'}` };
  }
  const m = parsed.data;

  const typeText = ctx.type ?? m.type;
  if (typeText === null || typeText === undefined) return { ok: false, reason: 'missing type' };
  const type = normalizeType(typeText);
  if (!type) return { ok: false, reason: `unknown type "${String(typeText).slice(0, 40)}"` };

  const userId = idOf(m.userId);
  const anonymousId = idOf(m.anonymousId);
  if (!userId && !anonymousId) return { ok: false, reason: 'no userId or anonymousId' };
  const event = textOf(m.event);
  if (type === 'track' && !event) return { ok: false, reason: 'track without event' };
  const previousId = idOf(m.previousId);
  if (type === 'alias' && !previousId) return { ok: false, reason: 'alias without previousId' };
  const groupId = idOf(m.groupId);
  if (type === 'group' && !groupId) return { ok: false, reason: 'group without groupId' };

  const clientTime = m.timestamp ?? m.originalTimestamp;
  const timestamp = clientTime === null || clientTime === undefined ? null : parseInstant(clientTime);
  if (clientTime !== null && clientTime !== undefined && !timestamp) {
    return { ok: false, reason: 'invalid timestamp' };
  }
  let sentAt = ctx.sentAt ?? null;
  if (m.sentAt !== null && m.sentAt !== undefined) {
    sentAt = parseInstant(m.sentAt);
    if (!sentAt) return { ok: false, reason: 'invalid sentAt' };
  }

  const ownContext = m.context ?? {};
  const context = ctx.context ? deepMerge(ctx.context, ownContext) : ownContext;
  const ownIntegrations = m.integrations ?? {};
  const integrations = ctx.integrations ? { ...ctx.integrations, ...ownIntegrations } : ownIntegrations;

  return {
    ok: true,
    message: {
      type,
      messageId: idOf(m.messageId),
      userId,
      anonymousId,
      previousId,
      groupId,
      event: type === 'track' ? event : null,
      name: textOf(m.name),
      category: textOf(m.category),
      timestamp,
      sentAt,
      properties: m.properties ?? {},
      context,
      traits: m.traits ?? null,
      integrations,
      writeKey: textOf(m.writeKey),
    },
  };
}

/**
 * Validates a `/v1/batch` body. Pass `byteLength` (the raw body size) when known: it is what the
 * 500 KB limit is about, and it spares re-serializing the body.
 *
 * @example
 * const r = parseBatch({ batch: [{ type: 'page', anonymousId: 'a' }, { type: 'track', userId: 'u' }] });
 * r.issues;   // [{ index: 1, reason: 'track without event' }]
 * r.messages; // the valid page message
 */
export function parseBatch(body: unknown, opts: { byteLength?: number } = {}): BatchParseResult {
  if (!isPlainObject(body))
    return { error: 'body must be a JSON object', issues: [], messages: [], writeKey: null };
  // The key is reported even for a rejected batch so the caller can still answer 401 before 400.
  const bodyKey = typeof body.writeKey === 'string' ? textOf(body.writeKey) : null;
  const fail = (error: string): BatchParseResult => ({ error, issues: [], messages: [], writeKey: bodyKey });
  // The batch's own context and integrations are merged into every message: the same limit applies,
  // counting the batch object as the first level.
  for (const key of ['context', 'integrations'] as const)
    if (exceedsDepth(body[key], MAX_JSON_DEPTH - 1)) return fail(`${key} ${DEPTH_REASON}`);
  const size = opts.byteLength ?? byteLength(body);
  if (size > MAX_BATCH_BYTES) return fail('batch over 500 KB');
  const parsed = segmentBatchSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const message = issue?.message ?? 'is invalid';
    return fail(field === 'batch' || field === '' ? message : `${field} ${message}`);
  }
  const b = parsed.data;
  if (b.batch.length > MAX_BATCH_MESSAGES) return fail('batch over 2,500 messages');
  let sentAt: Date | null = null;
  if (b.sentAt !== null && b.sentAt !== undefined) {
    sentAt = parseInstant(b.sentAt);
    if (!sentAt) return fail('invalid sentAt');
  }

  // A batch no bigger than one message's limit cannot hold an oversized message.
  const knownSmall = size <= MAX_MESSAGE_BYTES ? 0 : undefined;
  const issues: MessageIssue[] = [];
  const messages: SegmentMessage[] = [];
  let writeKey = bodyKey;
  b.batch.forEach((item, index) => {
    const r = parseSegmentMessage(item, {
      context: b.context ?? null,
      integrations: b.integrations ?? null,
      sentAt,
      ...(knownSmall === undefined ? {} : { byteLength: knownSmall }),
    });
    if (r.ok) {
      messages.push(r.message);
      writeKey ??= r.message.writeKey;
    } else issues.push({ index, reason: r.reason });
  });
  return { error: null, issues, messages, writeKey };
}

/**
 * One line for a 400 answer listing every problem, or null when the batch is acceptable.
 *
 * @example
 * batchErrorMessage(parseBatch({ batch: [{ type: 'track', userId: 'u' }] }));
 * // 'batch[0]: track without event'
 */
export function batchErrorMessage(result: BatchParseResult): string | null {
  if (result.error) return result.error;
  if (result.issues.length === 0) return null;
  return result.issues.map((i) => `batch[${i.index}]: ${i.reason}`).join('; ');
}
