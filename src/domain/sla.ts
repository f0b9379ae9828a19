import { MAX_DURATION } from './bounds.js';
import type { Severity } from './model.js';
import type { StageRule } from './procedure.js';
import type { Clock, OfficeCalendar } from './working-time.js';

/** A deadline length as the office writes it: `30m`, `2h`, `1d` (24×7) or `4wh`, `5wd` (working time). */
export interface Duration {
  amount: number;
  unit: 'm' | 'h' | 'd' | 'wh' | 'wd';
}

export const SLA_COLUMNS = ['general', 'important', 'major', 'urgent'] as const;
export type SlaColumn = (typeof SLA_COLUMNS)[number];

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
// The fewest minutes one of each unit can be: a working day is at least an hour on any calendar.
const LEAST_MINUTES: Readonly<Record<Duration['unit'], number>> = { m: 1, h: 60, d: 1440, wh: 60, wd: 60 };

/**
 * A deadline is at least a minute: a shorter one (0m, 0.1m, 0.01wh) is late the moment it starts,
 * and deadlines are kept to the minute.
 */
export function isDeadlineLength(duration: Duration): boolean {
  return duration.amount * LEAST_MINUTES[duration.unit] >= 1;
}

/**
 * Minutes and clock of a duration, to the whole minute (0.3wd of a 7.5-hour day is 135 minutes;
 * 0.01wh would be 0.6); `forceRoundTheClock` turns working units into 24×7 ones (urgent tickets).
 */
export function durationClock(
  duration: Duration,
  cal: Pick<OfficeCalendar, 'minutesPerWorkingDay'>,
  forceRoundTheClock = false,
): { minutes: number; clock: Clock } {
  const working = !forceRoundTheClock && (duration.unit === 'wh' || duration.unit === 'wd');
  const perUnit = { m: 1, h: 60, d: 1440, wh: 60, wd: working ? cal.minutesPerWorkingDay : 1440 }[duration.unit];
  return { minutes: Math.round(duration.amount * perUnit), clock: working ? 'working' : 'round-the-clock' };
}

/** How long a stage has for a ticket of this severity, and on which clock. */
export function stageAllowance(
  rule: StageRule,
  severity: Severity,
  urgent: boolean,
  cal: Pick<OfficeCalendar, 'minutesPerWorkingDay'>,
): { minutes: number; clock: Clock; duration: Duration } {
  const ownDuration = rule.sla[severity];
  if (!urgent) {
    // A severity the stage does not apply to has no duration; a stage never started for it never asks.
    const duration = ownDuration ?? { amount: 0, unit: 'm' };
    return { ...durationClock(duration, cal, rule.clock === '24x7'), duration };
  }
  const duration = rule.sla.urgent ?? ownDuration ?? { amount: 0, unit: 'm' };
  // The callback is an office call made in working hours, even for urgent tickets.
  const roundTheClock = rule.code !== 'callback' || rule.clock === '24x7';
  return { ...durationClock(duration, cal, roundTheClock), duration };
}

/**
 * Deadlines are kept to the minute, so a stage is late once a whole minute has passed since it was
 * due; in the minute it falls due it is due now, not "late by 0m".
 */
export function isLate(due: number, now: number): boolean {
  return now - due >= 60_000;
}
