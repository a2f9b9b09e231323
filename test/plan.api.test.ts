/** `GET /api/v1/plan/target|funnel|review` with a read key: the JSON of `northstar plan … --format json`. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../src/core/errors.js';
import { installAccess } from '../src/server/access.js';
import { planRoutes } from '../src/server/routes/plan.route.js';
import { Sessions } from '../src/server/sessions.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { contact, deal, session, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let readKey = '';
let writeKey = '';

before(async () => {
  store = (await tempStore()).store;
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'UTC' }));
  // Revenue 2024: 1000, 2025: 1500 (growth 0.5). Last 12 months to 2026-06-30: 4 sessions, 2 leads,
  // 1 MQL, 1 SQL, 1 customer with a 1500 deal.
  await ws.appendSessions([0, 1, 2, 3].map((i) => session(`s${i}`, `2025-08-0${i + 1}T10:00:00Z`, 'Direct')));
  const t = (s: string) => new Date(s);
  await ws.upsertContacts([
    contact('c1', {
      originalSource: 'Email',
      market: 'EMEA',
      leadAt: t('2025-08-01T10:00:00Z'),
      mqlAt: t('2025-08-02T10:00:00Z'),
      sqlAt: t('2025-08-03T10:00:00Z'),
      customerAt: t('2025-09-01T10:00:00Z'),
    }),
    contact('c2', { originalSource: 'Email', market: 'EMEA', leadAt: t('2025-08-05T10:00:00Z') }),
  ]);
  await ws.upsertDeals([
    deal('d0', 'x', 1000, '2024-05-01T00:00:00Z', '2024-06-01T00:00:00Z', true),
    deal('d1', 'c1', 1500, '2025-08-10T00:00:00Z', '2025-09-01T10:00:00Z', true),
  ]);
  readKey = (await ws.createApiKey('read')).key;
  writeKey = (await ws.createApiKey('write')).key;
  app = Fastify();
  installAccess(app, { store, sessions: new Sessions(store, { secure: () => false }) });
  // As in server/app.ts: a UserError is the caller's to fix.
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

const get = (url: string, key = readKey) => app.inject({ url, headers: { authorization: `Bearer ${key}` } });

test('a read key is required', async () => {
  assert.equal((await app.inject('/api/v1/plan/target')).statusCode, 401);
  assert.equal((await get('/api/v1/plan/target', writeKey)).statusCode, 403);
});

test('GET /api/v1/plan/target', async () => {
  const res = await get('/api/v1/plan/target?year=2025&uplift=10&as_of=2026-06-30');
  assert.equal(res.statusCode, 200, res.body);
  // growth (1500 − 1000) / 1000 = 0.5; + 0.1 = 0.6; 1500 × 0.6 + 1500 = 2400
  assert.deepEqual(res.json(), {
    year: 2025,
    years: [
      { year: 2024, revenue: 1000, growth: null },
      { year: 2025, revenue: 1500, growth: 0.5 },
    ],
    average_growth: 0.5,
    uplift: 0.1,
    target_growth: 0.6,
    target: 2400,
    target_year: 2026,
    basis: 'calendar_years',
    note: null,
  });
  const bad = await get('/api/v1/plan/target?year=2027&as_of=2026-06-30');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /has not started yet/);
});

test('GET /api/v1/plan/funnel with repeated and comma-separated rates', async () => {
  const res = await get(
    '/api/v1/plan/funnel?revenue=3000&segment=EMEA&as_of=2026-06-30&rate=lead_to_mql=0.25&rate=sql_to_customer=0.5,mql_to_sql=1',
  );
  assert.equal(res.statusCode, 200, res.body);
  const j = res.json();
  // ⌈3000 / 1500⌉ = 2 customers → ⌈2 / 0.5⌉ = 4 → ⌈4 / 1⌉ = 4 → ⌈4 / 0.25⌉ = 16 → ⌈16 / 0.5⌉ = 32 (2 leads / 4 visits)
  assert.deepEqual(
    [j.revenue_goal, j.avg_first_year_revenue, j.customers, j.sqls, j.mqls, j.leads, j.visits, j.bottleneck],
    [3000, 1500, 2, 4, 4, 16, 32, 'lead_to_mql'],
  );
  const bad = await get('/api/v1/plan/funnel?revenue=3000&rate=foo=1');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error, /unknown stage "foo"/);
});

test('GET /api/v1/plan/review', async () => {
  const res = await get('/api/v1/plan/review?year=2025&as_of=2026-06-30');
  assert.equal(res.statusCode, 200, res.body);
  const j = res.json();
  assert.equal(j.year, 2025);
  // Email: no spend, 2 leads (too few to judge conversion), 1 customer, 1500 revenue
  assert.deepEqual(
    j.channels.map((c: Record<string, unknown>) => [c.channel, c.leads, c.customers, c.revenue, c.verdict]),
    [['Email', 2, 1, 1500, 'keep']],
  );
  assert.equal(j.pages.length, 1); // every session lands on '/'
});
