import { describe, expect, it } from 'vitest';
import {
  parseAmount, parseAsOf, parseDeadline, parseDurationText, parsePastTime, parsePeriodBound, parseTicketNo, parseYear,
} from '../../src/cli/input.js';
import { timeBounds } from '../../src/domain/bounds.js';
import { UsageError } from '../../src/domain/errors.js';
import { defaultCalendar } from '../../src/domain/working-time.js';
import { at, SHANGHAI } from '../support/office.js';
import { refusal } from '../support/refusal.js';

// Issue 9: money read a hundred times too large, and times, periods and durations out of any
// sane range. A fixed "now" (Tuesday 24 November 2026, Shanghai): the range is 2000 to 2036.

const NOW = at('2026-11-24 14:00');
const cal = defaultCalendar(SHANGHAI);
const berlin = defaultCalendar('Europe/Berlin');


describe('amounts: a comma only ever separates thousands', () => {
  it.each([
    ['0', 0],
    ['12', 1200],
    ['12.5', 1250],
    ['99.99', 9999],
    ['1,200', 120_000],
    ['12,345.50', 1_234_550],
    ['1,000,000', 100_000_000],
    ['  150  ', 15_000],
    ['007.10', 710],
    ['999999999999.99', 99_999_999_999_999],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseAmount('--amount', text)).toBe(cents);
  });

  it.each(['99,99', '150,00', '12,50', '1,2345', ',5', ',,,5', '1,,000', '0,500', '1.234,56', '1,000,00', '12,345,6', '1,'])(
    'refuses the ambiguous %j naming the rule',
    (text) => {
      const { line, exitCode } = refusal(() => parseAmount('--amount', text));
      expect(exitCode).toBe(2);
      expect(line).toContain(`--amount: '${text}' is ambiguous`);
      expect(line).toContain('groups of three');
      expect(line.split('\n')).toHaveLength(1);
    },
  );

  it.each(['', '-1', '1e3', '12.', '.5', '12.345', '1 200', 'abc'])('refuses %j as not an amount', (text) => {
    expect(refusal(() => parseAmount('--compensation', text))).toMatchObject({ exitCode: 2, line: expect.stringContaining('--compensation') });
  });

  it('refuses more than twelve digits before the point, naming the largest amount', () => {
    expect(refusal(() => parseAmount('--amount', '1000000000000')).line).toBe("--amount: '1000000000000' is too large; give at most 999,999,999,999.99");
    expect(refusal(() => parseAmount('--amount', '1,000,000,000,000')).exitCode).toBe(2);
  });
});

describe('times are within 2000 and ten years after now', () => {
  it('puts the range in one place', () => {
    expect(timeBounds(NOW, SHANGHAI)).toMatchObject({ firstYear: 2000, lastYear: 2036, firstDate: '2000-01-01', lastDate: '2036-12-31' });
    expect(timeBounds(NOW, SHANGHAI).earliest).toBe(at('2000-01-01 00:00'));
    expect(timeBounds(NOW, SHANGHAI).end).toBe(at('2037-01-01 00:00'));
  });

  it.each([
    ['0001-01-01 10:00'],
    ['1000-01-01 09:00'],
    ['1999-12-31 23:59'],
    ['2000-01-01 00:00+09:00'],
  ])('refuses %j for when something happened', (text) => {
    const { line, exitCode } = refusal(() => parsePastTime('--received-at', text, cal, NOW));
    expect(exitCode).toBe(2);
    expect(line).toBe(`--received-at: '${text}' is out of range; give a time from 2000-01-01 up to now`);
  });

  it('takes the first minute of 2000 and the present', () => {
    expect(parsePastTime('--at', '2000-01-01 00:00', cal, NOW)).toBe(at('2000-01-01 00:00'));
    expect(parsePastTime('--at', '2026-11-24 14:00', cal, NOW)).toBe(NOW);
  });

  it.each(['9999-12-31', '9999-12-31 10:00', '2037-01-01', '1999-12-31', '0001-01-01'])('refuses the deadline %j', (text) => {
    const { line, exitCode } = refusal(() => parseDeadline('--due', text, cal, NOW));
    expect(exitCode).toBe(2);
    expect(line).toBe(`--due: '${text}' is out of range; give a time from 2000-01-01 to 2036-12-31`);
  });

  it('takes a deadline on the last day of the range', () => {
    expect(parseDeadline('--to', '2036-12-31', cal, NOW)).toBe(at('2036-12-31 18:00'));
    expect(parseDeadline('--to', '2036-12-31 23:59', cal, NOW)).toBe(at('2036-12-31 23:59'));
  });

  it('bounds --as-of both ways, future included', () => {
    expect(parseAsOf('--as-of', '2030-01-01 00:00', cal, NOW)).toBe(at('2030-01-01 00:00'));
    expect(refusal(() => parseAsOf('--as-of', '9999-01-01 00:00', cal, NOW)).exitCode).toBe(2);
    expect(refusal(() => parseAsOf('--as-of', '1970-01-01 00:00', cal, NOW)).line).toContain('from 2000-01-01 to 2036-12-31');
  });

  it('bounds the ends of a period, the exclusive end of the last year included', () => {
    expect(parsePeriodBound('--to', '2037-01-01 00:00', SHANGHAI, NOW, '')).toBe(at('2037-01-01 00:00'));
    expect(parsePeriodBound('--from', '2000-01-01', SHANGHAI, NOW, '')).toBe(at('2000-01-01 00:00'));
    for (const text of ['9999-12-31', '0001-01-01', '2037-01-01 00:01']) {
      expect(refusal(() => parsePeriodBound('--to', text, SHANGHAI, NOW, '')).line).toContain(`--to: '${text}' is out of range`);
    }
  });

  it('bounds years', () => {
    expect(parseYear('--year', '2036', NOW, SHANGHAI)).toBe(2036);
    for (const text of ['0999', '1999', '2037', '9999', '20260', 'abcd']) {
      expect(refusal(() => parseYear('--year', text, NOW, SHANGHAI))).toEqual({ exitCode: 2, line: `--year: '${text}' is not accepted; give a whole number from 2000 to 2036` });
    }
  });
});

describe('a time the office clock skips is refused, naming the jump', () => {
  it('refuses 02:30 on the day Berlin goes to summer time, for every kind of time', () => {
    const expected = '--at: 2026-03-29 02:30 does not exist in Europe/Berlin (the clocks go forward from 02:00 to 03:00 that day); give 03:00 or later, or a time before 02:00';
    expect(refusal(() => parsePastTime('--at', '2026-03-29 02:30', berlin, NOW))).toEqual({ exitCode: 2, line: expected });
    expect(refusal(() => parseDeadline('--at', '2026-03-29 02:30', berlin, NOW)).line).toBe(expected);
    expect(refusal(() => parseAsOf('--at', '2026-03-29 02:30', berlin, NOW)).line).toBe(expected);
    expect(refusal(() => parsePeriodBound('--at', '2026-03-29 02:30', 'Europe/Berlin', NOW, '')).line).toBe(expected);
  });

  it('keeps the earlier of the two 02:30s when the clocks go back', () => {
    expect(parsePastTime('--at', '2026-10-25 02:30', berlin, NOW)).toBe(Date.parse('2026-10-25T00:30:00Z'));
  });
});

describe('ticket numbers have a year in the range', () => {
  it('reads the forms clerks type', () => {
    expect(parseTicketNo('c2026-42', NOW)).toBe('C2026-00042');
    expect(parseTicketNo('C2000-1', NOW)).toBe('C2000-00001');
    expect(parseTicketNo('2036-00001', NOW)).toBe('C2036-00001');
  });

  it.each(['C1-00001', 'C0001-00001', 'C1999-00001', 'C2037-00001', 'C9999-00042', '26-42'])('refuses %j naming the years', (text) => {
    expect(refusal(() => parseTicketNo(text, NOW))).toEqual({
      exitCode: 2, line: `ticket: '${text}' is not accepted; ticket numbers have a year from 2000 to 2036, like C2026-00042`,
    });
  });
});

describe('durations are at most a year', () => {
  it.each([['365wd', 365, 'wd'], ['8760h', 8760, 'h'], ['2920wh', 2920, 'wh'], ['525600m', 525_600, 'm'], ['1.5d', 1.5, 'd']])('takes %j', (text, amount, unit) => {
    expect(parseDurationText('duration', text)).toEqual({ amount, unit });
  });

  it.each(['99999999999wd', '366wd', '8761h', '366d', '2921wh', '525601m', '1e400h'])('refuses %j', (text) => {
    const { line, exitCode } = refusal(() => parseDurationText('--within', text));
    expect(exitCode).toBe(2);
    expect(line).toMatch(/^--within: '.*' is (too long; a deadline is at most a year: 525600m, 8760h, 365d, 2920wh, 365wd|not a duration.*)$/);
  });

  it('is a UsageError, never a crash', () => {
    expect(() => parseDurationText('duration', '99999999999wd')).toThrow(UsageError);
  });
});
