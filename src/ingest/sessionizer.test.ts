import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRow } from '../domain/event.js';
import { toEventRow } from './normalize.js';
import { parseSegmentMessage } from './segment.schema.js';
import { sessionIdFor } from './session-state.js';
import { Sessionizer } from './sessionizer.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const MIN = 60_000;
let seq = 0;

interface Ev {
  /** Minutes after T0. */
  at: number;
  anon?: string | null;
  user?: string;
  type?: 'page' | 'track' | 'identify' | 'alias' | 'group' | 'screen';
  path?: string;
  query?: string;
  referrer?: string;
  id?: string;
  /** Receive time in minutes after T0 (default: same as `at`). */
  received?: number;
}

function ev(e: Ev): EventRow {
  const type = e.type ?? 'page';
  const url = `https://acme.com${e.path ?? '/'}${e.query ? `?${e.query}` : ''}`;
  const raw: Record<string, unknown> = {
    type,
    messageId: e.id ?? `m${++seq}`,
    timestamp: new Date(T0 + e.at * MIN).toISOString(),
    context: { page: { url, ...(e.referrer ? { referrer: e.referrer } : {}) } },
  };
  if (e.anon !== null) raw.anonymousId = e.anon ?? 'v1';
  if (e.user) raw.userId = e.user;
  if (type === 'track') raw.event = 'Clicked';
  if (type === 'group') raw.groupId = 'g';
  if (type === 'alias') raw.previousId = 'old';
  const r = parseSegmentMessage(raw);
  if (!r.ok) throw new Error(r.reason);
  return toEventRow(r.message, { receivedAt: new Date(T0 + (e.received ?? e.at) * MIN) });
}

/** Session ids of events, relabelled s0, s1, … in order of first appearance (null stays null). */
function labels(rows: EventRow[]): Array<string | null> {
  const names = new Map<string, string>();
  return rows.map((r) => {
    if (r.sessionId === null) return null;
    if (!names.has(r.sessionId)) names.set(r.sessionId, `s${names.size}`);
    return names.get(r.sessionId) ?? null;
  });
}

function run(events: Ev[], s = new Sessionizer()): EventRow[] {
  return events.map((e) => s.assign(ev(e)).event);
}

describe('Sessionizer: when a new session starts', () => {
  const cases: Array<[string, Ev[], Array<string | null>]> = [
    ['gaps under 30 minutes', [{ at: 0 }, { at: 10 }, { at: 39 }, { at: 69 }], ['s0', 's0', 's0', 's0']],
    ['a gap of exactly 30 minutes', [{ at: 0 }, { at: 30 }], ['s0', 's0']],
    ['a gap over 30 minutes', [{ at: 0 }, { at: 30.001 }], ['s0', 's1']],
    [
      'visitors are separate',
      [
        { at: 0, anon: 'a' },
        { at: 1, anon: 'b' },
        { at: 2, anon: 'a' },
      ],
      ['s0', 's1', 's0'],
    ],
    [
      'a new campaign mid-visit',
      [{ at: 0 }, { at: 5, query: 'utm_source=nl&utm_medium=email&utm_campaign=spring' }, { at: 6 }],
      ['s0', 's1', 's1'],
    ],
    [
      'the same campaign again (reload, other term/content)',
      [
        { at: 0, query: 'utm_source=nl&utm_medium=email&utm_campaign=spring' },
        { at: 3, query: 'utm_source=NL&utm_medium=email&utm_campaign=Spring&utm_content=b' },
      ],
      ['s0', 's0'],
    ],
    ['a click id mid-visit', [{ at: 0 }, { at: 5, query: 'gclid=x' }], ['s0', 's1']],
    [
      'an external referrer mid-visit',
      [{ at: 0 }, { at: 5, referrer: 'https://news.example.org/' }],
      ['s0', 's1'],
    ],
    [
      'the same external referrer on every SPA page view',
      [
        { at: 0, referrer: 'https://www.google.com/' },
        { at: 5, referrer: 'https://www.google.com/' },
      ],
      ['s0', 's0'],
    ],
    [
      'search, then a referral',
      [
        { at: 0, referrer: 'https://www.google.com/' },
        { at: 5, referrer: 'https://news.example.org/' },
      ],
      ['s0', 's1'],
    ],
    [
      'internal referrers never do',
      [{ at: 0 }, { at: 5, referrer: 'https://blog.acme.com/post' }],
      ['s0', 's0'],
    ],
    [
      'an untagged event after a tagged one does not',
      [{ at: 0, query: 'utm_source=li&utm_medium=paid_social' }, { at: 20 }, { at: 45 }],
      ['s0', 's0', 's0'],
    ],
    [
      'inactivity after a campaign',
      [
        { at: 0, query: 'gclid=x' },
        { at: 31, query: 'gclid=x' },
      ],
      ['s0', 's1'],
    ],
  ];
  for (const [name, events, want] of cases) {
    it(name, () => assert.deepEqual(labels(run(events)), want));
  }
});

describe('Sessionizer: what events and sessions carry', () => {
  it('counts events and page views, tracks start, end and landing path', () => {
    const s = new Sessionizer();
    s.assign(
      ev({
        at: 0,
        path: '/landing',
        query: 'utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=crm',
      }),
    );
    s.assign(ev({ at: 2, type: 'track', path: '/landing' }));
    const last = s.assign(ev({ at: 9, path: '/pricing' }));
    const row = last.session;
    assert.ok(row);
    assert.deepEqual(
      {
        start: row.startedAt.toISOString(),
        end: row.endedAt.toISOString(),
        events: row.events,
        pageViews: row.pageViews,
        landingPath: row.landingPath,
        channel: row.channel,
        source: row.source,
        medium: row.medium,
        campaign: row.campaign,
        term: row.term,
        anonymousId: row.anonymousId,
      },
      {
        start: '2026-03-01T10:00:00.000Z',
        end: '2026-03-01T10:09:00.000Z',
        events: 3,
        pageViews: 2,
        landingPath: '/landing',
        channel: 'Paid Search',
        source: 'google',
        medium: 'cpc',
        campaign: 'brand',
        term: 'crm',
        anonymousId: 'v1',
      },
    );
    // The untagged page view inherits the session's source and channel.
    assert.deepEqual(
      [last.event.source, last.event.medium, last.event.campaign, last.event.term, last.event.channel],
      ['google', 'cpc', 'brand', 'crm', 'Paid Search'],
    );
    assert.equal(last.event.sessionId, row.sessionId);
  });

  it('gives every event the session source and keeps a session referrer only when external', () => {
    const s = new Sessionizer();
    s.assign(ev({ at: 0, query: 'utm_source=nl&utm_medium=email&utm_content=a' }));
    const second = s.assign(ev({ at: 1, query: 'utm_source=nl&utm_medium=email&utm_content=b' }));
    assert.equal(second.event.content, 'a');
    assert.equal(second.session?.content, 'a');
    assert.equal(second.event.url, 'https://acme.com/?utm_source=nl&utm_medium=email&utm_content=b');
    const direct = s.assign(ev({ at: 0, anon: 'x', referrer: 'https://acme.com/prev' })).session;
    assert.deepEqual([direct?.channel, direct?.referrer, direct?.source], ['Direct', null, null]);
    const ref = s.assign(ev({ at: 0, anon: 'y', referrer: 'https://news.example.org/a' })).session;
    assert.deepEqual([ref?.channel, ref?.referrer], ['Referral', 'https://news.example.org/a']);
  });

  it('gives ids that depend only on namespace, visitor and first messageId', () => {
    const events = [
      { at: 0, id: 'a' },
      { at: 1, id: 'b' },
      { at: 50, id: 'c' },
    ];
    const one = run(events, new Sessionizer({ namespace: 'ws1' })).map((r) => r.sessionId);
    const two = run(events, new Sessionizer({ namespace: 'ws1' })).map((r) => r.sessionId);
    const other = run(events, new Sessionizer({ namespace: 'ws2' })).map((r) => r.sessionId);
    assert.deepEqual(one, two);
    assert.notDeepEqual(one, other);
    assert.equal(one[0], sessionIdFor('ws1', 'v1', 'a'));
    assert.equal(one[2], sessionIdFor('ws1', 'v1', 'c'));
    assert.match(one[0] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Sessionizer: late (out-of-order) events', () => {
  it('an untagged event up to 30 minutes before a session extends it backwards', () => {
    const s = new Sessionizer();
    s.assign(ev({ at: 10, path: '/second', query: 'gclid=x' }));
    const late = s.assign(ev({ at: 0, path: '/first' }));
    assert.deepEqual(labels([late.event]), ['s0']);
    assert.equal(late.session?.startedAt.toISOString(), '2026-03-01T10:00:00.000Z');
    assert.equal(late.session?.landingPath, '/first');
    assert.equal(late.session?.channel, 'Paid Search');
    assert.equal(late.session?.events, 2);
  });

  it('an event exactly 30 minutes before a session joins it; a second earlier, it starts its own', () => {
    assert.deepEqual(labels(run([{ at: 30 }, { at: 0 }])), ['s0', 's0']);
    assert.deepEqual(labels(run([{ at: 30 }, { at: -1 / 60 }])), ['s0', 's1']);
    // And forwards: exactly 30 minutes after a session's last event still continues it.
    assert.deepEqual(labels(run([{ at: 0 }, { at: 30 }, { at: 60 + 1 / 60 }])), ['s0', 's0', 's1']);
  });

  it('an untagged event inside a session joins it without moving its bounds', () => {
    const events = run([{ at: 0 }, { at: 20 }, { at: 10 }]);
    assert.deepEqual(labels(events), ['s0', 's0', 's0']);
  });

  it('a late event with another source gets its own session; later untagged events stay put', () => {
    const s = new Sessionizer();
    const out = run(
      [{ at: 0 }, { at: 20 }, { at: 10, query: 'utm_source=nl&utm_medium=email' }, { at: 25 }],
      s,
    );
    assert.deepEqual(labels(out), ['s0', 's0', 's1', 's1']);
    assert.equal(out[2]?.channel, 'Email');
  });

  it('a late event far before any known session starts its own session', () => {
    assert.deepEqual(labels(run([{ at: 100 }, { at: 0 }, { at: 5 }])), ['s0', 's1', 's1']);
  });

  it('a late event in the gap between two sessions joins the earlier one', () => {
    assert.deepEqual(labels(run([{ at: 0 }, { at: 100 }, { at: 20 }])), ['s0', 's1', 's0']);
  });

  it('assignAll sorts a batch by time, answers in input order, one row per session', () => {
    const s = new Sessionizer();
    const rows = [ev({ at: 5, path: '/b' }), ev({ at: 0, path: '/a', query: 'gclid=1' }), ev({ at: 50 })];
    const { events, sessions } = s.assignAll(rows);
    assert.deepEqual(labels(events), ['s0', 's0', 's1']);
    assert.equal(events[0]?.channel, 'Paid Search');
    assert.equal(sessions.length, 2);
    assert.deepEqual(
      sessions.map((x) => [x.events, x.landingPath, x.channel]),
      [
        [2, '/a', 'Paid Search'],
        [1, '/', 'Direct'],
      ],
    );
  });
});

describe('Sessionizer: retries and identity', () => {
  it('a retried messageId gets the same session and is counted once', () => {
    const s = new Sessionizer();
    s.assign(ev({ at: 0, id: 'x' }));
    const again = s.assign(ev({ at: 0, id: 'x' }));
    assert.equal(again.duplicate, true);
    assert.equal(again.session?.events, 1);
    assert.equal(s.assign(ev({ at: 1 })).session?.events, 2);
  });

  it('identify/alias/group join a visit but never start one', () => {
    const out = run([
      { at: 0, type: 'identify', user: 'u1' },
      { at: 1 },
      { at: 2, type: 'identify', user: 'u1' },
      { at: 3, type: 'group', user: 'u1' },
      { at: 80, type: 'alias', user: 'u1' },
    ]);
    assert.deepEqual(labels(out), [null, 's0', 's0', 's0', null]);
    assert.equal(out[0]?.channel, null);
  });

  it('an identify carrying another source joins the visit instead of splitting it', () => {
    const out = run([
      { at: 0 },
      { at: 1, type: 'identify', user: 'u', query: 'utm_source=nl&utm_medium=email' },
      { at: 2 },
    ]);
    assert.deepEqual(labels(out), ['s0', 's0', 's0']);
    assert.deepEqual([out[1]?.source, out[1]?.channel], [null, 'Direct']);
  });

  it('userId-only events join the visit of the anonymous visitor last seen with that user', () => {
    const s = new Sessionizer();
    const out = run(
      [
        { at: 0, anon: 'a1' },
        { at: 1, anon: 'a1', user: 'u1', type: 'identify' },
        { at: 2, anon: null, user: 'u1', type: 'track' },
        { at: 3, anon: null, user: 'u2', type: 'track' },
      ],
      s,
    );
    assert.deepEqual(labels(out), ['s0', 's0', 's0', 's1']);
    const session = s.assign(ev({ at: 4, anon: null, user: 'u1', type: 'track' })).session;
    assert.deepEqual([session?.anonymousId, session?.userId, session?.events], ['a1', 'u1', 4]);
  });
});

describe('Sessionizer: memory and restarts', () => {
  const script: Ev[] = [
    { at: 0, anon: 'a', query: 'utm_source=nl&utm_medium=email' },
    { at: 1, anon: 'b', referrer: 'https://www.google.com/' },
    { at: 10, anon: 'a' },
    { at: 12, anon: 'a', user: 'u', type: 'identify' },
    { at: 20, anon: 'b' },
    { at: 25, anon: null, user: 'u', type: 'track' },
    { at: 30, anon: 'a', id: 'dup' },
    { at: 30, anon: 'a', id: 'dup' },
    { at: 31, anon: 'b', query: 'fbclid=f' },
    { at: 70, anon: 'a' },
  ];

  it('exported state (through JSON) resumes exactly where it stopped', () => {
    const rows = script.map((e) => ev(e));
    const straight = new Sessionizer({ namespace: 'w' });
    const want = rows.map((r) => straight.assign(r));
    const first = new Sessionizer({ namespace: 'w' });
    const got = rows.slice(0, 6).map((r) => first.assign(r));
    const state = JSON.parse(JSON.stringify(first.exportState()));
    const resumed = Sessionizer.fromState(state, { namespace: 'w' });
    got.push(...rows.slice(6).map((r) => resumed.assign(r)));
    assert.deepEqual(got, want);
    assert.deepEqual(resumed.exportState(), straight.exportState());
  });

  it('rejects a state that is not an export', () => {
    assert.throws(() => Sessionizer.fromState({ version: 2 }), /invalid sessionizer state/);
    assert.throws(() => Sessionizer.fromState(null), /invalid sessionizer state/);
  });

  it('restores from stored session rows after a crash', () => {
    const before = new Sessionizer({ namespace: 'w' });
    const first = before.assign(ev({ at: 0, anon: 'a', query: 'gclid=g' }));
    assert.ok(first.session);
    const after = new Sessionizer({ namespace: 'w' });
    after.restoreSessions([first.session]);
    const next = after.assign(ev({ at: 10, anon: 'a' }));
    assert.equal(next.event.sessionId, first.session.sessionId);
    assert.equal(next.event.channel, 'Paid Search');
    assert.equal(next.session?.events, 2);
  });

  it('forgets visitors idle for 30 minutes of event time', () => {
    const s = new Sessionizer();
    s.assign(ev({ at: 0, anon: 'a' }));
    s.assign(ev({ at: 20, anon: 'b' }));
    s.assign(ev({ at: 31, anon: 'c' }));
    assert.equal(s.evictIdle(), 1);
    assert.equal(s.visitorCount, 2);
    s.assign(ev({ at: 55, anon: 'c' }));
    assert.equal(s.evictIdle(), 1);
    assert.deepEqual(
      s.exportState().visitors.map((v) => v.key),
      ['c'],
    );
  });

  it('a future client timestamp does not move the eviction clock past the receive time', () => {
    const s = new Sessionizer();
    s.assign(ev({ at: 0, anon: 'a' }));
    s.assign(ev({ at: 600, received: 1, anon: 'b' }));
    assert.equal(s.evictIdle(), 0);
    assert.equal(s.exportState().watermark, T0 + MIN);
  });

  it('keeps at most maxVisitors, dropping the least recently seen', () => {
    const s = new Sessionizer({ maxVisitors: 2 });
    run(
      [
        { at: 0, anon: 'a' },
        { at: 1, anon: 'b' },
        { at: 2, anon: 'a' },
        { at: 3, anon: 'c' },
      ],
      s,
    );
    assert.deepEqual(
      s
        .exportState()
        .visitors.map((v) => v.key)
        .sort(),
      ['a', 'c'],
    );
  });

  it('keeps at most maxSessionsPerVisitor sessions per visitor', () => {
    const s = new Sessionizer({ maxSessionsPerVisitor: 2 });
    run([{ at: 0 }, { at: 40 }, { at: 80 }], s);
    assert.equal(s.exportState().visitors[0]?.sessions.length, 2);
  });
});
