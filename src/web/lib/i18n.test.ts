import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en, type MessageKey } from '../i18n/en.js';
import { CATALOGS, LANGUAGES, paramsOf, pickLanguage, pluralForms, setLanguage, t, tParts } from './i18n.js';

/** The main pages' messages, which every language must have (the rest may fall back to English). */
const MAIN =
  /^(app|nav|signin|state|period|status|progress|goals|funnel|attr|table|plan|data|overview|objective|checkin|chart|edit|kpi|market|board|download|share|role|settings)\./;

test('every language translates every main-page message, with the same parameters as English', () => {
  for (const lang of LANGUAGES) {
    const c = CATALOGS[lang];
    for (const key of Object.keys(c)) assert.ok(key in en, `${lang}: ${key} is not an English key`);
    for (const key of Object.keys(en) as MessageKey[]) {
      if (!MAIN.test(key)) continue;
      const text = c[key];
      assert.ok(text, `${lang} lacks ${key}`);
      assert.deepEqual(paramsOf(text), paramsOf(en[key]), `${lang} ${key}: parameters`);
    }
  }
});

test("a plural choice has the language's forms: each one it uses for whole numbers, and other", () => {
  for (const lang of LANGUAGES) {
    const rules = new Intl.PluralRules(lang);
    const known = rules.resolvedOptions().pluralCategories;
    const needed = new Set(Array.from({ length: 200 }, (_, n) => rules.select(n)));
    for (const [key, text] of Object.entries(CATALOGS[lang])) {
      for (const [param, forms] of Object.entries(pluralForms(text ?? ''))) {
        const at = `${lang} ${key} {${param}}`;
        assert.ok(forms.includes('other'), `${at}: no "other" form`);
        for (const f of forms)
          assert.ok(known.includes(f as Intl.LDMLPluralRule), `${at}: ${f} is not a ${lang} form`);
        for (const f of needed) assert.ok(forms.includes(f), `${at}: lacks the ${f} form`);
      }
    }
  }
});

test('plural choices pick the form for the number', () => {
  setLanguage('pl');
  assert.equal(t('edit.problems', { count: 1 }), 'Test SMART wykazuje 1 problem.');
  assert.equal(t('edit.problems', { count: 3 }), 'Test SMART wykazuje 3 problemy.');
  assert.equal(t('edit.problems', { count: 12 }), 'Test SMART wykazuje 12 problemów.');
  assert.equal(t('edit.problems', { count: 22 }), 'Test SMART wykazuje 22 problemy.');
  setLanguage('ru');
  assert.equal(t('edit.problems', { count: 21 }), 'Проверка SMART нашла 21 проблему.');
  assert.equal(t('edit.problems', { count: 5 }), 'Проверка SMART нашла 5 проблем.');
  setLanguage('ro');
  assert.equal(t('edit.problems', { count: 1 }), 'Verificarea SMART găsește o problemă.');
  assert.equal(t('edit.problems', { count: 25 }), 'Verificarea SMART găsește 25 de probleme.');
  setLanguage('en');
  assert.equal(t('edit.problems', { count: 1 }), 'The SMART check finds 1 problem.');
  assert.equal(t('edit.problems', { count: 1200 }), 'The SMART check finds 1,200 problems.');
  assert.deepEqual(paramsOf(en['edit.problems']), ['count']);
});

test('tParts puts elements where their parameters are, in the language order', () => {
  setLanguage('ko');
  const parts = tParts('overview.noGoals', { command: 42 });
  assert.equal(parts.filter((p) => p === 42).length, 1);
  assert.ok(String(parts[0]).startsWith('아직 목표가 없습니다.'));
  setLanguage('en');
  assert.deepEqual(tParts('settings.rulesHint', { regex: 0 }).length, 3);
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
