/**
 * The office calendar and arithmetic in working time (SPEC §4). Deadlines run on the office's
 * opening hours, skipping nights, weekends, holidays and the time a ticket is on hold; urgent
 * tickets run round the clock and skip only the holds.
 *
 * Everything is computed on open segments — a day's windows turned into instants, minus pauses —
 * walked one local day at a time, so cost grows with the number of days, never with minutes.
 */
import { CannotDo } from './errors.js';
import type { Instant } from './time.js';
import { addDays, fromLocal, isValidTimeZone, LAST_DATE, localDate, weekdayOf } from './time.js';

/** Opening hours within a day, in minutes after local midnight: {start: 540, end: 720} is 09:00–12:00. */
export interface Window {
  start: number;
  end: number;
}

export interface OfficeCalendar {
  timezone: string;
  /** 7 entries, index 0 = Sunday; each day's windows sorted and non-overlapping. */
  week: readonly (readonly Window[])[];
  /** Closed dates 'YYYY-MM-DD'; a holiday wins over the weekly hours and over an extra workday. */
  holidays: ReadonlySet<string>;
  /** Weekend dates that are worked (China's make-up days around public holidays); they keep `workdayHours`. */
  extraWorkdays: ReadonlySet<string>;
  workdayHours: readonly Window[];
  /** One 'wd' is this many working minutes. */
  minutesPerWorkingDay: number;
}

const hours = (start: number, end: number): Window => Object.freeze({ start, end });

export const DEFAULT_WEEK_HOURS: readonly Window[] = Object.freeze([hours(9 * 60, 12 * 60), hours(13 * 60, 18 * 60)]);

export function defaultCalendar(timezone: string): OfficeCalendar {
  if (!isValidTimeZone(timezone)) throw new RangeError(`unknown time zone: ${JSON.stringify(timezone)}`);
  const closed: readonly Window[] = Object.freeze([]);
  return {
    timezone,
    week: Object.freeze([closed, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, DEFAULT_WEEK_HOURS, closed]),
    holidays: new Set<string>(),
    extraWorkdays: new Set<string>(),
    workdayHours: DEFAULT_WEEK_HOURS,
    minutesPerWorkingDay: 480,
  };
}

const NO_WINDOWS: readonly Window[] = Object.freeze([]);

export function windowsOn(cal: OfficeCalendar, date: string): readonly Window[] {
  if (cal.holidays.has(date)) return NO_WINDOWS;
  if (cal.extraWorkdays.has(date)) return cal.workdayHours;
  return cal.week[weekdayOf(date)] ?? NO_WINDOWS;
}

/** 'working' follows the office hours; 'round-the-clock' is 24×7 (urgent tickets, and m/h/d durations). */
export type Clock = 'working' | 'round-the-clock';

/** A hold on the ticket; `end` is Infinity while it is still on hold. */
export interface Interval {
  start: Instant;
  end: Instant;
}

const MS_PER_MINUTE = 60_000;
// A calendar with no hours at all must fail at once rather than walk forever: three years
// without an open day is taken to mean there will never be one.
const MAX_CLOSED_DAYS = 3 * 366;
const MAX_INSTANT = 8.64e15;

function checkInstant(name: string, t: Instant): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite instant, got ${t}`);
}

/** Sorted, merged, non-empty pauses: the walk below relies on that order. */
function normalizePauses(pauses: readonly Interval[] | undefined): Interval[] {
  if (!pauses || pauses.length === 0) return [];
  const sorted = pauses
    .map((p) => {
      if (Number.isNaN(p.start) || Number.isNaN(p.end) || p.start === Infinity) {
        throw new RangeError(`not a pause: ${p.start}..${p.end}`);
      }
      return { start: p.start, end: p.end };
    })
    .filter((p) => p.end > p.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const p of sorted) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push(p);
  }
  return merged;
}

interface OpenDay {
  /** Local midnight to the next local midnight, as instants. */
  start: Instant;
  end: Instant;
  /** Window bounds as instants, inside the day; windows that vanish in a DST gap are dropped. */
  open: readonly Interval[];
  next: string;
}

interface DayCache {
  // What the cached days were computed from: a calendar is a value, but a caller that keeps
  // mutable Sets behind the ReadonlySet types must not get stale hours.
  timezone: string;
  week: OfficeCalendar['week'];
  workdayHours: OfficeCalendar['workdayHours'];
  holidays: OfficeCalendar['holidays'];
  holidayCount: number;
  extraWorkdays: OfficeCalendar['extraWorkdays'];
  extraCount: number;
  days: Map<string, OpenDay>;
}

// Deadlines for many tickets walk the same few weeks again and again; remembering each day's
// windows as instants makes a walk one map lookup per day.
const dayCaches = new WeakMap<OfficeCalendar, DayCache>();
const DAY_CACHE_LIMIT = 10_000;

function dayCache(cal: OfficeCalendar): Map<string, OpenDay> {
  const c = dayCaches.get(cal);
  if (
    c &&
    c.timezone === cal.timezone &&
    c.week === cal.week &&
    c.workdayHours === cal.workdayHours &&
    c.holidays === cal.holidays &&
    c.holidayCount === cal.holidays.size &&
    c.extraWorkdays === cal.extraWorkdays &&
    c.extraCount === cal.extraWorkdays.size
  ) {
    if (c.days.size >= DAY_CACHE_LIMIT) c.days.clear();
    return c.days;
  }
  const days = new Map<string, OpenDay>();
  dayCaches.set(cal, {
    timezone: cal.timezone,
    week: cal.week,
    workdayHours: cal.workdayHours,
    holidays: cal.holidays,
    holidayCount: cal.holidays.size,
    extraWorkdays: cal.extraWorkdays,
    extraCount: cal.extraWorkdays.size,
    days,
  });
  return days;
}

function openDay(cal: OfficeCalendar, cache: Map<string, OpenDay>, date: string): OpenDay {
  let day = cache.get(date);
  if (day) return day;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const tz = cal.timezone;
  const start = fromLocal(y, m, d, 0, 0, tz);
  const end = fromLocal(y, m, d, 24, 0, tz);
  const open: Interval[] = [];
  for (const w of windowsOn(cal, date)) {
    // Bounds through fromLocal, so a 23- or 25-hour day simply has less or more night. Clipping
    // to the day keeps a day that a zone skipped entirely (Samoa, 2011-12-30) from lending its
    // hours to the next one.
    const ws = Math.max(start, fromLocal(y, m, d, 0, w.start, tz));
    const we = Math.min(end, fromLocal(y, m, d, 0, w.end, tz));
    if (we > ws) open.push({ start: ws, end: we });
  }
  day = { start, end, open, next: addDays(date, 1) };
  cache.set(date, day);
  return day;
}

/**
 * Open time, in order, as segments [start, end) of the clock's hours minus the pauses, beginning
 * with any segment that ends at or after `from` (a segment ending exactly at `from` matters: a
 * due time may sit on a window's end and the clock must be able to resume from there).
 * Stops after `until` if given; without it, runs until an open-ended pause and throws if the
 * calendar has had no hours for three years.
 */
function* openSegments(
  cal: OfficeCalendar,
  clock: Clock,
  from: Instant,
  pauses: readonly Interval[],
  until?: Instant,
): Generator<Interval> {
  if (clock === 'round-the-clock') {
    let cursor = -Infinity;
    for (const p of pauses) {
      if (p.start > cursor && p.start >= from) yield { start: cursor, end: p.start };
      cursor = Math.max(cursor, p.end);
      if (cursor === Infinity || (until !== undefined && cursor > until)) return;
    }
    yield { start: cursor, end: Infinity };
    return;
  }

  const tz = cal.timezone;
  // One millisecond back so that a window ending at midnight (24:00) is seen from that midnight.
  let date = localDate(from - 1, tz);
  const lastDate = until === undefined ? undefined : localDate(until, tz);
  let firstPause = 0; // first pause that can still overlap a window (pauses ending earlier are behind us)
  let closedDays = 0;
  const cache = dayCache(cal);
  while (lastDate === undefined || date <= lastDate) {
    // Dates are four-digit years; a walk that gets this far was asked for a nonsensical duration.
    if (date > LAST_DATE) throw new RangeError('working time runs past the year 9999');
    const { open, next: following } = openDay(cal, cache, date);
    let jumpTo: string | undefined;
    if (open.length === 0) {
      closedDays += 1;
      if (until === undefined && closedDays > MAX_CLOSED_DAYS) throw new CannotDo('calendar_no_working_hours', { date: addDays(date, -MAX_CLOSED_DAYS) });
    } else {
      closedDays = 0;
    }
    for (const w of open) {
      while (firstPause < pauses.length && pauses[firstPause]!.end <= w.start) firstPause += 1;
      let cursor = w.start;
      for (let i = firstPause; i < pauses.length && pauses[i]!.start < w.end; i += 1) {
        const p = pauses[i]!;
        if (p.start > cursor && p.start >= from) yield { start: cursor, end: p.start };
        cursor = Math.max(cursor, p.end);
        if (cursor >= w.end) {
          if (p.end === Infinity) return;
          // A long hold: go straight to the day it ends instead of walking every day inside it.
          if (p.end > w.end) jumpTo = localDate(p.end, tz);
          break;
        }
      }
      if (cursor < w.end && w.end >= from) yield { start: cursor, end: w.end };
    }
    if (jumpTo !== undefined && jumpTo > following) {
      date = jumpTo;
      closedDays = 0;
    } else {
      date = following;
    }
  }
}

// No deadline is years long; the cap keeps an absurd duration (a typo, 99999999wd) from walking
// the calendar day by day for seconds.
const MAX_MINUTES = 10 * 366 * 1440;

function toMs(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be finite and >= 0, got ${minutes}`);
  if (minutes > MAX_MINUTES) throw new RangeError(`a duration of ${minutes} minutes is longer than ten years`);
  // Whole milliseconds keep instants integral (0.1 h * 60 is 6.000000000000001 minutes).
  return Math.round(minutes * MS_PER_MINUTE);
}

/**
 * `start` plus `minutes` of clock time, skipping closed time and pauses; null while an open-ended
 * pause holds the clock. A clock started in closed time starts at the next opening; the result may
 * be a window's exact end (Mon 10:00 + 2 wh is 12:00, not 13:00), and with 0 minutes a start lying
 * inside open time or exactly at its end is returned unchanged — which is what makes
 * add(add(t, a), b) equal add(t, a + b).
 */
export function addClockTime(
  cal: OfficeCalendar,
  clock: Clock,
  start: Instant,
  minutes: number,
  pauses?: readonly Interval[],
): Instant | null {
  checkInstant('start', start);
  let remaining = toMs(minutes);
  for (const seg of openSegments(cal, clock, start, normalizePauses(pauses))) {
    if (seg.end < start) continue;
    const from = Math.max(seg.start, start);
    if (seg.end - from >= remaining) {
      const due = from + remaining;
      if (due > MAX_INSTANT) throw new RangeError('clock time runs past the end of the calendar');
      return due;
    }
    remaining -= seg.end - from;
  }
  return null;
}

/** Clock minutes in [from, to), closed time and pauses excluded; exact to the millisecond. */
export function clockMinutesBetween(
  cal: OfficeCalendar,
  clock: Clock,
  from: Instant,
  to: Instant,
  pauses?: readonly Interval[],
): number {
  checkInstant('from', from);
  checkInstant('to', to);
  if (to <= from) return 0;
  let total = 0;
  for (const seg of openSegments(cal, clock, from, normalizePauses(pauses), to)) {
    if (seg.start >= to) break;
    const overlap = Math.min(seg.end, to) - Math.max(seg.start, from);
    if (overlap > 0) total += overlap;
  }
  return total / MS_PER_MINUTE;
}

export interface SkippedTime {
  nights: number;
  weekends: number;
  holidays: number;
  lunch: number;
  paused: number;
}

/** How a due time was reached, for `show --explain`. */
export interface DueTrace {
  start: Instant;
  /** When the clock actually started (the next opening); null if it never starts (on hold). */
  clockStart: Instant | null;
  due: Instant | null;
  minutes: number;
  clock: Clock;
  /** Minutes of closed or paused time between clockStart and due (or the open-ended hold), by reason. */
  skipped: SkippedTime;
}

export function traceDue(
  cal: OfficeCalendar,
  clock: Clock,
  start: Instant,
  minutes: number,
  pauses?: readonly Interval[],
): DueTrace {
  const holds = normalizePauses(pauses);
  const clockStart = addClockTime(cal, clock, start, 0, holds);
  const due = clockStart === null ? null : addClockTime(cal, clock, clockStart, minutes, holds);
  const skipped: SkippedTime = { nights: 0, weekends: 0, holidays: 0, lunch: 0, paused: 0 };
  if (clockStart !== null) {
    // A suspended deadline still shows what was skipped until the clock stopped.
    const end = due ?? holds.find((p) => p.end === Infinity)?.start ?? clockStart;
    if (end > clockStart) classifySkipped(cal, clock, clockStart, end, holds, skipped);
  }
  return { start, clockStart, due, minutes, clock, skipped };
}

function overlapMs(a: Interval, from: Instant, to: Instant): number {
  return Math.max(0, Math.min(a.end, to) - Math.max(a.start, from));
}

function pausedMs(open: Interval, pauses: readonly Interval[], from: Instant, to: Instant): number {
  const lo = Math.max(open.start, from);
  const hi = Math.min(open.end, to);
  let total = 0;
  for (const p of pauses) {
    if (p.start >= hi) break;
    total += overlapMs(p, lo, hi);
  }
  return total;
}

function classifySkipped(
  cal: OfficeCalendar,
  clock: Clock,
  from: Instant,
  to: Instant,
  pauses: readonly Interval[],
  out: SkippedTime,
): void {
  if (clock === 'round-the-clock') {
    out.paused = pausedMs({ start: from, end: to }, pauses, from, to) / MS_PER_MINUTE;
    return;
  }
  const tz = cal.timezone;
  const ms: SkippedTime = { nights: 0, weekends: 0, holidays: 0, lunch: 0, paused: 0 };
  const lastDate = localDate(to - 1, tz);
  const cache = dayCache(cal);
  for (let date = localDate(from, tz), next: string; date <= lastDate; date = next) {
    const day = openDay(cal, cache, date);
    const { open, start: dayStart, end: dayEnd } = day;
    next = day.next;
    if (open.length === 0) {
      const closedAllDay = overlapMs({ start: dayStart, end: dayEnd }, from, to);
      if (cal.holidays.has(date)) ms.holidays += closedAllDay;
      else if ((cal.week[weekdayOf(date)]?.length ?? 0) === 0 && !cal.extraWorkdays.has(date)) ms.weekends += closedAllDay;
      else ms.nights += closedAllDay;
      continue;
    }
    ms.nights += overlapMs({ start: dayStart, end: open[0]!.start }, from, to);
    ms.nights += overlapMs({ start: open[open.length - 1]!.end, end: dayEnd }, from, to);
    for (let i = 0; i < open.length; i += 1) {
      const w = open[i]!;
      if (i > 0) ms.lunch += overlapMs({ start: open[i - 1]!.end, end: w.start }, from, to);
      ms.paused += pausedMs(w, pauses, from, to);
    }
  }
  out.nights = ms.nights / MS_PER_MINUTE;
  out.weekends = ms.weekends / MS_PER_MINUTE;
  out.holidays = ms.holidays / MS_PER_MINUTE;
  out.lunch = ms.lunch / MS_PER_MINUTE;
  out.paused = ms.paused / MS_PER_MINUTE;
}
