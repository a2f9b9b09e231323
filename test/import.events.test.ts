/**
 * `import events` (Segment messages as NDJSON) into a real DuckDB store: events, sessions, identity
 * links and the lead made by identify; re-imports; files out of time order; bad lines.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { importFile, runImport } from '../src/ingest/import/index.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const EVENTS = new URL('./fixtures/import/events.ndjson', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ns-import-events-'));
let store: DuckDbStore;
let ws: WorkspaceStore;

before(async () => {
  store = (await tempStore()).store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'UTC' }));
});
after(() => store.close());

async function rows(on: WorkspaceStore, sql: string): Promise<Record<string, unknown>[]> {
  return (await on.query(sql)).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
  );
}

/** Events with the start of their session (session ids depend on the workspace). */
const EVENT_SQL = `SELECT e.message_id, e.type, e.event, e.anonymous_id, e.user_id, e.ts, e.channel, e.source,
  e.medium, e.campaign, e.path, s.started_at AS session_start
  FROM @events e LEFT JOIN @sessions s ON s.session_id = e.session_id ORDER BY e.ts, e.message_id`;
const SESSION_SQL = `SELECT anonymous_id, user_id, started_at, ended_at, events, page_views, channel, source, medium,
  campaign, referrer, landing_path FROM @sessions ORDER BY started_at`;

const paid = { channel: 'Paid Search', source: 'google', medium: 'cpc', campaign: 'brand' };
const hn = { channel: 'Organic Social', source: 'news.ycombinator.com', medium: 'referral', campaign: null };
const none = { channel: null, source: null, medium: null, campaign: null };
const EXPECTED_EVENTS = [
  {
    message_id: 'm1',
    type: 'page',
    event: 'Pricing',
    anonymous_id: 'a1',
    user_id: null,
    ts: '2026-03-01T10:00:00.000Z',
    ...paid,
    path: '/pricing',
    session_start: '2026-03-01T10:00:00.000Z',
  },
  {
    message_id: 'm2',
    type: 'track',
    event: 'Form Submitted',
    anonymous_id: 'a1',
    user_id: null,
    ts: '2026-03-01T10:05:00.000Z',
    ...paid,
    path: '/demo',
    session_start: '2026-03-01T10:00:00.000Z',
  },
  {
    message_id: 'm3',
    type: 'identify',
    event: null,
    anonymous_id: 'a1',
    user_id: 'u1',
    ts: '2026-03-01T10:06:00.000Z',
    ...paid,
    path: null,
    session_start: '2026-03-01T10:00:00.000Z',
  },
  {
    message_id: 'm4',
    type: 'page',
    event: null,
    anonymous_id: null,
    user_id: 'u1',
    ts: '2026-03-01T11:00:00.000Z',
    ...none,
    channel: 'Direct',
    path: '/docs',
    session_start: '2026-03-01T11:00:00.000Z',
  },
  {
    message_id: 'm5',
    type: 'alias',
    event: null,
    anonymous_id: null,
    user_id: 'u1',
    ts: '2026-03-01T12:00:00.000Z',
    ...none,
    path: null,
    session_start: null,
  },
  {
    message_id: 'm6',
    type: 'page',
    event: null,
    anonymous_id: 'a3',
    user_id: null,
    ts: '2026-03-02T09:00:00.000Z',
    ...hn,
    path: '/blog/launch',
    session_start: '2026-03-02T09:00:00.000Z',
  },
  // originalTimestamp + sentAt + receivedAt (a Segment archive): clock skew corrected.
  {
    message_id: 'm7',
    type: 'page',
    event: null,
    anonymous_id: 'a3',
    user_id: null,
    ts: '2026-03-02T09:02:01.000Z',
    ...hn,
    path: '/pricing',
    session_start: '2026-03-02T09:00:00.000Z',
  },
];
const EXPECTED_SESSIONS = [
  {
    anonymous_id: 'a1',
    user_id: 'u1',
    started_at: '2026-03-01T10:00:00.000Z',
    ended_at: '2026-03-01T10:06:00.000Z',
    events: 3,
    page_views: 1,
    ...paid,
    referrer: 'https://www.google.com/',
    landing_path: '/pricing',
  },
  {
    anonymous_id: 'a1',
    user_id: 'u1',
    started_at: '2026-03-01T11:00:00.000Z',
    ended_at: '2026-03-01T11:00:00.000Z',
    events: 1,
    page_views: 1,
    ...none,
    channel: 'Direct',
    referrer: null,
    landing_path: '/docs',
  },
  {
    anonymous_id: 'a3',
    user_id: null,
    started_at: '2026-03-02T09:00:00.000Z',
    ended_at: '2026-03-02T09:02:01.000Z',
    events: 2,
    page_views: 2,
    ...hn,
    referrer: 'https://news.ycombinator.com/item?id=1',
    landing_path: '/blog/launch',
  },
];

test('events, their sessions, identity links and the lead made by identify', async () => {
  const r = await runImport(ws, { kind: 'events', file: await importFile(EVENTS) });
  assert.equal(r.committed, true, JSON.stringify(r.issues));
  const s = r.summary;
  assert.deepEqual(
    [s.rows, s.imported, s.skipped, s.sessions, s.identities, s.contacts, s.history],
    [8, 7, 1, 3, 2, 1, 1],
  );
  assert.deepEqual(await rows(ws, EVENT_SQL), EXPECTED_EVENTS);
  assert.deepEqual(await rows(ws, SESSION_SQL), EXPECTED_SESSIONS);
  assert.deepEqual(
    await rows(ws, 'SELECT anonymous_id, user_id, first_seen, via FROM @identities ORDER BY anonymous_id'),
    [
      { anonymous_id: 'a1', user_id: 'u1', first_seen: '2026-03-01T10:06:00.000Z', via: 'identify' },
      { anonymous_id: 'a2', user_id: 'u1', first_seen: '2026-03-01T12:00:00.000Z', via: 'alias' },
    ],
  );
  assert.deepEqual(
    await rows(
      ws,
      'SELECT id, email, first_name, last_name, company, lifecycle_stage, original_source, created_at, lead_at FROM @contacts',
    ),
    [
      {
        id: 'u1',
        email: 'eve@example.com',
        first_name: 'Eve',
        last_name: 'Adams',
        company: 'Evecorp',
        lifecycle_stage: 'lead',
        original_source: 'Paid Search',
        created_at: '2026-03-01T10:06:00.000Z',
        lead_at: '2026-03-01T10:06:00.000Z',
      },
    ],
  );
  assert.deepEqual(
    await rows(ws, 'SELECT contact_id, stage, changed_at, reason FROM @contact_stage_history'),
    [
      {
        contact_id: 'u1',
        stage: 'lead',
        changed_at: '2026-03-01T10:06:00.000Z',
        reason: 'import:events.ndjson',
      },
    ],
  );
});

test('a re-import stores nothing twice and rebuilds the same sessions', async () => {
  const r = await runImport(ws, { kind: 'events', file: await importFile(EVENTS) });
  assert.deepEqual(
    [r.summary.imported, r.summary.skipped, r.summary.identities, r.summary.history],
    [0, 8, 0, 0],
  );
  assert.deepEqual(await rows(ws, EVENT_SQL), EXPECTED_EVENTS);
  assert.deepEqual(await rows(ws, SESSION_SQL), EXPECTED_SESSIONS);
  assert.equal((await ws.counts()).events, 7);
});

test('a file out of time order is sorted first (through run files) and gives the same result', async () => {
  const other = store.forWorkspace(await store.createWorkspace({ slug: 'shuffled', timezone: 'UTC' }));
  const lines = readFileSync(EVENTS, 'utf8').trim().split('\n').reverse();
  const path = join(tmp, 'events-reversed.ndjson');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const r = await runImport(other, { kind: 'events', file: await importFile(path), sortRunSize: 3 });
  assert.deepEqual([r.summary.imported, r.summary.skipped], [7, 1]);
  assert.deepEqual(await rows(other, EVENT_SQL), EXPECTED_EVENTS);
  assert.deepEqual(await rows(other, SESSION_SQL), EXPECTED_SESSIONS);
});

test('bad lines: invalid JSON, no time, no id, a track without event; nothing is imported', async () => {
  const other = store.forWorkspace(await store.createWorkspace({ slug: 'bad', timezone: 'UTC' }));
  const path = join(tmp, 'events-bad.ndjson');
  writeFileSync(
    path,
    [
      '{"type":"page","anonymousId":"a","timestamp":"2026-03-01T10:00:00Z"}',
      '{"type":"page","anonymousId":"a"',
      '{"type":"page","anonymousId":"a"}',
      '{"type":"track","timestamp":"2026-03-01T10:00:00Z","event":"x"}',
      '{"type":"track","anonymousId":"a","timestamp":"2026-03-01T10:00:00Z"}',
      '[1,2]',
      '',
    ].join('\n'),
  );
  const r = await runImport(other, { kind: 'events', file: await importFile(path) });
  assert.equal(r.committed, false);
  assert.deepEqual(
    r.issues.map((i) => [i.line, i.column, i.reason.replace(/invalid JSON: .*/, 'invalid JSON')]),
    [
      [2, '(line)', 'invalid JSON'],
      [3, 'timestamp', 'is required (an imported event needs timestamp or originalTimestamp)'],
      [4, 'userId', 'no userId or anonymousId'],
      [5, 'event', 'track without event'],
      [6, '(line)', 'not a JSON object'],
    ],
  );
  assert.equal((await other.counts()).events, 0);
  await assert.rejects(importFile(join(tmp, 'missing.ndjson')), /file not found/);
});
