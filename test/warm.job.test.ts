/**
 * After a start the server computes what the overview asks for by default (server/warm.job.ts): the
 * requests the page then sends, through the real routes, are all answered from the read cache, with
 * the same figures as computed without it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addDays, today } from '../src/core/time.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import { buildApp } from '../src/server/app.js';
import { warmDefaultPages } from '../src/server/warm.job.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { ReadCache, withReadCache } from '../src/store/read.cache.js';
import type { Store } from '../src/store/store.js';
import {
  OVERVIEW_HEADLINE,
  OVERVIEW_SPARK_POINTS,
  quarterToDate,
} from '../src/usecases/overview.defaults.js';
import { contact, deal, session, spendRow, tempStore } from './fixtures.js';

let app: FastifyInstance;
let plainApp: FastifyInstance;
let raw: DuckDbStore;
let cached: Store;
const cache = new ReadCache();
const day = today('UTC');
const range = quarterToDate(day);
const at = (d: string) => `${d}T12:00:00.000Z`;
const headers = { authorization: 'Bearer test-token-0123456789', 'x-northstar-workspace': 'demo' };
const urls = [
  `/api/v1/goals/overview?as_of=${day}&from=${range.from}&points=${OVERVIEW_SPARK_POINTS}`,
  ...OVERVIEW_HEADLINE.map((k) => `/api/v1/kpis/${k}?from=${range.from}&to=${range.to}&grain=total`),
];

before(async () => {
  const t = await tempStore();
  raw = t.store;
  cached = withReadCache(raw, cache);
  const ws = cached.forWorkspace(await cached.createWorkspace({ slug: 'demo', timezone: 'UTC' }));
  await ws.upsertContacts([
    contact('c1', { createdAt: new Date(at(range.from)), leadAt: new Date(at(range.from)) }),
    contact('c2', { createdAt: new Date(at(day)), leadAt: new Date(at(day)) }),
  ]);
  await ws.appendSessions([
    session('s1', at(range.from), 'Email', { userId: 'c1' }),
    session('s2', at(day), 'Paid Search', { userId: 'c2' }),
  ]);
  await ws.upsertDeals([deal('d1', 'c1', 4000, at(range.from), at(day), true)]);
  await ws.appendSpend([spendRow(day, 'Paid Search', 500)]);
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'grow',
          title: 'Grow',
          owner: 'ana',
          objectives: [
            {
              id: 'leads',
              title: '10 leads this quarter',
              kpi: 'leads',
              target: 10,
              start: range.from,
              due: addDays(range.from, 89),
              owner: 'ana',
            },
          ],
        },
      ],
    },
    'test',
  );
  app = await buildApp({ store: cached, dataDir: t.dataDir, cliToken: 'test-token-0123456789' });
  plainApp = await buildApp({ store: raw, dataDir: t.dataDir, cliToken: 'test-token-0123456789' });
});
after(async () => {
  await app.close();
  await plainApp.close();
  await raw.close();
});

test("the overview's requests after the warm-up are answered from the cache, with the same figures", async () => {
  await warmDefaultPages(cached).done;
  const misses = cache.stats.misses;
  assert.ok(misses >= urls.length, `the warm-up computed ${misses} answers`);
  const hits = cache.stats.hits;
  for (const url of urls) {
    const res = await app.inject({ url, headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    const fresh = await plainApp.inject({ url, headers });
    assert.deepEqual(res.json(), fresh.json(), url);
  }
  assert.equal(cache.stats.misses, misses, 'no request computed anything');
  assert.ok(cache.stats.hits >= hits + urls.length);
});

test('a stopped warm-up starts no read', async () => {
  const fresh = new ReadCache();
  const warm = warmDefaultPages(withReadCache(raw, fresh));
  await warm.stop();
  assert.ok(fresh.stats.misses <= 1, `${fresh.stats.misses} reads after stop`);
});

test('the warm-up leaves a failure in the log, not the server', async () => {
  const broken = { listWorkspaces: () => Promise.reject(new Error('database gone')) } as unknown as Store;
  const errors: string[] = [];
  await warmDefaultPages(broken, { error: (m) => errors.push(m) }).done;
  assert.deepEqual(errors, ['warming the overview failed: database gone']);
});

test('quarterToDate is this quarter through the day', () => {
  assert.deepEqual(quarterToDate('2026-11-30'), { from: '2026-10-01', to: '2026-11-30' });
  assert.deepEqual(quarterToDate('2026-01-01'), { from: '2026-01-01', to: '2026-01-01' });
  assert.equal(addDays(quarterToDate('2026-06-30').from, -1), '2026-03-31');
});
