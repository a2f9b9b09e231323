import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsDepth, MAX_JSON_DEPTH } from './json.js';

function nest(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

test('depth counts objects and arrays; scalars add nothing', () => {
  assert.equal(exceedsDepth(1, 0), false);
  assert.equal(exceedsDepth({}, 0), true);
  assert.equal(exceedsDepth({}, 1), false);
  assert.equal(exceedsDepth({ a: { b: 1 } }, 2), false);
  assert.equal(exceedsDepth({ a: { b: [1] } }, 2), true);
  assert.equal(exceedsDepth([[], [[]]], 2), true);
  assert.equal(exceedsDepth(nest(MAX_JSON_DEPTH)), false);
  assert.equal(exceedsDepth(nest(MAX_JSON_DEPTH + 1)), true);
});

test('a value 100,000 levels deep is refused without recursing through it', () => {
  const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  const t = process.hrtime.bigint();
  assert.equal(exceedsDepth(deep), true);
  assert.ok(process.hrtime.bigint() - t < 50_000_000n);
});
