import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lifecycle } from './lifecycle.js';

const d = (s: string) => new Date(`${s}T00:00:00Z`);

test('created_at is the lead date of a contact at lead stage or later', () => {
  assert.deepEqual(lifecycle({ stage: 'lead', createdAt: d('2026-01-05'), dates: {} }), {
    stage: 'lead',
    createdAt: d('2026-01-05'),
    dates: { lead: d('2026-01-05') },
    filled: [],
  });
  // A given lead date wins over created_at.
  assert.deepEqual(
    lifecycle({
      stage: 'mql',
      createdAt: d('2026-01-05'),
      dates: { lead: d('2026-01-07'), mql: d('2026-01-09') },
    })?.dates,
    { lead: d('2026-01-07'), mql: d('2026-01-09') },
  );
});

test('a subscriber gets created_at as its subscriber date and no lead date', () => {
  assert.deepEqual(lifecycle({ stage: 'subscriber', createdAt: d('2026-02-01'), dates: {} })?.dates, {
    subscriber: d('2026-02-01'),
  });
});

test('missing funnel dates below the stage: the next later known date, else the latest earlier one', () => {
  const r = lifecycle({
    stage: 'customer',
    createdAt: d('2026-01-05'),
    dates: { customer: d('2026-03-01') },
  });
  assert.deepEqual(r?.dates, {
    lead: d('2026-01-05'),
    mql: d('2026-03-01'),
    sql: d('2026-03-01'),
    customer: d('2026-03-01'),
  });
  assert.deepEqual(r?.filled, ['sql', 'mql']);
  // The current stage without a date: the latest earlier date.
  const s = lifecycle({ stage: 'sql', createdAt: d('2026-01-05'), dates: { mql: d('2026-01-20') } });
  assert.deepEqual(s?.dates, { lead: d('2026-01-05'), mql: d('2026-01-20'), sql: d('2026-01-20') });
  assert.deepEqual(s?.filled, ['sql']);
  // SAL and opportunity are not filled unless they are the current stage.
  const o = lifecycle({ stage: 'opportunity', createdAt: d('2026-01-05'), dates: { sql: d('2026-02-01') } });
  assert.deepEqual(o?.dates, {
    lead: d('2026-01-05'),
    mql: d('2026-02-01'),
    sql: d('2026-02-01'),
    opportunity: d('2026-02-01'),
  });
});

test('no created_at: the earliest stage date; no stage: the latest stage given; no date at all: null', () => {
  const r = lifecycle({ dates: { mql: d('2026-02-01'), lead: d('2026-01-10') } });
  assert.equal(r?.stage, 'mql');
  assert.deepEqual(r?.createdAt, d('2026-01-10'));
  assert.equal(lifecycle({ stage: 'lead', dates: {} }), null);
});

test('an unmapped stage: the latest dated stage, else no stage and no lead date', () => {
  assert.deepEqual(lifecycle({ createdAt: d('2026-01-08'), dates: {}, unmapped: true }), {
    stage: null,
    createdAt: d('2026-01-08'),
    dates: {},
    filled: [],
  });
  assert.deepEqual(
    lifecycle({
      createdAt: d('2026-01-10'),
      dates: { lead: d('2026-01-10'), mql: d('2026-01-20') },
      unmapped: true,
    }),
    {
      stage: 'mql',
      createdAt: d('2026-01-10'),
      dates: { lead: d('2026-01-10'), mql: d('2026-01-20') },
      filled: [],
    },
  );
  // Without the flag a contact with no stage and no dates is a lead (generic files, no stage column).
  assert.equal(lifecycle({ createdAt: d('2026-01-08'), dates: {} })?.stage, 'lead');
});
