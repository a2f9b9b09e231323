/**
 * Properties of pacing over thousands of random cases (a seeded generator, so a failure reproduces):
 * time only ever raises what is expected, and a total that does not grow only ever falls behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../core/random.js';
import { addDays } from '../core/time.js';
import { linearShare, type Mode, pace, type Status, seasonalShare } from './pacing.js';

const RANK: Record<Status, number> = { off_track: 0, at_risk: 1, on_track: 2, done: 3, not_started: -1 };
const CASES = 3000;

test('linear share is monotone in time: 0 before the start, 1 from the due date, never falling', () => {
  const rng = new Rng(11);
  for (let n = 0; n < 300; n++) {
    const start = addDays('2026-01-01', rng.int(-400, 400));
    const due = addDays(start, rng.int(1, 400));
    let prev = -1;
    for (let d = addDays(start, -3); d <= addDays(due, 3); d = addDays(d, 1)) {
      const s = linearShare(start, due, d);
      assert.ok(s >= prev, `${start}…${due} at ${d}: ${s} < ${prev}`);
      assert.ok(s >= 0 && s <= 1);
      if (d < start) assert.equal(s, 0);
      if (d >= due) assert.equal(s, 1);
      prev = s;
    }
  }
});

test("seasonal share is monotone in the days elapsed and reaches 1 at the window's end", () => {
  const rng = new Rng(12);
  for (let n = 0; n < 500; n++) {
    const daily = Array.from({ length: rng.int(2, 120) }, () => (rng.chance(0.8) ? rng.int(0, 50) : 0));
    const first = seasonalShare(daily, 0);
    if (first === null) continue;
    let prev = first;
    for (let k = 1; k <= daily.length; k++) {
      const s = seasonalShare(daily, k) as number;
      assert.ok(s >= prev - 1e-12, `day ${k}: ${s} < ${prev}`);
      prev = s;
    }
    assert.ok(Math.abs(prev - 1) < 1e-12);
  }
});

/** A random objective of each mode with sensible numbers (targets on the side the mode implies). */
function randomCase(rng: Rng): { mode: Mode; baseline: number; target: number; actual: number } {
  const mode = (['quota', 'cut', 'ceiling', 'path', 'floor', 'cap'] as const)[rng.int(0, 5)] as Mode;
  const baseline = rng.int(1, 10_000);
  const up = rng.chance(0.5);
  const target =
    mode === 'cut'
      ? baseline * (0.2 + 0.7 * rng.next())
      : up
        ? baseline * (1.05 + rng.next())
        : baseline * (0.2 + 0.7 * rng.next());
  return { mode, baseline, target, actual: rng.int(0, 2 * Math.ceil(target)) };
}

test('with the actual unchanged, time passing never improves a quota, a path, a floor or a cap, and never worsens a spending cut or ceiling', () => {
  const rng = new Rng(13);
  for (let n = 0; n < CASES; n++) {
    const c = randomCase(rng);
    const whole = rng.chance(0.5);
    // A total to keep low that stops growing gets better as time passes; everything else gets worse.
    const sign = c.mode === 'cut' || c.mode === 'ceiling' ? -1 : 1;
    let prevPace = Number.POSITIVE_INFINITY;
    let prevRank = Number.POSITIVE_INFINITY;
    let prevExpected = Number.NEGATIVE_INFINITY;
    for (let k = 1; k <= 20; k++) {
      const r = pace({ ...c, share: k / 20, ended: false, whole });
      const what = `${JSON.stringify(c)} share ${k / 20}`;
      const p = sign * (r.pace ?? Number.POSITIVE_INFINITY);
      const rank = sign * RANK[r.status];
      if (c.mode !== 'path') assert.ok(p <= prevPace + 1e-9, `${what}: pace ${p} after ${prevPace}`);
      assert.ok(rank <= prevRank, `${what}: ${r.status}`);
      // For totals, what is expected by now only grows; a level's path moves steadily to its target.
      const e = r.expected as number;
      const towards = c.mode === 'path' && c.target < c.baseline ? -e : e;
      assert.ok(towards >= prevExpected - 1e-9, `${what}: expected ${e}`);
      prevExpected = towards;
      prevPace = p;
      prevRank = rank;
    }
  }
});

test('for a quota, more done by the same day never lowers pace, progress nor the status', () => {
  const rng = new Rng(14);
  for (let n = 0; n < CASES; n++) {
    const target = rng.int(1, 5_000);
    const share = rng.int(1, 100) / 100;
    const whole = rng.chance(0.5);
    let prev = { pace: -1, progress: -1, rank: -1 };
    for (let actual = 0; actual <= 2 * target; actual += Math.max(1, Math.floor(target / 25))) {
      const r = pace({ mode: 'quota', baseline: null, target, actual, share, ended: false, whole });
      const now = {
        pace: r.pace ?? Number.POSITIVE_INFINITY,
        progress: r.progress as number,
        rank: RANK[r.status],
      };
      assert.ok(
        now.pace >= prev.pace && now.progress >= prev.progress && now.rank >= prev.rank,
        `${target} ${share} ${actual}`,
      );
      prev = now;
    }
  }
});

test('a total exactly on its path is on track (or done) every day of the window', () => {
  const rng = new Rng(15);
  for (let n = 0; n < CASES; n++) {
    const target = rng.int(1, 10_000);
    const share = rng.int(1, 100) / 100;
    const r = pace({ mode: 'quota', baseline: null, target, actual: target * share, share, ended: false });
    assert.ok(r.status === 'on_track' || r.status === 'done', `${target} at ${share}: ${r.status}`);
  }
});

test('a count less than one unit behind its path is on track; one whole unit behind is judged by pace', () => {
  // Two posts a month, 4 days in (share 4/30): expected 0.27, none yet — nobody publishes 0.27 posts.
  const early = pace({
    mode: 'quota',
    baseline: null,
    target: 2,
    actual: 0,
    share: 4 / 30,
    ended: false,
    whole: true,
  });
  assert.equal(early.status, 'on_track');
  assert.equal(early.pace, 0);
  // Without the whole-unit rule (a sum of money), the same numbers are off track.
  assert.equal(
    pace({ mode: 'quota', baseline: null, target: 2, actual: 0, share: 4 / 30, ended: false }).status,
    'off_track',
  );
  // 20 days in: 1.33 expected, 0 done: more than one post behind → pace 0 → off track.
  const late = pace({
    mode: 'quota',
    baseline: null,
    target: 2,
    actual: 0,
    share: 20 / 30,
    ended: false,
    whole: true,
  });
  assert.equal(late.status, 'off_track');
});
