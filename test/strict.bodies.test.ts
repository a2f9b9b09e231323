// Strict bodies (issue 14): every JSON-API route that may carry a body is walked from the route
// table, with a caller that gets through its access check. Unknown fields are refused with their
// names, wrong types (no coercion) with the field, and nothing is stored by any refused request.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { routeTable } from '../src/server/access.js';
import { buildApp } from '../src/server/app.js';
import { type BodyRoute, bodyTable, installStrictBodies, laxObjects } from '../src/server/strict.body.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, tempStore } from './fixtures.js';

const CLI = 'strict-bodies-local-token-0123456789';
let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let session: Record<string, string> = {};

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'strict' }));
  await ws.upsertContacts([contact('c1', { email: 'c1@x.test' })]);
  const user = await store.createUser('admin@strict.test', null, 'correct horse battery');
  await ws.addMember(user.id, 'admin');
  const s = await store.createSession(user.id, 3_600_000);
  session = { cookie: `ns_session=${s.id}`, 'x-csrf-token': s.csrf };
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: CLI });
});
after(async () => {
  await app.close();
  await store.close();
});

/** Headers of a caller that passes the route's access check. */
function callerFor(r: BodyRoute): Record<string, string> {
  const declared = routeTable(app).find((d) => d.method === r.method && d.url === r.url);
  if (declared?.sessionOnly) return session;
  if (declared?.access === 'public') return {};
  return { authorization: `Bearer ${CLI}`, 'x-northstar-workspace': 'strict' };
}

const url = (r: BodyRoute) => r.url.replace(/:[a-zA-Z]+/g, 'x');

/** What the store holds, to compare before and after. */
async function snapshot() {
  return JSON.stringify({
    counts: await ws.counts(),
    audit: await ws.listAudit(1000),
    keys: (await ws.listApiKeys()).length,
    workspaces: (await store.listWorkspaces()).length,
    users: await store.countUsers(),
  });
}

/** A value of the schema's type, and one of another type (never coerced into it). */
function sample(s: { type?: string | string[]; enum?: unknown[] }): unknown {
  if (s.enum) return s.enum[0];
  const t = [s.type].flat()[0];
  return t === 'integer' ? 1 : t === 'number' ? 0.5 : t === 'boolean' ? true : 'x';
}
function wrong(s: { type?: string | string[] }): unknown[] {
  const types = [s.type].flat();
  const out: unknown[] = [['x'], { a: 1 }];
  if (!types.includes('number') && !types.includes('integer')) out.push(1);
  if (!types.includes('string')) out.push('0.5', 'true');
  if (!types.includes('boolean') && !types.includes('string')) out.push(true);
  return out;
}

test('no body schema of the route table lets unknown fields through', () => {
  const table = bodyTable(app);
  assert.ok(table.length >= 20, `${table.length} routes with a body`);
  for (const r of table) assert.deepEqual(laxObjects(r.schema), [], `${r.method} ${r.url}`);
});

test('a route whose body schema lets unknown fields through fails at registration', async () => {
  const probe = Fastify();
  installStrictBodies(probe);
  const lax = {
    type: 'object',
    properties: { a: { type: 'object', properties: {} } },
    additionalProperties: false,
  };
  assert.throws(
    () => probe.post('/api/v1/lax', { schema: { body: lax } }, async () => ({})),
    /lets unknown fields through at a: add additionalProperties: false/,
  );
  await probe.close();
});

test('every JSON-API body refuses unknown fields and wrong types by name, and nothing is stored', async () => {
  const before = await snapshot();
  let sent = 0;
  const kinds = { json: 0, file: 0, none: 0 };
  for (const r of bodyTable(app)) {
    kinds[r.kind]++;
    const headers = { ...callerFor(r), 'content-type': 'application/json' };
    const post = (payload: string) =>
      app.inject({ method: r.method as 'POST', url: url(r), headers, payload }).then((res) => {
        sent++;
        return res;
      });
    const where = `${r.method} ${r.url}`;
    // The brief's probe: a field that is no field of the route, beside one that may be.
    let res = await post('{"kind":"read","x":1}');
    if (r.kind === 'file') {
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${where}: ${res.statusCode} ${res.body}`);
    } else {
      assert.equal(res.statusCode, 400, `${where}: ${res.body}`);
      const props = Object.keys((r.schema?.properties as object | undefined) ?? {});
      const named = props.includes('kind') ? 'x' : 'kind';
      assert.match(res.json().error, new RegExp(`unknown field "${named}"`), where);
    }
    // Not an object at all.
    // (A list is the channel rules' own form, `[]` clearing them: not sent to file routes.)
    for (const payload of r.kind === 'file'
      ? ['"text"', '42', 'true', '[1]']
      : ['[]', '"text"', '42', 'true']) {
      res = await post(payload);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${where} ${payload}: ${res.body}`);
    }
    if (r.kind !== 'json' || !r.schema) continue;
    // Each declared field with a value of another type, the rest of the body valid.
    const props = (r.schema.properties ?? {}) as Record<
      string,
      { type?: string | string[]; enum?: unknown[] }
    >;
    const valid: Record<string, unknown> = {};
    for (const k of (r.schema.required as string[] | undefined) ?? []) valid[k] = sample(props[k] ?? {});
    for (const [field, s] of Object.entries(props))
      for (const bad of wrong(s)) {
        res = await post(JSON.stringify({ ...valid, [field]: bad }));
        assert.equal(res.statusCode, 400, `${where} ${field}=${JSON.stringify(bad)}: ${res.body}`);
        assert.match(res.json().error, new RegExp(`^${field}\\b`), `${where} ${field}`);
      }
  }
  // Files sent as `{"yaml": …}` are as strict: another field, or a yaml that is no text.
  for (const r of bodyTable(app).filter((b) => b.kind === 'file' && !/import|paths/.test(b.url))) {
    const headers = { ...callerFor(r), 'content-type': 'application/json' };
    let res = await app.inject({
      method: r.method as 'PUT',
      url: url(r),
      headers,
      payload: '{"yaml":"goals: []","x":1}',
    });
    assert.equal(res.statusCode, 400, `${r.url}: ${res.body}`);
    assert.match(res.json().error, /unknown field "x"/);
    res = await app.inject({ method: r.method as 'PUT', url: url(r), headers, payload: '{"yaml":["x"]}' });
    assert.equal(res.statusCode, 400, `${r.url}: ${res.body}`);
    assert.match(res.json().error, /^yaml: expected string/);
    sent += 2;
  }
  assert.equal(await snapshot(), before, 'no refused request stored anything');
  console.log(
    `# strict bodies: ${sent} requests over ${bodyTable(app).length} routes (${kinds.json} JSON, ${kinds.file} file, ${kinds.none} without a body)`,
  );
});
