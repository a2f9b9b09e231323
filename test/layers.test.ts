import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const SRC = new URL('../src/', import.meta.url).pathname;

/** Every .ts file under a folder of src/. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(SRC, dir))) {
    const p = join(dir, name);
    if (statSync(join(SRC, p)).isDirectory()) out.push(...files(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The modules a file imports (static `from '…'` and dynamic `import('…')`). */
function imports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

test('the server never imports the CLI', () => {
  const offending = files('server').flatMap((f) =>
    imports(f)
      .filter((m) => m.includes('../cli') || /(^|\/)cli\//.test(m))
      .map((m) => `${f}: ${m}`),
  );
  assert.deepEqual(offending, []);
});

test('use cases sit between the engines and the server/CLI: they import neither', () => {
  const offending = files('usecases').flatMap((f) =>
    imports(f)
      .filter((m) => /^\.\.\/(server|cli)\//.test(m) || m === 'fastify' || m === 'commander')
      .map((m) => `${f}: ${m}`),
  );
  assert.deepEqual(offending, []);
});

test('engines and lower layers never import use cases, the server or the CLI', () => {
  const lower = [
    'core',
    'domain',
    'store',
    'ingest',
    'metrics',
    'goals',
    'planning',
    'attribution',
    'scoring',
  ];
  const offending = lower.flatMap((d) =>
    files(d).flatMap((f) =>
      imports(f)
        .filter((m) => /(^|\/)(usecases|server|cli)\//.test(m))
        .map((m) => `${f}: ${m}`),
    ),
  );
  assert.deepEqual(offending, []);
});
