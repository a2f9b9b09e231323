/**
 * The row decoders (src/store/duckdb/rows.decode.ts) against a real DuckDB file: a contact, a deal and
 * a session written through the store and read back with `SELECT *` decode to what was written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeContact, decodeDeal, decodeSession } from '../src/store/duckdb/rows.decode.js';
import { contact, deal, session, tempStore } from './fixtures.js';

test('contacts, deals and sessions decode to the records written, nulls and JSON included', async () => {
  const { store } = await tempStore();
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'rows' }));
  const c = contact('c1', {
    firstName: 'Ana',
    lifecycleStage: null,
    leadAt: new Date('2026-02-01T09:30:00Z'),
    properties: { plan: 'pro', seats: 3 },
  });
  const won = deal('d1', 'c1', 1250.5, '2026-02-03T00:00:00Z', '2026-03-01T12:00:00Z', true);
  const open = { ...deal('d2', 'c1', 0, '2026-02-04T00:00:00Z', null, null), amount: null, contactId: null };
  const s = session('s1', '2026-02-01T09:00:00Z', 'Paid Search', { userId: 'c1', campaign: 'brand' });
  await ws.upsertContacts([c]);
  await ws.upsertDeals([won, open]);
  await ws.appendSessions([s]);
  assert.deepEqual((await ws.query('SELECT * FROM @contacts')).map(decodeContact), [c]);
  assert.deepEqual((await ws.query('SELECT * FROM @deals ORDER BY id')).map(decodeDeal), [won, open]);
  assert.deepEqual((await ws.query('SELECT * FROM @sessions')).map(decodeSession), [s]);
  await store.close();
});
