/**
 * The CRM presets (HubSpot, Salesforce) against their sample exports in test/fixtures/import/, into a
 * real DuckDB store, with the stored rows checked exactly (workspace in Europe/Warsaw: the exports'
 * local times are CET/CEST).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ImportKind, importFile, runImport } from '../src/ingest/import/index.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname;
let store: DuckDbStore;
let ws: WorkspaceStore;

before(async () => {
  store = (await tempStore()).store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw' }));
});
after(() => store.close());

async function load(kind: ImportKind, name: string, preset: string, on = ws, skipInvalid = false) {
  const r = await runImport(on, {
    kind,
    file: await importFile(join(FIXTURES, name)),
    preset,
    skipInvalid,
    rejectsPath: null,
  });
  if (!skipInvalid) assert.equal(r.committed, true, JSON.stringify(r.issues));
  return r;
}

async function rows(sql: string, on: WorkspaceStore = ws): Promise<Record<string, unknown>[]> {
  return (await on.query(sql)).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v instanceof Date
          ? v.toISOString()
          : (k === 'properties' || k === 'context') && typeof v === 'string'
            ? JSON.parse(v)
            : v,
      ]),
    ),
  );
}

const CONTACTS = `SELECT id, email, first_name, last_name, company, industry, job_title, country, lifecycle_stage,
  original_source, owner, created_at, subscriber_at, lead_at, mql_at, sal_at, sql_at, opportunity_at, customer_at,
  properties FROM @contacts WHERE id IN ($a, $b, $c, $d) ORDER BY id`;
const DEALS = `SELECT id, contact_id, name, amount, currency, stage, pipeline, owner, created_at, closed_at, won,
  properties FROM @deals WHERE id IN ($a, $b, $c) ORDER BY id`;
const noDates = {
  subscriber_at: null,
  lead_at: null,
  mql_at: null,
  sal_at: null,
  sql_at: null,
  opportunity_at: null,
  customer_at: null,
};

test('hubspot-contacts: Record ID, labels and internal stage names, Became a … dates, source names', async () => {
  const r = await load('contacts', 'hubspot-contacts.csv', 'hubspot-contacts');
  assert.deepEqual([r.summary.rows, r.summary.imported, r.summary.history], [4, 4, 11]);
  const got = await ws.query(CONTACTS, { a: '51', b: '52', c: '53', d: '54' });
  assert.equal(got.length, 4);
  assert.deepEqual(await rows(CONTACTS.replace('($a, $b, $c, $d)', "('51', '52', '53', '54')")), [
    {
      id: '51',
      email: 'ana@acme.com',
      first_name: 'Ana',
      last_name: 'Nowak',
      company: 'Acme',
      industry: 'COMPUTER_SOFTWARE',
      job_title: 'CMO',
      country: 'Poland',
      lifecycle_stage: 'customer',
      original_source: 'Organic Search',
      owner: 'Maria Lopez',
      created_at: '2026-01-05T08:12:00.000Z',
      ...noDates,
      lead_at: '2026-01-05T08:12:00.000Z',
      mql_at: '2026-01-20T10:00:00.000Z',
      sql_at: '2026-02-02T13:45:00.000Z',
      opportunity_at: '2026-02-10T09:00:00.000Z',
      customer_at: '2026-03-02T15:30:00.000Z',
      properties: {
        'Phone Number': '+48 600 100 200',
        'Original Source Drill-Down 1': 'google',
        'Last Activity Date': '2026-03-10 08:00',
      },
    },
    {
      id: '52',
      email: 'ben@orbit.io',
      first_name: 'Ben',
      last_name: 'Okafor',
      company: 'Orbit',
      industry: null,
      job_title: 'Growth lead',
      country: 'Nigeria',
      lifecycle_stage: 'mql',
      original_source: 'Paid Search',
      owner: null,
      created_at: '2026-02-03T12:30:00.000Z',
      ...noDates,
      lead_at: '2026-02-03T12:30:00.000Z',
      mql_at: '2026-02-04T07:00:00.000Z',
      properties: { 'Lead Status': 'Open' },
    },
    {
      id: '53',
      email: 'chen@kite.cn',
      first_name: 'Chen',
      last_name: 'Li',
      company: 'Kite',
      industry: null,
      job_title: null,
      country: 'China',
      lifecycle_stage: 'sql',
      original_source: 'Direct',
      owner: 'Maria Lopez',
      created_at: '2026-02-11T09:00:00.000Z',
      ...noDates,
      lead_at: '2026-02-11T09:00:00.000Z',
      mql_at: '2026-02-20T08:30:00.000Z',
      sql_at: '2026-02-20T08:30:00.000Z',
      properties: { 'Lead Status': 'In Progress', import_filled_stages: ['mql'] },
    },
    {
      id: '54',
      email: 'dee@hart.us',
      first_name: 'Dee',
      last_name: 'Hart',
      company: null,
      industry: null,
      job_title: null,
      country: 'United States',
      lifecycle_stage: 'subscriber',
      original_source: 'Email',
      owner: null,
      created_at: '2026-02-28T06:45:00.000Z',
      ...noDates,
      subscriber_at: '2026-02-28T06:45:00.000Z',
      properties: null,
    },
  ]);
});

test('hubspot-deals: stage ids as labels, Is Closed Won / Is Deal Closed?, associated contact, Date entered columns', async () => {
  const r = await load('deals', 'hubspot-deals.csv', 'hubspot-deals');
  assert.deepEqual([r.summary.imported, r.summary.history], [3, 4]);
  const entered = (stage: string) => `Date entered "${stage} (Sales Pipeline)"`;
  assert.deepEqual(await rows(DEALS.replace('($a, $b, $c)', "('9001', '9002', '9003')")), [
    {
      id: '9001',
      contact_id: '51',
      name: 'Acme - annual',
      amount: 24000,
      currency: 'USD',
      stage: 'Closed Won',
      pipeline: 'Sales Pipeline',
      owner: 'Maria Lopez',
      created_at: '2026-02-10T09:00:00.000Z',
      closed_at: '2026-03-02T15:30:00.000Z',
      won: true,
      properties: {
        'Deal Type': 'newbusiness',
        'Associated Contact': 'Ana Nowak (ana@acme.com)',
        'Is Closed Won': 'true',
        'Is Deal Closed?': 'true',
        [entered('Appointment Scheduled')]: '2026-02-10 10:00',
        [entered('Closed Won')]: '2026-03-02 16:30',
      },
    },
    {
      id: '9002',
      contact_id: '53',
      name: 'Kite - pilot',
      amount: 3500,
      currency: 'USD',
      stage: 'Appointment Scheduled',
      pipeline: 'Sales Pipeline',
      owner: 'Maria Lopez',
      created_at: '2026-02-21T08:00:00.000Z',
      closed_at: null,
      won: null,
      properties: {
        'Deal Type': 'newbusiness',
        'Associated Contact': 'Chen Li (chen@kite.cn)',
        'Is Closed Won': 'false',
        'Is Deal Closed?': 'false',
        [entered('Appointment Scheduled')]: '2026-02-21 09:00',
        expected_close_date: '2026-04-14T22:00:00.000Z',
      },
    },
    {
      id: '9003',
      contact_id: '52',
      name: 'Orbit - team',
      amount: 1200,
      currency: 'USD',
      stage: 'Closed Lost',
      pipeline: 'Sales Pipeline',
      owner: null,
      created_at: '2026-02-05T11:00:00.000Z',
      closed_at: '2026-03-05T11:00:00.000Z',
      won: false,
      properties: {
        'Associated Contact': 'Ben Okafor (ben@orbit.io)',
        'Is Closed Won': 'false',
        'Is Deal Closed?': 'true',
      },
    },
  ]);
  assert.deepEqual(
    await rows('SELECT deal_id, stage, changed_at FROM @deal_stage_history ORDER BY deal_id, changed_at'),
    [
      { deal_id: '9001', stage: 'Appointment Scheduled', changed_at: '2026-02-10T09:00:00.000Z' },
      { deal_id: '9001', stage: 'Closed Won', changed_at: '2026-03-02T15:30:00.000Z' },
      { deal_id: '9002', stage: 'Appointment Scheduled', changed_at: '2026-02-21T08:00:00.000Z' },
      { deal_id: '9003', stage: 'Closed Lost', changed_at: '2026-03-05T11:00:00.000Z' },
    ],
  );
  const again = await load('deals', 'hubspot-deals.csv', 'hubspot-deals');
  assert.deepEqual([again.summary.skipped, again.summary.history], [3, 0]);
});

test('salesforce-leads: US dates, Lead Status and Converted as stages, the footer is not data', async () => {
  const r = await load('contacts', 'salesforce-leads.csv', 'salesforce-leads');
  assert.deepEqual([r.summary.rows, r.summary.imported, r.summary.history], [3, 3, 7]);
  const ids = "('00Q5g00000AbCdE', '00Q5g00000AbCdF', '00Q5g00000AbCdG', '-')";
  assert.deepEqual(await rows(CONTACTS.replace('($a, $b, $c, $d)', ids)), [
    {
      id: '00Q5g00000AbCdE',
      email: 'maria@solarridge.com',
      first_name: 'Maria',
      last_name: 'Garcia',
      company: 'Solar Ridge',
      industry: 'Energy',
      job_title: 'VP Marketing',
      country: 'Spain',
      lifecycle_stage: 'sal',
      original_source: 'Web',
      owner: 'Tom Baker',
      created_at: '2026-03-01T23:00:00.000Z',
      ...noDates,
      lead_at: '2026-03-01T23:00:00.000Z',
      mql_at: '2026-03-01T23:00:00.000Z',
      sal_at: '2026-03-01T23:00:00.000Z',
      properties: {
        'Lead Status': 'Working - Contacted',
        Converted: '0',
        Rating: 'Warm',
        import_filled_stages: ['sal', 'mql'],
      },
    },
    {
      id: '00Q5g00000AbCdF',
      email: 'sam@pine.co',
      first_name: 'Sam',
      last_name: 'Lee',
      company: 'Pine & Co',
      industry: 'Retail',
      job_title: null,
      country: 'United States',
      lifecycle_stage: 'sql',
      original_source: 'Trade Show',
      owner: 'Tom Baker',
      created_at: '2026-02-13T23:00:00.000Z',
      ...noDates,
      lead_at: '2026-02-13T23:00:00.000Z',
      mql_at: '2026-03-08T23:00:00.000Z',
      sql_at: '2026-03-08T23:00:00.000Z',
      properties: {
        'Lead Status': 'Closed - Converted',
        Converted: '1',
        Rating: 'Hot',
        import_filled_stages: ['mql'],
      },
    },
    {
      id: '00Q5g00000AbCdG',
      email: 'ola@fjord.no',
      first_name: 'Ola',
      last_name: 'Berg',
      company: 'Fjord AS',
      industry: null,
      job_title: 'CTO',
      country: 'Norway',
      lifecycle_stage: 'lead',
      original_source: 'Partner Referral',
      owner: null,
      created_at: '2026-03-13T23:00:00.000Z',
      ...noDates,
      lead_at: '2026-03-13T23:00:00.000Z',
      properties: { 'Lead Status': 'Open - Not Contacted', Converted: '0' },
    },
  ]);
});

test('salesforce-opportunities: "USD 18,000.00", Won/Closed, the contact by e-mail', async () => {
  const r = await load('deals', 'salesforce-opportunities.csv', 'salesforce-opportunities');
  assert.deepEqual([r.summary.rows, r.summary.imported, r.summary.history], [2, 2, 2]);
  assert.deepEqual(await rows(DEALS.replace('($a, $b, $c)', "('0065g00000XyZ01', '0065g00000XyZ02', '-')")), [
    {
      id: '0065g00000XyZ01',
      contact_id: '00Q5g00000AbCdF',
      name: 'Pine & Co - Platform',
      amount: 18000,
      currency: 'USD',
      stage: 'Closed Won',
      pipeline: null,
      owner: 'Tom Baker',
      created_at: '2026-03-08T23:00:00.000Z',
      closed_at: '2026-03-19T23:00:00.000Z',
      won: true,
      properties: { 'Account Name': 'Pine & Co', 'Lead Source': 'Trade Show', Won: '1', Closed: '1' },
    },
    {
      id: '0065g00000XyZ02',
      contact_id: '00Q5g00000AbCdE',
      name: 'Solar Ridge - Pilot',
      amount: 4500,
      currency: 'USD',
      stage: 'Proposal/Price Quote',
      pipeline: null,
      owner: 'Tom Baker',
      created_at: '2026-03-09T23:00:00.000Z',
      closed_at: null,
      won: null,
      properties: {
        'Account Name': 'Solar Ridge',
        'Lead Source': 'Web',
        Won: '0',
        Closed: '0',
        expected_close_date: '2026-04-29T22:00:00.000Z',
      },
    },
  ]);
});
