/**
 * The ranges a value typed at the office may fall in, in one table (issue 9). A time the program
 * accepts must be one every later command can read back and compute with: a receipt `C1-00001`
 * from the year 1, a complaint "late by 2143229h" or a report of the year 9999 helps nobody, and
 * each used to end in an unexpected failure somewhere down the line.
 *
 * Bounds that move with the clock take `now` as an argument: the domain never reads the clock.
 */
import { fromLocal, toLocal, type Instant } from './time.js';

/** No office keeps complaints on this program from before 2000. */
const FIRST_YEAR = 2000;
/** Deadlines, periods and holidays are planned at most this many years after the current one. */
const YEARS_AHEAD = 10;

export interface YearBounds {
  firstYear: number;
  lastYear: number;
}

/** Years FIRST_YEAR to YEARS_AHEAD after `currentYear`. */
export function yearBounds(currentYear: number): YearBounds {
  return { firstYear: FIRST_YEAR, lastYear: currentYear + YEARS_AHEAD };
}

export interface TimeBounds extends YearBounds {
  /** Local midnight starting 1 January of `firstYear`. */
  earliest: Instant;
  /** Local midnight starting the year after `lastYear`: the first instant out of range. */
  end: Instant;
  /** The range as the error messages name it: '2000-01-01' and '2036-12-31'. */
  firstDate: string;
  lastDate: string;
}

/** Years FIRST_YEAR to YEARS_AHEAD after the office's current year, on the office clock. */
export function timeBounds(now: Instant, tz: string): TimeBounds {
  const { firstYear, lastYear } = yearBounds(toLocal(now, tz).year);
  return {
    firstYear,
    lastYear,
    earliest: fromLocal(firstYear, 1, 1, 0, 0, tz),
    end: fromLocal(lastYear + 1, 1, 1, 0, 0, tz),
    firstDate: `${firstYear}-01-01`,
    lastDate: `${lastYear}-12-31`,
  };
}

export function isWithinBounds(bounds: TimeBounds, at: Instant): boolean {
  return at >= bounds.earliest && at < bounds.end;
}

export function isYearWithinBounds(bounds: YearBounds, year: number): boolean {
  return Number.isInteger(year) && year >= bounds.firstYear && year <= bounds.lastYear;
}

/** A calendar date 'YYYY-MM-DD' whose year is in range (the date itself is checked elsewhere). */
export function isDateWithinBounds(bounds: TimeBounds, date: string): boolean {
  return isYearWithinBounds(bounds, Number(date.slice(0, 4)));
}

/**
 * The longest deadline the SLA table or `overdue --within` may name: a year, in each unit
 * (a working year at 8 hours a day for `wh`). Longer is a typo, and walking the calendar for it
 * would take seconds.
 */
export const MAX_DURATION = { m: 525_600, h: 8_760, d: 365, wh: 2_920, wd: 365 } as const;

/** Money in cents: twelve digits before the point, exact in a double and in SQLite's integer. */
export const MAX_AMOUNT_CENTS = 999_999_999_999_99;

/** Counts typed on the command line: [least, most]. */
export const COUNT_LIMITS = {
  listLimit: [1, 100_000],
  demoTickets: [1, 10_000_000],
  demoMonths: [1, 120],
  demoSeed: [0, 2 ** 32 - 1],
} as const satisfies Record<string, readonly [number, number]>;

/**
 * An .ics file to import: a holiday calendar is a few hundred events and a few kilobytes; a file
 * far beyond that is the wrong export (a whole mailbox calendar) or an attack, refused before
 * parsing. `dates` caps the days the events expand to (recurrences, multi-day events).
 */
export const ICS_LIMITS = { bytes: 2 * 1024 * 1024, events: 20_000, dates: 50_000 } as const;
