import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PathFileError } from './errors.js';
import { parseDecimalBytes } from './paths.fields.js';
import { PathFileParser, parsePathText, readPathFile, readPathFileSync } from './paths.reader.js';
import type { PathTable } from './types.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The table as plain records, sorted, for comparisons. */
function records(t: PathTable): { path: string; conversions: number; value: number; nulls: number }[] {
  const out = [];
  for (let p = 0; p < t.size; p++) {
    const ids = Array.from(t.touches.subarray(t.offsets[p]!, t.offsets[p + 1]!));
    out.push({
      path: ids.map((c) => t.channels[c]).join(' > '),
      conversions: t.conversions[p]!,
      value: t.values[p]!,
      nulls: t.nulls[p]!,
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function thrown(fn: () => unknown): PathFileError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PathFileError, `expected a PathFileError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('path file reader', () => {
  it('sums repeated paths, merges spellings of one path and reads quoted fields', () => {
    const t = readPathFileSync(join(fixtures, 'small.paths.csv'));
    assert.equal(t.sourceRows, 6);
    assert.deepEqual(records(t), [
      { path: 'Display', conversions: 0, value: 0, nulls: 3 },
      // "Email>Search" and "Email >  Search " are one path.
      { path: 'Email > Search', conversions: 1, value: 20, nulls: 2 },
      { path: 'Search > Email > Direct', conversions: 3, value: 200, nulls: 8 },
      { path: 'Social > "Brand" Ads', conversions: 1, value: 15.25, nulls: 0 },
    ]);
    assert.deepEqual([...t.channels].sort(), [
      '"Brand" Ads',
      'Direct',
      'Display',
      'Email',
      'Search',
      'Social',
    ]);
  });

  it('reads the same table asynchronously', async () => {
    const a = readPathFileSync(join(fixtures, 'small.paths.csv'));
    const b = await readPathFile(join(fixtures, 'small.paths.csv'));
    assert.deepEqual(records(a), records(b));
  });

  it('gives the same table whatever the chunk boundaries', () => {
    const bytes = readFileSync(join(fixtures, 'small.paths.csv'));
    const whole = parsePathText(bytes);
    for (const size of [1, 2, 3, 7, 16]) {
      const parser = new PathFileParser();
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
      assert.deepEqual(records(parser.finish()), records(whole), `chunks of ${size}`);
    }
  });

  it('accepts CRLF, a BOM, blank lines, no trailing newline and another separator', () => {
    const t = parsePathText(
      '\uFEFFpath,total_conversions,total_conversion_value,total_null\r\n\r\na > b,1,2.5,0\r\nb,0,0,4',
      {
        sep: ',',
      },
    );
    assert.deepEqual(records(t), [
      { path: 'a > b', conversions: 1, value: 2.5, nulls: 0 },
      { path: 'b', conversions: 0, value: 0, nulls: 4 },
    ]);
  });

  it('finds columns by name and treats absent value and null columns as 0', () => {
    const t = parsePathText('total_conversions;path\n3;x > y\n');
    assert.deepEqual(records(t), [{ path: 'x > y', conversions: 3, value: 0, nulls: 0 }]);
    const u = parsePathText('Total_Null;TOTAL_CONVERSIONS;path;note\n2;1;x;hello\n');
    assert.deepEqual(records(u), [{ path: 'x', conversions: 1, value: 0, nulls: 2 }]);
  });

  it('parses decimals exactly as Number() does', () => {
    for (const text of ['0', '7', '12.5', '-3.25', '0.1', '1e3', '  42 ', '123456789012.345', '.5', '+2']) {
      const bytes = new Uint8Array(Buffer.from(text));
      assert.equal(parseDecimalBytes(bytes, 0, bytes.length), Number(text), text);
    }
    for (const text of ['', 'abc', '0x10', '1.2.3', 'Infinity', '--1']) {
      const bytes = new Uint8Array(Buffer.from(text));
      assert.ok(Number.isNaN(parseDecimalBytes(bytes, 0, bytes.length)), text);
    }
  });

  it('reports a bad number with its line and column (CRLF file)', () => {
    const e = thrown(() => readPathFileSync(join(fixtures, 'bad-number.paths.csv')));
    assert.equal(e.line, 3);
    assert.equal(e.field, 'total_conversion_value');
    assert.match(e.message, /"abc" is not a number/);
    assert.match(e.oneLine(), /bad-number\.paths\.csv:3: total_conversion_value: "abc" is not a number/);
  });

  it('reports an empty channel name on its line (blank lines count)', () => {
    const e = thrown(() => readPathFileSync(join(fixtures, 'bad-path.paths.csv')));
    assert.equal(e.line, 4);
    assert.equal(e.field, 'path');
    assert.match(e.message, /empty channel name/);
  });

  it('reports other bad rows', () => {
    const header = 'path;total_conversions;total_conversion_value;total_null\n';
    const cases: [string, number, string, RegExp][] = [
      [`${header}a;1;2\n`, 2, 'total_null', /missing/],
      [`${header}a;-1;0;0\n`, 2, 'total_conversions', /0 or more/],
      [`${header}a;1;0;-2\n`, 2, 'total_null', /0 or more/],
      [`${header}a;1;0;0\n;1;0;0\n`, 3, 'path', /empty path/],
      [`${header}a > ;1;0;0\n`, 2, 'path', /empty channel name/],
      [`${header}a;b;1;0;0\n`, 2, 'row', /more columns/],
      [`${header}"a;1;0;0\n`, 2, 'row', /unterminated quote/],
      ['path,total_conversions\na,1\n', 1, 'header', /separator/],
      ['path;conversions\n', 1, 'header', /no column total_conversions/],
      ['', 1, 'header', /empty file/],
    ];
    for (const [text, line, field, message] of cases) {
      const e = thrown(() => parsePathText(text));
      assert.equal(e.line, line, text);
      assert.equal(e.field, field, text);
      assert.match(e.message, message, text);
    }
  });

  it('rejects a bad separator and a missing file as user errors', () => {
    assert.equal(thrown(() => parsePathText('x', { sep: ';;' })).field, 'sep');
    assert.equal(thrown(() => parsePathText('x', { sep: '>' })).field, 'sep');
    const e = thrown(() => readPathFileSync(join(fixtures, 'nope.csv')));
    assert.equal(e.field, 'file');
    assert.match(e.message, /ENOENT/);
  });

  it('keeps UTF-8 channel names', () => {
    const t = parsePathText('path;total_conversions\nCafé > Ünïcode ✓;1\n');
    assert.deepEqual([...t.channels], ['Café', 'Ünïcode ✓']);
  });

  it('splits paths like a plain string split, whatever the names and spacing', () => {
    // Names that prefix each other or share their first four bytes defeat the fast path's guess.
    const names = ['Paid', 'Paid Search', 'P', 'Pa', 'SMS', 'Social', 'Soc', 'Café ✓', 'a b', 'Direct'];
    const spacing = [' > ', '>', '  >  ', '\t>\t', ' >', '> '];
    const row = fc.record({
      path: fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 6 }),
      seps: fc.array(fc.constantFrom(...spacing), { minLength: 5, maxLength: 5 }),
      conversions: fc.integer({ min: 0, max: 3 }),
      nulls: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const lines = rows.map((r) => {
          const text = r.path.map((n, i) => (i === 0 ? n : `${r.seps[i - 1]}${n}`)).join('');
          return `${text};${r.conversions};${r.conversions * 2};${r.nulls}`;
        });
        const t = parsePathText(
          `path;total_conversions;total_conversion_value;total_null\n${lines.join('\n')}\n`,
        );
        const expected = new Map<string, { conversions: number; value: number; nulls: number }>();
        for (const r of rows) {
          const key = r.path.join(' > ');
          const e = expected.get(key) ?? { conversions: 0, value: 0, nulls: 0 };
          e.conversions += r.conversions;
          e.value += r.conversions * 2;
          e.nulls += r.nulls;
          expected.set(key, e);
        }
        assert.deepEqual(
          records(t),
          [...expected].map(([path, e]) => ({ path, ...e })).sort((a, b) => (a.path < b.path ? -1 : 1)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('still splits correctly past the trie cap (thousands of names)', () => {
    const names = Array.from(
      { length: 3000 },
      (_, i) => `campaign ${i.toString(36)}-${(i * 7919).toString(16)}`,
    );
    const lines = Array.from({ length: 4000 }, (_, i) => {
      const path = [names[i % 3000]!, names[(i * 31) % 3000]!, names[(i * 17 + 5) % 3000]!];
      return `${path.join(' > ')};1`;
    });
    const t = parsePathText(`path;total_conversions\n${lines.join('\n')}\n`);
    assert.equal(t.channels.length, 3000);
    const got = records(t);
    assert.equal(
      got.reduce((s, r) => s + r.conversions, 0),
      4000,
    );
    const firstLine = lines[0]!.split(';')[0]!;
    assert.ok(got.some((r) => r.path === firstLine));
  });
});
