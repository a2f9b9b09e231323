import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFor } from './imports.usecase.js';
import { defaultRange } from './kpis.usecase.js';

test('an import file format: asked for, else by name, else by content type, else the kind’s usual one', () => {
  assert.equal(formatFor('contacts', { format: 'ndjson', name: 'a.csv' }), 'ndjson');
  assert.equal(formatFor('contacts', { format: 'xml' }), null);
  assert.equal(formatFor('events', { name: 'events.csv' }), 'csv');
  assert.equal(formatFor('contacts', { name: 'export.JSONL' }), 'ndjson');
  assert.equal(formatFor('contacts', { name: 'newcontacts', contentType: 'application/x-ndjson' }), 'ndjson');
  assert.equal(formatFor('deals', { name: 'newdeals', contentType: 'text/tab-separated-values' }), 'csv');
  assert.equal(formatFor('contacts', { name: 'newcontacts' }), 'csv');
  assert.equal(formatFor('events', { name: 'stdin' }), 'ndjson');
});

test('a KPI read without dates covers 1 January of the end’s year to the end', () => {
  assert.deepEqual(defaultRange('UTC', undefined, '2026-05-04'), { from: '2026-01-01', to: '2026-05-04' });
  assert.deepEqual(defaultRange('UTC', '2025-03-01', '2025-04-30'), { from: '2025-03-01', to: '2025-04-30' });
  const { from, to } = defaultRange('Pacific/Kiritimati');
  assert.equal(from, `${to.slice(0, 4)}-01-01`);
});
