import type { SelectQueryBuilder } from 'kysely';
import type { Ticket } from '../domain/ticket.js';
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
  /** Free text over subject, description, demand and complainant name; Chinese included. */
  search?: string;
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
  if (f.search !== undefined) q = q.where(db.searchCondition(f.search));
  return q;
}

export async function listTickets(db: Db, filter: TicketFilter, limit: number): Promise<{ tickets: Ticket[]; total: number }> {
  const base = applyFilter(db, db.qb.selectFrom('tickets').select(['tickets.id']), filter);
  const rows = await db.all(base.orderBy('tickets.received_at', 'desc').orderBy('tickets.id', 'desc').limit(limit));
  const counted = await db.first(applyFilter(db, db.qb.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')), filter));
  const tickets = await findTicketsById(db, rows.map((r) => r.id));
  return { tickets: tickets.map((s) => s.ticket), total: counted?.n ?? 0 };
}
