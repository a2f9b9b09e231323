import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDbStore } from '../duckdb/duckdb.store.js';
import { DuckDbWorkspaceStore } from '../duckdb/workspace.store.js';
import {
  type Access,
  STORE_ACCESS,
  STORE_METHODS,
  type StoreMethod,
  WORKSPACE_ACCESS,
  WORKSPACE_METHODS,
  type WorkspaceMethod,
} from './protocol.js';

// Compile-time checks (`npm run check` fails if any of these stops being an error): a table missing a
// method, or naming one the interface does not have, is refused by the compiler.
const { query: _dropped, ...withoutQuery } = WORKSPACE_ACCESS;
// @ts-expect-error a WorkspaceStore method without an entry does not compile
withoutQuery satisfies Record<WorkspaceMethod, Access>;
const { migrate: _gone, ...withoutMigrate } = STORE_ACCESS;
// @ts-expect-error a Store method without an entry does not compile
withoutMigrate satisfies Record<StoreMethod, Access>;
// @ts-expect-error an entry for a method the interface lacks does not compile
({ ...WORKSPACE_ACCESS, queryEverything: 'read' }) satisfies Record<WorkspaceMethod, Access>;
// @ts-expect-error an entry is a read or a write, nothing else
({ ...WORKSPACE_ACCESS, query: 'maybe' }) satisfies Record<WorkspaceMethod, Access>;

test('every declared method is one the DuckDB store implements', () => {
  for (const m of STORE_METHODS.keys())
    assert.equal(typeof (DuckDbStore.prototype as unknown as Record<string, unknown>)[m], 'function', m);
  for (const m of WORKSPACE_METHODS.keys())
    assert.equal(
      typeof (DuckDbWorkspaceStore.prototype as unknown as Record<string, unknown>)[m],
      'function',
      m,
    );
});

test('the lookup tables answer nothing for names off the tables (no prototype keys)', () => {
  for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'writeTrackingColumnar'])
    assert.equal(WORKSPACE_METHODS.get(name), undefined, name);
  assert.equal(WORKSPACE_METHODS.get('query'), 'read');
  assert.equal(WORKSPACE_METHODS.get('writeTracking'), 'write');
  assert.equal(STORE_METHODS.get('findApiKey'), 'read');
  assert.equal(STORE_METHODS.get('close'), 'write');
});
