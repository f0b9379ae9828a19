import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CannotDo } from '../../src/domain/errors.js';
import type { Instant } from '../../src/domain/time.js';
import { addDays, formatLocal, fromLocal, localDate, parseTimeInput } from '../../src/domain/time.js';
import type { Clock, Interval, OfficeCalendar, Window } from '../../src/domain/working-time.js';
import {
  DEFAULT_WEEK_HOURS,
  addClockTime,
  clockMinutesBetween,
  defaultCalendar,
  traceDue,
  windowsOn,
} from '../../src/domain/working-time.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const WH = 60;
const WD = 480;
const HOUR = 60;

/** An office time as a clerk writes it, read on the office clock. */
function at(text: string, tz = SHANGHAI): Instant {
  const parsed = parseTimeInput(text, tz);
  if (parsed?.kind !== 'instant') throw new Error(`test setup: not a time: ${text}`);
  return parsed.at;
}

function shown(t: Instant | null, tz = SHANGHAI): string | null {
  return t === null ? null : formatLocal(t, tz);
}

function calendar(overrides: Partial<OfficeCalendar> & { holidayList?: string[]; extraList?: string[] } = {}): OfficeCalendar {
  const { holidayList = [], extraList = [], ...rest } = overrides;
  return {
    ...defaultCalendar(rest.timezone ?? SHANGHAI),
    holidays: new Set(holidayList),
    extraWorkdays: new Set(extraList),
    ...rest,
  };
}

function dateRange(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
  return dates;
}

const office = calendar();
const due = (start: string, minutes: number, cal = office, pauses?: Interval[]) =>
  shown(addClockTime(cal, 'working', at(start, cal.timezone), minutes, pauses), cal.timezone);

describe('the office calendar', () => {
  it('opens Monday to Friday 09:00-12:00 and 13:00-18:00 by default', () => {
    expect(DEFAULT_WEEK_HOURS).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1080 },
    ]);
    const cal = defaultCalendar(SHANGHAI);
    expect(cal.minutesPerWorkingDay).toBe(480);
    expect(cal.week.map((day) => day.length)).toEqual([0, 2, 2, 2, 2, 2, 0]);
    expect(cal.workdayHours).toEqual(DEFAULT_WEEK_HOURS);
    expect(() => defaultCalendar('Asia/Nowhere')).toThrow(RangeError);
  });

  it('closes on holidays, works make-up days with working-day hours, otherwise follows the week', () => {
    const morningOnly: Window[] = [{ start: 540, end: 720 }];
    const cal = calendar({ holidayList: ['2026-10-01', '2026-10-10'], extraList: ['2026-09-20', '2026-10-10'], workdayHours: morningOnly });
    expect(windowsOn(cal, '2026-11-16')).toEqual(DEFAULT_WEEK_HOURS); // a Monday
    expect(windowsOn(cal, '2026-11-21')).toEqual([]); // a Saturday
    expect(windowsOn(cal, '2026-10-01')).toEqual([]); // National Day, a Thursday
    expect(windowsOn(cal, '2026-09-20')).toEqual(morningOnly); // a Sunday worked
    expect(windowsOn(cal, '2026-10-10')).toEqual([]); // both: the holiday wins
  });
});

describe('deadlines in working time (Asia/Shanghai, Mon-Fri 09:00-12:00, 13:00-18:00)', () => {
  it('a general complaint received Monday 10:00 is due for assignment at 12:00 and a first reply at 15:00', () => {
    expect(due('2026-11-16 10:00', 2 * WH)).toBe('2026-11-16 12:00');
    expect(due('2026-11-16 10:00', 4 * WH)).toBe('2026-11-16 15:00');
  });

  it('and is due for resolution five working days later, Monday 10:00', () => {
    expect(due('2026-11-16 10:00', 5 * WD)).toBe('2026-11-23 10:00');
  });

  it('a complaint received Friday 17:00 is due for a first reply Monday 12:00', () => {
    expect(due('2026-11-20 17:00', 4 * WH)).toBe('2026-11-23 12:00');
  });

  it('an urgent complaint received Saturday 11:00 runs round the clock: 2 h later is Saturday 13:00', () => {
    expect(shown(addClockTime(office, 'round-the-clock', at('2026-11-21 11:00'), 2 * HOUR))).toBe('2026-11-21 13:00');
  });

  it('lunch does not count: Monday 11:30 plus an hour is 13:30', () => {
    expect(due('2026-11-16 11:30', 60)).toBe('2026-11-16 13:30');
  });

  it('a clock started out of hours starts at the next opening', () => {
    expect(due('2026-11-22 22:00', 0)).toBe('2026-11-23 09:00'); // Sunday night
    expect(due('2026-11-16 07:00', 30)).toBe('2026-11-16 09:30'); // early Monday
    expect(due('2026-11-16 12:30', 0)).toBe('2026-11-16 13:00'); // lunch
    expect(due('2026-11-16 18:00:01', 0)).toBe('2026-11-17 09:00');
  });

  it('a deadline may fall exactly at closing; a clock started at closing stays there', () => {
    expect(due('2026-11-16 10:00', 2 * WH)).toBe('2026-11-16 12:00'); // not 13:00
    expect(due('2026-11-16 12:00', 0)).toBe('2026-11-16 12:00');
    expect(due('2026-11-16 18:00', 0)).toBe('2026-11-16 18:00');
    expect(due('2026-11-16 12:00', 1)).toBe('2026-11-16 13:01');
    expect(due('2026-11-20 18:00', 1)).toBe('2026-11-23 09:01');
  });

  it('counts to the millisecond and rounds fractional minutes to whole milliseconds', () => {
    const start = at('2026-11-16 10:00');
    expect(addClockTime(office, 'working', start, 0.5)).toBe(start + 30_000);
    expect(addClockTime(office, 'working', start, 0.1 * 60)).toBe(start + 360_000);
    expect(addClockTime(office, 'working', start + 123, 1)).toBe(start + 60_123);
  });

  it('refuses negative or non-finite durations and times', () => {
    expect(() => addClockTime(office, 'working', at('2026-11-16 10:00'), -1)).toThrow(RangeError);
    expect(() => addClockTime(office, 'working', at('2026-11-16 10:00'), Number.NaN)).toThrow(RangeError);
    expect(() => addClockTime(office, 'working', at('2026-11-16 10:00'), Infinity)).toThrow(RangeError);
    expect(() => addClockTime(office, 'working', Number.NaN, 1)).toThrow(RangeError);
  });

  it('refuses a duration longer than ten years instead of walking the calendar for seconds', () => {
    expect(() => addClockTime(office, 'working', at('2026-11-16 10:00'), 99_999_999 * WD)).toThrow(RangeError);
    expect(() => addClockTime(office, 'round-the-clock', at('2026-11-16 10:00'), 11 * 366 * 24 * HOUR)).toThrow(RangeError);
    // ten years of round-the-clock minutes is about thirty years of working days, and still quick
    expect(shown(addClockTime(office, 'working', at('2026-11-16 10:00'), 10 * 250 * WD))).toMatch(/^2036-/);
  });

  describe('holidays and make-up working days', () => {
    it('with Thursday 2026-11-19 a holiday, Wednesday 17:00 plus 4 wh is Friday 12:00', () => {
      expect(due('2026-11-18 17:00', 4 * WH, calendar({ holidayList: ['2026-11-19'] }))).toBe('2026-11-20 12:00');
    });

    // China's National Day 2026: closed 1-7 October, Saturday 10 October worked in exchange.
    const nationalDay = calendar({
      holidayList: dateRange('2026-10-01', '2026-10-07'),
      extraList: ['2026-09-20', '2026-10-10'],
    });

    it('a first reply due across National Day waits for Thursday 8 October', () => {
      // Wed 30 Sep 17:00-18:00 is 1 h; 1-7 Oct closed; Thu 8 Oct 09:00-12:00 the other 3 h.
      expect(due('2026-09-30 17:00', 4 * WH, nationalDay)).toBe('2026-10-08 12:00');
    });

    it('resolution across National Day counts the make-up Saturday but not the Sunday', () => {
      // 1 h on 30 Sep, 8 h each on Thu 8, Fri 9, Sat 10 (make-up day) and Mon 12 Oct: 33 h;
      // the last 7 h run Tue 13 Oct 09:00-12:00 and 13:00-17:00.
      expect(due('2026-09-30 17:00', 5 * WD, nationalDay)).toBe('2026-10-13 17:00');
      // Without the make-up day it would be a day later.
      expect(due('2026-09-30 17:00', 5 * WD, calendar({ holidayList: dateRange('2026-10-01', '2026-10-07') }))).toBe(
        '2026-10-14 17:00',
      );
      // The make-up Sunday before the holiday is a working day too.
      expect(due('2026-09-19 17:00', 2 * WH, nationalDay)).toBe('2026-09-20 11:00');
    });
  });

  it('an office open Saturday morning counts it', () => {
    const saturdayMorning: Window[] = [{ start: 540, end: 720 }];
    const cal = calendar({ week: [[], DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, saturdayMorning] });
    expect(due('2026-11-20 17:00', 4 * WH, cal)).toBe('2026-11-21 12:00');
    expect(due('2026-11-20 17:00', 5 * WH, cal)).toBe('2026-11-23 10:00');
    expect(due('2026-11-21 11:00', 2 * WH, cal)).toBe('2026-11-23 10:00');
  });

  it('adjoining windows and hours up to midnight behave like one stretch', () => {
    const lateShift: Window[] = [
      { start: 1200, end: 1320 },
      { start: 1320, end: 1440 },
    ];
    const nightOwl = calendar({ week: [lateShift, lateShift, lateShift, lateShift, lateShift, lateShift, lateShift] });
    expect(due('2026-11-16 20:00', 4 * HOUR, nightOwl)).toBe('2026-11-17 00:00');
    expect(due('2026-11-17 00:00', 0, nightOwl)).toBe('2026-11-17 00:00');
    expect(due('2026-11-17 00:00', 1, nightOwl)).toBe('2026-11-17 20:01');
    expect(due('2026-11-16 21:30', 60, nightOwl)).toBe('2026-11-16 22:30');
  });

  it('gives up at once on a calendar with no working hours', () => {
    const closed = calendar({ week: [[], [], [], [], [], [], []] });
    expect(() => addClockTime(closed, 'working', at('2026-11-16 10:00'), 60)).toThrow(CannotDo);
    expect(() => addClockTime(closed, 'working', at('2026-11-16 10:00'), 0)).toThrow(CannotDo);
    // The round-the-clock clock does not need the calendar.
    expect(shown(addClockTime(closed, 'round-the-clock', at('2026-11-16 10:00'), 60))).toBe('2026-11-16 11:00');
    expect(clockMinutesBetween(closed, 'working', at('2026-01-01 00:00'), at('2036-01-01 00:00'))).toBe(0);
  });

  it('still finds hours that only make-up days provide', () => {
    const onlyMakeUpDays = calendar({ week: [[], [], [], [], [], [], []], extraList: ['2028-06-03'] });
    expect(due('2026-11-16 10:00', 60, onlyMakeUpDays)).toBe('2028-06-03 10:00');
  });
});

describe('a ticket on hold', () => {
  const received = '2026-11-16 10:00'; // Monday

  it('a hold of one working day pushes the deadline by one working day', () => {
    const hold = { start: at('2026-11-17 10:00'), end: at('2026-11-18 10:00') };
    expect(clockMinutesBetween(office, 'working', hold.start, hold.end)).toBe(WD);
    expect(due(received, 5 * WD, office, [hold])).toBe('2026-11-24 10:00');
  });

  it('a hold of two hours in the middle pushes it by exactly the working time held', () => {
    const hold = { start: at('2026-11-16 11:00'), end: at('2026-11-16 14:00') }; // 2 working hours, over lunch
    expect(due(received, 4 * WH, office, [hold])).toBe('2026-11-16 17:00');
  });

  it('a hold still running suspends the deadline', () => {
    const hold = { start: at('2026-11-18 10:00'), end: Infinity };
    expect(due(received, 5 * WD, office, [hold])).toBeNull();
    // but a deadline reached before the hold begins is unaffected
    expect(due(received, 2 * WH, office, [hold])).toBe('2026-11-16 12:00');
    // and one reached exactly when the hold begins is that moment
    expect(due(received, 2 * WD, office, [hold])).toBe('2026-11-18 10:00');
  });

  it('a hold over closed time only changes nothing', () => {
    const weekendHold = { start: at('2026-11-20 18:00'), end: at('2026-11-23 09:00') };
    expect(due('2026-11-20 17:00', 4 * WH, office, [weekendHold])).toBe('2026-11-23 12:00');
    expect(due('2026-11-20 17:00', 4 * WH, office, [{ start: at('2026-11-16 12:00'), end: at('2026-11-16 13:00') }])).toBe(
      '2026-11-23 12:00',
    );
  });

  it('a clock started during a hold starts when the hold ends', () => {
    const hold = { start: at('2026-11-16 09:30'), end: at('2026-11-16 11:00') };
    expect(due(received, 0, office, [hold])).toBe('2026-11-16 11:00');
    expect(due(received, 60, office, [hold])).toBe('2026-11-16 12:00');
  });

  it('overlapping, touching, unordered and empty holds are merged', () => {
    const holds = [
      { start: at('2026-11-16 15:00'), end: at('2026-11-16 16:00') },
      { start: at('2026-11-16 11:00'), end: at('2026-11-16 14:00') },
      { start: at('2026-11-16 14:00'), end: at('2026-11-16 14:30') },
      { start: at('2026-11-16 15:30'), end: at('2026-11-16 15:00') },
      { start: at('2026-11-16 13:30'), end: at('2026-11-16 14:00') },
    ];
    // open: 10:00-11:00, 14:30-15:00, 16:00-18:00
    expect(clockMinutesBetween(office, 'working', at(received), at('2026-11-16 18:00'), holds)).toBe(60 + 30 + 120);
    expect(due(received, 120, office, holds)).toBe('2026-11-16 16:30');
  });

  it('a hold of months is skipped in one step', () => {
    const hold = { start: at('2026-11-16 11:00'), end: at('2036-11-17 09:00') };
    expect(due(received, 2 * WH, office, [hold])).toBe('2036-11-17 10:00'); // a Monday, ten years on
  });

  it('holds stop a round-the-clock clock too', () => {
    const hold = { start: at('2026-11-21 12:00'), end: at('2026-11-21 12:30') };
    expect(shown(addClockTime(office, 'round-the-clock', at('2026-11-21 11:00'), 2 * HOUR, [hold]))).toBe('2026-11-21 13:30');
    expect(addClockTime(office, 'round-the-clock', at('2026-11-21 11:00'), 2 * HOUR, [{ start: hold.start, end: Infinity }])).toBeNull();
    expect(clockMinutesBetween(office, 'round-the-clock', at('2026-11-21 11:00'), at('2026-11-21 14:00'), [hold])).toBe(150);
  });
});

describe('working time between two moments', () => {
  it('from Friday 17:00 to Monday 10:00 is two working hours', () => {
    expect(clockMinutesBetween(office, 'working', at('2026-11-20 17:00'), at('2026-11-23 10:00'))).toBe(120);
  });

  it('is zero when the end is not after the start, and exact to the millisecond', () => {
    expect(clockMinutesBetween(office, 'working', at('2026-11-23 10:00'), at('2026-11-20 17:00'))).toBe(0);
    expect(clockMinutesBetween(office, 'working', at('2026-11-23 10:00'), at('2026-11-23 10:00'))).toBe(0);
    expect(clockMinutesBetween(office, 'working', at('2026-11-23 10:00'), at('2026-11-23 10:00') + 30_500)).toBeCloseTo(30.5 / 60, 12);
    expect(clockMinutesBetween(office, 'round-the-clock', at('2026-11-20 17:00'), at('2026-11-23 10:00'))).toBe(65 * 60);
  });

  it('undoes addClockTime', () => {
    const start = at('2026-11-16 10:00');
    for (const minutes of [0, 1, 120, 240, 479, 480, 2400, 10_000]) {
      const end = addClockTime(office, 'working', start, minutes)!;
      expect(clockMinutesBetween(office, 'working', start, end)).toBe(minutes);
    }
  });
});

describe('daylight saving (Europe/Berlin, clocks forward Sunday 2026-03-29 02:00)', () => {
  const berlin = calendar({ timezone: BERLIN });

  it('24 h of round-the-clock time from Saturday noon ends Sunday 13:00 summer time', () => {
    // Sunday has only 23 hours: 1440 real minutes after Saturday 12:00 CET is 13:00 CEST.
    const end = addClockTime(berlin, 'round-the-clock', at('2026-03-28 12:00', BERLIN), 24 * HOUR);
    expect(shown(end, BERLIN)).toBe('2026-03-29 13:00');
    expect(end! - at('2026-03-28 12:00', BERLIN)).toBe(24 * 3_600_000);
  });

  it('the working clock across that weekend is unaffected', () => {
    expect(due('2026-03-27 17:00', 4 * WH, berlin)).toBe('2026-03-30 12:00');
    expect(clockMinutesBetween(berlin, 'working', at('2026-03-27 17:00', BERLIN), at('2026-03-30 12:00', BERLIN))).toBe(240);
    expect(due('2026-10-23 17:00', 4 * WH, berlin)).toBe('2026-10-26 12:00'); // autumn, a 25 h Sunday
  });

  it('a window over the missing hour is an hour shorter, over the repeated hour an hour longer', () => {
    const earlyBird: Window[] = [{ start: 60, end: 240 }]; // 01:00-04:00 every day
    const cal = calendar({ timezone: BERLIN, week: Array.from({ length: 7 }, () => earlyBird) });
    const minutesOn = (date: string) =>
      clockMinutesBetween(cal, 'working', at(`${date} 00:00`, BERLIN), at(`${addDays(date, 1)} 00:00`, BERLIN));
    expect(minutesOn('2026-03-28')).toBe(180);
    expect(minutesOn('2026-03-29')).toBe(120);
    expect(minutesOn('2026-10-25')).toBe(240);
    expect(due('2026-03-29 01:00', 90, cal)).toBe('2026-03-29 03:30');
  });

  it('reads wall times in the gap and the overlap as fromLocal does', () => {
    expect(shown(fromLocal(2026, 3, 29, 2, 30, BERLIN), BERLIN)).toBe('2026-03-29 03:30');
    expect(fromLocal(2026, 10, 25, 2, 30, BERLIN)).toBe(Date.parse('2026-10-25T00:30:00Z'));
  });

  it('a day a zone skips entirely lends no hours to the next (Samoa, 2011-12-30)', () => {
    const samoa = calendar({ timezone: 'Pacific/Apia', week: Array.from({ length: 7 }, () => DEFAULT_WEEK_HOURS) });
    const from = at('2011-12-29 18:00', 'Pacific/Apia');
    const to = at('2011-12-31 18:00', 'Pacific/Apia');
    expect(to - from).toBe(24 * 3_600_000);
    expect(clockMinutesBetween(samoa, 'working', from, to)).toBe(480);
    expect(due('2011-12-29 17:00', 120, samoa)).toBe('2011-12-31 10:00');
  });
});

describe('explaining a due time', () => {
  it('Friday 17:00 plus 4 wh skips 15 h of night and 48 h of weekend', () => {
    const trace = traceDue(office, 'working', at('2026-11-20 17:00'), 4 * WH);
    expect(shown(trace.clockStart)).toBe('2026-11-20 17:00');
    expect(shown(trace.due)).toBe('2026-11-23 12:00');
    // Friday 18:00-24:00 and Monday 00:00-09:00 are night; Saturday and Sunday weekend.
    expect(trace.skipped).toEqual({ nights: 15 * 60, weekends: 48 * 60, holidays: 0, lunch: 0, paused: 0 });
    expect(trace).toMatchObject({ start: at('2026-11-20 17:00'), minutes: 240, clock: 'working' });
  });

  it('counts lunch, holidays, make-up days and holds', () => {
    const nationalDay = calendar({ holidayList: dateRange('2026-10-01', '2026-10-07'), extraList: ['2026-10-10'] });
    const trace = traceDue(nationalDay, 'working', at('2026-09-30 17:00'), 5 * WD);
    expect(shown(trace.due)).toBe('2026-10-13 17:00');
    expect(trace.skipped).toEqual({
      nights: (6 + 4 * 15 + 9) * 60, // 30 Sep evening, four full working days, Tue 13 morning
      weekends: 24 * 60, // Sunday 11 October
      holidays: 7 * 24 * 60,
      lunch: 5 * 60,
      paused: 0,
    });

    const hold = { start: at('2026-11-17 10:00'), end: at('2026-11-18 10:00') };
    const held = traceDue(office, 'working', at('2026-11-16 10:00'), 5 * WD, [hold]);
    expect(shown(held.due)).toBe('2026-11-24 10:00');
    expect(held.skipped.paused).toBe(WD);
    expect(held.skipped.lunch).toBe(6 * 60); // Mon 16 to Mon 23; Tue 24 is due at 10:00
  });

  it('a clock started at night records when it really started', () => {
    const trace = traceDue(office, 'working', at('2026-11-22 22:00'), 60);
    expect(shown(trace.clockStart)).toBe('2026-11-23 09:00');
    expect(shown(trace.due)).toBe('2026-11-23 10:00');
    expect(trace.skipped).toEqual({ nights: 0, weekends: 0, holidays: 0, lunch: 0, paused: 0 });
  });

  it('a suspended deadline shows what was skipped until the hold began', () => {
    const trace = traceDue(office, 'working', at('2026-11-20 17:00'), 5 * WD, [{ start: at('2026-11-23 10:00'), end: Infinity }]);
    expect(trace.due).toBeNull();
    expect(trace.skipped).toEqual({ nights: 15 * 60, weekends: 48 * 60, holidays: 0, lunch: 0, paused: 0 });
    const never = traceDue(office, 'working', at('2026-11-20 19:00'), 60, [{ start: at('2026-11-20 18:30'), end: Infinity }]);
    expect(never).toMatchObject({ clockStart: null, due: null });
  });

  it('a round-the-clock clock skips only holds', () => {
    const hold = { start: at('2026-11-21 12:00'), end: at('2026-11-21 12:30') };
    const trace = traceDue(office, 'round-the-clock', at('2026-11-21 11:00'), 2 * HOUR, [hold]);
    expect(shown(trace.due)).toBe('2026-11-21 13:30');
    expect(trace.skipped).toEqual({ nights: 0, weekends: 0, holidays: 0, lunch: 0, paused: 30 });
  });

  it('in Berlin the spring weekend is an hour shorter', () => {
    const trace = traceDue(calendar({ timezone: BERLIN }), 'working', at('2026-03-27 17:00', BERLIN), 4 * WH);
    expect(trace.skipped).toMatchObject({ nights: 15 * 60, weekends: 47 * 60 });
  });
});

it('is fast: adding seven working days takes microseconds', () => {
  const start = at('2026-11-16 10:00');
  addClockTime(office, 'working', start, 7 * WD);
  const t0 = performance.now();
  for (let i = 0; i < 5000; i += 1) addClockTime(office, 'working', start + i * 60_000, 7 * WD);
  // A loose bound (200 µs a call) that only a per-minute or per-call Intl loop would break.
  expect((performance.now() - t0) / 5000).toBeLessThan(200);
});

// -------------------------------------------------------------------------------------------------
// Properties, over random offices: weekly hours (half days, split shifts, hours to midnight),
// holidays, make-up days, holds, and zones with daylight saving around their transitions.

const MINUTE = 60_000;

/** An independent reading of "open at t": the windows of the day t falls on (or the day before), minus holds. */
function isOpenAt(cal: OfficeCalendar, clock: Clock, t: Instant, pauses: readonly Interval[]): boolean {
  if (pauses.some((p) => p.start <= t && t < p.end)) return false;
  if (clock === 'round-the-clock') return true;
  const today = localDate(t, cal.timezone);
  return [addDays(today, -1), today].some((date) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return windowsOn(cal, date).some(
      (w) => fromLocal(y, m, d, 0, w.start, cal.timezone) <= t && t < fromLocal(y, m, d, 0, w.end, cal.timezone),
    );
  });
}

/**
 * The slow way, by walking: with window bounds, holds and the start all on the half hour (and
 * every zone here a whole number of half hours from UTC), each half hour is wholly open or closed.
 */
const STEP = 30 * MINUTE;
function addByWalking(cal: OfficeCalendar, clock: Clock, start: Instant, minutes: number, pauses: readonly Interval[]): Instant | null {
  const stopAt = Math.min(...pauses.filter((p) => p.end === Infinity).map((p) => p.start), start + 800 * 86_400_000);
  if (minutes === 0 && (isOpenAt(cal, clock, start, pauses) || isOpenAt(cal, clock, start - 1, pauses))) return start;
  let remaining = minutes * MINUTE;
  for (let t = start; t < stopAt; t += STEP) {
    if (!isOpenAt(cal, clock, t, pauses)) continue;
    if (remaining <= STEP) return t + remaining;
    remaining -= STEP;
  }
  return null;
}

const windowsArb: fc.Arbitrary<Window[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 48 }), { maxLength: 6 })
  .map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const windows: Window[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) windows.push({ start: sorted[i]! * 30, end: sorted[i + 1]! * 30 });
    return windows;
  });

const halfDaySaturday: Window[][] = [[], [...DEFAULT_WEEK_HOURS], [...DEFAULT_WEEK_HOURS], [...DEFAULT_WEEK_HOURS], [...DEFAULT_WEEK_HOURS], [...DEFAULT_WEEK_HOURS], [{ start: 540, end: 720 }]];

const weekArb: fc.Arbitrary<Window[][]> = fc.oneof(
  fc.constant(defaultCalendar(SHANGHAI).week.map((day) => [...day])),
  fc.constant(halfDaySaturday),
  fc.array(windowsArb, { minLength: 7, maxLength: 7 }).filter((week) => week.some((day) => day.length > 0)),
);

// Periods around the 2026 transitions of Berlin (29 Mar, 25 Oct), New York (8 Mar, 1 Nov) and
// Lord Howe Island (5 Apr, 4 Oct; half an hour).
const SEASONS = ['2026-03-01', '2026-03-22', '2026-09-28', '2026-10-20'];

interface Scenario {
  cal: OfficeCalendar;
  clock: Clock;
  start: Instant;
  pauses: Interval[];
}

const scenarioArb = (opts: { halfHours: boolean }): fc.Arbitrary<Scenario> =>
  fc
    .record({
      timezone: fc.constantFrom(SHANGHAI, BERLIN, 'America/New_York', 'UTC', 'Australia/Lord_Howe'),
      week: weekArb,
      season: fc.constantFrom(...SEASONS),
      holidays: fc.uniqueArray(fc.integer({ min: -5, max: 60 }), { maxLength: 12 }),
      extraWorkdays: fc.uniqueArray(fc.integer({ min: -5, max: 60 }), { maxLength: 5 }),
      workdayHours: fc.oneof(fc.constant([...DEFAULT_WEEK_HOURS]), windowsArb),
      clock: fc.constantFrom<Clock>('working', 'working', 'working', 'round-the-clock'),
      startMinute: fc.integer({ min: 0, max: 20 * 1440 }).map((m) => (opts.halfHours ? m - (m % 30) : m)),
      startMs: opts.halfHours ? fc.constant(0) : fc.integer({ min: 0, max: MINUTE - 1 }),
      pauses: fc.array(
        fc.record({
          from: fc.integer({ min: -2000, max: 10_000 }),
          length: fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: 0, max: 4000 }) },
            { weight: 1, arbitrary: fc.constant(Infinity) },
          ),
          jitter: opts.halfHours ? fc.constant(0) : fc.integer({ min: 0, max: MINUTE - 1 }),
        }),
        { maxLength: 3 },
      ),
    })
    .map((r) => {
      const cal: OfficeCalendar = {
        timezone: r.timezone,
        week: r.week,
        holidays: new Set(r.holidays.map((n) => addDays(r.season, n))),
        extraWorkdays: new Set(r.extraWorkdays.map((n) => addDays(r.season, n))),
        workdayHours: r.workdayHours,
        minutesPerWorkingDay: 480,
      };
      const start = fromLocal(...(r.season.split('-').map(Number) as [number, number, number]), 0, r.startMinute, r.timezone) + r.startMs;
      const pauses = r.pauses.map((p) => {
        const grid = opts.halfHours ? 30 : 1;
        const pauseStart = start + (p.from - (p.from % grid)) * MINUTE + p.jitter;
        const length = p.length === Infinity ? Infinity : p.length - (p.length % grid);
        return { start: pauseStart, end: pauseStart + length * MINUTE };
      });
      return { cal, clock: r.clock, start, pauses };
    });

const minutesArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }));

describe('properties of the working-time clock', () => {
  it('adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(scenarioArb({ halfHours: false }), minutesArb, minutesArb, ({ cal, clock, start, pauses }, a, b) => {
        const first = addClockTime(cal, clock, start, a, pauses);
        const whole = addClockTime(cal, clock, start, a + b, pauses);
        if (first === null) expect(whole).toBeNull();
        else expect(addClockTime(cal, clock, first, b, pauses)).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('a due time is never inside closed time, except exactly at the end of open time', () => {
    fc.assert(
      fc.property(scenarioArb({ halfHours: false }), fc.integer({ min: 1, max: 3000 }), ({ cal, clock, start, pauses }, minutes) => {
        const end = addClockTime(cal, clock, start, minutes, pauses);
        if (end === null) return;
        // The last millisecond counted was open…
        expect(isOpenAt(cal, clock, end - 1, pauses)).toBe(true);
        // …so if the due time itself is closed, it is a closing time or the start of a hold.
        if (!isOpenAt(cal, clock, end, pauses)) {
          const date = localDate(end - 1, cal.timezone);
          const [y, m, d] = date.split('-').map(Number) as [number, number, number];
          const closing = windowsOn(cal, date).some((w) => fromLocal(y, m, d, 0, w.end, cal.timezone) === end);
          expect(closing || pauses.some((p) => p.start === end)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the working time between a start and its due time is the duration', () => {
    fc.assert(
      fc.property(scenarioArb({ halfHours: false }), minutesArb, ({ cal, clock, start, pauses }, minutes) => {
        const end = addClockTime(cal, clock, start, minutes, pauses);
        if (end === null) return;
        expect(clockMinutesBetween(cal, clock, start, end, pauses)).toBeCloseTo(minutes, 9);
        // and from a start inside working hours, too
        const opening = addClockTime(cal, clock, start, 0, pauses)!;
        expect(clockMinutesBetween(cal, clock, opening, addClockTime(cal, clock, opening, minutes, pauses)!, pauses)).toBeCloseTo(minutes, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('working time between moments adds up', () => {
    fc.assert(
      fc.property(
        scenarioArb({ halfHours: false }),
        fc.integer({ min: -3 * 86_400_000, max: 20 * 86_400_000 }),
        fc.integer({ min: -3 * 86_400_000, max: 20 * 86_400_000 }),
        ({ cal, clock, start, pauses }, d1, d2) => {
          const [a, b, c] = [start, start + Math.min(d1, d2), start + Math.max(d1, d2)].sort((x, y) => x - y) as [number, number, number];
          const ab = clockMinutesBetween(cal, clock, a, b, pauses);
          const bc = clockMinutesBetween(cal, clock, b, c, pauses);
          expect(clockMinutesBetween(cal, clock, a, c, pauses)).toBeCloseTo(ab + bc, 9);
          expect(clockMinutesBetween(cal, clock, c, a, pauses)).toBe(0);
          expect(ab).toBeLessThanOrEqual((b - a) / MINUTE);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with walking the calendar half hour by half hour', () => {
    fc.assert(
      fc.property(scenarioArb({ halfHours: true }), fc.integer({ min: 0, max: 3000 }), ({ cal, clock, start, pauses }, minutes) => {
        expect(addClockTime(cal, clock, start, minutes, pauses)).toBe(addByWalking(cal, clock, start, minutes, pauses));
      }),
      { numRuns: 150 },
    );
  });

  it('the explanation accounts for every minute between clock start and due time', () => {
    fc.assert(
      fc.property(scenarioArb({ halfHours: false }), minutesArb, ({ cal, clock, start, pauses }, minutes) => {
        const trace = traceDue(cal, clock, start, minutes, pauses);
        expect(trace.clockStart).toBe(addClockTime(cal, clock, start, 0, pauses));
        expect(trace.due).toBe(addClockTime(cal, clock, start, minutes, pauses));
        if (trace.due === null || trace.clockStart === null) return;
        const { nights, weekends, holidays, lunch, paused } = trace.skipped;
        expect(Math.min(nights, weekends, holidays, lunch, paused)).toBeGreaterThanOrEqual(0);
        expect((trace.due - trace.clockStart) / MINUTE).toBeCloseTo(minutes + nights + weekends + holidays + lunch + paused, 6);
        if (clock === 'round-the-clock') expect(nights + weekends + holidays + lunch).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
