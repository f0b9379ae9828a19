import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  formatIso,
  formatLocal,
  fromLocal,
  isValidDate,
  isValidTimeZone,
  localDate,
  offsetMinutes,
  parseTimeInput,
  startOfLocalDay,
  toLocal,
  weekdayOf,
} from '../../src/domain/time.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

const utc = (iso: string): number => Date.parse(iso);

describe('the office timezone', () => {
  it('knows real zones and refuses made-up ones', () => {
    expect(isValidTimeZone(SHANGHAI)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Asia/Nowhere')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+08:00 please')).toBe(false);
  });

  it('gives the offset east of UTC, following daylight saving', () => {
    expect(offsetMinutes(utc('2026-11-16T02:00:00Z'), SHANGHAI)).toBe(480);
    expect(offsetMinutes(utc('2026-01-15T12:00:00Z'), BERLIN)).toBe(60);
    expect(offsetMinutes(utc('2026-07-15T12:00:00Z'), BERLIN)).toBe(120);
    expect(offsetMinutes(utc('2026-01-15T12:00:00Z'), NEW_YORK)).toBe(-300);
    expect(offsetMinutes(utc('2026-01-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(offsetMinutes(utc('2026-01-15T12:00:00Z'), 'UTC')).toBe(0);
    // Berlin springs forward at 01:00 UTC on the last Sunday of March.
    expect(offsetMinutes(utc('2026-03-29T00:59:59Z'), BERLIN)).toBe(60);
    expect(offsetMinutes(utc('2026-03-29T01:00:00Z'), BERLIN)).toBe(120);
  });

  it('reads an instant on the office clock, with the weekday', () => {
    expect(toLocal(utc('2026-11-16T02:00:00Z'), SHANGHAI)).toEqual({
      year: 2026,
      month: 11,
      day: 16,
      hour: 10,
      minute: 0,
      second: 0,
      weekday: 1,
    });
    // 23:30 UTC on Sunday is already Monday morning in Shanghai.
    expect(toLocal(utc('2026-11-15T23:30:45Z'), SHANGHAI)).toMatchObject({ day: 16, hour: 7, minute: 30, second: 45, weekday: 1 });
    expect(toLocal(utc('1969-12-31T23:59:59.999Z'), 'UTC')).toMatchObject({ year: 1969, month: 12, day: 31, second: 59, weekday: 3 });
  });

  it('turns a wall-clock time into the instant', () => {
    expect(fromLocal(2026, 11, 16, 10, 0, SHANGHAI)).toBe(utc('2026-11-16T02:00:00Z'));
    expect(fromLocal(2026, 11, 16, 10, 0, SHANGHAI, 30)).toBe(utc('2026-11-16T02:00:30Z'));
    expect(fromLocal(2026, 7, 1, 9, 0, BERLIN)).toBe(utc('2026-07-01T07:00:00Z'));
  });

  it('lets hours and minutes carry over, so windows can be given in minutes after midnight', () => {
    expect(fromLocal(2026, 11, 16, 0, 540, SHANGHAI)).toBe(fromLocal(2026, 11, 16, 9, 0, SHANGHAI));
    expect(fromLocal(2026, 11, 16, 24, 0, SHANGHAI)).toBe(fromLocal(2026, 11, 17, 0, 0, SHANGHAI));
    expect(fromLocal(2026, 12, 31, 0, 1440, SHANGHAI)).toBe(fromLocal(2027, 1, 1, 0, 0, SHANGHAI));
  });

  it('refuses an impossible date', () => {
    expect(() => fromLocal(2026, 2, 30, 10, 0, SHANGHAI)).toThrow(RangeError);
    expect(() => fromLocal(2026, 13, 1, 10, 0, SHANGHAI)).toThrow(RangeError);
    expect(() => fromLocal(2026, 11, 16, 10, 0, 'Asia/Nowhere')).toThrow(RangeError);
  });

  describe('daylight saving', () => {
    it('reads a time in the spring gap as the time the clock shows after the jump', () => {
      // Berlin, Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 never happens.
      const t = fromLocal(2026, 3, 29, 2, 30, BERLIN);
      expect(formatIso(t, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
      expect(t).toBe(utc('2026-03-29T01:30:00Z'));
      expect(formatIso(fromLocal(2026, 3, 8, 2, 30, NEW_YORK), NEW_YORK)).toBe('2026-03-08T03:30:00-04:00');
      // Lord Howe Island moves by half an hour: 02:00 -> 02:30.
      expect(formatIso(fromLocal(2026, 10, 4, 2, 15, 'Australia/Lord_Howe'), 'Australia/Lord_Howe')).toBe(
        '2026-10-04T02:45:00+11:00',
      );
    });

    it('reads a time in the autumn overlap as the earlier of the two', () => {
      // Berlin, Sunday 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
      const t = fromLocal(2026, 10, 25, 2, 30, BERLIN);
      expect(formatIso(t, BERLIN)).toBe('2026-10-25T02:30:00+02:00');
      expect(t).toBe(utc('2026-10-25T00:30:00Z'));
      expect(formatIso(t + 3_600_000, BERLIN)).toBe('2026-10-25T02:30:00+01:00');
      expect(fromLocal(2026, 10, 25, 3, 0, BERLIN)).toBe(utc('2026-10-25T02:00:00Z'));
      expect(formatIso(fromLocal(2026, 11, 1, 1, 30, NEW_YORK), NEW_YORK)).toBe('2026-11-01T01:30:00-04:00');
    });

    it('gives local days of 23 and 25 hours', () => {
      const hours = (date: string, tz: string) =>
        (startOfLocalDay(addDays(date, 1), tz) - startOfLocalDay(date, tz)) / 3_600_000;
      expect(hours('2026-03-29', BERLIN)).toBe(23);
      expect(hours('2026-10-25', BERLIN)).toBe(25);
      expect(hours('2026-11-16', BERLIN)).toBe(24);
      expect(startOfLocalDay('2026-03-29', BERLIN)).toBe(utc('2026-03-28T23:00:00Z'));
    });

    it('starts a day whose midnight is skipped at the end of the jump', () => {
      // Chile moves its clocks at midnight: 2026-09-06 begins at 01:00.
      expect(formatIso(startOfLocalDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe(
        '2026-09-06T01:00:00-03:00',
      );
    });
  });

  it('finds the local date of an instant and the start of a local day', () => {
    expect(localDate(utc('2026-11-15T16:00:00Z'), SHANGHAI)).toBe('2026-11-16');
    expect(localDate(utc('2026-11-15T15:59:59.999Z'), SHANGHAI)).toBe('2026-11-15');
    expect(startOfLocalDay('2026-11-16', SHANGHAI)).toBe(utc('2026-11-15T16:00:00Z'));
    expect(() => startOfLocalDay('2026-11-31', SHANGHAI)).toThrow(RangeError);
  });

  describe('calendar dates', () => {
    it('adds days across months, years and leap days', () => {
      expect(addDays('2026-11-16', 7)).toBe('2026-11-23');
      expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
      expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
      expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
      expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
      expect(addDays('2026-11-16', 0)).toBe('2026-11-16');
      expect(addDays('2000-01-01', 366)).toBe('2001-01-01');
      expect(() => addDays('2026-11-16', 0.5)).toThrow(RangeError);
      expect(() => addDays('16/11/2026', 1)).toThrow(RangeError);
    });

    it('knows the weekday', () => {
      expect(weekdayOf('2026-11-16')).toBe(1); // Monday
      expect(weekdayOf('2026-11-22')).toBe(0); // Sunday
      expect(weekdayOf('2026-10-10')).toBe(6); // Saturday, a make-up working day in 2026
      expect(weekdayOf('1970-01-01')).toBe(4);
      expect(weekdayOf('0001-01-01')).toBe(1);
    });

    it('accepts only real calendar dates written YYYY-MM-DD', () => {
      expect(isValidDate('2026-11-16')).toBe(true);
      expect(isValidDate('2024-02-29')).toBe(true);
      expect(isValidDate('2000-02-29')).toBe(true);
      expect(isValidDate('2026-02-29')).toBe(false);
      expect(isValidDate('2100-02-29')).toBe(false);
      expect(isValidDate('2026-02-30')).toBe(false);
      expect(isValidDate('2026-04-31')).toBe(false);
      expect(isValidDate('2026-13-01')).toBe(false);
      expect(isValidDate('2026-00-10')).toBe(false);
      expect(isValidDate('2026-11-00')).toBe(false);
      expect(isValidDate('2026-1-5')).toBe(false);
      expect(isValidDate(' 2026-11-16')).toBe(false);
      expect(isValidDate('2026-11-16T10:00')).toBe(false);
    });

    it('agrees with the platform calendar for any day in four centuries', () => {
      fc.assert(
        fc.property(fc.integer({ min: -150_000, max: 150_000 }), fc.integer({ min: -1000, max: 1000 }), (days, n) => {
          const date = new Date(days * 86_400_000).toISOString().slice(0, 10);
          const later = new Date((days + n) * 86_400_000).toISOString().slice(0, 10);
          expect(isValidDate(date)).toBe(true);
          expect(addDays(date, n)).toBe(later);
          expect(weekdayOf(date)).toBe(new Date(days * 86_400_000).getUTCDay());
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('display', () => {
    it('writes ISO 8601 with the office offset, never Z', () => {
      const t = utc('2026-11-16T02:00:00Z');
      expect(formatIso(t, SHANGHAI)).toBe('2026-11-16T10:00:00+08:00');
      expect(formatIso(t, 'UTC')).toBe('2026-11-16T02:00:00+00:00');
      expect(formatIso(t, NEW_YORK)).toBe('2026-11-15T21:00:00-05:00');
      expect(formatIso(t, 'Asia/Kolkata')).toBe('2026-11-16T07:30:00+05:30');
      expect(formatIso(t + 999, SHANGHAI)).toBe('2026-11-16T10:00:00+08:00');
    });

    it('writes the office clock as a clerk reads it', () => {
      expect(formatLocal(utc('2026-11-16T02:00:59Z'), SHANGHAI)).toBe('2026-11-16 10:00');
      expect(formatLocal(utc('2026-03-29T01:00:00Z'), BERLIN)).toBe('2026-03-29 03:00');
    });
  });

  describe('what a clerk types for a time', () => {
    const monday10 = utc('2026-11-16T02:00:00Z');

    it.each([
      ['2026-11-16 10:00', monday10],
      ['2026-11-16T10:00', monday10],
      ['2026-11-16t10:00', monday10],
      ['2026-11-16 10:00:00', monday10],
      ['2026-11-16 10:00:30', monday10 + 30_000],
      ['  2026-11-16 10:00  ', monday10],
      ['2026-11-16 10:00+08:00', monday10],
      ['2026-11-16T10:00:00+08:00', monday10],
      ['2026-11-16 10:00 +08:00', monday10],
      ['2026-11-16 10:00+0800', monday10],
      ['2026-11-16T02:00Z', monday10],
      ['2026-11-16T02:00:00z', monday10],
      ['2026-11-15T21:00-05:00', monday10],
      ['2026-11-16T07:30+05:30', monday10],
      ['2026-11-16 00:00', utc('2026-11-15T16:00:00Z')],
      ['2026-11-16 23:59:59', utc('2026-11-16T15:59:59Z')],
    ])('reads %j in Shanghai', (text, at) => {
      expect(parseTimeInput(text, SHANGHAI)).toEqual({ kind: 'instant', at });
    });

    it('reads a time without an offset in the office timezone', () => {
      expect(parseTimeInput('2026-11-16 10:00', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-11-16T09:00:00Z') });
      expect(parseTimeInput('2026-11-16 10:00Z', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-11-16T10:00:00Z') });
    });

    it('names the jump when the typed wall time does not exist (clocks go forward), instead of moving it', () => {
      // Berlin, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 never shows on a clock.
      expect(parseTimeInput('2026-03-29 02:30', BERLIN)).toEqual({ kind: 'skipped', date: '2026-03-29', time: '02:30', from: '02:00', to: '03:00' });
      expect(parseTimeInput('2026-03-29 02:00', BERLIN)).toMatchObject({ kind: 'skipped' });
      expect(parseTimeInput('2026-03-29 02:59:59', BERLIN)).toMatchObject({ kind: 'skipped', from: '02:00', to: '03:00' });
      // Either side of the jump is an ordinary time.
      expect(parseTimeInput('2026-03-29 01:59', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-03-29T00:59:00Z') });
      expect(parseTimeInput('2026-03-29 03:00', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-03-29T01:00:00Z') });
      // New York jumps at 02:00 too, on 8 March 2026; Lord Howe by half an hour (02:00 -> 02:30).
      expect(parseTimeInput('2026-03-08 02:15', NEW_YORK)).toMatchObject({ kind: 'skipped', from: '02:00', to: '03:00' });
      expect(parseTimeInput('2026-10-04 02:10', 'Australia/Lord_Howe')).toMatchObject({ kind: 'skipped', from: '02:00', to: '02:30' });
      // With an offset the time is exact whatever the office clock did.
      expect(parseTimeInput('2026-03-29 02:30+01:00', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-03-29T01:30:00Z') });
      // Arithmetic inside the program still carries a wall time in the gap past the jump.
      expect(fromLocal(2026, 3, 29, 2, 30, BERLIN)).toBe(utc('2026-03-29T01:30:00Z'));
    });

    it('reads a wall time that happens twice (clocks go back) as the earlier of the two', () => {
      // Berlin, Sunday 25 October 2026: 02:30 CEST, then an hour later 02:30 CET again.
      expect(parseTimeInput('2026-10-25 02:30', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-10-25T00:30:00Z') });
      expect(parseTimeInput('2026-10-25 02:30+01:00', BERLIN)).toEqual({ kind: 'instant', at: utc('2026-10-25T01:30:00Z') });
    });

    it('keeps a bare date a date', () => {
      expect(parseTimeInput('2026-11-20', SHANGHAI)).toEqual({ kind: 'date', date: '2026-11-20' });
      expect(parseTimeInput(' 2026-11-20 ', SHANGHAI)).toEqual({ kind: 'date', date: '2026-11-20' });
    });

    it.each([
      '',
      '   ',
      'tomorrow',
      'now',
      '2026-02-30',
      '2026-02-30 10:00',
      '2026-11-16 24:00',
      '2026-11-16 25:00',
      '2026-11-16 24:61',
      '2026-11-16 10:60',
      '2026-11-16 10:00:60',
      '2026-11-16 9:00',
      '2026-11-16 10',
      '2026-11-16T',
      '2026-11-16 10:00+24:00',
      '2026-11-16 10:00+08:60',
      '2026-11-16 10:00+8',
      '2026-11-16 10:00 CST',
      '2026-11-16 10:00:00.500',
      // issue 12 made 2026/11/16 10:00 a time (test/cli/input-chinese.test.ts); a day-first date is still none.
      '16/11/2026 10:00',
      '2026/11/16 10:00 extra',
      '16-11-2026 10:00',
      '2026-11-16 10:00 extra',
    ])('refuses %j', (text) => {
      expect(parseTimeInput(text, SHANGHAI)).toBeNull();
    });

    it('reads back what formatIso writes, in any zone', () => {
      const zones = [SHANGHAI, BERLIN, NEW_YORK, 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
      fc.assert(
        fc.property(
          fc.integer({ min: utc('1990-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
          fc.constantFrom(...zones),
          fc.constantFrom(...zones),
          (t, tz, readIn) => {
            const written = formatIso(t, tz);
            expect(parseTimeInput(written, readIn)).toEqual({ kind: 'instant', at: t - (((t % 1000) + 1000) % 1000) });
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('round-trips wall time and instants (the earlier reading in an overlap)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
        fc.constantFrom(SHANGHAI, BERLIN, NEW_YORK, 'Australia/Lord_Howe'),
        (t0, tz) => {
          const t = t0 - (t0 % 1000);
          const l = toLocal(t, tz);
          const back = fromLocal(l.year, l.month, l.day, l.hour, l.minute, tz, l.second);
          if (back !== t) {
            // Only the second reading of an autumn-overlap time may map to another instant, and
            // that one is earlier and shows the same wall clock.
            expect(back).toBeLessThan(t);
            expect(formatLocal(back, tz)).toBe(formatLocal(t, tz));
            expect(offsetMinutes(back, tz)).toBeGreaterThan(offsetMinutes(t, tz));
          }
          expect(localDate(t, tz)).toBe(formatLocal(t, tz).slice(0, 10));
        },
      ),
      { numRuns: 300 },
    );
  });
});
