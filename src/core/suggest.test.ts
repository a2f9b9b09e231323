import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, didYouMean, editDistance } from './suggest.js';

test('edit distance counts insertions, deletions, substitutions and swapped neighbours', () => {
  assert.equal(editDistance('due', 'due'), 0);
  assert.equal(editDistance('deu', 'due'), 1); // swap
  assert.equal(editDistance('basline', 'baseline'), 1); // insertion
  assert.equal(editDistance('targte', 'target'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closest suggests a typo fix and nothing for an unrelated word', () => {
  const keys = ['id', 'title', 'kpi', 'baseline', 'target', 'start', 'due', 'owner', 'capacity'];
  assert.equal(closest('deu', keys), 'due');
  assert.equal(closest('Owner', keys), 'owner');
  assert.equal(closest('basline', keys), 'baseline');
  assert.equal(closest('capa', keys), 'capacity');
  assert.equal(closest('colour', keys), null);
  assert.equal(didYouMean('targt', keys), ' (did you mean "target"?)');
  assert.equal(didYouMean('budget', keys), '');
});

test('KPI ids: typos find the id meant; unrelated input finds nothing', () => {
  const kpis = ['leads', 'mqls', 'sqls', 'revenue', 'roas', 'roi', 'sessions'];
  assert.equal(closest('lead', kpis), 'leads');
  assert.equal(closest('revnue', kpis), 'revenue');
  assert.equal(closest('Sesions', kpis), 'sessions');
  assert.equal(closest('sess', kpis), 'sessions');
  assert.equal(closest('xyz', kpis), null);
  assert.equal(closest('pipeline', kpis), null);
  assert.equal(didYouMean('mql', kpis), ' (did you mean "mqls"?)');
});
