import type { Context } from '../cli/context.js';
import { parseText, parseTicketNo } from '../cli/input.js';
import { choiceOrAsk } from './ask.js';
import { holdTicket, resumeTicket } from '../domain/lifecycle.js';
import { HOLD_REASONS } from '../domain/model.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { formatMinutes } from '../ui/format.js';
import { holdReasonLabel } from '../ui/labels.js';
import { clockMinutesBetween } from '../domain/working-time.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export async function hold(ctx: Context, ticketArg: string, options: ChangeOptions & { reason?: string; note?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const reason = await choiceOrAsk(ctx, '--reason', options.reason, HOLD_REASONS, 'prompt_hold_reason', (r) => `hold_reason_${r}`);
  const note = parseText('--note', options.note, { kind: 'text' });
  const changed = await changeTicket(ctx, ticketArg, options, 'held', { reason, note }, (ticket, at, policy) => holdTicket(ticket, { reason, note }, at, policy));
  reportChange(ctx, changed, options.json, t('held', { no: changed.ticket.no, reason: holdReasonLabel(reason) }));
}

export async function resume(ctx: Context, ticketArg: string, options: ChangeOptions): Promise<void> {
  const changed = await changeTicket(ctx, ticketArg, options, 'resumed', {}, resumeTicket);
  const pause = changed.ticket.pauses.at(-1);
  const paused = pause ? clockMinutesBetween(changed.policy.calendar, 'working', pause.start, pause.end) : 0;
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? null;
  reportChange(ctx, changed, options.json, t('resumed', {
    no: changed.ticket.no, paused: formatMinutes(paused), due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
  }));
}
