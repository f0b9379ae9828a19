import { addDays, fromLocal, startOfLocalDay, type Instant } from './time.js';
import { windowsOn, type OfficeCalendar } from './working-time.js';

/**
 * A bare date given as a deadline (`--due 2026-11-30`, `extend --to`) means the end of that day's
 * working hours (SPEC §3). A closed day has none, so there it means the end of the day itself: the
 * complainant named that day, and an urgent ticket's clock runs through it.
 */
export function endOfWorkingDay(cal: OfficeCalendar, date: string): Instant {
  const last = windowsOn(cal, date).at(-1);
  if (last === undefined) return startOfLocalDay(addDays(date, 1), cal.timezone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return fromLocal(y, m, d, Math.floor(last.end / 60), last.end % 60, cal.timezone);
}
