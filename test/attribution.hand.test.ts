/**
 * Workspace attribution checked for values: a small workspace whose journeys, Markov (order 1, with
 * non-converting paths) and Shapley credits are worked out by hand below. Tracked sessions and CRM
 * original sources mix: a contact tracking never saw before its creation gets its original source as
 * a touch at its creation time.
 */
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

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'hand', timezone: 'UTC' }));
  await ws.appendSessions([
    // p1: three tracked visits, the first before its creation, so its CRM source is not a touch.
    session('p1a', day(1), 'Email', { userId: 'p1' }),
    session('p1b', day(3), 'Paid Search', { userId: 'p1' }),
    session('p1c', day(5), 'Referral', { userId: 'p1' }),
    // p4: tracked an hour before its creation.
    session('p4a', day(9), 'Referral', { userId: 'p4' }),
    // Two visitors who never convert.
    session('v1a', day(4), 'Email', { anonymousId: 'v1' }),
    session('v2a', day(6), 'Paid Search', { anonymousId: 'v2' }),
    session('v2b', day(7), 'Referral', { anonymousId: 'v2' }),
  ]);
  await ws.upsertContacts([
    contact('p1', { createdAt: new Date(day(1, 13)), originalSource: 'Paid Social' }),
    // p2 and p3: CRM only, never tracked: their original source is a touch when they were created.
    contact('p2', { createdAt: new Date(day(2)), originalSource: 'Events' }),
    contact('p3', { createdAt: new Date(day(8)), originalSource: 'Events' }),
    contact('p4', { createdAt: new Date(day(9, 13)), originalSource: 'Paid Social' }),
  ]);
  await ws.upsertDeals([
    deal('d1', 'p1', 1000, day(6), day(10), true),
    deal('d2', 'p2', 500, day(15), day(20), true),
    deal('d4', 'p4', 300, day(10), day(12), true),
  ]);
});
after(() => store.close());

const near = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: expected ${expected}, got ${actual}`,
  );
type Row = { channel?: unknown; conversions: number; value: number; removal_effect?: number };
const row = (rows: readonly Row[], channel: string) => rows.find((r) => r.channel === channel);

test('journeys: sessions, and the CRM original source at creation for contacts never tracked before', async () => {
  const { journeys, conversions, nullPaths, lookback } = await buildJourneys(ws, {
    ...range,
    withNulls: true,
  });
  assert.equal(conversions, 3);
  const paths = journeys.map((j) => [
    j.conversions,
    j.nulls ?? 0,
    j.value,
    j.touches.map((t) => t.channel).join(' > '),
  ]);
  assert.deepEqual(
    paths.sort((a, b) => String(a[3]).localeCompare(String(b[3])) || Number(a[2]) - Number(b[2])),
    [
      [0, 1, 0, 'Email'], // v1
      [1, 0, 1000, 'Email > Paid Search > Referral'], // d1 (p1's Paid Social source is not a touch)
      [0, 1, 0, 'Events'], // p3: CRM only, no deal
      [1, 0, 500, 'Events'], // d2: p2's original source on day 2
      [0, 1, 0, 'Paid Search > Referral'], // v2
      [1, 0, 300, 'Referral'], // d4 (p4 was tracked before its creation)
    ],
  );
  assert.equal(nullPaths, 3);
  // First touch to close: d1 day 1 → day 10 = 9 days, d2 day 2 → day 20 = 18, d4 day 9 → day 12 = 3.
  // Nearest rank of the 90th percentile over 3: ceil(2.7) = 3rd = 18 days; below the minimum, so 90.
  assert.deepEqual(lookback, {
    days: 90,
    basis: 'sales_cycle',
    sales_cycle: { percentile: 90, days: 18, conversions: 3 },
  });
});

test('Markov order 1 with non-converting paths, worked out by hand', async () => {
  const r = await attributeWorkspace(ws, 'markov', range);
  // Paths (weight = conversions + nulls): E>PS>R (1 conv), Ev (1 conv), R (1 conv), E (1 null),
  // PS>R (1 null), Ev (1 null). E = Email, PS = Paid Search, R = Referral, Ev = Events.
  // start → E 2/6, Ev 2/6, R 1/6, PS 1/6. E → PS 1/2, E → null 1/2. PS → R 1.
  // R → conv 2/3 (E>PS>R and R convert, PS>R does not), R → null 1/3. Ev → conv 1/2, null 1/2.
  // h (P(conv) from a state): R 2/3, PS 2/3, E 1/2 · 2/3 = 1/3, Ev 1/2.
  // P(conv) = 2/6 · 1/3 + 2/6 · 1/2 + 1/6 · 2/3 + 1/6 · 2/3 = 2/18 + 3/18 + 2/18 + 2/18 = 1/2.
  // Without E: 3/18 + 2/18 + 2/18 = 7/18, RE = 1 − 7/9 = 2/9.
  // Without PS (h(E) = 0): 3/18 + 2/18 = 5/18, RE = 4/9. Without R: 3/18, RE = 2/3.
  // Without Ev: 6/18, RE = 1/3. Σ RE = 15/9; credits = RE / Σ RE × 3 conversions:
  // E 2/5, PS 4/5, R 6/5, Ev 3/5.
  near(row(r.rows, 'Email')?.conversions, 0.4, 'Email');
  near(row(r.rows, 'Paid Search')?.conversions, 0.8, 'Paid Search');
  near(row(r.rows, 'Referral')?.conversions, 1.2, 'Referral');
  near(row(r.rows, 'Events')?.conversions, 0.6, 'Events');
  near(row(r.rows, 'Email')?.removal_effect, 2 / 9, 'Email removal effect');
  near(row(r.rows, 'Events')?.removal_effect, 1 / 3, 'Events removal effect');
  // Value: mean value per last state E_R = (1000 + 300) / 2 = 650, E_Ev = 500. P(conv via R) = 1/3,
  // via Ev = 1/6: base 650/3 + 500/6 = 2700/9. Without E: via R 2/9 → 2050/9, VRE = 650/2700 = 13/54.
  // Without PS: via R 1/9 → 1400/9, VRE = 26/54. Without R: 750/9, VRE = 39/54. Without Ev:
  // 1950/9, VRE = 15/54. Σ = 93/54; value = VRE / Σ × 1800: E 23400/93, PS 46800/93,
  // R 70200/93, Ev 27000/93.
  near(row(r.rows, 'Email')?.value, 23400 / 93, 'Email value');
  near(row(r.rows, 'Paid Search')?.value, 46800 / 93, 'Paid Search value');
  near(row(r.rows, 'Referral')?.value, 70200 / 93, 'Referral value');
  near(row(r.rows, 'Events')?.value, 27000 / 93, 'Events value');
  assert.equal(row(r.rows, '(none)'), undefined); // every conversion has a touch
  assert.deepEqual(r.none, { conversions: 0, value: 0, conversion_share: 0, value_share: 0 });
});

test('Shapley, first touch and linear, worked out by hand; all models side by side agree', async () => {
  // Shapley: each path's conversion and value split equally over its distinct channels.
  // E>PS>R (1000): 1/3 and 1000/3 each; Ev (500): all to Events; R (300): all to Referral.
  const shapley = await attributeWorkspace(ws, 'shapley', range);
  near(row(shapley.rows, 'Email')?.conversions, 1 / 3, 'Email');
  near(row(shapley.rows, 'Paid Search')?.value, 1000 / 3, 'Paid Search value');
  near(row(shapley.rows, 'Referral')?.conversions, 4 / 3, 'Referral');
  near(row(shapley.rows, 'Referral')?.value, 1000 / 3 + 300, 'Referral value');
  near(row(shapley.rows, 'Events')?.value, 500, 'Events value');
  const first = await attributeWorkspace(ws, 'first_touch', range);
  assert.deepEqual(
    first.rows.map((x) => [x.channel, x.conversions, x.value]),
    [
      ['Email', 1, 1000],
      ['Events', 1, 500],
      ['Referral', 1, 300],
      ['Paid Search', 0, 0],
    ],
  );
  const all = await attributeAllModels(ws, range);
  const events = all.table.find((x) => x.channel === 'Events');
  assert.equal(events?.markov, 0.6);
  assert.equal(events?.markov_value, 290.32); // 27000/93 = 290.3226 rounded to cents
  assert.equal(events?.shapley_value, 500);
  assert.equal(events?.linear, 1);
  assert.equal(events?.markov_roi, null); // no spend
});
