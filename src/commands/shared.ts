import type { Context } from '../cli/context.js';
import { parsePastTime, parseTicketNo } from '../cli/input.js';
import type { Policy } from '../domain/lifecycle.js';
import type { EventKind } from '../domain/model.js';
import type { Ticket } from '../domain/ticket.js';
import type { Instant } from '../domain/time.js';
import { loadPolicy } from '../store/procedure.js';
import { loadTicket, recordTicketChange } from '../store/tickets.js';
import { display } from '../ui/cells.js';
import { printJson, ticketDocument } from '../ui/ticket-json.js';
import { ticketAsSeen } from '../domain/masking.js';
import { seesPersonalData } from '../domain/people.js';

export interface ChangeOptions {
  at?: string;
  json?: boolean;
}

export interface Changed {
  ticket: Ticket;
  policy: Policy;
  at: Instant;
}

/**
 * The common shape of every command that changes one ticket: in one write transaction read the
 * policy, load the ticket, apply the domain operation and record row + event together. The policy is
 * read inside it so that a calendar or SLA change saved meanwhile is the one applied.
 */
export async function changeTicket(
  ctx: Context,
  ticketArg: string,
  options: ChangeOptions,
  kind: EventKind,
  details: Record<string, unknown>,
  operation: (ticket: Ticket, at: Instant, policy: Policy) => Ticket,
): Promise<Changed> {
  const no = parseTicketNo(ticketArg);
  const store = await ctx.store();
  const now = ctx.now();
  return store.transact(async (db) => {
    const policy = await loadPolicy(db);
    const at = options.at === undefined ? now : parsePastTime('--at', options.at, policy.calendar, now);
    const existing = await loadTicket(db, no);
    // A handler acts on their own unit's tickets only (issue 13 §3), read in this transaction.
    ctx.requireUnit(existing.ticket.unit);
    const after = operation(existing.ticket, at, policy);
    const ticket = (await recordTicketChange(db, existing, after, { kind, actor: ctx.actor, at, recordedAt: now, details, procedure: policy.procedureVersion })).ticket;
    return { ticket, policy, at };
  });
}

/** `--json` prints the ticket document; otherwise one confirmation line. */
export function reportChange(ctx: Context, changed: Changed, json: boolean | undefined, line: string): void {
  if (json) {
    // The one who changed a ticket of another unit (a clerk's reply) still sees its contact details masked.
    const shown = ticketAsSeen(changed.ticket, seesPersonalData(ctx.identity(), changed.ticket.unit));
    printJson(ctx.io.out, ticketDocument(shown.ticket, changed.policy.calendar.timezone, ctx.now(), shown));
  }
  // The line may quote the stored ticket (its number, its unit).
  else ctx.io.out(display(line));
}
