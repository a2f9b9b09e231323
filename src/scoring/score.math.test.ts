import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BehaviourRule, ScoreModel } from '../domain/scoring.js';
import { BehaviourState, behaviourScore, decay, fitScore, leadingNumber } from './score.math.js';

const DAY = 86_400_000;
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);

test('decay halves the points at each half-life, exactly', () => {
  assert.equal(decay(0, 30), 1);
  assert.equal(decay(30, 30), 0.5);
  assert.equal(decay(60, 30), 0.25);
  assert.equal(decay(90, 30), 0.125);
  close(decay(15, 30), Math.SQRT1_2);
  assert.equal(decay(365, undefined), 1, 'no half-life: no decay');
});

test('one event 30 days old on a 30-day half-life is worth half its points', () => {
  const rules: BehaviourRule[] = [{ id: 'p', page: ['/pricing'], points: 10, halfLifeDays: 30 }];
  const b = behaviourScore(rules, [{ rule: 0, at: 0 }], 30 * DAY);
  assert.equal(b.total, 5);
  assert.deepEqual(b.rules, [{ id: 'p', points: 5, events: 1 }]);
});

test('decayed points add up: 10 at day 0 and 10 at day 10, seen at day 20 with a 10-day half-life', () => {
  // day 10: 10·½ + 10 = 15; day 20: 15·½ = 7.5
  const rules: BehaviourRule[] = [{ id: 'd', event: ['Content Downloaded'], points: 10, halfLifeDays: 10 }];
  const b = behaviourScore(
    rules,
    [
      { rule: 0, at: 10 * DAY },
      { rule: 0, at: 0 },
    ],
    20 * DAY,
  );
  assert.equal(b.total, 7.5);
});

test('a cap bounds the running value; decay then works from the cap', () => {
  const rules: BehaviourRule[] = [{ id: 'c', email: ['click'], points: 4, cap: 10, halfLifeDays: 7 }];
  // three clicks the same day: 4, 8, then 12 capped to 10
  const same = behaviourScore(
    rules,
    [0, 1, 2].map((i) => ({ rule: 0, at: i * 1000 })),
    2000,
  );
  close(same.total, 10);
  assert.equal(same.rules[0]?.events, 3);
  // a week later the 10 is worth 5; a click then gives 9, another 13 → 10
  const st = new BehaviourState(rules);
  for (const at of [0, 1000, 2000]) st.add(0, at);
  close(st.valueAt(0, 2000 + 7 * DAY), 5);
  st.add(0, 2000 + 7 * DAY);
  close(st.valueAt(0, 2000 + 7 * DAY), 9);
  st.add(0, 2000 + 7 * DAY);
  close(st.valueAt(0, 2000 + 7 * DAY), 10);
});

test('a cap on negative points is a floor', () => {
  const rules: BehaviourRule[] = [{ id: 'u', email: ['unsubscribe'], points: -15, cap: 20 }];
  const b = behaviourScore(
    rules,
    [
      { rule: 0, at: 0 },
      { rule: 0, at: DAY },
    ],
    2 * DAY,
  );
  assert.equal(b.total, -20);
});

test('a once-only rule counts the first event only, and that one decays', () => {
  const rules: BehaviourRule[] = [
    { id: 'demo', event: ['Demo Requested'], points: 40, once: true, halfLifeDays: 20 },
    { id: 'form', event: ['Form Submitted'], points: 15, once: true },
  ];
  const hits = [
    { rule: 0, at: 0 },
    { rule: 0, at: 5 * DAY },
    { rule: 0, at: 19 * DAY },
    { rule: 1, at: DAY },
    { rule: 1, at: 2 * DAY },
  ];
  const b = behaviourScore(rules, hits, 20 * DAY);
  // 40 from day 0, at day 20 = 20; the form 15 (no decay)
  assert.equal(b.total, 35);
  assert.deepEqual(
    b.rules.map((r) => [r.id, r.points, r.events]),
    [
      ['demo', 20, 1],
      ['form', 15, 1],
    ],
  );
});

test('events after the as-of instant do not count', () => {
  const rules: BehaviourRule[] = [{ id: 'w', event: ['Webinar Attended'], points: 25 }];
  assert.equal(behaviourScore(rules, [{ rule: 0, at: 10 * DAY }], 5 * DAY).total, 0);
});

test('fit rules: lists ignore case, patterns are case-insensitive, ranges read the first number', () => {
  const model = {
    fit: [
      { id: 'ind', field: 'industry', in: ['Software', 'Financial Services'], points: 5 },
      { id: 'title', field: 'job_title', matches: 'head|chief|cmo', points: 10 },
      { id: 'size', field: 'company_size', between: [51, 1000] as [number, number], points: 10 },
      { id: 'tier', field: 'properties.tier', in: ['gold'], points: 7 },
      { id: 'student', field: 'job_title', matches: 'student', points: -20 },
    ],
  } satisfies Pick<ScoreModel, 'fit'>;
  const a = fitScore(model, { industry: 'software', job_title: 'Head of Growth', company_size: '201-1000' });
  assert.equal(a.total, 25);
  assert.deepEqual(
    a.rules.map((r) => r.id),
    ['ind', 'title', 'size'],
  );
  const b = fitScore(model, {
    industry: 'Retail',
    job_title: 'Student',
    company_size: '1000+',
    'properties.tier': 'Gold',
  });
  // "1000+" reads as 1000, inside 51..1000: 10; a student −20; the gold tier property 7.
  assert.equal(b.total, -3);
  assert.deepEqual(
    b.rules.map((r) => r.id),
    ['size', 'tier', 'student'],
  );
  assert.equal(fitScore(model, {}).total, 0, 'missing fields match nothing');
});

test('leadingNumber reads sizes as written by CRMs', () => {
  assert.equal(leadingNumber('51-200'), 51);
  assert.equal(leadingNumber('1,000+'), 1000);
  assert.equal(leadingNumber(250), 250);
  assert.equal(leadingNumber('unknown'), null);
});
