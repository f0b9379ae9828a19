import { BLANK_TICKET } from '../domain/event-payloads.js';
import { canonicalJson, same } from '../domain/events.js';
import { emailSearchKey, phoneSearchKey } from '../domain/phone.js';
import type { Deadline, Ticket } from '../domain/ticket.js';
import type { Selectable } from 'kysely';
import type { DeadlinesTable, TicketsTable } from './schema.js';

// A ticket as its row (schema 4): the fields the office queries are columns, the few others one
// small JSON text (`rest`) holding only what differs from a blank ticket, and no field twice. The
// ticket given here is *sealed*: its personal fields hold seals (domain/personal.ts); the three
// clear copies kept for search and lists, and the phone and email search keys (schema 6), come
// from the clear ticket beside it.

type Row = Omit<TicketsTable, 'id'>;
type StoredRow = Omit<Selectable<TicketsTable>, 'id'>;

/** Fields stored whole in a column of their own. Everything else lives in `rest`. */
const COLUMN_FIELDS = [
  'no', 'type', 'status', 'severity', 'severitySuggested', 'urgent', 'channel', 'category', 'unit', 'assignee', 'subject',
  'amountCents', 'receivedAt', 'closedAt', 'reopenCount', 'resolutionMinutes', 'compensationCents', 'loggedAt', 'loggedBy',
  'cycle', 'cycleStart', 'replyCount', 'lastReplyAt', 'callbackAttempts', 'customerDue',
] as const satisfies readonly (keyof Ticket)[];

const IN_COLUMNS = new Set<string>(COLUMN_FIELDS);
const REST_FIELDS = Object.keys(BLANK_TICKET).filter((f) => f !== 'deadlines' && !IN_COLUMNS.has(f)) as (keyof Ticket)[];

/** The row of a ticket: `sealed` for everything stored, `clear` for the search copies. */
export function ticketRow(sealed: Ticket, clear: Pick<Ticket, 'complainant' | 'description' | 'demand'>): Row {
  const rest: Record<string, unknown> = {};
  for (const field of REST_FIELDS) {
    const v = sealed[field];
    if (!same(v, BLANK_TICKET[field])) rest[field] = v;
  }
  return {
    no: sealed.no,
    status: sealed.status,
    severity: sealed.severity,
    severity_suggested: sealed.severitySuggested,
    urgent: sealed.urgent ? 1 : 0,
    on_hold: sealed.hold ? 1 : 0,
    channel: sealed.channel,
    category: sealed.category,
    unit: sealed.unit,
    assignee: sealed.assignee,
    complainant_name: clear.complainant.name,
    subject: sealed.subject,
    description: clear.description,
    demand: clear.demand,
    amount_cents: sealed.amountCents,
    received_at: sealed.receivedAt,
    closed_at: sealed.closedAt,
    reopen_count: sealed.reopenCount,
    resolution_minutes: sealed.resolutionMinutes,
    compensation_cents: sealed.compensationCents,
    survey_score: sealed.survey?.score ?? null,
    survey_at: sealed.survey?.at ?? null,
    logged_at: sealed.loggedAt,
    logged_by: sealed.loggedBy,
    cycle: sealed.cycle,
    cycle_start: sealed.cycleStart,
    reply_count: sealed.replyCount,
    last_reply_at: sealed.lastReplyAt,
    callback_attempts: sealed.callbackAttempts,
    customer_due: sealed.customerDue,
    rest: canonicalJson(rest),
    type: sealed.type,
    phone_key: clear.complainant.phone === null ? null : phoneSearchKey(clear.complainant.phone),
    email_key: clear.complainant.email === null ? null : emailSearchKey(clear.complainant.email),
  };
}

/** The sealed ticket a row and its deadline rows hold. Throws on a `rest` that is not JSON (verify catches it). */
export function rowTicket(row: StoredRow, deadlineRows: readonly DeadlinesTable[]): Ticket {
  const rest = JSON.parse(row.rest) as Partial<Ticket>;
  const deadlines: Record<string, Deadline> = {};
  for (const d of deadlineRows) deadlines[d.key] = rowDeadline(d);
  // The columns after `rest`: a field is in one or the other, and a column is never overridden.
  return {
    ...BLANK_TICKET,
    ...rest,
    no: row.no,
    type: row.type,
    status: row.status as Ticket['status'],
    severity: row.severity as Ticket['severity'],
    severitySuggested: row.severity_suggested as Ticket['severitySuggested'],
    urgent: row.urgent === 1,
    channel: row.channel as Ticket['channel'],
    category: row.category as Ticket['category'],
    unit: row.unit,
    assignee: row.assignee,
    subject: row.subject,
    amountCents: row.amount_cents,
    receivedAt: row.received_at,
    closedAt: row.closed_at,
    reopenCount: row.reopen_count,
    resolutionMinutes: row.resolution_minutes,
    compensationCents: row.compensation_cents,
    loggedAt: row.logged_at,
    loggedBy: row.logged_by,
    cycle: row.cycle,
    cycleStart: row.cycle_start,
    replyCount: row.reply_count,
    lastReplyAt: row.last_reply_at,
    callbackAttempts: row.callback_attempts,
    customerDue: row.customer_due,
    deadlines,
  };
}

export function deadlineRow(ticketId: number, key: string, dl: Deadline): DeadlinesTable {
  return {
    ticket_id: ticketId, key, stage: dl.stage, cycle: dl.cycle, due: dl.due, done_at: dl.doneAt, void: dl.void ? 1 : 0, clock: dl.clock,
    start: dl.start, minutes: dl.minutes, pausable: dl.pausable ? 1 : 0, cap: dl.cap, agreed: dl.agreed,
  };
}

export function rowDeadline(d: DeadlinesTable): Deadline {
  return {
    stage: d.stage as Deadline['stage'], cycle: d.cycle, start: d.start, minutes: d.minutes, clock: d.clock, pausable: d.pausable === 1,
    cap: d.cap, agreed: d.agreed, due: d.due, doneAt: d.done_at, void: d.void === 1,
  };
}
