/**
 * `plan roadmap` on a hand-built workspace whose every figure is worked out below: the ranking, the
 * drafted objectives (baseline, target, owner), `--out` → `goals lint` → `goals apply`, and the JSON API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../src/core/errors.js';
import type { ContactRow, DealRow } from '../src/domain/crm.js';
import { applyPlanText } from '../src/goals/plan.apply.js';
import { planRoadmap } from '../src/planning/plan.roadmap.js';
import { installAccess } from '../src/server/access.js';
import { planRoutes } from '../src/server/routes/plan.route.js';
import { Sessions } from '../src/server/sessions.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, runCli, spendRow, tempStore } from './fixtures.js';

let store: DuckDbStore;
let dataDir: string;
let ws: WorkspaceStore;
let app: FastifyInstance;
let readKey = '';
const dir = mkdtempSync(join(tmpdir(), 'roadmap-'));
const AS_OF = '2026-06-30';

/** One batch of contacts: n leads on `day`, the first `m` MQLs, `s` SQLs, `c` customers (won deals). */
type Batch = [channel: string, day: string, n: number, m: number, s: number, c: number, amount: number];
// The last 12 months (2025-07-01 … 2026-06-30), by quarter:
//              leads            MQLs            SQLs            customers
// Webinars     6, 8, 12, 14     3, 4, 6, 7      2, 2, 3, 3      2, 2, 2, 2   (10,000 each)
// Events       –, 10, –, –      –, 5, –, –      –, 2, –, –      –, 1, –, –   (5,000)
// Organic      12, 12, 13, 13   6, 6, 6, 7      2, 2, 2, 2      –, –, 1, –   (10,000)
const BATCHES: Batch[] = [
  ['Webinars', '2025-08-15', 6, 3, 2, 2, 10_000],
  ['Webinars', '2025-11-14', 8, 4, 2, 2, 10_000],
  ['Webinars', '2026-02-13', 12, 6, 3, 2, 10_000],
  ['Webinars', '2026-05-15', 14, 7, 3, 2, 10_000],
  ['Events', '2025-11-10', 10, 5, 2, 1, 5_000],
  ['Organic Search', '2025-08-15', 12, 6, 2, 0, 0],
  ['Organic Search', '2025-11-14', 12, 6, 2, 0, 0],
  ['Organic Search', '2026-02-13', 13, 6, 2, 1, 10_000],
  ['Organic Search', '2026-05-15', 13, 7, 2, 0, 0],
];

const PLAN = `goals:
  - id: grow
    title: Grow revenue
    owner: ceo@example.com
    objectives:
      - id: q2-revenue
        title: Revenue of the second quarter
        kpi: revenue
        baseline: 25000
        target: 26000
        start: 2026-04-01
        due: 2026-06-30
        owner: cro@example.com
      - id: webinar-leads-q2
        title: 14 webinar leads in Q2
        kpi: leads
        filter: {channel: Webinars}
        baseline: 12
        target: 14
        start: 2026-04-01
        due: 2026-06-30
        owner: webinars@example.com
      - id: sqls-q2
        title: Keep 5 SQLs in Q2
        kpi: sqls
        baseline: 5
        target: 5
        direction: stay_above
        start: 2026-04-01
        due: 2026-06-30
        owner: sdr@example.com
`;

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'rm', timezone: 'UTC' }));
  const contacts: ContactRow[] = [];
  const deals: DealRow[] = [];
  let k = 0;
  for (const [channel, day, n, m, s, c, amount] of BATCHES) {
    for (let i = 0; i < n; i++) {
      const id = `c${k++}`;
      const at = (d: number) => new Date(Date.parse(`${day}T10:00:00Z`) + d * 86_400_000);
      contacts.push(
        contact(id, {
          originalSource: channel,
          leadAt: at(0),
          mqlAt: i < m ? at(1) : null,
          sqlAt: i < s ? at(2) : null,
          customerAt: i < c ? at(3) : null,
        }),
      );
      if (i < c) deals.push(deal(`d${id}`, id, amount, at(2).toISOString(), at(3).toISOString(), true));
    }
  }
  await ws.upsertContacts(contacts);
  await ws.upsertDeals(deals);
  await ws.appendSpend([
    ...['2025-08-13', '2025-11-12', '2026-02-11', '2026-05-13'].map((d) => spendRow(d, 'Webinars', 250)),
    spendRow('2025-11-10', 'Events', 20_000),
  ]);
  await applyPlanText(ws, PLAN, 'plan.yaml', 'test');
  const bare = store.forWorkspace(await store.createWorkspace({ slug: 'bare', timezone: 'UTC' }));
  await bare.upsertContacts(
    Array.from({ length: 30 }, (_, i) =>
      contact(`b${i}`, {
        originalSource: 'Webinars',
        leadAt: new Date('2026-03-02T10:00:00Z'),
        mqlAt: new Date('2026-03-03T10:00:00Z'),
        sqlAt: i < 10 ? new Date('2026-03-04T10:00:00Z') : null,
        customerAt: i < 5 ? new Date('2026-03-05T10:00:00Z') : null,
      }),
    ),
  );
  readKey = (await ws.createApiKey('read')).key;
  app = Fastify();
  installAccess(app, { store, sessions: new Sessions(store, { secure: () => false }) });
  app.setErrorHandler((err, _req, reply) =>
    isUserError(err)
      ? reply.code(err.status).send({ error: err.message, ...err.where })
      : reply.code((err as { statusCode?: number }).statusCode ?? 500).send({ error: String(err) }),
  );
  await app.register(planRoutes(store));
});
after(async () => {
  await app.close();
  await store.close();
});

const cli = (...args: string[]) => runCli(store, dataDir, args);

test('the ranking: double down on Webinars, then lift MQL → SQL', async () => {
  const r = await planRoadmap(ws, { asOf: AS_OF });
  assert.deepEqual(
    [r.year, r.quarter, r.start, r.due, r.from, r.to],
    [2026, 3, '2026-07-01', '2026-09-30', '2025-07-01', AS_OF],
  );
  // Totals: spend 21,000, leads 100, customers 10, revenue 95,000. Events (95 % of spend, 5 % of
  // revenue, 10 % of leads) is cut; Webinars (4.8 % of spend, 84 % of revenue, 20 % of its leads
  // customers against 10 %) is double down; Organic Search (free, 2 %) is kept and no focus area.
  assert.deepEqual(
    r.focus_areas.map((a) => [
      a.rank,
      a.id,
      a.unit,
      a.budget,
      a.expected_revenue,
      a.impact_per_unit,
      a.proposed,
    ]),
    [
      // doubled quarterly budget 1,000 / 4 = 250 → 80,000 / 4 = 20,000: 80 per 1 spent
      [1, 'channel-webinars', 'budget', 250, 20_000, 80, true],
      // MQL → SQL 20 / 50 = 0.4 is the weakest (lead → MQL 0.5, SQL → customer 0.5); halfway to 0.5 is
      // 0.45, +12.5 % of 95,000 / 4 = 2,968.75; at the blended 95,000 / 21,000 = 4.523810
      [2, 'stage-mql-to-sql', 'effort', 0, 2968.75, 4.52381, true],
    ],
  );
  assert.deepEqual(r.proposed, ['channel-webinars', 'stage-mql-to-sql']);
  assert.deepEqual(r.goal, { id: 'grow', title: 'Grow revenue', owner: 'ceo@example.com', new: false });
  // Webinar leads: Q3 2025 had 6 (the baseline, same quarter last year); quarter on quarter 8 → 12 → 14,
  // best +50 %, so the +100 % of a doubled budget is capped there: ⌊6 × 1.5⌋ = 9. The owner is the one of
  // the running Webinars objective.
  // MQL → SQL: Q3 2025 4 / 9 = 0.4444 (4 decimals); the area's target rate 0.45 is +1.26 % on it, within
  // the best quarter-on-quarter growth (6/15 = 0.4 → 5/12: +4.17 %); owner of the SQL objective.
  assert.deepEqual(r.objectives, [
    {
      id: 'roadmap-2026-q3-webinars',
      title: 'Double down on Webinars: 9 leads in 2026 Q3',
      kpi: 'leads',
      filter: { channel: 'Webinars' },
      baseline: 6,
      target: 9,
      direction: 'increase',
      start: '2026-07-01',
      due: '2026-09-30',
      owner: 'webinars@example.com',
      tradeoffs: ['double its budget: +$250 for the quarter (twice its pace of the last 12 months)'],
    },
    {
      id: 'roadmap-2026-q3-mql-to-sql',
      title: 'Lift mql to sql to 45.0 % in 2026 Q3',
      kpi: 'mql_to_sql_rate',
      baseline: 0.4444,
      target: 0.45,
      direction: 'increase',
      start: '2026-07-01',
      due: '2026-09-30',
      owner: 'sdr@example.com',
      tradeoffs: ['lift mql to sql from 40 % to 45 % (halfway to the next-weakest stage)'],
    },
  ]);
});

test('plan roadmap --out: goals lint passes, goals apply accepts and keeps the rest; again: unchanged', async () => {
  const file = join(dir, 'q3.yaml');
  const r = await cli(
    'plan',
    'roadmap',
    '--workspace',
    'rm',
    '--as-of',
    AS_OF,
    '--out',
    file,
    '--format',
    'table',
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /roadmap for 2026 Q3 \(2026-07-01 to 2026-09-30\)/);
  assert.match(r.out, /1\s+Webinars\s+double_down\s+budget\s+\$250\s+\$20,000\s+80\.00\s+yes/);
  assert.match(r.out, /written to .*q3\.yaml/);
  const yaml = readFileSync(file, 'utf8');
  assert.match(
    yaml,
    /- id: q2-revenue[\s\S]*- id: roadmap-2026-q3-webinars[\s\S]*- id: roadmap-2026-q3-mql-to-sql/,
  );
  const lint = await cli('goals', 'lint', file, '--workspace', 'rm', '--format', 'json');
  assert.equal(lint.code, 0, lint.out + lint.err);
  const rows = JSON.parse(lint.out).objectives as Array<{ id: string; ok: boolean | null }>;
  assert.deepEqual(
    rows.map((o) => o.id),
    ['q2-revenue', 'webinar-leads-q2', 'sqls-q2', 'roadmap-2026-q3-webinars', 'roadmap-2026-q3-mql-to-sql'],
  );
  const apply = await cli('goals', 'apply', file, '--workspace', 'rm');
  assert.equal(apply.code, 0, apply.err);
  const ids = (await ws.listGoals()).map((g) => g.id).sort();
  assert.deepEqual(ids, [
    'grow',
    'q2-revenue',
    'roadmap-2026-q3-mql-to-sql',
    'roadmap-2026-q3-webinars',
    'sqls-q2',
    'webinar-leads-q2',
  ]);
  // Run again on the applied tree: the drafts replace themselves, nothing changes.
  const again = await cli('plan', 'roadmap', '--workspace', 'rm', '--as-of', AS_OF, '--out', file);
  assert.equal(again.code, 0, again.err);
  assert.equal(readFileSync(file, 'utf8'), yaml);
});

test('GET /api/v1/plan/roadmap: the JSON of the CLI, for a read key', async () => {
  const res = await app.inject({
    url: `/api/v1/plan/roadmap?as_of=${AS_OF}&year=2026&quarter=3`,
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  const json = await cli('plan', 'roadmap', '--workspace', 'rm', '--as-of', AS_OF, '--format', 'json');
  assert.deepEqual(res.json(), JSON.parse(json.out));
  assert.equal((await app.inject('/api/v1/plan/roadmap')).statusCode, 401);
  const bad = await app.inject({
    url: `/api/v1/plan/roadmap?as_of=${AS_OF}&year=2026&quarter=1`,
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /2026 Q1 is over \(today is 2026-06-30\)/);
});

test('plan roadmap: clear errors, and --owner where nobody owns the area yet', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--quarter', '5'], /--quarter must be 1, 2, 3 or 4, got "5"/],
    [['--year', '2026', '--quarter', '1'], /2026 Q1 is over \(today is 2026-06-30\); .* \(next: 2026 Q3\)/],
    [['--year', '2025'], /2025 Q4 is over/],
  ];
  for (const [args, re] of cases) {
    const r = await cli('plan', 'roadmap', '--workspace', 'rm', '--as-of', AS_OF, ...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, re);
  }
  const empty = await cli('plan', 'roadmap', '--workspace', 'bare', '--as-of', '2025-01-10');
  assert.equal(empty.code, 1);
  assert.match(
    empty.err,
    /nothing to plan from: no spend, leads, customers or revenue from 2024-01-12 to 2025-01-10/,
  );
  // A workspace without goals: the roadmap prints, but a plan file needs an owner.
  const file = join(dir, 'bare.yaml');
  const noOwner = await cli('plan', 'roadmap', '--workspace', 'bare', '--as-of', AS_OF, '--out', file);
  assert.equal(noOwner.code, 1);
  assert.match(noOwner.err, /give --owner EMAIL/);
  const owned = await cli(
    'plan',
    'roadmap',
    '--workspace',
    'bare',
    '--as-of',
    AS_OF,
    '--owner',
    'ana@example.com',
    '--out',
    file,
    '--format',
    'json',
  );
  assert.equal(owned.code, 0, owned.err);
  const j = JSON.parse(owned.out);
  assert.deepEqual(j.goal, {
    id: 'roadmap-2026-q3',
    title: 'Grow revenue in 2026 Q3',
    owner: 'ana@example.com',
    new: true,
  });
  assert.match(
    readFileSync(file, 'utf8'),
    /- id: roadmap-2026-q3\n {4}title: Grow revenue in 2026 Q3\n {4}owner: ana@example.com/,
  );
});
