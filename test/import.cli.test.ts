/**
 * `northstar import` as a command: exit statuses, the bad-row listing on stderr, the rejects file,
 * the summary in every format. Runs the commander program in-process against a real store.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { runCli, tempStore } from './fixtures.js';

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ns-import-cli-'));
let store: DuckDbStore;
let dataDir: string;

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  await store.createWorkspace({ slug: 'acme', timezone: 'Europe/Warsaw' });
});
after(() => store.close());

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(store, dataDir, args);
}

test('a valid file: exit 0, the summary as JSON when piped', async () => {
  const r = await cli(['import', 'contacts', join(FIXTURES, 'contacts.csv'), '--workspace', 'acme']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const { seconds, ...summary } = JSON.parse(r.out);
  assert.equal(typeof seconds, 'number');
  assert.deepEqual(summary, {
    kind: 'contacts',
    preset: null,
    file: 'contacts.csv',
    rows: 4,
    imported: 4,
    updated: 0,
    skipped: 0,
    rejected: 0,
    conflicts: 0,
    history: 8,
    sessions: 0,
    identities: 0,
    contacts: 0,
    rejects_file: null,
    unmapped_stages: 0,
    unmapped_stage_values: {},
    unlinked_deals: 0,
    linked_deals: 0,
    warnings: [],
  });
  const table = await cli([
    'import',
    'contacts',
    join(FIXTURES, 'contacts.csv'),
    '--workspace',
    'acme',
    '--format',
    'table',
  ]);
  assert.match(
    table.out,
    /^kind\s+rows\s+imported\s+updated\s+skipped\s+rejected\s+history\s+unmapped_stages\s+linked_deals\s+seconds\n/,
  );
  assert.match(table.out, /\ncontacts\s+4\s+0\s+0\s+4\s+0\s+0\s+0\s+0\s+/);
  const csv = await cli([
    'import',
    'social',
    join(FIXTURES, 'social.csv'),
    '--workspace',
    'acme',
    '--format',
    'csv',
  ]);
  assert.match(
    csv.out,
    /^kind,rows,imported,updated,skipped,rejected,conflicts,seconds\nsocial,3,2,0,1,0,0,/,
  );
});

test('bad rows: every one listed as file:line: column: reason, exit 1, nothing imported', async () => {
  const path = join(FIXTURES, 'contacts-invalid.csv');
  const before = await store.forWorkspace((await store.getWorkspace('acme'))!).counts();
  const r = await cli(['import', 'contacts', path, '--workspace', 'acme']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.deepEqual(r.err.trimEnd().split('\n'), [
    `${path}:3: email: must be an e-mail address, got "not-an-email"`,
    `${path}:4: created_at: must be a date or time (ISO 8601, e.g. 2026-03-14 or 2026-03-14T09:30:00Z), got "2026-13-01"`,
    `${path}:6: (row): has 3 fields, the header has 6`,
    `${path}:7: id: a contact needs an id or an e-mail`,
    `error: ${path}: 4 of 6 rows are invalid; nothing was imported (fix them, or use --skip-invalid)`,
  ]);
  assert.deepEqual(await store.forWorkspace((await store.getWorkspace('acme'))!).counts(), before);
});

test('--skip-invalid imports the rest and writes FILE.rejects.csv beside the input', async () => {
  const path = join(tmp, 'contacts-invalid.csv');
  copyFileSync(join(FIXTURES, 'contacts-invalid.csv'), path);
  const r = await cli(['import', 'contacts', path, '--workspace', 'acme', '--skip-invalid']);
  assert.equal(r.code, 0);
  assert.match(r.err, new RegExp(`4 invalid rows skipped, written to ${path}\\.rejects\\.csv\\n$`));
  assert.equal(JSON.parse(r.out).imported, 2);
  assert.equal(readFileSync(`${path}.rejects.csv`, 'utf8').split('\n').length, 6);
});

test('the listing stops at 50 rows but every bad row is counted', async () => {
  const path = join(tmp, 'many-bad.csv');
  const bad = Array.from({ length: 60 }, (_, i) => `s${i},lead,2026-13-01`);
  writeFileSync(path, `id,lifecycle_stage,created_at\n${bad.join('\n')}\n`);
  const r = await cli(['import', 'contacts', path, '--workspace', 'acme']);
  assert.equal(r.code, 1);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 52);
  assert.equal(
    lines[49],
    `${path}:51: created_at: must be a date or time (ISO 8601, e.g. 2026-03-14 or 2026-03-14T09:30:00Z), got "2026-13-01"`,
  );
  assert.equal(lines[50], '… and 10 more invalid rows');
  assert.match(lines[51] ?? '', /60 of 60 rows are invalid/);
  assert.equal(existsSync(`${path}.rejects.csv`), false);
});

test('user errors: unknown kind, missing file, unknown preset, no workspace', async () => {
  const kind = await cli(['import', 'leads', join(FIXTURES, 'contacts.csv'), '--workspace', 'acme']);
  assert.deepEqual(
    [kind.code, kind.err],
    [1, 'error: KIND must be one of events, contacts, deals, spend, email, social, got "leads"\n'],
  );
  const missing = await cli(['import', 'contacts', join(tmp, 'nope.csv'), '--workspace', 'acme']);
  assert.deepEqual([missing.code, missing.err], [1, `error: ${join(tmp, 'nope.csv')}: file not found\n`]);
  const preset = await cli([
    'import',
    'contacts',
    join(FIXTURES, 'contacts.csv'),
    '--workspace',
    'acme',
    '--preset',
    'x',
  ]);
  assert.equal(preset.code, 1);
  assert.match(preset.err, /^error: --preset: unknown preset "x" \(hubspot-contacts, hubspot-deals, /);
  const ws = await cli(['import', 'contacts', join(FIXTURES, 'contacts.csv'), '--workspace', 'nope']);
  assert.equal(ws.code, 1);
  assert.match(ws.err, /workspace "nope" does not exist/);
});
