import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correctTimestamp, parseInstant } from './timestamp.js';

const d = (iso: string) => new Date(iso);

describe('correctTimestamp', () => {
  it('applies the clock-skew correction when timestamp and sentAt are both known', () => {
    // Client clock 1 h fast; the event happened 5 s before sending; the request took 1 s.
    const got = correctTimestamp({
      timestamp: d('2026-01-01T10:00:00.000Z'),
      sentAt: d('2026-01-01T10:00:05.000Z'),
      receivedAt: d('2026-01-01T09:00:06.000Z'),
    });
    assert.equal(got.toISOString(), '2026-01-01T09:00:01.000Z');
  });

  it('corrects a slow client clock too, to the millisecond', () => {
    const got = correctTimestamp({
      timestamp: d('2025-12-31T23:59:59.250Z'),
      sentAt: d('2025-12-31T23:59:59.900Z'),
      receivedAt: d('2026-01-01T00:10:00.000Z'),
    });
    assert.equal(got.toISOString(), '2026-01-01T00:09:59.350Z');
  });

  it('equals receivedAt when the event was sent the moment it happened', () => {
    const got = correctTimestamp({
      timestamp: d('2026-05-05T05:05:05.005Z'),
      sentAt: d('2026-05-05T05:05:05.005Z'),
      receivedAt: d('2026-05-05T05:06:00.000Z'),
    });
    assert.equal(got.toISOString(), '2026-05-05T05:06:00.000Z');
  });

  it('keeps a timestamp sent without sentAt (historical import)', () => {
    const got = correctTimestamp({
      timestamp: d('2023-03-04T12:00:00Z'),
      receivedAt: d('2026-01-01T00:00:00Z'),
    });
    assert.equal(got.toISOString(), '2023-03-04T12:00:00.000Z');
  });

  it('uses receivedAt when there is no timestamp, even with sentAt', () => {
    const receivedAt = d('2026-01-01T00:00:00Z');
    assert.equal(correctTimestamp({ receivedAt }).toISOString(), '2026-01-01T00:00:00.000Z');
    const withSentAt = correctTimestamp({ timestamp: null, sentAt: d('2020-01-01T00:00:00Z'), receivedAt });
    assert.equal(withSentAt.toISOString(), '2026-01-01T00:00:00.000Z');
  });

  it('returns a new Date, never the input object', () => {
    const receivedAt = d('2026-01-01T00:00:00Z');
    assert.notEqual(correctTimestamp({ receivedAt }), receivedAt);
  });
});

describe('parseInstant', () => {
  const cases: Array<[string | number, string | null]> = [
    ['2026-03-01T10:00:00.123Z', '2026-03-01T10:00:00.123Z'],
    ['2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T10:00:00', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T10:00', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    [Date.UTC(2026, 0, 2), '2026-01-02T00:00:00.000Z'],
    ['yesterday', null],
    ['', null],
    ['1969-12-31T23:59:59Z', null],
    [Number.NaN, null],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want}`, () => {
      assert.equal(parseInstant(input)?.toISOString() ?? null, want);
    });
  }
});
