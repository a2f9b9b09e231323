import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Workspace } from '../src/domain/workspace.js';
import { HttpExecutor } from '../src/store/clickhouse/ch.executor.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { eventRow, session } from './fixtures.js';
import { env, skipUnless } from './scaleout.env.js';

// The network path and the sharding on real clickhouse-server processes (Debian's package, 18.16:
// no query parameters, no DateTime64, so timestamps keep whole seconds there): two shards on loopback
// ports, the event tables Distributed over `<table>_local`, sharded by person.
const skip = skipUnless(env.shards.length >= 2 && Boolean(env.cluster), 'two clickhouse-server shards');

async function clusterStore(): Promise<{ store: ClickHouseEventStore; shards: HttpExecutor[]; db: string }> {
  const db = `ns_${process.pid}_${Date.now().toString(36)}`;
  const shards: HttpExecutor[] = [];
  for (const url of env.shards) {
    const admin = await HttpExecutor.open(url);
    await admin.command(`CREATE DATABASE ${db}`);
    await admin.close();
    shards.push(await HttpExecutor.open(url, db));
  }
  const [first, ...rest] = env.shards.map((u) => new URL(u).host);
  const store = await ClickHouseEventStore.open(
    `clickhouse://${first}/${db}?cluster=${env.cluster}&shards=${rest.join(',')}`,
  );
  await store.migrate();
  return { store, shards, db };
}

const workspace = { id: 'w1', slug: 'w1', timezone: 'UTC' } as Workspace;
const at = (h: number) => new Date(Date.UTC(2026, 2, 1, h));

test('a person never spans shards: events, visits and identity links land together', { skip }, async () => {
  const { store, shards } = await clusterStore();
  assert.equal(store.features.legacy, true, 'the Debian release is the legacy path');
  const ws = store.forWorkspace(workspace);
  const people = Array.from({ length: 40 }, (_, i) => `anon-${i}`);
  await ws.appendEvents(
    people.flatMap((p, i) =>
      [0, 1, 2].map((k) => eventRow(`${p}-m${k}`, at(k), { anonymousId: p, userId: i % 2 ? `u${i}` : null })),
    ),
  );
  await ws.upsertSessions(
    people.map((p) => session(`${p}-s`, '2026-03-01T00:00:00Z', 'Direct', { anonymousId: p })),
  );
  await ws.appendIdentities(
    people.map((p, i) => ({ anonymousId: p, userId: `u${i}`, firstSeen: at(1), via: 'identify' })),
  );
  // A retried batch (the same message ids again, a separate insert): still counted once, before merges.
  await ws.appendEvents(people.slice(0, 10).map((p) => eventRow(`${p}-m0`, at(0), { anonymousId: p })));
  assert.equal((await ws.counts()).events, 120);

  const where = new Map<string, Set<number>>();
  for (const [i, shard] of shards.entries()) {
    for (const table of ['events_local', 'sessions_local', 'identities_local']) {
      const rows = await shard.query<{ p: string }>(`SELECT DISTINCT anonymous_id AS p FROM ${table}`);
      for (const r of rows) where.set(r.p, (where.get(r.p) ?? new Set()).add(i));
    }
  }
  assert.equal(where.size, 40);
  for (const [p, on] of where) assert.equal(on.size, 1, `${p} is on one shard only`);
  const perShard = [0, 1].map((i) => [...where.values()].filter((s) => s.has(i)).length);
  assert.ok(
    perShard.every((n) => n > 5),
    `both shards hold people: ${perShard}`,
  );

  // A journey query through the Distributed tables: each person's visits and events, in order.
  const journeys = await ws.query<{ p: string; n: number; first: Date }>(
    `SELECT e.anonymous_id AS p, count(*) AS n, min(e.ts) AS first FROM @events e
     WHERE e.anonymous_id IN (SELECT anonymous_id FROM @sessions) GROUP BY e.anonymous_id ORDER BY p`,
  );
  assert.equal(journeys.length, 40);
  assert.ok(journeys.every((j) => j.n === 3 && j.first.toISOString() === '2026-03-01T00:00:00.000Z'));
  await store.close();
  for (const s of shards) await s.close();
});

test('the old release gets parameters as escaped literals (no query parameters before 19.x) and refuses bare tables', {
  skip,
}, async () => {
  const { store, shards } = await clusterStore();
  const ws = store.forWorkspace(workspace);
  await ws.appendEvents([eventRow("it's-1", at(1), { anonymousId: "o'brien\\", channel: 'Email' })]);
  const rows = await ws.query<{ id: string }>(
    'SELECT message_id AS id FROM @events WHERE anonymous_id = $a',
    {
      a: "o'brien\\",
    },
  );
  assert.deepEqual(rows, [{ id: "it's-1" }]);
  assert.deepEqual(await ws.query('SELECT 1 FROM @events WHERE channel = $c', { c: "' OR 1=1 --" }), []);
  await assert.rejects(ws.query('SELECT count() FROM events'), /@events/);
  await store.close();
  for (const s of shards) await s.close();
});

test("18.16 gets its own spelling of the time primitives the tracker's look-ups use", { skip }, async () => {
  const { store, shards } = await clusterStore();
  const ws = store.forWorkspace(workspace);
  const d = ws.dialect;
  const ms = Date.UTC(2026, 2, 1, 10);
  const lit = d.timestampLiteral(ms);
  const [r] = await ws.query(
    `SELECT ${d.epochMs(lit)} AS ms, ${d.cast("'2026-03-01 10:00:00'", 'timestamp')} AS ts,
       ${d.truncDate('day', lit)} AS day, ${d.truncDate('month', lit)} AS month,
       ${d.secondsBetween(lit, d.addInterval(lit, '-31', 'minute'))} AS secs,
       ${d.nullOf('timestamp')} AS nothing, ${d.epochMs(d.now())} AS now_ms`,
  );
  assert.ok(r);
  assert.equal(r.ms, ms);
  assert.equal((r.ts as Date).getTime(), ms);
  assert.deepEqual([r.day, r.month, r.secs, r.nothing], ['2026-03-01', '2026-03-01', -1860, null]);
  assert.ok(Math.abs(Number(r.now_ms) - Date.now()) < 120_000, `now: ${r.now_ms}`);
  await store.close();
  for (const s of shards) await s.close();
});
