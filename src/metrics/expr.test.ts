import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, FormulaError, parseFormula, references } from './expr.js';

const known = new Set(['revenue', 'customers', 'mqls', 'sqls', 'ad_spend']);

test('precedence, parentheses and unary minus', () => {
  assert.equal(evaluate(parseFormula('1 + 2 * 3', known), {}), 7);
  assert.equal(evaluate(parseFormula('(1 + 2) * 3', known), {}), 9);
  assert.equal(evaluate(parseFormula('-2 * -3', known), {}), 6);
  assert.equal(evaluate(parseFormula('10 - 4 - 3', known), {}), 3); // left-associative
  assert.equal(evaluate(parseFormula('100 / 4 / 5', known), {}), 5);
});

test('formulas over measures: (mqls - sqls) / mqls with 40 and 10 is 30/40 = 0.75', () => {
  const e = parseFormula('(mqls - sqls) / mqls', known);
  assert.equal(evaluate(e, { mqls: 40, sqls: 10 }), 0.75);
  assert.deepEqual([...references(e)].sort(), ['mqls', 'sqls']);
});

test('a rate over zero is null, and null propagates', () => {
  const e = parseFormula('(revenue - ad_spend) / ad_spend', known);
  assert.equal(evaluate(e, { revenue: 500, ad_spend: 0 }), null);
  assert.equal(evaluate(parseFormula('revenue / customers + 1', known), { revenue: 1, customers: 0 }), null);
});

test('errors name the unknown measure or the position', () => {
  assert.throws(
    () => parseFormula('revenue / clients', known),
    (e: unknown) => {
      assert.ok(e instanceof FormulaError);
      assert.equal(e.position, 11);
      assert.match(e.message, /unknown measure "clients"/);
      return true;
    },
  );
  assert.throws(() => parseFormula('revenue / (customers', known), /expected "\)" at position 21/);
  assert.throws(() => parseFormula('revenue ^ 2', known), /unexpected "\^" at position 9/);
  assert.throws(() => parseFormula('revenue +', known), /unexpected end of formula/);
  assert.throws(() => parseFormula('process.exit()', known), FormulaError);
  assert.throws(() => parseFormula('process', known), /unknown measure "process"/);
});
