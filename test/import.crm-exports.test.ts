/**
 * The first hour of a real user, over the CLI: HubSpot and Salesforce exports as they come (a
 * lifecycle stage of Other or a custom one, lead statuses and opportunity stages the preset does not
 * know, deals without an amount, deals whose contacts were never exported) import whole, in either
 * order, with warnings on stderr; the KPIs on them are exact (test/crm-exports.expected.ts).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
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
import { runCli, tempStore } from './fixtures.js';

let store: DuckDbStore;
let dataDir: string;
const tmp = mkdtempSync(join(tmpdir(), 'ns-crm-exports-'));

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  for (const slug of ['hs-cd', 'hs-dc', 'sf-cd', 'sf-dc', 'many'])
    await store.createWorkspace({ slug, timezone: 'UTC' });
});
after(() => store.close());

const cli = (args: string[]) => runCli(store, dataDir, args);
const wsOf = async (slug: string) => {
  const w = await store.getWorkspace(slug);
  assert.ok(w);
  return store.forWorkspace(w);
};

async function importKind(slug: string, kind: 'contacts' | 'deals', e: Expected, extra: string[] = []) {
  const spec = kind === 'contacts' ? e.contacts : e.deals;
  const path = join(CRM_FIXTURES, spec.file);
  const r = await cli(['import', kind, path, '--preset', spec.preset, '--workspace', slug, ...extra]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.deepEqual([summary.rows, summary.rejected], [spec.rows, 0]);
  assert.deepEqual(summary.unmapped_stage_values, spec.unmapped);
  assert.equal(
    summary.unmapped_stages,
    Object.values(spec.unmapped).reduce((a, b) => a + b, 0),
  );
  return { summary, err: r.err, path };
}

async function kpis(slug: string): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const id of Object.keys(HUBSPOT.kpis)) {
    const r = await cli([
      'kpi',
      id,
      '--from',
      Q1.from,
      '--to',
      Q1.to,
      '--workspace',
      slug,
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.err);
    out[id] = JSON.parse(r.out).rows[0]?.value ?? null;
  }
  return out;
}

async function defineDealCounts(slug: string) {
  for (const k of DEAL_COUNT_KPIS) {
    const r = await cli([
      'kpi',
      'define',
      k.id,
      '--formula',
      k.formula,
      '--unit',
      'count',
      '--workspace',
      slug,
    ]);
    assert.equal(r.code, 0, r.err);
  }
}

for (const [name, e, cd, dc] of [
  ['HubSpot', HUBSPOT, 'hs-cd', 'hs-dc'],
  ['Salesforce', SALESFORCE, 'sf-cd', 'sf-dc'],
] as const) {
  test(`${name} over the CLI, contacts then deals: every row imported, warnings grouped, exact KPIs`, async () => {
    await defineDealCounts(cd);
    const contacts = await importKind(cd, 'contacts', e);
    assert.equal(contacts.summary.imported, e.contacts.rows);
    assert.deepEqual(
      warningGroups(contacts.summary.warnings),
      e.contactStages.map(([c, v, l]) => ['unmapped_stage', c, v, l]),
    );
    // stderr: one line per group, with its lines.
    assert.deepEqual(
      contacts.err.trimEnd().split('\n'),
      e.contactStages.map(
        ([c, v, l]) =>
          `${contacts.path}: warning: ${c}: stage "${v}" has no Northstar equivalent: imported with the latest stage its dates show, else none; the value is kept in properties["${c}"] (${l.length} row${l.length === 1 ? '' : 's'}: line${l.length === 1 ? '' : 's'} ${l.join(', ')})`,
      ),
    );
    const deals = await importKind(cd, 'deals', e);
    assert.deepEqual(
      [deals.summary.imported, deals.summary.unlinked_deals, deals.summary.linked_deals],
      [7, e.unlinked.length, 0],
    );
    assert.deepEqual(warningGroups(deals.summary.warnings), dealWarnings(e, true));
    assert.equal(deals.err.trimEnd().split('\n').length, 3);
    assert.match(
      deals.err,
      new RegExp(
        `: warning: Amount: a won deal without an amount: imported; it counts in won deals and win rate, adds nothing to revenue \\(1 row: line ${e.wonWithoutAmount[0]}\\)`,
      ),
    );
    assert.deepEqual(await kpis(cd), e.kpis);
  });

  test(`${name} over the CLI, deals then contacts: deals wait for their contacts, then link`, async () => {
    await defineDealCounts(dc);
    const deals = await importKind(dc, 'deals', e);
    assert.deepEqual([deals.summary.imported, deals.summary.unlinked_deals], [7, 7]);
    assert.deepEqual(warningGroups(deals.summary.warnings), dealWarnings(e, false));
    // Before any contact: the deals count in revenue, win rate and deal counts already.
    const early = await kpis(dc);
    assert.deepEqual(
      [
        early.revenue,
        early.win_rate,
        early.deals_closed,
        early.deals_opened,
        early.lead_revenue,
        early.leads,
      ],
      [e.kpis.revenue, 0.6, 5, 7, 0, 0],
    );
    const contacts = await importKind(dc, 'contacts', e);
    assert.equal(contacts.summary.linked_deals, e.linkedLater);
    assert.deepEqual(await kpis(dc), e.kpis);
    // The same workspace as importing contacts first: every contact and deal, field for field.
    assert.deepEqual(await snapshot(await wsOf(dc)), await snapshot(await wsOf(cd)));
    // Re-importing the deals now changes nothing; the never-exported contacts are still missing.
    const again = await importKind(dc, 'deals', e);
    assert.deepEqual(
      [again.summary.skipped, again.summary.imported, again.summary.unlinked_deals],
      [7, 0, e.unlinked.length],
    );
  });
}

test('stored rows: no stage unless dated, the original stage in properties, amounts null', async () => {
  const hs = await wsOf('hs-cd');
  const contacts = await hs.query(
    `SELECT id, lifecycle_stage AS stage, strftime(lead_at, '%Y-%m-%d') AS lead, strftime(mql_at, '%Y-%m-%d') AS mql,
       properties->>'Lifecycle Stage' AS original FROM @contacts ORDER BY id`,
  );
  assert.deepEqual(contacts, [
    { id: '101', stage: 'customer', lead: '2026-01-05', mql: '2026-01-12', original: null },
    { id: '102', stage: null, lead: null, mql: null, original: 'Other' },
    { id: '103', stage: 'mql', lead: '2026-01-10', mql: '2026-01-20', original: 'Other' },
    { id: '104', stage: 'lead', lead: '2026-02-01', mql: null, original: 'Partner' },
    { id: '105', stage: 'mql', lead: '2026-02-03', mql: '2026-02-10', original: null },
    { id: '106', stage: null, lead: null, mql: null, original: 'Other' },
  ]);
  const deals = await hs.query(
    `SELECT id, contact_id, amount, stage, won, properties->>'company_id' AS company FROM @deals ORDER BY id`,
  );
  assert.deepEqual(deals, [
    { id: '9001', contact_id: '101', amount: 24000, stage: 'Closed Won', won: true, company: '5001' },
    { id: '9002', contact_id: '103', amount: null, stage: 'Closed Lost', won: false, company: '5003' },
    { id: '9003', contact_id: '105', amount: null, stage: 'Contract Sent', won: null, company: null },
    { id: '9004', contact_id: '199', amount: 6000, stage: 'Closed Won', won: true, company: '5099' },
    { id: '9005', contact_id: '104', amount: null, stage: 'Closed Won', won: true, company: null },
    { id: '9006', contact_id: '102', amount: 5000, stage: 'Verbal Commit', won: null, company: null },
    { id: '9007', contact_id: '198', amount: 3000, stage: 'Closed Lost', won: false, company: '5098' },
  ]);
  // Salesforce: linked by e-mail to the lead (the opportunity's Contact ID kept); never-exported
  // contacts keep the Contact ID and the e-mail, to link when they arrive.
  const sf = await wsOf('sf-cd');
  const opp = await sf.query(
    `SELECT id, contact_id, amount, properties->>'contact_external_id' AS external, properties->>'contact_email' AS email
     FROM @deals WHERE id IN ('0065g00000OpZ01', '0065g00000OpZ04', '0065g00000OpZ05') ORDER BY id`,
  );
  assert.deepEqual(opp, [
    {
      id: '0065g00000OpZ01',
      contact_id: '00Q5g00000LdA02',
      amount: 18000,
      external: '0035g00000CtS01',
      email: null,
    },
    {
      id: '0065g00000OpZ04',
      contact_id: '0035g00000CtS04',
      amount: 9500,
      external: null,
      email: 'ops@acmecorp.com',
    },
    {
      id: '0065g00000OpZ05',
      contact_id: '00Q5g00000LdA03',
      amount: null,
      external: '0035g00000CtS05',
      email: null,
    },
  ]);
  const leads = await sf.query(
    `SELECT id, lifecycle_stage AS stage, properties->>'Lead Status' AS status FROM @contacts ORDER BY id`,
  );
  assert.deepEqual(
    leads.map((l) => [l.id, l.stage, l.status]),
    [
      ['00Q5g00000LdA01', 'sal', 'Working - Contacted'],
      ['00Q5g00000LdA02', 'sql', 'Closed - Converted'],
      ['00Q5g00000LdA03', null, 'Partner Managed'],
      ['00Q5g00000LdA04', null, 'Recycled'],
      ['00Q5g00000LdA05', 'lead', 'Open - Not Contacted'],
    ],
  );
});

test('--skip-invalid keeps lost deals without an amount: nothing rejected, the win rate stays 0.6', async () => {
  await store.createWorkspace({ slug: 'skip', timezone: 'UTC' });
  const path = join(tmp, 'hubspot-deals.csv');
  copyFileSync(join(CRM_FIXTURES, 'hubspot-deals.csv'), path);
  const r = await cli([
    'import',
    'deals',
    path,
    '--preset',
    'hubspot-deals',
    '--workspace',
    'skip',
    '--skip-invalid',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual([JSON.parse(r.out).imported, JSON.parse(r.out).rejected], [7, 0]);
  assert.equal(existsSync(`${path}.rejects.csv`), false);
  const win = await cli([
    'kpi',
    'win_rate',
    '--from',
    Q1.from,
    '--to',
    Q1.to,
    '--workspace',
    'skip',
    '--format',
    'json',
  ]);
  assert.equal(JSON.parse(win.out).rows[0].value, 0.6);
});

test('warnings fill a screenful at most, with the count of the rest', async () => {
  // 30 custom stages, 12 rows each: 30 groups of 12 lines.
  const rows: string[] = [];
  for (let i = 0; i < 360; i++) rows.push(`c${i},custom stage ${i % 30},2026-01-0${1 + (i % 9)}`);
  const path = join(tmp, 'custom-stages.csv');
  writeFileSync(path, `id,lifecycle_stage,created_at\n${rows.join('\n')}\n`);
  const r = await cli(['import', 'contacts', path, '--workspace', 'many']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(
    [s.imported, s.unmapped_stages, Object.keys(s.unmapped_stage_values).length],
    [360, 360, 30],
  );
  assert.equal(s.warnings.length, 30);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 20);
  // Each group: its first 10 lines and how many more; groups of equal size by their first line.
  assert.equal(
    lines[0],
    `${path}: warning: lifecycle_stage: stage "custom stage 0" has no Northstar equivalent: imported with the latest stage its dates show, else none; the value is kept in properties["lifecycle_stage"] (12 rows: lines 2, 32, 62, 92, 122, 152, 182, 212, 242, 272 and 2 more)`,
  );
  assert.equal(lines[19], '… and 132 more rows with warnings (see --format json)');
  const none = await (await wsOf('many')).query(
    'SELECT count(*) AS n FROM @contacts WHERE lifecycle_stage IS NULL AND lead_at IS NULL',
  );
  assert.equal(Number(none[0]?.n), 360);
});

test('generic files: an empty amount, an unknown stage, a contact by e-mail that arrives later', async () => {
  await store.createWorkspace({ slug: 'generic', timezone: 'UTC' });
  const deals = join(tmp, 'deals.csv');
  writeFileSync(
    deals,
    'id,contact_email,amount,stage,created_at,closed_at,won\n' +
      'g-1,ana@acme.com,,lost,2026-01-10,2026-02-01,\n' +
      'g-2,ana@acme.com,1500,won,2026-01-11,2026-02-02,\n' +
      'g-3,zed@acme.com,,proposal,2026-01-12,,\n',
  );
  const d = await cli(['import', 'deals', deals, '--workspace', 'generic']);
  assert.equal(d.code, 0, d.err);
  assert.deepEqual([JSON.parse(d.out).imported, JSON.parse(d.out).unlinked_deals], [3, 3]);
  assert.equal(
    d.err,
    `${deals}: warning: contact_email: the deal's contact is not imported yet: the deal is stored and counts in revenue; it is linked when a contact with that e-mail is imported (3 rows: lines 2, 3, 4)\n`,
  );
  const contacts = join(tmp, 'contacts.csv');
  writeFileSync(
    contacts,
    'id,email,lifecycle_stage,created_at\nc-1,Ana@Acme.com,Evangelist,2026-01-05\nc-2,bo@acme.com,Other,2026-01-06\n',
  );
  const c = await cli(['import', 'contacts', contacts, '--workspace', 'generic']);
  assert.equal(c.code, 0, c.err);
  assert.deepEqual(
    [JSON.parse(c.out).linked_deals, JSON.parse(c.out).unmapped_stage_values],
    [2, { Other: 1 }],
  );
  const ws = await wsOf('generic');
  assert.deepEqual(
    await ws.query(
      `SELECT id, contact_id, amount, properties->>'contact_email' AS email FROM @deals ORDER BY id`,
    ),
    [
      { id: 'g-1', contact_id: 'c-1', amount: null, email: null },
      { id: 'g-2', contact_id: 'c-1', amount: 1500, email: null },
      { id: 'g-3', contact_id: null, amount: null, email: 'zed@acme.com' },
    ],
  );
  // Re-imported later in a stage no map knows: the stored stage stays, the value joins properties.
  const later = join(tmp, 'contacts-later.csv');
  writeFileSync(later, 'id,email,lifecycle_stage,created_at\nc-1,ana@acme.com,Other,2026-01-05\n');
  assert.equal((await cli(['import', 'contacts', later, '--workspace', 'generic'])).code, 0);
  assert.deepEqual(
    await ws.query(
      `SELECT lifecycle_stage AS stage, properties->>'lifecycle_stage' AS original FROM @contacts WHERE id = 'c-1'`,
    ),
    [{ stage: 'customer', original: 'Other' }],
  );
  const win = await cli([
    'kpi',
    'win_rate',
    '--from',
    Q1.from,
    '--to',
    Q1.to,
    '--workspace',
    'generic',
    '--format',
    'json',
  ]);
  assert.equal(JSON.parse(win.out).rows[0].value, 0.5);
});

test('a deal linked by e-mail stays linked when a later sync names only its contact id', async () => {
  await store.createWorkspace({ slug: 'resync', timezone: 'UTC' });
  const first = join(tmp, 'resync-1.csv');
  writeFileSync(
    first,
    'id,contact_id,contact_email,amount,stage,created_at,closed_at,won\nD1,H1,Jane@Acme.COM,900,won,2026-01-10,2026-02-01,true\n',
  );
  assert.equal((await cli(['import', 'deals', first, '--workspace', 'resync'])).code, 0);
  const contacts = join(tmp, 'resync-contacts.csv');
  writeFileSync(contacts, 'id,email,lifecycle_stage,created_at\nC9,jane@acme.com,lead,2026-01-05\n');
  assert.equal((await cli(['import', 'contacts', contacts, '--workspace', 'resync'])).code, 0);
  const ws = await wsOf('resync');
  const link = () =>
    ws.query(`SELECT contact_id, properties->>'contact_external_id' AS ext FROM @deals WHERE id = 'D1'`);
  assert.deepEqual(await link(), [{ contact_id: 'C9', ext: 'H1' }]);
  // The periodic sync, this time without the e-mail column.
  const second = join(tmp, 'resync-2.csv');
  writeFileSync(
    second,
    'id,contact_id,amount,stage,created_at,closed_at,won\nD1,H1,900,won,2026-01-10,2026-02-01,true\n',
  );
  const r = await cli(['import', 'deals', second, '--workspace', 'resync', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).unlinked_deals, 0);
  assert.deepEqual(await link(), [{ contact_id: 'C9', ext: 'H1' }]);
});
