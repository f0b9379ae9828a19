import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { calendarDays, IcsTooBig, isWorkdayTitle, type IcsLimits } from '../../src/cli/ics.js';

// The .ics reader (issue 9 item 9): linear in the file, bounded in what it expands to.

const LIMITS: IcsLimits = { events: 20_000, dates: 50_000, first: '2000-01-01', last: '2036-12-31' };

function calendar(events: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');
}

const SHANGHAI = { zone: 'Asia/Shanghai' };
/** The holidays alone, as the reader gave them before make-up days were read. */
const allDayDates = (text: string, limits: IcsLimits): { dates: string[]; outside: number } => {
  const found = calendarDays(text, limits, SHANGHAI);
  return { dates: found.holidays, outside: found.outside };
};

const day = (uid: string, date: string, extra: string[] = []): string[] => [`UID:${uid}`, `DTSTART;VALUE=DATE:${date}`, ...extra];

describe('reading all-day holidays from an .ics file', () => {
  it('takes all-day events, whole multi-day ones, and skips timed ones', () => {
    const text = calendar([
      day('a', '20261224', ['DTEND;VALUE=DATE:20261226']),
      ['UID:b', 'DTSTART:20261210T090000Z', 'DTEND:20261210T100000Z'],
      day('c', '20270101'),
    ]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: ['2026-12-24', '2026-12-25', '2027-01-01'], outside: 0 });
  });

  it('closes the day a recurring holiday was moved to, not the day it was moved from', () => {
    // Yearly on 1 May; in 2027 the office closes on 3 May instead (an override with RECURRENCE-ID).
    const text = calendar([
      day('may', '20260501', ['RRULE:FREQ=YEARLY;COUNT=3']),
      day('may', '20270503', ['RECURRENCE-ID;VALUE=DATE:20270501']),
    ]);
    expect(allDayDates(text, LIMITS).dates).toEqual(['2026-05-01', '2027-05-03', '2028-05-01']);
  });

  it('leaves out, and counts, dates outside the years the office keeps', () => {
    const text = calendar([day('old', '19991231'), day('new', '20370101'), day('ok', '20261001')]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: ['2026-10-01'], outside: 2 });
  });

  it('is linear: 20,000 events (which took about a minute before) in a few seconds', () => {
    const events = Array.from({ length: 20_000 }, (_, i) => day(`e${i}`, `${2000 + (i % 30)}0101`, [`SUMMARY:Holiday ${i}`]));
    const text = calendar(events);
    const started = performance.now();
    const { dates } = allDayDates(text, LIMITS);
    const seconds = (performance.now() - started) / 1000;
    expect(dates).toHaveLength(30);
    expect(seconds).toBeLessThan(10);
  });

  it('refuses more events than the limit before parsing', () => {
    const text = calendar(Array.from({ length: 20_001 }, (_, i) => day(`e${i}`, '20260101')));
    expect(() => allDayDates(text, LIMITS)).toThrow(IcsTooBig);
    try {
      allDayDates(text, LIMITS);
    } catch (e) {
      expect(e).toMatchObject({ what: 'events', limit: 20_000 });
    }
  });

  it('refuses events that expand to more dates than the limit: a holiday lasting to 9999, daily recurrences', () => {
    for (const text of [
      calendar([day('forever', '20260101', ['DTEND;VALUE=DATE:99991231'])]),
      calendar(Array.from({ length: 200 }, (_, i) => day(`d${i}`, '20260101', ['RRULE:FREQ=DAILY']))),
    ]) {
      const started = performance.now();
      expect(() => allDayDates(text, LIMITS)).toThrow(expect.objectContaining({ what: 'dates', limit: 50_000 }));
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });

  it('stops a holiday at the end of the calendar rather than failing', () => {
    const text = calendar([day('end', '99991228', ['DURATION:P10D'])]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: [], outside: 4 });
  });
});

// Issue 12 §4: make-up working days (调休上班日) in the forms published Chinese calendars use.
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ics/${name}`, import.meta.url), 'utf8');

describe('make-up working days in an .ics file', () => {
  it.each([
    ['春节(班)', true], ['春节（班）', true], ['国庆节 补班 第1天/共2天', true], ['调休上班', true], ['上班', true], ['元旦 调休上班（早班）', true], ['National Day(Workday)', true],
    ['春节(休)', false], ['国庆节 假期 第1天/共7天', false], ['元旦', false], ['班组会议', false], ['Office closed', false], ['National Day(Holiday)', false], ['Workday planning', false],
  ])('%s is a make-up working day: %s', (title, workday) => {
    expect(isWorkdayTitle(title)).toBe(workday);
  });

  it('form a: all-day events titled (班) are working days, (休) holidays', () => {
    const text = calendar([
      day('h', '20261001', ['DTEND;VALUE=DATE:20261008', 'SUMMARY:国庆节(休)']),
      day('w1', '20260920', ['DTEND;VALUE=DATE:20260921', 'SUMMARY:国庆节(班)']),
      day('w2', '20261010', ['DTEND;VALUE=DATE:20261011', 'SUMMARY:国庆节（班）']),
    ]);
    const found = calendarDays(text, LIMITS, SHANGHAI);
    expect(found.holidays).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(found.workdays).toEqual(['2026-09-20', '2026-10-10']);
  });

  it("form a: Apple's X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY marks a working day whatever the title", () => {
    const text = calendar([
      day('h', '20261001', ['SUMMARY:国庆节', 'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY']),
      day('w', '20261010', ['SUMMARY:国庆节', 'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY']),
    ]);
    expect(calendarDays(text, LIMITS, SHANGHAI)).toMatchObject({ holidays: ['2026-10-01'], workdays: ['2026-10-10'] });
  });

  it('skips and counts a cancelled event: a withdrawn holiday or make-up day is not one', () => {
    const text = calendar([
      day('h', '20261001', ['SUMMARY:国庆节(休)']),
      day('x', '20261008', ['SUMMARY:国庆节(休)', 'STATUS:CANCELLED']),
      ['UID:y', 'DTSTART;TZID=Asia/Shanghai:20261011T090000', 'SUMMARY:国庆节 补班', 'STATUS:CANCELLED'],
    ]);
    expect(calendarDays(text, LIMITS, SHANGHAI)).toEqual({ holidays: ['2026-10-01'], workdays: [], outside: 0, skippedTimed: 0, skippedCancelled: 2 });
  });

  it('form b: timed 补班 events are working days on their own date; the description is not read', () => {
    const found = calendarDays(fixture('cn-subscribed-2026q4.ics'), LIMITS, SHANGHAI);
    expect(found.workdays).toEqual(['2026-09-20', '2026-10-10']);
    expect(found.holidays).toEqual([
      '2026-09-25', '2026-09-26', '2026-09-27',
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
    expect(found.skippedTimed).toBe(0);
  });

  it('form b: a timed make-up day in another zone keeps the date written in its TZID', () => {
    const text = calendar([['UID:k', 'DTSTART;TZID=Pacific/Kiritimati:20260920T003000', 'DTEND;TZID=Pacific/Kiritimati:20260920T013000', 'SUMMARY:国庆节 补班']]);
    expect(calendarDays(text, LIMITS, SHANGHAI).workdays).toEqual(['2026-09-20']);
  });

  it('form c: DTEND = DTSTART and no DTEND are one day; UTC times are read in the office zone; a meeting is skipped and counted', () => {
    const found = calendarDays(fixture('office-export.ics'), LIMITS, SHANGHAI);
    expect(found.holidays).toEqual(['2026-12-31', '2027-01-01']);
    // 2027-01-02T23:30Z is 07:30 on Sunday 3 January in Beijing.
    expect(found.workdays).toEqual(['2026-12-26', '2027-01-03']);
    expect(found.skippedTimed).toBe(1);
  });

  it('form c: the same UTC time read for an office in London falls on the day before', () => {
    expect(calendarDays(fixture('office-export.ics'), LIMITS, { zone: 'Europe/London' }).workdays).toEqual(['2026-12-26', '2027-01-02']);
  });

  it('form d: in a workdays-only calendar every event is a working day, all-day or timed, whatever its title', () => {
    expect(calendarDays(fixture('cn-workdays-2026-spring.ics'), LIMITS, { ...SHANGHAI, allWorkdays: true })).toEqual({
      holidays: [], workdays: ['2026-02-14', '2026-02-28'], outside: 0, skippedTimed: 0, skippedCancelled: 0,
    });
    const holidays = calendarDays(fixture('cn-holidays-2026-spring.ics'), LIMITS, SHANGHAI);
    expect(holidays.holidays).toHaveLength(9);
    expect(holidays.holidays[0]).toBe('2026-02-15');
    expect(holidays.holidays.at(-1)).toBe('2026-02-23');
  });

  it('the chinese-days package\'s published calendars for 2023-2025, Chinese and English, give its own lists', () => {
    for (const year of ['2023', '2024', '2025', '2024.en']) {
      const dir = new URL('../../node_modules/chinese-days/dist/years/', import.meta.url);
      const data = JSON.parse(readFileSync(new URL(`${year.slice(0, 4)}.json`, dir), 'utf8')) as { holidays: Record<string, string>; workdays: Record<string, string> };
      const found = calendarDays(readFileSync(new URL(`${year}.ics`, dir), 'utf8'), LIMITS, SHANGHAI);
      expect(found.holidays).toEqual(Object.keys(data.holidays).sort());
      expect(found.workdays).toEqual(Object.keys(data.workdays).sort());
    }
  });
});
