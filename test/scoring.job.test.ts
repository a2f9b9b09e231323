import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRow } from '../src/domain/event.js';
import { parseRules } from '../src/scoring/rules.yaml.js';
import { startScoringJob } from '../src/scoring/scoring.job.js';
import { contact, eventRow, tempStore } from './fixtures.js';

const RULES = `models:
  - id: m
    thresholds: {mql: 30, sql: 60}
    behaviour:
      - {id: demo, event: Demo Requested, points: 40}
`;

function demo(id: string, userId: string, at: Date): EventRow {
  return eventRow(id, at, { event: 'Demo Requested', userId });
}

async function until<T>(what: string, f: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the scoring job scores everyone first, then rescores contacts as their events arrive', async () => {
  const { store } = await tempStore();
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'job', timezone: 'UTC' }));
  const t = new Date(Date.now() - 3_600_000);
  await ws.upsertContacts([
    contact('a', { leadAt: t, createdAt: t }),
    contact('b', { leadAt: t, createdAt: t }),
  ]);
  await ws.putScoringRules(RULES, parseRules(RULES));
  const stop = startScoringJob(store, { intervalMs: 50 });
  try {
    const n = await until('the first pass', async () => {
      const r = await ws.query<{ n: number }>('SELECT count(*) AS n FROM @contact_scores');
      return r[0]?.n === 2 ? 2 : null;
    });
    assert.equal(n, 2);
    assert.equal((await ws.getContact('b'))?.lifecycleStage, 'lead');
    await ws.appendEvents([demo('e1', 'b', new Date())]);
    const stage = await until('b to become an MQL', async () => {
      const c = await ws.getContact('b');
      return c?.lifecycleStage === 'mql' ? c.lifecycleStage : null;
    });
    assert.equal(stage, 'mql');
    assert.equal((await ws.getContact('a'))?.lifecycleStage, 'lead');
  } finally {
    await stop();
    await store.close();
  }
});
