// Every `npx northstar …` example in the README runs as written (in a fresh data directory, from the
// project root so the sample files under examples/ are found) and exits 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const main = join(root, 'src/cli/main.ts');

/** The README's example lines: shell lines of its code blocks that run the CLI. */
export function readmeExamples(readme: string): string[] {
  const lines: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of (block[1] ?? '').split('\n'))
      if (/\bnpx northstar\b/.test(line) && !line.trim().startsWith('#')) lines.push(line.trim());
  return lines;
}

test('every CLI example in the README runs as written on the demo', { timeout: 600_000 }, () => {
  const examples = readmeExamples(readFileSync(join(root, 'README.md'), 'utf8'));
  assert.ok(examples.length >= 20, `${examples.length} examples found`);
  const data = mkdtempSync(join(tmpdir(), 'ns-readme-'));
  const work = mkdtempSync(join(tmpdir(), 'ns-readme-out-'));
  // `npx northstar` is this checkout's CLI; files the examples write (plan.yaml) go to a scratch folder.
  const prelude = [
    `npx() { if [ "$1" = northstar ]; then shift; node --import tsx ${JSON.stringify(main)} "$@"; else command npx "$@"; fi; }`,
    `cd ${JSON.stringify(root)}`,
    'set -o pipefail',
  ].join('\n');
  const failures: string[] = [];
  for (const line of examples) {
    // Output files named in an example land in the scratch folder, not the checkout.
    const cmd = line
      .replace(/(>\s*|--out\s+)(\w[\w.-]*\.(?:ya?ml|pdf|png))/g, `$1${work}/$2`)
      .replace(/ (plan\.yaml|scoring\.yaml)\b/g, ` ${work}/$1`)
      .replace(/\bbackup (\S+\.duckdb)/g, `backup ${work}/$1`);
    const r = spawnSync('bash', ['-c', `${prelude}\n${cmd}`], {
      encoding: 'utf8',
      env: { ...process.env, NORTHSTAR_DATA: data, TZ: 'UTC' },
      timeout: 300_000,
    });
    if (r.status !== 0)
      failures.push(
        `${line}\n  exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ')}`,
      );
  }
  assert.deepEqual(failures, []);
});
