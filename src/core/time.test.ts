import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  daysBetween,
  isDate,
  localDate,
  parseDate,
  periodToUtc,
  tzOffsetMs,
  zonedToUtc,
} from './time.js';

test('zonedToUtc handles both sides of a DST change', () => {
  assert.equal(zonedToUtc('2026-07-01', 'Europe/Warsaw').toISOString(), '2026-06-30T22:00:00.000Z');
  assert.equal(zonedToUtc('2026-01-01', 'Europe/Warsaw').toISOString(), '2025-12-31T23:00:00.000Z');
  assert.equal(zonedToUtc('2026-03-08', 'America/New_York').toISOString(), '2026-03-08T05:00:00.000Z');
  // 2026-03-08 is the US spring-forward day: local midnight is still EST, the next day is EDT.
  assert.equal(zonedToUtc('2026-03-09', 'America/New_York').toISOString(), '2026-03-09T04:00:00.000Z');
  assert.equal(zonedToUtc('2026-05-05', 'UTC', 3600).toISOString(), '2026-05-05T01:00:00.000Z');
});

test('localDate and offsets', () => {
  assert.equal(localDate(new Date('2026-06-30T22:30:00Z'), 'Europe/Warsaw'), '2026-07-01');
  assert.equal(localDate(new Date('2026-01-01T03:00:00Z'), 'America/New_York'), '2025-12-31');
  assert.equal(tzOffsetMs(new Date('2026-01-15T00:00:00Z'), 'America/New_York'), -5 * 3600_000);
});

test('a period is a half-open UTC range of whole local days', () => {
  const p = periodToUtc('2026-01-01', '2026-03-31', 'America/New_York');
  assert.equal(p.start.toISOString(), '2026-01-01T05:00:00.000Z');
  assert.equal(p.end.toISOString(), '2026-04-01T04:00:00.000Z');
});

test('date arithmetic and validation', () => {
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.equal(daysBetween('2026-01-01', '2026-12-31'), 364);
  assert.equal(parseDate('2026-02-28'), '2026-02-28');
  assert.throws(() => parseDate('2026-02-30'), /YYYY-MM-DD/);
  assert.throws(() => parseDate('26-1-1'), /YYYY-MM-DD/);
});

test('dates outside 1970-01-01..2199-12-31 are refused, with the range in the message', () => {
  assert.equal(parseDate('1970-01-01'), '1970-01-01');
  assert.equal(parseDate('2199-12-31'), '2199-12-31');
  for (const d of ['1969-12-31', '2200-01-01', '9999-12-31', '0100-01-01'])
    assert.throws(() => parseDate(d, 'to'), {
      message: `to must be between 1970-01-01 and 2199-12-31, got ${d}`,
    });
  assert.throws(() => parseDate('2027-31-03', 'due'), /due must be a date YYYY-MM-DD, got "2027-31-03"/);
  assert.equal(isDate('2027-03-31'), true);
  assert.equal(isDate('2027-31-03'), false);
  assert.equal(isDate('2200-01-01'), false);
});
