import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathTableFromRecords } from './path-table.js';
import { attributeRuleBased, isDirectChannel, touchWeights } from './rule-based.js';
import type { AttributionResult } from './types.js';

function close(actual: readonly number[], expected: readonly number[], what = ''): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((x, i) => {
    assert.ok(Math.abs(x - expected[i]!) < 1e-12, `${what}[${i}]: ${x} vs ${expected[i]}`);
  });
}

function credits(r: AttributionResult): Record<string, [number, number]> {
  return Object.fromEntries(r.rows.map((row) => [row.channel, [row.conversions, row.value]]));
}

describe('touch weights', () => {
  it('first, last and linear', () => {
    close(touchWeights('first_touch', 3), [1, 0, 0]);
    close(touchWeights('last_touch', 3), [0, 0, 1]);
    // Per touch: 1/4 each, so a channel touched twice gets 2/4.
    close(touchWeights('linear', 4), [0.25, 0.25, 0.25, 0.25]);
  });

  it('last non-direct skips direct touches, but an all-direct path stays direct', () => {
    close(touchWeights('last_non_direct', 3, { channels: ['Email', 'Direct', '(direct)'] }), [1, 0, 0]);
    close(touchWeights('last_non_direct', 3, { channels: ['Direct', 'Email', 'DIRECT'] }), [0, 1, 0]);
    close(touchWeights('last_non_direct', 2, { channels: ['Direct', 'direct'] }), [0, 1]);
    assert.ok(isDirectChannel(' (Direct) '));
    assert.ok(!isDirectChannel('Direct Mail'));
  });

  it('position based: 100 %; 50/50; 40/20/40 with 20 spread over the middle', () => {
    close(touchWeights('position_based', 1), [1]);
    close(touchWeights('position_based', 2), [0.5, 0.5]);
    close(touchWeights('position_based', 3), [0.4, 0.2, 0.4]);
    // 0.2 / 3 middle touches = 0.0666…
    close(touchWeights('position_based', 5), [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]);
  });

  it('time decay: 2^(-days/half-life), normalised; path files: one day apart ending at 0', () => {
    // Raw weights 2^(-2/7) = 0.820335, 2^(-1/7) = 0.905724, 2^0 = 1; sum 2.726058 → 0.300924, 0.332247, 0.366830.
    const raw = [2 ** (-2 / 7), 2 ** (-1 / 7), 1];
    const sum = raw[0]! + raw[1]! + raw[2]!;
    close(touchWeights('time_decay', 3), [raw[0]! / sum, raw[1]! / sum, 1 / sum]);
    close(
      touchWeights('time_decay', 3).map((x) => Math.round(x * 1e6) / 1e6),
      [0.300924, 0.332247, 0.36683],
    );
    // 14 and 7 days before with half-life 7: raw 1/4, 1/2 and 1 for the same-day touch → 1/7, 2/7, 4/7.
    close(touchWeights('time_decay', 3, { daysBefore: [14, 7, 0] }), [1 / 7, 2 / 7, 4 / 7]);
    // Half-life 1 day: raw 1/2, 1 → 1/3, 2/3.
    close(touchWeights('time_decay', 2, { halfLifeDays: 1 }), [1 / 3, 2 / 3]);
  });

  it('W-shaped without milestones: lead = first touch, opportunity = last touch', () => {
    close(touchWeights('w_shaped', 1), [1]);
    // First 0.3 + lead 0.3 on touch 0, opportunity 0.3 on touch 1, no rest: 0.6/0.9, 0.3/0.9.
    close(touchWeights('w_shaped', 2), [2 / 3, 1 / 3]);
    // 0.6 | 0.1 on the one middle touch | 0.3.
    close(touchWeights('w_shaped', 3), [0.6, 0.1, 0.3]);
    // 0.6 | 0.05 | 0.05 | 0.3.
    close(touchWeights('w_shaped', 4), [0.6, 0.05, 0.05, 0.3]);
  });

  it('W-shaped with milestones, and when they coincide', () => {
    // 30 % first, 30 % lead (touch 1), 30 % opportunity (touch 3), 10 % over touches 2 and 4.
    close(touchWeights('w_shaped', 5, { lead: 1, opportunity: 3 }), [0.3, 0.3, 0.05, 0.3, 0.05]);
    // Lead and opportunity on touch 2: 0.6 there; touch 1 is the only rest touch: 0.1.
    close(touchWeights('w_shaped', 3, { lead: 2, opportunity: 2 }), [0.3, 0.1, 0.6]);
    // Same with no rest touch: 0.3 and 0.6 scaled by 1/0.9.
    close(touchWeights('w_shaped', 2, { lead: 1, opportunity: 1 }), [1 / 3, 2 / 3]);
    // Everything on the first touch.
    close(touchWeights('w_shaped', 3, { lead: 0, opportunity: 0 }), [0.9, 0.05, 0.05]);
  });

  it('full path: 22.5 % x 4 milestones (deal won included), 10 % over the rest', () => {
    close(
      touchWeights('full_path', 6, { lead: 1, opportunity: 2, dealWon: 4 }),
      [0.225, 0.225, 0.225, 0.05, 0.225, 0.05],
    );
    // Path file: lead = first, opportunity = deal won = last → 0.45 | 0.1 | 0.45.
    close(touchWeights('full_path', 3), [0.45, 0.1, 0.45]);
    close(touchWeights('full_path', 2), [0.5, 0.5]);
    close(touchWeights('full_path', 1), [1]);
  });
});

describe('rule-based attribution over a table', () => {
  // Two paths: a > b > a (2 conversions, value 30) and c (1 conversion, value 6), plus a null-only path.
  const table = pathTableFromRecords([
    { path: ['a', 'b', 'a'], conversions: 2, value: 30, nulls: 1 },
    { path: ['c'], conversions: 1, value: 6 },
    { path: ['b', 'c'], nulls: 5 },
  ]);

  it('linear counts every touch', () => {
    // a: 2/3 of (2, 30) = (4/3, 20); b: 1/3 = (2/3, 10); c: (1, 6).
    const r = attributeRuleBased(table, 'linear');
    assert.deepEqual(
      r.rows.map((x) => x.channel),
      ['a', 'c', 'b'],
    );
    const c = credits(r);
    close(c.a!, [4 / 3, 20]);
    close(c.b!, [2 / 3, 10]);
    close(c.c!, [1, 6]);
    assert.equal(r.total_conversions, 3);
    assert.equal(r.total_value, 36);
  });

  it('position based and first touch', () => {
    // a > b > a: 0.4 + 0.4 to a, 0.2 to b.
    const c = credits(attributeRuleBased(table, 'position_based'));
    close(c.a!, [1.6, 24]);
    close(c.b!, [0.4, 6]);
    close(c.c!, [1, 6]);
    const f = credits(attributeRuleBased(table, 'first_touch'));
    close(f.a!, [2, 30]);
    close(f.b!, [0, 0]);
  });

  it('reports W-shaped credit per funnel stage when asked', () => {
    const r = attributeRuleBased(table, 'w_shaped', { stages: true });
    // a > b > a: first (0.3) + lead (0.3) on touch 0 = a, opportunity (0.3) on touch 2 = a, rest 0.1 = b.
    const byStage = Object.fromEntries(
      (r.stages ?? []).map((s) => [`${s.channel}/${s.stage}`, s.conversions]),
    );
    close(
      [byStage['a/first_touch']!, byStage['a/lead']!, byStage['a/opportunity']!, byStage['b/other']!],
      [0.6, 0.6, 0.6, 0.2],
    );
    // The single-touch path c: 0.3 + 0.3 + 0.3, scaled by 1/0.9 → 1/3 each.
    close([byStage['c/first_touch']!, byStage['c/lead']!, byStage['c/opportunity']!], [1 / 3, 1 / 3, 1 / 3]);
    const c = credits(r);
    close(c.a!, [1.8, 27]);
  });
});
