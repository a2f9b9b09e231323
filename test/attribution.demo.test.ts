/**
 * Attribution on the demo (a B2B company with sales cycles of months): relationships that hold
 * whatever the generator's exact figures — the default look-back covers the sales cycle and so leaves
 * less revenue to `(none)` than 90 days does, and the tables state it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeAllModels, attributeWorkspace } from '../src/attribution/workspace.attribution.js';
import { runDemo } from '../src/demo/demo.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { runCli } from './fixtures.js';

const range = { from: '2025-07-01', to: '2026-06-30' };
let store: DuckDbStore;
let ws: WorkspaceStore;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ns-attr-demo-'));
  store = await DuckDbStore.open(join(dataDir, 'northstar.duckdb'));
  await store.migrate();
  const { workspace } = await runDemo(store, { seed: 5, scale: 'small', until: range.to });
  ws = store.forWorkspace(workspace);
});
after(() => store.close());

test('the sales-cycle look-back leaves less revenue to (none) than 90 days', async () => {
  const cycle = await attributeWorkspace(ws, 'first_touch', range);
  const ninety = await attributeWorkspace(ws, 'first_touch', { ...range, lookbackDays: 90 });
  assert.equal(cycle.lookback_basis, 'sales_cycle');
  const measured = cycle.sales_cycle?.days ?? 0;
  assert.equal(cycle.lookback, Math.max(90, Math.ceil(measured)));
  assert.ok(cycle.lookback > 90, `B2B cycles are long: ${cycle.lookback} days`);
  assert.equal(cycle.total_value, ninety.total_value);
  assert.ok(
    (ninety.none.value_share ?? 0) > (cycle.none.value_share ?? 0),
    `(none) ${ninety.none.value_share} at 90 days vs ${cycle.none.value_share}`,
  );
  assert.ok((cycle.none.value_share ?? 1) < 0.25, `(none) keeps ${cycle.none.value_share} of revenue`);
});

test('every model credits the same total, and --model all prints revenue, ROI and the (none) share', async () => {
  const all = await attributeAllModels(ws, range);
  const total = all.models[0]?.total_value ?? 0;
  assert.ok(total > 0);
  for (const m of all.models) {
    const credited = m.rows.reduce((s, r) => s + r.value, 0);
    assert.ok(Math.abs(credited - total) < 1e-6 * total, `${m.model}: ${credited} of ${total}`);
    assert.ok(Math.abs(m.none.value - (m.rows.find((r) => r.channel === '(none)')?.value ?? 0)) < 1e-9);
  }
  const { code, out } = await runCli(store, dataDir, [
    'attribution',
    '--model',
    'all',
    '--from',
    range.from,
    '--to',
    range.to,
    '--format',
    'table',
  ]);
  assert.equal(code, 0);
  assert.match(out, new RegExp(`look-back ${all.lookback} days = the sales cycle`));
  for (const heading of ['Revenue credited per model', 'ROI per model', 'Conversions credited per model'])
    assert.ok(out.includes(heading), heading);
  assert.match(out, /^\(none\) share(\s+[\d.]+ %){11}$/m);
});
