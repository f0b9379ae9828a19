import type { Context } from '../cli/context.js';
import { parseText, parseTicketNo } from '../cli/input.js';
import { mayDecide, rankToDecide } from '../domain/approval.js';
import { CannotDo } from '../domain/errors.js';
import { approveClose, rejectClose } from '../domain/lifecycle.js';
import { limitRole } from '../domain/people.js';
import { currentDeadline, type Ticket } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { textOrAsk } from './ask.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

// `approve` and `reject`: a close awaiting approval decided (issue 13 §4). Either one needs someone
// whose rank and approval limit cover the request; the permission table's row (supervisor) is only
// the first gate.

/** Refuses, naming the rank needed, a decision the person may not make; the domain refuses one not pending. */
function requireMayDecide(ctx: Context, ticket: Ticket): void {
  const approval = ticket.approval;
  if (approval === null || approval.state !== 'pending') return;
  const limits = ctx.access().limits;
  if (mayDecide(limitRole(ctx.identity()), approval, limits)) return;
  throw new CannotDo('approve_needs_rank', {
    command: ctx.command, no: ticket.no, rank: t(`role_${rankToDecide(approval, limits)}`), login: ctx.identity().login,
  });
}

export async function approve(ctx: Context, ticketArg: string, options: ChangeOptions & { note?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const note = parseText('--note', options.note, { kind: 'text' });
  await ctx.store();
  // The report counts approved amounts by the approver's rank; the sole person of a single-person office is all of them.
  const rank = limitRole(ctx.identity()) ?? 'director';
  const changed = await changeTicket(ctx, ticketArg, options, 'approved', { note, rank }, (ticket, at, policy) => {
    requireMayDecide(ctx, ticket);
    return approveClose(ticket, { by: ctx.actor, note }, at, policy);
  });
  const tz = changed.policy.calendar.timezone;
  const due = currentDeadline(changed.ticket, 'callback')?.due ?? null;
  reportChange(ctx, changed, options.json, t('approval_approved_line', {
    no: changed.ticket.no, at: formatLocal(changed.at, tz), due: due === null ? t('none') : formatLocal(due, tz),
  }));
}

export async function reject(ctx: Context, ticketArg: string, options: ChangeOptions & { reason?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const reason = await textOrAsk(ctx, '--reason', options.reason, 'text', 'prompt_reason');
  await ctx.store();
  const changed = await changeTicket(ctx, ticketArg, options, 'approval_rejected', { reason }, (ticket, at, policy) => {
    requireMayDecide(ctx, ticket);
    return rejectClose(ticket, { by: ctx.actor, reason }, at, policy);
  });
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? null;
  reportChange(ctx, changed, options.json, t('approval_rejected_line', {
    no: changed.ticket.no, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
  }));
}
