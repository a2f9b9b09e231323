import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeModeFixes, secureDataDir } from './data.dir.js';

const mode = (p: string) => statSync(p).mode & 0o777;

test("only Northstar's own files lose group and other access; links and other files are left alone", () => {
  const root = mkdtempSync(join(tmpdir(), 'ns-modes-'));
  const dir = join(root, 'data');
  mkdirSync(join(dir, 'northstar.duckdb.journal', 'quarantine'), { recursive: true });
  const files = [
    'northstar.duckdb',
    'northstar.duckdb.wal',
    'server.json',
    'northstar.duckdb.journal/0001.seg',
  ];
  for (const f of files) writeFileSync(join(dir, f), 'x', { mode: 0o644 });
  const outside = join(root, 'outside.sh');
  writeFileSync(outside, '#!/bin/sh\n', { mode: 0o755 });
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync(outside, join(dir, 'link.sh'));
  symlinkSync(outside, join(dir, 'server.json.link'));
  for (const d of [
    dir,
    join(dir, 'northstar.duckdb.journal'),
    join(dir, 'northstar.duckdb.journal', 'quarantine'),
  ])
    chmodSync(d, 0o755);
  const fixes = secureDataDir(dir);
  assert.equal(mode(dir), 0o700);
  for (const f of files) assert.equal(mode(join(dir, f)), 0o600, f);
  assert.equal(mode(join(dir, 'northstar.duckdb.journal')), 0o700);
  assert.equal(mode(join(dir, 'northstar.duckdb.journal', 'quarantine')), 0o700);
  assert.equal(mode(join(dir, 'bin', 'run.sh')), 0o755, 'not ours: untouched');
  assert.equal(mode(outside), 0o755, 'a link is never followed');
  assert.equal(
    describeModeFixes(fixes),
    `data directory ${dir} was readable by other users: the directory was 0755, now 0700; 6 of its files now readable by their owner only`,
  );
  assert.equal(describeModeFixes(secureDataDir(dir)), null, 'a second open changes nothing');
  const fresh = join(root, 'new');
  secureDataDir(fresh);
  assert.equal(mode(fresh), 0o700);
});
