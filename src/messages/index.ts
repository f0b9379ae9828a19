import type { MessageParams } from '../domain/errors.js';
import { en, type Catalogue, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

// Only English exists so far; zh-CN resolves to it until its catalogue lands (SPEC §8).
const catalogues: Partial<Record<Language, Catalogue>> = { en };
let current: Catalogue = en;
let currentLanguage: Language = 'en';

export function setLanguage(lang: Language): void {
  current = catalogues[lang] ?? en;
  currentLanguage = lang;
}

/** The language output is in: an office's own labels are picked in it. */
export function language(): Language {
  return currentLanguage;
}

/** `--lang` > $LANG ('zh_CN.UTF-8' → zh-CN) > English. */
export function languageFrom(flag: string | undefined, envLang: string | undefined): Language | null {
  const raw = flag ?? envLang ?? 'en';
  if (/^zh([-_]CN|[-_]Hans)?/i.test(raw)) return 'zh-CN';
  if (/^(en|C|POSIX)([-_.]|$)/i.test(raw) || flag === undefined) return 'en';
  return null;
}

/** A message whose key is made at run time (a built-in code's label), or undefined when the catalogue has none. */
export function lookup(key: string, params: MessageParams = {}): string | undefined {
  return Object.hasOwn(current, key) ? t(key as MessageKey, params) : undefined;
}

export function t(key: MessageKey, params: MessageParams = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
