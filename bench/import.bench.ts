/**
 * Bulk import throughput: a generated 1M-row contacts CSV and a 10M-event Segment NDJSON file
 * (bench/data/, gitignored; made once, deterministic), each imported into a fresh DuckDB store in a
 * child process that reports wall time, rows/s and memory (peak RSS, and the JS heap sampled every
 * 250 ms, to show the import streams instead of loading the file).
 *
 *   node --import tsx bench/import.bench.ts [--contacts N] [--events N] [--append]
 *
 * --append adds the figures to bench/RESULTS.md under "## Bulk imports".
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/random.js';

const here = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};

interface Measure {
  kind: string;
  rows: number;
  imported: number;
  seconds: number;
  validateSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  heapAt: number[];
  dbMb: number;
}

/** Writes text through a stream, a chunk at a time. */
async function writeLines(
  path: string,
  n: number,
  line: (i: number) => string,
  header?: string,
): Promise<void> {
  const out = createWriteStream(path);
  let buf = header ? `${header}\n` : '';
  for (let i = 0; i < n; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

const STAGES = ['subscriber', 'lead', 'lead', 'lead', 'mql', 'mql', 'sql', 'customer'];
const SOURCES = ['Organic Search', 'Paid Search', 'Email', 'Paid Social', 'Referral', 'Direct'];
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** 1M contacts in the generic layout, with quoted names, commas, stage dates and an extra column. */
async function contactsFile(path: string, n: number): Promise<void> {
  const rng = new Rng(7);
  const start = Date.parse('2023-01-01T00:00:00Z');
  const header =
    'id,email,first_name,last_name,company,job_title,country,lifecycle_stage,original_source,owner,created_at,mql_at,sql_at,customer_at,utm_campaign';
  await writeLines(
    path,
    n,
    (i) => {
      const stage = STAGES[rng.int(0, STAGES.length - 1)] as string;
      const created = start + rng.int(0, 3 * 365 * 86_400) * 1000;
      const mql =
        stage === 'mql' || stage === 'sql' || stage === 'customer'
          ? created + rng.int(1, 30) * 86_400_000
          : 0;
      const sql = stage === 'sql' || stage === 'customer' ? mql + rng.int(1, 30) * 86_400_000 : 0;
      const customer = stage === 'customer' ? sql + rng.int(1, 60) * 86_400_000 : 0;
      return [
        `c${i}`,
        `person${i}@company${i % 50_000}.example`,
        `First${i}`,
        i % 10 === 0 ? `"O""Name, ${i}"` : `Last${i}`,
        i % 7 === 0 ? `"Company ${i % 50_000}, Inc."` : `Company ${i % 50_000}`,
        'Marketing Manager',
        ['PL', 'DE', 'US', 'GB', 'FR'][i % 5],
        stage,
        SOURCES[i % SOURCES.length],
        `owner${i % 40}@example.com`,
        iso(created),
        mql ? iso(mql) : '',
        sql ? iso(sql) : '',
        customer ? iso(customer) : '',
        `campaign-${i % 300}`,
      ].join(',');
    },
    header,
  );
}

const PAGES = ['/', '/pricing', '/features', '/blog/attribution', '/blog/kpis', '/docs', '/demo', '/about'];
const REFERRERS = [
  'https://www.google.com/',
  'https://www.linkedin.com/',
  '',
  '',
  'https://news.ycombinator.com/',
];

/**
 * Segment messages in time order over about a year: ~60 concurrent visits of 1–12 events, 40 % by
 * returning visitors, a third with UTM tags; a track call now and then, and an identify with an
 * e-mail closing the visits of one visitor in 25.
 */
async function eventsFile(path: string, n: number): Promise<void> {
  const rng = new Rng(11);
  let t = Date.parse('2025-01-01T00:00:00Z');
  const active: Array<{ visitor: number; left: number; page: number; utm: string; ref: string }> = [];
  let visitors = 0;
  await writeLines(path, n, (i) => {
    t += rng.int(0, 6300); // ~3 s apart on average: 10M events over a year, ~60 visits at a time
    if (active.length < 60 || rng.chance(0.02)) {
      const returning = visitors > 1000 && rng.chance(0.4);
      const utm = rng.chance(0.33) ? `?utm_source=google&utm_medium=cpc&utm_campaign=c${rng.int(1, 40)}` : '';
      active.push({
        visitor: returning ? rng.int(0, visitors - 1) : visitors++,
        left: rng.int(1, 12),
        page: rng.int(0, PAGES.length - 1),
        utm,
        ref: REFERRERS[rng.int(0, REFERRERS.length - 1)] as string,
      });
    }
    const k = rng.int(0, active.length - 1);
    const v = active[k] as (typeof active)[number];
    v.left--;
    if (v.left <= 0) active.splice(k, 1);
    const page = PAGES[(v.page + v.left) % PAGES.length] as string;
    const base = {
      messageId: `bench-${i}`,
      anonymousId: `anon-${v.visitor}`,
      timestamp: new Date(t).toISOString(),
      context: {
        page: { url: `https://acme.example${page}${v.utm}`, path: page, referrer: v.ref },
        userAgent: 'Mozilla/5.0 (bench)',
        library: { name: 'analytics.js', version: '2.11.1' },
      },
    };
    if (v.left === 0 && v.visitor % 25 === 0)
      return JSON.stringify({
        ...base,
        type: 'identify',
        userId: `user-${v.visitor}`,
        traits: { email: `v${v.visitor}@example.com` },
      });
    if (rng.chance(0.15))
      return JSON.stringify({ ...base, type: 'track', event: 'CTA Clicked', properties: { cta: 'hero' } });
    return JSON.stringify({ ...base, type: 'page', name: page, properties: { path: page } });
  });
}

/** The child: one import into a fresh store, measured. */
async function child(kind: 'contacts' | 'events', path: string): Promise<void> {
  const { DuckDbStore } = await import('../src/store/duckdb/duckdb.store.js');
  const { importFile, runImport } = await import('../src/ingest/import/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-import-'));
  const db = join(dir, 'northstar.duckdb');
  const store = await DuckDbStore.open(db);
  await store.migrate();
  const ws = store.forWorkspace(await store.createWorkspace({ slug: 'bench', timezone: 'UTC' }));
  let peakHeap = 0;
  let peakRss = 0;
  const heapAt: number[] = [];
  let fraction = 0;
  let nextMark = 0.1;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 250);
  const started = Date.now();
  let validated = 0;
  const size = statSync(path).size;
  const r = await runImport(ws, {
    kind,
    file: await importFile(path),
    progress: {
      phase: (p) => {
        if (p === 'importing') validated = Date.now();
      },
      update: (bytes) => {
        if (!validated) return;
        fraction = bytes / size;
        if (fraction >= nextMark) {
          heapAt.push(Math.round(process.memoryUsage().heapUsed / 1e6));
          nextMark += 0.1;
        }
      },
      done: () => undefined,
    },
  });
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sample);
  await store.close();
  const dbMb = Math.round(statSync(db).size / 1e6);
  rmSync(dir, { recursive: true, force: true });
  const out: Measure = {
    kind,
    rows: r.summary.rows,
    imported: r.summary.imported,
    seconds,
    validateSeconds: (validated - started) / 1000,
    peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1e6),
    peakHeapMb: Math.round(peakHeap / 1e6),
    heapAt,
    dbMb,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (args[0] === '--child') {
  await child(args[1] as 'contacts' | 'events', args[2] as string);
} else {
  const contacts = opt('contacts', 1_000_000);
  const events = opt('events', 10_000_000);
  const dataDir = join(here, 'data');
  mkdirSync(dataDir, { recursive: true });
  const cPath = join(dataDir, `contacts-${contacts}.csv`);
  const ePath = join(dataDir, `events-${events}.ndjson`);
  for (const [path, make, n] of [
    [cPath, contactsFile, contacts],
    [ePath, eventsFile, events],
  ] as const) {
    if (existsSync(path)) continue;
    const t = Date.now();
    await make(path, n);
    console.error(
      `generated ${path} (${Math.round(statSync(path).size / 1e6)} MB) in ${(Date.now() - t) / 1000} s`,
    );
  }
  const load = loadavg()[0]?.toFixed(2);
  const results: Array<Measure & { mb: number }> = [];
  for (const [kind, path] of [
    ['contacts', cPath],
    ['events', ePath],
  ] as const) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', kind, path],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    const m = JSON.parse(out.trim().split('\n').pop() as string) as Measure;
    results.push({ ...m, mb: Math.round(statSync(path).size / 1e6) });
    console.error(JSON.stringify(m));
  }
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    '',
    `## Bulk imports (${date}, ${cpus().length} cores ${cpus()[0]?.model.trim() ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${load} at start)`,
    '',
    '`node --import tsx bench/import.bench.ts` — generated files in bench/data/, each imported into a fresh',
    'DuckDB store by a child process (both passes: validate the whole file, then write).',
    '',
    '| file | rows | size | total | validate pass | rows/s (total) | peak RSS | peak JS heap | JS heap at 10 %, 50 %, 90 % of pass 2 | DuckDB file |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.kind} | ${r.rows.toLocaleString('en-US')} | ${r.mb} MB | ${r.seconds.toFixed(1)} s | ${r.validateSeconds.toFixed(1)} s | **${Math.round(r.rows / r.seconds).toLocaleString('en-US')}** | ${r.peakRssMb} MB | ${r.peakHeapMb} MB | ${[0, 4, 8].map((i) => r.heapAt[i] ?? '?').join(', ')} MB | ${r.dbMb} MB |`,
    ),
  ];
  console.log(lines.join('\n'));
  if (args.includes('--append')) appendFileSync(join(here, 'RESULTS.md'), `${lines.join('\n')}\n`);
}
