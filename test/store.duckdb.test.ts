import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
