/**
 * The check that keeps queries written once: SQL in engine files (everything under src/ but
 * src/store/ and the browser's src/web/) may name no function or syntax only DuckDB or only
 * ClickHouse has. Those go through the dialect (store/dialect.ts). Only string and template-literal
 * text is read (through the TypeScript parser), so a TypeScript function called `median` is not SQL.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { clickhouseDialect } from './clickhouse/clickhouse.dialect.js';
import type { SqlDialect } from './dialect.js';
import { duckdbDialect } from './duckdb/duckdb.dialect.js';

/** A forbidden spelling, why, and the primitive to use instead. */
interface ForbiddenSql {
  pattern: RegExp;
  why: string;
}

const fn = (names: string, flags = 'i') => new RegExp(`\\b(?:${names})\\(`, flags);

/**
 * Function names and syntax of one engine that the other lacks or spells differently (or, like
 * `median`, computes differently: ClickHouse's is an estimate). Names both engines share with the
 * same meaning (coalesce, lower, trim, nullif, greatest, count, sum, min, max, row_number, CAST to
 * a non-null value, LIKE, IN, QUALIFY, positional GROUP BY) are allowed.
 */
const FORBIDDEN_SQL: readonly ForbiddenSql[] = [
  { pattern: fn('arg_min|arg_max|min_by|max_by|argmin|argmax'), why: 'argMin / argMax' },
  { pattern: fn('any_value|anyLast|anyHeavy'), why: 'anyValue' },
  {
    pattern: fn('approx_count_distinct|uniq|uniqExact|uniqCombined|uniqHLL12|uniqTheta'),
    why: 'countDistinct',
  },
  {
    pattern: fn('median|quantile\\w*|percentile_cont|percentile_disc'),
    why: 'median (ClickHouse: an estimate)',
  },
  {
    pattern: fn('list|list_\\w+|array_\\w+|len|unnest|flatten|struct_pack|struct_extract'),
    why: 'the list primitives',
  },
  {
    pattern: fn('groupArray\\w*|array[A-Z]\\w*|has|hasAny|hasAll|indexOf|tuple|tupleElement', ''),
    why: 'the list primitives',
  },
  {
    pattern: fn(
      'strftime|strptime|date_trunc|date_diff|datediff|date_part|date_add|date_sub|timezone|make_timestamp',
    ),
    why: 'the time primitives',
  },
  {
    pattern: fn(
      'epoch|epoch_ms|epoch_us|to_timestamp|to_seconds|to_minutes|to_hours|to_days|to_weeks|to_months|to_years',
    ),
    why: 'epochMs / addInterval',
  },
  {
    pattern: fn(
      'toStartOf\\w+|toMonday|toDate\\w*|toDateTime\\w*|toUnixTimestamp\\w*|toInterval\\w+|toTimeZone|formatDateTime|dateDiff|now64|toString|toInt\\w+|toFloat\\w+',
      '',
    ),
    why: 'the time and cast primitives',
  },
  {
    pattern: fn(
      'from_json|json_extract\\w*|json_value|json_transform|JSON[A-Z]\\w*|simpleJSON\\w*|visitParam\\w*',
      'i',
    ),
    why: 'jsonText / jsonStringList / inJsonList',
  },
  { pattern: fn('chr|char'), why: 'charCode' },
  {
    pattern: fn('string_agg|group_concat|regexp_\\w+|replaceRegexp\\w+|match|extractAll', 'i'),
    why: 'not in both engines',
  },
  // ClickHouse's CAST to a plain type fails on NULL and its type names differ (String, Float64).
  { pattern: /\bCAST\s*\(/i, why: 'cast / nullOf' },
  { pattern: /->>?\s*'/, why: 'JSON arrows (jsonText)' },
  { pattern: /\b[a-z_]\w*\s*->\s*[a-z_(]/, why: 'lambdas (listFilter / listTransform)' },
  { pattern: /::\s*[A-Za-z]/, why: 'cast shorthand (cast / nullOf)' },
  { pattern: /\bMATERIALIZED\b/, why: 'cte(name, sql, true)' },
  { pattern: /\bGROUP BY ALL\b/i, why: 'GROUP BY positions' },
  { pattern: /\bAT TIME ZONE\b/i, why: 'localTime' },
  { pattern: /\bINTERVAL\s+'?\d/i, why: 'addInterval' },
  { pattern: /\bINSERT OR REPLACE\b/i, why: 'upsert' },
  { pattern: /\bGLOB\b/, why: 'glob' },
  { pattern: /\b(?:TIMESTAMP|DATE)\s+'\d/, why: 'timestampLiteral / cast' },
  { pattern: /\bSELECT\s+\*\s+(?:EXCLUDE|EXCEPT|REPLACE)\b/i, why: 'not in both engines' },
  {
    pattern: /\b(?:FINAL|SETTINGS|PREWHERE|ARRAY JOIN)\b/,
    why: 'ClickHouse-only clauses: the store adds them',
  },
];

interface LintHit {
  line: number;
  text: string;
  why: string;
}

/** The literal text of every string and template piece in a TypeScript source, with its line. */
function literals(source: string): Array<{ line: number; text: string }> {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true);
  const out: Array<{ line: number; text: string }> = [];
  const visit = (n: ts.Node) => {
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    )
      out.push({ line: file.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.text });
    n.forEachChild(visit);
  };
  visit(file);
  return out;
}

/** The engine-only SQL in a source file's strings. */
function lintSql(source: string): LintHit[] {
  const hits: LintHit[] = [];
  for (const { line, text } of literals(source))
    for (const f of FORBIDDEN_SQL) {
      const m = f.pattern.exec(text);
      if (m) hits.push({ line, text: m[0], why: f.why });
    }
  return hits;
}

const SRC = new URL('..', import.meta.url).pathname;
/** Layers whose SQL must be written once: everything but the stores and the browser code. */
const SKIP = ['store', 'web'].map((d) => join(SRC, d));

function engineFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return SKIP.includes(p) ? [] : engineFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [p] : [];
  });
}

test('no engine file names a DuckDB- or ClickHouse-only function (they go through store/dialect.ts)', () => {
  const files = engineFiles();
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const found = files.flatMap((f) =>
    lintSql(readFileSync(f, 'utf8')).map((h) => `src/${relative(SRC, f)}:${h.line} ${h.text} (use ${h.why})`),
  );
  assert.deepEqual(found, []);
});

/** What the engines used to write, one or more per forbidden entry: each must be caught. */
const CAUGHT = [
  'SELECT arg_min(channel, started_at) FROM sess',
  'SELECT argMax(stage, t) FROM x',
  'SELECT any_value(contact_id) FROM s',
  'SELECT uniq(person) FROM s',
  'SELECT median(x.days) FROM x',
  "SELECT list_sort(list({'t': started_at})) FROM s",
  'SELECT arrayMap(x -> x.1, p) FROM q',
  "SELECT strftime(date_trunc('month', ts), '%Y-%m')",
  'SELECT epoch_ms(ts), to_days(3)',
  'SELECT toStartOfMonth(ts)',
  'SELECT from_json($list, \'["VARCHAR"]\')',
  'SELECT chr(31)',
  "SELECT string_agg(k, ',')",
  'SELECT CAST(x AS VARCHAR)',
  "SELECT x.properties->>'owner'",
  'SELECT list_filter(p, x -> x.t > 0)',
  'SELECT NULL::TIMESTAMP',
  'WITH ids AS MATERIALIZED (SELECT 1)',
  'SELECT 1 GROUP BY ALL',
  "SELECT ts AT TIME ZONE 'UTC'",
  'SELECT now() - INTERVAL 31 MINUTE',
  'INSERT OR REPLACE INTO t SELECT 1',
  "SELECT 1 WHERE path GLOB '/blog/*'",
  "SELECT TIMESTAMP '2026-01-01 00:00:00'",
  'SELECT * EXCLUDE (rn) FROM t',
  'SELECT * FROM t FINAL',
];

test('every forbidden spelling is caught in SQL strings and template pieces', () => {
  const hit = new Set<string>();
  for (const sql of CAUGHT) {
    const found = lintSql(`const q = \`${sql.replaceAll('`', '\\`')}\`;`);
    assert.ok(found.length > 0, sql);
    for (const h of found) hit.add(h.why);
  }
  const tail = ['const q = `SELECT $', '{a} AS x, arg_max(b, c) FROM t`;'].join('');
  assert.ok(lintSql(tail).length > 0, 'template tail');
  assert.deepEqual(
    FORBIDDEN_SQL.map((f) => f.why).filter((w) => !hit.has(w)),
    [],
    'an entry no example exercises',
  );
});

test('TypeScript code, prose, regular expressions and addresses are not SQL', () => {
  const code = [
    'const m = median(values); const l = list(xs);',
    "const t = 'Demand generation (moves lead -> MQL -> SQL)';",
    "const h = new Set(['localhost', '::1', '[::1]']);",
    "const c = '<!-- Generated. Do not edit. -->';",
    "const s = 'SELECT coalesce(x.a, 0), count(DISTINCT x.b), row_number() OVER (PARTITION BY k ORDER BY t) FROM @t x GROUP BY 1';",
  ].join('\n');
  assert.deepEqual(lintSql(code), []);
});

test('what each dialect writes is what the check forbids elsewhere (the primitives are needed)', () => {
  const sample = (d: SqlDialect) =>
    [
      d.argMin('a', 'b'),
      d.median('x'),
      d.epochMs('ts'),
      d.truncDate('month', 'ts'),
      d.jsonText('p', ['owner']),
      d.listTransform('p', 'x', 'x'),
      d.cast('x', 'varchar'),
    ].map((sql) => lintSql(`const q = \`${sql.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\`;`).length);
  for (const d of [duckdbDialect, clickhouseDialect])
    assert.ok(
      sample(d).every((n) => n > 0),
      `${d.name}: ${sample(d).join(',')}`,
    );
});
