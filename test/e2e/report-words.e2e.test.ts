import { statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { runCli, runOk, tempDbPath } from '../support/cli.js';

// Issue 12 §6: `report monthly|weekly|quarterly|yearly [PERIOD]` (and the office's 月报/周报/季报/年报)
// as the design card words it, each the same report as its flag.

const fill = (text: string, params: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
const AS_OF = ['--as-of', '2026-11-24 10:00'];
const ZH = { LANG: 'zh_CN.UTF-8' };
let db = '';

beforeAll(() => {
  db = tempDbPath();
  runOk(['demo', '--tickets', '150', '--months', '14', '--seed', '12', '--as-of', '2026-11-24 10:00'], { db });
}, 120_000);

const report = (args: string[], env?: NodeJS.ProcessEnv): string => runOk(['report', ...args, ...AS_OF], { db, env }).stdout;

describe('report by words', () => {
  it.each([
    [['monthly', '2026-10'], ['--month', '2026-10']],
    [['monthly'], ['--month']],
    [['weekly', '2026-W47'], ['--week', '2026-W47']],
    [['weekly'], ['--week']],
    [['quarterly', '2026-Q3'], ['--quarter', '2026-Q3']],
    [['yearly', '2025'], ['--year', '2025']],
    [['Monthly', '2026-10'], ['--month', '2026-10']],
  ])('report %j is report %j', (words, flags) => {
    const json = report([...words, '--json']);
    expect(json).toBe(report([...flags, '--json']));
    expect(JSON.parse(json)).toHaveProperty('period.label');
  });

  it.each([
    [['月报', '2026-10'], ['--month', '2026-10']],
    [['周报', '2026-W47'], ['--week', '2026-W47']],
    [['季报', '2026-Q4'], ['--quarter', '2026-Q4']],
    [['年报'], ['--year']],
  ])('the office\'s words: report %j is report %j, in the table a person reads', (words, flags) => {
    const table = report(words, ZH);
    expect(table).toBe(report(flags, ZH));
    expect(table).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a word with another format gives the same document', () => {
    expect(report(['monthly', '2026-10', '--format', 'md'])).toBe(report(['--month', '2026-10', '--format', 'md']));
  });

  it('refuses a bad period naming the word and what is accepted (en, zh)', () => {
    const r = runCli(['report', 'monthly', '2026-13', ...AS_OF], { db });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${en.error_prefix}${fill(en.report_bad_period, { field: 'monthly', value: '2026-13', accepted: 'YYYY-MM, e.g. 2026-10' })}\n`);
    const zh = runCli(['report', '季报', '2026-Q5', ...AS_OF], { db, env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr.startsWith(`${zhCN.error_prefix}季报：`)).toBe(true);
    expect(zh.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a word that is not a kind of report, and a bare period, in one line (en, zh)', () => {
    const bad = runCli(['report', 'daily', ...AS_OF], { db });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`${en.error_prefix}${fill(en.report_bad_kind, { value: 'daily' })}\n`);
    const inherited = runCli(['report', 'constructor', ...AS_OF], { db });
    expect(inherited.stderr).toBe(`${en.error_prefix}${fill(en.report_bad_kind, { value: 'constructor' })}\n`);
    const bare = runCli(['report', '2026-10', ...AS_OF], { db, env: ZH });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.report_period_without_kind, { value: '2026-10' })}\n`);
  });

  it('refuses a word with a period flag, even the same kind, in one line, writing nothing', () => {
    for (const [flags, b] of [[['--week', '2026-W47'], '--week'], [['--month', '2026-10'], '--month'], [['--from', '2026-10-01', '--to', '2026-11-01'], '--from']] as const) {
      const r = runCli(['report', 'monthly', '2026-10', ...flags, ...AS_OF], { db });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${en.error_prefix}${fill(en.conflicting_flags, { a: 'monthly', b })}\n`);
    }
    const out = `${tempDbPath()}.html`;
    const zh = runCli(['report', '月报', '--year', '2026', '--format', 'html', '--output', out, ...AS_OF], { db, env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.conflicting_flags, { a: '月报', b: '--year' })}\n`);
    expect(() => statSync(out)).toThrow();
  });

  it('the help shows the word forms (en, zh)', () => {
    const help = runOk(['report', '--help']).stdout;
    expect(help).toContain('[kind] [period]');
    expect(help).toContain('complaints report monthly 2026-10');
    const zh = runOk(['report', '--help'], { env: ZH }).stdout;
    expect(zh).toContain('月报、周报、季报或年报');
    expect(zh).toContain('complaints report 月报 2026-10');
  });
});

describe('periods as a Chinese office writes them', () => {
  it.each([
    [['--month', '2026年10月'], ['--month', '2026-10']],
    [['月报', '2026年9月份'], ['--month', '2026-09']],
    [['周报', '2026年第47周'], ['--week', '2026-W47']],
    [['季报', '2026年第三季度'], ['--quarter', '2026-Q3']],
    [['--quarter', '2026年第3季度'], ['--quarter', '2026-Q3']],
    [['年报', '2025年'], ['--year', '2025']],
    [['--year', '２０２５年度'], ['--year', '2025']],
  ])('report %j is report %j', (typed, flags) => {
    expect(report([...typed, '--json'])).toBe(report([...flags, '--json']));
  });

  it('a month that is not one is refused naming both forms, in Chinese', () => {
    const r = runCli(['report', '--month', '2026年13月', ...AS_OF], { db, env: ZH });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(zhCN.report_period_form_month);
  });
});
