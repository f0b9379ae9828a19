import type { SelectQueryBuilder } from 'kysely';
import type { Ticket } from '../domain/ticket.js';
import { emailSearchKey, phoneSearchKey } from '../domain/phone.js';
import { findTicketsById } from './tickets.js';
import type { Schema } from './schema.js';
import type { Db } from './store.js';

export interface TicketFilter {
  statuses?: readonly string[];
  units?: readonly string[];
  severities?: readonly string[];
  categories?: readonly string[];
  channels?: readonly string[];
  /** Ticket types (complaint, inquiry...). */
  types?: readonly string[];
  assignees?: readonly string[];
  onHold?: boolean;
  receivedFrom?: number;
  receivedBefore?: number;
  /**
   * Free text over subject, description, demand and complainant name, Chinese included; text that
   * reads as a phone or an email also finds the tickets of that phone or email (schema 6's keys).
   */
  search?: string;
  /** The complainant's phone, as its search key (domain/phone.ts phoneSearchKey). */
  phoneKey?: string;
}

/** The search keys a free-text search also looks up: a phone's, an email's, or none. */
function contactKeysOf(text: string): { phone?: string; email?: string } {
  const plain = text.normalize('NFKC').trim();
  if (plain.includes('@')) {
    const email = emailSearchKey(plain);
    return email === null ? {} : { email };
  }
  // Only text made of a phone's characters: `2026` finds the key 2026 of an old `2026` phone, harmlessly.
  if (!/^[+\d\s\-.()]+$/.test(plain) || !/\d{3}/.test(plain.replace(/\D/g, ''))) return {};
  const phone = phoneSearchKey(plain);
  return phone === null ? {} : { phone };
}

type TicketQuery<O> = SelectQueryBuilder<Schema, 'tickets', O>;

function applyFilter<O>(db: Db, q: TicketQuery<O>, f: TicketFilter): TicketQuery<O> {
  if (f.statuses?.length) q = q.where('tickets.status', 'in', f.statuses);
  if (f.units?.length) q = q.where('tickets.unit', 'in', f.units);
  if (f.severities?.length) q = q.where('tickets.severity', 'in', f.severities);
  if (f.categories?.length) q = q.where('tickets.category', 'in', f.categories);
  if (f.channels?.length) q = q.where('tickets.channel', 'in', f.channels);
  if (f.types?.length) q = q.where('tickets.type', 'in', f.types);
  if (f.assignees?.length) q = q.where('tickets.assignee', 'in', f.assignees);
  if (f.onHold !== undefined) q = q.where('tickets.on_hold', '=', f.onHold ? 1 : 0);
  if (f.receivedFrom !== undefined) q = q.where('tickets.received_at', '>=', f.receivedFrom);
  if (f.receivedBefore !== undefined) q = q.where('tickets.received_at', '<', f.receivedBefore);
  if (f.phoneKey !== undefined) q = q.where('tickets.phone_key', '=', f.phoneKey);
  if (f.search !== undefined) {
    const text = f.search;
    const keys = contactKeysOf(text);
    q = q.where((eb) => eb.or([
      db.searchCondition(text),
      ...(keys.phone === undefined ? [] : [eb('tickets.phone_key', '=', keys.phone)]),
      ...(keys.email === undefined ? [] : [eb('tickets.email_key', '=', keys.email)]),
    ]));
  }
  return q;
}

export async function listTickets(db: Db, filter: TicketFilter, limit: number): Promise<{ tickets: Ticket[]; total: number }> {
  const base = applyFilter(db, db.qb.selectFrom('tickets').select(['tickets.id']), filter);
  const rows = await db.all(base.orderBy('tickets.received_at', 'desc').orderBy('tickets.id', 'desc').limit(limit));
  const counted = await db.first(applyFilter(db, db.qb.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')), filter));
  const tickets = await findTicketsById(db, rows.map((r) => r.id));
  return { tickets: tickets.map((s) => s.ticket), total: counted?.n ?? 0 };
}

/** A ticket not yet closed from the same phone or email as a new one (issue 12: the second complaint). */
export interface OpenSameContact {
  no: string;
  receivedAt: number;
  /** Which of the two matched: both when the phone and the email did. */
  by: 'phone' | 'email' | 'both';
}

/**
 * The tickets still open (not closed) whose complainant has the phone or email given, newest
 * first, at most `limit`: two index lookups, never a scan.
 */
export async function openTicketsOfContact(
  db: Db, contact: { phone: string | null; email: string | null }, limit = 5,
): Promise<OpenSameContact[]> {
  const phone = contact.phone === null ? null : phoneSearchKey(contact.phone);
  const email = contact.email === null ? null : emailSearchKey(contact.email);
  if (phone === null && email === null) return [];
  const rows = await db.all(db.qb.selectFrom('tickets').select(['no', 'received_at', 'phone_key', 'email_key'])
    .where((eb) => eb.or([
      ...(phone === null ? [] : [eb('phone_key', '=', phone)]),
      ...(email === null ? [] : [eb('email_key', '=', email)]),
    ]))
    .where('status', '<>', 'closed')
    .orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit));
  return rows.map((r) => {
    const byPhone = phone !== null && r.phone_key === phone;
    const byEmail = email !== null && r.email_key === email;
    return { no: r.no, receivedAt: r.received_at, by: byPhone && byEmail ? 'both' : byPhone ? 'phone' : 'email' };
  });
}

/**
 * The tickets whose close awaits approval (issue 13 §4), oldest request first. The approval lives
 * in the row's `rest` JSON: the open rows that mention a pending state are read and checked.
 */
export async function pendingApprovals(db: Db): Promise<Ticket[]> {
  const rows = await db.all(db.qb.selectFrom('tickets').select(['id']).where('closed_at', 'is', null).where('rest', 'like', '%"pending"%'));
  const tickets = (await findTicketsById(db, rows.map((r) => r.id))).map((s) => s.ticket);
  return tickets
    .filter((t) => t.approval?.state === 'pending')
    .sort((a, b) => a.approval!.requestedAt - b.approval!.requestedAt || (a.no < b.no ? -1 : 1));
}
