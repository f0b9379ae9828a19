// Turning what was typed into domain values. Every rejection is a UsageError naming the field and
// what is accepted; nothing here touches the database.
import { UsageError } from '../domain/errors.js';
import { endOfWorkingDay } from '../domain/office-dates.js';
import type { Instant } from '../domain/time.js';
import { formatLocal, parseTimeInput } from '../domain/time.js';
import type { OfficeCalendar } from '../domain/working-time.js';
import { BIDI, CONTROL, INVISIBLE, normaliseLineBreaks, REPLACEMENT, trimInvisible } from '../domain/text.js';
import { t } from '../messages/index.js';
import { display } from '../ui/cells.js';

const TICKET_NO = /^\s*C?(\d{4})-0*(\d{1,9})\s*$/i;

/** `c2026-42`, `C2026-00042` and `2026-42` all name C2026-00042: clerks type what they hear. */
export function parseTicketNo(value: string): string {
  const m = TICKET_NO.exec(value);
  if (!m || Number(m[2]) === 0) throw new UsageError('bad_ticket_no', { value: printable(value) });
  return `C${m[1]}-${m[2]!.padStart(5, '0')}`;
}

export function parseChoice<T extends string>(field: string, value: string, accepted: readonly T[]): T {
  const normalised = value.trim().toLowerCase().replace(/_/g, '-');
  const found = accepted.find((a) => a.toLowerCase() === normalised || a.toLowerCase().replace(/_/g, '-') === normalised);
  if (found === undefined) {
    throw new UsageError('bad_choice', { field, value: printable(value), accepted: accepted.join(', ') });
  }
  return found;
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

/** Money as integer cents: `12`, `12.5`, `1,200.00`. Never negative, at most two decimals. */
export function parseAmount(field: string, value: string): number {
  const cleaned = value.trim().replace(/,/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!m) throw new UsageError('bad_amount', { field, value: printable(value) });
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function parseWholeNumber(field: string, value: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError('bad_whole_number', { field, value: printable(value), min, max });
  }
  return n;
}

export function parseScore(value: string): number {
  const n = /^\s*[1-5]\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw new UsageError('bad_score', { value: printable(value) });
  return n;
}

export function parsePhone(value: string): string {
  const text = acceptText('--phone', value, 'line') ?? '';
  if (!/^[+\d][\d\s()+\-./]*$/.test(text) || (text.match(/\d/g) ?? []).length < 3 || text.length > 40) {
    throw new UsageError('bad_phone', { value: printable(value) });
  }
  return text;
}

export function parseEmail(value: string): string {
  const text = acceptText('--email', value, 'line') ?? '';
  // An invisible character inside an address makes a look-alike of someone else's.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) || INVISIBLE.test(text) || text.length > 254) {
    throw new UsageError('bad_email', { value: printable(value) });
  }
  return text;
}

/**
 * When something happened (`--at`, `--received-at`): a real time, read in the office timezone,
 * never in the future. Paper records are entered afterwards, but not before they exist.
 */
export function parsePastTime(field: string, value: string, cal: OfficeCalendar, now: Instant): Instant {
  const parsed = parseTimeInput(value, cal.timezone);
  // A bare date is too vague for when something happened.
  if (parsed === null || parsed.kind === 'date') {
    throw new UsageError('bad_time', { field, value: printable(value), dateNote: '' });
  }
  const at = parsed.at;
  // A minute's grace for clocks that disagree between the clerk's terminal and the file's machine.
  if (at > now + 60_000) throw new UsageError('future_time', { field, value: formatLocal(at, cal.timezone) });
  return at;
}

/** A deadline (`--due`, `extend --to`): a time, or a bare date meaning the end of that working day. */
export function parseDeadline(field: string, value: string, cal: OfficeCalendar): Instant {
  const parsed = parseTimeInput(value, cal.timezone);
  if (parsed === null) {
    throw new UsageError('bad_time', { field, value: printable(value), dateNote: t('bad_time_date_note') });
  }
  return parsed.kind === 'instant' ? parsed.at : endOfWorkingDay(cal, parsed.date);
}

/** Shows a bad value in an error line without letting control characters or huge text through. */
export function printable(value: string): string {
  const chars = [...display(value, 'line')];
  return chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : chars.join('');
}


export function optionalChoice<T extends string>(field: string, value: string | undefined, accepted: readonly T[]): T | null {
  return value === undefined ? null : parseChoice(field, value, accepted);
}
