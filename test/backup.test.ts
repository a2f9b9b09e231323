// `northstar backup` while the server takes events, then `northstar restore` into a new data
// directory: the copy holds every event acknowledged before the backup began, nothing half-written.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { startServe, stopProcess } from './fixtures.js';

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
// Resolved here: the CLI runs from another folder, where `tsx` alone would not be found.
const tsx = import.meta.resolve('tsx');
const data = mkdtempSync(join(tmpdir(), 'ns-backup-'));
const out = mkdtempSync(join(tmpdir(), 'ns-backup-out-'));
let server: ChildProcess | null = null;
after(() => server?.kill('SIGKILL'));

function cli(args: string[], cwd = out): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', tsx, main, ...args], {
      cwd,
      env: { ...process.env, TZ: 'UTC' },
    });
    let o = '';
    let e = '';
    p.stdout.on('data', (d) => {
      o += String(d);
    });
    p.stderr.on('data', (d) => {
      e += String(d);
    });
    p.on('close', (code) => resolve({ code: code ?? -1, out: o, err: e }));
  });
}

async function eventCount(dbPath: string): Promise<{ events: number; ids: number }> {
  const store = await DuckDbStore.open(dbPath);
  try {
    await store.migrate();
    const w = await store.getWorkspace('site');
    assert.ok(w);
    const [r] = await store
      .forWorkspace(w)
      .query<{ events: number; ids: number }>(
        'SELECT count(*) AS events, count(DISTINCT message_id) AS ids FROM @events',
      );
    return { events: Number(r?.events), ids: Number(r?.ids) };
  } finally {
    await store.close();
  }
}

test('a backup taken under load restores whole into a new data directory', { timeout: 180_000 }, async () => {
  let key = '';
  {
    const store = await DuckDbStore.open(join(data, 'northstar.duckdb'));
    await store.migrate();
    key = (await store.forWorkspace(await store.createWorkspace({ slug: 'site' })).createApiKey('write')).key;
    await store.close();
  }
  const started = await startServe(data);
  server = started.server;
  const auth = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
  };
  let acknowledged = 0;
  let n = 0;
  let loading = true;
  const load = (async () => {
    while (loading) {
      const batch = Array.from({ length: 100 }, () => {
        n++;
        return {
          type: 'track',
          event: 'Load',
          anonymousId: `v${n % 500}`,
          messageId: `m${n}`,
          timestamp: new Date().toISOString(),
        };
      });
      const r = await fetch(`${started.base}/v1/batch`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ batch }),
      });
      assert.equal(r.status, 200);
      acknowledged += batch.length;
    }
  })();
  while (acknowledged < 20_000) await new Promise((r) => setTimeout(r, 50));
  const before = acknowledged;
  const b = await cli(['backup', 'snap.duckdb', '--data', data, '--format', 'json']);
  const afterBackup = acknowledged;
  assert.equal(b.code, 0, b.err);
  assert.equal(
    JSON.parse(b.out).file,
    join(out, 'snap.duckdb'),
    'the file is named from the caller’s folder',
  );
  while (acknowledged < afterBackup + 5_000) await new Promise((r) => setTimeout(r, 50));
  loading = false;
  await load;
  // A backup never overwrites, and a restore never goes into a directory that has a database.
  assert.equal((await cli(['backup', 'snap.duckdb', '--data', data])).code, 1);
  await stopProcess(server, 'SIGTERM');
  server = null;
  const restored = join(out, 'restored');
  const r = await cli(['restore', 'snap.duckdb', '--data', restored, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.equal((await cli(['restore', 'snap.duckdb', '--data', restored])).code, 1);
  writeFileSync(join(out, 'not-a-db.duckdb'), 'hello');
  assert.equal((await cli(['restore', 'not-a-db.duckdb', '--data', join(out, 'other')])).code !== 0, true);
  const copy = await eventCount(join(restored, 'northstar.duckdb'));
  const live = await eventCount(join(data, 'northstar.duckdb'));
  assert.equal(copy.events, copy.ids, 'no event twice');
  assert.ok(
    copy.events >= before,
    `the copy holds ${copy.events}, at least the ${before} acknowledged before it began`,
  );
  assert.ok(copy.events <= afterBackup, `and at most the ${afterBackup} acknowledged when it ended`);
  assert.equal(live.events, acknowledged, 'the live database kept taking events');
  console.log(
    `# backup under load: ${before} acknowledged before, ${copy.events} in the copy, ${afterBackup} when it ended; ${acknowledged} in all`,
  );
});
