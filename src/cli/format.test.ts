import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatValue, renderCsv, renderTable } from './format.js';

test('table aligns text left and numbers right', () => {
  assert.equal(
    renderTable([
      { kind: 'events', rows: 12 },
      { kind: 'contacts', rows: 3 },
    ]),
    'kind      rows\n--------  ----\nevents      12\ncontacts     3\n',
  );
});

test('csv quotes what needs quoting and leaves nulls empty', () => {
  assert.equal(renderCsv([{ a: 'x,y', b: null, c: 'say "hi"' }]), 'a,b,c\n"x,y",,"say ""hi"""\n');
});

test('tables show money, rates, counts and days as a marketer reads them; CSV stays raw', () => {
  const rows = [
    { channel: 'Email', revenue: 230709.4, cpl: 45.678, rate: 0.0274, roi: -0.594, leads: 3.75, days: 12.25 },
  ];
  const kinds = {
    revenue: 'currency',
    cpl: 'currency',
    rate: 'ratio',
    roi: 'ratio',
    leads: 'count',
    days: 'days',
  };
  assert.equal(
    renderTable(rows, undefined, { kinds, currency: 'USD', caption: 'revenue, 2026-01-01 to 2026-03-31' }),
    [
      'revenue, 2026-01-01 to 2026-03-31',
      '',
      'channel   revenue     cpl   rate      roi  leads    days',
      '-------  --------  ------  -----  -------  -----  ------',
      'Email    $230,709  $45.68  2.7 %  -59.4 %      4  12.3 d',
      '',
    ].join('\n'),
  );
  assert.equal(formatValue(1234.5, 'currency', 'EUR'), '€1,235');
  assert.equal(formatValue(2.2, 'ratio'), '220 %');
  assert.equal(
    renderCsv(rows),
    'channel,revenue,cpl,rate,roi,leads,days\nEmail,230709.4,45.678,0.0274,-0.594,3.75,12.25\n',
  );
});

test('csv neutralizes text that a spreadsheet would run as a formula, never numbers', () => {
  const cells = ["=cmd|' /C calc'!A0", '@SUM(1+1)', '+1+1', '-1+1', '=HYPERLINK("http://x")', '\tx', 'plain'];
  const out = renderCsv(cells.map((c, i) => ({ campaign: c, n: -i })));
  assert.equal(
    out,
    [
      'campaign,n',
      "'=cmd|' /C calc'!A0,0",
      "'@SUM(1+1),-1",
      "'+1+1,-2",
      "'-1+1,-3",
      `"'=HYPERLINK(""http://x"")",-4`,
      "'\tx,-5",
      'plain,-6',
      '',
    ].join('\n'),
  );
});
