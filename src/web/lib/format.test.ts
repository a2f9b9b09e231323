import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compact, formatDay, formatValue } from './format.js';

const en = { locale: 'en-US', currency: 'EUR' };
const de = { locale: 'de-DE', currency: 'EUR' };
// Intl separates currency and number with a no-break space in some locales.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

test('values by unit and locale', () => {
  assert.equal(formatValue(null, 'count', en), '–');
  assert.equal(formatValue(1234, 'count', en), '1,234');
  assert.equal(formatValue(1234, 'count', de), '1.234');
  assert.equal(plain(formatValue(1234.5, 'currency', de)), '1.235 €');
  assert.equal(formatValue(12.5, 'currency', en), '€12.50');
  assert.equal(formatValue(0.1234, 'ratio', en), '12.3%');
  assert.equal(formatValue(0.01234, 'ratio', en), '1.23%');
  assert.equal(plain(formatValue(0.25, 'ratio', de)), '25 %');
  assert.equal(formatValue(12.34, 'days', en), '12.3 days');
  assert.equal(plain(formatValue(12.34, 'days', { locale: 'fr', currency: 'EUR' })), '12,3 j');
  assert.equal(compact(12345, en), '12.3K');
});

test('a day is shown as that calendar day whatever the browser zone', () => {
  assert.equal(formatDay('2026-03-05', { locale: 'en-GB', currency: 'EUR' }), '5 Mar 2026');
  assert.equal(formatDay('2026-03-05', en, 'short'), 'Mar 5');
});
