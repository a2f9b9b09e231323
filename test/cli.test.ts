import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startServe, stopProcess } from './fixtures.js';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'ns-cli-'));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--data', data], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NORTHSTAR_DATA: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let server: ChildProcess | null = null;
after(() => {
  server?.kill('SIGKILL');
});

test('workspace create, stats as JSON when piped, keys and users', () => {
  const created = cli([
    'workspace',
    'create',
    'acme',
    '--timezone',
    'Europe/Warsaw',
    '--currency',
    'EUR',
    '--format',
    'json',
  ]);
  assert.equal(created.code, 0, created.err);
  assert.equal(JSON.parse(created.out).timezone, 'Europe/Warsaw');
  const stats = cli(['stats', '--workspace', 'acme']);
  assert.equal(stats.code, 0, stats.err);
  assert.deepEqual(JSON.parse(stats.out), {
    events: 0,
    contacts: 0,
    deals: 0,
    spend: 0,
    email: 0,
    social: 0,
  });
  const key = cli(['keys', 'create', '--kind', 'write', '--workspace', 'acme']);
  assert.equal(key.code, 0, key.err);
  assert.match(key.out, /^ns_w_[A-Za-z0-9_-]{32}\n$/);
  const user = cli(
    ['user', 'create', '--email', 'ana@example.com', '--role', 'editor', '--workspace', 'acme'],
    'a long password\n',
  );
  assert.equal(user.code, 0, user.err);
  assert.match(user.out, /ana@example.com is editor of acme/);
});

test('user errors exit 1 with one line on stderr', () => {
  const missing = cli(['stats', '--workspace', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^error: .*workspace "nope" does not exist.*\n$/);
  const badDate = cli(['kpi', 'leads', '--from', '2026-02-30', '--to', '2026-03-01', '--workspace', 'acme']);
  assert.equal(badDate.code, 1);
  assert.match(badDate.err, /--from must be a date YYYY-MM-DD/);
  const badKind = cli(['keys', 'create', '--kind', 'admin', '--workspace', 'acme']);
  assert.equal(badKind.code, 1);
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.code, 1);
  const table = cli(['kpi', 'list', '--format', 'table']);
  assert.equal(table.code, 0);
  assert.match(table.out, /^id\s+family\s+unit/);
  assert.match(table.out, /value_per_visit\s+website\s+currency/);
});

test('commands work while serve holds the database (run by the server)', async () => {
  ({ server } = await startServe(data));
  assert.ok(existsSync(join(data, 'server.json')));
  const stats = cli(['stats', '--workspace', 'acme']);
  assert.equal(stats.code, 0, stats.err);
  assert.equal(JSON.parse(stats.out).events, 0);
  const missing = cli(['stats', '--workspace', 'nope']);
  assert.equal(missing.code, 1, 'exit status comes back from the server');
  await stopProcess(server, 'SIGTERM');
  server = null;
  assert.ok(!existsSync(join(data, 'server.json')), 'a clean stop removes the server file');
  assert.equal(cli(['stats', '--workspace', 'acme']).code, 0, 'and the CLI opens the file itself again');
});
