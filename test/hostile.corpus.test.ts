// A hostile-input corpus over every route (issue 14): broken JSON, wrong types, huge strings, deep
// nesting, NUL bytes, invalid UTF-8, unknown fields, SQL fragments, path traversal and formula cells,
// in every parameter, query field and body, with every kind of credential. Each request gets a clear
// answer below 500, the server stays healthy, and the tables are intact.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { applyPlan } from '../src/goals/plan.apply.js';
import { buildApp } from '../src/server/app.js';
import { createLogger } from '../src/server/logger.js';
import { ROUTE_DOCS } from '../src/server/route.docs.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
const keys: Record<string, string> = {};
const errors: string[] = [];

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'corpus', timezone: 'Europe/Warsaw' }));
  keys.read = (await ws.createApiKey('read')).key;
  keys.write = (await ws.createApiKey('write')).key;
  keys.token = (await ws.createApiKey('token')).key;
  keys.admin = (await ws.createApiKey('token', 'admin')).key;
  const user = await store.createUser('admin@corpus.test', null, 'correct horse battery');
  await ws.addMember(user.id, 'admin');
  const s = await store.createSession(user.id, 3_600_000);
  keys.session = `ns_session=${s.id}`;
  keys.csrf = s.csrf;
  await ws.upsertContacts([contact('c1', { email: 'c1@x.test', leadAt: new Date('2026-02-01T10:00:00Z') })]);
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'g',
          title: 'G',
          objectives: [
            {
              id: 'o',
              title: 'O',
              kpi: 'leads',
              target: 10,
              start: '2026-01-01',
              due: '2026-12-31',
              owner: 'a@x.test',
            },
          ],
        },
      ],
    },
    'test',
  );
  app = await buildApp({
    store,
    dataDir: t.dataDir,
    cliToken: 'corpus-token',
    logger: createLogger('error', (l) => errors.push(l)),
  });
});
after(async () => {
  await app.close();
  await store.close();
});

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** Values chosen to break parsers, queries, paths and spreadsheets. */
const NASTY = [
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '1); DELETE FROM contacts WHERE (1=1',
  '$1',
  '@events',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'a\u0000b',
  '%00',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-1',
  '@SUM(1+1)',
  '9999-12-31',
  '0100-01-01',
  '2026-31-03',
  '2026-02-30',
  '1e309',
  'NaN',
  '-0',
  '99999999999999999999999',
  'x'.repeat(100_000),
  '🚀💥',
  '\uD800',
  '__proto__',
  'constructor',
  'toString',
  deep(5_000),
  '{"a":',
  'null',
  'true',
  '[]',
];
const nasty = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.integer().map(String));
const QUERY_FIELDS = [
  'from',
  'to',
  'grain',
  'by',
  'as_of',
  'year',
  'uplift',
  'growth',
  'revenue',
  'model',
  'conversion',
  'lookback',
  'order',
  'limit',
  'quarter',
  'shift',
  'segment',
  'preset',
  'format',
  'skip_invalid',
  'model',
  'breaches',
  'owner',
  'kpi',
  'zzz',
];
const body = fc.oneof(
  nasty,
  fc.constantFrom(
    '{"note": ["x"]}',
    '{"note":"ok","confidence":"0.5"}',
    '{"note":"ok","x":1}',
    `{"batch":[${'{"type":"track"},'.repeat(50)}{}]}`,
    '{"type":"track","event":"E","anonymousId":"a","properties":{"__proto__":{"polluted":1}}}',
    `{"a":${deep(5_000)}}`,
  ),
  fc.json({ maxDepth: 6 }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
);
const TYPES = [
  'application/json',
  'text/plain',
  'application/yaml',
  'text/csv',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
];
// Every level a route may need is reached by one of these (admin token and session, the local
// credential with and without a workspace), so hostile bodies get past the access check to the
// validators and handlers of admin and server-wide routes too.
const AUTH = [
  'none',
  'read',
  'write',
  'token',
  'admin',
  'session',
  'basic-write',
  'garbage',
  'cli',
  'cli-ws',
] as const;

/** Percent-encoded; a lone surrogate (no UTF-8 for it) goes as the invalid bytes a client could send. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

function headersFor(auth: (typeof AUTH)[number], type: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': type };
  if (auth === 'read' || auth === 'write' || auth === 'token' || auth === 'admin')
    h.authorization = `Bearer ${keys[auth]}`;
  if (auth === 'session') Object.assign(h, { cookie: keys.session, 'x-csrf-token': keys.csrf });
  if (auth === 'cli-ws')
    Object.assign(h, { authorization: 'Bearer corpus-token', 'x-northstar-workspace': 'corpus' });
  if (auth === 'basic-write') h.authorization = `Basic ${Buffer.from(`${keys.write}:`).toString('base64')}`;
  if (auth === 'garbage') h.authorization = `Bearer ${'k'.repeat(5000)}`;
  if (auth === 'cli') h.authorization = 'Bearer corpus-token';
  return h;
}

/**
 * Everything the workspace holds, to compare before and after the corpus: its rows (counts), goals
 * and check-ins, keys, members, share links, report settings, rules, audit log, and the server's
 * workspaces and users. Times of last use are left out: a key that is used changes no data.
 */
async function stored(): Promise<string> {
  return JSON.stringify({
    counts: await ws.counts(),
    goals: await ws.listGoals(),
    checkins: await ws.listCheckins(),
    keys: (await ws.listApiKeys()).map((k) => ({ ...k, lastUsedAt: undefined })),
    members: (await ws.listMembers()).map((m) => [m.user.email, m.role]),
    shares: await ws.listShares(),
    report: await ws.getReportSettings(),
    rules: await ws.getScoringRules(),
    settings: (await store.getWorkspace('corpus'))?.settings,
    // Less the status an objective was found in: `POST /api/v1/goals/check` (the local credential,
    // with an empty or `null` body, which the corpus sends too) records it by design.
    audit: (await ws.listAudit(10_000)).filter((a) => !(a.action === 'status' && a.actor === 'system')),
    workspaces: (await store.listWorkspaces()).map((w) => w.slug),
    users: await store.countUsers(),
  });
}

/** Methods that may change something: their 2xx answers are listed when the stored state moved. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

test('every route answers hostile input below 500 with a reason, and nothing stored changes', {
  timeout: 300_000,
}, async () => {
  const routes = Object.keys(ROUTE_DOCS).map((r) => r.split(' ') as [string, string]);
  const before = await stored();
  let sent = 0;
  const statuses = new Map<number, number>();
  const changed: string[] = [];
  for (const [method, path] of routes) {
    await fc.assert(
      fc.asyncProperty(
        fc.array(nasty, { minLength: 1, maxLength: 2 }),
        fc.dictionary(fc.constantFrom(...QUERY_FIELDS), nasty, { maxKeys: 4 }),
        body,
        fc.constantFrom(...TYPES),
        fc.constantFrom(...AUTH),
        async (params, query, payload, type, auth) => {
          let i = 0;
          const url = path.replace(/:[a-zA-Z]+|\*/g, () => enc(params[i++ % params.length] ?? 'x'));
          const qs = new URLSearchParams(query).toString();
          const res = await app.inject({
            method: method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            headers: headersFor(auth, type),
            ...(method === 'GET' || method === 'OPTIONS' ? {} : { payload: payload as string }),
          });
          sent++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const what = `${method} ${url.slice(0, 80)}?${qs.slice(0, 120)} (${auth}, ${type}) → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (res.statusCode >= 500) throw new Error(what);
          // A refusal says why: a JSON body with a non-empty `error`.
          if (res.statusCode >= 400) {
            const error = (() => {
              try {
                return (JSON.parse(res.body) as { error?: unknown }).error;
              } catch {
                return undefined;
              }
            })();
            if (typeof error !== 'string' || !error.trim()) throw new Error(`no reason: ${what}`);
          }
          if (WRITES.has(method) && res.statusCode < 300) changed.push(what);
        },
      ),
      { numRuns: 100, seed: 20261203 },
    );
  }
  const health = await app.inject('/api/health');
  assert.equal(health.statusCode, 200);
  // No hostile request was taken as a change: none was answered 2xx, and what is stored is as it was
  // (SQL fragments reached no statement; the fixture rows are all there).
  assert.equal(await stored(), before, `nothing stored changed; writes answered 2xx:\n${changed.join('\n')}`);
  assert.deepEqual(errors, [], 'no 5xx was logged');
  const summary = [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(
    `# hostile corpus: ${sent} requests over ${routes.length} routes, none answered 5xx, every refusal with its reason, nothing stored changed (${summary}; ${changed.length} no-op writes answered 2xx)`,
  );
});
