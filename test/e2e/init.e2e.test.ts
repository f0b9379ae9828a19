import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPresetYear } from '../../src/commands/calendar.js';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, missingDbPath, runCli, runJson, runOk, tempDir } from '../support/cli.js';
import { KEY, startInTerminal, type Terminal } from '../support/pty.js';

// Issue 12 §3: `complaints init` is the one way to a new office file, set up for the office it is
// for; every other command refuses a missing file (a cron job pointed at a typo is loud); the
// office's language, stored in the file, is spoken when nothing else chose one (§1).

const fill = (text: string, params: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
const AT = '2026-11-24 10:00';
const HAN = /[\u4e00-\u9fff]/;
/** As cron runs: no LANG, no LC_*, no COMPLAINTS_LANG (testEnv leaves out what is undefined). */
const NO_LOCALE = { LANG: undefined };

interface CalendarJson { timezone: string; week: Record<string, string>; holidays: string[]; extra_workdays: string[] }

/** A path in a folder that does not exist: refusing it must make neither. */
function pathInMissingFolder(): string {
  return join(tempDir(), 'office', 'complaints.db');
}

function expectNothingMade(db: string): void {
  expect(existsSync(db), db).toBe(false);
  expect(existsSync(dirname(db)), dirname(db)).toBe(false);
}

describe('complaints init --yes', () => {
  it('in Chinese: Beijing time from the locale, official holidays and make-up days of this year, said in Chinese, and verify green', () => {
    const db = missingDbPath();
    // The machine's zone says Berlin; the Chinese locale wins.
    const r = runCli(['init', '--yes', '--at', AT, '--name', '某某物业客服中心'], { db, env: { LANG: 'zh_CN.UTF-8', TZ: 'Europe/Berlin' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(fill(zhCN.init_done, { path: db }));
    expect(r.stdout).toContain(fill(zhCN.detail_line, { key: zhCN.label_timezone, value: 'Asia/Shanghai' }));
    expect(r.stdout).toContain(fill(zhCN.detail_line, { key: zhCN.label_language, value: zhCN.language_zh_CN }));
    expect(r.stdout).toContain(fill(zhCN.detail_line, { key: zhCN.label_office_name, value: '某某物业客服中心' }));
    const y2026 = loadPresetYear(2026)!;
    const published2027 = loadPresetYear(2027);
    if (published2027 === null) {
      expect(r.stdout).toContain(fill(zhCN.init_holidays_loaded, { years: '2026', holidays: y2026.holidays.length, workdays: y2026.workdays.length }));
      expect(r.stdout).toContain(fill(zhCN.init_holidays_unpublished, { year: 2027 }));
    } else {
      expect(r.stdout).toContain(fill(zhCN.init_holidays_loaded, { years: '2026、2027', holidays: y2026.holidays.length + published2027.holidays.length, workdays: y2026.workdays.length + published2027.workdays.length }));
    }
    expect(lines.at(-2)).toBe(zhCN.init_next_step);

    const cal = runJson<CalendarJson>(['calendar', 'show', '--year', '2026'], { db });
    expect(cal.timezone).toBe('Asia/Shanghai');
    expect(cal.holidays).toContain('2026-10-01');
    expect(cal.extra_workdays).toContain('2026-10-10');
    const shown = runOk(['calendar', 'show', '--year', '2026'], { db, env: NO_LOCALE });
    expect(shown.stdout).toContain(zhCN.label_timezone);
    expect(shown.stdout).toContain('2026-10-01..2026-10-07');
    expect(runJson(['office', 'show'], { db })).toEqual({ name: '某某物业客服中心', language: 'zh-CN', timezone: 'Asia/Shanghai' });

    const verified = runJson<{ ok: boolean; events: number }>(['verify'], { db });
    expect(verified.ok).toBe(true);
    // timezone, week, language, office name, one preset per year loaded.
    expect(verified.events).toBe(4 + (published2027 === null ? 1 : 2));
  });

  it('in English on a China zone: Beijing time and the holidays by default; elsewhere the machine zone and none', () => {
    const china = missingDbPath();
    const r = runOk(['init', '--yes', '--at', AT], { db: china, env: { TZ: 'Asia/Chongqing' } });
    expect(r.stdout.split('\n')[0]).toBe(fill(en.init_done, { path: china }));
    expect(r.stdout).toContain('  Timezone: Asia/Shanghai');
    expect(r.stdout).toContain('  Language: English');
    expect(r.stdout).toContain('  Office: (not set)');
    expect(r.stdout).toMatch(/ {2}Holidays: official holidays and make-up working days of 2026/);
    expect(runJson<CalendarJson>(['calendar', 'show'], { db: china }).holidays).toContain('2026-10-01');
    expect(runJson(['office', 'show'], { db: china })).toEqual({ name: null, language: 'en', timezone: 'Asia/Shanghai' });

    const berlin = missingDbPath();
    const b = runOk(['init', '--yes', '--at', AT, '--days', 'mon-sat', '--hours', '08:30-17:30'], { db: berlin, env: { TZ: 'Europe/Berlin' } });
    expect(b.stdout).toContain('  Timezone: Europe/Berlin');
    expect(b.stdout).toContain('  Working hours: Monday to Saturday, 08:30-17:30');
    expect(b.stdout).toContain(`  Holidays: ${en.init_holidays_not_loaded}`);
    const cal = runJson<CalendarJson>(['calendar', 'show'], { db: berlin });
    expect(cal).toMatchObject({ timezone: 'Europe/Berlin', holidays: [], extra_workdays: [] });
    expect(cal.week).toMatchObject({ sun: 'closed', mon: '08:30-17:30', sat: '08:30-17:30' });
    expect(runCli(['verify'], { db: berlin }).status).toBe(0);
  });

  it('refuses a file that is already there, naming it, and leaves it as it was', () => {
    const db = missingDbPath();
    runOk(['init', '--yes', '--at', AT], { db });
    const before = readFileSync(db);
    for (const env of [{}, { LANG: 'zh_CN.UTF-8' }]) {
      const r = runCli(['init', '--yes', '--timezone', 'Europe/Berlin'], { db, env });
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toContain(db);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('without a terminal and without --yes: exit 2 naming --yes, nothing made', () => {
    const db = pathInMissingFolder();
    const r = runCli(['init', '--timezone', 'Asia/Shanghai'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${en.init_needs_yes}\n`);
    expect(r.stderr).toContain('--yes');
    expectNothingMade(db);
  });

  it('a bad --timezone, --lang, --holidays, --days or --hours: one line, exit 2, nothing made', () => {
    const cases: [string[], string][] = [
      [['--timezone', 'Mars/Olympus'], "error: --timezone: 'Mars/Olympus' is not a time zone; use an IANA name like Asia/Shanghai\n"],
      [['--lang', 'fr'], "error: --lang: 'fr' is not accepted; use one of: en, zh-CN\n"],
      [['--holidays', 'us'], "error: --holidays: 'us' is not accepted; use one of: cn, none\n"],
      [['--days', 'funday'], "error: --days: 'funday' is not accepted; use weekday names like mon-fri, sat or mon,wed,fri\n"],
      [['--hours', '25:00-26:00'], "error: --hours: '25:00-26:00' is not accepted; use HH:MM-HH:MM windows in order, comma-separated (09:00-12:00,13:00-18:00), or closed\n"],
    ];
    for (const [flags, line] of cases) {
      const db = pathInMissingFolder();
      const r = runCli(['init', '--yes', ...flags], { db });
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stderr.split('\n'), r.stderr).toHaveLength(2);
      if (line !== '') expect(r.stderr).toBe(line);
      expectNothingMade(db);
    }
  });
});

describe('init as a Chinese office writes its answers', () => {
  it('--holidays 中国, --days 周一至周六 and --hours with 、 are taken as cn, mon-sat and two windows', () => {
    const db = pathInMissingFolder();
    runOk(['init', '--yes', '--timezone', 'Asia/Shanghai', '--holidays', '中国', '--days', '周一至周六', '--hours', '08:30-12:00、13:00-17:30', '--at', AT], { db });
    const cal = runJson<{ holidays: string[]; week: Record<string, string[]> }>(['calendar', 'show', '--year', '2026'], { db });
    expect(cal.holidays).toContain('2026-10-01');
    expect(runJson<{ week: unknown }>(['calendar', 'show'], { db }).week).toEqual(runJson<{ week: unknown }>(['calendar', 'show'], { db: initWithCodes() }).week);
  });
});

function initWithCodes(): string {
  const db = pathInMissingFolder();
  runOk(['init', '--yes', '--timezone', 'Asia/Shanghai', '--holidays', 'none', '--days', 'mon-sat', '--hours', '08:30-12:00,13:00-17:30', '--at', AT], { db });
  return db;
}

describe('a missing file', () => {
  const commands: string[][] = [
    ['list'], ['overdue', '--as-of', AT], ['report', '--month', '2026-11', '--as-of', AT], ['show', 'C2026-00001'],
    [...logArgs(), '--at', AT, '--yes'], ['verify'], ['backup', join(tempDir(), 'copy.db')], ['calendar', 'show'], ['office', 'show'],
  ];

  it('is refused by every other command: exit 1, one line naming the path and complaints init, nothing made', () => {
    for (const args of commands) {
      const db = pathInMissingFolder();
      const r = runCli(args, { db });
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toBe(`error: ${fill(en.no_database, { path: db })}\n`);
      expect(r.stderr).toContain('complaints init');
      expectNothingMade(db);
    }
  });

  it('is refused in Chinese too', () => {
    const db = pathInMissingFolder();
    const r = runCli(['overdue'], { db, env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.no_database, { path: db })}\n`);
    expectNothingMade(db);
  });

  it('an empty file (made by touch) is no office either; init takes it', () => {
    const db = join(tempDir(), 'complaints.db');
    writeFileSync(db, '');
    expect(runCli(['list'], { db }).status).toBe(1);
    expect(readFileSync(db).length).toBe(0);
    runOk(['init', '--yes', '--at', AT], { db });
    expect(runCli(['verify'], { db }).status).toBe(0);
  });

  it('demo makes its own file, set up as a Chinese office, with the same numbers for the same seed', () => {
    const args = ['demo', '--tickets', '200', '--months', '3', '--seed', '3', '--as-of', '2026-11-20 10:00'];
    const first = missingDbPath();
    const r = runOk(args, { db: first });
    expect(r.stdout.split('\n')[0]).toMatch(/^Set up .* as a Chinese office: Asia\/Shanghai, Chinese, official holidays and make-up working days of 2026/);
    const cal = runJson<CalendarJson>(['calendar', 'show', '--year', '2026'], { db: first });
    expect(cal.timezone).toBe('Asia/Shanghai');
    expect(cal.holidays).toContain('2026-10-01');
    expect(cal.extra_workdays).toContain('2026-10-10');
    expect(runJson(['office', 'show'], { db: first })).toMatchObject({ language: 'zh-CN' });
    const counts = (db: string): unknown => {
      const s = runJson<Record<string, unknown>>(args, { db });
      delete s.seconds;
      delete s.tickets_per_second;
      return s;
    };
    expect(counts(missingDbPath())).toEqual(counts(missingDbPath()));
    expect(runCli(['verify'], { db: first }).status).toBe(0);
  });
});

describe("the office's language", () => {
  function officeWith(lang: 'en' | 'zh-CN'): string {
    const db = missingDbPath();
    runOk(['init', '--yes', '--at', '2026-11-16 09:00', '--lang', lang, '--timezone', 'Asia/Shanghai', '--holidays', 'none'], { db });
    runOk([...logArgs(), '--received-at', '2026-11-16 09:00', '--at', '2026-11-16 09:05', '--yes'], { db });
    return db;
  }
  const OVERDUE = ['overdue', '--as-of', '2026-11-30 10:00'];

  it('with no locale at all (cron), overdue and list speak the office language: Chinese for a Chinese office', () => {
    const db = officeWith('zh-CN');
    const late = runOk(OVERDUE, { db, env: NO_LOCALE });
    expect(late.stdout).toContain('C2026-00001');
    expect(late.stdout).toMatch(HAN);
    expect(runOk(['list'], { db, env: NO_LOCALE }).stdout).toMatch(HAN);
    // C.UTF-8 says nothing either.
    expect(runOk(['list'], { db, env: { LANG: 'C.UTF-8' } }).stdout).toMatch(HAN);
  });

  it('and English for an English office', () => {
    const db = officeWith('en');
    const late = runOk(OVERDUE, { db, env: NO_LOCALE });
    expect(late.stdout).toContain('C2026-00001');
    expect(late.stdout).not.toMatch(HAN);
    expect(runOk(['list'], { db, env: NO_LOCALE }).stdout).not.toMatch(HAN);
  });

  it('--lang, COMPLAINTS_LANG and a locale beat the office language', () => {
    const db = officeWith('zh-CN');
    expect(runOk(['--lang', 'en', ...OVERDUE], { db, env: NO_LOCALE }).stdout).not.toMatch(HAN);
    expect(runOk(OVERDUE, { db, env: { ...NO_LOCALE, COMPLAINTS_LANG: 'en' } }).stdout).not.toMatch(HAN);
    expect(runOk(OVERDUE, { db, env: { LANG: 'en_US.UTF-8' } }).stdout).not.toMatch(HAN);
  });

  it('office set changes the name and the language, audited, and verify stays green', () => {
    const db = officeWith('en');
    expect(runOk(['office', 'set', 'language', 'zh-CN'], { db }).stdout).toBe(`${fill(en.office_set_done, { setting: en.label_language, value: en.language_zh_CN })}\n`);
    expect(runOk(['office', 'set', 'name', '某某物业客服中心'], { db, env: { LANG: 'zh_CN.UTF-8' } }).stdout).toBe(`${fill(zhCN.office_set_done, { setting: zhCN.label_office_name, value: '某某物业客服中心' })}\n`);
    expect(runJson(['office', 'show'], { db })).toEqual({ name: '某某物业客服中心', language: 'zh-CN', timezone: 'Asia/Shanghai' });
    expect(runOk(['list'], { db, env: NO_LOCALE }).stdout).toMatch(HAN);
    const bad = runCli(['office', 'set', 'language', 'fr'], { db });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("error: language: 'fr' is not accepted; use one of: en, zh-CN\n");
    expect(runCli(['office', 'set', 'colour', 'red'], { db }).status).toBe(2);
    const verified = runJson<{ ok: boolean; events: number }>(['verify'], { db });
    expect(verified.ok).toBe(true);
  });
});

describe('complaints init at a terminal', () => {
  const running: Terminal[] = [];
  afterEach(() => {
    for (const t of running.splice(0)) t.kill();
  });

  it('asks each setting with its default, switches to the language chosen, reads back and sets up on yes', async () => {
    const db = missingDbPath();
    const term = startInTerminal(['--db', db, 'init', '--at', AT], { env: { TZ: 'Asia/Shanghai' } });
    running.push(term);
    // English, the locale's, is the default; the clerk goes up to Chinese, and is asked the rest in it.
    await term.waitFor(en.init_prompt_language);
    term.type(`${KEY.up}${KEY.enter}`);
    await term.waitFor(en.language_zh_CN);
    await term.answer(zhCN.init_prompt_name, `某某物业客服中心${KEY.enter}`);
    // A bad zone is refused as typed, the answer kept for correcting.
    await term.waitFor(zhCN.init_prompt_timezone);
    term.type(`${KEY.backspace.repeat(20)}Mars${KEY.enter}`);
    await term.waitFor(fill(zhCN.unknown_timezone, { field: 'timezone', value: 'Mars' }));
    term.type(`${KEY.backspace.repeat(4)}Asia/Shanghai${KEY.enter}`);
    await term.answer(zhCN.init_prompt_days, KEY.enter);
    await term.answer(zhCN.init_prompt_hours, KEY.enter);
    await term.waitFor(zhCN.init_prompt_holidays);
    await term.waitFor(zhCN.init_choice_holidays_cn);
    term.type(KEY.enter);
    await term.waitFor(zhCN.init_readback_title);
    await term.waitFor(zhCN.init_confirm);
    expect(term.screen()).toContain(fill(zhCN.detail_line, { key: zhCN.label_office_name, value: '某某物业客服中心' }));
    term.type(`y${KEY.enter}`);
    await term.waitFor(fill(zhCN.init_done, { path: db }));
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);
    expect(runJson(['office', 'show'], { db })).toEqual({ name: '某某物业客服中心', language: 'zh-CN', timezone: 'Asia/Shanghai' });
    expect(runJson<CalendarJson>(['calendar', 'show'], { db }).holidays).toContain('2026-10-01');
  });

  it('No at the read-back sets up nothing', async () => {
    const db = missingDbPath();
    const term = startInTerminal(['--db', db, 'init', '--at', AT], { env: { TZ: 'Asia/Shanghai' } });
    running.push(term);
    await term.answer(en.init_prompt_language, KEY.enter);
    await term.answer(en.init_prompt_name, KEY.enter);
    await term.answer(en.init_prompt_timezone, KEY.enter);
    await term.answer(en.init_prompt_days, KEY.enter);
    await term.answer(en.init_prompt_hours, KEY.enter);
    await term.answer(en.init_prompt_holidays, KEY.enter);
    await term.waitFor(en.init_readback_title);
    // The read-back arrives in pieces through the terminal: wait for the question that follows it.
    await term.waitFor(en.init_confirm);
    expect(term.screen()).toContain('  Timezone: Asia/Shanghai');
    term.type(`n${KEY.enter}`);
    const { status } = await term.finished();
    expect(status).toBe(1);
    expect(existsSync(db)).toBe(false);
  });
});
