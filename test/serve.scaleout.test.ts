import assert from 'node:assert/strict';
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import type { Workspace } from '../src/domain/workspace.js';
import { HttpExecutor } from '../src/store/clickhouse/ch.executor.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { PostgresMetaStore } from '../src/store/postgres/postgres.store.js';
import { startServe, stopProcess } from './fixtures.js';
import { env, freshPgDatabase, skipUnless } from './scaleout.env.js';

// The product on the scale-out path: `northstar serve --events … --meta …` as a real process, on the
// PostgreSQL server scripts/scaleout-servers.sh starts, with ClickHouse 26 in the server's process
// (chdb) for tracking and KPIs, and with Debian's clickhouse-server over the network (that release
// runs the tracker, through the legacy spelling of its look-ups, but not KPI queries: docs/scale-out.md).
const skip = skipUnless(Boolean(env.pg) && env.chdb, 'PostgreSQL (NORTHSTAR_TEST_PG) and chdb');
const skipShard =
  skip || skipUnless(env.shards.length >= 1, 'a clickhouse-server (NORTHSTAR_TEST_CH_SHARDS)');
const servers: ChildProcess[] = [];
after(async () => {
  for (const s of servers) await stopProcess(s, 'SIGKILL');
});

const PASSWORD = 'a long enough password';
const DAY = '2026-11-02';

/** A workspace, a viewer who can sign in, a write key and an editor token, straight into PostgreSQL. */
async function seedMeta(url: string): Promise<{ writeKey: string; token: string; workspace: Workspace }> {
  const meta = await PostgresMetaStore.open(url);
  try {
    await meta.migrate();
    const w = await meta.createWorkspace({ slug: 'site' });
    const user = await meta.createUser('ana@acme.test', 'Ana', PASSWORD);
    const ws = meta.forWorkspace(w);
    await ws.addMember(user.id, 'viewer');
    const writeKey = (await ws.createApiKey('write')).key;
    const token = (await ws.createApiKey('token', 'editor')).key;
    return { writeKey, token, workspace: w };
  } finally {
    await meta.close();
  }
}

let serverLog: () => string = () => '';
async function serveOn(events: string, meta: string): Promise<string> {
  const started = await startServe(mkdtempSync(join(tmpdir(), 'ns-serve-so-')), [
    '--events',
    events,
    '--meta',
    meta,
  ]);
  servers.push(started.server);
  serverLog = started.log;
  assert.match(started.log(), /events: (chdb|clickhouse):\/\/.*metadata: postgres:\/\//);
  return started.base;
}

async function track(base: string, writeKey: string, messageId: string): Promise<void> {
  const res = await fetch(`${base}/v1/page`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({
      type: 'page',
      messageId,
      anonymousId: 'visitor-1',
      timestamp: `${DAY}T09:00:00.000Z`,
      context: { page: { url: 'https://acme.test/pricing?utm_source=newsletter&utm_medium=email' } },
    }),
  });
  assert.equal(res.status, 200, `${await res.text()}\n${serverLog().slice(-3000)}`);
}

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@acme.test', password: PASSWORD }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const m = /^(ns_session=[^;]*)/.exec(res.headers.get('set-cookie') ?? '');
  assert.ok(m?.[1], 'a session cookie');
  return { cookie: m[1], csrf: ((await res.json()) as { csrf: string }).csrf };
}

test('serve on PostgreSQL + ClickHouse: a tracked page view, a sign-in and a token read it as a KPI', {
  skip,
  timeout: 180_000,
}, async () => {
  const meta = await freshPgDatabase(env.pg as string);
  const { writeKey, token } = await seedMeta(meta);
  const base = await serveOn(`chdb://${mkdtempSync(join(tmpdir(), 'ns-serve-chdb-'))}`, meta);
  await track(base, writeKey, 'm-1');
  await track(base, writeKey, 'm-1'); // a retry: counted once
  await track(base, writeKey, 'm-2');

  const { cookie } = await signIn(base);
  const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } });
  assert.equal(me.status, 200);
  const q = `from=${DAY}&to=${DAY}&grain=total`;
  // Tracking is acknowledged before the rows are queryable everywhere: poll briefly.
  let body: unknown;
  for (const deadline = Date.now() + 30_000; ; ) {
    const r = await fetch(`${base}/api/v1/kpis/page_views?${q}`, { headers: { cookie } });
    assert.equal(r.status, 200, await r.clone().text());
    body = await r.json();
    if (JSON.stringify(body).includes('"value":2') || Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 300));
  }
  assert.match(JSON.stringify(body), /"value":2\b/, JSON.stringify(body));

  // The editor token (PostgreSQL's api_keys.role) reads too, and the session ends at sign-out.
  const viaToken = await fetch(`${base}/api/v1/kpis/sessions?${q}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(viaToken.status, 200);
  assert.match(JSON.stringify(await viaToken.json()), /"value":1\b/);
  const out = await fetch(`${base}/api/v1/auth/signout`, { method: 'POST', headers: { cookie } });
  assert.ok(out.status < 300, `sign-out: ${out.status}`);
  assert.equal((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).status, 401);
});

// KPIs run the dialect's modern functions, which 18.16 lacks: over the network to that release, serve
// is checked for what it does there (docs/scale-out.md).
test("serve on PostgreSQL + Debian's clickhouse-server: it creates its tables over HTTP, sign-in and tokens work", {
  skip: skipShard,
  timeout: 120_000,
}, async () => {
  const meta = await freshPgDatabase(env.pg as string);
  const { token } = await seedMeta(meta);
  const shard = env.shards[0] as string;
  const db = `ns_serve_${process.pid}_${Date.now().toString(36)}`;
  const admin = await HttpExecutor.open(shard);
  try {
    await admin.command(`CREATE DATABASE ${db}`);
    const base = await serveOn(`clickhouse://${new URL(shard).host}/${db}`, meta);
    const tables = await admin.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${db}'`,
    );
    for (const t of ['events', 'sessions', 'identities', 'contacts', 'spend'])
      assert.ok(
        tables.some((r) => r.name === t),
        `${t} in ${JSON.stringify(tables)}`,
      );
    const { cookie } = await signIn(base);
    assert.equal((await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).status, 200);
    const kpis = await fetch(`${base}/api/v1/kpis`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(kpis.status, 200);
    const bad = await fetch(`${base}/api/v1/kpis`, { headers: { authorization: 'Bearer ns_t_unknown' } });
    assert.equal(bad.status, 401);
  } finally {
    await admin.command(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
    await admin.close();
  }
});

test('CLI commands open PostgreSQL + ClickHouse from NORTHSTAR_META and NORTHSTAR_EVENTS', {
  skip,
  timeout: 120_000,
}, async () => {
  const meta = await freshPgDatabase(env.pg as string);
  await seedMeta(meta);
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const data = mkdtempSync(join(tmpdir(), 'ns-cli-so-'));
  const run = (args: string[], extra: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', main, '--data', data, ...args], {
      env: { ...process.env, ...extra },
    });
  const events = `chdb://${mkdtempSync(join(tmpdir(), 'ns-cli-chdb-'))}`;
  const both = { NORTHSTAR_META: meta, NORTHSTAR_EVENTS: events };
  const list = await run(['workspace', 'list', '--format', 'json'], both);
  assert.match(list.stdout, /"slug":\s*"site"/);
  const keys = await run(['keys', 'list', '--workspace', 'site', '--format', 'json'], both);
  assert.match(keys.stdout, /"role":\s*"editor"/);
  // One without the other is refused with what to do; the DuckDB directory stays untouched.
  await assert.rejects(run(['workspace', 'list'], { NORTHSTAR_META: meta }), (e: { stderr: string }) =>
    /give both --events/.test(e.stderr),
  );
});

const skipCluster =
  skip || skipUnless(env.shards.length >= 2 && Boolean(env.cluster), 'two clickhouse-server shards');

// The tracker's look-ups (recent message ids by epoch milliseconds, open visits) used functions 18.16
// lacks, so every tracked event failed there with a 500; the store now speaks that release's spelling.
test('serve on PostgreSQL + two Debian clickhouse-server shards: a tracked batch lands once, spread by person', {
  skip: skipCluster,
  timeout: 120_000,
}, async () => {
  const meta = await freshPgDatabase(env.pg as string);
  const { writeKey, workspace } = await seedMeta(meta);
  const db = `ns_track_${process.pid}_${Date.now().toString(36)}`;
  const shards: HttpExecutor[] = [];
  for (const url of env.shards) {
    const admin = await HttpExecutor.open(url);
    await admin.command(`CREATE DATABASE ${db}`);
    await admin.close();
    shards.push(await HttpExecutor.open(url, db));
  }
  const [first, ...rest] = env.shards.map((u) => new URL(u).host);
  const events = `clickhouse://${first}/${db}?cluster=${env.cluster}&shards=${rest.join(',')}`;
  const store = await ClickHouseEventStore.open(events);
  try {
    const base = await serveOn(events, meta);
    const batch = Array.from({ length: 30 }, (_, i) => ({
      type: 'page',
      messageId: `b-${i}`,
      anonymousId: `visitor-${i % 10}`,
      timestamp: `${DAY}T09:${String(i).padStart(2, '0')}:00.000Z`,
      context: { page: { url: `https://acme.test/p/${i}?utm_source=newsletter&utm_medium=email` } },
    }));
    const post = () =>
      fetch(`${base}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({ batch }),
      });
    for (const attempt of ['first', 'retry']) {
      const res = await post();
      assert.equal(res.status, 200, `${attempt}: ${await res.text()}\n${serverLog().slice(-3000)}`);
    }
    const ws = store.forWorkspace(workspace);
    assert.equal((await ws.counts()).events, 30, 'the retried batch is counted once');
    const [visits] = await ws.query<{ n: number }>('SELECT count(DISTINCT anonymous_id) AS n FROM @sessions');
    assert.equal(visits?.n, 10, 'one visitor, one visit');
    const perShard = await Promise.all(
      shards.map(async (s) => {
        const [r] = await s.query<{ n: number }>('SELECT uniqExact(message_id) AS n FROM events_local');
        return Number(r?.n);
      }),
    );
    assert.equal(
      perShard.reduce((a, b) => a + b, 0),
      30,
    );
    assert.ok(
      perShard.every((n) => n > 0),
      `both shards hold events: ${perShard}`,
    );
  } finally {
    await store.close();
    for (const s of shards) {
      await s.command(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
      await s.close();
    }
  }
});
