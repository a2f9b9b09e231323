import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../core/config.js';
import { describeEngines, openConfiguredStore } from './open.store.js';
import type { Store } from './store.js';

test('flags win over NORTHSTAR_EVENTS / NORTHSTAR_META; neither set leaves both out', () => {
  const env = { NORTHSTAR_EVENTS: 'clickhouse://env/db', NORTHSTAR_META: 'postgres://env/db' };
  const cfg = resolveConfig({ events: 'clickhouse://flag/db' }, env);
  assert.equal(cfg.events, 'clickhouse://flag/db');
  assert.equal(cfg.meta, 'postgres://env/db');
  const none = resolveConfig({}, {});
  assert.equal('events' in none || 'meta' in none, false);
});

test('without either URL the DuckDB opener is used; one without the other is refused', async () => {
  const duck = { name: 'duckdb' } as unknown as Store;
  assert.equal(await openConfiguredStore({}, async () => duck), duck);
  const never = async (): Promise<Store> => assert.fail('DuckDB must not open');
  await assert.rejects(openConfiguredStore({ meta: 'postgres://pg/db' }, never), /give both --events/);
  await assert.rejects(openConfiguredStore({ events: 'clickhouse://ch/db' }, never), /give both --events/);
  await assert.rejects(
    openConfiguredStore({ events: 'clickhouse://ch/db', meta: 'mysql://db' }, never),
    /--meta must be a postgres:\/\/ URL/,
  );
});

test('the log line names the engines without passwords', () => {
  assert.equal(describeEngines({}, '/srv/data'), 'data: /srv/data');
  assert.equal(
    describeEngines({ events: 'clickhouse://ch:8123/ns', meta: 'postgres://ns:secret@pg/ns' }, '/srv/data'),
    'events: clickhouse://ch:8123/ns, metadata: postgres://ns:***@pg/ns',
  );
});
