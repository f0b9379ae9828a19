import type { Context } from '../cli/context.js';
import { optionalListCode, parseAmount, parseText, parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { UsageError } from '../domain/errors.js';
import { closeTicket, type CloseInput } from '../domain/lifecycle.js';
import { activeCodes } from '../domain/procedure.js';
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
  const changed = await changeTicket(ctx, ticketArg, options, 'closed', details, (ticket, at, policy) => closeTicket(ticket, input, at, policy));
  const due = currentDeadline(changed.ticket, 'callback')?.due ?? null;
  reportChange(ctx, changed, options.json, t('closed', { no: changed.ticket.no, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone) }));
}
