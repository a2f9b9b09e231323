/**
 * UI text from message catalogs (src/web/i18n/): English complete, Polish, Korean, French, Romanian
 * and Russian for the main pages, a missing message falling back to English. The language is chosen
 * per user (kept in this browser under the user's id), by default the browser's first supported one.
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
 * The message `key` in the current language, `{name}` parameters filled in.
 *
 * @example
 * setLanguage('fr'); t('period.month') // 'Ce mois-ci'
 * t('progress.label', { value: '40 %' }) // 'Progression 40 %'
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[current][key] ?? en[key];
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
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
