import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  batchErrorMessage,
  deepMerge,
  MAX_MESSAGE_BYTES,
  normalizeType,
  parseBatch,
  parseSegmentMessage,
} from './segment.schema.js';

function reason(raw: unknown, ctx = {}): string | null {
  const r = parseSegmentMessage(raw, ctx);
  return r.ok ? null : r.reason;
}

describe('parseSegmentMessage', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['track', { type: 'track', event: 'Signed Up', anonymousId: 'a' }],
    ['identify by userId', { type: 'identify', userId: 'u1', traits: { email: 'x@y.z' } }],
    ['page', { type: 'page', anonymousId: 'a', name: 'Home' }],
    ['screen', { type: 'screen', userId: 'u', name: 'Home' }],
    ['group', { type: 'group', userId: 'u', groupId: 'acme' }],
    ['alias', { type: 'alias', userId: 'u', previousId: 'a' }],
    ['short type t', { type: 't', event: 'X', anonymousId: 'a' }],
    ['short type p', { type: 'p', anonymousId: 'a' }],
    ['numeric userId', { type: 'identify', userId: 42 }],
    ['unknown keys kept', { type: 'page', anonymousId: 'a', channel: 'client', _metadata: { x: 1 } }],
  ];
  for (const [name, raw] of valid) {
    it(`accepts ${name}`, () => assert.equal(reason(raw), null));
  }

  const invalid: Array<[string, unknown, string]> = [
    ['no ids', { type: 'track', event: 'X' }, 'no userId or anonymousId'],
    ['blank ids', { type: 'track', event: 'X', userId: '  ', anonymousId: '' }, 'no userId or anonymousId'],
    ['track without event', { type: 'track', anonymousId: 'a' }, 'track without event'],
    ['track with blank event', { type: 'track', event: ' ', anonymousId: 'a' }, 'track without event'],
    ['unknown type', { type: 'purchase', anonymousId: 'a' }, 'unknown type "purchase"'],
    ['missing type', { anonymousId: 'a' }, 'missing type'],
    ['alias without previousId', { type: 'alias', userId: 'u' }, 'alias without previousId'],
    ['group without groupId', { type: 'group', userId: 'u' }, 'group without groupId'],
    ['array', [1, 2], 'message must be a JSON object'],
    ['string', 'hello', 'message must be a JSON object'],
    [
      'properties not an object',
      { type: 'page', anonymousId: 'a', properties: [1] },
      'properties must be an object',
    ],
    ['context not an object', { type: 'page', anonymousId: 'a', context: 'x' }, 'context must be an object'],
    ['event not a string', { type: 'track', anonymousId: 'a', event: 5 }, 'event must be a string'],
    ['bad timestamp', { type: 'page', anonymousId: 'a', timestamp: 'soon' }, 'invalid timestamp'],
    ['bad sentAt', { type: 'page', anonymousId: 'a', sentAt: 'later' }, 'invalid sentAt'],
  ];
  for (const [name, raw, want] of invalid) {
    it(`rejects ${name}`, () => assert.equal(reason(raw), want));
  }

  it('rejects a message over 32 KB and accepts one just under', () => {
    const base = { type: 'track', event: 'X', anonymousId: 'a', properties: { pad: '' } };
    const overhead = Buffer.byteLength(JSON.stringify(base));
    const fits = { ...base, properties: { pad: 'x'.repeat(MAX_MESSAGE_BYTES - overhead) } };
    const over = { ...base, properties: { pad: 'x'.repeat(MAX_MESSAGE_BYTES - overhead + 1) } };
    assert.equal(reason(fits), null);
    assert.equal(reason(over), 'message over 32 KB');
    assert.equal(reason(base, { byteLength: 40_000 }), 'message over 32 KB');
  });

  it('lets the endpoint decide the type', () => {
    const r = parseSegmentMessage({ event: 'X', anonymousId: 'a' }, { type: 'track' });
    assert.ok(r.ok && r.message.type === 'track');
    const short = parseSegmentMessage({ type: 'page', event: 'X', anonymousId: 'a' }, { type: 't' });
    assert.ok(short.ok && short.message.type === 'track');
  });

  it('normalizes ids, times and text', () => {
    const r = parseSegmentMessage({
      type: 'Track',
      event: '  Order Completed ',
      userId: 7,
      anonymousId: ' a1 ',
      messageId: 'm1',
      originalTimestamp: '2026-01-01T10:00:00Z',
      sentAt: '2026-01-01T10:00:01Z',
    });
    assert.ok(r.ok);
    const m = r.message;
    assert.equal(m.type, 'track');
    assert.equal(m.event, 'Order Completed');
    assert.equal(m.userId, '7');
    assert.equal(m.anonymousId, 'a1');
    assert.equal(m.timestamp?.toISOString(), '2026-01-01T10:00:00.000Z');
    assert.equal(m.sentAt?.toISOString(), '2026-01-01T10:00:01.000Z');
    assert.deepEqual(m.properties, {});
    assert.equal(m.traits, null);
  });

  it('prefers timestamp over originalTimestamp', () => {
    const r = parseSegmentMessage({
      type: 'page',
      anonymousId: 'a',
      timestamp: '2026-01-01T00:00:00Z',
      originalTimestamp: '2025-01-01T00:00:00Z',
    });
    assert.ok(r.ok);
    assert.equal(r.message.timestamp?.toISOString(), '2026-01-01T00:00:00.000Z');
  });
});

describe('normalizeType', () => {
  const cases: Array<[unknown, string | null]> = [
    ['t', 'track'],
    ['i', 'identify'],
    ['p', 'page'],
    ['s', 'screen'],
    ['g', 'group'],
    ['a', 'alias'],
    ['IDENTIFY', 'identify'],
    ['batch', null],
    ['b', null],
    [3, null],
  ];
  for (const [input, want] of cases)
    it(`${String(input)} → ${want}`, () => assert.equal(normalizeType(input), want));
});

describe('deepMerge', () => {
  it('merges nested objects with the second argument winning', () => {
    assert.deepEqual(
      deepMerge(
        { library: { name: 'n', version: '1' }, ip: '1.1.1.1', tags: [1] },
        { library: { version: '2' }, tags: [2] },
      ),
      { library: { name: 'n', version: '2' }, ip: '1.1.1.1', tags: [2] },
    );
  });
});

describe('parseBatch', () => {
  it('merges batch context, integrations and sentAt into each message, message keys winning', () => {
    const r = parseBatch({
      batch: [
        { type: 'track', event: 'A', anonymousId: 'a', context: { page: { path: '/a' }, locale: 'de' } },
        { type: 'page', anonymousId: 'b', sentAt: '2026-01-01T00:00:09Z', integrations: { All: true } },
      ],
      context: { library: { name: 'analytics-node' }, locale: 'en', page: { title: 'T' } },
      integrations: { All: false, Mixpanel: true },
      sentAt: '2026-01-01T00:00:05Z',
      writeKey: 'wk',
    });
    assert.equal(batchErrorMessage(r), null);
    assert.equal(r.writeKey, 'wk');
    const [a, b] = r.messages;
    assert.ok(a && b);
    assert.deepEqual(a.context, {
      library: { name: 'analytics-node' },
      locale: 'de',
      page: { title: 'T', path: '/a' },
    });
    assert.equal(a.sentAt?.toISOString(), '2026-01-01T00:00:05.000Z');
    assert.deepEqual(a.integrations, { All: false, Mixpanel: true });
    assert.equal(b.sentAt?.toISOString(), '2026-01-01T00:00:09.000Z');
    assert.deepEqual(b.integrations, { All: true, Mixpanel: true });
  });

  it('lists every bad message with its index', () => {
    const r = parseBatch({
      batch: [
        { type: 'track', anonymousId: 'a' },
        { type: 'page', anonymousId: 'a' },
        { type: 'track', event: 'X' },
        { type: 'nope', anonymousId: 'a' },
        null,
      ],
    });
    assert.equal(r.error, null);
    assert.deepEqual(r.issues, [
      { index: 0, reason: 'track without event' },
      { index: 2, reason: 'no userId or anonymousId' },
      { index: 3, reason: 'unknown type "nope"' },
      { index: 4, reason: 'message must be a JSON object' },
    ]);
    assert.equal(r.messages.length, 1);
    assert.equal(
      batchErrorMessage(r),
      'batch[0]: track without event; batch[2]: no userId or anonymousId; batch[3]: unknown type "nope"; ' +
        'batch[4]: message must be a JSON object',
    );
  });

  it('rejects a batch over 2,500 messages', () => {
    const batch = Array.from({ length: 2501 }, () => ({ type: 'p', anonymousId: 'a' }));
    assert.equal(parseBatch({ batch }).error, 'batch over 2,500 messages');
    assert.equal(parseBatch({ batch: batch.slice(1) }).issues.length, 0);
  });

  it('rejects a batch over 500 KB, measured or as told', () => {
    const batch = Array.from({ length: 20 }, () => ({
      type: 'p',
      anonymousId: 'a',
      properties: { pad: 'x'.repeat(26_000) },
    }));
    assert.equal(parseBatch({ batch }).error, 'batch over 500 KB');
    assert.equal(
      parseBatch({ batch: [], writeKey: 'k' }, { byteLength: 600_000 }).error,
      'batch over 500 KB',
    );
    assert.equal(parseBatch({ batch: [], writeKey: 'k' }, { byteLength: 600_000 }).writeKey, 'k');
  });

  it('still finds an oversized message inside a big batch', () => {
    const big = { type: 'p', anonymousId: 'a', properties: { pad: 'x'.repeat(40_000) } };
    const r = parseBatch({ batch: [{ type: 'p', anonymousId: 'a' }, big] });
    assert.deepEqual(r.issues, [{ index: 1, reason: 'message over 32 KB' }]);
  });

  const shapes: Array<[unknown, string]> = [
    ['[]', 'body must be a JSON object'],
    [[], 'body must be a JSON object'],
    [{}, 'batch must be an array'],
    [{ batch: {} }, 'batch must be an array'],
    [{ batch: [], context: 3 }, 'context must be an object'],
    [{ batch: [], sentAt: 'x' }, 'invalid sentAt'],
  ];
  for (const [body, want] of shapes) {
    it(`rejects ${JSON.stringify(body)}`, () => assert.equal(parseBatch(body).error, want));
  }

  it('takes the write key from a message when the batch has none', () => {
    assert.equal(parseBatch({ batch: [{ type: 'p', anonymousId: 'a', writeKey: 'mk' }] }).writeKey, 'mk');
  });
});
