import { foldWidth } from './text.js';

// A complainant's phone number as a clerk types it (issue 12 item 2): one office calls back on
// it, and a caller is found by it again, however it was written. Mainland numbers follow the
// national numbering plan (a mobile is 11 digits 1[3-9]…; a landline is an area code 0xx/0xxx and
// a 7–8 digit number, maybe an extension); a number from elsewhere starts with + and its
// country code. Pure: the CLI turns a refusal into its message.

export type PhoneKind = 'mobile' | 'landline' | 'foreign';

export interface Phone {
  kind: PhoneKind;
  /** As kept on the ticket: `13800138000`, `010-12345678`, `010-12345678-801`, `+44 20 7946 0958`. */
  stored: string;
  /** What finds it again: country code and national number, digits only, no extension (`8613800138000`). */
  key: string;
}

/**
 * Why a text is not a phone, each the rule a clerk must hear: `mobile` (starts with 1 but is not
 * 11 digits 1[3-9]…), `area_code` (a landline without its area code), `landline` (an area code
 * with too few or too many digits after it), `foreign` (+ and a country code, then too few or too
 * many digits), `form` (anything else: letters, too few digits).
 */
export type PhoneRule = 'mobile' | 'area_code' | 'landline' | 'foreign' | 'form';

export type PhoneReading = { ok: true; phone: Phone } | { ok: false; rule: PhoneRule };

// What may stand between digits: spaces (full-width ones fold to plain, foldWidth), dashes, dots,
// brackets and slashes.
const SEPARATORS = /[\s\-.()/\u2010-\u2015\u2212]+/g;
// An extension at the end: `转801`, `ext 801`, `ext. 801`, `x801`, `#801`, or a third dash group
// after a landline (`021-12345678-801`, handled below).
const EXTENSION = /(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$/i;
const MOBILE = /^1[3-9]\d{9}$/;
// The three-digit area codes: 010 (Beijing) and 02x; every other area code has four digits.
const SHORT_AREA = /^0(?:10|2\d)/;

/** Reads a phone as typed (full-width forms already folded or not: folded here). */
export function readPhone(typed: string): PhoneReading {
  let text = foldWidth(typed).trim();
  let extension: string | null = null;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1]!;
    text = text.slice(0, ext.index).trim();
  }
  // `(+86) 139…`: the country code in brackets.
  text = text.replace(/^\((\+\d{1,3})\)/, '$1 ');
  if (!/^\+?[\d\s\-.()/\u2010-\u2015\u2212]+$/.test(text)) return { ok: false, rule: 'form' };
  const plus = text.startsWith('+');
  // `+44 (0)20 …`: the bracketed trunk 0 is dialled only inside the country.
  if (plus) text = text.replace(/\(0\)/, ' ');
  let digits = text.replace(/^\+/, '').replace(SEPARATORS, '');
  if (!plus && digits.startsWith('0086')) return mainland(digits.slice(4), extension, true);
  if (plus && digits.startsWith('86')) return mainland(digits.slice(2), extension, true);
  if (plus || digits.startsWith('00')) {
    if (!plus) digits = digits.slice(2);
    return foreign(text, digits, extension);
  }
  // A landline's extension as a third group: the dash groups as typed, not the digits.
  if (extension === null && digits.startsWith('0')) {
    const groups = text.split(/[\s\-.]+/).map((g) => g.replace(/[()]/g, '')).filter((g) => g !== '');
    if (groups.length === 3 && /^0\d{2,3}$/.test(groups[0]!) && /^\d{7,8}$/.test(groups[1]!) && /^\d{1,6}$/.test(groups[2]!)) {
      return mainland(groups[0]! + groups[1]!, groups[2]!, false);
    }
  }
  return mainland(digits, extension, false);
}

/**
 * A mainland number, its national digits. After +86 the area code's trunk 0 is dropped
 * (`+86 10 1234 5678`), though some type it anyway (`+86 (0)10 …`).
 */
function mainland(digits: string, extension: string | null, international: boolean): PhoneReading {
  if (digits.length < 3) return { ok: false, rule: 'form' };
  // Beijing's area code 10 starts like a mobile, but a mobile's second digit is 3–9.
  const national = international && !digits.startsWith('0') && !/^1[3-9]/.test(digits) ? `0${digits}` : digits;
  if (!national.startsWith('0')) {
    if (MOBILE.test(national) && extension === null) return { ok: true, phone: { kind: 'mobile', stored: national, key: `86${national}` } };
    // Near a mobile's length it was meant as one; a local landline's length, without its area code.
    if (national.startsWith('1') && national.length >= 10 && national.length <= 12) return { ok: false, rule: 'mobile' };
    return { ok: false, rule: !international && /^\d{7,8}$/.test(national) ? 'area_code' : international ? 'mobile' : 'form' };
  }
  const areaLength = SHORT_AREA.test(national) ? 3 : 4;
  const area = national.slice(0, areaLength);
  const number = national.slice(areaLength);
  // A local number never starts with 0 and has 8 digits behind a 3-digit area code, 7 or 8 behind a 4-digit one.
  const fits = areaLength === 3 ? /^[1-9]\d{7}$/.test(number) : /^[1-9]\d{6,7}$/.test(number);
  if (!/^0[1-9]/.test(area) || !fits) return { ok: false, rule: 'landline' };
  const stored = `${area}-${number}${extension === null ? '' : `-${extension}`}`;
  return { ok: true, phone: { kind: 'landline', stored, key: `86${area.slice(1)}${number}` } };
}

/**
 * A number from another country: + (or 00), a country code (never starting with 0), and in all at
 * most 15 digits (ITU-T E.164), at least 8 (a code and a short national number). Kept with the
 * groups as typed, separators made single spaces: the office cannot know every country's plan.
 */
function foreign(text: string, digits: string, extension: string | null): PhoneReading {
  if (!/^[1-9]\d{7,14}$/.test(digits)) return { ok: false, rule: 'foreign' };
  const groups = text.replace(/^(\+|00)/, '').split(SEPARATORS).filter((g) => g !== '');
  const stored = `+${groups.join(' ')}${extension === null ? '' : ` ext ${extension}`}`;
  return { ok: true, phone: { kind: 'foreign', stored, key: digits } };
}

/**
 * The search key of any phone a ticket holds, including one kept as typed before these rules
 * (`123`, `555-0100`): its digits, so the same typing finds it again. Null when it has none.
 * Every ticket row keeps it and verify recomputes it: a change here needs a migration that fills
 * the keys again, as schema 6 first filled them.
 */
export function phoneSearchKey(phone: string): string | null {
  const reading = readPhone(phone);
  if (reading.ok) return reading.phone.key;
  const digits = phone.normalize('NFKC').replace(/\D/g, '');
  return digits === '' ? null : digits;
}

/** An email's search key: the address trimmed, in lower case (folded full-width forms too). */
export function emailSearchKey(email: string): string | null {
  const key = email.normalize('NFKC').trim().toLowerCase();
  return key === '' ? null : key;
}
