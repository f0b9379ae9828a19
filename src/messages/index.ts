import type { MessageParams } from '../domain/errors.js';
import { en, type Catalogue, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

// Only English exists so far; zh-CN resolves to it until its catalogue lands (SPEC §8).
const catalogues: Partial<Record<Language, Catalogue>> = { en };
let current: Catalogue = en;

export function setLanguage(lang: Language): void {
  current = catalogues[lang] ?? en;
}

/** `--lang` > $LANG ('zh_CN.UTF-8' → zh-CN) > English. */
export function languageFrom(flag: string | undefined, envLang: string | undefined): Language | null {
  const raw = flag ?? envLang ?? 'en';
  if (/^zh([-_]CN|[-_]Hans)?/i.test(raw)) return 'zh-CN';
  if (/^(en|C|POSIX)([-_.]|$)/i.test(raw) || flag === undefined) return 'en';
  return null;
}

export function t(key: MessageKey, params: MessageParams = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
