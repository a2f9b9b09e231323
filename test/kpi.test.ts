import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runKpi } from '../src/metrics/kpi.query.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, session, tempStore } from './fixtures.js';

// A hand-built workspace in New York time. Times near midnight test that periods are local:
// 2026-02-01T04:30Z is 31 January 23:30 in New York, 2026-04-01T03:00Z is 31 March 23:00.
let store: DuckDbStore;
let ws: WorkspaceStore;
const Q1 = { from: '2026-01-01', to: '2026-03-31' };

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'kpi', timezone: 'America/New_York' }));
  await ws.appendSessions([
    session('s1', '2026-01-05T15:00:00Z', 'Email', { anonymousId: 'a1', campaign: 'n1' }),
    session('s2', '2026-01-10T15:00:00Z', 'Direct', { anonymousId: 'a1' }),
    session('s3', '2026-02-01T04:30:00Z', 'Paid Search', { campaign: 'brand' }),
    session('s4', '2026-02-15T15:00:00Z', 'Paid Search', {
      anonymousId: null,
      userId: 'c2',
      campaign: 'brand',
    }),
    session('s5', '2026-04-01T03:00:00Z', 'Organic Search'),
    session('s6', '2026-04-01T05:00:00Z', 'Organic Search'), // 1 April local: outside Q1
  ]);
  await ws.appendIdentities([
    { anonymousId: 'a1', userId: 'c1', firstSeen: new Date('2026-01-05T15:05:00Z'), via: 'identify' },
  ]);
  await ws.upsertContacts([
    contact('c1', {
      leadAt: new Date('2026-01-05T15:05:00Z'),
      mqlAt: new Date('2026-01-20T12:00:00Z'),
      originalSource: 'Referral',
      market: 'EMEA',
    }),
    contact('c2', {
      leadAt: new Date('2026-02-15T15:10:00Z'),
      customerAt: new Date('2026-03-10T12:00:00Z'),
      originalSource: 'Paid Search',
      market: 'NA',
    }),
    contact('c3', { leadAt: new Date('2026-03-03T12:00:00Z'), originalSource: 'Events', market: 'NA' }),
    contact('c4', { lifecycleStage: 'subscriber', subscriberAt: new Date('2026-01-02T12:00:00Z') }),
  ]);
  await ws.upsertDeals([
    deal('d1', 'c2', 1000, '2026-02-20T12:00:00Z', '2026-03-10T12:00:00Z', true, 'ana'),
    deal('d2', 'c1', 500, '2026-02-01T12:00:00Z', '2026-04-01T02:00:00Z', true, 'ben'),
    deal('d3', 'c4', 300, '2026-02-01T12:00:00Z', '2026-03-15T12:00:00Z', true, 'ana'),
    deal('d4', 'c3', 900, '2026-03-05T12:00:00Z', '2026-03-20T12:00:00Z', false, 'ben'),
  ]);
  const spend = (date: string, channel: string, cost: number, campaign: string | null) => ({
    date,
    channel,
    source: null,
    medium: null,
    campaign,
    cost,
    currency: 'USD',
    impressions: null,
    clicks: 10,
    reach: null,
  });
  await ws.appendSpend([
    spend('2026-01-15', 'Paid Search', 200, 'brand'),
    spend('2026-02-10', 'Paid Search', 100, 'brand'),
    spend('2026-03-01', 'Events', 700, 'expo'),
  ]);
  const mail = (email: string, type: 'sent' | 'open' | 'click' | 'unsubscribe', ts: string) => ({
    timestamp: new Date(ts),
    email,
    contactId: null,
    campaign: 'n1',
    type,
  });
  await ws.appendEmailEvents([
    mail('x@example.com', 'sent', '2026-01-10T14:00:00Z'),
    mail('y@example.com', 'sent', '2026-01-10T14:00:00Z'),
    mail('x@example.com', 'open', '2026-01-10T15:00:00Z'),
    mail('x@example.com', 'open', '2026-01-11T15:00:00Z'), // a second open of the same pair counts once
    mail('y@example.com', 'click', '2026-01-10T16:00:00Z'),
    mail('y@example.com', 'unsubscribe', '2026-01-12T16:00:00Z'),
  ]);
});
after(() => store.close());

const total = async (kpi: string, range = Q1) => (await runKpi(ws, { kpi, ...range })).rows[0]?.value;
const byChannel = async (kpi: string) =>
  Object.fromEntries((await runKpi(ws, { kpi, ...Q1, by: 'channel' })).rows.map((r) => [r.channel, r.value]));

test('sessions and visitors: local periods and identity stitching', async () => {
  assert.equal(await total('sessions'), 5); // s1..s5; s6 is 1 April in New York
  assert.deepEqual(await byChannel('sessions'), {
    Direct: 1,
    Email: 1,
    'Organic Search': 1,
    'Paid Search': 2,
  });
  // persons: c1 (s1, s2 through a1), anon of s3, c2 (s4), anon of s5 = 4
  assert.equal(await total('visitors'), 4);
});

test('leads by original source: first session channel, else the CRM source', async () => {
  assert.equal(await total('leads'), 3);
  // c1's first session is Email (its CRM source says Referral), c2's is Paid Search, c3 has none: Events.
  assert.deepEqual(await byChannel('leads'), { Email: 1, Events: 1, 'Paid Search': 1 });
  assert.equal(await total('mqls'), 1);
  assert.equal(await total('customers'), 1);
});

test('revenue, lead revenue and the seed-004 website KPIs', async () => {
  assert.equal(await total('revenue'), 1800); // d1 1000 + d2 500 (31 March local) + d3 300
  assert.equal(await total('lead_revenue'), 1500); // d3's contact never became a lead
  assert.equal(await total('value_per_lead'), 500); // 1500 / 3
  assert.equal(await total('value_per_visit'), 300); // 1500 / 5
  assert.equal(await total('visits_per_lead'), 5 / 3);
  assert.equal(await total('lead_conversion_rate'), 0.6); // 3 / 5
  assert.deepEqual(await byChannel('value_per_lead'), { Email: 500, Events: 0, 'Paid Search': 1000 });
  const perOwner = Object.fromEntries(
    (await runKpi(ws, { kpi: 'revenue', ...Q1, by: 'owner' })).rows.map((r) => [r.owner, r.value]),
  );
  assert.deepEqual(perOwner, { ana: 1300, ben: 500 });
});

test('spend, CAC, ROI, cost per lead and close rate', async () => {
  assert.equal(await total('ad_spend'), 1000);
  assert.equal(await total('cac'), 1000); // 1000 / 1 customer
  assert.equal(await total('roi'), 0.8); // (1800 - 1000) / 1000
  assert.deepEqual(await byChannel('cost_per_lead'), { Email: 0, Events: 700, 'Paid Search': 300 });
  assert.equal(await total('close_rate'), 2 / 3); // c1 and c2 of the three leads have a won deal by 31 March
  // A range ending before d2 closed: c1's deal does not count yet.
  assert.equal(await total('close_rate', { from: '2026-01-01', to: '2026-03-30' }), 1 / 3);
});

test('e-mail rates count distinct (recipient, campaign) pairs', async () => {
  assert.equal(await total('emails_sent'), 2);
  assert.equal(await total('email_open_rate'), 0.5); // {x} / {x, y}
  assert.equal(await total('email_click_rate'), 0.5);
  assert.equal(await total('email_reply_rate'), 0);
  assert.equal(await total('unsubscribe_rate'), 0.5); // 1 unsubscribe / 2 sent
});

test('an empty period gives 0 for counts and null for rates over zero', async () => {
  const empty = { from: '2025-01-01', to: '2025-01-31' };
  assert.equal(await total('sessions', empty), 0);
  assert.equal(await total('revenue', empty), 0);
  assert.equal(await total('value_per_lead', empty), null);
  assert.equal(await total('roi', empty), null);
  assert.equal(await total('email_open_rate', empty), null);
});

test('grains: monthly counts sum to the quarter, breakdown rows sum to the total', async () => {
  const months = await runKpi(ws, { kpi: 'sessions', ...Q1, grain: 'month' });
  assert.deepEqual(
    months.rows.map((r) => [r.period, r.value]),
    [
      ['2026-01-01', 3],
      ['2026-02-01', 1],
      ['2026-03-01', 1],
    ],
  );
  const quarter = await runKpi(ws, { kpi: 'sessions', ...Q1, grain: 'quarter' });
  assert.deepEqual(quarter.rows, [{ period: '2026-01-01', value: 5 }]);
  for (const kpi of ['sessions', 'leads', 'revenue', 'ad_spend']) {
    const parts = Object.values(await byChannel(kpi)).reduce<number>(
      (s, v) => s + ((v as number | null) ?? 0),
      0,
    );
    assert.equal(parts, await total(kpi), kpi);
  }
});

test('custom KPIs are formulas over measures and catalog KPIs', async () => {
  await ws.upsertCustomKpi({
    id: 'revenue_per_customer',
    name: 'Revenue per customer',
    formula: 'revenue / customers',
    unit: 'currency',
    direction: 'higher',
    description: null,
  });
  assert.equal(await total('revenue_per_customer'), 1800);
  await ws.upsertCustomKpi({
    id: 'double_cac',
    name: '2 × CAC',
    formula: 'cac * 2',
    unit: 'currency',
    direction: 'lower',
    description: null,
  });
  assert.equal(await total('double_cac'), 2000);
  await ws.upsertCustomKpi({
    id: 'broken',
    name: 'x',
    formula: 'revenue / clients',
    unit: 'ratio',
    direction: 'higher',
    description: null,
  });
  await assert.rejects(runKpi(ws, { kpi: 'broken', ...Q1 }), /unknown measure "clients" at position 11/);
});
