import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CHANNEL_RULES } from './channels.js';
import { fallbackMessageId, toEventRow } from './normalize.js';
import { parseBatch, parseSegmentMessage, type SegmentMessage } from './segment.schema.js';

const receivedAt = new Date('2026-02-01T12:00:00.000Z');

function msg(raw: Record<string, unknown>): SegmentMessage {
  const r = parseSegmentMessage(raw);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

describe('toEventRow', () => {
  it('maps a track call with revenue, value and currency', () => {
    const row = toEventRow(
      msg({
        type: 'track',
        event: 'Order Completed',
        messageId: 'm-1',
        userId: 'u1',
        anonymousId: 'a1',
        timestamp: '2026-02-01T13:00:00.000Z',
        sentAt: '2026-02-01T13:00:02.000Z',
        properties: { revenue: 49.9, value: '10', currency: 'eur', orderId: 'o1' },
        context: { traits: { email: 'x@y.z' } },
      }),
      { receivedAt },
    );
    assert.equal(row.messageId, 'm-1');
    assert.equal(row.type, 'track');
    assert.equal(row.event, 'Order Completed');
    assert.equal(row.userId, 'u1');
    assert.equal(row.anonymousId, 'a1');
    assert.equal(row.timestamp.toISOString(), '2026-02-01T11:59:58.000Z');
    assert.equal(row.receivedAt, receivedAt);
    assert.equal(row.revenue, 49.9);
    assert.equal(row.value, 10);
    assert.equal(row.currency, 'EUR');
    assert.deepEqual(row.properties, { revenue: 49.9, value: '10', currency: 'eur', orderId: 'o1' });
    assert.deepEqual(row.traits, { email: 'x@y.z' });
    assert.equal(row.sessionId, null);
  });

  const numbers: Array<[unknown, number | null]> = [
    [12, 12],
    ['12.5', 12.5],
    [' 7 ', 7],
    ['', null],
    ['abc', null],
    [null, null],
    [true, null],
  ];
  for (const [revenue, want] of numbers) {
    it(`revenue ${JSON.stringify(revenue)} → ${want}`, () => {
      const row = toEventRow(msg({ type: 'track', event: 'X', anonymousId: 'a', properties: { revenue } }), {
        receivedAt,
      });
      assert.equal(row.revenue, want);
    });
  }

  it('rejects currencies that are not three letters', () => {
    const row = toEventRow(
      msg({ type: 'track', event: 'X', anonymousId: 'a', properties: { currency: 'euro' } }),
      {
        receivedAt,
      },
    );
    assert.equal(row.currency, null);
  });

  it('names page and screen events after the page', () => {
    assert.equal(
      toEventRow(msg({ type: 'page', anonymousId: 'a', name: 'Pricing' }), { receivedAt }).event,
      'Pricing',
    );
    assert.equal(
      toEventRow(msg({ type: 'screen', anonymousId: 'a', properties: { name: 'Home' } }), { receivedAt })
        .event,
      'Home',
    );
    assert.equal(toEventRow(msg({ type: 'page', anonymousId: 'a' }), { receivedAt }).event, null);
    assert.equal(toEventRow(msg({ type: 'identify', userId: 'u' }), { receivedAt }).event, null);
  });

  it('merges identify traits over context.traits', () => {
    const row = toEventRow(
      msg({
        type: 'identify',
        userId: 'u',
        traits: { email: 'new@x.io' },
        context: { traits: { email: 'old@x.io', plan: 'pro' } },
      }),
      { receivedAt },
    );
    assert.deepEqual(row.traits, { email: 'new@x.io', plan: 'pro' });
  });

  it('keeps group traits and ids EventRow has no column for in properties', () => {
    const group = toEventRow(msg({ type: 'group', userId: 'u', groupId: 'acme', traits: { name: 'Acme' } }), {
      receivedAt,
    });
    assert.deepEqual(group.traits, { name: 'Acme' });
    assert.deepEqual(group.properties, { groupId: 'acme' });
    const alias = toEventRow(msg({ type: 'alias', userId: 'u', previousId: 'anon-1' }), { receivedAt });
    assert.deepEqual(alias.properties, { previousId: 'anon-1' });
    const page = toEventRow(msg({ type: 'page', anonymousId: 'a', category: 'Docs', properties: { x: 1 } }), {
      receivedAt,
    });
    assert.deepEqual(page.properties, { x: 1, category: 'Docs' });
  });

  it('fills the traffic source and channel of a tagged page view', () => {
    const row = toEventRow(
      msg({
        type: 'page',
        anonymousId: 'a',
        context: {
          page: {
            url: 'https://acme.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=G',
            referrer: 'https://www.google.com/',
          },
        },
      }),
      { receivedAt },
    );
    assert.deepEqual(
      [row.source, row.medium, row.campaign, row.channel, row.path, row.clickIdType, row.clickId],
      ['google', 'cpc', 'brand', 'Paid Search', '/pricing', 'gclid', 'G'],
    );
    assert.equal(row.referrer, 'https://www.google.com/');
  });

  it('leaves the source empty (Direct) for untagged events and internal referrers', () => {
    const internal = toEventRow(
      msg({
        type: 'page',
        anonymousId: 'a',
        context: { page: { url: 'https://acme.com/b', referrer: 'https://acme.com/a' } },
      }),
      { receivedAt },
    );
    assert.deepEqual([internal.source, internal.medium, internal.channel], [null, null, 'Direct']);
    assert.equal(internal.referrer, 'https://acme.com/a');
    const server = toEventRow(msg({ type: 'track', event: 'Signed Up', userId: 'u' }), { receivedAt });
    assert.deepEqual([server.source, server.url, server.path, server.channel], [null, null, null, 'Direct']);
  });

  it('applies workspace rules', () => {
    const row = toEventRow(
      msg({
        type: 'page',
        anonymousId: 'a',
        context: { campaign: { source: 'zoom', medium: 'webinar', name: 'q3' } },
      }),
      { receivedAt, workspaceRules: DEMO_CHANNEL_RULES },
    );
    assert.equal(row.channel, 'Webinars');
  });

  it('uses receivedAt when the client sent no timestamp, and keeps a historical one', () => {
    assert.equal(
      toEventRow(msg({ type: 'page', anonymousId: 'a' }), { receivedAt }).timestamp.getTime(),
      receivedAt.getTime(),
    );
    const old = toEventRow(msg({ type: 'page', anonymousId: 'a', timestamp: '2024-01-01T00:00:00Z' }), {
      receivedAt,
    });
    assert.equal(old.timestamp.toISOString(), '2024-01-01T00:00:00.000Z');
  });
});

describe('parseBatch → toEventRow', () => {
  it('corrects clock skew with the batch-level sentAt (analytics-node puts it there)', () => {
    const batch = parseBatch({
      batch: [{ type: 'track', event: 'X', userId: 'u', timestamp: '2026-02-01T12:30:00.000Z' }],
      sentAt: '2026-02-01T12:30:10.000Z',
    });
    const [m] = batch.messages;
    assert.ok(m);
    assert.equal(toEventRow(m, { receivedAt }).timestamp.toISOString(), '2026-02-01T11:59:50.000Z');
  });
});

describe('fallbackMessageId', () => {
  const base = { type: 'track', event: 'X', anonymousId: 'a', timestamp: '2026-01-01T00:00:00Z' };
  it('is stable for a retried copy (sentAt differs) and differs for another event', () => {
    const a = fallbackMessageId(msg({ ...base, sentAt: '2026-01-01T00:00:01Z' }), receivedAt);
    const retry = fallbackMessageId(msg({ ...base, sentAt: '2026-01-01T00:00:09Z' }), new Date());
    const other = fallbackMessageId(msg({ ...base, event: 'Y' }), receivedAt);
    assert.match(a, /^ns-[0-9a-f]{32}$/);
    assert.equal(a, retry);
    assert.notEqual(a, other);
  });
  it('includes the receive time when the message has no timestamp', () => {
    const m = msg({ type: 'track', event: 'X', anonymousId: 'a' });
    assert.notEqual(
      fallbackMessageId(m, receivedAt),
      fallbackMessageId(m, new Date(receivedAt.getTime() + 1)),
    );
  });
  it('is what toEventRow uses when messageId is missing', () => {
    const m = msg(base);
    assert.equal(toEventRow(m, { receivedAt }).messageId, fallbackMessageId(m, receivedAt));
  });
});
