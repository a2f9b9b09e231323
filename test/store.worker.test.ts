import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/core/errors.js';
import { storeContract } from '../src/store/store.contract.js';
import { WorkerStore } from '../src/store/worker/worker.store.js';

// The same contract through the database thread: what `serve` runs on.
storeContract('duckdb in a worker thread', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ns-store-w-')), 'northstar.duckdb');
  const store = await WorkerStore.open(path);
  await store.migrate();
  return {
    store,
    reopen: async () => {
      const s = await WorkerStore.open(path);
      await s.migrate();
      return s;
    },
  };
});

test('errors from the database thread keep their kind, status and message', async () => {
  const store = await WorkerStore.open(join(mkdtempSync(join(tmpdir(), 'ns-store-w-')), 'n.duckdb'));
  try {
    await store.migrate();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme' }));
    await assert.rejects(store.createWorkspace({ slug: 'acme' }), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.status, 409);
      assert.match(e.message, /workspace acme already exists/);
      return true;
    });
    // An internal error stays one (exit 2, 500), with its message.
    await assert.rejects(ws.query('SELECT * FROM events'), (e: unknown) => {
      assert.ok(e instanceof Error && !(e instanceof UserError), String(e));
      assert.match(e.message, /must name tables as @events/);
      return true;
    });
  } finally {
    await store.close();
  }
  await assert.rejects(store.listWorkspaces(), /closed/);
});

test('a file another process holds is refused at open with a clear message', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ns-store-w-')), 'n.duckdb');
  const { spawn } = await import('node:child_process');
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `import('@duckdb/node-api').then(async ({DuckDBInstance}) => { globalThis.held = await DuckDBInstance.create(${JSON.stringify(path)}); globalThis.conn = await globalThis.held.connect(); console.log('held'); setInterval(() => {}, 1000); })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // The holder keeps its instance in a global: an unreferenced instance can be
  // collected, which releases the lock (the CI failure of 2026-12-01).
  try {
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
    await assert.rejects(WorkerStore.open(path), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match(e.message, /in use by another process/);
      return true;
    });
  } finally {
    holder.kill('SIGKILL');
  }
});

test('only methods declared in the protocol cross to the database thread', async () => {
  const store = await WorkerStore.open(join(mkdtempSync(join(tmpdir(), 'ns-store-w-')), 'n.duckdb'));
  try {
    await store.migrate();
    const ws = store.forWorkspace(await store.createWorkspace({ slug: 'acme' }));
    // Methods the DuckDB store has but the interfaces do not declare are no methods here.
    const raw = ws as unknown as Record<string, unknown>;
    for (const name of ['writeTrackingOn', 'upsertOn', 'toString', 'then'])
      assert.equal(raw[name], undefined, name);
    assert.equal((store as unknown as Record<string, unknown>).db, undefined);
    assert.deepEqual(await ws.counts(), { events: 0, contacts: 0, deals: 0, spend: 0, email: 0, social: 0 });
  } finally {
    await store.close();
  }
});
