/**
 * Generic spend, e-mail and social imports into a real DuckDB store (exact rows, natural keys,
 * re-imports), and what a bad row or a missing column does.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ImportKind, importFile, runImport } from '../src/ingest/import/index.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname;
const NOW = new Date('2026-03-20T00:00:00Z');
let store: DuckDbStore;
let ws: WorkspaceStore;
const tmp = mkdtempSync(join(tmpdir(), 'ns-import-test-'));

before(async () => {
  store = (await tempStore()).store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw' }));
  await load('contacts', 'contacts.csv'); // e-mail events find their contact by address
});
after(() => store.close());

async function load(
  kind: ImportKind,
  path: string,
  more: { skipInvalid?: boolean; sortRunSize?: number } = {},
) {
  const file = await importFile(path.startsWith('/') ? path : join(FIXTURES, path));
  return runImport(ws, { kind, file, now: NOW, ...more });
}

/** Query rows with times as ISO strings and JSON parsed, for deepEqual. */
async function rows(sql: string, on: WorkspaceStore = ws): Promise<Record<string, unknown>[]> {
  return (await on.query(sql)).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v instanceof Date ? v.toISOString() : k === 'properties' && typeof v === 'string' ? JSON.parse(v) : v,
      ]),
    ),
  );
}

test('spend: rows of one key are summed, the channel comes from source/medium, re-import skips', async () => {
  const r = await load('spend', 'spend.csv');
  assert.deepEqual([r.summary.rows, r.summary.imported], [4, 3]);
  const spend = () =>
    rows(
      `SELECT strftime(date, '%Y-%m-%d') AS date, channel, source, medium, campaign, cost, currency, impressions, clicks, reach
       FROM @spend ORDER BY date, channel`,
    );
  assert.deepEqual(await spend(), [
    {
      date: '2026-03-01',
      channel: 'Paid Search',
      source: 'google',
      medium: 'cpc',
      campaign: 'brand',
      cost: 150.5,
      currency: 'USD',
      impressions: 1200,
      clicks: 60,
      reach: null,
    },
    {
      date: '2026-03-01',
      channel: 'Paid Social',
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'abm-q1',
      cost: 99.99,
      currency: 'USD',
      impressions: 5000,
      clicks: 40,
      reach: 3000,
    },
    {
      date: '2026-03-02',
      channel: 'Newsletter sponsorship',
      source: null,
      medium: null,
      campaign: null,
      cost: 250,
      currency: 'USD',
      impressions: null,
      clicks: null,
      reach: null,
    },
  ]);
  const again = await load('spend', 'spend.csv');
  assert.deepEqual([again.summary.imported, again.summary.skipped, again.summary.conflicts], [0, 3, 0]);
  const path = join(tmp, 'spend-changed.csv');
  writeFileSync(
    path,
    'date,channel,cost\n2026-03-02,Newsletter sponsorship,275\n2026-03-03,Newsletter sponsorship,10\n',
  );
  const changed = await load('spend', path);
  // 2026-03-02 was stored with 250: replaced by 275 (updated); 2026-03-03 is new.
  assert.deepEqual([changed.summary.imported, changed.summary.updated, changed.summary.conflicts], [1, 1, 0]);
  assert.equal((await spend()).length, 4);
  const corrected = await rows(
    "SELECT cost FROM @spend WHERE date = DATE '2026-03-02' AND channel = 'Newsletter sponsorship'",
  );
  assert.deepEqual(corrected, [{ cost: 275 }]);
});

test('email (NDJSON) and social: natural keys, duplicates skipped, contact found by e-mail', async () => {
  const e = await load('email', 'email.ndjson');
  assert.deepEqual([e.summary.imported, e.summary.skipped], [3, 1]);
  const email = () =>
    rows('SELECT ts, email, contact_id, campaign, type FROM @email_events ORDER BY ts, email, type');
  assert.deepEqual(await email(), [
    {
      ts: '2026-03-03T09:00:00.000Z',
      email: 'ana@acme.com',
      contact_id: 'c-001',
      campaign: 'march-news',
      type: 'sent',
    },
    {
      ts: '2026-03-03T09:00:00.000Z',
      email: 'zed@nowhere.io',
      contact_id: 'x-9',
      campaign: 'march-news',
      type: 'sent',
    },
    {
      ts: '2026-03-03T09:05:00.000Z',
      email: 'ana@acme.com',
      contact_id: 'c-001',
      campaign: 'march-news',
      type: 'open',
    },
  ]);
  assert.deepEqual([(await load('email', 'email.ndjson')).summary.skipped, (await email()).length], [4, 3]);

  const s = await load('social', 'social.csv');
  assert.deepEqual([s.summary.imported, s.summary.skipped], [2, 1]);
  const social = () =>
    rows(
      `SELECT strftime(date, '%Y-%m-%d') AS date, network, metric, value FROM @social_metrics ORDER BY metric`,
    );
  assert.deepEqual(await social(), [
    { date: '2026-03-01', network: 'linkedin', metric: 'followers', value: 1525 },
    { date: '2026-03-01', network: 'linkedin', metric: 'posts', value: 3 },
  ]);
  assert.deepEqual([(await load('social', 'social.csv')).summary.imported, (await social()).length], [0, 2]);
});

test('a file with bad rows imports nothing and reports every one; --skip-invalid writes rejects', async () => {
  const before = await ws.counts();
  const r = await load('contacts', 'contacts-invalid.csv');
  assert.equal(r.committed, false);
  assert.deepEqual([r.summary.rows, r.summary.rejected, r.summary.imported], [6, 4, 0]);
  assert.deepEqual(r.issues, [
    { line: 3, column: 'email', reason: 'must be an e-mail address, got "not-an-email"' },
    {
      line: 4,
      column: 'created_at',
      reason: 'must be a date or time (ISO 8601, e.g. 2026-03-14 or 2026-03-14T09:30:00Z), got "2026-13-01"',
    },
    { line: 6, column: '(row)', reason: 'has 3 fields, the header has 6' },
    { line: 7, column: 'id', reason: 'a contact needs an id or an e-mail' },
  ]);
  assert.deepEqual(await ws.counts(), before);

  const copy = join(tmp, 'contacts-invalid.csv');
  copyFileSync(join(FIXTURES, 'contacts-invalid.csv'), copy);
  const skip = await load('contacts', copy, { skipInvalid: true });
  assert.deepEqual([skip.committed, skip.summary.imported, skip.summary.rejected], [true, 2, 4]);
  assert.equal(skip.summary.rejects_file, `${copy}.rejects.csv`);
  assert.equal(
    readFileSync(`${copy}.rejects.csv`, 'utf8'),
    [
      'line,column,reason,id,email,first_name,lifecycle_stage,created_at,mql_at',
      '3,email,"must be an e-mail address, got ""not-an-email""",c-102,not-an-email,Bad,lead,2026-01-06,',
      '4,created_at,"must be a date or time (ISO 8601, e.g. 2026-03-14 or 2026-03-14T09:30:00Z), got ""2026-13-01""",c-103,x@acme.com,Bad,other,2026-13-01,',
      '6,(row),"has 3 fields, the header has 6",c-105,z@acme.com,Short',
      '7,id,a contact needs an id or an e-mail,,,,lead,2026-01-08,',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    await rows(
      `SELECT id, lifecycle_stage, mql_at FROM @contacts WHERE id IN ('c-101', 'c-104') ORDER BY id`,
    ),
    [
      { id: 'c-101', lifecycle_stage: 'lead', mql_at: null },
      { id: 'c-104', lifecycle_stage: 'mql', mql_at: '2026-01-08T23:00:00.000Z' },
    ],
  );
});

test('a generic file without a required column is a file error', async () => {
  const path = join(tmp, 'spend-nocost.csv');
  writeFileSync(path, 'date,channel\n2026-03-01,Email\n');
  await assert.rejects(load('spend', path), (e: Error & { where?: unknown }) => {
    assert.match(e.message, /^missing column cost/);
    assert.deepEqual(e.where, { file: 'spend-nocost.csv', line: 1, field: 'cost' });
    return true;
  });
});
