// Formula injection (issue 14) through the HTTP CSV export: owners from an import and campaign names
// from any visitor's tracking call come back from `GET /api/v1/export/kpis/{id}.csv` as text a
// spreadsheet shows, never runs (a leading `'`), while numbers stay numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { tempStore } from './fixtures.js';

const FORMULAS = ["=cmd|' /C calc'!A0", '@SUM(1+1)', '+1+1', '-1+1', '=HYPERLINK("http://x.test")'];
let app: FastifyInstance;
let store: DuckDbStore;
let token = '';
let read = '';
let write = '';

before(async () => {
  const t = await tempStore();
  store = t.store;
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'csv' }));
  token = (await ws.createApiKey('token')).key;
  read = (await ws.createApiKey('read')).key;
  write = (await ws.createApiKey('write')).key;
  app = await buildApp({ store, dataDir: t.dataDir });
});
after(async () => {
  await app.close();
  await store.close();
});

/** The CSV's cells, unquoted. */
function cells(csv: string): string[] {
  return [...csv.matchAll(/("(?:[^"]|"")*"|[^,\n]*)(?:,|\n|$)/g)].map((m) => {
    const c = m[1] ?? '';
    return c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c;
  });
}

test('formula cells from an import and from visitors come back neutralised in the CSV export', async () => {
  const rows = FORMULAS.map((f, i) => `c${i},c${i}@x.test,"${f.replace(/"/g, '""')}",2026-02-0${i + 1},lead`);
  const up = await app.inject({
    method: 'POST',
    url: '/api/v1/import/contacts',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    payload: `id,email,owner,created_at,lifecycle_stage\n${rows.join('\n')}\n`,
  });
  assert.equal(up.statusCode, 200, up.body);
  const basic = `Basic ${Buffer.from(`${write}:`).toString('base64')}`;
  for (const [i, f] of FORMULAS.entries()) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/page',
      headers: { authorization: basic },
      payload: {
        anonymousId: `v${i}`,
        timestamp: `2026-02-0${i + 1}T10:00:00Z`,
        context: { page: { url: `https://x.test/?utm_campaign=${encodeURIComponent(f)}&utm_source=ads` } },
      },
    });
    assert.equal(r.statusCode, 200, r.body);
  }
  for (const [kpi, by] of [
    ['leads', 'owner'],
    ['sessions', 'campaign'],
  ]) {
    const res = await app.inject({
      url: `/api/v1/export/kpis/${kpi}.csv?from=2026-02-01&to=2026-02-28&grain=total&by=${by}`,
      headers: { authorization: `Bearer ${read}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const got = cells(res.body);
    for (const f of FORMULAS) {
      assert.ok(got.includes(`'${f}`), `${kpi} by ${by}: ${f} comes back as text: ${res.body}`);
      assert.ok(!got.includes(f), `${kpi} by ${by}: ${f} never comes back as it was`);
    }
    // Numbers are left alone: every count cell is a bare number.
    assert.ok(
      got.some((c) => /^\d+$/.test(c)),
      res.body,
    );
  }
});
