/**
 * UI text from message catalogs (src/web/i18n/): English complete, Polish, Korean, French, Romanian
 * and Russian (every page; the unit test holds them to it), a missing message falling back to English.
 * Messages take `{name}` parameters and plural choices. The language is chosen per user (kept in this
 * browser under the user's id), by default the browser's first supported one.
 */
import { type Catalog, en, type MessageKey } from '../i18n/en.js';
import { fr } from '../i18n/fr.js';
import { ko } from '../i18n/ko.js';
import { pl } from '../i18n/pl.js';
import { ro } from '../i18n/ro.js';
import { ru } from '../i18n/ru.js';

export const LANGUAGES = ['en', 'pl', 'ko', 'fr', 'ro', 'ru'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: 'English',
  pl: 'Polski',
  ko: '한국어',
  fr: 'Français',
  ro: 'Română',
  ru: 'Русский',
};

export const CATALOGS: Record<Lang, Catalog> = { en, pl, ko, fr, ro, ru };

let current: Lang = 'en';

/** The language `t` answers in from now on (the app sets it before it renders). */
export function setLanguage(lang: Lang): void {
  current = lang;
}

export function language(): Lang {
  return current;
}

/**
 * A plural choice inside a message: `{count, plural, one {# problem} other {# problems}}`. The form is
 * the one `Intl.PluralRules` names for the number in the current language (Polish and Russian use
 * one/few/many/other, Korean only other), `#` the number in the language's digits; `other` is the
 * fallback. A form holds no braces.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}/g;
const FORM = /(\w+) \{([^{}]*)\}/g;

/**
 * The forms of each plural choice in a message, by parameter.
 *
 * @example
 * pluralForms('{count, plural, one {# row} other {# rows}}') // { count: ['one', 'other'] }
 */
export function pluralForms(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of text.matchAll(PLURAL))
    out[m[1] ?? ''] = [...(m[2] ?? '').matchAll(FORM)].map((f) => f[1] ?? '');
  return out;
}

/**
 * The parameter names a message takes, sorted (a plural choice's parameter included).
 *
 * @example
 * paramsOf('{n, plural, one {# row} other {# rows}} in {file}') // ['file', 'n']
 */
export function paramsOf(text: string): string[] {
  const plain = [...text.replace(PLURAL, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  return [...new Set([...Object.keys(pluralForms(text)), ...plain])].sort();
}

function fill(text: string, params: Record<string, string | number>): string {
  const plural = text.replace(PLURAL, (m, name: string, forms: string) => {
    const n = Number(params[name]);
    if (!Number.isFinite(n)) return m;
    const byForm = new Map([...forms.matchAll(FORM)].map((f) => [f[1], f[2] ?? '']));
    const form = byForm.get(new Intl.PluralRules(current).select(n)) ?? byForm.get('other') ?? m;
    return form.replace(/#/g, new Intl.NumberFormat(current).format(n));
  });
  return plural.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

/**
 * The message `key` in the current language, `{name}` parameters filled in (and plural choices made).
 *
 * @example
 * setLanguage('fr'); t('period.month') // 'Ce mois-ci'
 * t('progress.label', { value: '40 %' }) // 'Progression 40 %'
 * setLanguage('pl'); t('edit.problems', { count: 3 }) // 'Test SMART wykazuje 3 problemy.'
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[current][key] ?? en[key];
  return params ? fill(text, params) : text;
}

/**
 * The message with some parameters as elements rather than text (a `<code>` command inside a
 * sentence): the text pieces and the given parts in the language's order, for JSX to render.
 *
 * @example
 * tParts('overview.noGoals', { command: <code>northstar goals apply plan.yaml</code> })
 * // ['No goals yet. Write a goal plan (YAML) and load it with ', <code>…</code>, '; see docs/goals.md.']
 */
export function tParts<T>(key: MessageKey, parts: Record<string, T>): Array<string | T> {
  return t(key)
    .split(/(\{\w+\})/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      return name !== undefined && name in parts ? (parts[name] as T) : piece;
    });
}

/**
 * The language to use: the one the user chose, else the first of the browser's languages that is
 * supported (by its primary subtag: `fr-CA` is French), else English.
 *
 * @example
 * pickLanguage(null, ['de-DE', 'pl-PL', 'en']) // 'pl'
 */
export function pickLanguage(chosen: string | null, browser: readonly string[]): Lang {
  const supported = (l: string | null | undefined): Lang | null => {
    const primary = (l ?? '').toLowerCase().split('-')[0] ?? '';
    return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Lang) : null;
  };
  const fromChoice = supported(chosen);
  if (fromChoice) return fromChoice;
  for (const l of browser) {
    const s = supported(l);
    if (s) return s;
  }
  return 'en';
}

const storageKey = (userId: string) => `northstar.lang.${userId}`;

/** The language a user chose in this browser, if any. */
export function storedLanguage(userId: string): string | null {
  try {
    return localStorage.getItem(storageKey(userId));
  } catch {
    return null; // storage disabled: the browser's language
  }
}

export function storeLanguage(userId: string, lang: Lang): void {
  try {
    localStorage.setItem(storageKey(userId), lang);
  } catch {
    // storage disabled: the choice lasts until the page is reloaded
  }
}
