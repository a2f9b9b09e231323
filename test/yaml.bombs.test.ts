// A YAML alias bomb (a few lines of `&a [*b, *b, …]` standing for billions of nodes) sent to every
// route that reads a YAML file — plans, scoring rules, channel rules and their lint checks — is a 400
// with its reason, answered at once, and stores nothing. (Scoring rules answered 500 before:
// rules.yaml.ts expanded aliases with yaml's default cap, whose error was no user error.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { bodyTable } from '../src/server/strict.body.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const CLI = 'yaml-bombs-local-token-0123456789';
let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'bombs' }));
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: CLI });
});
after(async () => {
  await app.close();
  await store.close();
});

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'models: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'goals: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

test('an alias bomb sent to every YAML route is a 400 with its reason, and stores nothing', async () => {
  const routes = bodyTable(app).filter((b) => b.kind === 'file' && !/import|paths/.test(b.url));
  assert.ok(routes.length >= 5, routes.map((r) => r.url).join(', '));
  const stored = async () =>
    JSON.stringify([await ws.listGoals(), await ws.getScoringRules(), await store.getWorkspace('bombs')]);
  const before = await stored();
  for (const r of routes)
    for (const [type, payload] of [
      ['application/yaml', BOMB],
      ['application/json', JSON.stringify({ yaml: BOMB })],
    ]) {
      const t = Date.now();
      const res = await app.inject({
        method: r.method as 'PUT',
        url: r.url,
        headers: { authorization: `Bearer ${CLI}`, 'x-northstar-workspace': 'bombs', 'content-type': type },
        payload,
      });
      const what = `${r.method} ${r.url} (${type}): ${res.statusCode} ${res.body.slice(0, 200)}`;
      assert.equal(res.statusCode, 400, what);
      assert.match(res.body, /alias|not valid|cannot read/i, what);
      assert.ok(Date.now() - t < 5_000, `${what}: ${Date.now() - t} ms`);
    }
  assert.equal(await stored(), before);
});
