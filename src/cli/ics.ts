import ICAL from 'ical.js';
import { addDays } from '../domain/time.js';

// An office's holiday calendar exported from Outlook, Google or Apple as .ics: every all-day
// event becomes closed dates. Timed events (a meeting) are not closures and are skipped.

const MAX_OCCURRENCES = 500;

export function allDayDates(text: string): string[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const dates = new Set<string>();
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate?.isDate) continue;
    const length = Math.max(1, event.endDate ? event.endDate.subtractDate(event.startDate).toSeconds() / 86_400 : 1);
    const starts: string[] = [];
    if (event.isRecurring()) {
      const it = event.iterator();
      for (let next = it.next(), n = 0; next && n < MAX_OCCURRENCES; next = it.next(), n++) {
        // An open-ended yearly holiday: ten years ahead is plenty, and the office can load it again.
        if (next.year > event.startDate.year + 10) break;
        starts.push(next.toString().slice(0, 10));
      }
    } else {
      starts.push(event.startDate.toString().slice(0, 10));
    }
    for (const start of starts) for (let i = 0; i < length; i++) dates.add(addDays(start, i));
  }
  return [...dates].sort();
}
