import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRow } from '../domain/event.js';
import {
  applyIdentify,
  applyIdentityCalls,
  blankContact,
  firstLinks,
  type IdentityCall,
} from './identity.js';

const at = new Date('2026-03-01T10:00:00Z');

test('the first identify with an e-mail makes a contact without a stage (an unmapped import) a lead', () => {
  const imported = { ...blankContact('102', new Date('2026-01-08T11:00:00Z')), lifecycleStage: null };
  const { contact, becameLead } = applyIdentify(imported, '102', { email: 'ben@orbit.io' }, at, 'Direct');
  assert.deepEqual([contact.lifecycleStage, contact.leadAt, becameLead], ['lead', at, true]);
  // A contact with a stage past lead keeps it.
  const mql = { ...blankContact('103', at), lifecycleStage: 'mql' as const };
  assert.equal(applyIdentify(mql, '103', { email: 'cleo@kite.io' }, at, null).contact.lifecycleStage, 'mql');
});

const event = (over: Partial<EventRow>): EventRow =>
  ({
    messageId: 'm',
    type: 'identify',
    anonymousId: null,
    userId: null,
    timestamp: at,
    channel: 'Direct',
    ...over,
  }) as EventRow;

test('identify calls: e-mail stitching to a contact of the same batch, first links by time, lead dates moved', () => {
  const stored = { ...blankContact('u1', new Date('2026-02-01T00:00:00Z')), email: 'ana@acme.io' };
  stored.leadAt = new Date('2026-03-01T12:00:00Z');
  const calls: IdentityCall[] = [
    // u2 is new: its e-mail makes it a lead at 10:00.
    {
      row: event({ userId: 'u2', anonymousId: 'a2', timestamp: at }),
      previousId: null,
      traits: { email: 'Bo@Kite.io' },
    },
    // No userId: the e-mail finds u2 (this batch), not a new contact 'bo@kite.io'.
    {
      row: event({ anonymousId: 'a3', timestamp: new Date('2026-03-01T11:00:00Z') }),
      previousId: null,
      traits: { email: ' bo@kite.io ' },
    },
    // Stored u1's lead date moves from 12:00 to 09:00.
    {
      row: event({ anonymousId: 'a1', timestamp: new Date('2026-03-01T09:00:00Z') }),
      previousId: null,
      traits: { email: 'ana@acme.io' },
    },
    // An alias of a2, listed last but earlier (09:30) than u2's identify (10:00): the earlier link wins.
    {
      row: event({ type: 'alias', userId: 'u9', timestamp: new Date('2026-03-01T09:30:00Z') }),
      previousId: 'a2',
      traits: null,
    },
  ];
  const known = { byId: new Map([['u1', stored]]), byEmail: new Map([['ana@acme.io', stored]]) };
  const r = applyIdentityCalls(calls, known);
  assert.deepEqual([...r.contacts.keys()], ['u2', 'u1']);
  assert.deepEqual(
    r.leads.map((c) => [c.id, c.leadAt?.toISOString()]),
    [
      ['u2', '2026-03-01T10:00:00.000Z'],
      ['u1', '2026-03-01T09:00:00.000Z'],
    ],
  );
  assert.deepEqual(
    firstLinks(r.links, new Set(['a1'])).map((l) => [l.anonymousId, l.userId, l.via]),
    [
      ['a2', 'u9', 'alias'],
      ['a3', 'u2', 'identify'],
    ],
  );
});
