import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Failures, type Log } from './log.js';

function capture() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, message, fields });
  };
  const log: Log = { error: at('error'), warn: at('warn'), info: at('info') };
  return { lines, log };
}

test('a streak of failures is counted each time and logged first, then once per quiet period', () => {
  const { lines, log } = capture();
  let now = 1_000;
  const f = new Failures(log, 60_000, () => now);
  const err = new Error('disk full');
  f.failed('the flush', err, { workspace: 'acme' });
  now += 10_000;
  f.failed('the flush', err, { workspace: 'acme' });
  now += 49_999; // 59,999 ms after the first line: still quiet
  f.failed('the flush', err, { workspace: 'acme' });
  now += 1; // 60,000 ms: logged again, with the counts
  f.failed('the flush', err, { workspace: 'acme' });
  assert.equal(f.count('the flush'), 4);
  assert.deepEqual(lines, [
    {
      level: 'error',
      message: 'the flush failed',
      fields: { err, workspace: 'acme', failures: 1, inARow: 1 },
    },
    {
      level: 'error',
      message: 'the flush failed',
      fields: { err, workspace: 'acme', failures: 4, inARow: 4 },
    },
  ]);
});

test('a success ends the streak once; the next failure is logged at once and the total goes on', () => {
  const { lines, log } = capture();
  const now = 0;
  const f = new Failures(log, 60_000, () => now);
  f.succeeded('the flush'); // nothing failed: nothing to say
  f.failed('the flush', new Error('a'));
  f.failed('the flush', new Error('b'));
  f.succeeded('the flush');
  f.succeeded('the flush');
  f.failed('the flush', new Error('c'));
  f.failed('the checkpoint', new Error('d')); // kinds are counted apart
  assert.deepEqual(
    lines.map((l) => [l.level, l.message, l.fields.failures, l.fields.inARow]),
    [
      ['error', 'the flush failed', 1, 1],
      ['info', 'the flush works again', 2, 2],
      ['error', 'the flush failed', 3, 1],
      ['error', 'the checkpoint failed', 1, 1],
    ],
  );
  assert.equal(f.count('the flush'), 3);
  assert.equal(f.count('the checkpoint'), 1);
  assert.equal(f.count('never'), 0);
});
