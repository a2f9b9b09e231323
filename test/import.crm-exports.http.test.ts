/**
 * The first hour of a real user, over HTTP: the same HubSpot and Salesforce exports as
 * import.crm-exports.test.ts posted to `POST /api/v1/import/{kind}` in either order; the answer
 * carries the warnings with their lines, and `GET /api/v1/kpis/{id}` gives the exact KPIs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import {
  CRM_FIXTURES,
  DEAL_COUNT_KPIS,
  dealWarnings,
  type Expected,
  HUBSPOT,
  Q1,
  SALESFORCE,
  snapshot,
  warningGroups,
} from './crm-exports.expected.js';
import { tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
const keys = new Map<string, { token: string; read: string; ws: WorkspaceStore }>();

before(async () => {
  const t = await tempStore();
  store = t.store;
  for (const slug of ['hs-cd', 'hs-dc', 'sf-cd', 'sf-dc']) {
    const ws = store.forWorkspace(await store.createWorkspace({ slug, timezone: 'UTC' }));
    for (const k of DEAL_COUNT_KPIS)
      await ws.upsertCustomKpi({ ...k, name: k.id, unit: 'count', direction: 'higher', description: null });
    keys.set(slug, {
      token: (await ws.createApiKey('token')).key,
      read: (await ws.createApiKey('read')).key,
      ws,
    });
  }
  app = await buildApp({ store, dataDir: t.dataDir });
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

function slot(slug: string) {
  const k = keys.get(slug);
  assert.ok(k);
  return k;
}

async function post(slug: string, kind: 'contacts' | 'deals', e: Expected) {
  const spec = kind === 'contacts' ? e.contacts : e.deals;
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/import/${kind}?preset=${spec.preset}`,
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${slot(slug).token}` },
    body: readFileSync(`${CRM_FIXTURES}${spec.file}`),
  });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json();
  assert.deepEqual([s.rows, s.rejected, s.errors], [spec.rows, 0, []]);
  assert.deepEqual(s.unmapped_stage_values, spec.unmapped);
  return s;
}

async function kpis(slug: string): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const id of Object.keys(HUBSPOT.kpis)) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/kpis/${id}?from=${Q1.from}&to=${Q1.to}`,
      headers: { authorization: `Bearer ${slot(slug).read}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    out[id] = res.json().rows[0]?.value ?? null;
  }
  return out;
}

for (const [name, e, cd, dc] of [
  ['HubSpot', HUBSPOT, 'hs-cd', 'hs-dc'],
  ['Salesforce', SALESFORCE, 'sf-cd', 'sf-dc'],
] as const) {
  test(`${name} over HTTP, contacts then deals: 200 with the warnings and their lines, exact KPIs`, async () => {
    const contacts = await post(cd, 'contacts', e);
    assert.equal(contacts.imported, e.contacts.rows);
    assert.deepEqual(
      warningGroups(contacts.warnings),
      e.contactStages.map(([c, v, l]) => ['unmapped_stage', c, v, l]),
    );
    assert.equal(contacts.warnings[0].rows, contacts.warnings[0].lines.length);
    const deals = await post(cd, 'deals', e);
    assert.deepEqual([deals.imported, deals.unlinked_deals], [7, e.unlinked.length]);
    assert.deepEqual(warningGroups(deals.warnings), dealWarnings(e, true));
    const won = deals.warnings.find((w: { code: string }) => w.code === 'won_without_amount');
    assert.equal(
      won.message,
      'a won deal without an amount: imported; it counts in won deals and win rate, adds nothing to revenue',
    );
    assert.deepEqual(await kpis(cd), e.kpis);
  });

  test(`${name} over HTTP, deals then contacts: the deals link when their contacts arrive`, async () => {
    const deals = await post(dc, 'deals', e);
    assert.deepEqual([deals.imported, deals.unlinked_deals], [7, 7]);
    assert.deepEqual(warningGroups(deals.warnings), dealWarnings(e, false));
    const early = await kpis(dc);
    assert.deepEqual([early.revenue, early.win_rate, early.deals_won], [e.kpis.revenue, 0.6, 3]);
    const contacts = await post(dc, 'contacts', e);
    assert.equal(contacts.linked_deals, e.linkedLater);
    assert.deepEqual(await kpis(dc), e.kpis);
    assert.deepEqual(await snapshot(slot(dc).ws), await snapshot(slot(cd).ws));
  });
}
