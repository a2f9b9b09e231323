import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kpiDocs } from './kpi.docs.js';

test('docs/kpis.md is generated from the catalog (run `npm run docs:kpis` after changing it)', () => {
  assert.equal(readFileSync(new URL('../../docs/kpis.md', import.meta.url), 'utf8'), kpiDocs());
});
