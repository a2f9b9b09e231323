/**
 * Attribution bench (issue 6): a generated 1,000,000-row path file over 12 channels, then
 *  1. in-process timings (median of 3) of the parse, every rule-based model, Markov orders 1-3
 *     (4 with --order4), Shapley and ordered Shapley;
 *  2. fresh-process runs, wall clock including process start, with peak RSS:
 *     "budget" = parse + all rule-based models + Markov 1 and 2 + Shapley (target < 1 s, < 150 MB),
 *     "order 3" = parse + Markov 3 (target < 3 s); each as plain JavaScript (transpiled like the
 *     CLI's dist/) and through tsx.
 *
 *   node --import tsx bench/attribution.bench.ts [--rows N] [--seed S] [--order4] [--append]
 *
 * --append adds the figures to bench/RESULTS.md under "## Attribution (path file)".
 */
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attributePaths, MODEL_IDS, readPathFileSync } from '../src/attribution/index.js';
import { attributeMarkovDetailed } from '../src/attribution/markov.js';
import type { AttributionOptions, PathTable } from '../src/attribution/types.js';
import { generatePathFile } from './gen-paths.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dataDir = join(root, 'bench', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const RULE_BASED = MODEL_IDS.filter((m) => m !== 'markov' && m !== 'shapley' && m !== 'shapley_ordered');

/** The work of one fresh process; prints its phase times and peak RSS as JSON. */
function e2e(file: string, mode: string): void {
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = Math.round(now - t);
    t = now;
  };
  const table = readPathFileSync(file);
  lap('parse');
  if (mode === 'budget') {
    for (const model of RULE_BASED) {
      attributePaths(table, { model });
      lap(model);
    }
    attributePaths(table, { model: 'markov', order: 1 });
    lap('markov_1');
    attributePaths(table, { model: 'markov', order: 2 });
    lap('markov_2');
    attributePaths(table, { model: 'shapley' });
    lap('shapley');
  } else {
    attributePaths(table, { model: 'markov', order: Number(mode.replace('markov', '')) });
    lap(mode);
  }
  const maxRssMB = peakRssMB();
  process.stdout.write(
    `${JSON.stringify({ phases, maxRssMB, uptimeMs: Math.round(process.uptime() * 1000) })}\n`,
  );
}

/**
 * Peak RSS of this process. On Linux VmHWM: getrusage's maxRSS survives fork + exec, so a spawned
 * child would report the parent's high-water mark when that is higher.
 */
function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

/** Transpiles the bench and what it imports to plain JavaScript (what `npm run build` makes of it). */
async function buildPlainJs(): Promise<string> {
  const ts = await import('typescript');
  const out = join(dataDir, 'build');
  const sources = [
    ...readdirSync(join(root, 'src', 'attribution'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(root, 'src', 'attribution', f)),
    join(root, 'src', 'core', 'errors.ts'),
    join(root, 'src', 'core', 'random.ts'),
    join(here, 'attribution.bench.ts'),
    join(here, 'gen-paths.ts'),
  ];
  for (const src of sources) {
    const js = ts.transpileModule(readFileSync(src, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dest = join(out, relative(root, src)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return join(out, 'bench', 'attribution.bench.js');
}

interface ChildRun {
  wallMs: number;
  phases: Record<string, number>;
  maxRssMB: number;
}

function runChild(args: string[]): Promise<ChildRun> {
  return new Promise((ok, fail) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - t;
      if (code !== 0) return fail(new Error(`child exited ${code}`));
      const parsed = JSON.parse(out.trim().split('\n').pop()!) as Omit<ChildRun, 'wallMs'>;
      ok({ wallMs, ...parsed });
    });
  });
}

/** Best (lowest wall) of `n` runs: the machine is shared, so the minimum is the least disturbed. */
async function bestOf(n: number, args: string[]): Promise<ChildRun> {
  const runs: ChildRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await runChild(args));
  return runs.sort((a, b) => a.wallMs - b.wallMs)[0]!;
}

async function main(): Promise<void> {
  const rows = Number(arg('rows', '1000000'));
  const seed = Number(arg('seed', '42'));
  const file = join(dataDir, `paths-${rows}-s${seed}.csv`);
  if (!existsSync(file)) {
    const [stats, ms] = time(() => generatePathFile(file, { rows, seed }));
    console.log(`generated ${relative(root, file)} in ${ms.toFixed(0)} ms:`, stats);
  }
  const bytes = statSync(file).size;
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(`file ${relative(root, file)}: ${(bytes / 1e6).toFixed(1)} MB; load average ${load}`);

  if (flag('e2e-only')) {
    const plain = await buildPlainJs();
    for (const mode of ['budget', 'markov3']) console.log(mode, await runChild([plain, '--e2e', file, mode]));
    return;
  }

  // 1. In-process timings.
  let table: PathTable | undefined;
  const parseTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [t, ms] = time(() => readPathFileSync(file));
    table = t;
    parseTimes.push(ms);
  }
  const tbl = table!;
  const timings: [string, number][] = [['parse', median(parseTimes)]];
  const configs: [string, AttributionOptions][] = [
    ...RULE_BASED.map((m): [string, AttributionOptions] => [m, { model: m }]),
    ['markov order 1', { model: 'markov', order: 1 }],
    ['markov order 2', { model: 'markov', order: 2 }],
    ['markov order 3', { model: 'markov', order: 3 }],
    ...(flag('order4')
      ? [['markov order 4', { model: 'markov', order: 4 }] as [string, AttributionOptions]]
      : []),
    ['markov order 1, nulls exclude', { model: 'markov', order: 1, nulls: 'exclude' }],
    ['shapley', { model: 'shapley' }],
    ['shapley_ordered', { model: 'shapley_ordered' }],
  ];
  for (const [name, options] of configs) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) ms.push(time(() => attributePaths(tbl, options))[1]);
    timings.push([name, median(ms)]);
  }
  const chains = [1, 2, 3, ...(flag('order4') ? [4] : [])].map((order) => {
    const d = attributeMarkovDetailed(tbl, { order });
    return { order, states: d.states, transitions: d.transitions, solver: d.solver };
  });
  const inProcessRss = peakRssMB();
  console.log(`distinct paths ${tbl.size}, touches in distinct paths ${tbl.touches.length}`);
  for (const [name, ms] of timings) console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms`);
  for (const c of chains)
    console.log(`markov order ${c.order}: ${c.states} states, ${c.transitions} transitions`, c.solver);
  console.log(`in-process peak RSS ${inProcessRss.toFixed(0)} MB (all of the above in one process)`);

  // 2. Fresh processes.
  const plain = await buildPlainJs();
  const runsPerConfig = Number(arg('runs', '5'));
  const budgetJs = await bestOf(runsPerConfig, [plain, '--e2e', file, 'budget']);
  const order3Js = await bestOf(runsPerConfig, [plain, '--e2e', file, 'markov3']);
  const budgetTsx = await bestOf(runsPerConfig, [
    '--import',
    'tsx',
    join(here, 'attribution.bench.ts'),
    '--e2e',
    file,
    'budget',
  ]);
  const order3Tsx = await bestOf(runsPerConfig, [
    '--import',
    'tsx',
    join(here, 'attribution.bench.ts'),
    '--e2e',
    file,
    'markov3',
  ]);
  const show = (name: string, r: ChildRun): string =>
    `${name}: ${r.wallMs.toFixed(0)} ms wall, peak RSS ${r.maxRssMB.toFixed(0)} MB, phases ${JSON.stringify(r.phases)}`;
  const e2eLines = [
    show('budget, plain JS', budgetJs),
    show('order 3, plain JS', order3Js),
    show('budget, tsx', budgetTsx),
    show('order 3, tsx', order3Tsx),
  ];
  for (const l of e2eLines) console.log(l);

  if (flag('append')) {
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const shared = Math.max(loadavg()[0]!, Number(load.split(' ')[0])) > 1.2;
    const loadAfter = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const results = join(here, 'RESULTS.md');
    const head = existsSync(results) ? '' : '# Bench results\n';
    const lines = [
      head,
      '## Attribution (path file)',
      '',
      `- Date: ${new Date().toISOString()}; machine: ${cpus().length} CPUs (nproc), ${cpu}; Node ${process.version}.`,
      `- Load average before / after: ${load} / ${loadAfter}${shared ? ' (*shared*: other work ran on the cores meanwhile)' : ''}; fresh-process figures are the best of ${runsPerConfig} runs.`,
      `- Input: \`node --import tsx bench/attribution.bench.ts --rows ${rows} --seed ${seed}\` generated ${rows.toLocaleString('en')} rows, 12 channels, ${(bytes / 1e6).toFixed(1)} MB; ${tbl.size.toLocaleString('en')} distinct paths, ${tbl.touches.length.toLocaleString('en')} touches in them.`,
      '',
      '| step (in one process, median of 3) | ms |',
      '|---|---:|',
      ...timings.map(([name, ms]) => `| ${name} | ${ms.toFixed(1)} |`),
      '',
      ...chains.map(
        (c) =>
          `- Markov order ${c.order}: ${c.states} states, ${c.transitions} transitions; ${c.solver.solves} solves, ${c.solver.dense} dense, ${c.solver.sweeps} Gauss-Seidel sweeps.`,
      ),
      '',
      '| fresh process (wall incl. start) | wall ms | peak RSS MB | target |',
      '|---|---:|---:|---|',
      `| parse + 8 rule-based + Markov 1, 2 + Shapley, plain JS | ${budgetJs.wallMs.toFixed(0)} | ${budgetJs.maxRssMB.toFixed(0)} | < 1000 ms, < 150 MB |`,
      `| parse + Markov 3, plain JS | ${order3Js.wallMs.toFixed(0)} | ${order3Js.maxRssMB.toFixed(0)} | < 3000 ms |`,
      `| parse + 8 rule-based + Markov 1, 2 + Shapley, tsx | ${budgetTsx.wallMs.toFixed(0)} | ${budgetTsx.maxRssMB.toFixed(0)} | (dev only) |`,
      `| parse + Markov 3, tsx | ${order3Tsx.wallMs.toFixed(0)} | ${order3Tsx.maxRssMB.toFixed(0)} | (dev only) |`,
      '',
      `Phases (ms) of those runs: ${e2eLines.map((l) => l.replace(/^.*phases /, '')).join('; ')}.`,
      '',
    ];
    appendFileSync(results, `${lines.join('\n')}\n`);
    console.log(`appended to ${relative(root, results)}`);
  }
}

if (process.argv.includes('--e2e')) {
  const i = process.argv.indexOf('--e2e');
  e2e(process.argv[i + 1]!, process.argv[i + 2] ?? 'budget');
} else {
  await main();
}
