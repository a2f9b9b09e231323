import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCsv, renderTable } from './format.js';

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
