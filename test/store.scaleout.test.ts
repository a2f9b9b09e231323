import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChdbExecutor } from '../src/store/clickhouse/ch.executor.js';
import { ClickHouseEventStore } from '../src/store/clickhouse/clickhouse.store.js';
import { PostgresMetaStore } from '../src/store/postgres/postgres.store.js';
import { SplitStore } from '../src/store/split.store.js';
import { storeContract } from '../src/store/store.contract.js';
import { env, freshPgDatabase, skipUnless } from './scaleout.env.js';

// The shared contract against the scale-out pair: metadata in a real PostgreSQL server (Debian's
// package), events and the other analytic rows in ClickHouse 26 in-process (chdb).
const skip = skipUnless(Boolean(env.pg) && env.chdb, 'PostgreSQL (NORTHSTAR_TEST_PG) and chdb');

storeContract(
  'postgres+clickhouse',
  async () => {
    const pgUrl = await freshPgDatabase(env.pg as string);
    const chUrl = `chdb://${mkdtempSync(join(tmpdir(), 'ns-chdb-'))}`;
    const open = async () => {
      const s = new SplitStore(await PostgresMetaStore.open(pgUrl), await ClickHouseEventStore.open(chUrl));
      await s.migrate();
      return s;
    };
    return { store: await open(), reopen: open };
  },
  { skip },
);

// 26.x parses `AS MATERIALIZED` but, unless `enable_materialized_cte` is on, inlines the CTE at every
// reference: a random column then differs between two references, and the self-join finds no pairs.
test('chdb: a MATERIALIZED CTE is computed once per statement', {
  skip: env.chdb ? false : 'chdb',
}, async () => {
  const ex = await ChdbExecutor.open(':memory:');
  try {
    const [r] = await ex.query<{ n: number }>(
      'WITH r AS MATERIALIZED (SELECT number, rand64() AS x FROM numbers(3)) SELECT count() AS n FROM r a JOIN r b ON a.number = b.number AND a.x = b.x',
    );
    assert.equal(Number(r?.n), 3);
  } finally {
    await ex.close();
  }
});
