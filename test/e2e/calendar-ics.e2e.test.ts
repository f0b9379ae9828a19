import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';

// Issue 12 §4: real Chinese holiday calendars, make-up working days (调休上班日) included, in the
// forms they are published in. The expected lines come from the catalogues themselves.

const fill = (text: string, params: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ics');
const fixture = (name: string): string => join(FIXTURES, name);
const YEARS = join(dirname(createRequire(import.meta.url).resolve('chinese-days/package.json')), 'dist', 'years');
const ZH = { LANG: 'zh_CN.UTF-8' };

interface CalendarDoc {
  holidays: string[];
  extra_workdays: string[];
}
const calendarOf = (db: string, year?: number): CalendarDoc => runJson<CalendarDoc>(['calendar', 'show', ...(year ? ['--year', String(year)] : [])], { db });

describe('importing a published Chinese holiday calendar', () => {
  it.each([2023, 2024, 2025])('%i: exactly the holidays and make-up working days of preset cn', (year) => {
    const preset = tempDbPath();
    runOk(['calendar', 'preset', 'cn', String(year)], { db: preset });
    const imported = tempDbPath();
    const r = runOk(['calendar', 'import', join(YEARS, `${year}.ics`)], { db: imported });
    const expected = calendarOf(preset, year);
    expect(expected.extra_workdays.length).toBeGreaterThan(0);
    expect(calendarOf(imported, year)).toEqual(expected);
    expect(r.stdout.split('\n')[0]).toBe(fill(en.calendar_ics_loaded, {
      holidays: expected.holidays.length, workdays: expected.extra_workdays.length, file: join(YEARS, `${year}.ics`),
    }));
  });

  it('form b: make-up days as timed "补班" events, holidays one all-day event a day', () => {
    const db = tempDbPath();
    runOk(['calendar', 'import', fixture('cn-subscribed-2026q4.ics')], { db });
    expect(calendarOf(db)).toMatchObject({
      holidays: ['2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
      extra_workdays: ['2026-09-20', '2026-10-10'],
    });
  });

  it('form c: DTEND = DTSTART, no DTEND, a UTC make-up shift; a meeting and a cancelled day skipped and said so (en, zh)', () => {
    const db = tempDbPath();
    const r = runOk(['calendar', 'import', fixture('office-export.ics')], { db });
    expect(calendarOf(db)).toMatchObject({ holidays: ['2026-12-31', '2027-01-01'], extra_workdays: ['2026-12-26', '2027-01-03'] });
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      fill(en.calendar_ics_loaded, { holidays: 2, workdays: 2, file: fixture('office-export.ics') }),
      fill(en.calendar_ics_skipped_timed, { count: 1 }),
      fill(en.calendar_ics_skipped_cancelled, { count: 1 }),
    ]);
    const zh = runOk(['calendar', 'import', fixture('office-export.ics')], { db: tempDbPath(), env: ZH });
    expect(zh.stdout.split('\n').slice(0, 3)).toEqual([
      fill(zhCN.calendar_ics_loaded, { holidays: 2, workdays: 2, file: fixture('office-export.ics') }),
      fill(zhCN.calendar_ics_skipped_timed, { count: 1 }),
      fill(zhCN.calendar_ics_skipped_cancelled, { count: 1 }),
    ]);
  });

  it('form d: --workdays, a calendar whose every event is a make-up working day (en, zh)', () => {
    const db = tempDbPath();
    const holidays = fixture('cn-holidays-2026-spring.ics');
    const workdays = fixture('cn-workdays-2026-spring.ics');
    const r = runOk(['calendar', 'import', holidays, '--workdays', workdays], { db });
    const doc = calendarOf(db);
    expect(doc.holidays).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    expect(doc.extra_workdays).toEqual(['2026-02-14', '2026-02-28']);
    expect(r.stdout).toBe(`${fill(en.calendar_ics_loaded, { holidays: 9, workdays: 2, file: `${holidays}${en.ics_file_separator}${workdays}` })}\n`);
    const zh = runOk(['calendar', 'import', holidays, '--workdays', workdays], { db: tempDbPath(), env: ZH });
    expect(zh.stdout).toBe(`${fill(zhCN.calendar_ics_loaded, { holidays: 9, workdays: 2, file: `${holidays}${zhCN.ics_file_separator}${workdays}` })}\n`);
  });

  it('a make-up working day counts: a complaint received before one is due a working day earlier', () => {
    // Friday 2026-10-09 17:00, general: first reply 4 working hours. Without the import the due time
    // runs into Monday 12 October; with Saturday 10 October a working day it is that Saturday.
    const db = tempDbPath();
    runOk(['calendar', 'import', fixture('cn-subscribed-2026q4.ics')], { db });
    const ticket = runJson<{ deadlines: { first_reply: { due: string } } }>([...logArgs(), '--received-at', '2026-10-09 17:00', '--at', '2026-10-09 17:05'], { db });
    expect(ticket.deadlines.first_reply.due).toBe('2026-10-10T12:00:00+08:00');
  });

  it('refuses a date marked both ways, naming it, and writes nothing (en, zh)', () => {
    const db = tempDbPath();
    runOk(['calendar', 'preset', 'cn', '2026'], { db });
    const before = calendarOf(db);
    const size = statSync(db).size;
    const r = runCli(['calendar', 'import', fixture('conflicting.ics')], { db });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${en.error_prefix}${fill(en.ics_conflicting_date, { date: '2026-10-10' })}\n`);
    const zh = runCli(['calendar', 'import', fixture('conflicting.ics')], { db, env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.ics_conflicting_date, { date: '2026-10-10' })}\n`);
    expect(calendarOf(db)).toEqual(before);
    expect(statSync(db).size).toBe(size);
  });

  it('refuses a date that one file calls a holiday and the --workdays file a working day', () => {
    const db = tempDbPath();
    calendarOf(db);
    // Every event of a --workdays calendar is a working day: the same file twice clashes on its first holiday.
    const r = runCli(['calendar', 'import', fixture('cn-subscribed-2026q4.ics'), '--workdays', fixture('cn-subscribed-2026q4.ics')], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${en.error_prefix}${fill(en.ics_conflicting_date, { date: '2026-09-25' })}\n`);
  });

  it('the help names the --workdays form (en, zh)', () => {
    expect(runOk(['calendar', 'import', '--help']).stdout).toContain('--workdays <file>');
    const zh = runOk(['calendar', 'import', '--help'], { env: ZH }).stdout;
    // Help wraps to the terminal: compared without the line breaks and indents it puts in.
    const unwrapped = zh.replace(/\s+/g, '');
    expect(unwrapped).toContain(zhCN.opt_calendar_import_workdays.replace(/\s+/g, ''));
    expect(unwrapped).toContain(zhCN.help_calendar_import.replace(/\s+/g, ''));
  });
});
