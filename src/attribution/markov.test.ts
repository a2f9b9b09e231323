import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { removalsByHitting } from './markov.hitting.js';
import { attributeMarkov, attributeMarkovDetailed } from './markov.js';
import { AbsorptionSolver } from './markov.solver.js';
import { buildMarkovChain } from './markov.states.js';
import { type PathRecord, pathTableFromRecords } from './path-table.js';
import type { AttributionResult, NullsMode } from './types.js';

const near = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

function byChannel(r: AttributionResult): Record<string, { conversions: number; value: number; re: number }> {
  return Object.fromEntries(
    r.rows.map((x) => [
      x.channel,
      { conversions: x.conversions, value: x.value, re: x.removal_effect ?? Number.NaN },
    ]),
  );
}

function assertCredits(r: AttributionResult, expected: Record<string, [number, number?, number?]>): void {
  const got = byChannel(r);
  for (const [channel, [conversions, re, value]] of Object.entries(expected)) {
    const g = got[channel]!;
    assert.ok(
      near(g.conversions, conversions, 1e-12),
      `${channel} conversions ${g.conversions} vs ${conversions}`,
    );
    if (re !== undefined) assert.ok(near(g.re, re, 1e-12), `${channel} removal effect ${g.re} vs ${re}`);
    if (value !== undefined)
      assert.ok(near(g.value, value, 1e-12), `${channel} value ${g.value} vs ${value}`);
  }
}

const split = (p: string): string[] => p.split('>').map((c) => c.trim());

describe('Markov removal effects on hand-solvable paths', () => {
  it('c1>c2>c3 (1 conversion), c1 (1 null), c2>c3 (1 null) → 0.2, 0.4, 0.4', () => {
    // start → c1 2/3, → c2 1/3; c1 → c2 1/2, → null 1/2; c2 → c3 1; c3 → conversion 1/2, → null 1/2.
    // P(conv) = 2/3·1/2·1/2 + 1/3·1/2 = 1/3. Without c1: 1/3·1/2 = 1/6 → RE 1/2. Without c2 or c3: 0 → RE 1.
    // Credits = RE / (1/2 + 1 + 1) x 1 conversion.
    const t = pathTableFromRecords([
      { path: split('c1>c2>c3'), conversions: 1 },
      { path: ['c1'], nulls: 1 },
      { path: split('c2>c3'), nulls: 1 },
    ]);
    const r = attributeMarkov(t, { order: 1 });
    assertCredits(r, { c1: [0.2, 0.5], c2: [0.4, 1], c3: [0.4, 1] });
    assert.equal(r.order, 1);
    assert.deepEqual(Object.keys(r), ['model', 'order', 'total_conversions', 'total_value', 'rows']);
    // Without the non-converting paths only c1>c2>c3 is left: every channel is essential.
    assertCredits(attributeMarkov(t, { nulls: 'exclude' }), {
      c1: [1 / 3, 1],
      c2: [1 / 3, 1],
      c3: [1 / 3, 1],
    });
  });

  it('A>B>A>B>B>A, A>B>B>A>A, A>A (1 conversion each) → A 2, B 1 at order 1', () => {
    // Order 1 merges repeats: A>B>A>B>A, A>B>A, A. Transitions: start → A 3; A → B 3, A → conversion 3;
    // B → A 3. No nulls, so P(conv) = 1. Without A: 0 → RE 1. Without B: from A, 1/2 converts and
    // 1/2 goes to (removed) B → null: P = 1/2 → RE 1/2. Credits 1/1.5 x 3 = 2 and 0.5/1.5 x 3 = 1.
    // (Shapley gives the same here: {A,B}, {A,B}, {A} → A 1/2 + 1/2 + 1, B 1/2 + 1/2.)
    const t = pathTableFromRecords([
      { path: split('A>B>A>B>B>A'), conversions: 1 },
      { path: split('A>B>B>A>A'), conversions: 1 },
      { path: split('A>A'), conversions: 1 },
    ]);
    assertCredits(attributeMarkov(t, { order: 1 }), { A: [2, 1], B: [1, 0.5] });
    // Order 2 differs. States AB, BA, AB, BB, BA | AB, BB, BA, AA | AA. start → AB 2/3, AA 1/3;
    // AB → BA 1/3, BB 2/3; BA → AB 1/3, conv 1/3, AA 1/3; BB → BA 1; AA → conv 1.
    // Without A every state but BB is gone: RE 1. Without B only start → AA → conv: P = 1/3, RE 2/3.
    // Credits 1/(5/3) x 3 = 1.8 and (2/3)/(5/3) x 3 = 1.2.
    assertCredits(attributeMarkov(t, { order: 2 }), { A: [1.8, 1], B: [1.2, 2 / 3] });
  });

  it('attributes value through the mean value of the paths ending in each last state', () => {
    // A (1 conv, value 100), B (1 conv, value 10, 1 null), A>B (1 conv, value 20, 1 null).
    // start → A 3/5, → B 2/5; A → conv 1/3, → B 2/3; B → conv 1/2, → null 1/2.
    // h(B) = 1/2, h(A) = 1/3 + 2/3·1/2 = 2/3, h(start) = 3/5·2/3 + 2/5·1/2 = 3/5.
    // Without A: 2/5·1/2 = 1/5 → RE 2/3. Without B: h(A) = 1/3, h(start) = 1/5 → RE 2/3. 1.5 each.
    // E_A = 100/1, E_B = (10 + 20)/2 = 15. g(B) = 1/2·15 = 7.5, g(A) = 1/3·100 + 2/3·7.5 = 115/3,
    // g(start) = 3/5·115/3 + 2/5·7.5 = 26. Without A: 2/5·7.5 = 3 → 1 - 3/26 = 23/26.
    // Without B: g(A) = 100/3, g(start) = 20 → 1 - 20/26 = 3/13. Value 130 x 23/29 and 130 x 6/29.
    const t = pathTableFromRecords([
      { path: ['A'], conversions: 1, value: 100 },
      { path: ['B'], conversions: 1, value: 10, nulls: 1 },
      { path: ['A', 'B'], conversions: 1, value: 20, nulls: 1 },
    ]);
    const d = attributeMarkovDetailed(t);
    assertCredits(d.result, { A: [1.5, 2 / 3, (130 * 23) / 29], B: [1.5, 2 / 3, (130 * 6) / 29] });
    assert.ok(near(d.conversionProbability, 3 / 5, 1e-12));
    assert.ok(near(d.expectedValue, 26, 1e-12));
    assert.ok(near(d.valueRemovalEffects.get('A')!, 23 / 26, 1e-12));
    assert.ok(near(d.valueRemovalEffects.get('B')!, 3 / 13, 1e-12));
  });

  it('keeps a path shorter than the order as one state', () => {
    // Order 3: x>y is one state (x,y); x>y>z>w has windows (x,y,z), (y,z,w).
    const t = pathTableFromRecords([
      { path: ['x', 'y'], conversions: 1 },
      { path: ['x', 'y', 'z', 'w'], conversions: 1, nulls: 1 },
    ]);
    const chain = buildMarkovChain(t, 3, 'include');
    assert.equal(chain.stateCount, 4); // start, (x,y), (x,y,z), (y,z,w)
    // P(conv) = 1/3 + 2/3·1/2 = 2/3. Without z or w: 1/3 → RE 1/2. Without x or y: 0 → RE 1.
    assertCredits(attributeMarkov(t, { order: 3 }), {
      x: [2 / 3, 1],
      y: [2 / 3, 1],
      z: [1 / 3, 0.5],
      w: [1 / 3, 0.5],
    });
  });

  it('gives zero credit without conversions and rejects orders outside 1..4', () => {
    const t = pathTableFromRecords([{ path: ['a', 'b'], nulls: 3 }]);
    const r = attributeMarkov(t);
    assert.equal(r.total_conversions, 0);
    assert.ok(r.rows.every((x) => x.conversions === 0 && x.removal_effect === 0));
    assert.throws(() => attributeMarkov(t, { order: 0 }), RangeError);
    assert.throws(() => attributeMarkov(t, { order: 5 }), RangeError);
  });
});

/**
 * An independent reference: states as strings, a dense matrix over every state including
 * conversion and null, removal by redirecting rows to null, and naive Gauss-Jordan. Slow, obvious.
 */
function referenceMarkov(
  records: PathRecord[],
  order: number,
  nulls: NullsMode,
): Map<string, [number, number]> {
  const states = new Map<string, number>([['(start)', 0]]);
  const windows = records.map((r) => {
    const n = r.path.length;
    const out: string[] = [];
    for (let j = 0; j + Math.min(order, n) <= n; j++) {
      const w = r.path.slice(j, j + Math.min(order, n)).join('|');
      if (out[out.length - 1] !== w) out.push(w);
      if (n <= order) break;
    }
    for (const w of out) if (!states.has(w)) states.set(w, states.size);
    return out;
  });
  const S = states.size;
  const CONV = S;
  const NULL = S + 1;
  const W = Array.from({ length: S + 2 }, () => new Array<number>(S + 2).fill(0));
  const lastValue = new Array<number>(S).fill(0);
  records.forEach((r, i) => {
    const conv = r.conversions ?? 0;
    const nul = nulls === 'include' ? (r.nulls ?? 0) : 0;
    if (conv + nul <= 0) return;
    let prev = 0;
    for (const w of windows[i]!) {
      const s = states.get(w)!;
      W[prev]![s]! += conv + nul;
      prev = s;
    }
    W[prev]![CONV]! += conv;
    W[prev]![NULL]! += nul;
    lastValue[prev]! += r.value ?? 0;
  });
  const solve = (removed: Set<number>): [number, number] => {
    // x = P(conv), y = expected value; rows of removed states go to null.
    const A = Array.from({ length: S }, (_, i) => {
      const row = new Array<number>(S + 2).fill(0);
      row[i] = 1;
      const out = W[i]!.reduce((a, b) => a + b, 0);
      if (removed.has(i) || out === 0) return row;
      for (let j = 0; j < S; j++) row[j]! -= W[i]![j]! / out;
      row[S] = W[i]![CONV]! / out;
      row[S + 1] = lastValue[i]! / out;
      return row;
    });
    for (let c = 0; c < S; c++) {
      let p = c;
      for (let r = c + 1; r < S; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
      [A[c], A[p]] = [A[p]!, A[c]!];
      for (let r = 0; r < S; r++) {
        if (r === c) continue;
        const f = A[r]![c]! / A[c]![c]!;
        for (let k = c; k < S + 2; k++) A[r]![k]! -= f * A[c]![k]!;
      }
    }
    return [A[0]![S]! / A[0]![0]!, A[0]![S + 1]! / A[0]![0]!];
  };
  const [base, baseValue] = solve(new Set());
  const result = new Map<string, [number, number]>();
  const channels = new Set(records.flatMap((r) => r.path));
  for (const c of channels) {
    const removed = new Set(
      [...states].filter(([k]) => k !== '(start)' && k.split('|').includes(c)).map(([, v]) => v),
    );
    const [p, v] = solve(removed);
    result.set(c, [base > 0 ? 1 - p / base : 0, baseValue !== 0 ? 1 - v / baseValue : 0]);
  }
  return result;
}

const recordsArb = fc.array(
  fc.record({
    path: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 7 }),
    conversions: fc.integer({ min: 0, max: 3 }),
    value: fc.integer({ min: 0, max: 500 }),
    nulls: fc.integer({ min: 0, max: 3 }),
  }),
  { minLength: 1, maxLength: 25 },
);

describe('Markov exactness', () => {
  it('matches the reference removal effects for orders 1 to 4, with and without nulls', () => {
    fc.assert(
      fc.property(recordsArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), (raw, order, exclude) => {
        const records = raw.map((r) => ({ ...r, value: r.conversions > 0 ? r.value : 0 }));
        const nulls: NullsMode = exclude ? 'exclude' : 'include';
        const ref = referenceMarkov(records, order, nulls);
        const d = attributeMarkovDetailed(pathTableFromRecords(records), { order, nulls });
        for (const row of d.result.rows) {
          const [re, reValue] = ref.get(row.channel)!;
          assert.ok(near(row.removal_effect!, re, 1e-9), `${row.channel} RE ${row.removal_effect} vs ${re}`);
          const mine = d.valueRemovalEffects.get(row.channel)!;
          assert.ok(near(mine, reValue, 1e-9), `${row.channel} value RE ${mine} vs ${reValue}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('solves the same with the dense and the iterative solver', () => {
    fc.assert(
      fc.property(recordsArb, fc.integer({ min: 1, max: 4 }), (records, order) => {
        const chain = buildMarkovChain(pathTableFromRecords(records), order, 'include');
        const dense = new AbsorptionSolver(chain, { denseLimit: Number.POSITIVE_INFINITY });
        const iterative = new AbsorptionSolver(chain, { denseLimit: 0 });
        const sets = [undefined, ...chain.statesOfChannel];
        for (const removed of sets) {
          const a = dense.solve(removed);
          const b = iterative.solve(removed);
          assert.ok(Math.abs(a.conversion - b.conversion) <= 1e-12, `${a.conversion} vs ${b.conversion}`);
          assert.ok(near(a.value, b.value, 1e-11), `${a.value} vs ${b.value}`);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gets order-1 removals from the fundamental matrix exactly as from per-channel solves', () => {
    const many = fc.array(
      fc.record({
        path: fc.array(
          fc.integer({ min: 0, max: 29 }).map((i) => `ch${i}`),
          { minLength: 1, maxLength: 9 },
        ),
        conversions: fc.integer({ min: 0, max: 3 }),
        value: fc.integer({ min: 0, max: 100 }),
        nulls: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(many, (records) => {
        const chain = buildMarkovChain(pathTableFromRecords(records), 1, 'include');
        const hitting = removalsByHitting(chain);
        const solver = new AbsorptionSolver(chain);
        const base = solver.solve();
        assert.ok(Math.abs(hitting.base.conversion - base.conversion) <= 1e-12);
        for (const states of chain.statesOfChannel) {
          if (states.length === 0) continue;
          const a = hitting.without(states[0]!);
          const b = solver.solve(states);
          assert.ok(Math.abs(a.conversion - b.conversion) <= 1e-12, `${a.conversion} vs ${b.conversion}`);
          assert.ok(near(a.value, b.value, 1e-10), `${a.value} vs ${b.value}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
