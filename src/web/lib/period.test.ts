import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quarterToDate } from '../../usecases/overview.defaults.js';
import { addDays, grainFor, periodRange, previousRange, todayIn, validDay } from './period.js';
import { DEFAULT_VIEW } from './state.js';

test('today is the workspace time zone calendar day, not the browser one', () => {
  const at = new Date('2026-03-31T20:00:00Z');
  assert.equal(todayIn('Asia/Seoul', at), '2026-04-01');
  assert.equal(todayIn('America/Los_Angeles', at), '2026-03-31');
  assert.equal(todayIn('UTC', at), '2026-03-31');
});

test('period ranges by hand', () => {
  assert.deepEqual(periodRange('month', '2026-05-20'), { from: '2026-05-01', to: '2026-05-20' });
  assert.deepEqual(periodRange('quarter', '2026-05-20'), { from: '2026-04-01', to: '2026-05-20' });
  assert.deepEqual(periodRange('year', '2026-05-20'), { from: '2026-01-01', to: '2026-05-20' });
  assert.deepEqual(periodRange('last_month', '2026-03-10'), { from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(periodRange('last_month', '2026-01-10'), { from: '2025-12-01', to: '2025-12-31' });
  assert.deepEqual(periodRange('last_quarter', '2026-05-20'), { from: '2026-01-01', to: '2026-03-31' });
  assert.deepEqual(periodRange('last_quarter', '2026-02-01'), { from: '2025-10-01', to: '2025-12-31' });
  assert.deepEqual(periodRange('last_year', '2024-02-29'), { from: '2023-01-01', to: '2023-12-31' });
  assert.deepEqual(periodRange('12m', '2026-12-31'), { from: '2026-01-01', to: '2026-12-31' });
  assert.deepEqual(periodRange('custom', '2026-05-20', '2026-02-10', '2026-01-05'), {
    from: '2026-01-05',
    to: '2026-02-10',
  });
  assert.deepEqual(periodRange('custom', '2026-05-20', null, '2026-01-05'), {
    from: '2026-05-01',
    to: '2026-05-20',
  });
});

test('previous range, days, grain, validity', () => {
  assert.deepEqual(previousRange({ from: '2026-04-01', to: '2026-04-30' }), {
    from: '2026-03-02',
    to: '2026-03-31',
  });
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  assert.equal(grainFor({ from: '2026-01-01', to: '2026-03-03' }), 'day');
  assert.equal(grainFor({ from: '2026-01-01', to: '2026-03-04' }), 'week');
  assert.equal(grainFor({ from: '2026-01-01', to: '2026-12-31' }), 'month');
  assert.equal(validDay('2026-02-29'), null);
  assert.equal(validDay('2024-02-29'), '2024-02-29');
  assert.equal(validDay('2024-2-9'), null);
});

// The server warms what a first visit asks for (server/warm.job.ts): the page's default period.
test("the overview's default period is the range the server warms after a start", () => {
  assert.equal(DEFAULT_VIEW.page, 'overview');
  for (const day of ['2026-01-01', '2026-03-31', '2026-04-01', '2026-08-15', '2026-12-03', '2028-02-29'])
    assert.deepEqual(periodRange(DEFAULT_VIEW.period, day), quarterToDate(day), day);
});
