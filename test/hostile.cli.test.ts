// A hostile-input corpus over every CLI command (issue 14). The commands are enumerated from the
// commander program (a new command is covered without touching this file) and run in-process with
// hostile arguments and files: broken JSON/YAML/CSV, wrong types, huge strings, NUL bytes, invalid
// UTF-8, SQL fragments in every id, name and filter, path traversal in file names, CSV with
// mismatched columns. Each run exits 0 or 1, a refusal says why on its first stderr line, no run
// prints a stack trace, and no stored data changes. A few run against a live server (the backend
// path), and formula cells imported from a file come back neutralised in CSV exports.
import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Command } from 'commander';
import fc from 'fast-check';
import { buildProgram } from '../src/cli/program.js';
import type { Runtime } from '../src/cli/runtime.js';
import { applyPlan } from '../src/goals/plan.apply.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, deal, runCli, startServe, stopProcess, tempStore } from './fixtures.js';

let store: DuckDbStore;
let ws: WorkspaceStore;
let dataDir = '';
let cwd = '';
const home = process.cwd();

/** A command as the program declares it: its words, arguments and options. */
interface Cmd {
  words: string[];
  args: Array<{ name: string; required: boolean }>;
  options: Array<{ flag: string; takesValue: boolean; mandatory: boolean }>;
}

function commandsOf(c: Command, words: string[] = []): Cmd[] {
  const out: Cmd[] = [];
  const own = c as unknown as { _actionHandler?: unknown };
  if (words.length && (own._actionHandler || c.commands.length === 0))
    out.push({
      words,
      args: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required })),
      options: c.options.map((o) => ({
        flag: o.long ?? o.flags,
        takesValue: o.required || o.optional,
        mandatory: o.mandatory,
      })),
    });
  for (const s of c.commands) out.push(...commandsOf(s, [...words, s.name()]));
  return out;
}

const silent: Runtime = {
  store: async () => {
    throw new Error('not used');
  },
  out: () => undefined,
  err: () => undefined,
  stdin: async () => '',
  isTTY: false,
  dataDir: '/nonexistent',
};
const COMMANDS = commandsOf(buildProgram(silent));

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** Values chosen to break parsers, queries, paths and spreadsheets (no absolute path: see before()). */
const NASTY = [
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE contacts; --',
  "x'); DELETE FROM contacts WHERE ('1'='1",
  'corpus; DROP TABLE events',
  "corpus' --",
  '$1',
  '?',
  '%',
  '_',
  '*',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'a\u0000b',
  '\u0000',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  '=HYPERLINK("http://evil.test","x")',
  '9999-12-31',
  '0100-01-01',
  '2026-31-03',
  '2026-02-30',
  '1e309',
  'NaN',
  '-Infinity',
  '-0',
  '99999999999999999999999',
  'x'.repeat(100_000),
  '🚀💥',
  '\uD800',
  '\uFFFD\uFFFE',
  '__proto__',
  'constructor',
  'toString',
  deep(5_000),
  '{"a":',
  'null',
  '--help-me',
  '-',
];
const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  fc
    .tuple(fc.string({ maxLength: 12 }), fc.constantFrom("'", '"', ';', '\u0000', '\\', '%', '..', '\n'))
    .map(([a, b]) => `${a}${b}${a}`),
);

/** Files with hostile content, by relative name (created in before()). */
const FILES: Record<string, string | Buffer> = {
  'broken.json': '{"goals": [ {"id": "x",',
  'broken.yaml': 'goals:\n  - id: x\n   title: "unclosed\n  objectives: [\n',
  'wrong-types.yaml':
    'goals:\n  - id: 7\n    title: [1, 2]\n    objectives:\n      - id: {a: 1}\n        kpi: 12\n        target: "ten"\n        start: yesterday\n        due: 2026-02-30\n',
  'alias-bomb.yaml': `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  'sql.yaml': `goals:\n  - id: "g'; DROP TABLE goals; --"\n    title: "x"\n    objectives: []\n`,
  'mismatched.csv': 'email,created_at,owner\na@x.test,2026-01-01\nb@x.test,2026-01-02,o,extra,more\n',
  'nul.csv': 'email,created_at\na\u0000@x.test,2026-01-01\n\u0000\u0000\u0000\n',
  'invalid-utf8.csv': Buffer.from([
    ...Buffer.from('email,created_at\n'),
    0xff,
    0xfe,
    0xc3,
    0x28,
    0x2c,
    0xa0,
    0xa1,
    0x0a,
  ]),
  'wrong-types.csv': 'id,email,created_at,amount,won\nd1,not-an-email,yesterday,ten,maybe\n',
  'sql.csv': `id,email,created_at\n"x'); DROP TABLE contacts; --",a@x.test,2026-01-01\n`,
  'huge-field.csv': `email,created_at\n${'x'.repeat(2_000_000)}@x.test,2026-01-01\n`,
  'empty.csv': '',
  'header-only.csv': 'email,created_at\n',
  'broken.ndjson': '{"type":"track","event":"x"\n{]\n',
  'deep.ndjson': `{"type":"track","event":"E","anonymousId":"a","properties":{"a":${deep(5000)}}}\n`,
  'broken.paths.csv': 'path,conversions\n"a > b,1\n',
};
const PATHS = [
  ...Object.keys(FILES),
  'missing.csv',
  'dir.csv',
  '../../../../etc/passwd',
  '../../../../../../../../../../proc/self/mem',
  'a\u0000b.csv',
  `${'x'.repeat(5_000)}.csv`,
  '',
  '-',
];
const FILE_OPTION = /^(--)?(file|paths|set|out)$/;

/** One invocation of `cmd` with hostile values in its arguments and options. */
function invocation(cmd: Cmd) {
  const valueFor = (name: string) =>
    FILE_OPTION.test(name)
      ? fc.constantFrom(...PATHS)
      : name === '--workspace'
        ? fc.oneof(fc.constant('corpus'), nasty)
        : nasty;
  const args = fc.tuple(...cmd.args.map((a) => valueFor(a.name)));
  // At least one hostile value in every run: a command given only valid values (`demo` alone) is no probe.
  const valued = cmd.options.filter((o) => o.takesValue);
  const opts = fc
    .subarray(valued, { minLength: cmd.args.length || !valued.length ? 0 : 1 })
    .chain((chosen) => {
      const all = [
        ...new Set([...chosen, ...cmd.options.filter((o) => o.mandatory || o.flag === '--workspace')]),
      ];
      return fc.tuple(
        ...all.map((o) =>
          (o.takesValue ? valueFor(o.flag) : fc.constant(null)).map((v) => [o.flag, v] as const),
        ),
      );
    });
  return fc.tuple(args, opts, nasty).map(([a, o, stdin]) => {
    const argv = [...cmd.words, ...a];
    for (const [flag, v] of o) argv.push(...(v === null ? [flag] : [`${flag}=${v}`]));
    return { argv, stdin };
  });
}

/** Workspaces `workspace create` made from a value that is a plain slug: a harmless success. */
const created = new Set<string>();

/** What the store holds, to compare before and after. */
async function fingerprint(): Promise<string> {
  const all = [];
  for (const w of await store.listWorkspaces()) {
    if (created.has(w.slug)) continue;
    const one = store.forWorkspace(w);
    all.push({
      slug: w.slug,
      settings: w.settings,
      counts: await one.counts(),
      goals: await one.listGoals(),
      checkins: await one.listCheckins(),
      audit: (await one.listAudit(10_000)).length,
      keys: (await one.listApiKeys()).map((k) => [k.prefix, k.revokedAt ?? null]),
      rules: (await one.getScoringRules())?.rules ?? null,
    });
  }
  all.push({ users: await store.countUsers() });
  return createHash('sha256').update(JSON.stringify(all)).digest('hex');
}

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  ws = store.forWorkspace(await store.createWorkspace({ slug: 'corpus', timezone: 'Europe/Warsaw' }));
  await ws.upsertContacts([contact('c1', { email: 'c1@x.test', leadAt: new Date('2026-02-01T10:00:00Z') })]);
  await ws.upsertDeals([deal('d1', 'c1', 1000, '2026-02-10', null, null)]);
  await applyPlan(
    ws,
    {
      goals: [
        {
          id: 'g',
          title: 'G',
          objectives: [
            {
              id: 'o',
              title: 'O',
              kpi: 'leads',
              target: 10,
              start: '2026-01-01',
              due: '2026-12-31',
              owner: 'a@x.test',
            },
          ],
        },
      ],
    },
    'test',
  );
  // Relative hostile paths resolve inside this deep folder: `../../../../etc/passwd` never reaches /etc.
  cwd = join(mkdtempSync(join(tmpdir(), 'ns-hostile-cli-')), 'a', 'b', 'c', 'd', 'e');
  mkdirSync(join(cwd, 'dir.csv'), { recursive: true });
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(cwd, name), content);
  process.chdir(cwd);
});
after(async () => {
  process.chdir(home);
  await store.close();
});

/** The failure of a run, or null when it exited 0, or 1 with its reason and no stack trace. */
function judge(r: { code: number; err: string }): string | null {
  if (r.code !== 0 && r.code !== 1) return `exit ${r.code}`;
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(r.err) || /internal error/.test(r.err)) return 'a stack trace';
  // The reason is one `error:` line; a file's problems may be listed before it (`FILE:LINE: …`, as
  // imports and plans do) and commander's usage errors add the command's help after it.
  const reason = r.err.split('\n').find((l) => l.startsWith('error: '));
  if (r.code === 1 && !reason) return 'no `error:` line';
  if (reason && reason.length > 2_000) return 'a reason over 2,000 characters';
  return null;
}

test('every CLI command: hostile arguments and files exit 0 or 1 with a reason, and change nothing', {
  timeout: 600_000,
}, async () => {
  assert.ok(COMMANDS.length >= 35, `${COMMANDS.length} commands`);
  const start = await fingerprint();
  let runs = 0;
  const codes = { 0: 0, 1: 0 };
  const accepted: string[] = [];
  for (const cmd of COMMANDS) {
    await fc.assert(
      fc.asyncProperty(invocation(cmd), async ({ argv, stdin }) => {
        const r = await runCli(store, dataDir, argv, { stdin });
        runs++;
        const bad = judge(r);
        if (bad) throw new Error(`${JSON.stringify(argv).slice(0, 300)}: ${bad}\n${r.err.slice(0, 1500)}`);
        codes[r.code as 0 | 1]++;
        const slug = argv[2] ?? '';
        if (r.code === 0 && argv[0] === 'workspace' && argv[1] === 'create') {
          assert.match(
            slug,
            /^[a-z0-9][a-z0-9-]{0,62}$/,
            `workspace create accepted ${JSON.stringify(slug)}`,
          );
          created.add(slug);
        }
        if (
          r.code === 0 &&
          /^(demo|workspace create|keys|user|backup|restore|import|goals (apply|checkin|webhook)|score (rules apply|recompute)|channels rules|kpi)/.test(
            cmd.words.join(' '),
          )
        )
          accepted.push(JSON.stringify(argv).slice(0, 200));
      }),
      { numRuns: 25, seed: 20261203 },
    );
    const now = await fingerprint();
    assert.equal(now, start, `${cmd.words.join(' ')} changed stored data: ${accepted.join(' ')}`);
  }
  console.log(
    `# hostile CLI corpus: ${runs} runs over ${COMMANDS.length} commands (${codes[1]} refused with exit 1, ${codes[0]} harmless exit 0), none crashed or changed stored data`,
  );
});

test('hostile commands against a live server (the backend path) exit 1 with a reason and change nothing', {
  timeout: 300_000,
}, async () => {
  const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const data = mkdtempSync(join(tmpdir(), 'ns-hostile-live-'));
  const run = (args: string[]) => {
    // tsx resolved here: the CLI runs in the corpus's folder under /tmp, where `tsx` would not be found.
    const r = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), MAIN, ...args, '--data', data],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NORTHSTAR_DATA: '' },
      },
    );
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  assert.equal(run(['workspace', 'create', 'corpus']).code, 0);
  // The corpus above may have written over the hostile files (`goals export --out broken.yaml` exits
  // 0, as it should): each case below gets the file it names.
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(cwd, name), content);
  writeFileSync(join(cwd, 'ok.csv'), 'id,email,created_at\nc1,c1@x.test,2026-02-01\n');
  assert.equal(run(['import', 'contacts', 'ok.csv', '--workspace', 'corpus']).code, 0);
  let server: ChildProcess | null = null;
  try {
    ({ server } = await startServe(data));
    const stats = () => run(['stats', '--workspace', 'corpus', '--format', 'json']).out;
    const before = stats();
    assert.match(before, /"contacts":1/);
    const cases = [
      ['stats', '--workspace', "' OR 1=1 --"],
      [
        'kpi',
        'leads',
        '--from',
        '2026-01-01',
        '--to',
        '2026-02-01',
        '--by',
        'owner; DROP TABLE contacts',
        '--workspace',
        'corpus',
      ],
      ['kpi', "leads' --", '--from', '2026-01-01', '--to', '2026-02-01', '--workspace', 'corpus'],
      ['goals', 'checkin', "o'; DELETE FROM goals; --", '--note', 'x', '--workspace', 'corpus'],
      [
        'goals',
        'checkin',
        'o',
        '--note',
        'x',
        '--confidence',
        '0.5; DROP TABLE checkins',
        '--workspace',
        'corpus',
      ],
      ['score', 'explain', "x' OR '1'='1", '--workspace', 'corpus'],
      ['import', 'contacts', 'mismatched.csv', '--workspace', 'corpus'],
      ['import', 'contacts', 'invalid-utf8.csv', '--workspace', 'corpus'],
      ['import', 'contacts', '../../../../etc/passwd', '--workspace', 'corpus'],
      ['import', "contacts'; --", 'ok.csv', '--workspace', 'corpus'],
      ['goals', 'apply', 'broken.yaml', '--workspace', 'corpus'],
      ['goals', 'apply', 'sql.yaml', '--workspace', "corpus'; --"],
      ['channels', 'rules', '--set', 'broken.json', '--workspace', 'corpus'],
      ['keys', 'revoke', "ns_r_' OR 1=1", '--workspace', 'corpus'],
      ['attribution', '--model', "last'; --", '--workspace', 'corpus'],
      ['score', 'rules', 'apply', 'alias-bomb.yaml', '--workspace', 'corpus'],
    ];
    for (const args of cases) {
      const r = run(args);
      const bad = judge(r);
      assert.equal(bad, null, `${args.join(' ')}: ${bad}\n${r.err.slice(0, 1000)}`);
      assert.equal(r.code, 1, `${args.join(' ')} was refused: ${r.out.slice(0, 200)}`);
    }
    assert.equal(stats(), before, 'nothing stored changed');
    console.log(
      `# hostile CLI corpus, live server: ${cases.length} commands refused with exit 1 through the JSON API`,
    );
  } finally {
    if (server) await stopProcess(server, 'SIGTERM');
  }
});
