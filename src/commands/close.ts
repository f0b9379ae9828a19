import type { Context } from '../cli/context.js';
import { optionalListCode, parseAmount, parseText, parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { approvalNeeded } from '../domain/approval.js';
import { limitRole } from '../domain/people.js';
import { InvalidTransition, UsageError } from '../domain/errors.js';
import { closeTicket, requestClose, type CloseInput } from '../domain/lifecycle.js';
import { activeCodes, APPROVAL_STAGE } from '../domain/procedure.js';
import type { Ticket } from '../domain/ticket.js';
import { formatYuan } from '../ui/format.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { officeLists } from './office-lists.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export interface CloseOptions extends ChangeOptions {
  resolution?: string;
  fault?: string;
  rootCause?: string;
  action?: string;
  compensation?: string;
  compensationKind?: string;
}

export async function run(ctx: Context, ticketArg: string, options: CloseOptions): Promise<void> {
  parseTicketNo(ticketArg);
  const lists = await officeLists(ctx);
  // The codes are checked before anything is asked: a clerk does not type a resolution to be refused after.
  const fault = optionalListCode('--fault', options.fault, lists.fault, 'fault');
  const compensationKind = optionalListCode('--compensation-kind', options.compensationKind, lists.compensation_kind, 'compensation_kind');
  const input: CloseInput = {
    resolution: await textOrAsk(ctx, '--resolution', options.resolution, 'text', 'prompt_resolution'),
    fault,
    rootCause: parseText('--root-cause', options.rootCause, { kind: 'text' }),
    action: parseText('--action', options.action, { kind: 'text' }),
    compensationCents: options.compensation === undefined ? null : parseAmount('--compensation', options.compensation),
    compensationKind,
  };
  // An amount without its kind (or a cash kind without an amount) cannot be reported honestly.
  if (input.compensationCents !== null && input.compensationKind === null) {
    throw new UsageError('needs_flag', { a: '--compensation', b: `--compensation-kind ${activeCodes(lists.compensation_kind).join('|')}` });
  }
  if (input.compensationKind === 'cash' && input.compensationCents === null) {
    throw new UsageError('needs_flag', { a: '--compensation-kind cash', b: '--compensation AMOUNT' });
  }
  const details = {
    resolution: input.resolution, fault: input.fault, root_cause: input.rootCause, action: input.action,
    compensation: input.compensationCents === null ? null : input.compensationCents / 100, compensation_kind: input.compensationKind,
  };
  // Whose close this is, and what the office lets them close alone (issue 13 §4): settled once the
  // store is open. A single-person office has nobody to ask.
  await ctx.store();
  const identity = ctx.identity();
  const access = ctx.access();
  // A limit is a figure: goods or a service given without their value would pass any limit (review).
  if (identity.officeHasPeople && input.compensationKind !== null && input.compensationKind !== 'apology' && input.compensationCents === null) {
    throw new UsageError('needs_flag', { a: `--compensation-kind ${input.compensationKind}`, b: '--compensation AMOUNT' });
  }
  const need = approvalNeeded(limitRole(identity), input, access);
  // A ticket closed with no handler named is the closer's: the handler appraisal (report --by person,
  // seed 002 §7.3) counts it under whoever handled it, not under nobody.
  const handler = identity.person === null ? null : (identity.onBehalfOf ?? identity.login);
  const handled = (ticket: Ticket): Ticket => (handler !== null && ticket.assignee === null ? { ...ticket, assignee: handler } : ticket);
  if (need !== null) {
    const changed = await changeTicket(ctx, ticketArg, options, 'approval_requested', { ...details, needs: need.rank, reasons: need.reasons },
      (ticket, at, policy) => withRankWords(() => requestClose(handled(ticket), input, ctx.actor, at, policy, need)));
    const due = currentDeadline(changed.ticket, APPROVAL_STAGE)?.due ?? null;
    const why = need.reasons.map((r) => (r === 'compensation' ? t('approval_why_compensation', { amount: formatYuan(input.compensationCents) }) : t('approval_why_fault')));
    reportChange(ctx, changed, options.json, t('approval_requested_line', {
      no: changed.ticket.no,
      rank: t(`role_${need.rank}`),
      why: why.length === 2 ? t('approval_why_joined', { a: why[0]!, b: why[1]! }) : why[0]!,
      due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
    }));
    return;
  }
  const changed = await changeTicket(ctx, ticketArg, options, 'closed', details,
    (ticket, at, policy) => withRankWords(() => closeTicket(handled(ticket), input, at, policy)));
  const due = currentDeadline(changed.ticket, 'callback')?.due ?? null;
  reportChange(ctx, changed, options.json, t('closed', { no: changed.ticket.no, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone) }));
}

/** A close refused while one awaits approval names the rank awaited in the language spoken (the domain knows its code only). */
function withRankWords(operation: () => Ticket): Ticket {
  try {
    return operation();
  } catch (e) {
    if (e instanceof InvalidTransition && e.key === 'approval_pending') {
      throw new InvalidTransition('approval_pending', { ...e.params, rank: t(`role_${String(e.params.rank)}` as Parameters<typeof t>[0]) });
    }
    throw e;
  }
}
