// Issue 11's probe, in-process: each request that killed the server, lost events or gave an unseen
// 500 is answered 4xx with its reason now; 5xx answers are logged once with a request id.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { createLogger } from '../src/server/logger.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { session, tempStore } from './fixtures.js';

let app: FastifyInstance;
let store: DuckDbStore;
let ws: WorkspaceStore;
let writeKey = '';
let readKey = '';
const lines: string[] = [];
const bearer = () => ({ authorization: `Bearer ${readKey}` });

/** `{a:{a:…1}}` nested `levels` deep, as text (JSON.stringify itself would overflow). */
function deepText(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

before(async () => {
  const t = await tempStore();
  store = t.store;
  const w = await store.createWorkspace({ slug: 'probe', timezone: 'Europe/Warsaw' });
  ws = store.forWorkspace(w);
  writeKey = (await ws.createApiKey('write')).key;
  readKey = (await ws.createApiKey('read')).key;
  app = await buildApp({ store, dataDir: t.dataDir, logger: createLogger('info', (l) => lines.push(l)) });
  app.get('/test/boom', { config: { access: 'public' } }, async () => {
    throw new Error('boom from the test route');
  });
  app.get('/test/sent-500', { config: { access: 'public' } }, async (_req, reply) =>
    reply.code(503).send({ error: 'busy' }),
  );
});
after(async () => {
  await app.close();
  await store.close();
});

test('dates outside 1970-01-01..2199-12-31 are refused with 400, before any work', async () => {
  for (const q of [
    'from=9999-01-01&to=9999-12-31&grain=week',
    'from=9999-01-01&to=9999-12-31&grain=day',
    'from=0100-01-01&to=9999-12-31&grain=total',
    'from=1969-12-31&to=2026-01-01',
  ]) {
    const t = Date.now();
    const r = await app.inject({ url: `/api/v1/kpis/sessions?${q}`, headers: bearer() });
    assert.equal(r.statusCode, 400, q);
    assert.match(r.json().error, /between 1970-01-01 and 2199-12-31/, q);
    // Before the fix the first of these never answered (the process died after ~150 s).
    assert.ok(Date.now() - t < 5000, `${q} answered in ${Date.now() - t} ms`);
  }
});

test('a range of more than 10,000 periods is refused with the limit in the message', async () => {
  const r = await app.inject({
    url: '/api/v1/kpis/sessions?from=1970-01-01&to=2199-12-31&grain=week',
    headers: bearer(),
  });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /12,002 periods; at most 10,000/);
});

test('the longest accepted range answers at once, by year and in total', async () => {
  for (const grain of ['total', 'year', 'month']) {
    const t = Date.now();
    const r = await app.inject({
      url: `/api/v1/kpis/sessions?from=1970-01-01&to=2199-12-31&grain=${grain}`,
      headers: bearer(),
    });
    assert.equal(r.statusCode, 200, r.body);
    const rows = r.json().rows as Array<{ period: string }>;
    assert.equal(rows.length, grain === 'total' ? 1 : grain === 'year' ? 230 : 230 * 12);
    assert.equal(
      rows.at(-1)?.period,
      grain === 'total' ? '1970-01-01' : grain === 'year' ? '2199-01-01' : '2199-12-01',
    );
    assert.ok(Date.now() - t < 2000, `${grain} took ${Date.now() - t} ms`);
  }
});

test('an event nested deeper than 32 levels is a 400 with its reason, alone or in a batch', async () => {
  const auth = {
    authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  // 20 KB, under the 32 KB message limit (arrays, 2 bytes a level): only the depth check refuses it.
  const single = `{"type":"track","event":"Deep","anonymousId":"d1","properties":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
  assert.ok(single.length < 32 * 1024);
  let r = await app.inject({ method: 'POST', url: '/v1/track', payload: single, headers: auth });
  assert.equal(r.statusCode, 400, r.body);
  assert.match(r.json().error, /nested deeper than 32 levels/);
  const batch = `{"batch":[{"type":"track","event":"Ok","anonymousId":"d2"},{"type":"track","event":"Deep","anonymousId":"d3","properties":${deepText(40)}}]}`;
  r = await app.inject({ method: 'POST', url: '/v1/batch', payload: batch, headers: auth });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /batch\[1\]: message nested deeper than 32 levels/);
  r = await app.inject({
    method: 'POST',
    url: '/v1/batch',
    payload: `{"context":${deepText(40)},"batch":[{"type":"track","event":"Ok","anonymousId":"d2"}]}`,
    headers: auth,
  });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /context nested deeper/);
  // The JSON API refuses deep bodies before its validators see them.
  r = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/lint',
    payload: `{"x":${deepText(5_000)}}`,
    headers: { ...bearer(), 'content-type': 'application/json' },
  });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /nested deeper than 32 levels/);
  assert.equal(lines.filter((l) => / ERROR /.test(l)).length, 0, 'no 500 was logged');
});

test('unknown and over-long write keys are refused with 401', async () => {
  for (const key of ['k'.repeat(900_000), 'ns_w_unknown', 'ns_w_ünïcode', '']) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/track',
      payload: { type: 'track', event: 'X', anonymousId: 'a', writeKey: key },
    });
    assert.equal(r.statusCode, 401);
  }
  const r = await app.inject({
    url: '/api/v1/kpis',
    headers: { authorization: `Bearer ${'r'.repeat(10_000)}` },
  });
  assert.equal(r.statusCode, 401);
});

test('uploads: multipart with fields or a raw body; a malformed name, a broken form and an over-size body are 4xx', async () => {
  const t = await tempStore();
  const w = await t.store.createWorkspace({ slug: 'up' });
  const key = (await t.store.forWorkspace(w).createApiKey('token')).key;
  const small = await buildApp({ store: t.store, dataDir: t.dataDir, maxUploadBytes: 200 });
  const auth = { authorization: `Bearer ${key}` };
  const csv = 'email,created_at\r\na@example.com,2026-01-01\r\nb@example.com,2026-01-02\r\n';
  const form = (disposition: string, extra = '', end = '--B--\r\n') =>
    `--B\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n${extra}${end}`;
  const post = (payload: string, type: string) =>
    small.inject({
      method: 'POST',
      url: '/api/v1/import/contacts',
      payload,
      headers: { ...auth, 'content-type': type },
    });
  try {
    let r = await post(
      form(
        'name="file"; filename="c.csv"',
        '--B\r\nContent-Disposition: form-data; name="skip_invalid"\r\n\r\ntrue\r\n',
      ),
      'multipart/form-data; boundary=B',
    );
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().imported, 2);
    // A malformed RFC 5987 name and a path in the name are only ever used to tell the format.
    for (const name of [`filename*=UTF-8''%ZZ.csv`, 'filename="../../etc/passwd.csv"']) {
      r = await post(form(`name="file"; ${name}`), 'multipart/form-data; boundary=B');
      assert.ok(r.statusCode < 500, `${name}: ${r.statusCode} ${r.body}`);
    }
    r = await post(form('name="file"; filename="c.csv"', '', '--B'), 'multipart/form-data; boundary=B');
    assert.ok(r.statusCode >= 400 && r.statusCode < 500, `a form cut short: ${r.statusCode} ${r.body}`);
    r = await post(
      '--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B--\r\n',
      'multipart/form-data; boundary=B',
    );
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /no `file` part/);
    r = await post(csv.repeat(10), 'text/csv');
    assert.equal(r.statusCode, 413);
    r = await post(
      form('name="file"; filename="big.csv"').replace(csv, csv.repeat(10)),
      'multipart/form-data; boundary=B',
    );
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(
      (await t.store.forWorkspace(w).counts()).contacts,
      2,
      'nothing of the refused uploads was stored',
    );
  } finally {
    await small.close();
    await t.store.close();
  }
});

test('a YAML alias bomb sent to goals lint is a 400, answered at once', async () => {
  const bomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'goals: [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  ].join('\n');
  const t = Date.now();
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/goals/lint',
    payload: bomb,
    headers: { ...bearer(), 'content-type': 'text/plain' },
  });
  assert.equal(r.statusCode, 400, r.body);
  assert.match(r.body, /alias/i);
  assert.ok(Date.now() - t < 2000);
});

test('every 5xx is logged once with its route and request id, which the answer carries', async () => {
  lines.length = 0;
  const r = await app.inject({ url: '/test/boom' });
  assert.equal(r.statusCode, 500);
  const id = r.json().requestId as string;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(r.headers['x-request-id'], id);
  const logged = lines.filter((l) => l.includes(id));
  assert.equal(logged.length, 1, lines.join(''));
  assert.match(logged[0] as string, / ERROR request failed .*route="GET \/test\/boom"/);
  assert.match(logged[0] as string, /boom from the test route/);
  const sent = await app.inject({ url: '/test/sent-500' });
  assert.equal(sent.statusCode, 503);
  const id2 = sent.headers['x-request-id'] as string;
  assert.equal(lines.filter((l) => l.includes(id2)).length, 1);
  // A client's own request id is not trusted.
  const own = await app.inject({ url: '/api/health', headers: { 'request-id': 'mine' } });
  assert.notEqual(own.headers['x-request-id'], 'mine');
});

test('a client that declares a body and never sends it is cut off by the request timeout', async () => {
  const t = await tempStore();
  const slow = await buildApp({
    store: t.store,
    dataDir: t.dataDir,
    timeouts: { requestMs: 800, headersMs: 500 },
  });
  await slow.listen({ host: '127.0.0.1', port: 0 });
  const port = (slow.server.address() as { port: number }).port;
  try {
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(
          'POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
        );
      });
      s.on('data', () => undefined);
      s.on('close', () => resolve(Date.now() - started));
      s.on('error', () => undefined);
      setTimeout(() => reject(new Error('the socket was held for 10 s')), 10_000).unref();
    });
    assert.ok(closedAfter < 5_000, `closed after ${closedAfter} ms`);
    // Headers a byte at a time are cut off too.
    const headersCut = await new Promise<number>((resolve, reject) => {
      const t0 = Date.now();
      const s = connect(port, '127.0.0.1', () => s.write('GET /api/health HTTP/1.1\r\nX-Slow: '));
      const drip = setInterval(() => s.writable && s.write('a'), 100);
      s.on('data', () => undefined);
      s.on('close', () => {
        clearInterval(drip);
        resolve(Date.now() - t0);
      });
      s.on('error', () => undefined);
      setTimeout(() => reject(new Error('headers held for 10 s')), 10_000).unref();
    });
    assert.ok(headersCut < 5_000, `headers cut after ${headersCut} ms`);
  } finally {
    await slow.close();
    await t.store.close();
  }
});

test('JSON-API errors name API parameters and say what was wrong; an unknown KPI comes first', async () => {
  const get = async (url: string) => {
    const r = await app.inject({ url, headers: bearer() });
    return { status: r.statusCode, body: r.json() as { error: string; field?: string } };
  };
  let r = await get('/api/v1/kpis/lead');
  assert.equal(r.status, 404);
  assert.match(r.body.error, /^unknown KPI "lead" \(did you mean "leads"\?\)/);
  r = await get('/api/v1/kpis/leads?from=2026/10/01&to=2026-10-31');
  assert.deepEqual(r, {
    status: 400,
    body: { error: 'from: expected a date YYYY-MM-DD, got "2026/10/01"', field: 'from' },
  });
  r = await get('/api/v1/kpis/leads?from=2026-10-01');
  assert.deepEqual(r, { status: 400, body: { error: 'to is required', field: 'to' } });
  r = await get('/api/v1/kpis/leads?from=2026-10-01&to=2026-10-31&grain=fortnight');
  assert.match(
    r.body.error,
    /^grain: expected one of day, week, month, quarter, year, total, got "fortnight"$/,
  );
  r = await get('/api/v1/kpis/leads?from=2026-10-31&to=2026-10-01');
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'to (2026-10-01) is before from (2026-10-31)');
  assert.equal(r.body.field, 'to');
});

test('hosts and origins: only our host names are answered; handed-out URLs come from configuration', async () => {
  const t = await tempStore();
  const w = await t.store.createWorkspace({ slug: 'hosts' });
  const key = (await t.store.forWorkspace(w).createApiKey('write')).key;
  const pub = await buildApp({ store: t.store, dataDir: t.dataDir, publicUrl: 'https://ns.example.com' });
  try {
    for (const host of ['localhost:8080', '127.0.0.1', '[::1]:8080', 'ns.example.com', 'NS.example.com:443'])
      assert.equal((await pub.inject({ url: '/api/health', headers: { host } })).statusCode, 200, host);
    const evil = await pub.inject({ url: '/', headers: { host: 'rebind.attacker.test' } });
    assert.equal(evil.statusCode, 421);
    assert.doesNotMatch(evil.body, /revenue/i);
    // The settings the browser SDK loads name the configured host, whatever Host the request had.
    const s = await pub.inject({ url: `/v1/projects/${key}/settings`, headers: { host: 'localhost:9999' } });
    assert.equal(s.json().integrations['Segment.io'].apiHost, 'ns.example.com/v1');
    assert.equal(s.json().integrations['Segment.io'].protocol, 'https');
    // Tracking: any origin, never with credentials; the JSON API: no CORS at all.
    const pre = await pub.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://shop.test' },
    });
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.equal(pre.headers['access-control-allow-credentials'], undefined);
    const api = await pub.inject({ url: '/api/v1/kpis', headers: { origin: 'https://shop.test' } });
    assert.equal(api.headers['access-control-allow-origin'], undefined);
  } finally {
    await pub.close();
    await t.store.close();
  }
});

test('a breakdown is bounded by its rows (periods × values), whatever visitors send as campaigns', async () => {
  // 600 campaigns, as any visitor can create with utm_campaign.
  await ws.upsertSessions(
    Array.from({ length: 600 }, (_, i) =>
      session(`camp-${i}`, `2026-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`, 'Paid Search', {
        campaign: `c-${i}`,
      }),
    ),
  );
  const t = Date.now();
  const day = await app.inject({
    url: '/api/v1/kpis/sessions?from=2026-01-01&to=2026-12-31&grain=day&by=campaign',
    headers: bearer(),
  });
  assert.equal(day.statusCode, 400, day.body);
  assert.match(
    day.json().error,
    /^365 periods × 600 campaign values is 219,000 rows; at most 100,000 are served/,
  );
  assert.ok(Date.now() - t < 5000);
  const month = await app.inject({
    url: '/api/v1/kpis/sessions?from=2026-01-01&to=2026-12-31&grain=month&by=campaign',
    headers: bearer(),
  });
  assert.equal(month.statusCode, 200);
  assert.equal(month.json().rows.length, 12 * 600);
});

test('a request the server takes long to answer is not cut off (only slow clients are)', async () => {
  const t = await tempStore();
  const slow = await buildApp({
    store: t.store,
    dataDir: t.dataDir,
    timeouts: { requestMs: 800, headersMs: 500, keepAliveMs: 500 },
  });
  slow.get('/test/slow', { config: { access: 'public' } }, async () => {
    await new Promise((r) => setTimeout(r, 2_000));
    return { done: true };
  });
  await slow.listen({ host: '127.0.0.1', port: 0 });
  try {
    const port = (slow.server.address() as { port: number }).port;
    const r = await fetch(`http://127.0.0.1:${port}/test/slow`);
    assert.deepEqual(await r.json(), { done: true });
  } finally {
    await slow.close();
    await t.store.close();
  }
});

test('strict bodies: no coercion, unknown fields refused with their names', async () => {
  const t = await tempStore();
  const w = await t.store.createWorkspace({ slug: 'strict' });
  const sws = t.store.forWorkspace(w);
  const key = (await sws.createApiKey('token')).key;
  const { applyPlan } = await import('../src/goals/plan.apply.js');
  await applyPlan(
    sws,
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
              due: '2026-03-31',
              owner: 'a@x.test',
            },
          ],
        },
      ],
    },
    'test',
  );
  const strictApp = await buildApp({ store: t.store, dataDir: t.dataDir });
  const post = (payload: unknown) =>
    strictApp.inject({
      method: 'POST',
      url: '/api/v1/goals/o/checkins',
      payload: payload as object,
      headers: { authorization: `Bearer ${key}` },
    });
  try {
    let r = await post({ note: ['x'] });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /^note: expected string, got \["x"\]$/);
    r = await post({ note: 'ok', confidence: '0.5' });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /^confidence: expected number,null, got "0.5"$/);
    r = await post({ note: 'ok', mood: 'great' });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /unknown field "mood"/);
    assert.equal((await sws.listCheckins('o')).length, 0, 'nothing stored');
    r = await post({ note: 'ok', confidence: 0.5 });
    assert.equal(r.statusCode, 201, r.body);
    // Query strings stay text that is read as numbers.
    const rkey = (await sws.createApiKey('read')).key;
    const q = await strictApp.inject({
      url: '/api/v1/plan/target?year=2025&uplift=5',
      headers: { authorization: `Bearer ${rkey}` },
    });
    assert.notEqual(q.statusCode, 500);
    assert.doesNotMatch(q.body, /expected number/);
  } finally {
    await strictApp.close();
    await t.store.close();
  }
});
