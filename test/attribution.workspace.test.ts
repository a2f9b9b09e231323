import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { attributeAllModels, attributeWorkspace } from '../src/attribution/workspace.attribution.js';
import { buildJourneys } from '../src/attribution/workspace.journeys.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, session, tempStore } from './fixtures.js';

let store: DuckDbStore;
let ws: WorkspaceStore;
const day = (n: number, h = 12) => new Date(Date.UTC(2026, 0, 1, h) + (n - 1) * 86_400_000).toISOString();
const range = { from: '2026-01-01', to: '2026-12-31' };
/** The tests below that check the look-back rule itself fix it at 90 days. */
const range90 = { ...range, lookbackDays: 90 };

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'attr', timezone: 'UTC' }));
  await ws.appendSessions([
    session('s1', day(1, 9), 'Email', { anonymousId: 'a1', campaign: 'jan-news' }), // anonymous, linked later
    session('s2', day(10), 'Paid Search', { anonymousId: 'a1', userId: 'c1', campaign: 'brand' }),
    session('s3', day(200), 'Direct', { anonymousId: 'a1', userId: 'c1' }), // after c1's deal: never counts for it
    session('s4', day(20), 'Email', { anonymousId: 'a3', userId: 'c3' }), // more than 90 days before c3's close
    session('s5', day(100), 'Referral', { anonymousId: 'a3', userId: 'c3' }),
    session('s6', day(30), 'Direct', { anonymousId: 'nobody' }), // a visitor who never converts
  ]);
  await ws.appendIdentities([
    { anonymousId: 'a1', userId: 'c1', firstSeen: new Date(day(1, 10)), via: 'identify' },
  ]);
  await ws.upsertContacts([
    contact('c1', { leadAt: new Date(day(1, 10)), company: 'Acme' }),
    contact('c2', { leadAt: new Date(day(2)), company: 'Acme' }),
    contact('c3', { leadAt: new Date(day(100, 13)) }),
  ]);
  await ws.upsertDeals([
    deal('d1', 'c1', 1000, day(20), day(50), true),
    deal('d2', 'c2', 500, day(30), day(40), true),
    deal('d3', 'c3', 700, day(110), day(150), true),
    deal('d4', 'c3', 9999, day(110), day(160), false), // lost: not a conversion
  ]);
  await ws.appendSpend([
    {
      date: '2026-01-15',
      channel: 'Paid Search',
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      cost: 250,
      currency: 'USD',
      impressions: null,
      clicks: 100,
      reach: null,
    },
  ]);
});
after(() => store.close());

const credit = (rows: Array<Record<string, unknown>>, key: string) =>
  (rows.find((r) => r.channel === key)?.conversions as number | undefined) ?? 0;

test('each won deal gets its own journey: touches before it, within the look-back, anonymous ones included', async () => {
  const { journeys, conversions } = await buildJourneys(ws, { ...range90, conversion: 'deal_won' });
  assert.equal(conversions, 3);
  const paths = journeys
    .map((j) => [j.value, j.touches.map((t) => t.channel)])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
  assert.deepEqual(paths, [
    [500, []], // c2 has no session: credited to (none)
    [700, ['Referral']], // s4 (Email) is 130 days before the close: outside 90 days
    [1000, ['Email', 'Paid Search']], // s1 was anonymous until identify; s3 comes after the close
  ]);
});

test('rule-based models over the workspace: first touch, last touch, linear; totals equal all conversions', async () => {
  const first = await attributeWorkspace(ws, 'first_touch', range90);
  assert.equal(first.total_conversions, 3);
  assert.equal(first.total_value, 2200);
  assert.equal(credit(first.rows, 'Email'), 1);
  assert.equal(credit(first.rows, '(none)'), 1);
  const last = await attributeWorkspace(ws, 'last_touch', range90);
  assert.equal(credit(last.rows, 'Paid Search'), 1);
  assert.equal(credit(last.rows, 'Referral'), 1);
  const ps = last.rows.find((r) => r.channel === 'Paid Search');
  assert.equal(ps?.spend, 250);
  assert.equal(ps?.roi, 3); // (1000 - 250) / 250
  assert.equal(ps?.cost_per_conversion, 250);
  const linear = await attributeWorkspace(ws, 'linear', range90);
  assert.equal(credit(linear.rows, 'Email'), 0.5);
  assert.equal(credit(linear.rows, 'Paid Search'), 0.5);
});

test('look-back, conversion kind and account-level journeys are options', async () => {
  const wide = await buildJourneys(ws, { ...range, lookbackDays: 365 });
  const c3 = wide.journeys.find((j) => j.value === 700);
  assert.deepEqual(
    c3?.touches.map((t) => t.channel),
    ['Email', 'Referral'],
  );
  const leads = await attributeWorkspace(ws, 'last_touch', { ...range, conversion: 'lead' });
  assert.equal(leads.total_conversions, 3);
  assert.equal(credit(leads.rows, 'Email'), 1); // c1's lead came 1 hour after its anonymous e-mail visit
  // B2B: c2 (no sessions of its own) works at Acme, like c1, so it gets Acme's touches before its close.
  const account = await buildJourneys(ws, { ...range, account: true });
  assert.deepEqual(
    account.journeys.find((j) => j.value === 500)?.touches.map((t) => t.channel),
    ['Email', 'Paid Search'],
  );
});

test('Markov uses non-converting visitors, and all models side by side sum to the same total', async () => {
  const withNulls = await buildJourneys(ws, { ...range, withNulls: true });
  assert.equal(withNulls.nullPaths, 1); // the "nobody" visitor
  const all = await attributeAllModels(ws, range);
  for (const r of all.models) {
    const sum = r.rows.reduce((s, x) => s + x.conversions, 0);
    assert.ok(Math.abs(sum - 3) < 1e-9, `${r.model} sums to ${sum}`);
  }
  assert.ok(all.table.some((row) => row.channel === 'Paid Search' && row.spend === 250));
});

test('the default look-back is the sales cycle: the 90th percentile of first touch to close, at least 90 days', async () => {
  // Won deals with a touch: d1 (first touch s1 on day 1, close day 50: 49 days 3 h) and d3 (s4 on
  // day 20, close day 150: 130 days). Nearest rank of the 90th percentile over 2: ceil(1.8) = 2nd
  // smallest = 130 days, so the look-back is 130 days and s4 (Email) now counts for d3.
  const { journeys, lookback } = await buildJourneys(ws, range);
  assert.deepEqual(lookback, {
    days: 130,
    basis: 'sales_cycle',
    sales_cycle: { percentile: 90, days: 130, conversions: 2 },
  });
  assert.deepEqual(
    journeys.find((j) => j.value === 700)?.touches.map((t) => t.channel),
    ['Email', 'Referral'],
  );
  const first = await attributeWorkspace(ws, 'first_touch', range);
  assert.equal(first.lookback, 130);
  assert.equal(first.lookback_basis, 'sales_cycle');
  // c2's deal (500 of 2200) has no touch: (none) holds 1 of 3 conversions.
  assert.deepEqual(first.none, {
    conversions: 1,
    value: 500,
    conversion_share: 1 / 3,
    value_share: 500 / 2200,
  });
  const given = await attributeWorkspace(ws, 'first_touch', range90);
  assert.equal(given.lookback_basis, 'given');
  assert.equal(given.sales_cycle, null);
});
