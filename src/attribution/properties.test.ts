/**
 * Properties every model must have (fast-check): credits add up to the totals; channels that are
 * symmetric in the data get equal credit; renaming channels renames the result.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { attributePaths } from './attribute.js';
import { type PathRecord, pathTableFromRecords } from './path-table.js';
import { type AttributionOptions, type AttributionResult, MODEL_IDS } from './types.js';

const CHANNELS = ['alpha', 'beta', 'gamma', 'delta', 'Direct'];

const recordArb = fc.record({
  path: fc.array(fc.constantFrom(...CHANNELS), { minLength: 1, maxLength: 8 }),
  conversions: fc.integer({ min: 0, max: 4 }),
  value: fc.double({ min: 0, max: 1000, noNaN: true }),
  nulls: fc.integer({ min: 0, max: 4 }),
});
// Value only on converting rows, as in real exports.
const recordsArb = fc
  .array(recordArb, { minLength: 1, maxLength: 30 })
  .map((rs) => rs.map((r) => ({ ...r, value: r.conversions > 0 ? r.value : 0 })));

/** Every model, Markov at each order and both null modes. */
const CONFIGS: AttributionOptions[] = MODEL_IDS.flatMap((model): AttributionOptions[] =>
  model === 'markov'
    ? [1, 2, 3, 4].flatMap((order) => [
        { model, order, nulls: 'include' as const },
        { model, order, nulls: 'exclude' as const },
      ])
    : [{ model }],
);

const label = (o: AttributionOptions): string => `${o.model}${o.order ? `/${o.order}/${o.nulls}` : ''}`;

function credit(r: AttributionResult, channel: string): { conversions: number; value: number } {
  return r.rows.find((x) => x.channel === channel) ?? { conversions: 0, value: 0 };
}

function close(a: number, b: number, scale: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale)), `${what}: ${a} vs ${b}`);
}

/** Conversions that reach a converting path through the chain (Markov credits nothing without). */
function hasConversions(records: PathRecord[]): boolean {
  return records.some((r) => (r.conversions ?? 0) > 0);
}

describe('properties of every model', () => {
  it('credits sum to the total conversions and the total value', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const table = pathTableFromRecords(records);
        const totalConv = records.reduce((s, r) => s + r.conversions, 0);
        const totalValue = records.reduce((s, r) => s + r.value, 0);
        for (const options of CONFIGS) {
          const r = attributePaths(table, options);
          close(r.total_conversions, totalConv, totalConv, `${label(options)} total`);
          close(r.total_value, totalValue, totalValue, `${label(options)} total value`);
          if (!hasConversions(records)) continue;
          const conv = r.rows.reduce((s, x) => s + x.conversions, 0);
          const value = r.rows.reduce((s, x) => s + x.value, 0);
          close(conv, totalConv, totalConv, `${label(options)} conversions`);
          close(value, totalValue, totalValue, `${label(options)} value`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives channels that are symmetric in the data equal credit', () => {
    // Mirror every path with alpha and beta swapped: the data is then symmetric in the two.
    const swap = (c: string): string => (c === 'alpha' ? 'beta' : c === 'beta' ? 'alpha' : c);
    fc.assert(
      fc.property(recordsArb, (records) => {
        const mirrored = [...records, ...records.map((r) => ({ ...r, path: r.path.map(swap) }))];
        const table = pathTableFromRecords(mirrored);
        for (const options of CONFIGS) {
          const r = attributePaths(table, options);
          const a = credit(r, 'alpha');
          const b = credit(r, 'beta');
          close(a.conversions, b.conversions, r.total_conversions, `${label(options)} conversions`);
          close(a.value, b.value, r.total_value, `${label(options)} value`);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('relabelling channels relabels the result', () => {
    // A permutation of the non-direct names (direct-ness is part of last_non_direct's data).
    const permutationArb = fc.shuffledSubarray(CHANNELS.slice(0, 4), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(recordsArb, permutationArb, (records, perm) => {
        const rename = (c: string): string => {
          const i = CHANNELS.indexOf(c);
          return i < 4 ? `x-${perm[i]}` : c;
        };
        const before = pathTableFromRecords(records);
        const after = pathTableFromRecords(records.map((r) => ({ ...r, path: r.path.map(rename) })));
        for (const options of CONFIGS) {
          const r1 = attributePaths(before, options);
          const r2 = attributePaths(after, options);
          for (const row of r1.rows) {
            const twin = credit(r2, rename(row.channel));
            close(
              twin.conversions,
              row.conversions,
              r1.total_conversions,
              `${label(options)} ${row.channel}`,
            );
            close(twin.value, row.value, r1.total_value, `${label(options)} ${row.channel} value`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('sorts rows by conversions descending, then channel name', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const table = pathTableFromRecords(records);
        for (const options of CONFIGS) {
          const rows = attributePaths(table, options).rows;
          for (let i = 1; i < rows.length; i++) {
            const [p, q] = [rows[i - 1]!, rows[i]!];
            assert.ok(
              p.conversions > q.conversions || (p.conversions === q.conversions && p.channel < q.channel),
            );
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
