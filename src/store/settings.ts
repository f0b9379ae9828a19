import { sql } from 'kysely';
import { computeZoneOffsets, installZoneOffsets, type ZoneOffsets } from '../domain/time.js';
import { defaultCalendar, type OfficeCalendar, type Window } from '../domain/working-time.js';
import type { Db, Store } from './store.js';

// Office settings live in `settings` (JSON values) and `calendar_days`; absent keys mean defaults.

/** The office's language (issue 12): spoken when neither a flag, COMPLAINTS_LANG nor the locale chose one. */
export const OFFICE_LANGUAGE = 'language';
/** The office's name, as `complaints init` or `office set name` gave it. */
export const OFFICE_NAME = 'office_name';

export async function readSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.first(db.qb.selectFrom('settings').select('value').where('key', '=', key));
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

/** Writes a setting; call inside a transaction that also appends the audit event. */
export async function writeSetting(db: Db, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db.run(
    db.qb.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })),
  );
}

/** Sets the timezone unless the file has one (a file made without `complaints init`: the store's own tests). */
export function initialiseSettings(store: Store, systemTimezone: string): Promise<void> {
  return store.transact(async (db) => {
    await db.run(
      db.qb.insertInto('settings').values({ key: 'timezone', value: JSON.stringify(systemTimezone) }).onConflict((oc) => oc.doNothing()),
    );
    await rememberZoneOffsets(db, (await readSetting<string>(db, 'timezone')) ?? systemTimezone);
  });
}

const ZONE_OFFSETS = 'timezone_offsets';
// Deadlines and reports live in these years; outside them Intl answers as before.
const OFFSETS_FROM = Date.UTC(1990, 0, 1);
const OFFSETS_TO = Date.UTC(2070, 0, 1);

/**
 * Keeps the office zone's offsets in the file so that commands start without loading ICU's zone
 * data (see time.ts). Written when the zone is set or the calendar changes; ignored when the
 * machine's tz database is not the one it was read from.
 */
export async function rememberZoneOffsets(db: Db, timezone: string): Promise<void> {
  const stored = await readSetting<ZoneOffsets>(db, ZONE_OFFSETS);
  if (stored && stored.zone === timezone && stored.tzdata === tzdataVersion()) return;
  await writeSetting(db, ZONE_OFFSETS, computeZoneOffsets(timezone, OFFSETS_FROM, OFFSETS_TO, tzdataVersion()));
}

function tzdataVersion(): string {
  return process.versions.tz ?? `icu ${process.versions.icu ?? 'unknown'}`;
}

/** Several settings in one query (every command reads the calendar's five): key → parsed value, absent keys left out. */
async function readSettings(db: Db, keys: readonly string[]): Promise<Map<string, unknown>> {
  const rows = await db.all(db.qb.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys));
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export async function loadCalendar(db: Db): Promise<OfficeCalendar> {
  return (await loadCalendarWith(db, [])).calendar;
}

/**
 * The calendar, and other settings read in the same query: every command that changes a ticket
 * reads the calendar and the procedure's version together (store/procedure.ts loadPolicy).
 */
export async function loadCalendarWith(db: Db, also: readonly string[]): Promise<{ calendar: OfficeCalendar; also: Map<string, unknown> }> {
  const stored = await readSettings(db, ['timezone', ZONE_OFFSETS, 'week', 'workday_hours', 'minutes_per_working_day', ...also]);
  const timezone = (stored.get('timezone') as string | undefined) ?? 'UTC';
  const offsets = stored.get(ZONE_OFFSETS) as ZoneOffsets | undefined;
  if (offsets && offsets.zone === timezone && offsets.tzdata === tzdataVersion()) installZoneOffsets(offsets);
  const base = defaultCalendar(timezone);
  const week = (stored.get('week') as Window[][] | undefined) ?? base.week;
  const workdayHours = (stored.get('workday_hours') as Window[] | undefined) ?? base.workdayHours;
  const minutesPerWorkingDay = (stored.get('minutes_per_working_day') as number | undefined) ?? base.minutesPerWorkingDay;
  const holidays = new Set<string>();
  const extraWorkdays = new Set<string>();
  for (const d of await db.all(db.qb.selectFrom('calendar_days').select(['date', 'kind']))) {
    (d.kind === 'holiday' ? holidays : extraWorkdays).add(d.date);
  }
  return { calendar: { timezone, week, workdayHours, minutesPerWorkingDay, holidays, extraWorkdays }, also: stored };
}

/** Marks dates closed or worked; a date is one or the other, so marking replaces the other kind. */
export async function markCalendarDays(db: Db, dates: Iterable<string>, kind: 'holiday' | 'workday', source: string): Promise<void> {
  for (const date of dates) {
    await db.run(sql`INSERT INTO calendar_days (date, kind, source) VALUES (${date}, ${kind}, ${source})
      ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, source = excluded.source`);
  }
}

/** Takes back dates marked as `kind`; a date marked as the other kind stays. */
export async function unmarkCalendarDays(db: Db, dates: Iterable<string>, kind: 'holiday' | 'workday'): Promise<void> {
  for (const date of dates) await db.run(sql`DELETE FROM calendar_days WHERE date = ${date} AND kind = ${kind}`);
}
