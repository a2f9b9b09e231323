/**
 * `plan review` on a hand-built workspace, with the arithmetic written out: verdicts per channel and the
 * landing pages that convert too little, as the command prints them (run in-process).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EventRow } from '../src/domain/event.js';
import { planReview } from '../src/planning/plan.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, runCli, session, spendRow, tempStore } from './fixtures.js';

let store: DuckDbStore;
let dataDir: string;
let rev: WorkspaceStore;

const spend = (date: string, channel: string, cost: number) => spendRow(date, channel, cost);
const at = (s: string) => new Date(s);

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  // Channel review of 2025 (UTC).
  rev = store.forWorkspace(await store.createWorkspace({ slug: 'rev', timezone: 'UTC' }));
  const plan: Array<[string, number, number, number]> = [
    // channel, leads, customers, revenue per customer
    ['Events', 5, 1, 1000],
    ['Webinars', 25, 5, 1200],
    ['Paid Search', 30, 1, 1000],
    ['Organic Search', 40, 1, 1000],
    ['Referral', 20, 5, 200],
  ];
  const people = plan.flatMap(([channel, leads, customers]) =>
    Array.from({ length: leads }, (_, i) =>
      contact(`${channel}-${i}`, {
        originalSource: channel,
        leadAt: at('2025-03-01T00:00:00Z'),
        customerAt: i < customers ? at('2025-06-01T00:00:00Z') : null,
      }),
    ),
  );
  people.push(contact('old-lead', { originalSource: 'Events', leadAt: at('2024-12-31T12:00:00Z') }));
  await rev.upsertContacts(people);
  await rev.upsertDeals(
    plan.flatMap(([channel, , customers, amount]) =>
      Array.from({ length: customers }, (_, i) =>
        deal(
          `${channel}-d${i}`,
          `${channel}-${i}`,
          amount,
          '2025-05-01T00:00:00Z',
          '2025-06-01T00:00:00Z',
          true,
        ),
      ),
    ),
  );
  await rev.appendSpend([
    spend('2024-12-31', 'Events', 5000), // 2024
    spend('2025-04-10', 'Events', 5000),
    spend('2025-10-10', 'Events', 3000),
    spend('2025-03-15', 'Webinars', 500),
    spend('2025-09-15', 'Webinars', 500),
    spend('2025-06-01', 'Paid Search', 1000),
    spend('2026-01-01', 'Paid Search', 777), // 2026
  ]);
  // Landing pages: / 50 sessions (5 with a lead form), /blog/x 40 (0), /pricing 30 (6), /webinars 10 (4), /about 5 (0).
  const pages: Array<[string, number, number]> = [
    ['/', 50, 5],
    ['/blog/x', 40, 0],
    ['/pricing', 30, 6],
    ['/webinars', 10, 4],
    ['/about', 5, 0],
  ];
  const visits = [];
  const events: EventRow[] = [];
  let n = 0;
  for (const [path, count, converted] of pages)
    for (let i = 0; i < count; i++) {
      const id = `p${n++}`;
      const t = new Date(Date.parse('2025-02-01T10:00:00Z') + n * 3_600_000).toISOString();
      visits.push(session(id, t, 'Direct', { landingPath: path }));
      if (i < converted)
        events.push(track(id, t, path === '/pricing' && i % 2 ? 'Signed Up' : 'Form Submitted'));
    }
  events.push(track('p0', '2025-02-01T11:10:00Z', 'Form Submitted')); // a second form in one session: still one
  events.push(track('p5', '2025-02-01T16:10:00Z', 'CTA Clicked')); // not a lead form
  events.push(track(null, '2025-02-01T16:10:00Z', 'Form Submitted')); // no session
  visits.push(session('p-old', '2024-12-31T10:00:00Z', 'Direct', { landingPath: '/blog/x' }));
  events.push(track('p-old', '2024-12-31T10:01:00Z', 'Form Submitted'));
  await rev.appendSessions(visits);
  await rev.appendEvents(events);
});
after(() => store.close());

function track(sessionId: string | null, ts: string, event: string): EventRow {
  const t = new Date(Date.parse(ts) + 60_000);
  return {
    messageId: `m-${sessionId}-${event}-${ts}`,
    type: 'track',
    event,
    anonymousId: `anon-${sessionId}`,
    userId: null,
    timestamp: t,
    receivedAt: t,
    sessionId,
    channel: 'Direct',
    source: null,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    referrer: null,
    url: null,
    path: '/thank-you',
    clickIdType: null,
    clickId: null,
    revenue: null,
    value: null,
    currency: null,
    properties: {},
    context: {},
    traits: {},
  };
}

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(store, dataDir, args);
}

test('plan review: figures and verdicts per channel, pages that convert too little', async () => {
  const r = await cli([
    'plan',
    'review',
    '--year',
    '2025',
    '--workspace',
    'rev',
    '--as-of',
    '2026-03-15',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual([j.year, j.from, j.to, j.currency], [2025, '2025-01-01', '2025-12-31', 'USD']);
  // Spend 2025: Events 8000, Webinars 1000, Paid Search 1000 (2024's and 2026's rows left out).
  // Leads 120, customers 13, revenue 1000 + 6000 + 1000 + 1000 + 1000 = 10000.
  assert.deepEqual(
    j.channels.map((c: Record<string, unknown>) => [
      c.channel,
      c.spend,
      c.leads,
      c.customers,
      c.revenue,
      c.verdict,
    ]),
    [
      ['Events', 8000, 5, 1, 1000, 'cut'], // 80 % of spend, 10 % of revenue, 4.2 % of leads
      ['Webinars', 1000, 25, 5, 6000, 'double_down'], // 10 % of spend, 60 % of revenue, 5/25 ≥ 13/120
      ['Paid Search', 1000, 30, 1, 1000, 'keep'],
      ['Organic Search', 0, 40, 1, 1000, 'keep'], // no media cost
      ['Referral', 0, 20, 5, 1000, 'double_down'], // no media cost, 5/20 converts best
    ],
  );
  const webinars = j.channels[1];
  assert.deepEqual(
    [webinars.cac, webinars.cost_per_lead, webinars.roi, webinars.lead_to_customer_rate],
    [200, 40, 5, 0.2],
  );
  // Sessions 135 with 15 converting (p0's second form and the CTA click do not add any) → 0.111111;
  // median of 5, 10, 30, 40, 50 = 30; /blog/x converts 0 < 0.5 × 0.111111.
  assert.equal(j.site_conversion_rate, 0.111111);
  assert.equal(j.median_sessions, 30);
  assert.deepEqual(
    j.pages.map((p: Record<string, unknown>) => [p.path, p.sessions, p.conversions, p.flagged]),
    [
      ['/', 50, 5, false],
      ['/blog/x', 40, 0, true],
      ['/pricing', 30, 6, false],
    ],
  );
  const table = await cli(['plan', 'review', '--year', '2025', '--workspace', 'rev', '--format', 'table']);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^Channel review, 2025-01-01 to 2025-12-31\n\nchannel\s+spend\s+leads/);
  assert.match(
    table.out,
    /Webinars\s+\$1,000\s+25\s+5\s+\$6,000\s+\$200\s+\$40\s+500 %\s+20 %\s+double_down/,
  );
  assert.match(table.out, /Events .* cut\s+costs far more than it brings/);
  assert.match(table.out, /\/blog\/x\s+40\s+0\s+0 %\s+FLAG/);
  const future = await planReview(rev, { year: 2027, asOf: '2026-03-15' }).catch((e: Error) => e.message);
  assert.match(String(future), /2027 has not started yet/);
});
