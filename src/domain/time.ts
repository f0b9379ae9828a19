import { foldWidth } from './text.js';

/**
 * Instants and the office timezone. Inside the program a time is always an epoch-millisecond
 * instant; the office's wall clock appears only at the edges (parsing what a clerk types,
 * day boundaries, display). Time-zone rules come from the platform's Intl data, nothing else.
 */

/** Epoch milliseconds, UTC. */
export type Instant = number;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/**
 * What a clerk typed for a time: an instant, a bare date (its meaning depends on use), or a wall
 * time the office clock skips when it goes forward (02:30 on 2026-03-29 in Berlin): `from` and
 * `to` are the wall times of the jump ('02:00', '03:00').
 */
export type TimeInput =
  | { kind: 'instant'; at: Instant }
  | { kind: 'date'; date: string }
  | { kind: 'skipped'; date: string; time: string; from: string; to: string };

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
// ECMAScript's Date range; Intl refuses anything outside it.
const MAX_INSTANT = 8.64e15;

// ---------------------------------------------------------------------------------------------
// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01). Date.UTC is
// avoided because it maps years 0–99 to 1900–1999.

function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact for every year, no floating point surprises.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function weekdayOfDays(days: number): number {
  // 1970-01-01 was a Thursday.
  return (((days + 4) % 7) + 7) % 7;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatDate(year: number, month: number, day: number): string {
  const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The last date a 'YYYY-MM-DD' can name: a walk or an expansion over dates stops here. */
export const LAST_DATE = '9999-12-31';

function parseDate(date: string): { year: number; month: number; day: number } | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function parseDateOrThrow(date: string): { year: number; month: number; day: number } {
  const parsed = parseDate(date);
  if (!parsed) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parsed;
}

export function isValidDate(date: string): boolean {
  return parseDate(date) !== null;
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  const { year, month, day } = parseDateOrThrow(date);
  const c = civilFromDays(daysFromCivil(year, month, day) + n);
  return formatDate(c.year, c.month, c.day);
}

export function weekdayOf(date: string): number {
  const { year, month, day } = parseDateOrThrow(date);
  return weekdayOfDays(daysFromCivil(year, month, day));
}

// ---------------------------------------------------------------------------------------------
// Offsets from Intl. Building a DateTimeFormat costs far more than using one, so one per zone.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(tz: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(tz);
  if (!f) {
    // 'longOffset' hands us the offset itself ("GMT+08:00", "GMT+08:05:43" for local mean time),
    // so the wall clock can be derived without trusting Intl's rendering of years or eras.
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    offsetFormatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  if (zoneTables.has(tz)) return true;
  try {
    offsetFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

// The formatted text ends with the offset, e.g. "11/16/2026, GMT+08:00"; format() is about three
// times faster than formatToParts(), and this runs for every conversion.
const OFFSET_RE = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

function checkInstant(t: Instant): void {
  if (!Number.isFinite(t) || Math.abs(t) > MAX_INSTANT) throw new RangeError(`not a valid instant: ${t}`);
}

/** Offset of `tz` from UTC at `t`, in milliseconds (local = UTC + offset): from the zone's table when one is installed, else Intl. */
function intlOffsetMs(t: Instant, tz: string): number {
  const table = zoneTables.get(tz);
  if (table !== undefined && t >= table.from && t < table.to) return tableOffset(table, t);
  return icuOffsetMs(t, tz);
}

function icuOffsetMs(t: Instant, tz: string): number {
  const text = offsetFormatter(tz).format(t);
  const m = OFFSET_RE.exec(text);
  if (!m) throw new Error(`unexpected offset text ${JSON.stringify(text)} from Intl for ${tz}`);
  if (!m[1]) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * MS_PER_MINUTE + Number(m[4] ?? 0) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Zone offset tables. The first Intl formatter of a process costs 15-20 ms (ICU loads its zone
// data), a fifth of a command's whole start-up. The office has one timezone, so its offsets over
// the years that matter are worked out once, kept in the database, and installed at start-up;
// Intl answers only outside that range. A table is tied to the tz database version it came from.

export interface ZoneOffsets {
  zone: string;
  /** The tz database version the offsets were read from (process.versions.tz). */
  tzdata: string;
  from: Instant;
  to: Instant;
  /** [instant, offset in ms from then on], sorted; the first is at `from`. */
  changes: [Instant, number][];
}

const zoneTables = new Map<string, ZoneOffsets>();

export function installZoneOffsets(table: ZoneOffsets): void {
  zoneTables.set(table.zone, table);
}

function tableOffset(table: ZoneOffsets, t: Instant): number {
  const changes = table.changes;
  let lo = 0;
  let hi = changes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (changes[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return changes[lo]![1];
}

/**
 * Reads a zone's offsets from Intl over [from, to): sampled daily (no zone changes its offset
 * twice in a day), each change then pinned to the second by bisection.
 */
export function computeZoneOffsets(zone: string, from: Instant, to: Instant, tzdata: string): ZoneOffsets {
  const STEP = 86_400_000;
  const changes: [Instant, number][] = [[from, icuOffsetMs(from, zone)]];
  let prevT = from;
  let prev = changes[0]![1];
  for (let t = from + STEP; t < to; t += STEP) {
    const o = icuOffsetMs(t, zone);
    if (o !== prev) {
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (icuOffsetMs(mid, zone) === prev) lo = mid;
        else hi = mid;
      }
      changes.push([hi, o]);
      prev = o;
    }
    prevT = t;
  }
  return { zone, tzdata, from, to, changes };
}

const lastOffset = new Map<string, number>();

/** As intlOffsetMs, answered from the per-day cache when `t` falls on a day with a single offset. */
function offsetMs(t: Instant, tz: string): number {
  // The day probe looks a day either side; at the very edge of the Date range that would throw.
  if (Math.abs(t) > MAX_INSTANT - 2 * MS_PER_DAY) return intlOffsetMs(t, tz);
  const guess = lastOffset.get(tz) ?? 0;
  const days = Math.floor((t + guess) / MS_PER_DAY);
  const { uniform } = dayOffset(days, tz);
  if (uniform !== null && Math.floor((t + uniform) / MS_PER_DAY) === days) return uniform;
  const o = intlOffsetMs(t, tz);
  lastOffset.set(tz, o);
  return o;
}

/** Minutes east of UTC; fractional only for pre-1900 local mean time (Shanghai was +08:05:43). */
export function offsetMinutes(t: Instant, tz: string): number {
  checkInstant(t);
  return offsetMs(t, tz) / MS_PER_MINUTE;
}

function wallFields(wall: number): LocalDateTime {
  const days = Math.floor(wall / MS_PER_DAY);
  const c = civilFromDays(days);
  const msOfDay = wall - days * MS_PER_DAY;
  // Fields spelled out: an object spread here made toLocal some thirty times slower on V8.
  return {
    year: c.year,
    month: c.month,
    day: c.day,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor((msOfDay % 3_600_000) / MS_PER_MINUTE),
    second: Math.floor((msOfDay % MS_PER_MINUTE) / 1000),
    weekday: weekdayOfDays(days),
  };
}

export function toLocal(t: Instant, tz: string): LocalDateTime {
  checkInstant(t);
  return wallFields(t + offsetMs(t, tz));
}

// ---------------------------------------------------------------------------------------------
// Wall clock -> instant. Almost every local day has one offset throughout, so the offset is found
// once per (zone, day) and reused; only the two transition days a year take the careful path.

interface DayOffset {
  /** The day's single offset, or null when the offset changes during the day. */
  uniform: number | null;
}

const dayOffsetCache = new Map<string, Map<number, DayOffset>>();
const DAY_CACHE_LIMIT = 20_000;

function dayOffset(days: number, tz: string): DayOffset {
  let perZone = dayOffsetCache.get(tz);
  if (!perZone) {
    perZone = new Map();
    dayOffsetCache.set(tz, perZone);
  }
  let entry = perZone.get(days);
  if (!entry) {
    const wall0 = days * MS_PER_DAY;
    const o = intlOffsetMs(wall0 - intlOffsetMs(wall0, tz), tz);
    // Checking both ends and the middle of the local day catches any transition inside it.
    const uniform =
      intlOffsetMs(wall0 - o, tz) === o &&
      intlOffsetMs(wall0 + MS_PER_DAY / 2 - o, tz) === o &&
      intlOffsetMs(wall0 + MS_PER_DAY - 1 - o, tz) === o;
    entry = { uniform: uniform ? o : null };
    if (perZone.size >= DAY_CACHE_LIMIT) perZone.clear();
    perZone.set(days, entry);
  }
  return entry;
}

interface WallReading {
  at: Instant;
  /** Set when the wall time falls in a jump forward: the jump's first and last wall times (as wall ms). */
  skipped: { from: number; to: number } | null;
}

function readWall(wall: number, tz: string): WallReading {
  const days = Math.floor(wall / MS_PER_DAY);
  const { uniform } = dayOffset(days, tz);
  if (uniform !== null) return { at: wall - uniform, skipped: null };
  // A transition day. Try the offsets in force a day either side: each that reproduces the
  // wall clock is a real reading of it.
  const before = intlOffsetMs(wall - MS_PER_DAY, tz);
  const after = intlOffsetMs(wall + MS_PER_DAY, tz);
  const candidates = [before, after].map((o) => wall - o).filter((t) => wall - t === intlOffsetMs(t, tz));
  // Overlap (clocks go back): the wall time happens twice, the earlier reading is meant.
  if (candidates.length > 0) return { at: Math.min(...candidates), skipped: null };
  // Gap (clocks go forward): the jump happens at some instant T with T + before <= wall < T + after,
  // so T lies in [wall - after, wall - before]; pin it to the second.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1000) {
    const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
    if (intlOffsetMs(mid, tz) === before) lo = mid;
    else hi = mid;
  }
  // Read with the old offset, which lands the same distance past the jump: 02:30 in Berlin's
  // missing hour becomes 03:30 summer time. Arithmetic inside the program wants that; what a clerk
  // typed is refused instead (parseTimeInput).
  return { at: wall - before, skipped: { from: hi + before, to: hi + after } };
}

function instantOfWall(wall: number, tz: string): Instant {
  return readWall(wall, tz).at;
}

/**
 * The instant the office clock shows the given wall time. Hours, minutes and seconds may run past
 * their ranges and carry over (hour 24 is the next midnight; minute 540 is 09:00), which lets
 * callers pass minutes-after-midnight directly.
 */
export function fromLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  tz: string,
  second = 0,
): Instant {
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new RangeError(`not a calendar date: ${year}-${month}-${day}`);
  }
  if (!Number.isFinite(hour) || !Number.isFinite(minute) || !Number.isFinite(second)) {
    throw new RangeError(`not a time of day: ${hour}:${minute}:${second}`);
  }
  const wall = daysFromCivil(year, month, day) * MS_PER_DAY + hour * 3_600_000 + minute * MS_PER_MINUTE + second * 1000;
  const t = instantOfWall(wall, tz);
  checkInstant(t);
  return t;
}

export function localDate(t: Instant, tz: string): string {
  const { year, month, day } = toLocal(t, tz);
  return formatDate(year, month, day);
}

/** The first instant of a local day (local midnight, or the end of the jump if midnight is skipped). */
export function startOfLocalDay(date: string, tz: string): Instant {
  const { year, month, day } = parseDateOrThrow(date);
  return fromLocal(year, month, day, 0, 0, tz);
}

function formatOffset(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / MS_PER_MINUTE);
  const s = Math.round((abs % MS_PER_MINUTE) / 1000);
  // Seconds only for historical local mean time; every modern zone is whole minutes.
  return `${sign}${pad2(h)}:${pad2(m)}${s ? `:${pad2(s)}` : ''}`;
}

/** '2026-11-16T10:00:00+08:00'; milliseconds are dropped and UTC is written '+00:00', never 'Z'. */
export function formatIso(t: Instant, tz: string): string {
  checkInstant(t);
  const offset = offsetMs(t, tz);
  const w = wallFields(t + offset);
  return `${formatDate(w.year, w.month, w.day)}T${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}${formatOffset(offset)}`;
}

/** '2026-11-16 10:00' on the office clock. */
export function formatLocal(t: Instant, tz: string): string {
  const w = toLocal(t, tz);
  return `${formatDate(w.year, w.month, w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

// ---------------------------------------------------------------------------------------------

// The office's other ways of writing a date (issue 12 item 2): `2026/11/24` and `2026年11月24日`
// (号 for 日 too), month and day with or without their leading zero. The ISO form stays strict.
// The date ends at a space or T: `2026/1/110:00` is a slip, not 2026-01-11 00:00.
const SLASH_DATE_RE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?=$|[\sT])/;
const CHINESE_DATE_RE = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]/;
// A Chinese time of day after a date: `10:00` with a one-digit hour allowed, `10点`, `10点30`,
// `10点30分` (时 for 点). Not 上午/下午: a twelve-hour clock is where a wrong deadline comes from.
const CHINESE_CLOCK_RE = /^(\d{1,2})[点时](?:(\d{1,2})分?)?$/;
const SHORT_CLOCK_RE = /^(\d{1,2}):(\d{2})(.*)$/;

/**
 * A typed time in the one form TIME_INPUT_RE reads: full-width digits and punctuation from an
 * input method folded (foldWidth), the slash and Chinese dates and clocks rewritten as
 * 'YYYY-MM-DD HH:MM'. Null when a Chinese or slash form is there but broken.
 */
function canonicalTimeText(text: string): string | null {
  const folded = foldWidth(text).trim();
  const m = CHINESE_DATE_RE.exec(folded) ?? SLASH_DATE_RE.exec(folded);
  if (!m) return folded;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const rest = folded.slice(m[0].length).trim();
  if (rest === '') return date;
  const clock = CHINESE_CLOCK_RE.exec(rest);
  if (clock) return `${date} ${clock[1]!.padStart(2, '0')}:${(clock[2] ?? '0').padStart(2, '0')}`;
  const short = SHORT_CLOCK_RE.exec(rest);
  return short ? `${date} ${short[1]!.padStart(2, '0')}:${short[2]}${short[3]}` : null;
}

/** A date as the office writes it (`2026-11-24`, `2026/11/24`, `2026年11月24日`, full-width too) as 'YYYY-MM-DD', or null. */
export function parseDateInput(text: string): string | null {
  const canonical = canonicalTimeText(text);
  return canonical !== null && parseDate(canonical) !== null ? canonical : null;
}

const TIME_INPUT_RE =
  /^(\d{4}-\d{2}-\d{2})(?:(?:T| +)(\d{2}):(\d{2})(?::(\d{2}))? ?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * What a clerk types for a time (SPEC §3): 'YYYY-MM-DD HH:MM', 'T' instead of the space,
 * optional ':SS', optional offset ('+08:00', '+0800', 'Z'), read in `tz` without an offset; the
 * date also as 'YYYY/MM/DD' or 'YYYY年MM月DD日', the clock also as '10点' or '10点30分', and
 * full-width forms from an input method (canonicalTimeText).
 * A bare date stays a date, because its meaning depends on use (a `--due` date means the end of
 * that day's working hours). A wall time the clock skips (spring forward) is 'skipped', for the
 * caller to refuse naming the jump; a wall time that happens twice (autumn, clocks go back) is the
 * earlier of the two, which is when it first showed on the office clock. Anything else, or an
 * impossible date or time, is null.
 */
export function parseTimeInput(text: string, tz: string): TimeInput | null {
  const canonical = canonicalTimeText(text);
  const m = canonical === null ? null : TIME_INPUT_RE.exec(canonical);
  if (!m) return null;
  const date = parseDate(m[1]!);
  if (!date) return null;
  if (m[2] === undefined) return { kind: 'date', date: m[1]! };
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  const second = Number(m[4] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[5];
  if (zone === undefined) {
    const reading = readWall(daysFromCivil(date.year, date.month, date.day) * MS_PER_DAY + hour * 3_600_000 + minute * MS_PER_MINUTE + second * 1000, tz);
    if (reading.skipped !== null) {
      const hhmm = (wall: number): string => {
        const w = wallFields(wall);
        return `${pad2(w.hour)}:${pad2(w.minute)}`;
      };
      return { kind: 'skipped', date: m[1]!, time: `${m[2]}:${m[3]}`, from: hhmm(reading.skipped.from), to: hhmm(reading.skipped.to) };
    }
    return { kind: 'instant', at: reading.at };
  }
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * MS_PER_MINUTE;
  }
  const wall =
    daysFromCivil(date.year, date.month, date.day) * MS_PER_DAY + hour * 3_600_000 + minute * MS_PER_MINUTE + second * 1000;
  const at = wall - offset;
  if (Math.abs(at) > MAX_INSTANT) return null;
  return { kind: 'instant', at };
}
