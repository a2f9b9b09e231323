import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { storeContract } from '../src/store/store.contract.js';

// The shared contract against a real DuckDB file on disk (not :memory:), as production uses it.
storeContract('duckdb', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ns-store-')), 'northstar.duckdb');
  const store = await DuckDbStore.open(path);
  await store.migrate();
  return {
    store,
    reopen: async () => {
      const s = await DuckDbStore.open(path);
      await s.migrate();
      return s;
    },
  };
});

test('an idle checkpoint runs only when writes have paused and the WAL is worth it', async () => {
  const { statSync } = await import('node:fs');
  const { tempStore, session } = await import('./fixtures.js');
  const { store, dbPath } = await tempStore();
  const walSize = () => statSync(`${dbPath}.wal`, { throwIfNoEntry: false })?.size ?? 0;
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme' }));
  await ws.appendSessions(
    Array.from({ length: 2000 }, (_, i) => session(`s${i}`, '2026-03-01T10:00:00Z', 'Direct')),
  );
  assert.ok(walSize() > 0, 'the rows are in the WAL');
  assert.equal(await store.db.checkpointIfIdle(60_000, 1), false, 'a write ended just now');
  assert.equal(await store.db.checkpointIfIdle(0, 1e12), false, 'the WAL is smaller than asked');
  // While a write is queued, no checkpoint starts.
  const pending = ws.appendSessions([session('late', '2026-03-01T11:00:00Z', 'Direct')]);
  assert.equal(await store.db.checkpointIfIdle(0, 1), false);
  await pending;
  assert.equal(await store.db.checkpointIfIdle(0, 1), true);
  assert.equal(walSize(), 0, 'checkpointed into the main file');
  assert.deepEqual(await ws.query('SELECT count(*) AS n FROM @sessions'), [{ n: 2001 }]);
  await store.close();
});
