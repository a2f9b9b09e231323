// Overload (issue 14): "body size limits on every route". Every route of the table that takes a body
// is sent one just over its limit, by a caller its access check lets through, in each form the route
// reads (JSON; YAML and multipart files; CSV uploads; tracking batches): each is a 413 with its
// reason and stores nothing. A body sent in chunks with no Content-Length is counted as it arrives.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MAX_BATCH_BYTES } from '../src/ingest/segment.schema.js';
import { routeTable } from '../src/server/access.js';
import { buildApp } from '../src/server/app.js';
import { bodyTable } from '../src/server/strict.body.js';
import { MAX_TEXT_BYTES } from '../src/server/upload.spool.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

const CLI = 'body-limits-local-token-0123456789';
const JSON_LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 2 * 1024 * 1024;
let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let writeKey = '';
let session: Record<string, string> = {};

before(async () => {
  const t = await tempStore();
  store = t.store;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'limits' }));
  writeKey = (await ws.createApiKey('write')).key;
  const user = await store.createUser('admin@limits.test', null, 'correct horse battery');
  await ws.addMember(user.id, 'admin');
  const s = await store.createSession(user.id, 3_600_000);
  session = { cookie: `ns_session=${s.id}`, 'x-csrf-token': s.csrf };
  app = await buildApp({ store, dataDir: t.dataDir, cliToken: CLI, maxUploadBytes: UPLOAD_LIMIT });
  await app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await app.close();
  await store.close();
});

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers of a caller the route's access check lets through. */
function callerFor(r: { access: string; sessionOnly: boolean }): Record<string, string> {
  if (r.sessionOnly) return session;
  if (r.access === 'public') return {};
  if (r.access === 'track')
    return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
  return { authorization: `Bearer ${CLI}`, 'x-northstar-workspace': 'limits' };
}

/** A JSON object of `bytes` bytes. */
const jsonOf = (bytes: number) => `{"x":"${'y'.repeat(bytes - 8)}"}`;
/** A multipart form whose `file` part is `head` and `row` repeated past `bytes` bytes. */
function form(bytes: number, head = 'email\n', row = 'a'): string {
  const rows = row.repeat(Math.ceil(bytes / row.length));
  return `--B\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${head}${rows}\r\n--B--\r\n`;
}

async function state() {
  return JSON.stringify({
    counts: await ws.counts(),
    goals: await ws.listGoals(),
    rules: await ws.getScoringRules(),
    audit: await ws.listAudit(1000),
    settings: (await store.getWorkspace('limits'))?.settings,
  });
}

test('every route that takes a body refuses one over its limit with 413 and its reason', {
  timeout: 300_000,
}, async () => {
  const before = await state();
  const files = new Set(
    bodyTable(app)
      .filter((b) => b.kind === 'file')
      .map((b) => `${b.method} ${b.url}`),
  );
  let routes = 0;
  let sent = 0;
  for (const r of routeTable(app).filter((x) => WITH_BODY.has(x.method))) {
    const key = `${r.method} ${r.url}`;
    const url = r.url
      .replace(/:kind/, r.url.startsWith('/v1') ? 'batch' : 'contacts')
      .replace(/:[a-z]+/gi, 'x')
      .replace(/paths$/, 'paths?model=all');
    const forms: Array<[string, string]> = [];
    if (r.url.startsWith('/v1/')) forms.push(['application/json', jsonOf(2 * MAX_BATCH_BYTES + 1)]);
    else if (r.url === '/api/v1/attribution/paths')
      // Streamed into the attribution as it arrives, up to the upload limit.
      forms.push([
        'multipart/form-data; boundary=B',
        form(
          UPLOAD_LIMIT,
          'path;total_conversions;total_conversion_value;total_null\n',
          'Organic > Paid;1;10;0\n',
        ),
      ]);
    else if (r.url === '/api/v1/import/:kind')
      forms.push(
        ['text/csv', `email\n${'a'.repeat(UPLOAD_LIMIT)}`],
        ['multipart/form-data; boundary=B', form(UPLOAD_LIMIT)],
      );
    else {
      forms.push(['application/json', jsonOf(JSON_LIMIT + 1)]);
      if (files.has(key))
        forms.push(
          ['application/yaml', `a: "${'y'.repeat(JSON_LIMIT)}"\n`],
          ['multipart/form-data; boundary=B', form(MAX_TEXT_BYTES)],
        );
    }
    routes++;
    // The first form is one the route reads; another it does not take may be refused unread (415).
    for (const [i, [type, payload]] of forms.entries()) {
      const res = await app.inject({
        method: r.method as 'POST',
        url,
        headers: { ...callerFor(r), 'content-type': type },
        payload,
      });
      sent++;
      const what = `${key} (${type}, ${payload.length.toLocaleString('en-US')} bytes): ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (i > 0 && res.statusCode === 415) continue;
      assert.equal(res.statusCode, 413, what);
      assert.match(String(res.json().error), /large|over|limit/i, what);
    }
  }
  assert.equal(await state(), before, 'nothing of the refused bodies was stored');
  console.log(`body limits: ${routes} routes with a body, ${sent} over-limit bodies, all 413`);
  assert.ok(routes >= 30, String(routes));
});

/** Sends `total` bytes in 64 KB chunks with no Content-Length; resolves with the status. */
function chunked(path: string, headers: Record<string, string>, total: number): Promise<number> {
  const port = (app.server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      // The server has answered and reads no more: stop sending, or the socket stays open.
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      req.end();
    };
    req.write('email\n');
    pump();
  });
}

test('a body in chunks, with no Content-Length, is cut at the limit as it arrives', async () => {
  const before = (await ws.counts()).contacts;
  const token = { authorization: `Bearer ${CLI}`, 'x-northstar-workspace': 'limits' };
  assert.equal(
    await chunked('/api/v1/import/contacts', { ...token, 'content-type': 'text/csv' }, 3 * UPLOAD_LIMIT),
    413,
  );
  assert.equal(
    await chunked('/api/v1/goals/webhooks', { ...token, 'content-type': 'application/json' }, 3 * JSON_LIMIT),
    413,
  );
  assert.equal((await ws.counts()).contacts, before);
});

test('a path file under the limit is attributed whole; one byte over it is a 413, never read cut short', async () => {
  const head = 'path;total_conversions;total_conversion_value;total_null\n';
  const row = 'Organic > Paid;1;10;0\n';
  const post = (file: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/attribution/paths?model=last_touch',
      headers: {
        authorization: `Bearer ${CLI}`,
        'x-northstar-workspace': 'limits',
        'content-type': 'multipart/form-data; boundary=B',
      },
      payload: `--B\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n${file}\r\n--B--\r\n`,
    });
  // Whole rows only, so a file cut at the limit would still parse: the size alone must refuse it.
  const rows = Math.floor((UPLOAD_LIMIT - head.length) / row.length);
  const fits = `${head}${row.repeat(rows)}`;
  const ok = await post(fits);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.match(ok.body, /Organic/);
  const over = await post(`${fits}${row}`);
  assert.equal(over.statusCode, 413, over.body);
  assert.match(over.json().error, /over 2,097,152 bytes/);
});
