import { MAX_DURATION } from './bounds.js';
import type { Severity, Stage } from './model.js';
import type { Clock, OfficeCalendar } from './working-time.js';

/** A deadline length as the office writes it: `30m`, `2h`, `1d` (24×7) or `4wh`, `5wd` (working time). */
export interface Duration {
  amount: number;
  unit: 'm' | 'h' | 'd' | 'wh' | 'wd';
}

export const SLA_COLUMNS = ['general', 'important', 'major', 'urgent'] as const;
export type SlaColumn = (typeof SLA_COLUMNS)[number];

/**
 * The deadline policy: one duration per stage and column. Urgent `resolve` is null because the
 * urgent column takes the severity's own duration, run on a 24×7 clock (SPEC §4).
 */
export type SlaPolicy = Readonly<Record<Stage, Readonly<Record<SlaColumn, Duration | null>>>>;

const d = (text: string): Duration => parseDuration(text)!;

// Seeds 000, 001, 002, 004 as distilled in SPEC §4.
export const DEFAULT_SLA: SlaPolicy = {
  assign: { general: d('2wh'), important: d('2wh'), major: d('1wh'), urgent: d('30m') },
  first_reply: { general: d('4wh'), important: d('8wh'), major: d('8wh'), urgent: d('2h') },
  // seed 004 §3.7: progress to the complainant at least every 3 working days
  update: { general: d('3wd'), important: d('3wd'), major: d('3wd'), urgent: d('1d') },
  resolve: { general: d('5wd'), important: d('7wd'), major: d('7wd'), urgent: null },
  callback: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: d('1wd') },
};

export function parseDuration(text: string): Duration | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|wh|wd)\s*$/i.exec(text);
  if (!m) return null;
  const amount = Number(m[1]);
  if (!Number.isFinite(amount) || amount < 0) return null;
  return { amount, unit: m[2]!.toLowerCase() as Duration['unit'] };
}

/** No deadline is longer than a year (domain/bounds.ts); a longer one is a typo. */
export function isDurationWithinBounds(duration: Duration): boolean {
  return duration.amount <= MAX_DURATION[duration.unit];
}

/** The longest duration in each unit, as the error message lists them: '525600m, 8760h, …'. */
export function maxDurationText(): string {
  return (Object.keys(MAX_DURATION) as Duration['unit'][]).map((unit) => formatDuration({ amount: MAX_DURATION[unit], unit })).join(', ');
}

export function formatDuration(duration: Duration): string {
  return `${duration.amount}${duration.unit}`;
}

/** Minutes and clock of a duration; `forceRoundTheClock` turns working units into 24×7 ones (urgent tickets). */
export function durationClock(
  duration: Duration,
  cal: Pick<OfficeCalendar, 'minutesPerWorkingDay'>,
  forceRoundTheClock = false,
): { minutes: number; clock: Clock } {
  switch (duration.unit) {
    case 'm':
      return { minutes: duration.amount, clock: 'round-the-clock' };
    case 'h':
      return { minutes: duration.amount * 60, clock: 'round-the-clock' };
    case 'd':
      return { minutes: duration.amount * 1440, clock: 'round-the-clock' };
    case 'wh':
      return forceRoundTheClock
        ? { minutes: duration.amount * 60, clock: 'round-the-clock' }
        : { minutes: duration.amount * 60, clock: 'working' };
    case 'wd':
      return forceRoundTheClock
        ? { minutes: duration.amount * 1440, clock: 'round-the-clock' }
        : { minutes: duration.amount * cal.minutesPerWorkingDay, clock: 'working' };
  }
}

/** How long a stage has for a ticket of this severity, and on which clock. */
export function stageAllowance(
  policy: SlaPolicy,
  stage: Stage,
  severity: Severity,
  urgent: boolean,
  cal: Pick<OfficeCalendar, 'minutesPerWorkingDay'>,
): { minutes: number; clock: Clock; duration: Duration } {
  if (!urgent) {
    const duration = policy[stage][severity]!;
    return { ...durationClock(duration, cal), duration };
  }
  // The callback is an office call made in working hours, even for urgent tickets.
  const urgentDuration = policy[stage].urgent;
  const duration = urgentDuration ?? policy[stage][severity]!;
  const roundTheClock = stage !== 'callback';
  return { ...durationClock(duration, cal, roundTheClock), duration };
}

export function withStageDuration(policy: SlaPolicy, stage: Stage, column: SlaColumn, duration: Duration): SlaPolicy {
  return { ...policy, [stage]: { ...policy[stage], [column]: duration } };
}
