import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leadStatusStage } from './salesforce.preset.js';

test('Salesforce lead statuses: the default picklists map, an unknown one does not', () => {
  const cases: Array<[string, string | null]> = [
    ['Open - Not Contacted', 'lead'],
    ['Working - Contacted', 'sal'],
    ['Closed - Converted', 'sql'],
    ['Closed - Not Converted', 'lead'],
    ['Open', 'lead'],
    ['Contacted', 'sal'],
    ['Qualified', 'sql'],
    ['Unqualified', 'lead'],
    ['Nurturing', 'lead'],
    ['MQL', 'mql'],
    ['Partner Managed', null],
    ['Recycled', null],
  ];
  assert.deepEqual(
    cases.map(([s]) => [s, leadStatusStage(s)]),
    cases,
  );
});
