/**
 * Generic contacts and deals imports into a real DuckDB store: exact stored rows, lifecycle dates and
 * history, idempotent re-imports and merges, deal references.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

const CONTACT_COLS = `id, email, first_name, last_name, company, job_title, country, lifecycle_stage, original_source,
  owner, created_at, subscriber_at, lead_at, mql_at, sql_at, customer_at, properties`;

test('contacts: fields, lifecycle dates, extra columns as properties, stage history', async () => {
  const r = await load('contacts', 'contacts.csv');
  assert.equal(r.committed, true);
  assert.deepEqual(
    { rows: r.summary.rows, imported: r.summary.imported, history: r.summary.history },
    { rows: 4, imported: 4, history: 8 },
  );
  const base = { subscriber_at: null, mql_at: null, sql_at: null, customer_at: null, properties: null };
  assert.deepEqual(await rows(`SELECT ${CONTACT_COLS} FROM @contacts ORDER BY id`), [
    {
      id: 'c-001',
      email: 'ana@acme.com',
      first_name: 'Ana',
      last_name: 'Nowak',
      company: 'Acme, Inc.',
      job_title: 'CMO',
      country: 'PL',
      lifecycle_stage: 'customer',
      original_source: 'Organic Search',
      owner: 'maria@northstar.dev',
      created_at: '2026-01-04T23:00:00.000Z',
      subscriber_at: null,
      lead_at: '2026-01-04T23:00:00.000Z',
      mql_at: '2026-01-20T10:00:00.000Z',
      sql_at: '2026-03-02T14:30:00.000Z',
      customer_at: '2026-03-02T14:30:00.000Z',
      properties: { favorite_color: 'blue', import_filled_stages: ['sql'] },
    },
    {
      ...base,
      id: 'c-002',
      email: 'bob@example.com',
      first_name: 'Bob',
      last_name: 'O"Brien',
      company: 'Example Ltd',
      job_title: 'Head of\r\nGrowth',
      country: 'IE',
      lifecycle_stage: 'mql',
      original_source: 'Paid Search',
      owner: null,
      created_at: '2026-02-10T08:15:00.000Z',
      lead_at: '2026-02-10T08:15:00.000Z',
      mql_at: '2026-02-11T23:00:00.000Z',
    },
    {
      ...base,
      id: 'c-003',
      email: null,
      first_name: 'Cleo',
      last_name: 'Smith',
      company: null,
      job_title: null,
      country: null,
      lifecycle_stage: 'subscriber',
      original_source: null,
      owner: null,
      created_at: '2026-02-14T23:00:00.000Z',
      subscriber_at: '2026-02-14T23:00:00.000Z',
      lead_at: null,
      properties: { favorite_color: 'green' },
    },
    {
      ...base,
      id: 'dan@d.io',
      email: 'dan@d.io',
      first_name: 'Dan',
      last_name: null,
      company: null,
      job_title: null,
      country: null,
      lifecycle_stage: 'lead',
      original_source: 'Email',
      owner: null,
      created_at: '2026-02-28T23:00:00.000Z',
      lead_at: '2026-02-28T23:00:00.000Z',
    },
  ]);
  const history = await rows(
    'SELECT contact_id, stage, changed_at, reason FROM @contact_stage_history ORDER BY contact_id, changed_at, stage',
  );
  const h = (contact_id: string, stage: string, changed_at: string) => ({
    contact_id,
    stage,
    changed_at,
    reason: 'import:contacts.csv',
  });
  assert.deepEqual(history, [
    h('c-001', 'lead', '2026-01-04T23:00:00.000Z'),
    h('c-001', 'mql', '2026-01-20T10:00:00.000Z'),
    h('c-001', 'customer', '2026-03-02T14:30:00.000Z'),
    h('c-001', 'sql', '2026-03-02T14:30:00.000Z'),
    h('c-002', 'lead', '2026-02-10T08:15:00.000Z'),
    h('c-002', 'mql', '2026-02-11T23:00:00.000Z'),
    h('c-003', 'subscriber', '2026-02-14T23:00:00.000Z'),
    h('dan@d.io', 'lead', '2026-02-28T23:00:00.000Z'),
  ]);
});

test('contacts: a re-import changes nothing; an update merges and adds only the new stage', async () => {
  const again = await load('contacts', 'contacts.csv');
  assert.deepEqual(
    [again.summary.imported, again.summary.updated, again.summary.skipped, again.summary.history],
    [0, 0, 4, 0],
  );
  const path = join(tmp, 'contacts-update.csv');
  writeFileSync(
    path,
    'id,lifecycle_stage,sql_at,created_at\nc-002,sql,2026-03-05T10:00:00Z,2026-02-10T09:15:00\n',
  );
  const upd = await load('contacts', path);
  assert.deepEqual([upd.summary.updated, upd.summary.history], [1, 1]);
  assert.deepEqual(
    await rows(
      `SELECT email, job_title, lifecycle_stage, mql_at, sql_at, properties FROM @contacts WHERE id = 'c-002'`,
    ),
    [
      {
        email: 'bob@example.com', // a blank (absent) cell keeps the stored value
        job_title: 'Head of\r\nGrowth',
        lifecycle_stage: 'sql',
        mql_at: '2026-02-11T23:00:00.000Z', // the earliest known date is kept
        sql_at: '2026-03-05T10:00:00.000Z',
        properties: { import_filled_stages: ['mql'] },
      },
    ],
  );
  assert.deepEqual(
    await rows(
      `SELECT stage, changed_at, reason FROM @contact_stage_history WHERE contact_id = 'c-002' AND stage = 'sql'`,
    ),
    [{ stage: 'sql', changed_at: '2026-03-05T10:00:00.000Z', reason: 'import:contacts-update.csv' }],
  );
});

test('deals: contact by id or e-mail, won from the stage or `won`, open deals keep the expected close', async () => {
  const r = await load('deals', 'deals.csv');
  assert.equal(r.committed, true, JSON.stringify(r.issues));
  assert.deepEqual([r.summary.imported, r.summary.history], [4, 4]);
  const common = { currency: 'USD', pipeline: 'Sales', owner: 'ana' };
  assert.deepEqual(
    await rows(
      'SELECT id, contact_id, name, amount, currency, stage, pipeline, owner, created_at, closed_at, won, properties FROM @deals ORDER BY id',
    ),
    [
      {
        ...common,
        id: 'd-1',
        contact_id: 'c-001',
        name: 'Acme annual',
        amount: 12000,
        stage: 'Closed Won',
        created_at: '2026-01-31T23:00:00.000Z',
        closed_at: '2026-03-01T23:00:00.000Z',
        won: true,
        properties: { source_campaign: 'spring' },
      },
      {
        ...common,
        id: 'd-2',
        contact_id: 'c-002',
        name: 'Example pilot',
        amount: 2500,
        stage: 'proposal',
        created_at: '2026-02-19T23:00:00.000Z',
        closed_at: null,
        won: null,
        properties: { expected_close_date: '2026-04-29T22:00:00.000Z' },
      },
      {
        ...common,
        id: 'd-3',
        contact_id: 'c-001',
        name: 'Acme add-on',
        amount: 800,
        stage: 'closedlost',
        created_at: '2026-02-25T12:00:00.000Z',
        closed_at: '2026-03-10T12:00:00.000Z',
        won: false,
        properties: null,
      },
      {
        id: 'd-4',
        contact_id: null,
        name: 'Walk-in',
        amount: 300,
        currency: 'USD',
        stage: 'won stage',
        pipeline: null,
        owner: null,
        created_at: '2026-02-28T23:00:00.000Z',
        closed_at: '2026-03-04T23:00:00.000Z',
        won: true,
        properties: null,
      },
    ],
  );
  const history = () =>
    rows('SELECT deal_id, stage, changed_at FROM @deal_stage_history ORDER BY deal_id, changed_at');
  assert.deepEqual(await history(), [
    { deal_id: 'd-1', stage: 'Closed Won', changed_at: '2026-03-01T23:00:00.000Z' },
    { deal_id: 'd-2', stage: 'proposal', changed_at: '2026-02-19T23:00:00.000Z' },
    { deal_id: 'd-3', stage: 'closedlost', changed_at: '2026-03-10T12:00:00.000Z' },
    { deal_id: 'd-4', stage: 'won stage', changed_at: '2026-03-04T23:00:00.000Z' },
  ]);
  const again = await load('deals', 'deals.csv');
  assert.deepEqual([again.summary.skipped, again.summary.history], [4, 0]);
  // An open deal seen in a new stage: recorded once, at the time it was seen.
  const path = join(tmp, 'deals-moved.csv');
  writeFileSync(path, 'id,contact_id,amount,stage,created_at\nd-2,c-002,2500,negotiation,2026-02-20\n');
  const moved = await load('deals', path);
  assert.deepEqual([moved.summary.updated, moved.summary.history], [1, 1]);
  assert.deepEqual(
    (await history()).filter((h) => h.deal_id === 'd-2'),
    [
      { deal_id: 'd-2', stage: 'proposal', changed_at: '2026-02-19T23:00:00.000Z' },
      { deal_id: 'd-2', stage: 'negotiation', changed_at: NOW.toISOString() },
    ],
  );
  assert.equal((await load('deals', path)).summary.history, 0);
});

test('deals: a closed deal without closed_at or another currency is a bad row; an unknown contact is not', async () => {
  const path = join(tmp, 'deals-bad.csv');
  writeFileSync(
    path,
    'id,contact_id,contact_email,amount,currency,stage,created_at,closed_at\n' +
      'x-1,nope,,10,,open,2026-03-01,\nx-2,,who@nowhere.io,10,,open,2026-03-01,\n' +
      'x-3,,,10,,Closed Won,2026-03-01,\nx-4,,,10,EUR,open,2026-03-01,\n',
  );
  const r = await load('deals', path);
  assert.equal(r.committed, false);
  assert.deepEqual(r.issues, [
    { line: 4, column: 'closed_at', reason: 'is required for a closed deal (won)' },
    { line: 5, column: 'currency', reason: "is in EUR, the workspace's currency is USD (convert first)" },
  ]);
  assert.equal((await rows(`SELECT count(*) AS n FROM @deals WHERE id LIKE 'x-%'`))[0]?.n, 0);
});
