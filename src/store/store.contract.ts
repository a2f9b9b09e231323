import assert from 'node:assert/strict';
import { test as nodeTest } from 'node:test';
import type { ContactRow } from '../domain/crm.js';
import type { EventRow } from '../domain/event.js';
import { DIALECT_CASES, matches } from './dialect.cases.js';
import { accountsContract } from './store.contract.accounts.js';
import type { Store } from './store.js';

/**
 * The behaviour every Store implementation must have, run against each by a test file that supplies
 * a fresh store (the way Hono runs one `common.case` file on every runtime): DuckDB
 * (test/store.duckdb.test.ts, store.worker, store.journal) and PostgreSQL metadata with ClickHouse
 * events (test/store.scaleout.test.ts). `skip` (a reason) skips every case, for an engine not set up.
 */
export function storeContract(
  name: string,
  fresh: () => Promise<{ store: Store; reopen?: () => Promise<Store> }>,
  opts: { skip?: string | false } = {},
): void {
  const test = (title: string, fn: () => Promise<void>) => nodeTest(title, { skip: opts.skip ?? false }, fn);
  accountsContract(name, fresh, opts);
  const event = (id: string, over: Partial<EventRow> = {}): EventRow => ({
    messageId: id,
    type: 'page',
    event: null,
    anonymousId: 'anon-1',
    userId: null,
    timestamp: new Date('2026-03-01T10:00:00Z'),
    receivedAt: new Date('2026-03-01T10:00:01Z'),
    sessionId: 's1',
    channel: 'Direct',
    source: null,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    referrer: null,
    url: 'https://example.com/',
    path: '/',
    clickIdType: null,
    clickId: null,
    revenue: null,
    value: null,
    currency: null,
    properties: { a: 1, nested: { b: 'x' } },
    context: {},
    traits: {},
    ...over,
  });
  const contact = (id: string, over: Partial<ContactRow> = {}): ContactRow => ({
    id,
    email: `${id}@example.com`,
    firstName: 'Ana',
    lastName: 'Nowak',
    company: 'Acme',
    industry: null,
    jobTitle: null,
    companySize: null,
    country: 'PL',
    market: 'EMEA',
    lifecycleStage: 'lead',
    originalSource: 'Email',
    owner: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    subscriberAt: null,
    leadAt: new Date('2026-01-02T00:00:00Z'),
    mqlAt: null,
    salAt: null,
    sqlAt: null,
    opportunityAt: null,
    customerAt: null,
    properties: { hubspot_score: 12 },
    ...over,
  });

  test(`${name}: migrations are versioned and idempotent`, async () => {
    const { store } = await fresh();
    const again = await store.migrate();
    assert.deepEqual(again.applied, [], 'a second migrate applies nothing');
    await store.close();
  });

  test(`${name}: workspaces are created once, validated, and listed`, async () => {
    const { store } = await fresh();
    const w = await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw', currency: 'PLN' });
    assert.equal(w.timezone, 'Europe/Warsaw');
    assert.equal((await store.getWorkspace('acme'))?.currency, 'PLN');
    await assert.rejects(store.createWorkspace({ slug: 'acme' }), /already exists/);
    await assert.rejects(store.createWorkspace({ slug: 'Bad Slug' }), /lowercase/);
    await assert.rejects(store.createWorkspace({ slug: 'x', timezone: 'Mars/Olympus' }), /IANA/);
    await assert.rejects(store.createWorkspace({ slug: 'y', currency: 'euro' }), /ISO 4217/);
    assert.deepEqual(
      (await store.listWorkspaces()).map((x) => x.slug),
      ['acme'],
    );
    await store.close();
  });

  test(`${name}: every read and write stays inside its workspace`, async () => {
    const { store } = await fresh();
    const wa = await store.createWorkspace({ slug: 'a', timezone: 'Europe/Warsaw' });
    const a = store.forWorkspace(wa);
    const b = store.forWorkspace(await store.createWorkspace({ slug: 'b' }));
    // A scoped store carries its workspace (zone, currency, settings), read synchronously.
    assert.deepEqual(a.workspace, wa);
    assert.equal(b.workspace.slug, 'b');
    await a.appendEvents([event('m1'), event('m2')]);
    await b.appendEvents([event('m3')]);
    await a.upsertContacts([contact('c1')]);
    assert.equal((await a.counts()).events, 2);
    assert.equal((await b.counts()).events, 1);
    assert.equal(await b.getContact('c1'), null);
    const rows = await b.query<{ n: number }>('SELECT count(*) AS n FROM @events');
    assert.equal(rows[0]?.n, 1);
    await assert.rejects(b.query('SELECT count(*) FROM events'), /@events/);
    await assert.rejects(b.query('SELECT 1 FROM @events WHERE workspace_id = $ws', { ws: 'a' }), /reserved/);
    await b.clearData();
    assert.equal((await a.counts()).events, 2, 'clearing b leaves a alone');
    await store.deleteWorkspace('a');
    assert.equal(await store.getWorkspace('a'), null);
    await store.close();
  });

  test(`${name}: events round-trip with their JSON and timestamps`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    await ws.appendEvents([event('m1', { type: 'track', event: 'Form Submitted', revenue: 12.5 })]);
    // The tracking path too (a server sends its events to the database thread as columns).
    await ws.writeTracking({
      events: [
        event('m2', { type: 'track', event: 'Form Submitted', revenue: 12.5 }),
        event('m3', { context: {}, revenue: null, timestamp: new Date('1969-07-20T20:17:40.123Z') }),
      ],
      sessions: [],
      identities: [],
      contacts: [],
      stageChanges: [],
    });
    const rows = await ws.query<Record<string, unknown>>('SELECT * FROM @events ORDER BY message_id');
    for (const r of rows.slice(0, 2)) {
      assert.equal(r.event, 'Form Submitted');
      assert.equal(r.revenue, 12.5);
      assert.deepEqual(JSON.parse(String(r.properties)), { a: 1, nested: { b: 'x' } });
      assert.equal((r.ts as Date | undefined)?.toISOString(), '2026-03-01T10:00:00.000Z');
    }
    const { message_id, ...first } = rows[0] ?? {};
    const { message_id: _m2, ...second } = rows[1] ?? {};
    assert.deepEqual(second, first, 'both write paths store the same row');
    assert.equal(rows[2]?.context, null, 'an empty object is stored as NULL');
    assert.equal(rows[2]?.revenue, null);
    assert.equal((rows[2]?.ts as Date | undefined)?.toISOString(), '1969-07-20T20:17:40.123Z');
    await store.close();
  });

  test(`${name}: upserts replace by id, so re-importing changes nothing`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    await ws.upsertContacts([contact('c1'), contact('c2')]);
    await ws.upsertContacts([
      contact('c1', { lifecycleStage: 'mql', mqlAt: new Date('2026-02-01T00:00:00Z') }),
      contact('c2'),
    ]);
    await ws.upsertContacts([
      contact('c1', { lifecycleStage: 'mql', mqlAt: new Date('2026-02-01T00:00:00Z') }),
      contact('c2'),
    ]);
    assert.equal((await ws.counts()).contacts, 2);
    const c1 = await ws.getContact('c1');
    assert.equal(c1?.lifecycleStage, 'mql');
    assert.equal(c1?.mqlAt?.toISOString(), '2026-02-01T00:00:00.000Z');
    assert.deepEqual(c1?.properties, { hubspot_score: 12 });
    const deal = {
      id: 'd1',
      contactId: 'c1',
      name: 'Acme Pro',
      amount: 1200,
      currency: 'USD',
      stage: 'closed_won',
      pipeline: null,
      owner: 'ana',
      createdAt: new Date('2026-02-01T00:00:00Z'),
      closedAt: new Date('2026-03-01T00:00:00Z'),
      won: true,
      properties: {},
    };
    await ws.upsertDeals([deal, { ...deal, amount: 1500 }]);
    assert.equal((await ws.getDeal('d1'))?.amount, 1500, 'the last row of a batch wins');
    await store.close();
  });

  test(`${name}: a tracking write is atomic and upserts visits by id`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    const visit = {
      sessionId: 's1',
      anonymousId: 'anon-1',
      userId: null,
      startedAt: new Date('2026-03-01T10:00:00Z'),
      endedAt: new Date('2026-03-01T10:00:00Z'),
      events: 1,
      pageViews: 1,
      channel: 'Direct',
      source: null,
      medium: null,
      campaign: null,
      term: null,
      content: null,
      referrer: null,
      landingPath: '/',
    };
    const none = { identities: [], contacts: [], stageChanges: [] };
    await ws.writeTracking({ events: [event('t1')], sessions: [visit], ...none });
    // The same visit again (a writer that forgot it wrote it) replaces it instead of failing the batch.
    await ws.writeTracking({
      events: [event('t2')],
      sessions: [{ ...visit, events: 2, pageViews: 2 }],
      ...none,
    });
    const rows = await ws.query<{ n: number; pv: number }>(
      'SELECT count(*) AS n, max(page_views) AS pv FROM @sessions',
    );
    assert.deepEqual(rows[0], { n: 1, pv: 2 });
    assert.equal((await ws.counts()).events, 2);
    // Grown visits are rewritten by id; one the store does not have is inserted, not lost.
    const grown = {
      ...visit,
      userId: 'u1',
      endedAt: new Date('2026-03-01T10:20:00Z'),
      events: 5,
      pageViews: 4,
      landingPath: '/pricing',
    };
    await ws.writeTracking({
      events: [event('t3')],
      sessions: [],
      grownSessions: [grown, { ...visit, sessionId: 's2', anonymousId: 'anon-2' }],
      ...none,
    });
    await ws.upsertSessions([
      { ...grown, events: 6 },
      { ...visit, sessionId: 's3' },
    ]);
    const after = await ws.query<Record<string, unknown>>(
      'SELECT session_id, user_id, ended_at, events, page_views, landing_path FROM @sessions ORDER BY session_id',
    );
    assert.deepEqual(
      after.map((r) => [
        r.session_id,
        r.user_id,
        (r.ended_at as Date).toISOString(),
        r.events,
        r.page_views,
        r.landing_path,
      ]),
      [
        ['s1', 'u1', '2026-03-01T10:20:00.000Z', 6, 4, '/pricing'],
        ['s2', null, '2026-03-01T10:00:00.000Z', 1, 1, '/'],
        ['s3', null, '2026-03-01T10:00:00.000Z', 1, 1, '/'],
      ],
    );
    await store.close();
  });

  test(`${name}: spend is never negative`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    await assert.rejects(
      ws.appendSpend([
        {
          date: '2026-01-01',
          channel: 'Paid Search',
          source: null,
          medium: null,
          campaign: null,
          cost: -1,
          currency: 'USD',
          impressions: null,
          clicks: null,
          reach: null,
        },
      ]),
      />= 0/,
    );
    await ws.appendSpend([
      {
        date: '2026-01-01',
        channel: 'Paid Search',
        source: 'google',
        medium: 'cpc',
        campaign: 'brand',
        cost: 10.25,
        currency: 'USD',
        impressions: 1000,
        clicks: 20,
        reach: 700,
      },
    ]);
    const [r] = await ws.query<{ date: unknown; cost: number }>(
      'SELECT CAST(date AS VARCHAR) AS date, cost FROM @spend',
    );
    assert.deepEqual(r, { date: '2026-01-01', cost: 10.25 });
    await store.close();
  });

  test(`${name}: API keys are stored hashed and map to their workspace and kind`, async () => {
    const { store } = await fresh();
    const w = await store.createWorkspace({ slug: 'w' });
    const ws = store.forWorkspace(w);
    const { key, info } = await ws.createApiKey('write');
    assert.match(key, /^ns_w_/);
    assert.equal(info.prefix, key.slice(0, 10));
    const found = await store.findApiKey(key);
    assert.equal(found?.workspace.slug, 'w');
    assert.equal(found?.kind, 'write');
    assert.equal(await store.findApiKey(`${key}x`), null);
    const raw = await ws.query('SELECT 1 FROM @events'); // scoped query works without keys table access
    assert.deepEqual(raw, []);
    await store.close();
  });

  test(`${name}: users have hashed passwords and workspace roles`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    const u = await store.createUser('Ana@Example.com', 'Ana', 'correct horse');
    await ws.addMember(u.id, 'editor');
    assert.equal((await store.verifyPassword('ana@example.com', 'correct horse'))?.id, u.id);
    assert.equal(await store.verifyPassword('ana@example.com', 'wrong password'), null);
    await assert.rejects(store.createUser('bob@example.com', null, 'short'), /8 characters/);
    assert.deepEqual(
      (await ws.listMembers()).map((m) => [m.user.email, m.role]),
      [['ana@example.com', 'editor']],
    );
    await store.close();
  });

  test(`${name}: goals, check-ins and the audit log`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    const at = new Date('2026-01-01T00:00:00Z');
    await ws.replaceGoals(
      [
        {
          id: 'g',
          parentId: null,
          kind: 'goal',
          title: 'Grow',
          owner: 'cmo',
          position: 0,
          spec: {},
          updatedAt: at,
        },
        {
          id: 'o',
          parentId: 'g',
          kind: 'objective',
          title: '+15 %',
          owner: 'ana',
          position: 1,
          spec: { kpi: 'revenue', target: '+15%' },
          updatedAt: at,
        },
      ],
      'tester',
    );
    assert.deepEqual(
      (await ws.listGoals()).map((g) => [g.id, g.parentId, g.spec.kpi ?? null]),
      [
        ['g', null, null],
        ['o', 'g', 'revenue'],
      ],
    );
    await ws.addCheckin({ objectiveId: 'o', at, author: 'ana', note: 'on it', confidence: 0.7 });
    assert.equal((await ws.listCheckins('o'))[0]?.confidence, 0.7);
    const audit = await ws.listAudit();
    assert.equal(audit[0]?.actor, 'tester');
    assert.equal(audit[0]?.entity, 'goals');
    await store.close();
  });

  test(`${name}: the store's dialect gives the shared answers through query`, async () => {
    const { store } = await fresh();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'dialect' }));
    const wrong: string[] = [];
    for (const c of DIALECT_CASES) {
      const [row] = await ws.query(c.sql(ws.dialect));
      if (!matches(c, row?.v)) wrong.push(`${c.name}: ${String(row?.v)}`);
    }
    assert.deepEqual(wrong, []);
    await store.close();
  });

  test(`${name}: rows survive closing and reopening the store`, async () => {
    const { store, reopen } = await fresh();
    if (!reopen) return;
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'w' }));
    await ws.appendEvents([event('m1'), event('m2'), event('m3')]);
    await store.close();
    const again = await reopen();
    const w = await again.getWorkspace('w');
    assert.ok(w);
    assert.equal((await again.forWorkspace(w).counts()).events, 3);
    await again.close();
  });
}
