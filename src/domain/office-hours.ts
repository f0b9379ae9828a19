import { UsageError } from './errors.js';
import { addDays, parseDateInput } from './time.js';
import type { Window } from './working-time.js';
import { foldWidth } from './text.js';

// How the office writes its calendar on the command line: `mon-fri`, `sat`, `mon,wed`;
// `09:00-12:00,13:00-18:00` or `closed`; `2026-10-01` or `2026-10-01..2026-10-07`.

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Weekday numbers (0 = Sunday) named by `mon-fri`, `sat,sun`, `mon,wed-fri`. A range may wrap (`fri-mon`). */
export function parseWeekdays(spec: string, field = 'days'): number[] {
  const days = new Set<number>();
  for (const part of weekdayCodes(spec).toLowerCase().split(',')) {
    const [from, to] = part.trim().split('-');
    const a = WEEKDAY_NAMES.indexOf((from ?? '').slice(0, 3) as never);
    const b = to === undefined ? a : WEEKDAY_NAMES.indexOf(to.slice(0, 3) as never);
    if (a < 0 || b < 0 || (from ?? '').length < 3 || (to !== undefined && to.length < 3)) {
      throw new UsageError('bad_weekdays', { field, value: spec });
    }
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort();
}

const CHINESE_WEEKDAYS: Record<string, string> = { 一: 'mon', 二: 'tue', 三: 'wed', 四: 'thu', 五: 'fri', 六: 'sat', 日: 'sun', 天: 'sun' };

/** The week as the office writes it in Chinese, as the codes: 周一至周五、周六 is mon-fri,sat (as init reads it back). */
function weekdayCodes(spec: string): string {
  return foldWidth(spec)
    .replace(/(?:周|星期|礼拜)([一二三四五六日天])/g, (_, d: string) => CHINESE_WEEKDAYS[d]!)
    .replace(/\s*(?:至|到|~|～)\s*/g, '-')
    .replace(/\s*[、，]\s*/g, ',');
}

/** `09:00-12:00,13:00-18:00` → windows in minutes after midnight; `closed` → none. */
export function parseWindows(typed: string, field = 'hours'): Window[] {
  // Full-width digits and colons from a Chinese input method count as plain (issue 12).
  const spec = foldWidth(typed).replace(/、/g, ',');
  if (spec.trim().toLowerCase() === 'closed') return [];
  const windows = spec.split(',').map((part) => {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part);
    if (!m) throw new UsageError('bad_windows', { field, value: spec });
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || start >= end || end > 24 * 60) throw new UsageError('bad_windows', { field, value: spec });
    return { start, end };
  });
  windows.sort((x, y) => x.start - y.start);
  for (let i = 1; i < windows.length; i++) {
    if (windows[i]!.start < windows[i - 1]!.end) throw new UsageError('bad_windows', { field, value: spec });
  }
  return windows;
}

export function formatWindows(windows: readonly Window[]): string {
  if (windows.length === 0) return 'closed';
  const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return windows.map((w) => `${hhmm(w.start)}-${hhmm(w.end)}`).join(',');
}

/**
 * `2026-10-01` or `2026-10-01..2026-10-07` (inclusive), at most a year at once; each date also as
 * `2026/10/01` or `2026年10月1日` (full-width too).
 */
export function parseDates(spec: string): string[] {
  const [fromText, toText] = foldWidth(spec).trim().split('..');
  const from = fromText === undefined ? null : parseDateInput(fromText);
  const to = toText === undefined ? undefined : parseDateInput(toText);
  if (from === null || to === null) throw new UsageError('bad_dates', { value: spec });
  const last = to ?? from;
  if (last < from) throw new UsageError('bad_dates', { value: spec });
  const dates: string[] = [];
  // Stops at the last date rather than stepping past it: the day after 9999-12-31 is no date at all.
  for (let d = from; ; d = addDays(d, 1)) {
    dates.push(d);
    if (d === last) return dates;
    if (dates.length > 366) throw new UsageError('bad_dates', { value: spec });
  }
}
