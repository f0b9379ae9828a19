import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { formatWindows, parseDates, parseWeekdays, parseWindows } from '../../src/domain/office-hours.js';
import { DEFAULT_PROCEDURE, DEFAULT_STAGES, findStage, withStage } from '../../src/domain/procedure.js';
import { durationClock, isDeadlineLength, parseDuration, stageAllowance } from '../../src/domain/sla.js';

// The release-1 SLA table is now the built-in stages' rows (issue 11); the figures are unchanged.
const rule = (code: string) => findStage(DEFAULT_STAGES, code)!;

describe('office hours as the office writes them', () => {
  it('reads weekday sets, ranges and wrapping ranges', () => {
    expect(parseWeekdays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseWeekdays('sat')).toEqual([6]);
    expect(parseWeekdays('mon,wed,fri')).toEqual([1, 3, 5]);
    expect(parseWeekdays('fri-mon')).toEqual([0, 1, 5, 6]);
    expect(parseWeekdays('Monday-Tuesday')).toEqual([1, 2]);
  });

  it.each(['', 'mo', 'funday', 'mon-xyz', 'mon,,fri'])('refuses weekdays %j', (spec) => {
    expect(() => parseWeekdays(spec)).toThrow(UsageError);
  });

  it('reads windows and writes them back the same way', () => {
    const windows = parseWindows('09:00-12:00,13:00-18:00');
    expect(windows).toEqual([{ start: 540, end: 720 }, { start: 780, end: 1080 }]);
    expect(formatWindows(windows)).toBe('09:00-12:00,13:00-18:00');
    expect(parseWindows('closed')).toEqual([]);
    expect(formatWindows([])).toBe('closed');
    expect(parseWindows('13:00-18:00,09:00-12:00')).toEqual(windows);
  });

  it.each(['9-12', '12:00-09:00', '09:00-12:00,11:00-13:00', '09:00-25:00', '09:60-10:00', 'mornings'])('refuses windows %j', (spec) => {
    expect(() => parseWindows(spec)).toThrow(UsageError);
  });

  it('expands date ranges inclusively, across month ends', () => {
    expect(parseDates('2026-10-01..2026-10-07')).toHaveLength(7);
    expect(parseDates('2026-01-30..2026-02-02')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(parseDates('2026-11-19')).toEqual(['2026-11-19']);
  });

  it.each(['2026-02-30', '2026-10-07..2026-10-01', '2026-01-01..2028-01-01', 'tomorrow', '2026-1-1'])('refuses dates %j', (spec) => {
    expect(() => parseDates(spec)).toThrow(UsageError);
  });
});

describe('SLA durations', () => {
  const cal = { minutesPerWorkingDay: 480 };

  it('reads every unit and refuses the rest', () => {
    expect(parseDuration('30m')).toEqual({ amount: 30, unit: 'm' });
    expect(parseDuration('4wh')).toEqual({ amount: 4, unit: 'wh' });
    expect(parseDuration('1.5WD')).toEqual({ amount: 1.5, unit: 'wd' });
    for (const bad of ['', '4', 'wh', '-1h', '4 hours', '1w']) expect(parseDuration(bad)).toBeNull();
  });

  it('runs m, h and d round the clock and wh, wd in working time', () => {
    expect(durationClock({ amount: 2, unit: 'h' }, cal)).toEqual({ minutes: 120, clock: 'round-the-clock' });
    expect(durationClock({ amount: 1, unit: 'd' }, cal)).toEqual({ minutes: 1440, clock: 'round-the-clock' });
    expect(durationClock({ amount: 5, unit: 'wd' }, cal)).toEqual({ minutes: 2400, clock: 'working' });
    expect(durationClock({ amount: 4, unit: 'wh' }, { minutesPerWorkingDay: 420 })).toEqual({ minutes: 240, clock: 'working' });
  });

  it('gives urgent tickets 24×7 clocks, the severity\'s own resolve time, and a working-hours callback', () => {
    expect(stageAllowance(rule('first_reply'), 'general', true, cal)).toMatchObject({ minutes: 120, clock: 'round-the-clock' });
    // resolve for an urgent major ticket: major's 7wd, run as 7 calendar days
    expect(stageAllowance(rule('resolve'), 'major', true, cal)).toMatchObject({ minutes: 7 * 1440, clock: 'round-the-clock' });
    expect(stageAllowance(rule('callback'), 'general', true, cal)).toMatchObject({ minutes: 480, clock: 'working' });
    expect(stageAllowance(rule('resolve'), 'important', false, cal)).toMatchObject({ minutes: 7 * 480, clock: 'working' });
  });

  it('changes one cell and leaves the rest', () => {
    const reply = rule('first_reply');
    const changed = withStage(DEFAULT_PROCEDURE, { ...reply, sla: { ...reply.sla, general: { amount: 2, unit: 'wh' } } });
    const after = findStage(changed.stages, 'first_reply')!;
    expect(after.sla.general).toEqual({ amount: 2, unit: 'wh' });
    expect(after.sla.important).toEqual(reply.sla.important);
    expect(reply.sla.general).toEqual({ amount: 4, unit: 'wh' });
    expect(changed.stages.map((s) => s.code)).toEqual(DEFAULT_STAGES.map((s) => s.code));
  });
});

describe('deadlines to the minute', () => {
  it('rounds a fractional duration to whole minutes, which the deadline rows keep', () => {
    expect(durationClock({ amount: 0.3, unit: 'wd' }, { minutesPerWorkingDay: 450 })).toEqual({ minutes: 135, clock: 'working' });
    expect(durationClock({ amount: 0.02, unit: 'wh' }, { minutesPerWorkingDay: 480 })).toEqual({ minutes: 1, clock: 'working' });
    expect(durationClock({ amount: 0.7, unit: 'm' }, { minutesPerWorkingDay: 480 })).toEqual({ minutes: 1, clock: 'round-the-clock' });
  });

  it('refuses a deadline under a minute in any unit', () => {
    expect([0, 0.5, 1].map((amount) => isDeadlineLength({ amount, unit: 'm' }))).toEqual([false, false, true]);
    expect(isDeadlineLength({ amount: 0.01, unit: 'wh' })).toBe(false);
    expect(isDeadlineLength({ amount: 0.02, unit: 'wh' })).toBe(true);
    expect(isDeadlineLength({ amount: 0.01, unit: 'wd' })).toBe(false);
    expect(isDeadlineLength({ amount: 0.001, unit: 'd' })).toBe(true);
  });
});

describe('the week in Chinese, as init reads it back (issue 12)', () => {
  it('周一至周五、周六 is mon-fri,sat; 星期 and 礼拜 too', () => {
    expect(parseWeekdays('周一至周五、周六')).toEqual(parseWeekdays('mon-fri,sat'));
    expect(parseWeekdays('星期一到星期五')).toEqual(parseWeekdays('mon-fri'));
    expect(parseWeekdays('礼拜六，礼拜日')).toEqual(parseWeekdays('sat,sun'));
    expect(parseWindows('09:00-12:00、13:00-18:00')).toEqual(parseWindows('09:00-12:00,13:00-18:00'));
  });

  it('a Chinese day that is not one is refused', () => {
    expect(() => parseWeekdays('周八')).toThrow();
  });
});
