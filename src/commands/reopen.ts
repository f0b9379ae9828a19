import type { Context } from '../cli/context.js';
import { parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { reopenTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

/** seed 000 二次处理: the complainant is not satisfied with the closure and complains again. */
export async function run(ctx: Context, ticketArg: string, options: ChangeOptions & { reason?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const reason = await textOrAsk(ctx, '--reason', options.reason, 'text', 'prompt_reason');
  const changed = await changeTicket(ctx, ticketArg, options, 'reopened', { reason }, reopenTicket);
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? null;
  reportChange(ctx, changed, options.json, t('reopened', {
    no: changed.ticket.no, n: changed.ticket.reopenCount, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
  }));
}
