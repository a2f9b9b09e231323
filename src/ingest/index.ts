/**
 * Data in: what the HTTP tracking routes, `import events` and the store use from src/ingest.
 *
 * @example
 * const parsed = parseBatch(body, { byteLength });
 * const reason = batchErrorMessage(parsed); // answer 400 with it when not null
 * const rows = parsed.messages.map((m) => toEventRow(m, { receivedAt, workspaceRules }));
 * const { events, sessions } = sessionizer.assignAll(rows);
 */
export {
  type ChannelInput,
  type ChannelRule,
  type CompiledChannelRules,
  channelRuleSchema,
  channelRulesSchema,
  classifyChannel,
  compileChannelRules,
  DEFAULT_CHANNELS,
  DEMO_CHANNEL_RULES,
  type DefaultChannel,
  defaultChannel,
} from './channels.js';
export { fallbackMessageId, type NormalizeOptions, toEventRow } from './normalize.js';
export {
  type BatchParseResult,
  batchErrorMessage,
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  MAX_MESSAGE_BYTES,
  type MessageIssue,
  type MessageParseResult,
  normalizeType,
  type ParseContext,
  parseBatch,
  parseSegmentMessage,
  type SegmentMessage,
  segmentBatchSchema,
  segmentMessageSchema,
} from './segment.schema.js';
export { type SessionizerState, sessionIdFor } from './session-state.js';
export { type Assignment, Sessionizer, type SessionizerOptions } from './sessionizer.js';
export { correctTimestamp, parseInstant } from './timestamp.js';
export { resolveTrafficSource, type TrafficSource } from './traffic-source.js';
export { CLICK_ID_PARAMS, extractTouch, type TouchInfo } from './utm.js';
