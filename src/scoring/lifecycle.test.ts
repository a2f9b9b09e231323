import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreModel } from '../domain/scoring.js';
import { replay } from './lifecycle.js';

const DAY = 86_400_000;
const model: Pick<ScoreModel, 'behaviour' | 'thresholds'> = {
  thresholds: { mql: 50, sql: 90 },
  behaviour: [
    { id: 'download', event: ['Content Downloaded'], points: 20, halfLifeDays: 10 },
    { id: 'demo', event: ['Demo Requested'], points: 40, once: true },
    { id: 'unsub', email: ['unsubscribe'], points: -60 },
  ],
};
const lead = { stage: 'lead' as const, since: 0, atSince: true, asOf: 100 * DAY };

test('a lead crosses MQL at the event that takes it over the threshold, with that score', () => {
  // fit 10; downloads at day 1 and 2: day 1 → 30; day 2 → 20·2^(−0.1) + 20 = 38.66; demo at day 3 → 83.3
  const r = replay(
    model,
    10,
    [
      { rule: 0, at: DAY },
      { rule: 0, at: 2 * DAY },
      { rule: 1, at: 3 * DAY },
    ],
    lead,
  );
  assert.equal(r.moves.length, 1);
  const m = r.moves[0];
  assert.equal(m?.stage, 'mql');
  assert.equal(m?.at, 3 * DAY);
  const downloads = 20 * 2 ** -0.2 + 20 * 2 ** -0.1;
  assert.ok(Math.abs((m?.score ?? 0) - (10 + 40 + downloads)) < 1e-9);
  assert.equal(m?.fit, 10);
});

test('one big jump moves lead → MQL → SQL at the same instant', () => {
  // fit 45 (< 50 at the lead date); at day 5 a demo request and two downloads: 45 + 40 + 20 + 20 = 125
  const at5 = [1, 0, 0].map((rule) => ({ rule, at: 5 * DAY }));
  const r = replay(model, 45, at5, lead);
  assert.deepEqual(
    r.moves.map((m) => [m.stage, m.at, m.score]),
    [
      ['mql', 5 * DAY, 125],
      ['sql', 5 * DAY, 125],
    ],
  );
  // Fit alone over the MQL threshold makes the lead an MQL on its lead date.
  assert.deepEqual(
    replay(model, 55, [], lead).moves.map((m) => [m.stage, m.at, m.score]),
    [['mql', 0, 55]],
  );
});

test('falling back below a threshold never moves a contact back', () => {
  // MQL at day 1 (fit 40 + demo 40 = 80); an unsubscribe at day 2 takes it to 20: no move at all
  const r = replay(
    model,
    40,
    [
      { rule: 1, at: DAY },
      { rule: 2, at: 2 * DAY },
    ],
    lead,
  );
  assert.deepEqual(
    r.moves.map((m) => m.stage),
    ['mql'],
  );
  assert.equal(r.behaviour, -20);
  // Stored as MQL and scored low now: nothing to do (and certainly not back to lead).
  const later = replay(
    model,
    40,
    [
      { rule: 1, at: DAY },
      { rule: 2, at: 2 * DAY },
    ],
    { ...lead, stage: 'mql', since: DAY },
  );
  assert.deepEqual(later.moves, []);
});

test('an MQL moves to SQL when later events cross the SQL threshold; events before its MQL date only count to the score', () => {
  const hits = [
    { rule: 1, at: DAY },
    { rule: 0, at: 20 * DAY },
    { rule: 0, at: 20 * DAY },
  ];
  // fit 30 + demo 40 = 70 at day 1 (< 90); day 20: two downloads at once = 110 → SQL at day 20
  const r = replay(model, 30, hits, { stage: 'mql', since: 10 * DAY, atSince: true, asOf: 30 * DAY });
  assert.deepEqual(
    r.moves.map((m) => [m.stage, m.at, m.score]),
    [['sql', 20 * DAY, 110]],
  );
});

test('a score already over the threshold when the stage starts moves it then (atSince), unless the CRM overrode scoring', () => {
  const hits = [{ rule: 1, at: DAY }];
  const at = replay(model, 20, hits, { stage: 'lead', since: 5 * DAY, atSince: true, asOf: 10 * DAY });
  assert.deepEqual(
    at.moves.map((m) => [m.stage, m.at]),
    [['mql', 5 * DAY]],
  );
  const overridden = replay(model, 20, hits, {
    stage: 'lead',
    since: 5 * DAY,
    atSince: false,
    asOf: 10 * DAY,
  });
  assert.deepEqual(overridden.moves, [], 'the CRM put it back: the same score does not move it again');
  const again = replay(model, 20, [...hits, { rule: 0, at: 6 * DAY }], {
    stage: 'lead',
    since: 5 * DAY,
    atSince: false,
    asOf: 10 * DAY,
  });
  assert.deepEqual(
    again.moves.map((m) => [m.stage, m.at]),
    [['mql', 6 * DAY]],
    'new activity after the override does',
  );
});

test('contacts at SQL or later, and subscribers, are never moved', () => {
  const hits = [{ rule: 1, at: DAY }];
  for (const stage of ['sql', 'opportunity', 'customer', 'subscriber'] as const)
    assert.deepEqual(replay(model, 100, hits, { ...lead, stage }).moves, [], stage);
});
