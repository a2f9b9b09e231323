/**
 * Migration 4 on a database made by versions 1-3 with data in it: stored contacts and deals stay,
 * and afterwards a contact without a stage and a deal without an amount can be stored.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { MIGRATIONS } from '../src/store/duckdb/migrations.js';
import { contact, deal } from './fixtures.js';

test('migration 4 upgrades a version-3 database with contacts and deals in it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ns-mig4-')), 'northstar.duckdb');
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  await c.run(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
    for (const s of m.statements) await c.run(s);
    await c.run(`INSERT INTO schema_migrations VALUES (${m.version}, '${m.name}', now()::TIMESTAMP)`);
  }
  await c.run(`INSERT INTO workspaces VALUES ('w1', 'acme', 'Acme', 'UTC', 'USD', '{}', now()::TIMESTAMP)`);
  await c.run(
    `INSERT INTO contacts (workspace_id, id, lifecycle_stage, created_at) VALUES ('w1', 'c1', 'lead', now()::TIMESTAMP)`,
  );
  await c.run(
    `INSERT INTO deals (workspace_id, id, amount, currency, stage, created_at) VALUES ('w1', 'd1', 100, 'USD', 'open', now()::TIMESTAMP)`,
  );
  c.closeSync();
  db.closeSync();

  const store = await DuckDbStore.open(path);
  try {
    const { applied } = await store.migrate();
    assert.deepEqual(
      applied.map((a) => a.split(' ')[0]),
      MIGRATIONS.filter((m) => m.version > 3).map((m) => String(m.version)),
    );
    const w = await store.getWorkspace('acme');
    assert.ok(w);
    const ws = store.forWorkspace(w);
    assert.equal((await ws.getContact('c1'))?.lifecycleStage, 'lead');
    assert.equal((await ws.getDeal('d1'))?.amount, 100);
    await ws.upsertContacts([contact('c2', { lifecycleStage: null })]);
    await ws.upsertDeals([{ ...deal('d2', 'c2', 0, '2026-01-01T00:00:00Z', null, null), amount: null }]);
    assert.equal((await ws.getContact('c2'))?.lifecycleStage, null);
    assert.equal((await ws.getDeal('d2'))?.amount, null);
  } finally {
    await store.close();
  }
});
