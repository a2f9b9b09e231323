import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyIdentify, blankContact } from './identity.js';

const at = new Date('2026-03-01T10:00:00Z');

test('the first identify with an e-mail makes a contact without a stage (an unmapped import) a lead', () => {
  const imported = { ...blankContact('102', new Date('2026-01-08T11:00:00Z')), lifecycleStage: null };
  const { contact, becameLead } = applyIdentify(imported, '102', { email: 'ben@orbit.io' }, at, 'Direct');
  assert.deepEqual([contact.lifecycleStage, contact.leadAt, becameLead], ['lead', at, true]);
  // A contact with a stage past lead keeps it.
  const mql = { ...blankContact('103', at), lifecycleStage: 'mql' as const };
  assert.equal(applyIdentify(mql, '103', { email: 'cleo@kite.io' }, at, null).contact.lifecycleStage, 'mql');
});
