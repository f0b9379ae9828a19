import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Context } from '../cli/context.js';
import { readBoundedFile } from '../cli/bounded-file.js';
import type { IcsDays } from '../cli/ics.js';
import { parseYear, printable } from '../cli/input.js';
import { ICS_LIMITS, isDateWithinBounds, timeBounds, type TimeBounds } from '../domain/bounds.js';
import { UsageError, CannotDo } from '../domain/errors.js';
import { WEEKDAY_NAMES, formatWindows, parseDates, parseWeekdays, parseWindows } from '../domain/office-hours.js';
import { isValidTimeZone } from '../domain/time.js';
import type { OfficeCalendar, Window } from '../domain/working-time.js';
import { lookup, t } from '../messages/index.js';
import type { Db } from '../store/store.js';
import { recomputeOpenDeadlines, recordSettingChange } from '../store/recompute.js';
import { loadPolicy } from '../store/procedure.js';
import { loadCalendar, markCalendarDays, rememberZoneOffsets, unmarkCalendarDays, writeSetting } from '../store/settings.js';
import { display } from '../ui/cells.js';
import { formatMinutes } from '../ui/format.js';
import { renderTable } from '../ui/table.js';
import { printJson } from '../ui/ticket-json.js';

/**
 * Runs one calendar change and, in the same transaction, recomputes the deadlines of open
 * tickets: a holiday added today moves tomorrow's due times. `write` reads what it changes inside
 * the transaction, so two administrators changing different days at once both keep their change,
 * and returns the before and after that the audit event records.
 */
async function changeCalendar(ctx: Context, setting: string, write: (db: Db) => Promise<{ before: unknown; after: unknown }>): Promise<number> {
  const store = await ctx.store();
  const now = ctx.now();
  return store.transact(async (db) => {
    const { before, after } = await write(db);
    await rememberZoneOffsets(db, (await loadCalendar(db)).timezone);
    await recordSettingChange(db, { actor: ctx.actor, at: now, setting, before, after });
    return recomputeOpenDeadlines(db, await loadPolicy(db), { actor: ctx.actor, at: now, recordedAt: now, reason: `calendar: ${setting}`, reallocate: false });
  });
}

/** The calendar as saved, read on its own: for reading what was typed before the change is made. */
async function savedCalendar(ctx: Context): Promise<OfficeCalendar> {
  return (await ctx.store()).read(loadCalendar);
}

function expectWord(value: string, word: string): void {
  if (value.toLowerCase() !== word) throw new UsageError('bad_word', { value, accepted: word });
}

export async function show(ctx: Context, options: { year?: string; json?: boolean }): Promise<void> {
  const cal = await savedCalendar(ctx);
  const year = options.year === undefined ? undefined : String(parseYear('--year', options.year, ctx.now(), cal.timezone));
  const inYear = (d: string): boolean => year === undefined || d.startsWith(`${year}-`);
  const holidays = [...cal.holidays].filter(inYear).sort();
  const workdays = [...cal.extraWorkdays].filter(inYear).sort();
  if (options.json) {
    printJson(ctx.io.out, {
      timezone: cal.timezone,
      week: Object.fromEntries(WEEKDAY_NAMES.map((name, i) => [name, formatWindows(cal.week[i] ?? [])])),
      workday_hours: formatWindows(cal.workdayHours),
      hours_per_working_day: cal.minutesPerWorkingDay / 60,
      holidays,
      extra_workdays: workdays,
    });
    return;
  }
  const hoursText = (windows: Parameters<typeof formatWindows>[0]): string => (windows.length === 0 ? t('calendar_closed') : formatWindows(windows));
  const rows = [
    [t('label_timezone'), display(cal.timezone)],
    ...WEEKDAY_NAMES.map((name, i) => [`${t('label_week')} ${lookup(`calendar_weekday_${name}`) ?? name}`, hoursText(cal.week[i] ?? [])]),
    [t('label_workday_hours'), hoursText(cal.workdayHours)],
    [t('label_working_day'), formatMinutes(cal.minutesPerWorkingDay)],
    [t('label_holidays'), holidays.length ? compactDates(holidays) : t('none')],
    [t('label_extra_workdays'), workdays.length ? compactDates(workdays) : t('none')],
  ];
  ctx.io.out(renderTable([{ head: '' }, { head: '', wrap: { min: 24 } }], rows, { width: ctx.io.width ?? 100, heads: false }));
}

/** Runs of consecutive dates as ranges, a few per line: the National Day week is one item. */
function compactDates(dates: readonly string[]): string {
  const runs: string[] = [];
  let start = dates[0]!;
  let prev = start;
  const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const d of [...dates.slice(1), '']) {
    if (d !== '' && d === next(prev)) {
      prev = d;
      continue;
    }
    runs.push(start === prev ? start : `${start}..${prev}`);
    start = d;
    prev = d;
  }
  const lines: string[] = [];
  for (let i = 0; i < runs.length; i += 4) lines.push(runs.slice(i, i + 4).join(', '));
  return lines.join('\n');
}

export async function hours(ctx: Context, setWord: string, daysSpec: string, windowsSpec: string): Promise<void> {
  expectWord(setWord, 'set');
  const days = parseWeekdays(daysSpec);
  const windows = parseWindows(windowsSpec);
  const count = await changeCalendar(ctx, 'week', async (db) => {
    const before = (await loadCalendar(db)).week;
    const week: Window[][] = before.map((w) => [...w]);
    for (const d of days) week[d] = windows;
    await writeSetting(db, 'week', week);
    // Make-up days work a normal weekday: they follow Monday's hours (or the first working weekday's).
    const normal = [1, 2, 3, 4, 5, 6, 0].map((d) => week[d]!).find((w) => w.length > 0) ?? [];
    await writeSetting(db, 'workday_hours', normal);
    return { before, after: week };
  });
  ctx.io.out(t('calendar_hours_set', { days: days.map((d) => WEEKDAY_NAMES[d]).join(','), windows: formatWindows(windows) }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}

async function changeDates(ctx: Context, kind: 'holiday' | 'workday', verb: string, specs: readonly string[], source = 'office'): Promise<void> {
  const action = verb.toLowerCase();
  if (action !== 'add' && action !== 'remove') throw new UsageError('bad_word', { value: verb, accepted: 'add or remove' });
  const parsed = specs.map((spec) => ({ spec, dates: parseDates(spec) }));
  const bounds = timeBounds(ctx.now(), (await savedCalendar(ctx)).timezone);
  for (const { spec, dates } of parsed) {
    if (!isDateWithinBounds(bounds, dates[0]!) || !isDateWithinBounds(bounds, dates.at(-1)!)) {
      throw new UsageError('date_out_of_range', { field: 'dates', value: printable(spec), first: bounds.firstDate, last: bounds.lastDate });
    }
  }
  const dates = parsed.flatMap((p) => p.dates);
  const count = await changeCalendar(ctx, kind === 'holiday' ? 'holidays' : 'extra_workdays', async (db) => {
    if (action === 'add') await markCalendarDays(db, dates, kind, source);
    else await unmarkCalendarDays(db, dates, kind);
    return { before: action === 'remove' ? dates : null, after: action === 'add' ? dates : null };
  });
  ctx.io.out(t('calendar_dates_changed', { verb: t(action === 'add' ? 'calendar_added' : 'calendar_removed'), count: dates.length, kind: lookup(`calendar_kind_${kind}`) ?? kind, dates: compactDates([...dates].sort()).replace(/\n/g, ', ') }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}

export function holiday(ctx: Context, verb: string, dates: string[]): Promise<void> {
  return changeDates(ctx, 'holiday', verb, dates);
}

export function workday(ctx: Context, verb: string, dates: string[]): Promise<void> {
  return changeDates(ctx, 'workday', verb, dates);
}

// The official schedule (国务院办公厅 notices) as packaged by the chinese-days npm package, one JSON
// file per year: { holidays: {date: name}, workdays: {date: name} }.
const PRESET_SOURCE = 'chinese-days (State Council holiday notices)';

function presetDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('chinese-days/package.json')), 'dist', 'years');
}

export function presetYears(): { first: number; last: number } {
  const years = readdirYears();
  return { first: Math.min(...years), last: Math.max(...years) };
}

function readdirYears(): number[] {
  return readdirSync(presetDirectory()).filter((f) => /^\d{4}\.json$/.test(f)).map((f) => Number(f.slice(0, 4)));
}

export function loadPresetYear(year: number): { holidays: string[]; workdays: string[] } | null {
  try {
    const data = JSON.parse(readFileSync(join(presetDirectory(), `${year}.json`), 'utf8')) as { holidays?: Record<string, string>; workdays?: Record<string, string> };
    return { holidays: Object.keys(data.holidays ?? {}).sort(), workdays: Object.keys(data.workdays ?? {}).sort() };
  } catch {
    return null;
  }
}

export async function preset(ctx: Context, country: string, yearText: string): Promise<void> {
  if (country.toLowerCase() !== 'cn') throw new UsageError('bad_choice', { field: 'country', value: country, accepted: 'cn' });
  const year = parseYear('year', yearText, ctx.now(), (await savedCalendar(ctx)).timezone);
  const data = loadPresetYear(year);
  if (data === null) throw new CannotDo('no_preset_year', { year, ...presetYears() });
  const count = await changeCalendar(ctx, 'preset', async (db) => {
    await markCalendarDays(db, data.holidays, 'holiday', `preset cn ${year}`);
    await markCalendarDays(db, data.workdays, 'workday', `preset cn ${year}`);
    return { before: null, after: { country: 'cn', year } };
  });
  ctx.io.out(t('calendar_preset_loaded', { holidays: data.holidays.length, workdays: data.workdays.length, year, source: PRESET_SOURCE }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}

/**
 * `calendar import HOLIDAYS.ics [--workdays WORKDAYS.ics]`: holidays and make-up working days in
 * one transaction. A date the import marks both ways is refused before anything is written: which
 * one the office means is for a person to say.
 */
export async function importIcs(ctx: Context, file: string, options: { workdays?: string } = {}): Promise<void> {
  // Read (and the size refused) before the database is opened: a file that can never load leaves no trace.
  const mainText = readBoundedFile(file, ICS_LIMITS.bytes, { unreadable: 'ics_unreadable', tooLarge: 'ics_too_large' });
  const extraText = options.workdays === undefined ? null : readBoundedFile(options.workdays, ICS_LIMITS.bytes, { unreadable: 'ics_unreadable', tooLarge: 'ics_too_large' });
  const zone = (await savedCalendar(ctx)).timezone;
  const bounds: TimeBounds = timeBounds(ctx.now(), zone);
  const main = await parseIcs(file, mainText, bounds, zone, false);
  const extra = options.workdays === undefined || extraText === null ? null : await parseIcs(options.workdays, extraText, bounds, zone, true);
  const holidays = main.holidays;
  const workdays = [...new Set([...main.workdays, ...(extra?.workdays ?? [])])].sort();
  const holidaySet = new Set(holidays);
  const both = workdays.find((d) => holidaySet.has(d));
  if (both !== undefined) throw new UsageError('ics_conflicting_date', { date: both });
  const files = [file, ...(options.workdays === undefined ? [] : [options.workdays])];
  const source = `ics ${files.join(' ')}`;
  const count = await changeCalendar(ctx, 'holidays', async (db) => {
    await markCalendarDays(db, holidays, 'holiday', source);
    await markCalendarDays(db, workdays, 'workday', source);
    return { before: null, after: { imported: files, holidays: holidays.length, workdays: workdays.length } };
  });
  ctx.io.out(t('calendar_ics_loaded', { holidays: holidays.length, workdays: workdays.length, file: files.map((f) => display(f)).join(t('ics_file_separator')) }));
  const skipped = main.skippedTimed + (extra?.skippedTimed ?? 0);
  if (skipped > 0) ctx.io.out(t('calendar_ics_skipped_timed', { count: skipped }));
  const cancelled = main.skippedCancelled + (extra?.skippedCancelled ?? 0);
  if (cancelled > 0) ctx.io.out(t('calendar_ics_skipped_cancelled', { count: cancelled }));
  const outside = main.outside + (extra?.outside ?? 0);
  if (outside > 0) ctx.io.out(t('calendar_ics_outside', { count: outside, first: bounds.firstDate, last: bounds.lastDate }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}

async function parseIcs(file: string, text: string, bounds: TimeBounds, zone: string, allWorkdays: boolean): Promise<IcsDays> {
  const { calendarDays, IcsTooBig } = await import('../cli/ics.js');
  try {
    return calendarDays(text, { ...ICS_LIMITS, first: bounds.firstDate, last: bounds.lastDate }, { zone, allWorkdays });
  } catch (e) {
    if (e instanceof IcsTooBig) throw new UsageError(e.what === 'events' ? 'ics_too_many_events' : 'ics_too_many_dates', { file, max: e.limit });
    throw new UsageError('ics_unreadable', { file, reason: (e as Error).message.split('\n')[0] ?? '' });
  }
}

export async function timezone(ctx: Context, setWord: string, zone: string): Promise<void> {
  expectWord(setWord, 'set');
  if (!isValidTimeZone(zone)) throw new UsageError('unknown_timezone', { field: 'zone', value: zone });
  const count = await changeCalendar(ctx, 'timezone', async (db) => {
    const before = (await loadCalendar(db)).timezone;
    await writeSetting(db, 'timezone', zone);
    return { before, after: zone };
  });
  ctx.io.out(t('calendar_timezone_set', { zone }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}
