import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en, type MessageKey } from '../i18n/en.js';
import { CATALOGS, LANGUAGES, pickLanguage, setLanguage, t } from './i18n.js';

/** The main pages' messages, which every language must have (the rest may fall back to English). */
const MAIN = /^(app|nav|signin|state|period|status|progress|goals|funnel|attr|table|plan|data)\./;

test('every language translates every main-page message, with the same parameters as English', () => {
  const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const lang of LANGUAGES) {
    const c = CATALOGS[lang];
    for (const key of Object.keys(c)) assert.ok(key in en, `${lang}: ${key} is not an English key`);
    for (const key of Object.keys(en) as MessageKey[]) {
      if (!MAIN.test(key)) continue;
      const text = c[key];
      assert.ok(text, `${lang} lacks ${key}`);
      assert.deepEqual(params(text), params(en[key]), `${lang} ${key}: parameters`);
    }
  }
});

test('t fills parameters and falls back to English for a missing message', () => {
  setLanguage('fr');
  assert.equal(t('period.month'), 'Ce mois-ci');
  assert.equal(t('progress.label', { value: '40 %' }), 'Progression 40 %');
  setLanguage('ko');
  assert.equal(t('goals.expand', { title: 'Revenue' }), 'Revenue 펼치기');
  setLanguage('en');
  assert.equal(t('goals.empty', { command: 'x' }), 'No goals yet: load a plan with x (docs/goals.md).');
});

test("the language: the user's choice, else the browser's first supported one, else English", () => {
  assert.equal(pickLanguage(null, ['de-DE', 'pl-PL', 'en']), 'pl');
  assert.equal(pickLanguage(null, ['fr-CA']), 'fr');
  assert.equal(pickLanguage('ru', ['pl']), 'ru');
  assert.equal(pickLanguage('xx', ['ko-KR']), 'ko');
  assert.equal(pickLanguage(null, ['de', 'es']), 'en');
});
