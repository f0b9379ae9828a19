import ICAL from 'ical.js';
import { addDays, LAST_DATE } from '../domain/time.js';

// An office's holiday calendar exported from Outlook, Google or Apple as .ics: every all-day
// event becomes closed dates. Timed events (a meeting) are not closures and are skipped.

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

/**
 * The closed dates of the file's all-day events, sorted, within [first, last]; `outside` counts
 * the distinct dates left out. Linear in the file: every event is looked at once, and the work
 * the events expand to is capped (IcsTooBig).
 */
export function allDayDates(text: string, limits: IcsLimits): { dates: string[]; outside: number } {
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

  const dates = new Set<string>();
  const outside = new Set<string>();
  let expanded = 0;
  const close = (date: string): void => {
    if (++expanded > limits.dates) throw new IcsTooBig('dates', limits.dates);
    if (date >= limits.first && date <= limits.last) dates.add(date);
    else outside.add(date);
  };

  for (const vevent of vevents) {
    const event = new ICAL.Event(vevent, { exceptions: [] });
    if (!event.startDate?.isDate) continue;
    const length = Math.max(1, event.endDate ? event.endDate.subtractDate(event.startDate).toSeconds() / 86_400 : 1);
    const starts: string[] = [];
    if (event.isRecurring() && recurrenceDate(vevent) === null) {
      const skip = moved.get(event.uid ?? '') ?? new Set<string>();
      const it = event.iterator();
      for (let next = it.next(), n = 0; next && n < MAX_OCCURRENCES; next = it.next(), n++) {
        // An open-ended yearly holiday: ten years ahead is plenty, and the office can load it again.
        if (next.year > event.startDate.year + 10) break;
        const start = next.toString().slice(0, 10);
        if (!skip.has(start)) starts.push(start);
      }
    } else {
      starts.push(event.startDate.toString().slice(0, 10));
    }
    for (const start of starts) {
      for (let i = 0, date = start; i < length; i++, date = addDays(date, 1)) {
        close(date);
        // The calendar ends here; no holiday runs past it.
        if (date === LAST_DATE) break;
      }
    }
  }
  return { dates: [...dates].sort(), outside: outside.size };
}
