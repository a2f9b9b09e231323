import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type PathRecord, pathTableFromRecords } from './path-table.js';
import { attributeShapley, attributeShapleyOrdered } from './shapley.js';

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Shapley by definition: v(S) = conversions of paths whose channel set is a subset of S, over all coalitions. */
function bruteForceShapley(records: PathRecord[]): Map<string, number> {
  const players = [...new Set(records.flatMap((r) => r.path))];
  const n = players.length;
  const masks = records.map((r) => r.path.reduce((m, c) => m | (1 << players.indexOf(c)), 0));
  const v = (s: number): number =>
    records.reduce((sum, r, i) => sum + ((masks[i]! & ~s) === 0 ? (r.conversions ?? 0) : 0), 0);
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const out = new Map<string, number>();
  players.forEach((p, i) => {
    let phi = 0;
    for (let s = 0; s < 1 << n; s++) {
      if (s & (1 << i)) continue;
      const size = s.toString(2).replace(/0/g, '').length;
      phi += ((fact(size) * fact(n - size - 1)) / fact(n)) * (v(s | (1 << i)) - v(s));
    }
    out.set(p, phi);
  });
  return out;
}

describe('Shapley', () => {
  it('splits each path equally over its distinct channels', () => {
    // a>b>a: {a,b} → 1/2 each of 2 conversions and 30 value; c: all of 1 and 6; b>c (nulls) → nothing.
    const t = pathTableFromRecords([
      { path: ['a', 'b', 'a'], conversions: 2, value: 30 },
      { path: ['c'], conversions: 1, value: 6 },
      { path: ['b', 'c'], nulls: 4 },
    ]);
    const r = attributeShapley(t);
    assert.deepEqual(
      r.rows.map((x) => [x.channel, x.conversions, x.value]),
      [
        ['a', 1, 15],
        ['b', 1, 15],
        ['c', 1, 6],
      ],
    );
  });

  it('equals the Shapley value computed over every coalition', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            path: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 6 }),
            conversions: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (records) => {
          const expected = bruteForceShapley(records);
          for (const row of attributeShapley(pathTableFromRecords(records)).rows) {
            assert.ok(near(row.conversions, expected.get(row.channel)!), `${row.channel}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ordered: a channel’s share of a path splits over its positions; totals equal Shapley', () => {
    // a>b>a (1 conversion, value 8): a gets 1/2, split over positions 1 and 3 → 1/4 each; b 1/2 at 2.
    // b>a (1 conversion): 1/2 each, b at position 1, a at position 2.
    const t = pathTableFromRecords([
      { path: ['a', 'b', 'a'], conversions: 1, value: 8 },
      { path: ['b', 'a'], conversions: 1 },
    ]);
    const r = attributeShapleyOrdered(t);
    const pos = Object.fromEntries((r.by_position ?? []).map((p) => [p.channel, p]));
    assert.deepEqual(pos.a!.conversions, [0.25, 0.5, 0.25]);
    assert.deepEqual(pos.a!.value, [2, 0, 2]);
    assert.deepEqual(pos.b!.conversions, [0.5, 0.5]);
    assert.deepEqual(pos.b!.value, [0, 4]);
    const plain = attributeShapley(t);
    assert.deepEqual(
      r.rows.map((x) => [x.channel, x.conversions, x.value]),
      plain.rows.map((x) => [x.channel, x.conversions, x.value]),
    );
    assert.equal(r.model, 'shapley_ordered');
  });
});
