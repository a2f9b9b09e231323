import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAmount, parseTarget } from '../domain/goal.js';
import { defaultDirection, yearEarlier } from './kpi.history.js';
import { targetValue } from './objective.resolve.js';

test('every target form of the seed examples parses', () => {
  assert.deepEqual(parseTarget('+15%'), { kind: 'relative', factor: 1.15 });
  assert.deepEqual(parseTarget('+15 %'), { kind: 'relative', factor: 1.15 });
  assert.deepEqual(parseTarget('−10 %'), { kind: 'relative', factor: 0.9 }); // typographic minus
  assert.deepEqual(parseTarget('-10%'), { kind: 'relative', factor: 0.9 });
  assert.deepEqual(parseTarget('+20%'), { kind: 'relative', factor: 1.2 });
  assert.deepEqual(parseTarget('halve'), { kind: 'relative', factor: 0.5 });
  assert.deepEqual(parseTarget('Double'), { kind: 'relative', factor: 2 });
  assert.deepEqual(parseTarget('x2'), { kind: 'relative', factor: 2 });
  assert.deepEqual(parseTarget('×1.5'), { kind: 'relative', factor: 1.5 });
  assert.deepEqual(parseTarget('3x'), { kind: 'relative', factor: 3 });
  assert.deepEqual(parseTarget('from 2,000 to 3,000'), { kind: 'from_to', from: 2000, to: 3000 });
  assert.deepEqual(parseTarget('1,000 → 1,800'), { kind: 'from_to', from: 1000, to: 1800 });
  assert.deepEqual(parseTarget('from $3.50 to $0.50'), { kind: 'from_to', from: 3.5, to: 0.5 });
  assert.deepEqual(parseTarget('from 500 to 1,000'), { kind: 'from_to', from: 500, to: 1000 });
  assert.deepEqual(parseTarget(30), { kind: 'absolute', value: 30 });
  assert.deepEqual(parseTarget('3,000'), { kind: 'absolute', value: 3000 });
  assert.deepEqual(parseTarget('$0.50'), { kind: 'absolute', value: 0.5 });
  assert.deepEqual(parseTarget('+500'), { kind: 'delta', value: 500 });
  assert.deepEqual(parseTarget('-500'), { kind: 'delta', value: -500 });
  assert.deepEqual(parseTarget('25%'), { kind: 'absolute', value: 0.25, percent: true });
});

test('vague or impossible targets do not parse', () => {
  for (const t of ['more', 'a lot more blog posts', 'increase', '-110%', '', 'x0', '3k'])
    assert.equal(parseTarget(t), null, t);
});

test('formatted amounts', () => {
  assert.equal(parseAmount('2,000'), 2000);
  assert.equal(parseAmount('2 000'), 2000);
  assert.equal(parseAmount('$3,500.50'), 3500.5);
  assert.equal(parseAmount('−3'), -3);
  assert.equal(parseAmount('1,00'), null); // a misplaced separator is not a number
});

test('target values from the baseline', () => {
  assert.equal(targetValue(parseTarget('+15%'), 400), 460); // 400 × 1.15
  assert.equal(targetValue(parseTarget('-10%'), 250_000), 225_000); // 250,000 × 0.9
  assert.equal(targetValue(parseTarget('halve'), 62), 31);
  assert.equal(targetValue(parseTarget('+500'), 2000), 2500);
  assert.equal(targetValue(parseTarget('from 2,000 to 3,000'), null), 3000);
  assert.equal(targetValue(parseTarget('+15%'), null), null); // relative without baseline: unknown
});

test('default direction: from target against baseline, else the KPI’s better side', () => {
  assert.equal(defaultDirection(3000, 2000, 'higher'), 'increase');
  assert.equal(defaultDirection(0.5, 3.5, 'lower'), 'decrease');
  assert.equal(defaultDirection(2, 2, 'higher'), 'stay_above');
  assert.equal(defaultDirection(2, 2, 'lower'), 'stay_below');
  assert.equal(defaultDirection(15, null, 'higher'), 'increase');
  assert.equal(defaultDirection(100_000, null, 'lower'), 'decrease');
});

test('a year earlier keeps weekdays for whole-week windows and dates otherwise', () => {
  assert.equal(yearEarlier('2026-11-23', 7), '2025-11-24'); // Monday → Monday
  assert.equal(yearEarlier('2026-10-01', 92), '2025-10-01');
  assert.equal(yearEarlier('2028-02-29', 30), '2027-02-28');
});
