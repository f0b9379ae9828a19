import ICAL from 'ical.js';
import { addDays, LAST_DATE, localDate } from '../domain/time.js';

// An office's holiday calendar exported from Outlook, Google or Apple, or a published Chinese
// holiday calendar, as .ics: all-day events become closed dates, events marked as make-up working
// days (调休上班日) become working days. Other timed events (a meeting) are skipped.

const MAX_OCCURRENCES = 500;

/** The file is bigger than the office would ever mean to load: `what` names the limit passed. */
export class IcsTooBig extends Error {
  constructor(
    readonly what: 'events' | 'dates',
    readonly limit: number,
  ) {
    super(`more than ${limit} ${what}`);
  }
}

export interface IcsLimits {
  /** Events in the file, counted before it is parsed. */
  events: number;
  /** Days the all-day events expand to, recurrences and multi-day events included. */
  dates: number;
  /** The dates the office may keep, 'YYYY-MM-DD' inclusive; others are counted and left out. */
  first: string;
  last: string;
}

const VEVENT = /^BEGIN:VEVENT\r?$/gim;

function countEvents(text: string, stopAfter: number): number {
  VEVENT.lastIndex = 0;
  let n = 0;
  while (VEVENT.exec(text) !== null && n <= stopAfter) n++;
  return n;
}

/** The recurrence (and so the date) an override replaces, or null for an ordinary event. */
function recurrenceDate(vevent: ICAL.Component): string | null {
  const id = vevent.getFirstPropertyValue('recurrence-id');
  return id instanceof ICAL.Time ? id.toString().slice(0, 10) : null;
}

/** What an event of the file makes of its dates. */
export type DayKind = 'holiday' | 'workday';

/**
 * A make-up working day (调休上班日) by its title, in the forms published Chinese calendars use:
 * "春节(班)" / "春节（班）" (all-day, the chinese-days package), "国庆节 补班 第1天/共2天" (a timed
 * 09:00-18:00 event, the most subscribed calendar), "调休上班", "上班", and the same calendars in
 * English, "National Day(Workday)". Only the title is read: a holiday's description often quotes
 * the notice ("10月11日（周六）上班").
 */
const WORKDAY_TITLE = /补班|上班|[(（]\s*(?:班|workday)\s*[)）]/i;

export function isWorkdayTitle(summary: string): boolean {
  return WORKDAY_TITLE.test(summary.normalize('NFKC'));
}

/** Apple's calendars mark a make-up working day with a property of their own, whatever the title. */
function isMarkedWorkday(vevent: ICAL.Component, summary: string): boolean {
  return isWorkdayTitle(summary) || String(vevent.getFirstPropertyValue('x-apple-special-day') ?? '').toUpperCase() === 'ALTERNATE-WORKDAY';
}

export interface IcsOptions {
  /** The office's zone: the date of an event timed in UTC ("…Z") is read in it. */
  zone: string;
  /** A calendar of make-up working days only (`--workdays`): every event is one, whatever its title. */
  allWorkdays?: boolean;
}

export interface IcsDays {
  holidays: string[];
  workdays: string[];
  /** Distinct dates outside [first, last], left out. */
  outside: number;
  /** Timed events not marked as make-up working days (a meeting): not the office's days. */
  skippedTimed: number;
  /** Events the calendar itself calls off (STATUS:CANCELLED): a withdrawn day is not a day. */
  skippedCancelled: number;
}

/** The event's own date: as written in its TZID (or floating); a UTC time is read in the office's zone. */
function dateOf(time: ICAL.Time, zone: string): string {
  if (!time.isDate && time.zone?.tzid === 'UTC') return localDate(time.toUnixTime() * 1000, zone);
  return time.toString().slice(0, 10);
}

/**
 * The holidays and make-up working days of the file, sorted, within [first, last]. All-day
 * events are holidays unless their title marks a make-up working day; timed events count only
 * when so marked (or in a workdays-only calendar), for their start's date. Linear in the file:
 * every event is looked at once, and the work the events expand to is capped (IcsTooBig).
 */
export function calendarDays(text: string, limits: IcsLimits, options: IcsOptions): IcsDays {
  // ical.js builds the whole file's tree in memory: count first, refuse before parsing.
  if (countEvents(text, limits.events) > limits.events) throw new IcsTooBig('events', limits.events);
  const root = new ICAL.Component(ICAL.parse(text));
  const vevents = root.getAllSubcomponents('vevent');

  // An override (RECURRENCE-ID) moves one occurrence of a recurring event: the moved-from date is
  // not closed, the override's own date is. ical.js would find an event's overrides by scanning
  // every event in the file, for every event (quadratic: 30,000 events took minutes), so they are
  // indexed by UID once here and each Event is built with none.
  const moved = new Map<string, Set<string>>();
  for (const vevent of vevents) {
    const date = recurrenceDate(vevent);
    if (date === null) continue;
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
    let set = moved.get(uid);
    if (set === undefined) moved.set(uid, (set = new Set()));
    set.add(date);
  }

  const found: Record<DayKind, Set<string>> = { holiday: new Set(), workday: new Set() };
  const outside = new Set<string>();
  let skippedTimed = 0;
  let skippedCancelled = 0;
  let expanded = 0;
  const mark = (date: string, kind: DayKind): void => {
    if (++expanded > limits.dates) throw new IcsTooBig('dates', limits.dates);
    if (date >= limits.first && date <= limits.last) found[kind].add(date);
    else outside.add(date);
  };

  for (const vevent of vevents) {
    const event = new ICAL.Event(vevent, { exceptions: [] });
    if (!event.startDate) continue;
    if (String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
      skippedCancelled++;
      continue;
    }
    const allDay = event.startDate.isDate;
    const kind: DayKind = options.allWorkdays || isMarkedWorkday(vevent, event.summary ?? '') ? 'workday' : 'holiday';
    if (!allDay && kind === 'holiday') {
      skippedTimed++;
      continue;
    }
    // An all-day event ending where it starts (DTEND = DTSTART), or with no end, is one day; a
    // timed make-up day is the date it starts on.
    const length = allDay ? Math.max(1, event.endDate ? event.endDate.subtractDate(event.startDate).toSeconds() / 86_400 : 1) : 1;
    const starts: string[] = [];
    if (event.isRecurring() && recurrenceDate(vevent) === null) {
      const skip = moved.get(event.uid ?? '') ?? new Set<string>();
      const it = event.iterator();
      for (let next = it.next(), n = 0; next && n < MAX_OCCURRENCES; next = it.next(), n++) {
        // An open-ended yearly holiday: ten years ahead is plenty, and the office can load it again.
        if (next.year > event.startDate.year + 10) break;
        const start = next.toString().slice(0, 10);
        if (!skip.has(start)) starts.push(allDay ? start : dateOf(next, options.zone));
      }
    } else {
      starts.push(dateOf(event.startDate, options.zone));
    }
    for (const start of starts) {
      for (let i = 0, date = start; i < length; i++, date = addDays(date, 1)) {
        mark(date, kind);
        // The calendar ends here; no holiday runs past it.
        if (date === LAST_DATE) break;
      }
    }
  }
  return { holidays: [...found.holiday].sort(), workdays: [...found.workday].sort(), outside: outside.size, skippedTimed, skippedCancelled };
}
