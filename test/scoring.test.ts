import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../src/core/errors.js';
import type { EventRow } from '../src/domain/event.js';
import { explainContact } from '../src/scoring/explain.js';
import { recomputeScores } from '../src/scoring/recompute.js';
import { installAccess } from '../src/server/access.js';
import { scoreRoutes } from '../src/server/routes/score.route.js';
import { Sessions } from '../src/server/sessions.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, eventRow, runCli, tempStore } from './fixtures.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY);
let seq = 0;

function ev(over: Partial<EventRow>): EventRow {
  const ts = over.timestamp ?? at(0);
  return eventRow(`m${++seq}`, ts, {
    event: null,
    ...over,
    timestamp: ts,
    receivedAt: over.receivedAt ?? ts,
  });
}

const RULES = `models:
  - id: demand
    thresholds: {mql: 50, sql: 90}
    fit:
      - {id: exec, field: job_title, matches: "chief|cmo", points: 20}
      - {id: size, field: company_size, between: [51, 5000], points: 10}
    behaviour:
      - {id: demo, event: Demo Requested, points: 40, once: true}
      - {id: download, event: Content Downloaded, points: 20, cap: 30, half_life_days: 10}
      - {id: pricing, page: /pricing*, points: 5}
      - {id: click, email: click, points: 3}
  - id: product
    thresholds: {mql: 10, sql: 20}
    behaviour:
      - {id: trial, event: Trial Started, points: 25}
sla:
  sql_follow_up_hours: 24
  follow_up_events: [Call Logged]
  mqls_per_month: 5
`;

let store: DuckDbStore;
let dataDir: string;
let ws: WorkspaceStore;
let app: FastifyInstance;
let readKey = '';
let writeKey = '';
let tokenKey = '';

before(async () => {
  ({ store, dataDir } = await tempStore());
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme', timezone: 'UTC' }));
  await ws.upsertContacts([
    contact('a', { jobTitle: 'CMO', companySize: '201-1000', leadAt: at(0), createdAt: at(0) }),
    contact('b', { leadAt: at(0), createdAt: at(0) }),
    contact('c', { lifecycleStage: 'sql', leadAt: at(0), mqlAt: at(1), sqlAt: at(2), createdAt: at(0) }),
    contact('d', { lifecycleStage: 'subscriber', createdAt: at(0) }),
  ]);
  await ws.appendStageChanges([{ contactId: 'a', stage: 'lead', at: at(0), reason: 'import' }]);
  await ws.appendIdentities([{ anonymousId: 'anon-b', userId: 'b', firstSeen: at(1), via: 'identify' }]);
  await ws.appendEvents([
    // a: fit 30; downloads at day 1 and day 2 (20, then 20·2^-0.1 + 20 = 37.4 capped to 30): 60 at day 2 → MQL
    ev({ userId: 'a', event: 'Content Downloaded', timestamp: at(1) }),
    ev({ userId: 'a', event: 'Content Downloaded', timestamp: at(2) }),
    ev({ userId: 'a', event: 'Trial Started', timestamp: at(2) }),
    // b: anonymous pricing views before identify (the identity links them), 5 each, no decay
    ev({ type: 'page', anonymousId: 'anon-b', path: '/pricing', timestamp: at(0.5) }),
    ev({ type: 'page', anonymousId: 'anon-b', path: '/pricing/enterprise', timestamp: at(0.6) }),
    ev({ type: 'page', anonymousId: 'anon-b', path: '/blog/pricing', timestamp: at(0.7) }),
    ev({ userId: 'b', event: 'Demo Requested', timestamp: at(3) }),
    ev({ userId: 'b', event: 'Demo Requested', timestamp: at(4) }),
    // c is an SQL already: a sales call 30 hours after its SQL date breaks a 24-hour SLA
    ev({ userId: 'c', event: 'Call Logged', timestamp: new Date(at(2).getTime() + 30 * 3_600_000) }),
    // d is a subscriber: scored, never moved
    ev({ userId: 'd', event: 'Demo Requested', timestamp: at(1) }),
  ]);
  await ws.appendEmailEvents([
    { timestamp: at(3.5), email: 'B@example.com', contactId: null, campaign: 'x', type: 'click' },
  ]);
  await ws.upsertDeals([deal('d1', 'c', 100, at(5).toISOString(), null, null)]);
  readKey = (await ws.createApiKey('read')).key;
  writeKey = (await ws.createApiKey('write')).key;
  tokenKey = (await ws.createApiKey('token')).key;
  app = Fastify();
  installAccess(app, { store, sessions: new Sessions(store, { secure: () => false }) });
  app.setErrorHandler((err, _req, reply) =>
    isUserError(err)
      ? reply.code(err.status).send({ error: err.message, ...err.where })
      : reply.code((err as { statusCode?: number }).statusCode ?? 500).send({ error: String(err) }),
  );
  await app.register(scoreRoutes(store));
});
after(async () => {
  await app.close();
  await store.close();
});

const scores = async () =>
  Object.fromEntries(
    (
      await ws.query<{ k: string; score: number }>(
        `SELECT contact_id || '/' || model AS k, score FROM @contact_scores ORDER BY 1`,
      )
    ).map((r) => [r.k, r.score]),
  );

test('rules: a file with errors is refused with its lines and nothing is stored; a good one is applied', async () => {
  const bad = join(dataDir, 'bad.yaml');
  writeFileSync(
    bad,
    RULES.replace('{mql: 50, sql: 90}', '{mql: 50, sql: 20}').replace('Demo Requested', 'Demo Request'),
  );
  const lint = await runCli(store, dataDir, ['score', 'rules', 'lint', bad, '--workspace', 'acme']);
  assert.equal(lint.code, 1);
  assert.match(lint.err, /bad\.yaml:3: models\[0\]\.thresholds\.sql: the SQL threshold \(20\) is below/);
  assert.match(lint.err, /bad\.yaml:8: models\[0\]\.behaviour\[0\]\.event: unknown event "Demo Request"/);
  assert.equal(
    (await runCli(store, dataDir, ['score', 'rules', 'apply', bad, '--workspace', 'acme'])).code,
    1,
  );
  assert.equal(await ws.getScoringRules(), null, 'nothing applied from a file with errors');
  const good = join(dataDir, 'good.yaml');
  writeFileSync(good, RULES);
  const applied = await runCli(store, dataDir, [
    'score',
    'rules',
    'apply',
    good,
    '--workspace',
    'acme',
    '--format',
    'json',
  ]);
  assert.equal(applied.code, 0, applied.err);
  assert.deepEqual(JSON.parse(applied.out).models, ['demand', 'product']);
  const exported = await runCli(store, dataDir, ['score', 'rules', 'export', '--workspace', 'acme']);
  assert.equal(exported.out, RULES);
});

test('recompute: hand-computed scores, forward moves with time, score and reason, subscribers left alone', async () => {
  const res = await recomputeScores(ws, { asOf: at(10) });
  assert.deepEqual([res.contacts, res.models, res.mqls, res.sqls, res.crmOverrides], [4, 2, 2, 0, 0]);
  const s = await scores();
  // a at day 10: fit 30 + downloads (20 at day 1; 20·2^-0.1 + 20 = 38.7 capped to 30 at day 2) 30·2^-0.8
  assert.equal(s['a/demand'], 47.23);
  assert.equal(s['a/product'], 25);
  // b: pricing 5 + 5 (anonymous, linked; /blog/pricing does not match /pricing*), demo 40 once, click 3 by e-mail
  assert.equal(s['b/demand'], 53);
  assert.equal(s['c/demand'], 0);
  assert.equal(s['d/demand'], 40);
  const changes = await ws.query(
    'SELECT contact_id, stage, changed_at, score, fit, behaviour, source, reason FROM @lifecycle_changes ORDER BY contact_id',
  );
  assert.deepEqual(changes, [
    // a: fit 30 + the first download 20 = 50 at day 1
    {
      contact_id: 'a',
      stage: 'mql',
      changed_at: at(1),
      score: 50,
      fit: 30,
      behaviour: 20,
      source: 'score',
      reason: 'score:demand 50 >= 50',
    },
    // b: 10 from pricing, then the demo request at day 3 makes 50
    {
      contact_id: 'b',
      stage: 'mql',
      changed_at: at(3),
      score: 50,
      fit: 0,
      behaviour: 50,
      source: 'score',
      reason: 'score:demand 50 >= 50',
    },
  ]);
  const contacts = await ws.query('SELECT id, lifecycle_stage, mql_at FROM @contacts ORDER BY id');
  assert.deepEqual(
    contacts.map((c) => [c.id, c.lifecycle_stage, c.mql_at]),
    [
      ['a', 'mql', at(1)],
      ['b', 'mql', at(3)],
      ['c', 'sql', at(1)],
      ['d', 'subscriber', null],
    ],
  );
  const history = await ws.query(
    `SELECT contact_id, stage, changed_at FROM @contact_stage_history WHERE reason LIKE 'score:%' ORDER BY 1`,
  );
  assert.deepEqual(history, [
    { contact_id: 'a', stage: 'mql', changed_at: at(1) },
    { contact_id: 'b', stage: 'mql', changed_at: at(3) },
  ]);
  const again = await recomputeScores(ws, { asOf: at(10) });
  assert.deepEqual([again.mqls, again.sqls, again.crmOverrides], [0, 0, 0], 'a second run changes nothing');
});

test('incremental: only contacts with newly received events are rescored; crossing SQL moves MQL → SQL', async () => {
  await ws.appendEvents([
    ev({ userId: 'b', event: 'Content Downloaded', timestamp: at(11) }),
    ev({ userId: 'b', event: 'Content Downloaded', timestamp: at(11) }),
  ]);
  await ws.appendEmailEvents(
    [1, 2, 3].map(() => ({
      timestamp: at(11),
      email: 'b@example.com',
      contactId: 'b',
      campaign: 'y',
      type: 'click' as const,
    })),
  );
  const res = await recomputeScores(ws, { asOf: at(12), restrict: { kind: 'since', since: at(10.5) } });
  // b at day 11: 53 + downloads 30 (capped) + 3 clicks 9 = 92 ≥ 90
  assert.deepEqual([res.contacts, res.sqls], [1, 1]);
  const b = await ws.getContact('b');
  assert.equal(b?.lifecycleStage, 'sql');
  assert.deepEqual(b?.sqlAt, at(11));
});

test('CRM override: a stage the CRM set after an automatic move wins, is recorded once, and only new activity moves it again', async () => {
  const a = await ws.getContact('a');
  assert.ok(a);
  await ws.upsertContacts([{ ...a, lifecycleStage: 'lead', mqlAt: null }]);
  await ws.appendStageChanges([{ contactId: 'a', stage: 'lead', at: at(12), reason: 'import' }]);
  const first = await recomputeScores(ws, { asOf: at(13) });
  assert.deepEqual([first.crmOverrides, first.mqls], [1, 0]);
  assert.equal((await ws.getContact('a'))?.lifecycleStage, 'lead');
  const crm = await ws.query(`SELECT stage, changed_at, reason FROM @lifecycle_changes WHERE source = 'crm'`);
  assert.deepEqual(crm, [
    { stage: 'lead', changed_at: at(13), reason: 'crm: stage lead after scoring had set mql' },
  ]);
  const second = await recomputeScores(ws, { asOf: at(13) });
  assert.deepEqual([second.crmOverrides, second.mqls], [0, 0], 'recorded once, not re-promoted');
  await ws.appendEvents([ev({ userId: 'a', event: 'Content Downloaded', timestamp: at(14) })]);
  const third = await recomputeScores(ws, { asOf: at(15) });
  assert.equal(third.mqls, 1);
  const last = await ws.query(
    `SELECT changed_at, score FROM @lifecycle_changes WHERE contact_id = 'a' AND source = 'score' ORDER BY changed_at DESC LIMIT 1`,
  );
  // fit 30 + downloads min(30, 30·2^-1.2 + 20 = 33.06) = 60 at day 14
  assert.deepEqual(last, [{ changed_at: at(14), score: 60 }]);
});

test('KPIs: MQLs and SQLs by scoring, SLA breaches, hours to follow-up, MQL acceptance', async () => {
  const kpi = async (id: string) => {
    const r = await runCli(store, dataDir, [
      'kpi',
      id,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--grain',
      'total',
      '--workspace',
      'acme',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).rows[0]?.value ?? null;
  };
  assert.equal(await kpi('mqls_by_scoring'), 2, 'a (twice) and b, each counted once');
  assert.equal(await kpi('sqls_by_scoring'), 1);
  // c: first call 30 h after its SQL date; b: an SQL never followed up
  assert.equal(await kpi('sla_breaches'), 2);
  assert.equal(await kpi('median_hours_to_follow_up'), 30);
  // MQLs of March: a (again, day 14), b and c; b and c reached SQL
  assert.equal(await kpi('mql_acceptance_rate'), 2 / 3);
});

test('explain, top and the SLA report (CLI and API)', async () => {
  const e = await explainContact(ws, 'B@example.com', at(12));
  const demand = e.models.find((m) => m.model === 'demand');
  // at day 12: demo 40 + downloads 30·2^-0.1 = 27.99 + pricing 10 + four clicks 12
  assert.equal(demand?.score, 89.99);
  assert.deepEqual(
    demand?.rules.map((r) => [r.rule, r.points, r.events]),
    [
      ['demo', 40, 1],
      ['download', 27.99, 2],
      ['pricing', 10, 2],
      ['click', 12, 4],
    ],
  );
  assert.deepEqual(
    e.history.map((h) => [h.stage, h.source]),
    [
      ['mql', 'score'],
      ['sql', 'score'],
    ],
  );
  const top = await runCli(store, dataDir, [
    'score',
    'top',
    '--workspace',
    'acme',
    '--format',
    'json',
    '--limit',
    '2',
  ]);
  assert.deepEqual(
    JSON.parse(top.out).rows.map((r: { contact_id: string }) => r.contact_id),
    ['b', 'a'],
  );
  const unknown = await runCli(store, dataDir, ['score', 'top', '--model', 'nope', '--workspace', 'acme']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /no scoring model "nope" \(models: demand, product\)/);
  const missing = await runCli(store, dataDir, ['score', 'explain', 'zz@example.com', '--workspace', 'acme']);
  assert.equal(missing.code, 1);

  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const sla = await app.inject({
    url: '/api/v1/scoring/sla?from=2026-03-01&to=2026-03-31',
    headers: auth(readKey),
  });
  assert.equal(sla.statusCode, 200);
  const body = sla.json();
  // 3 MQLs in March against 5 promised
  assert.deepEqual(body.breaches, { sql_follow_up: 2, mql_months: 1 });
  assert.deepEqual(
    body.sqls.map((r: { contact_id: string; hours: number; breach: boolean }) => [r.contact_id, r.breach]),
    [
      ['c', true],
      ['b', true],
    ],
  );
  assert.equal(body.sqls[0].hours, 30);
  const explained = await app.inject({ url: '/api/v1/scoring/contacts/b', headers: auth(readKey) });
  assert.equal(explained.json().contact.id, 'b');
  assert.equal((await app.inject({ url: '/api/v1/scoring/top', headers: auth(writeKey) })).statusCode, 403);
  const put = (key: string, yaml: string) =>
    app.inject({
      method: 'PUT',
      url: '/api/v1/scoring/rules',
      headers: { ...auth(key), 'content-type': 'application/yaml' },
      payload: yaml,
    });
  assert.equal((await put(readKey, RULES)).statusCode, 403);
  const bad = await put(tokenKey, RULES.replace('half_life_days: 10', 'half_life_days: -1'));
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().problems[0].line, 9);
  assert.equal((await put(writeKey, RULES)).statusCode, 403, 'a write key is for tracking only');
  assert.equal((await put(tokenKey, RULES)).json().changed, false);
  const rec = await app.inject({ method: 'POST', url: '/api/v1/scoring/recompute', headers: auth(tokenKey) });
  assert.equal(rec.statusCode, 200);
  assert.equal(rec.json().contacts, 4);
});

test('MQL and SQL reached at the same instant are not mistaken for a CRM change on the next run', async () => {
  await ws.upsertContacts([contact('e', { leadAt: at(20), createdAt: at(20) })]);
  // demo 40 + two downloads (capped) 30 + four pricing views 20 = 90 at one instant
  await ws.appendEvents([
    ev({ userId: 'e', event: 'Demo Requested', timestamp: at(21) }),
    ...[1, 2].map(() => ev({ userId: 'e', event: 'Content Downloaded', timestamp: at(21) })),
    ...[1, 2, 3, 4].map(() => ev({ type: 'page', userId: 'e', path: '/pricing', timestamp: at(21) })),
  ]);
  const first = await recomputeScores(ws, { asOf: at(22), restrict: { kind: 'contact', id: 'e' } });
  assert.deepEqual([first.mqls, first.sqls], [1, 1]);
  const second = await recomputeScores(ws, { asOf: at(22), restrict: { kind: 'contact', id: 'e' } });
  assert.deepEqual([second.mqls, second.sqls, second.crmOverrides], [0, 0, 0]);
  assert.equal((await ws.getContact('e'))?.lifecycleStage, 'sql');
});
