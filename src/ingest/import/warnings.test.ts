import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ImportWarning, WarningLog, warningLines } from './warnings.js';

const stage = (line: number, value: string) =>
  ({ code: 'unmapped_stage', line, column: 'Lifecycle Stage', value, message: `"${value}"` }) as const;

test('warnings group by kind, column and value; the most frequent first, then by first line', () => {
  const log = new WarningLog();
  log.add(stage(9, 'Partner'));
  log.add(stage(7, 'Other'));
  log.add(stage(3, 'Other'));
  log.add({ code: 'won_without_amount', line: 5, column: 'Amount', message: 'no amount' });
  assert.deepEqual(log.groups(), [
    {
      code: 'unmapped_stage',
      column: 'Lifecycle Stage',
      value: 'Other',
      message: '"Other"',
      rows: 2,
      lines: [3, 7],
    },
    { code: 'won_without_amount', column: 'Amount', value: null, message: 'no amount', rows: 1, lines: [5] },
    {
      code: 'unmapped_stage',
      column: 'Lifecycle Stage',
      value: 'Partner',
      message: '"Partner"',
      rows: 1,
      lines: [9],
    },
  ]);
  assert.deepEqual(log.unmappedStages(), { rows: 3, values: { Other: 2, Partner: 1 } });
  assert.equal(log.total, 4);
});

test('warning lines: one per group, 10 line numbers each, a screenful at most', () => {
  const group = (value: string, rows: number, first: number): ImportWarning => ({
    code: 'unmapped_stage',
    column: 'Stage',
    value,
    message: `stage "${value}"`,
    rows,
    lines: Array.from({ length: rows }, (_, i) => first + i),
  });
  assert.deepEqual(warningLines('f.csv', [group('A', 12, 2), group('B', 1, 40)], 20), [
    'f.csv: warning: Stage: stage "A" (12 rows: lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more)',
    'f.csv: warning: Stage: stage "B" (1 row: line 40)',
  ]);
  // Four groups, room for three lines: two groups, then the rows of the other two.
  const four = [group('A', 3, 2), group('B', 2, 10), group('C', 2, 20), group('D', 1, 30)];
  assert.deepEqual(warningLines('f.csv', four, 3), [
    'f.csv: warning: Stage: stage "A" (3 rows: lines 2, 3, 4)',
    'f.csv: warning: Stage: stage "B" (2 rows: lines 10, 11)',
    '… and 3 more rows with warnings (see --format json)',
  ]);
  // Exactly as many groups as lines: all shown, no "more" line.
  assert.equal(warningLines('f.csv', four.slice(0, 3), 3).length, 3);
  assert.deepEqual(warningLines('f.csv', []), []);
});
