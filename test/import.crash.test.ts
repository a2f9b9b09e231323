// Crash safety of imports (issue 14): `northstar import` killed with SIGKILL while it writes leaves
// the workspace exactly as before (the write pass is one transaction), and a rerun imports the file
// whole. The file is generated here, big enough that the import takes seconds.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { startServe, stopProcess } from './fixtures.js';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const ROWS = 60_000;

function cli(data: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--data', data], {
    encoding: 'utf8',
    env: { ...process.env, NORTHSTAR_DATA: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function stats(data: string): Record<string, number> {
  const r = cli(data, ['stats', '--workspace', 'crash', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

/** A data directory with workspace `crash` holding 3 contacts. */
function seeded(dir: string): string {
  const data = join(dir, `data-${Math.random().toString(36).slice(2)}`);
  assert.equal(cli(data, ['workspace', 'create', 'crash']).code, 0);
  const small = join(dir, 'small.csv');
  writeFileSync(
    small,
    'id,email,created_at\ns1,s1@x.test,2026-01-01\ns2,s2@x.test,2026-01-02\ns3,s3@x.test,2026-01-03\n',
  );
  const r = cli(data, ['import', 'contacts', small, '--workspace', 'crash']);
  assert.equal(r.code, 0, r.err);
  return data;
}

/** Runs the big import; with `killAfterMs`, kills it with SIGKILL then. Resolves with its exit and time. */
function importBig(data: string, file: string, killAfterMs?: number) {
  return new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve) => {
    const t = Date.now();
    const p = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        'import',
        'contacts',
        file,
        '--workspace',
        'crash',
        '--data',
        data,
        '--format',
        'json',
      ],
      { stdio: 'ignore', env: { ...process.env, NORTHSTAR_DATA: '' } },
    );
    const timer = killAfterMs === undefined ? null : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - t });
    });
  });
}

/** A folder with big.csv: ROWS contacts. */
function bigFile(): { dir: string; big: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ns-crash-'));
  const big = join(dir, 'big.csv');
  const lines = ['id,email,first_name,company,created_at'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `b${i},b${i}@crash.test,Name ${i},Company ${i % 977},2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    );
  writeFileSync(big, `${lines.join('\n')}\n`);
  return { dir, big };
}

test('an import killed with SIGKILL while it writes leaves the workspace as it was; a rerun imports it whole', {
  timeout: 600_000,
}, async () => {
  const { dir, big } = bigFile();
  // A whole run first: how long an import takes here, and what it stores.
  const reference = seeded(dir);
  const before = stats(reference);
  const whole = await importBig(reference, big);
  assert.equal(whole.code, 0);
  const full = stats(reference);
  assert.equal(full.contacts, (before.contacts ?? 0) + ROWS);

  // Killed in the second half (the write pass follows the check pass), at three moments.
  let data = seeded(dir);
  const kills: string[] = [];
  for (const at of [0.5, 0.65, 0.8]) {
    const r = await importBig(data, big, Math.round(whole.ms * at));
    if (r.signal !== 'SIGKILL') {
      // Faster this time (the machine is shared): it finished, whole.
      assert.deepEqual(stats(data), full);
      break;
    }
    const after = stats(data);
    if (isDeepStrictEqual(after, full)) {
      // Committed just before the kill (the process was exiting): whole, which all-or-nothing allows.
      kills.push(`${Math.round(whole.ms * at)} ms: committed before the kill`);
      data = seeded(dir);
      continue;
    }
    assert.deepEqual(after, before, `killed at ${Math.round(whole.ms * at)} ms`);
    kills.push(`${Math.round(whole.ms * at)} ms: ${after.contacts} contacts`);
  }
  assert.ok(
    kills.some((k) => !k.includes('committed')),
    `at least one import was killed mid-way (${kills.join('; ')})`,
  );
  const rerun = await importBig(data, big);
  assert.equal(rerun.code, 0);
  assert.deepEqual(stats(data), full);
  console.log(
    `# import crash (CLI): ${ROWS.toLocaleString('en-US')} contacts, a whole import ${whole.ms} ms; killed with SIGKILL at ${kills.join(', ')} (before: ${before.contacts}); rerun: ${full.contacts} contacts`,
  );
});

/** A server on `data` with an API token of workspace `crash`. */
async function serverOn(data: string, token: string) {
  const { server, base } = await startServe(data);
  const auth = { authorization: `Bearer ${token}` };
  return {
    server,
    stats: async () => {
      const r = await fetch(`${base}/api/v1/stats`, { headers: auth });
      assert.equal(r.status, 200);
      return (await r.json()) as Record<string, number>;
    },
    upload: async (file: string) =>
      fetch(`${base}/api/v1/import/contacts`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: await openAsBlob(file),
      }),
  };
}

test('a server killed with SIGKILL while it imports an upload restarts with the workspace as it was; a rerun imports it whole', {
  timeout: 600_000,
}, async () => {
  const { dir, big } = bigFile();
  const servers: ChildProcess[] = [];
  try {
    const tokenOf = (data: string) => {
      const r = cli(data, ['keys', 'create', '--kind', 'token', '--workspace', 'crash']);
      assert.equal(r.code, 0, r.err);
      return r.out.trim();
    };
    // A whole upload first: how long it takes, and what it stores.
    const reference = seeded(dir);
    const refToken = tokenOf(reference);
    let s = await serverOn(reference, refToken);
    servers.push(s.server);
    const before = await s.stats();
    let t = Date.now();
    const res = await s.upload(big);
    assert.equal(res.status, 200, await res.text());
    const wholeMs = Date.now() - t;
    const full = await s.stats();
    assert.equal(full.contacts, (before.contacts ?? 0) + ROWS);
    await stopProcess(s.server, 'SIGTERM');

    let data = seeded(dir);
    let token = tokenOf(data);
    const kills: string[] = [];
    for (const at of [0.5, 0.7, 0.85]) {
      s = await serverOn(data, token);
      servers.push(s.server);
      t = Date.now();
      const upload = s.upload(big).then(
        (r) => r.status,
        () => 'cut',
      );
      const killer = setTimeout(() => s.server.kill('SIGKILL'), Math.round(wholeMs * at));
      const outcome = await upload;
      clearTimeout(killer);
      if (outcome !== 'cut') {
        // Faster this time: it finished, whole.
        assert.equal(outcome, 200);
        assert.deepEqual(await s.stats(), full);
        await stopProcess(s.server, 'SIGTERM');
        break;
      }
      const killed = s.server;
      if (killed.exitCode === null && killed.signalCode === null)
        await new Promise((r) => killed.once('exit', r));
      s = await serverOn(data, token);
      servers.push(s.server);
      const after = await s.stats();
      if (isDeepStrictEqual(after, full)) {
        // The import committed just before the kill cut its answer: whole, which all-or-nothing allows.
        // Start again on a fresh copy so the next kill can land mid-import.
        kills.push(`${Math.round(wholeMs * at)} ms: committed before the kill (${after.contacts} contacts)`);
        await stopProcess(s.server, 'SIGTERM');
        data = seeded(dir);
        token = tokenOf(data);
        continue;
      }
      assert.deepEqual(after, before, `killed at ${Math.round(wholeMs * at)} ms`);
      kills.push(`${Math.round(wholeMs * at)} ms: ${after.contacts} contacts`);
      await stopProcess(s.server, 'SIGTERM');
    }
    assert.ok(
      kills.some((k) => !k.includes('committed')),
      `at least one server was killed while importing (${kills.join('; ')})`,
    );
    s = await serverOn(data, token);
    servers.push(s.server);
    const rerun = await s.upload(big);
    assert.equal(rerun.status, 200, await rerun.text());
    assert.deepEqual(await s.stats(), full);
    await stopProcess(s.server, 'SIGTERM');
    console.log(
      `# import crash (HTTP upload): ${ROWS.toLocaleString('en-US')} contacts, a whole upload ${wholeMs} ms; server killed with SIGKILL at ${kills.join(', ')} (before: ${before.contacts}), restarted on the same data; rerun: ${full.contacts} contacts`,
    );
  } finally {
    for (const p of servers) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
});
