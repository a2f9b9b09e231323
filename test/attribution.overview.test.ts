/**
 * The attribution API over the last 12 months (what the dashboard's attribution page shows): first-touch
 * credits over the sales-cycle look-back, with the `(none)` row and the look-back said. Data is dated
 * relative to today because the default window is the last 12 months.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addDays, today } from '../src/core/time.js';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { contact, deal, spendRow, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let readKey = '';
const day = today('UTC');
const at = (daysAgo: number) => `${addDays(day, -daysAgo)}T12:00:00.000Z`;

before(async () => {
  const t = await tempStore();
  store = t.store;
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'demo', timezone: 'UTC' }));
  await ws.upsertContacts([
    contact('c1', { createdAt: new Date(at(200)), originalSource: 'Events' }),
    contact('c2', { createdAt: new Date(at(30)), originalSource: 'Paid Search' }),
    contact('c3', { createdAt: new Date(at(40)) }), // no original source, never tracked
  ]);
  await ws.upsertDeals([
    deal('d1', 'c1', 9000, at(60), at(10), true), // 190 days after c1's creation
    deal('d2', 'c2', 3000, at(20), at(5), true), // 25 days
    deal('d3', 'c3', 500, at(30), at(20), true),
  ]);
  await ws.appendSpend([spendRow(addDays(day, -15), 'Paid Search', 1000)]);
  readKey = (await ws.createApiKey('read')).key;
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: 'test-token-0123456789' });
});
after(async () => {
  await app.close();
  await store.close();
});

test('GET /api/v1/attribution answers the same credits, with the look-back, its reason and the (none) share', async () => {
  const from = addDays(day, -364);
  const res = await app.inject({
    url: `/api/v1/attribution?model=first_touch&from=${from}&to=${day}`,
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.model, 'first_touch');
  assert.equal(body.total_conversions, 3);
  assert.equal(body.total_value, 12500);
  assert.equal(body.lookback, 190);
  assert.equal(body.lookback_basis, 'sales_cycle');
  assert.deepEqual(body.sales_cycle, { percentile: 90, days: 190, conversions: 2 });
  assert.deepEqual(body.none, { conversions: 1, value: 500, conversion_share: 1 / 3, value_share: 0.04 });
  assert.deepEqual(
    body.rows.map((r: { channel: string; value: number }) => [r.channel, r.value]),
    [
      ['(none)', 500],
      ['Events', 9000],
      ['Paid Search', 3000],
    ],
  );
  // With the old fixed 90 days, c1's deal (190 days) has no touch.
  const ninety = await app.inject({
    url: `/api/v1/attribution?model=all&from=${from}&to=${day}&lookback=90`,
    headers: { authorization: `Bearer ${readKey}` },
  });
  const all = ninety.json();
  assert.equal(all.lookback_basis, 'given');
  assert.equal(all.models[0].none.value, 9500);
  assert.equal(all.table.find((r: { channel: string }) => r.channel === 'Paid Search').first_touch_roi, 2);
});
