import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { languageFrom, parseLanguage } from '../../src/messages/index.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { ROOT } from '../support/cli.js';

// Issue 12: both catalogues hold every key, each with the same placeholders, and every key is used.

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the message catalogues', () => {
  it('have the same keys, English and Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('keep each key on the same line of both files, so they read side by side', () => {
    const lines = (file: string): Map<string, number> => new Map(readFileSync(join(ROOT, 'src', 'messages', file), 'utf8').split('\n')
      .flatMap((line, i) => { const m = /^ {2}'?([\w-]+)'?: /.exec(line); return m ? [[m[1]!, i] as const] : []; }));
    expect([...lines('zh-CN.ts')]).toEqual([...lines('en.ts')]);
    expect(lines('en.ts').size).toBe(Object.keys(en).length);
  });

  it('give each message the same placeholders in both languages', () => {
    const differ = Object.keys(en).filter((key) =>
      placeholders(en[key as keyof typeof en]).join() !== placeholders(zhCN[key as keyof typeof zhCN]).join());
    expect(differ).toEqual([]);
  });

  it('leave no Chinese message empty or still in English', () => {
    const english = Object.entries(zhCN).filter(([key, text]) => text.trim() === '' || (text === en[key as keyof typeof en] && /[a-z]{4,}\s+[a-z]{4,}/.test(text)));
    expect(english.map(([key]) => key)).toEqual([]);
  });

  it('hold no key the program never uses', () => {
    const code = sources(join(ROOT, 'src')).filter((p) => !p.includes(`${join('src', 'messages')}`)).map((p) => readFileSync(p, 'utf8')).join('\n');
    // Keys made at run time: `stage_${code}`, `list_${list}_${code}`, `reason_${r}` …
    const prefixes = [...code.matchAll(/`([a-z_]+_)\$\{/g)].map((m) => m[1]!);
    const unused = Object.keys(en).filter((key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`) && !prefixes.some((p) => key.startsWith(p)));
    expect(unused).toEqual([]);
  });
});

describe('the language spoken', () => {
  const cases: [string, string | undefined, Record<string, string>, string | null][] = [
    ['--lang wins over everything', 'zh-CN', { COMPLAINTS_LANG: 'en', LC_ALL: 'en_US.UTF-8' }, 'zh-CN'],
    ['--lang en over a Chinese locale', 'en', { LANG: 'zh_CN.UTF-8' }, 'en'],
    ['COMPLAINTS_LANG over the locale', undefined, { COMPLAINTS_LANG: 'zh-CN', LANG: 'en_US.UTF-8' }, 'zh-CN'],
    ['LC_ALL over LANG', undefined, { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }, 'zh-CN'],
    ['LC_MESSAGES over LANG', undefined, { LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }, 'zh-CN'],
    ['LC_ALL=C says nothing: LANG speaks', undefined, { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    ["Debian cron's C.UTF-8 says nothing: English", undefined, { LANG: 'C.UTF-8' }, 'en'],
    ['POSIX says nothing', undefined, { LANG: 'POSIX' }, 'en'],
    ['no locale at all', undefined, {}, 'en'],
    ['a locale without a catalogue is English', undefined, { LANG: 'fr_FR.UTF-8' }, 'en'],
    ['zh_SG is simplified Chinese', undefined, { LANG: 'zh_SG.UTF-8' }, 'zh-CN'],
    ['traditional Chinese is not simplified: English', undefined, { LANG: 'zh_TW.UTF-8' }, 'en'],
  ];
  it.each(cases)('%s', (_name, flag, env, expected) => {
    expect(languageFrom(flag, env).language).toBe(expected);
  });

  it('refuses a flag or COMPLAINTS_LANG naming no language of ours, saying which', () => {
    expect(languageFrom('fr', {})).toEqual({ language: null, source: '--lang', value: 'fr' });
    expect(languageFrom(undefined, { COMPLAINTS_LANG: 'de' })).toEqual({ language: null, source: 'COMPLAINTS_LANG', value: 'de' });
    expect(['zh', 'zh-CN', 'zh_CN', 'zh-Hans', 'en', 'en-GB'].map(parseLanguage)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en', 'en']);
  });
});
