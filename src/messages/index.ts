import type { MessageParams } from '../domain/errors.js';
import { en, type Catalogue, type MessageKey } from './en.js';

export type { MessageKey } from './en.js';
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

// English is always here; another catalogue is loaded only when a command speaks it, so an English
// command pays nothing for it at start-up.
const catalogues: Record<Language, () => Promise<Catalogue>> = {
  en: async () => en,
  'zh-CN': async () => (await import('./zh-CN.js')).zhCN,
};
let current: Catalogue = en;
let currentLanguage: Language = 'en';
let settled = false;

/**
 * `settled`: a flag, COMPLAINTS_LANG or the locale named the language, or it was already read from
 * the office's file. When not, the office's own language (stored in its file) takes over from
 * English once the file is open.
 */
export async function setLanguage(lang: Language, options: { settled?: boolean } = {}): Promise<void> {
  current = await catalogues[lang]();
  currentLanguage = lang;
  settled = options.settled ?? true;
}

/** Whether the language is settled for this command (else the office's may still apply). */
export function languageSettled(): boolean {
  return settled;
}

/** The language output is in: an office's own labels are picked in it. */
export function language(): Language {
  return currentLanguage;
}

/** A language as `--lang` or COMPLAINTS_LANG name it, or null when it is not one of ours. */
export function parseLanguage(raw: string): Language | null {
  if (/^zh([-_](CN|SG|Hans)([-_.@].*)?)?$/i.test(raw)) return 'zh-CN';
  if (/^en([-_.@].*)?$/i.test(raw)) return 'en';
  return null;
}

/**
 * The language to speak (issue 12): `--lang` > COMPLAINTS_LANG > the locale (LC_ALL, then
 * LC_MESSAGES, then LANG, as POSIX orders them; C and POSIX, which Debian's cron and CI run with,
 * say nothing) > the office's language (stored in its file; the caller applies it once the file is
 * open, when `said` is false) > English. A flag or COMPLAINTS_LANG that names no language of ours
 * is an error (`source` says which); a locale we have no catalogue for is English.
 */
export function languageFrom(
  flag: string | undefined, env: Readonly<Record<string, string | undefined>>,
): { language: Language; said: boolean } | { language: null; source: '--lang' | 'COMPLAINTS_LANG'; value: string } {
  if (flag !== undefined) {
    const language = parseLanguage(flag);
    return language === null ? { language, source: '--lang', value: flag } : { language, said: true };
  }
  const named = env.COMPLAINTS_LANG;
  if (named) {
    const language = parseLanguage(named);
    return language === null ? { language, source: 'COMPLAINTS_LANG', value: named } : { language, said: true };
  }
  const locale = localeLanguage(env);
  return locale === null ? { language: 'en', said: false } : { language: locale, said: true };
}

/** The language the locale names (LC_ALL, LC_MESSAGES, LANG), or null when it names none (unset, C, POSIX). */
export function localeLanguage(env: Readonly<Record<string, string | undefined>>): Language | null {
  for (const locale of [env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (!locale || /^(C|POSIX)([.@].*)?$/i.test(locale)) continue;
    return /^zh[-_](CN|SG|Hans)|^zh([.@]|$)/i.test(locale) ? 'zh-CN' : 'en';
  }
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
