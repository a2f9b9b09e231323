import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openScaleOut } from '../src/store/open.store.js';
import { contact, deal, eventRow, runCli, session, spendRow, tempStore } from './fixtures.js';
import { env, freshPgDatabase, skipUnless } from './scaleout.env.js';

// `northstar migrate --events --meta` and `northstar copy --to --meta-to` against the real engines:
// PostgreSQL (Debian's server) and ClickHouse 26 in process (chdb://).
const skip = skipUnless(Boolean(env.pg) && env.chdb, 'PostgreSQL (NORTHSTAR_TEST_PG) and chdb');

test('migrate creates both schemas once; copy moves a workspace with its ids and verifies counts', {
  skip,
}, async () => {
  const { store, dataDir } = await tempStore();
  const meta = await freshPgDatabase(env.pg as string);
  const events = `chdb://${mkdtempSync(join(tmpdir(), 'ns-copy-ch-'))}`;

  const first = await runCli(store, dataDir, [
    'migrate',
    '--events',
    events,
    '--meta',
    meta,
    '--format',
    'json',
  ]);
  assert.equal(first.code, 0, first.err);
  assert.ok((JSON.parse(first.out) as { applied: string[] }).applied.length >= 2);
  const again = await runCli(store, dataDir, [
    'migrate',
    '--events',
    events,
    '--meta',
    meta,
    '--format',
    'json',
  ]);
  assert.deepEqual(JSON.parse(again.out), { applied: [] });
  const half = await runCli(store, dataDir, ['migrate', '--events', events]);
  assert.equal(half.code, 1);
  assert.match(half.err, /both --events/);

  const w = await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw' });
  const ws = store.forWorkspace(w);
  const { key } = await ws.createApiKey('write');
  const token = (await ws.createApiKey('token', 'admin')).key;
  const user = await store.createUser('ana@example.com', 'Ana', 'correct horse');
  await ws.addMember(user.id, 'editor');
  await ws.appendEvents(
    Array.from({ length: 250 }, (_, i) =>
      eventRow(`m${i}`, new Date(Date.UTC(2026, 0, 1 + (i % 60), 9)), { anonymousId: `a${i % 17}` }),
    ),
  );
  await ws.appendSessions([
    session('s1', '2026-01-02T09:00:00Z', 'Email'),
    session('s2', '2026-02-02T09:00:00Z', 'Direct'),
  ]);
  await ws.upsertContacts([contact('c1'), contact('c2', { lifecycleStage: 'customer' })]);
  await ws.upsertDeals([deal('d1', 'c2', 1200, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', true)]);
  await ws.appendSpend([
    spendRow('2026-01-05', 'Paid Search', 10.25),
    spendRow('2026-01-06', 'Paid Search', 4.75),
  ]);
  await ws.replaceGoals(
    [
      {
        id: 'g',
        parentId: null,
        kind: 'goal',
        title: 'Grow',
        owner: null,
        position: 0,
        spec: { kpi: 'leads' },
        updatedAt: new Date(),
      },
    ],
    'tester',
  );

  const copy = await runCli(store, dataDir, ['copy', '--to', events, '--meta-to', meta, '--format', 'json']);
  assert.equal(copy.code, 0, copy.err);
  const report = JSON.parse(copy.out) as {
    ok: boolean;
    tables: Array<{ table: string; source: number; target: number }>;
  };
  assert.equal(report.ok, true);
  assert.equal(report.tables.find((t) => t.table === 'events')?.target, 250);

  const twice = await runCli(store, dataDir, ['copy', '--to', events, '--meta-to', meta]);
  assert.equal(twice.code, 1);
  assert.match(twice.err, /exists in PostgreSQL already/);

  const split = await openScaleOut({ events, meta });
  assert.ok(split);
  const w2 = await split.getWorkspace('acme');
  assert.equal(w2?.id, w.id, 'the workspace keeps its id');
  assert.equal((await split.findApiKey(key))?.workspace.slug, 'acme', 'keys still work (hashes copied)');
  assert.equal((await split.findApiKey(token))?.role, 'admin', 'a token keeps its role');
  assert.equal((await split.verifyPassword('ana@example.com', 'correct horse'))?.id, user.id);
  const ws2 = split.forWorkspace(w2 as NonNullable<typeof w2>);
  assert.deepEqual(await ws2.counts(), await ws.counts());
  assert.deepEqual(await ws2.getDeal('d1'), await ws.getDeal('d1'));
  assert.deepEqual(
    (await ws2.listGoals()).map((g) => g.spec),
    [{ kpi: 'leads' }],
  );
  const sql = 'SELECT CAST(date AS VARCHAR) AS d, sum(cost) AS c FROM @spend GROUP BY 1 ORDER BY 1';
  assert.deepEqual(await ws2.query(sql), await ws.query(sql));
  await split.close();
  await store.close();
});
