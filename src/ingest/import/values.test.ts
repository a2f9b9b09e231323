import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseAmount,
  parseBool,
  parseCount,
  parseEmail,
  parseInstantText,
  parseLocalDate,
  parseNumber,
  parseStage,
  wonFromStage,
} from './values.js';

const iso = (s: string, tz = 'Europe/Warsaw') =>
  parseInstantText(s, { tz, dates: 'iso' })?.toISOString() ?? null;
const loose = (s: string, tz = 'America/New_York') =>
  parseInstantText(s, { tz, dates: 'loose' })?.toISOString() ?? null;

test('ISO dates and times: an offset is an instant, otherwise local to the workspace zone', () => {
  assert.equal(iso('2026-03-14T09:30:00Z'), '2026-03-14T09:30:00.000Z');
  assert.equal(iso('2026-03-14T09:30:00+02:00'), '2026-03-14T07:30:00.000Z');
  assert.equal(iso('2026-03-14T09:30:00.250-0500'), '2026-03-14T14:30:00.250Z');
  assert.equal(iso('2026-03-14'), '2026-03-13T23:00:00.000Z');
  assert.equal(iso('2026-07-14 09:30'), '2026-07-14T07:30:00.000Z'); // summer time
  assert.equal(iso('2026-02-30'), null);
  assert.equal(iso('3/14/2026'), null); // generic files are ISO only
  assert.equal(iso('2026-03-14T25:00'), null);
});

test('presets also read US dates and month names, with 12-hour clocks', () => {
  assert.equal(loose('3/14/2026'), '2026-03-14T04:00:00.000Z');
  assert.equal(loose('3/14/2026 9:05 AM'), '2026-03-14T13:05:00.000Z');
  assert.equal(loose('3/14/2026, 12:30 PM'), '2026-03-14T16:30:00.000Z');
  assert.equal(loose('12/1/2025 12:00 AM'), '2025-12-01T05:00:00.000Z');
  assert.equal(loose('Mar 14, 2026'), '2026-03-14T04:00:00.000Z');
  assert.equal(loose('March 1, 2026'), '2026-03-01T05:00:00.000Z');
  assert.equal(loose('13/14/2026'), null);
  assert.equal(parseLocalDate('3/14/2026', 'loose'), '2026-03-14');
  assert.equal(parseLocalDate('Mar 1, 2026', 'loose'), '2026-03-01');
  assert.equal(parseLocalDate('2026-03-14T10:00:00Z', 'iso'), null);
  assert.equal(parseLocalDate('2026-03-14', 'iso'), '2026-03-14');
});

test('numbers, amounts, counts, booleans', () => {
  assert.equal(parseNumber('1,234.56'), 1234.56);
  assert.equal(parseNumber('-3.5'), -3.5);
  assert.equal(parseNumber('1e3'), 1000);
  assert.equal(parseNumber('12,5'), null);
  assert.equal(parseNumber('1.234,56'), null);
  assert.equal(parseNumber(''), null);
  assert.deepEqual(parseAmount('USD 18,000.00'), { value: 18000, currency: 'USD' });
  assert.deepEqual(parseAmount('1200 EUR'), { value: 1200, currency: 'EUR' });
  assert.deepEqual(parseAmount('$99.90'), { value: 99.9, currency: 'USD' });
  assert.deepEqual(parseAmount('80'), { value: 80, currency: null });
  assert.equal(parseAmount('abc'), null);
  assert.equal(parseCount('12,345'), 12345);
  assert.equal(parseCount('1.5'), null);
  assert.equal(parseCount('-1'), null);
  assert.equal(parseBool('Yes'), true);
  assert.equal(parseBool('0'), false);
  assert.equal(parseBool('maybe'), null);
});

test('stage names from CRMs, won/lost from deal stages, e-mails', () => {
  assert.equal(parseStage('marketingqualifiedlead'), 'mql');
  assert.equal(parseStage('Sales Qualified Lead'), 'sql');
  assert.equal(parseStage('Evangelist'), 'customer');
  assert.equal(parseStage('SQL'), 'sql');
  assert.equal(parseStage('other'), null);
  assert.equal(wonFromStage('Closed Won'), true);
  assert.equal(wonFromStage('closed_lost'), false);
  assert.equal(wonFromStage('closedwon'), true);
  assert.equal(wonFromStage('Negotiation/Review'), null);
  assert.equal(parseEmail(' Ana@Acme.COM '), 'ana@acme.com');
  assert.equal(parseEmail('ana@acme'), null);
});

test('an instant is in the accepted range after its offset is applied, not only by its written day', () => {
  const ctx = { tz: 'UTC', dates: 'iso' as const };
  assert.equal(parseInstantText('2199-12-31T23:30:00-05:00', ctx), null);
  assert.equal(parseInstantText('1970-01-01T00:30:00+05:00', ctx), null);
  assert.equal(parseInstantText('1970-01-01T00:30:00Z', ctx)?.toISOString(), '1970-01-01T00:30:00.000Z');
  assert.equal(
    parseInstantText('1970-01-01', { tz: 'Europe/Warsaw', dates: 'iso' }),
    null,
    'local midnight is 1969 in UTC',
  );
  assert.equal(parseInstantText('2300-01-01', ctx), null);
});
