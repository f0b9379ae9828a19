import type { Policy } from '../domain/lifecycle.js';
import { DEFAULT_SLA, type SlaPolicy } from '../domain/sla.js';
import { computeZoneOffsets, installZoneOffsets, type ZoneOffsets } from '../domain/time.js';
import { defaultCalendar, type OfficeCalendar, type Window } from '../domain/working-time.js';
import type { Store } from './database.js';

// Office settings live in `settings` (JSON values) and `calendar_days`; absent keys mean defaults.

export function readSetting<T>(store: Store, key: string): T | undefined {
  const row = store.first(store.qb.selectFrom('settings').select('value').where('key', '=', key));
  return row === undefined ? undefined : (JSON.parse(row.value) as T);
}

/** Writes a setting; call inside a transaction that also appends the audit event. */
export function writeSetting(store: Store, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  store.run(
    store.qb.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })),
  );
}

/** The office timezone is fixed when the database is created: the system's then (SPEC §4). */
export function initialiseSettings(store: Store, systemTimezone: string): void {
  store.transact(() => {
    store.run(
      store.qb.insertInto('settings').values({ key: 'timezone', value: JSON.stringify(systemTimezone) }).onConflict((oc) => oc.doNothing()),
    );
    rememberZoneOffsets(store, readSetting<string>(store, 'timezone') ?? systemTimezone);
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
export function rememberZoneOffsets(store: Store, timezone: string): void {
  const stored = readSetting<ZoneOffsets>(store, ZONE_OFFSETS);
  if (stored && stored.zone === timezone && stored.tzdata === tzdataVersion()) return;
  writeSetting(store, ZONE_OFFSETS, computeZoneOffsets(timezone, OFFSETS_FROM, OFFSETS_TO, tzdataVersion()));
}

function tzdataVersion(): string {
  return process.versions.tz ?? `icu ${process.versions.icu ?? 'unknown'}`;
}

export function loadCalendar(store: Store): OfficeCalendar {
  const timezone = readSetting<string>(store, 'timezone') ?? 'UTC';
  const offsets = readSetting<ZoneOffsets>(store, ZONE_OFFSETS);
  if (offsets && offsets.zone === timezone && offsets.tzdata === tzdataVersion()) installZoneOffsets(offsets);
  const base = defaultCalendar(timezone);
  const week = readSetting<Window[][]>(store, 'week') ?? base.week;
  const workdayHours = readSetting<Window[]>(store, 'workday_hours') ?? base.workdayHours;
  const minutesPerWorkingDay = readSetting<number>(store, 'minutes_per_working_day') ?? base.minutesPerWorkingDay;
  const holidays = new Set<string>();
  const extraWorkdays = new Set<string>();
  for (const d of store.all(store.qb.selectFrom('calendar_days').select(['date', 'kind']))) {
    (d.kind === 'holiday' ? holidays : extraWorkdays).add(d.date);
  }
  return { timezone, week, workdayHours, minutesPerWorkingDay, holidays, extraWorkdays };
}

export function loadSla(store: Store): SlaPolicy {
  return readSetting<SlaPolicy>(store, 'sla') ?? DEFAULT_SLA;
}

export function loadPolicy(store: Store): Policy {
  return { calendar: loadCalendar(store), sla: loadSla(store) };
}

/** Marks dates closed or worked; a date is one or the other, so marking replaces the other kind. */
export function markCalendarDays(store: Store, dates: Iterable<string>, kind: 'holiday' | 'workday', source: string): void {
  const upsert = store.statement(
    'INSERT INTO calendar_days (date, kind, source) VALUES (?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, source = excluded.source',
  );
  for (const date of dates) upsert.run(date, kind, source);
}

/** Takes back dates marked as `kind`; a date marked as the other kind stays. */
export function unmarkCalendarDays(store: Store, dates: Iterable<string>, kind: 'holiday' | 'workday'): void {
  const remove = store.statement('DELETE FROM calendar_days WHERE date = ? AND kind = ?');
  for (const date of dates) remove.run(date, kind);
}
