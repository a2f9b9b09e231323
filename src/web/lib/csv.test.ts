import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, tableCsv } from './csv.js';

test('cells a spreadsheet would run as formulas are neutralised; numbers stay numbers', () => {
  assert.equal(csvCell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  assert.equal(csvCell('+1+1'), "'+1+1");
  assert.equal(csvCell('-1+1'), "'-1+1");
  assert.equal(csvCell('@SUM(1+1)'), "'@SUM(1+1)");
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell(-12.5), '-12.5');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell('a,b'), '"a,b"');
});

test('a table: header, then the rows in column order', () => {
  assert.equal(
    tableCsv(['channel', 'spend'], [{ spend: 1152, channel: 'Email' }, { channel: '=x' }]),
    "channel,spend\nEmail,1152\n'=x,\n",
  );
});
