import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, suggestion } from './suggest.js';

test('typos find the name meant; unrelated input finds nothing', () => {
  const kpis = ['leads', 'mqls', 'sqls', 'revenue', 'roas', 'roi', 'sessions'];
  assert.equal(didYouMean('lead', kpis), 'leads');
  assert.equal(didYouMean('revnue', kpis), 'revenue');
  assert.equal(didYouMean('Sesions', kpis), 'sessions');
  assert.equal(didYouMean('sess', kpis), 'sessions');
  assert.equal(didYouMean('xyz', kpis), null);
  assert.equal(didYouMean('pipeline', kpis), null);
  assert.equal(suggestion('mql', kpis), ' (did you mean "mqls"?)');
  assert.equal(suggestion('zzzz', kpis), '');
});
