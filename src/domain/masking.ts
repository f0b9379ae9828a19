import type { Ticket } from './ticket.js';
import { foldWidth } from './text.js';

// Personal data on a need-to-know basis (issue 13 §5; seed 003 §5.3.2, seed 001 "我们将保证用户的
// 反馈信息的保密性和安全性"). Whoever may not see a complainant's contact details sees enough to
// tell two callers apart and to recognise a number read out on the phone (138****8000), never
// enough to call or write to them. The name stays: the office greets the caller by it, and a name
// alone reaches nobody. Pure: who may see is domain/people.ts seesPersonalData.

/** The complainant's fields that are masked, in the order the ticket shows them. */
export const MASKED_FIELDS = ['phone', 'email', 'address'] as const;
export type MaskedField = (typeof MASKED_FIELDS)[number];

const MASK = '*';

/**
 * Keeps the first `first` and last `last` digits of `text` and masks every other digit;
 * separators stay where they were, so the number keeps the shape it is read aloud in.
 */
function maskDigits(text: string, first: number, last: number): string {
  const count = [...text].filter((ch) => /\d/.test(ch)).length;
  let seen = 0;
  return [...text].map((ch) => {
    if (!/\d/.test(ch)) return ch;
    const i = seen++;
    return i < first || i >= count - last ? ch : MASK;
  }).join('');
}

/**
 * How many digits of a national number stay: the first 3 and the last 4 of a mobile's 11
 * (138****8000, as Chinese carriers and couriers print them); a shorter number keeps less, so that
 * at least about half of it is always hidden.
 */
function kept(digits: number): { first: number; last: number } {
  if (digits >= 11) return { first: 3, last: 4 };
  return { first: Math.min(3, Math.floor(digits / 4)), last: Math.min(4, Math.floor(digits / 3)) };
}

const digitCount = (text: string): number => text.replace(/\D/g, '').length;

/**
 * A phone as stored (domain/phone.ts: a mobile's 11 digits, a landline `021-68888888-801`, a
 * foreign number `+44 20 7946 0958 ext 12`, or text kept as typed before those rules) masked.
 * A landline keeps its area code (a city, not a person) and the last digits of its local number;
 * a foreign number keeps its country code; an extension is hidden whole.
 */
export function maskPhone(phone: string): string {
  const text = foldWidth(phone).trim();
  if (digitCount(text) === 0) return MASK.repeat(4);
  const landline = /^(0\d{2,3})-(\d{7,8})(?:-(\d+))?$/.exec(text);
  if (landline) {
    const [, area, local, extension] = landline as unknown as [string, string, string, string | undefined];
    const masked = maskDigits(local, 0, Math.min(4, Math.floor(local.length / 2)));
    return `${area}-${masked}${extension === undefined ? '' : `-${MASK.repeat(extension.length)}`}`;
  }
  const foreign = /^\+(\d{1,3})\s+(.+?)(?:\s+ext\s+(\d+))?$/.exec(text);
  if (foreign) {
    const [, country, national, extension] = foreign as unknown as [string, string, string, string | undefined];
    const { first, last } = kept(digitCount(national));
    return `+${country} ${maskDigits(national, first, last)}${extension === undefined ? '' : ` ext ${MASK.repeat(extension.length)}`}`;
  }
  const { first, last } = kept(digitCount(text));
  return maskDigits(text, first, last);
}

/** An email masked: the first character of the mailbox, then ***, and the domain (l***@example.com). */
export function maskEmail(email: string): string {
  const text = email.trim();
  const at = text.lastIndexOf('@');
  if (at < 0) return `${[...text][0] ?? ''}${MASK.repeat(3)}`;
  const first = [...text.slice(0, at)][0] ?? '';
  return `${first}${MASK.repeat(3)}${text.slice(at)}`;
}

/**
 * An address masked: its first few characters then ****. A Chinese address starts with the
 * province, city and district, which say where without saying who; at most a third of it, and at
 * most six characters, are kept.
 */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  const keep = Math.min(6, Math.floor(chars.length / 3));
  return `${chars.slice(0, keep).join('').trimEnd()}${MASK.repeat(4)}`;
}

/** The contact fields this ticket holds (what masking hides from whoever may not see them). */
export function personalFieldsOf(ticket: Ticket): MaskedField[] {
  return MASKED_FIELDS.filter((f) => {
    const value = ticket.complainant[f];
    return value !== null && value !== undefined && value !== '';
  });
}

/** The ticket as someone who may not see the complainant's contact details is shown it. */
export function maskTicket(ticket: Ticket): Ticket {
  const who = ticket.complainant;
  const masked = <T extends string | null>(value: T, mask: (v: string) => string): T => (value === null || value === '' ? value : (mask(value) as T));
  return {
    ...ticket,
    complainant: {
      ...who,
      phone: masked(who.phone, maskPhone),
      email: masked(who.email, maskEmail),
      address: masked(who.address, maskAddress),
    },
  };
}

/**
 * The ticket as a reader is shown it: as it is to whoever may see its contact details, masked to
 * anyone else; `masked` says whether anything was hidden (a ticket without contact details hides nothing).
 */
export function ticketAsSeen(ticket: Ticket, sees: boolean): { ticket: Ticket; masked: boolean } {
  if (sees || personalFieldsOf(ticket).length === 0) return { ticket, masked: false };
  return { ticket: maskTicket(ticket), masked: true };
}
