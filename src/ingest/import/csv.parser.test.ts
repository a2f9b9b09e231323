import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { UserError } from '../../core/errors.js';
import { CsvParser, csvLine, isBlankRecord } from './csv.parser.js';

function parseAll(text: string, chunkSizes: number[] = [text.length || 1]): Array<[number, string[]]> {
  const p = new CsvParser();
  const out: Array<[number, string[]]> = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, chunkSizes[k++ % chunkSizes.length] ?? 1);
    for (const r of p.push(text.slice(i, i + n))) out.push([r.line, r.fields]);
    i += n;
  }
  for (const r of p.end()) out.push([r.line, r.fields]);
  return out;
}

test('quoted fields hold separators, quotes and line breaks; lines are counted', () => {
  const text = 'id,name,note\r\n1,"Smith, Jane","said ""hi""\r\nand left"\r\n2,Bob,\n3,"",x';
  assert.deepEqual(parseAll(text), [
    [1, ['id', 'name', 'note']],
    [2, ['1', 'Smith, Jane', 'said "hi"\r\nand left']],
    [4, ['2', 'Bob', '']],
    [5, ['3', '', 'x']],
  ]);
});

test('the same records whatever the chunking (a CR, a quote or "" split across chunks)', () => {
  const text = 'a,b\r\n"x""y","1\r\n2"\r\nlast,"q"\r\n';
  const whole = parseAll(text);
  for (let size = 1; size <= text.length; size++)
    assert.deepEqual(parseAll(text, [size]), whole, `chunk ${size}`);
});

test('bare CR ends a line; a trailing separator is an empty field; blank lines are blank records', () => {
  assert.deepEqual(parseAll('a,b\rc,\n\n'), [
    [1, ['a', 'b']],
    [2, ['c', '']],
    [3, ['']],
  ]);
  assert.equal(isBlankRecord(['', ' ']), true);
  assert.equal(isBlankRecord(['', 'x']), false);
});

test('an unclosed quote is an error with the line it starts on', () => {
  const p = new CsvParser({ file: 'x.csv' });
  p.push('a\n"open\nstill open');
  assert.throws(
    () => p.end(),
    (e: UserError) => e.oneLine() === 'x.csv:2: unclosed quoted field',
  );
  const small = new CsvParser({ maxRecordChars: 10 });
  assert.throws(() => small.push('"aaaaaaaaaaaaaaaaaaaa'), /longer than 10 characters/);
});

test('tab separators (UTF-16 spreadsheet exports)', () => {
  const p = new CsvParser({ delimiter: '\t' });
  assert.deepEqual(
    p.push('a\tb,c\n').map((r) => r.fields),
    [['a', 'b,c']],
  );
});

test('property: csvLine then parse is the identity, in any chunking', () => {
  const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') });
  fc.assert(
    fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
      (rows, sizes) => {
        const text = rows.map((r) => `${csvLine(r)}\r\n`).join('');
        assert.deepEqual(
          parseAll(text, sizes).map(([, f]) => f),
          rows,
        );
      },
    ),
    { numRuns: 300 },
  );
});
