/**
 * The ad and analytics presets (Google Ads, Meta Ads, GA4's BigQuery export) against their sample
 * exports in test/fixtures/import/, into a real DuckDB store, with the stored rows checked exactly.
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

const SPEND = `SELECT strftime(date, '%Y-%m-%d') AS date, channel, source, medium, campaign, cost, currency, impressions,
  clicks, reach FROM @spend ORDER BY date, campaign`;

test('google-ads: title lines and Total rows left out, thousands separators, channel by campaign type', async () => {
  const r = await load('spend', 'google-ads.csv', 'google-ads');
  assert.deepEqual([r.summary.rows, r.summary.imported], [4, 4]);
  const g = { source: 'google', medium: 'cpc', currency: 'USD', reach: null };
  assert.deepEqual(await rows(SPEND), [
    {
      date: '2026-03-01',
      channel: 'Paid Search',
      ...g,
      campaign: 'Brand - Search',
      cost: 1234.56,
      impressions: 12345,
      clicks: 456,
    },
    {
      date: '2026-03-01',
      channel: 'Paid Shopping',
      ...g,
      campaign: 'Shopping - All products',
      cost: 310,
      impressions: 8020,
      clicks: 190,
    },
    {
      date: '2026-03-01',
      channel: 'Paid Video',
      ...g,
      source: 'youtube',
      campaign: 'YouTube - Awareness',
      cost: 95.2,
      impressions: 40100,
      clicks: 80,
    },
    {
      date: '2026-03-02',
      channel: 'Paid Search',
      ...g,
      campaign: 'Brand - Search',
      cost: 1100,
      impressions: 11002,
      clicks: 401,
    },
  ]);
  assert.equal((await load('spend', 'google-ads.csv', 'google-ads')).summary.skipped, 4);
});

test('google-ads as Excel CSV: UTF-16 with a byte order mark, tab-separated', async () => {
  const other = store.forWorkspace(await store.createWorkspace({ slug: 'utf16', timezone: 'UTC' }));
  const csv = readFileSync(join(FIXTURES, 'google-ads.csv'), 'utf8');
  // The same report as Google's "Excel CSV" download: tabs, UTF-16LE, BOM (no quoting needed).
  const tsv = csv
    .split('\n')
    .map((line) =>
      (line.match(/("[^"]*"|[^,]+|(?<=,)(?=,|$))/g) ?? []).map((f) => f.replace(/^"|"$/g, '')).join('\t'),
    )
    .join('\r\n');
  const dir = mkdtempSync(join(tmpdir(), 'ns-utf16-'));
  writeFileSync(
    join(dir, 'report.csv'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]),
  );
  const r = await runImport(other, {
    kind: 'spend',
    file: await importFile(join(dir, 'report.csv')),
    preset: 'google-ads',
  });
  assert.equal(r.committed, true, JSON.stringify(r.issues));
  assert.deepEqual(
    (await rows(SPEND, other)).map((x) => [x.date, x.campaign, x.cost, x.impressions]),
    [
      ['2026-03-01', 'Brand - Search', 1234.56, 12345],
      ['2026-03-01', 'Shopping - All products', 310, 8020],
      ['2026-03-01', 'YouTube - Awareness', 95.2, 40100],
      ['2026-03-02', 'Brand - Search', 1100, 11002],
    ],
  );
});

test('meta-ads: Amount spent (EUR), one row per day; a row covering a month is rejected', async () => {
  const eu = store.forWorkspace(
    await store.createWorkspace({ slug: 'eu', timezone: 'Europe/Warsaw', currency: 'EUR' }),
  );
  const strict = await runImport(eu, {
    kind: 'spend',
    file: await importFile(join(FIXTURES, 'meta-ads.csv')),
    preset: 'meta-ads',
  });
  assert.deepEqual([strict.committed, strict.summary.rejected, (await eu.counts()).spend], [false, 1, 0]);
  const dir = mkdtempSync(join(tmpdir(), 'ns-meta-'));
  copyFileSync(join(FIXTURES, 'meta-ads.csv'), join(dir, 'meta-ads.csv'));
  const r = await runImport(eu, {
    kind: 'spend',
    file: await importFile(join(dir, 'meta-ads.csv')),
    preset: 'meta-ads',
    skipInvalid: true,
  });
  assert.deepEqual([r.summary.imported, r.summary.rejected], [2, 1]);
  assert.deepEqual(r.issues, [
    {
      line: 4,
      column: 'Reporting starts',
      reason: 'covers 2026-03-01 to 2026-03-31: export one row per day (Breakdown → By time → Day)',
    },
  ]);
  assert.match(
    readFileSync(join(dir, 'meta-ads.csv.rejects.csv'), 'utf8'),
    /^line,column,reason,Reporting starts,/,
  );
  const m = {
    channel: 'Paid Social',
    source: 'facebook',
    medium: 'paid_social',
    campaign: 'Spring promo - Leads',
    currency: 'EUR',
  };
  assert.deepEqual(await rows(SPEND, eu), [
    { date: '2026-03-01', ...m, cost: 210.35, impressions: 15400, clicks: 310, reach: 9120 },
    { date: '2026-03-02', ...m, cost: 198.1, impressions: 13950, clicks: 280, reach: 8004 },
  ]);
  // In a USD workspace the EUR amounts are refused.
  const usd = await load('spend', 'meta-ads.csv', 'meta-ads', ws, true);
  assert.deepEqual(usd.issues[0], {
    line: 2,
    column: 'Amount spent',
    reason: "is in EUR, the workspace's currency is USD (convert first)",
  });
});

test('ga4-bigquery: rows as page/track messages with stable ids, params, campaign, gclid, revenue, user link', async () => {
  const r = await load('events', 'ga4-bigquery.ndjson', 'ga4-bigquery');
  assert.deepEqual(
    [r.summary.rows, r.summary.imported, r.summary.sessions, r.summary.identities],
    [6, 6, 4, 1],
  );
  const events = await rows(
    `SELECT message_id, type, event, anonymous_id, user_id, ts, channel, source, medium, campaign, click_id_type,
            click_id, revenue, value, currency, path FROM @events ORDER BY ts`,
  );
  for (const e of events) assert.match(String(e.message_id), /^ga4-[0-9a-f]{32}$/);
  const visitor = '1234567.1700000000';
  const mail = { channel: 'Email', source: 'newsletter', medium: 'email', campaign: 'march' };
  const none = { click_id_type: null, click_id: null, revenue: null, value: null, currency: null };
  assert.deepEqual(
    events.map(({ message_id, ...e }) => e),
    [
      {
        type: 'page',
        event: 'Attribution 101',
        anonymous_id: visitor,
        user_id: null,
        ts: '2026-03-13T18:00:00.000Z',
        channel: 'Organic Social',
        source: 'linkedin.com',
        medium: 'referral',
        campaign: null,
        ...none,
        path: '/blog/attribution',
      },
      {
        type: 'page',
        event: 'Acme',
        anonymous_id: '999.111',
        user_id: null,
        ts: '2026-03-14T09:10:00.000Z',
        channel: 'Paid Search',
        source: 'google',
        medium: 'cpc',
        campaign: 'brand',
        ...none,
        click_id_type: 'gclid',
        click_id: 'Cj0KCQjw-abc',
        path: '/',
      },
      {
        type: 'page',
        event: 'Pricing',
        anonymous_id: visitor,
        user_id: null,
        ts: '2026-03-14T09:20:00.000Z',
        ...mail,
        ...none,
        path: '/pricing',
      },
      {
        type: 'track',
        event: 'scroll',
        anonymous_id: visitor,
        user_id: null,
        ts: '2026-03-14T09:21:30.000Z',
        ...mail,
        ...none,
        path: '/pricing',
      },
      {
        type: 'track',
        event: 'generate_lead',
        anonymous_id: visitor,
        user_id: 'u-77',
        ts: '2026-03-14T09:25:00.000Z',
        ...mail,
        ...none,
        value: 50,
        currency: 'USD',
        path: '/demo',
      },
      {
        type: 'track',
        event: 'purchase',
        anonymous_id: '999.111',
        user_id: null,
        ts: '2026-03-14T10:00:00.000Z',
        channel: 'Direct',
        source: null,
        medium: null,
        campaign: null,
        ...none,
        revenue: 49.9,
        value: 49.9,
        currency: 'USD',
        path: '/checkout/done',
      },
    ],
  );
  const [purchase] = await rows(`SELECT properties, context FROM @events WHERE event = 'purchase'`);
  assert.deepEqual(purchase?.properties, {
    page_location: 'https://acme.com/checkout/done',
    currency: 'USD',
    value: 49.9,
    transaction_id: 'T-1001',
    ga_session_id: 1773479400,
    revenue: 49.9,
    order_id: 'T-1001',
  });
  assert.equal(
    (purchase?.context as { ga4?: { event_date?: string } } | undefined)?.ga4?.event_date,
    '20260314',
  );
  assert.deepEqual(await rows('SELECT anonymous_id, user_id, first_seen, via FROM @identities'), [
    { anonymous_id: visitor, user_id: 'u-77', first_seen: '2026-03-14T09:25:00.000Z', via: 'import' },
  ]);
  const again = await load('events', 'ga4-bigquery.ndjson', 'ga4-bigquery');
  assert.deepEqual([again.summary.imported, again.summary.skipped], [0, 6]);
});

test('a preset for another kind, or for the other format, is a clear error', async () => {
  await assert.rejects(
    load('deals', 'hubspot-contacts.csv', 'hubspot-contacts'),
    /preset hubspot-contacts imports contacts, not deals/,
  );
  await assert.rejects(
    load('contacts', 'hubspot-contacts.csv', 'nope'),
    /unknown preset "nope" \(hubspot-contacts, /,
  );
  await assert.rejects(load('events', 'google-ads.csv', 'ga4-bigquery'), /events are imported from NDJSON/);
  await assert.rejects(
    load('spend', 'spend.csv', 'google-ads'),
    /no header row with the columns of a google-ads export \(Day, Campaign, Cost\) in the first 50 rows/,
  );
});
