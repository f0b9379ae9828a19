// Turning what was typed into domain values. Every rejection is a UsageError naming the field and
// what is accepted; nothing here touches the database.
import { isDateWithinBounds, isWithinBounds, isYearWithinBounds, MAX_AMOUNT_CENTS, timeBounds, yearBounds, type TimeBounds } from '../domain/bounds.js';
import { UsageError } from '../domain/errors.js';
import { SEVERITIES, type Severity } from '../domain/model.js';
import { activeCodes, type ListItem, type ListName } from '../domain/procedure.js';
import { endOfWorkingDay } from '../domain/office-dates.js';
import { isDeadlineLength, isDurationWithinBounds, maxDurationText, parseDuration, type Duration } from '../domain/sla.js';
import type { Instant, TimeInput } from '../domain/time.js';
import { formatLocal, parseTimeInput, startOfLocalDay } from '../domain/time.js';
import type { OfficeCalendar } from '../domain/working-time.js';
import { readPhone } from '../domain/phone.js';
import { BIDI, CONTROL, foldWidth, INVISIBLE, normaliseLineBreaks, REPLACEMENT, trimInvisible } from '../domain/text.js';
import { en } from '../messages/en.js';
import { lookup, t, type MessageKey } from '../messages/index.js';
import { display } from '../ui/cells.js';
import { joinItems } from '../ui/format.js';

// The year is read with any number of digits so that C1-00001 is refused naming the years, not the form.
const TICKET_NO = /^\s*C?(\d{1,4})-0*(\d{1,9})\s*$/i;

// Every number, phone, amount, ticket number and time read here goes through foldWidth
// (domain/text.ts): full-width forms from a Chinese input method read as plain. Free text is kept as typed.

/**
 * `c2026-42`, `C2026-00042` and `2026-42` all name C2026-00042: clerks type what they hear. The
 * year is the year the ticket was logged, so it lies in the range every logged time does.
 */
export function parseTicketNo(value: string, now: Instant = Date.now()): string {
  const m = TICKET_NO.exec(foldWidth(value));
  if (!m || Number(m[2]) === 0) throw new UsageError('bad_ticket_no', { value: printable(value) });
  // The office timezone is not known before the database is open; a day's difference at New Year
  // does not matter ten years out.
  const years = yearBounds(new Date(now).getUTCFullYear());
  if (!isYearWithinBounds(years, Number(m[1]))) {
    throw new UsageError('ticket_year_out_of_range', { value: printable(value), first: years.firstYear, last: years.lastYear });
  }
  return `C${m[1]}-${m[2]!.padStart(5, '0')}`;
}

/**
 * `named`: what the refusal offers, when not every accepted value is (a list's retired codes).
 * `labels`: the words the accepted values are also known by, offered as the nearest when closer.
 */
export function parseChoice<T extends string>(
  field: string, value: string, accepted: readonly T[], named: readonly string[] = accepted, labels: readonly string[] = [],
): T {
  const normalised = value.trim().toLowerCase().replace(/_/g, '-');
  const found = accepted.find((a) => a.toLowerCase() === normalised || a.toLowerCase().replace(/_/g, '-') === normalised);
  if (found === undefined) {
    const params = { field, value: printable(value), accepted: named.join(', ') };
    const near = nearest(value, [...named, ...labels]);
    if (near.length === 0) throw new UsageError('bad_choice', params);
    throw new UsageError('bad_choice_near', { ...params, suggestion: joinItems(near) });
  }
  return found;
}

/** A choice as compared for nearness: full-width folded, case and _/- not counted. */
const choiceForm = (text: string): string => text.trim().normalize('NFKC').toLowerCase().replace(/_/g, '-');

/**
 * The candidates nearest to what was typed, when near enough to be a slip of the keyboard or of an
 * input method: at most one edit (a letter or character wrong, missing, extra, or two swapped),
 * two for candidates of eight characters or more. Several when equally near (重耍: 重要 or 重大?).
 */
export function nearest(value: string, candidates: readonly string[]): string[] {
  const typed = [...choiceForm(value)];
  if (typed.length === 0) return [];
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    const form = [...choiceForm(candidate)];
    const d = editDistance(typed, form);
    if (d === 0 || d > (form.length >= 8 ? 2 : 1)) continue;
    if (d < best) [best, found] = [d, [candidate]];
    else if (d === best && !found.some((f) => choiceForm(f) === choiceForm(candidate))) found.push(candidate);
  }
  return found;
}

/** Edits from a to b (Damerau–Levenshtein, adjacent swaps counting one), by character. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

export const TEXT_LIMITS = { line: 200, name: 100, text: 10_000 } as const;
export type TextKind = keyof typeof TEXT_LIMITS;

// Tab and line feed are the only controls long text may hold (CR is normalised away first); a
// one-line value (a name, a unit, an email) holds none, nor the Unicode line separators.
function hasControl(text: string, kind: TextKind): boolean {
  return kind === 'text' ? CONTROL.test(text.replace(/[\t\n]/g, '')) : CONTROL.test(text) || /[\u2028\u2029]/.test(text);
}

/**
 * The one rule for text that enters the office's records, from a flag, a prompt or the environment:
 * valid UTF-8, no controls (long text may hold line breaks and tabs; its CRLF and CR become LF), no
 * direction overrides, not made only of invisible characters, within the kind's length. Trimmed of
 * whitespace and invisible characters at both ends; null when blank.
 */
function acceptText(field: string, value: string, kind: TextKind): string | null {
  if (value.includes(REPLACEMENT)) throw new UsageError('text_not_utf8', { field });
  const text = kind === 'text' ? normaliseLineBreaks(value) : value;
  if (hasControl(text, kind)) {
    throw new UsageError(kind === 'text' ? 'text_control' : 'text_control_line', { field });
  }
  if (BIDI.test(text)) throw new UsageError('text_bidi', { field });
  const visible = trimInvisible(text);
  if (visible === '') {
    if (text.trim() === '') return null;
    throw new UsageError('text_invisible', { field });
  }
  const max = TEXT_LIMITS[kind];
  const length = [...visible].length;
  if (length > max) throw new UsageError('text_too_long', { field, max, length });
  return visible;
}

/** Checked text (see acceptText), or null when absent or blank. `required` makes blank text an error. */
export function parseText(
  field: string,
  value: string | undefined,
  options: { kind: TextKind; required?: boolean },
): string | null {
  if (value === undefined) return null;
  const text = acceptText(field, value, options.kind);
  if (text === null && options.required) throw new UsageError('empty_text', { field });
  return text;
}

export function requireText(field: string, value: string | undefined, kind: TextKind): string {
  const text = parseText(field, value, { kind, required: true });
  if (text === null) throw new UsageError('missing_field', { field });
  return text;
}

// A comma is a thousands separator only where it can be nothing else: after one to three digits
// and before each further group of exactly three (1,200 and 12,345.50). `99,99` is 99.99 to most
// of the world and 9,999 to a strict reader; guessing either would change a claim a hundredfold.
const AMOUNT_PLAIN = /^(\d+)(?:\.(\d{1,2}))?$/;
// The yuan as an office writes it: `25元`, `¥25`, `￥25` (folded to ¥), `RMB 25`, `25 CNY`,
// `人民币25元`. Any other currency is refused: it would be booked as yuan.
const YUAN = /^(?:(?:¥|rmb|cny|人民币)\s*)?(.*?)(?:\s*(?:元|rmb|cny))?$/i;
// Another currency named: the refusal says the amount is in yuan, not that the number is wrong.
const OTHER_CURRENCY = /[\p{Sc}]|[a-z]{2,}|美元|美金|港币|港元|澳门币|台币|欧元|英镑|日元|韩元|卢布/iu;
const AMOUNT_GROUPED = /^([1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

/**
 * Money in yuan as integer cents: `12`, `12.5`, `1,200.00`, `25元`, `¥1,234.50`, `RMB 25`, `１，２３４．５元`.
 * Never negative, at most two decimals. Text with a comma that is not a clean thousands separator
 * (`99,99`, `1,2345`, `,5`) is refused naming the rule; another currency (`$25`, `25美元`) too.
 */
export function parseAmount(field: string, value: string): number {
  const plain = foldWidth(value).trim();
  const text = YUAN.exec(plain)![1]!.trim();
  const m = AMOUNT_PLAIN.exec(text) ?? AMOUNT_GROUPED.exec(text);
  if (!m) {
    if (/\d/.test(plain) && OTHER_CURRENCY.test(plain)) throw new UsageError('amount_not_yuan', { field, value: printable(value) });
    const key: MessageKey = text.includes(',') ? 'amount_bad_comma' : 'bad_amount';
    throw new UsageError(key, { field, value: printable(value), max: formatCents(MAX_AMOUNT_CENTS) });
  }
  const units = m[1]!.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const cents = units.length > 12 ? Infinity : Number(units) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (cents > MAX_AMOUNT_CENTS) throw new UsageError('amount_too_large', { field, value: printable(value), max: formatCents(MAX_AMOUNT_CENTS) });
  return cents;
}

/** 99999999999999 -> '999,999,999,999.99', for messages. */
function formatCents(cents: number): string {
  const units = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${units}.${String(cents % 100).padStart(2, '0')}`;
}

export function parseWholeNumber(field: string, value: string, min: number, max: number): number {
  const text = foldWidth(value);
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError('bad_whole_number', { field, value: printable(value), min, max });
  }
  return n;
}

export function parseScore(value: string): number {
  const text = foldWidth(value);
  const n = /^\s*[1-5]\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n)) throw new UsageError('bad_score', { value: printable(value) });
  return n;
}

/**
 * A complainant's phone (domain/phone.ts): a mainland mobile or a landline with its area code,
 * `+86`/`0086` allowed, or + and another country's code; kept in its clean form
 * (`13800138000`, `010-12345678-801`, `+44 20 7946 0958`). A refusal names the rule it broke.
 */
export function parsePhone(value: string, field = '--phone'): string {
  const text = acceptText(field, value, 'line') ?? '';
  const reading = text.length > 40 ? { ok: false as const, rule: 'form' as const } : readPhone(text);
  if (!reading.ok) throw new UsageError('bad_phone', { field, value: printable(value), rule: t(`phone_rule_${reading.rule}`) });
  return reading.phone.stored;
}

export function parseEmail(value: string): string {
  const text = acceptText('--email', foldWidth(value), 'line') ?? '';
  // An invisible character inside an address makes a look-alike of someone else's.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) || INVISIBLE.test(text) || text.length > 254) {
    throw new UsageError('bad_email', { value: printable(value) });
  }
  return text;
}

/**
 * Reads a time as the office writes it, refusing text that is not one and a wall time the office
 * clock skips (spring forward) naming the jump. A wall time that happens twice (clocks go back)
 * is the earlier one.
 */
function readTime(field: string, value: string, tz: string, dateNote: string): Exclude<TimeInput, { kind: 'skipped' }> {
  const parsed = parseTimeInput(value, tz);
  if (parsed === null) throw new UsageError('bad_time', { field, value: printable(value), dateNote });
  if (parsed.kind === 'skipped') {
    throw new UsageError('time_skipped', { field, value: `${parsed.date} ${parsed.time}`, zone: tz, from: parsed.from, to: parsed.to });
  }
  return parsed;
}

function outOfRange(field: string, value: string, bounds: TimeBounds, key: MessageKey = 'time_out_of_range'): UsageError {
  return new UsageError(key, { field, value: printable(value), first: bounds.firstDate, last: bounds.lastDate });
}

/**
 * When something happened (`--at`, `--received-at`): a real time, read in the office timezone,
 * never in the future and not before the first year the program keeps. Paper records are entered
 * afterwards, but not before they exist.
 */
export function parsePastTime(field: string, value: string, cal: OfficeCalendar, now: Instant): Instant {
  const parsed = readTime(field, value, cal.timezone, '');
  // A bare date is too vague for when something happened.
  if (parsed.kind === 'date') throw new UsageError('bad_time', { field, value: printable(value), dateNote: '' });
  const at = parsed.at;
  // A minute's grace for clocks that disagree between the clerk's terminal and the file's machine.
  if (at > now + 60_000) throw new UsageError('future_time', { field, value: formatLocal(at, cal.timezone) });
  const bounds = timeBounds(now, cal.timezone);
  if (at < bounds.earliest) throw outOfRange(field, value, bounds, 'past_time_out_of_range');
  return at;
}

/**
 * The moment to judge or report as of (`--as-of`): past or future, within the years the program
 * plans for (a supervisor may ask what will be late next week).
 */
export function parseAsOf(field: string, value: string, cal: OfficeCalendar, now: Instant): Instant {
  const parsed = readTime(field, value, cal.timezone, '');
  if (parsed.kind === 'date') throw new UsageError('bad_time', { field, value: printable(value), dateNote: '' });
  const bounds = timeBounds(now, cal.timezone);
  if (!isWithinBounds(bounds, parsed.at)) throw outOfRange(field, value, bounds);
  return parsed.at;
}

/** A deadline (`--due`, `extend --to`): a time, or a bare date meaning the end of that working day. */
export function parseDeadline(field: string, value: string, cal: OfficeCalendar, now: Instant): Instant {
  const parsed = readTime(field, value, cal.timezone, t('bad_time_date_note'));
  const bounds = timeBounds(now, cal.timezone);
  // The date is checked before its working day is looked for: 9999-12-31 has no next day to end at.
  if (parsed.kind === 'date') {
    if (!isDateWithinBounds(bounds, parsed.date)) throw outOfRange(field, value, bounds);
    return endOfWorkingDay(cal, parsed.date);
  }
  if (!isWithinBounds(bounds, parsed.at)) throw outOfRange(field, value, bounds);
  return parsed.at;
}

/**
 * One end of a period (`list --from/--to`, `report --from/--to`): a time, or a bare date meaning
 * that local midnight. The end of the range is exclusive, so its first instant out is allowed.
 */
export function parsePeriodBound(field: string, value: string, tz: string, now: Instant, dateNote: string): Instant {
  const parsed = readTime(field, value, tz, dateNote);
  const bounds = timeBounds(now, tz);
  if (parsed.kind === 'date') {
    if (!isDateWithinBounds(bounds, parsed.date)) throw outOfRange(field, value, bounds);
    return startOfLocalDay(parsed.date, tz);
  }
  if (parsed.at < bounds.earliest || parsed.at > bounds.end) throw outOfRange(field, value, bounds);
  return parsed.at;
}

/** A four-digit year (`report --year`, `calendar show --year`, `calendar preset cn YEAR`) within the range. */
export function parseYear(field: string, value: string, now: Instant, tz: string): number {
  const bounds = timeBounds(now, tz);
  const text = foldWidth(value);
  const year = /^\s*\d{4}\s*$/.test(text) ? Number(text) : NaN;
  if (!isYearWithinBounds(bounds, year)) {
    throw new UsageError('bad_whole_number', { field, value: printable(value), min: bounds.firstYear, max: bounds.lastYear });
  }
  return year;
}

/** A deadline length (`sla set`, `overdue --within`): `30m`, `2h`, `1d`, `4wh`, `5wd`, at most a year. */
/** `deadline` (an SLA) refuses zero: a stage due the moment it starts is late before anyone can act. */
export function parseDurationText(field: string, value: string, options: { deadline?: boolean } = {}): Duration {
  const duration = parseDuration(foldWidth(value));
  if (duration === null) throw new UsageError('bad_duration', { field, value: printable(value) });
  if (options.deadline && !isDeadlineLength(duration)) throw new UsageError('duration_zero', { field, value: printable(value) });
  if (!isDurationWithinBounds(duration)) throw new UsageError('duration_too_long', { field, value: printable(value), max: maxDurationText() });
  return duration;
}

/** Shows a bad value in an error line without letting control characters or huge text through. */
export function printable(value: string): string {
  const chars = [...display(value, 'line')];
  return chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : chars.join('');
}


export function optionalChoice<T extends string>(field: string, value: string | undefined, accepted: readonly T[]): T | null {
  return value === undefined ? null : parseChoice(field, value, accepted);
}

/**
 * A code of one of the office's lists (domain/procedure.ts), read as parseChoice reads a choice.
 * A new ticket takes only an active code: a retired one is refused saying so. A filter (`inUse:
 * false`) takes any code the list has, retired included, since old tickets still carry it.
 */
export function parseListCode(field: string, value: string, list: readonly ListItem[], options: { inUse: boolean }, name?: ListName): string {
  const all = list.map((i) => i.code);
  const active = activeCodes(list);
  const offered = options.inUse ? active : all;
  const code = codeForLabel(value, list, name) ?? parseChoice(field, value, all, offered, labelsOf(list.filter((i) => offered.includes(i.code)), name));
  if (options.inUse && !active.includes(code)) throw new UsageError('list_code_retired', { field, value: printable(value), accepted: active.join(', ') });
  return code;
}

/**
 * The code a label names (issue 12: `--channel 电话`, `--via 上门`): the office's own label in either
 * language, or the catalogue's, in English or in the language spoken. Full-width forms count as their
 * plain ones (NFKC), case does not count.
 */
function codeForLabel(value: string, list: readonly ListItem[], name: ListName | undefined): string | undefined {
  const wanted = value.trim().normalize('NFKC').toLowerCase();
  return list.find((i) => labelsOf([i], name).some((label) => label.normalize('NFKC').toLowerCase() === wanted))?.code;
}

/** Every label the items go by: the office's own in either language, the catalogue's in English and in the language spoken. */
function labelsOf(items: readonly ListItem[], name: ListName | undefined): string[] {
  const catalogue = en as Readonly<Record<string, string>>;
  return items.flatMap((i) => [i.labels.en, i.labels.zh, ...(name === undefined ? [] : [lookup(`list_${name}_${i.code}`), catalogue[`list_${name}_${i.code}`]])])
    .filter((label): label is string => label != null && label !== '');
}

/**
 * A choice by its code or by the word output shows for it (`重要` for important, `处理中` for
 * in_progress, `等待投诉人` for waiting-customer), in the language spoken or in English: what a reader
 * sees in a table can be typed back. `key` names the catalogue entry of each code's word.
 */
export function parseWordedChoice<T extends string>(field: string, value: string, accepted: readonly T[], key: (code: T) => string): T {
  const catalogue = en as Readonly<Record<string, string>>;
  const words = (code: T): string[] => [lookup(key(code)), catalogue[key(code)]].filter((w): w is string => w !== undefined);
  const wanted = choiceForm(value);
  const byWord = accepted.find((code) => words(code).some((w) => choiceForm(w) === wanted));
  return byWord ?? parseChoice(field, value, accepted, accepted, accepted.flatMap(words));
}

/** A severity by its code or its word (`--severity 重要`). */
export function optionalSeverity(field: string, value: string | undefined): Severity | null {
  return value === undefined ? null : parseWordedChoice(field, value, SEVERITIES, (s) => `severity_${s}`);
}

/** A deadline column of the SLA: a severity's word, or urgent's (紧急). */
export function slaColumnWord(column: string): string {
  return column === 'urgent' ? 'procedure_urgent_word' : `severity_${column}`;
}

export function optionalListCode(field: string, value: string | undefined, list: readonly ListItem[], name?: ListName): string | null {
  return value === undefined ? null : parseListCode(field, value, list, { inUse: true }, name);
}

/** A stage's code as typed: `Site-Visit` is `site_visit` (a stage's code joins words with _ only). */
export function stageCode(text: string): string {
  return text.trim().toLowerCase().replace(/-/g, '_');
}
