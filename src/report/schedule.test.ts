import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastSlot, reportDue } from './schedule.js';

test('the last slot is the latest weekday and hour at or before now, in the zone', () => {
  // 2026-12-02 is a Wednesday; Warsaw is UTC+1 in winter: Monday 08:00 local = 07:00 UTC.
  assert.equal(
    lastSlot(new Date('2026-12-02T10:00:00Z'), 'monday', 8, 'Europe/Warsaw').toISOString(),
    '2026-11-30T07:00:00.000Z',
  );
  // Monday 06:59 UTC is 07:59 local: this Monday's slot is ahead, so last week's.
  assert.equal(
    lastSlot(new Date('2026-11-30T06:59:00Z'), 'monday', 8, 'Europe/Warsaw').toISOString(),
    '2026-11-23T07:00:00.000Z',
  );
  assert.equal(
    lastSlot(new Date('2026-11-30T07:00:00Z'), 'monday', 8, 'Europe/Warsaw').toISOString(),
    '2026-11-30T07:00:00.000Z',
  );
  // Seoul (UTC+9): Friday 17:00 local = 08:00 UTC; on Sunday the last Friday.
  assert.equal(
    lastSlot(new Date('2026-12-06T00:00:00Z'), 'friday', 17, 'Asia/Seoul').toISOString(),
    '2026-12-04T08:00:00.000Z',
  );
  // Summer time: New York, Monday 2026-07-06 09:00 EDT = 13:00 UTC.
  assert.equal(
    lastSlot(new Date('2026-07-07T00:00:00Z'), 'monday', 9, 'America/New_York').toISOString(),
    '2026-07-06T13:00:00.000Z',
  );
});

test('a report is due once per slot, and at most a day late', () => {
  const tz = 'Europe/Warsaw';
  const slot = new Date('2026-11-30T07:00:00Z');
  assert.equal(reportDue(new Date('2026-11-30T06:59:59Z'), null, 'monday', 8, tz), false);
  assert.equal(reportDue(new Date('2026-11-30T07:05:00Z'), null, 'monday', 8, tz), true);
  assert.equal(
    reportDue(new Date('2026-11-30T07:05:00Z'), new Date('2026-11-23T07:01:00Z'), 'monday', 8, tz),
    true,
  );
  assert.equal(
    reportDue(new Date('2026-11-30T08:00:00Z'), new Date(slot.getTime() + 60_000), 'monday', 8, tz),
    false,
  );
  assert.equal(reportDue(new Date('2026-12-01T06:59:00Z'), null, 'monday', 8, tz), true);
  assert.equal(reportDue(new Date('2026-12-01T07:00:00Z'), null, 'monday', 8, tz), false);
});
