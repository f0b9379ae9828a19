import { statSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { parsePastTime, printable, requireText } from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { WEEKDAY_NAMES, formatWindows, parseWeekdays, parseWindows } from '../domain/office-hours.js';
import { isValidTimeZone, toLocal, type Instant } from '../domain/time.js';
import { defaultCalendar, type Window } from '../domain/working-time.js';
import { language, localeLanguage, lookup, setLanguage, t, type Language } from '../messages/index.js';
import { recordSettingChange } from '../store/recompute.js';
import { markCalendarDays, OFFICE_LANGUAGE, OFFICE_NAME, rememberZoneOffsets, writeSetting } from '../store/settings.js';
import type { Store } from '../store/store.js';
import { foldWidth } from '../domain/text.js';
import { display } from '../ui/cells.js';
import { cancellable, validator } from './ask.js';
import { loadPresetYear } from './calendar.js';

// `complaints init` (issue 12 §3): the one command that makes a new office file, set up for the
// office it is for, so that no deadline starts on the server's timezone without holidays.

export interface InitOptions {
  timezone?: string;
  lang?: string;
  days?: string;
  hours?: string;
  holidays?: string;
  name?: string;
  at?: string;
  yes?: boolean;
}

export type HolidaySource = 'cn' | 'none';

/** What a new office is set up with. */
export interface OfficeSetup {
  timezone: string;
  language: Language;
  /** The working days, as `calendar hours set` takes them. */
  days: string;
  hours: string;
  holidays: HolidaySource;
  name: string | null;
}

/** What setting up loaded of the official holidays. */
export interface HolidaysLoaded {
  years: number[];
  holidays: number;
  workdays: number;
  /** Years asked for whose notice is not published yet (not in the shipped data). */
  unpublished: number[];
}

// The zones China's offices are on: the tz database's Shanghai and its old aliases (Xinjiang's
// offices keep Beijing time officially).
const CHINA_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Urumqi', 'PRC']);

export function isChinaZone(zone: string): boolean {
  return CHINA_ZONES.has(zone);
}

/** Beijing time when the locale or the machine says China, else the machine's own zone. */
export function defaultTimezone(env: NodeJS.ProcessEnv, spoken: Language): string {
  const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Chinese chosen by --lang or COMPLAINTS_LANG counts too: a container or CI runs with C.UTF-8 on UTC.
  return localeLanguage(env) === 'zh-CN' || spoken === 'zh-CN' || isChinaZone(system) ? 'Asia/Shanghai' : system;
}

export async function run(ctx: Context, options: InitOptions): Promise<void> {
  refuseExisting(ctx.dbPath);
  const timezone = options.timezone === undefined ? defaultTimezone(process.env, language()) : checkTimezone('--timezone', options.timezone);
  let setup: OfficeSetup = {
    timezone,
    // main.ts has checked --lang and set the language in force: the office's unless told otherwise.
    language: language(),
    days: options.days === undefined ? daysOf(defaultCalendar(timezone).week) : checked(options.days, (v) => parseWeekdays(v, '--days')),
    hours: options.hours === undefined ? formatWindows(defaultCalendar(timezone).workdayHours) : checked(options.hours, (v) => parseWindows(v, '--hours')),
    holidays: options.holidays === undefined ? (isChinaZone(timezone) ? 'cn' : 'none') : parseHolidaySource(options.holidays),
    name: options.name === undefined ? null : requireText('--name', options.name, 'name'),
  };
  const now = ctx.now();
  const at = options.at === undefined ? now : parsePastTime('--at', options.at, defaultCalendar(setup.timezone), now);
  if (!options.yes) {
    if (!ctx.io.canPrompt) throw new UsageError('init_needs_yes', {});
    setup = await ask(ctx, setup);
    ctx.io.out(t('init_readback_title'));
    ctx.io.out(summaryLines(ctx.dbPath, setup, null).join('\n'));
    const p = await ctx.prompter();
    if (!(await cancellable(p.confirm(t('init_confirm'), true)))) throw new CannotDo('cancelled', {});
  }
  const { store, created } = await ctx.createStore();
  // Another init made it between our look and the open: theirs stands.
  if (!created) throw new CannotDo('init_exists', { path: ctx.dbPath });
  const this_year = toLocal(at, setup.timezone).year;
  const loaded = await setUpOffice(store, setup, { actor: ctx.actor, at, years: [this_year, this_year + 1] });
  ctx.io.out(t('init_done', { path: display(ctx.dbPath, 'line') }));
  ctx.io.out(summaryLines(ctx.dbPath, setup, loaded).join('\n'));
  for (const year of loaded.unpublished) ctx.io.out(t('init_holidays_unpublished', { year }));
  ctx.io.out(t('init_next_step'));
}

/** A file that holds anything is an office already: init never touches it. An empty one (made by touch) is not. */
function refuseExisting(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size > 0) throw new CannotDo('init_exists', { path });
}

function checkTimezone(field: string, zone: string): string {
  if (!isValidTimeZone(zone.trim())) throw new UsageError('unknown_timezone', { field, value: printable(zone) });
  return zone.trim();
}

function checked(value: string, parse: (value: string) => unknown): string {
  parse(value);
  return value.trim().toLowerCase();
}

function parseHolidaySource(value: string): HolidaySource {
  const v = foldWidth(value).trim().toLowerCase();
  // As an office says it too: 中国 (China's official holidays), 无 / 不载入 (none).
  if (v === 'cn' || v === '中国') return 'cn';
  if (v === 'none' || v === '无' || v === '不载入') return 'none';
  throw new UsageError('bad_choice', { field: '--holidays', value: printable(value), accepted: 'cn, none' });
}

/** Asks each setting with the defaults worked out; the language first, so the rest is asked in it. */
async function ask(ctx: Context, setup: OfficeSetup): Promise<OfficeSetup> {
  const p = await ctx.prompter();
  const lang = await cancellable(p.select<Language>(t('init_prompt_language'), [
    { value: 'zh-CN', name: t('language_zh_CN') }, { value: 'en', name: t('language_en') },
  ], setup.language));
  await setLanguage(lang);
  const name = (await cancellable(p.input(t('init_prompt_name'), {
    default: setup.name ?? '', validate: (v) => v.trim() === '' || validator((x) => requireText('name', x, 'name'))(v),
  }))).trim();
  const timezone = (await cancellable(p.input(t('init_prompt_timezone'), {
    default: setup.timezone, validate: validator((v) => checkTimezone('timezone', v)),
  }))).trim();
  const days = await cancellable(p.input(t('init_prompt_days'), { default: setup.days, validate: validator(parseWeekdays) }));
  const hours = await cancellable(p.input(t('init_prompt_hours'), { default: setup.hours, validate: validator(parseWindows) }));
  // The default follows the zone just answered: holidays of China for an office on Beijing time.
  const holidays = await cancellable(p.select<HolidaySource>(t('init_prompt_holidays'), [
    { value: 'cn', name: t('init_choice_holidays_cn') }, { value: 'none', name: t('init_choice_holidays_none') },
  ], timezone === setup.timezone ? setup.holidays : isChinaZone(timezone) ? 'cn' : 'none'));
  return {
    timezone, language: lang, days: days.trim().toLowerCase(), hours: hours.trim().toLowerCase(), holidays,
    name: name === '' ? null : requireText('name', name, 'name'),
  };
}

/** The settings as the read-back and the closing summary show them. */
function summaryLines(path: string, setup: OfficeSetup, loaded: HolidaysLoaded | null): string[] {
  const line = (key: Parameters<typeof t>[0], value: string): string => `  ${t('detail_line', { key: t(key), value })}`;
  const holidays = setup.holidays === 'none'
    ? t('init_holidays_not_loaded')
    : loaded === null
      ? t('init_choice_holidays_cn')
      : loaded.years.length === 0
        ? t('init_holidays_not_loaded')
        : t('init_holidays_loaded', { years: loaded.years.join(t('init_years_join')), holidays: loaded.holidays, workdays: loaded.workdays });
  return [
    line('label_file', display(path, 'line')),
    line('label_office_name', setup.name === null ? t('not_set') : display(setup.name, 'line')),
    line('label_timezone', setup.timezone),
    line('label_language', languageName(setup.language)),
    line('label_working_hours', t('init_working_hours', { days: daysInWords(setup.days), hours: setup.hours.split(',').join(t('item_separator')) })),
    line('label_holidays', holidays),
  ];
}

export function languageName(lang: Language): string {
  return t(lang === 'zh-CN' ? 'language_zh_CN' : 'language_en');
}

/** `mon-fri,sat` as a person reads it: Monday–Friday, Saturday (周一至周五、周六). */
function daysInWords(days: string): string {
  const day = (name: string): string => lookup(`calendar_weekday_${name}`) ?? name;
  return days.split(',').map((run) => {
    const [first, last] = run.split('-');
    return last === undefined ? day(first!) : t('init_day_range', { first: day(first!), last: day(last) });
  }).join(t('item_separator'));
}

/** `mon-fri` for the weekdays that have hours, Monday first (the default week says mon-fri). */
function daysOf(week: readonly (readonly Window[])[]): string {
  const order = [1, 2, 3, 4, 5, 6, 0];
  const runs: string[] = [];
  let start: number | null = null;
  let prev = -1;
  const close = (): void => {
    if (start === null) return;
    const a = WEEKDAY_NAMES[order[start]!]!;
    runs.push(start === prev ? a : `${a}-${WEEKDAY_NAMES[order[prev]!]!}`);
    start = null;
  };
  order.forEach((d, i) => {
    if ((week[d] ?? []).length > 0) {
      if (start === null) start = i;
      prev = i;
    } else close();
  });
  close();
  return runs.join(',');
}

/**
 * Writes a new office's settings in one transaction, each audited as a settings change like any
 * later change of it (so `verify` finds every setting accounted for), and loads the official
 * holidays and make-up days of `years` where the shipped notices have them.
 */
export async function setUpOffice(store: Store, setup: OfficeSetup, when: { actor: string; at: Instant; years: readonly number[] }): Promise<HolidaysLoaded> {
  const workingDays = parseWeekdays(setup.days);
  const windows = parseWindows(setup.hours);
  const week: Window[][] = WEEKDAY_NAMES.map((_, d) => (workingDays.includes(d) ? windows : []));
  // Make-up days work a normal weekday, as `calendar hours set` keeps them.
  const workdayHours = [1, 2, 3, 4, 5, 6, 0].map((d) => week[d]!).find((w) => w.length > 0) ?? [];
  const loaded: HolidaysLoaded = { years: [], holidays: 0, workdays: 0, unpublished: [] };
  await store.transact(async (db) => {
    const audit = (setting: string, after: unknown): Promise<void> =>
      recordSettingChange(db, { actor: when.actor, at: when.at, setting, before: null, after });
    await writeSetting(db, 'timezone', setup.timezone);
    await audit('timezone', setup.timezone);
    await rememberZoneOffsets(db, setup.timezone);
    await writeSetting(db, 'week', week);
    await writeSetting(db, 'workday_hours', workdayHours);
    await audit('week', week);
    await writeSetting(db, OFFICE_LANGUAGE, setup.language);
    await audit(OFFICE_LANGUAGE, setup.language);
    if (setup.name !== null) {
      await writeSetting(db, OFFICE_NAME, setup.name);
      await audit(OFFICE_NAME, setup.name);
    }
    if (setup.holidays !== 'cn') return;
    for (const year of when.years) {
      const data = loadPresetYear(year);
      if (data === null) {
        loaded.unpublished.push(year);
        continue;
      }
      await markCalendarDays(db, data.holidays, 'holiday', `preset cn ${year}`);
      await markCalendarDays(db, data.workdays, 'workday', `preset cn ${year}`);
      await audit('preset', { country: 'cn', year });
      loaded.years.push(year);
      loaded.holidays += data.holidays.length;
      loaded.workdays += data.workdays.length;
    }
  });
  return loaded;
}
