import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linearShare, modeOf, pace, rollUp, seasonalShare, statusFromPace } from './pacing.js';

const close = (actual: number | null, expected: number, eps = 1e-9) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < eps, `${actual} ≈ ${expected}`);

test('linear share counts days from the start through the as-of day, inclusive', () => {
  // 2026-07-01 … 2026-09-29 is 31 + 31 + 29 = 91 days; 1 … 30 July is 30 of them.
  close(linearShare('2026-07-01', '2026-09-29', '2026-07-30'), 30 / 91);
  assert.equal(linearShare('2026-07-01', '2026-09-29', '2026-07-01'), 1 / 91);
  assert.equal(linearShare('2026-07-01', '2026-09-29', '2026-06-30'), 0);
  assert.equal(linearShare('2026-07-01', '2026-09-29', '2026-12-31'), 1);
});

test("seasonal share follows last year's cumulative shape, and refuses a too sparse one", () => {
  close(seasonalShare([10, 30, 60], 2), (10 + 30) / 100);
  close(seasonalShare([5, 5, 5, 5, 5, 15, 15, 15, 15, 15], 5), 25 / 100);
  assert.equal(seasonalShare([0, 0, 0], 2), null); // nothing last year
  assert.equal(seasonalShare([0, 0, 0, 0, 0, 0, 0, 0, 9, 0], 5), null); // one day of data is a step, not a shape
  assert.equal(seasonalShare([0, 0, 0, 0, 0, 0, 0, 0, 9, 1], 5), null); // 2 of 10 days < a quarter of them
});

test('quota, linear: 1,000 of 3,000 leads 40 % of the way through', () => {
  const r = pace({ mode: 'quota', baseline: 2000, target: 3000, actual: 1000, share: 0.4, ended: false });
  close(r.expected, 1200); // 3,000 × 0.4
  close(r.forecast, 2500); // 1,000 / 0.4
  close(r.progress, 1 / 3); // 1,000 / 3,000
  close(r.pace, 1000 / 1200); // 0.833 → at risk
  close(r.gap, 2000); // 3,000 − 1,000
  assert.equal(r.status, 'at_risk');
});

test('quota, seasonal: a back-loaded window expects less by mid-window than a straight line', () => {
  // Last year: 5 a day for 5 days, then 15 a day for 5 days (total 100). After 5 of 10 days the shape
  // says 25 / 100 = 25 % should be done; a straight line would say 50 %.
  const share = seasonalShare([5, 5, 5, 5, 5, 15, 15, 15, 15, 15], 5) as number;
  const seasonal = pace({ mode: 'quota', baseline: null, target: 200, actual: 50, share, ended: false });
  close(seasonal.expected, 50); // 200 × 0.25
  close(seasonal.forecast, 200); // 50 / 0.25
  close(seasonal.pace, 1); // 50 / 50
  assert.equal(seasonal.status, 'on_track');
  const linear = pace({ mode: 'quota', baseline: null, target: 200, actual: 50, share: 0.5, ended: false });
  close(linear.expected, 100); // 200 × 0.5
  close(linear.forecast, 100); // 50 / 0.5
  assert.equal(linear.status, 'off_track'); // pace 0.5
});

test('status thresholds: on track from 0.95, at risk from 0.8', () => {
  assert.equal(statusFromPace(1.3), 'on_track');
  assert.equal(statusFromPace(0.95), 'on_track');
  assert.equal(statusFromPace(0.9499), 'at_risk');
  assert.equal(statusFromPace(0.8), 'at_risk');
  assert.equal(statusFromPace(0.7999), 'off_track');
  // Through pace(): a quota of 100 at half time (expected 50): 48 is 0.96, 47 is 0.94, 40 is 0.8, 39 is 0.78.
  const at = (actual: number) =>
    pace({ mode: 'quota', baseline: null, target: 100, actual, share: 0.5, ended: false }).status;
  assert.deepEqual([at(48), at(47), at(40), at(39)], ['on_track', 'at_risk', 'at_risk', 'off_track']);
});

test('done and missed: a quota reached is done at once; anything else is final only after the due date', () => {
  assert.equal(
    pace({ mode: 'quota', baseline: null, target: 10, actual: 10, share: 0.3, ended: false }).status,
    'done',
  );
  assert.equal(
    pace({ mode: 'quota', baseline: null, target: 10, actual: 9, share: 1, ended: true }).status,
    'off_track',
  );
  // A spend ceiling under its cap mid-window is only on track: spending can still go over.
  assert.equal(
    pace({ mode: 'ceiling', baseline: null, target: 100, actual: 40, share: 0.5, ended: false }).status,
    'on_track',
  );
  assert.equal(
    pace({ mode: 'ceiling', baseline: null, target: 100, actual: 95, share: 1, ended: true }).status,
    'done',
  );
  assert.equal(
    pace({ mode: 'cut', baseline: 1000, target: 900, actual: 910, share: 1, ended: true }).status,
    'off_track',
  );
});

test('lower is better, additive (ad spend −10 %): savings banked against the baseline', () => {
  // Baseline 1,000 last year, target 900; half-way through: the baseline's pro-rata 500.
  const good = pace({ mode: 'cut', baseline: 1000, target: 900, actual: 430, share: 0.5, ended: false });
  close(good.expected, 450); // 900 × 0.5
  close(good.forecast, 860); // 430 / 0.5
  close(good.progress, 0.7); // (1,000 × 0.5 − 430) / (1,000 − 900) = 70 / 100
  close(good.pace, 1.4); // 0.7 / 0.5
  close(good.gap, 0); // forecast 860 is under 900
  assert.equal(good.status, 'on_track');
  const bad = pace({ mode: 'cut', baseline: 1000, target: 900, actual: 480, share: 0.5, ended: false });
  close(bad.progress, 0.2); // (500 − 480) / 100
  close(bad.pace, 0.4); // 0.2 / 0.5
  close(bad.gap, 60); // forecast 960 − 900
  assert.equal(bad.status, 'off_track');
});

test('lower is better, levels: CPC from $3.50 to $0.50 and halving the sales cycle', () => {
  const cpc = pace({ mode: 'path', baseline: 3.5, target: 0.5, actual: 2.3, share: 0.5, ended: false });
  close(cpc.expected, 2); // 3.5 + (0.5 − 3.5) × 0.5
  close(cpc.forecast, 2.3); // a level's forecast is its current value
  close(cpc.progress, 0.4); // (2.3 − 3.5) / (0.5 − 3.5) = −1.2 / −3
  close(cpc.pace, 0.8); // 0.4 / 0.5
  close(cpc.gap, 1.8); // 2.3 − 0.5 still to cut
  assert.equal(cpc.status, 'at_risk');
  const cycle = pace({ mode: 'path', baseline: 60, target: 30, actual: 52, share: 0.25, ended: false });
  close(cycle.expected, 52.5); // 60 + (30 − 60) × 0.25
  close(cycle.progress, 8 / 30); // (52 − 60) / (30 − 60)
  close(cycle.pace, 8 / 30 / 0.25); // 1.0667
  assert.equal(cycle.status, 'on_track');
  assert.equal(
    pace({ mode: 'path', baseline: 60, target: 30, actual: 29, share: 1, ended: true }).status,
    'done',
  );
});

test('ceiling, floor and cap', () => {
  // Keep spend under 1,000: half-way, 550 spent against a pro-rata 500.
  const ceiling = pace({
    mode: 'ceiling',
    baseline: null,
    target: 1000,
    actual: 550,
    share: 0.5,
    ended: false,
  });
  close(ceiling.expected, 500);
  close(ceiling.progress, 0.5 * (500 / 550)); // share of the window kept within the ceiling
  close(ceiling.pace, 500 / 550); // 0.909 → at risk
  close(ceiling.gap, 100); // forecast 1,100 − 1,000
  assert.equal(ceiling.status, 'at_risk');
  // Open rate at least 25 %: 22 % is 88 % of it.
  const floor = pace({ mode: 'floor', baseline: 0.25, target: 0.25, actual: 0.22, share: 0.5, ended: false });
  close(floor.progress, 0.88);
  close(floor.gap, 0.03);
  assert.equal(floor.status, 'at_risk');
  // Unsubscribe rate at most 0.5 %: 0.4 % holds.
  const cap = pace({ mode: 'cap', baseline: null, target: 0.005, actual: 0.004, share: 0.5, ended: false });
  assert.equal(cap.progress, 1);
  assert.equal(cap.status, 'on_track');
});

test('an undefined actual (a rate over nothing) is at risk with no progress', () => {
  const r = pace({ mode: 'path', baseline: 3.5, target: 0.5, actual: null, share: 0.5, ended: false });
  assert.equal(r.progress, null);
  assert.equal(r.status, 'at_risk');
});

test('mode from KPI nature, direction and baseline', () => {
  assert.equal(modeOf(true, 'increase', 100, 120), 'quota');
  assert.equal(modeOf(true, 'stay_above', 100, 100), 'quota');
  assert.equal(modeOf(true, 'decrease', 1000, 900), 'cut');
  assert.equal(modeOf(true, 'decrease', null, 900), 'ceiling');
  assert.equal(modeOf(true, 'stay_below', 900, 900), 'ceiling');
  assert.equal(modeOf(false, 'decrease', 3.5, 0.5), 'path');
  assert.equal(modeOf(false, 'increase', null, 0.3), 'floor');
  assert.equal(modeOf(false, 'stay_below', 0.01, 0.01), 'cap');
});

test('roll-up: weighted progress (clamped to 0..1) and health', () => {
  const r = rollUp([
    { progress: 0.5, pace: 1, status: 'on_track', weight: 3 },
    { progress: 0.1, pace: 0.5, status: 'off_track', weight: 1 },
  ]);
  close(r.progress, (3 * 0.5 + 1 * 0.1) / 4); // 0.4
  assert.equal(r.status, 'at_risk'); // health (3 × 1 + 1 × 0.5) / 4 = 0.875
  // 250 % on one child counts as 100 %, a negative progress as 0; pace above 1 counts as 1.
  const c = rollUp([
    { progress: 2.5, pace: 3, status: 'done', weight: 1 },
    { progress: -0.4, pace: 0.6, status: 'off_track', weight: 1 },
  ]);
  close(c.progress, 0.5); // (1 + 0) / 2
  assert.equal(c.status, 'at_risk'); // (1 + 0.6) / 2 = 0.8
  assert.equal(rollUp([{ progress: 1, pace: 1, status: 'done', weight: 1 }]).status, 'done');
  assert.equal(rollUp([{ progress: 0, pace: null, status: 'not_started', weight: 2 }]).status, 'not_started');
  // Not-started children do not weigh on the health of those under way.
  assert.equal(
    rollUp([
      { progress: 0, pace: null, status: 'not_started', weight: 5 },
      { progress: 0.5, pace: 1, status: 'on_track', weight: 1 },
    ]).status,
    'on_track',
  );
  assert.deepEqual(rollUp([]), { progress: null, status: null });
});
