import { addDays, fromLocal, type Instant } from './time.js';
import { windowsOn, type OfficeCalendar } from './working-time.js';

/**
 * A bare date given as a deadline (`--due 2026-11-30`, `extend --to`) means the end of that day's
 * working hours (SPEC §3). On a closed day it means the end of the last working day before it:
 * the stricter reading, since nobody will be there to finish on the day itself.
 */
export function endOfWorkingDay(cal: OfficeCalendar, date: string): Instant {
  for (let d = date, i = 0; i < 366; d = addDays(d, -1), i++) {
    const windows = windowsOn(cal, d);
    const last = windows.at(-1);
    if (last) {
      const [y, m, day] = d.split('-').map(Number) as [number, number, number];
      return fromLocal(y, m, day, Math.floor(last.end / 60), last.end % 60, cal.timezone);
    }
  }
  const [y, m, day] = date.split('-').map(Number) as [number, number, number];
  return fromLocal(y, m, day, 23, 59, cal.timezone);
}
