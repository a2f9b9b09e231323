import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContactRow } from '../../domain/crm.js';
import type { SessionRow } from '../../domain/event.js';
import { type ColumnarTrackingBatch, mergeTracking } from './tracking.merge.js';

const visit = (id: string, events: number) => ({ sessionId: id, events }) as unknown as SessionRow;
const contact = (id: string, email: string) => ({ id, email }) as unknown as ContactRow;
function batch(p: Partial<ColumnarTrackingBatch> & { ids?: string[] }): ColumnarTrackingBatch {
  const ids = p.ids ?? [];
  return {
    events: { count: ids.length, values: [ids, ids.map((i) => `${i}!`)] },
    sessions: p.sessions ?? [],
    grownSessions: p.grownSessions ?? [],
    identities: p.identities ?? [],
    contacts: p.contacts ?? [],
    stageChanges: p.stageChanges ?? [],
  };
}
const ids = (rows: readonly SessionRow[]) => rows.map((r) => `${r.sessionId}:${r.events}`).sort();

test('events are concatenated column by column, in order', () => {
  const m = mergeTracking([batch({ ids: ['a', 'b'] }), batch({ ids: [] }), batch({ ids: ['c'] })]);
  assert.deepEqual(m.events, {
    count: 3,
    values: [
      ['a', 'b', 'c'],
      ['a!', 'b!', 'c!'],
    ],
  });
});

test('a visit keeps its last version: upserted if a write started it, rewritten if all grew it', () => {
  const m = mergeTracking([
    batch({ sessions: [visit('s1', 1)], grownSessions: [visit('g1', 5)] }),
    batch({ grownSessions: [visit('s1', 2), visit('g1', 6)] }),
    batch({ sessions: [visit('s2', 1)], grownSessions: [visit('s1', 3)] }),
  ]);
  assert.deepEqual(ids(m.sessions), ['s1:3', 's2:1']);
  assert.deepEqual(ids(m.grownSessions ?? []), ['g1:6']);
});

test('a visit grown first and started again later is upserted with the later version', () => {
  // Rewriting the older version after upserting the newer one would undo the later write.
  const m = mergeTracking([batch({ grownSessions: [visit('v', 9)] }), batch({ sessions: [visit('v', 1)] })]);
  assert.deepEqual(ids(m.sessions), ['v:1']);
  assert.deepEqual(m.grownSessions, []);
});

test('contacts, identity links and stage changes keep their order (the upsert keeps the last)', () => {
  const m = mergeTracking([
    batch({ contacts: [contact('u1', 'a@x.io')], stageChanges: [{ contactId: 'u1' } as never] }),
    batch({
      contacts: [contact('u1', 'b@x.io'), contact('u2', 'c@x.io')],
      identities: [{ anonymousId: 'x' } as never],
    }),
  ]);
  assert.deepEqual(
    m.contacts.map((c) => `${c.id}:${c.email}`),
    ['u1:a@x.io', 'u1:b@x.io', 'u2:c@x.io'],
  );
  assert.equal(m.identities.length, 1);
  assert.equal(m.stageChanges.length, 1);
});

test('one batch is returned as it is; none, or batches of different widths, are refused', () => {
  const b = batch({ ids: ['a'] });
  assert.equal(mergeTracking([b]), b);
  assert.throws(() => mergeTracking([]), /at least one/);
  const narrow = { ...batch({ ids: ['z'] }), events: { count: 1, values: [['z']] } };
  assert.throws(() => mergeTracking([b, narrow]), /differ in event columns/);
});
