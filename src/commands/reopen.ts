import type { Context } from '../cli/context.js';
import { requireText } from '../cli/input.js';
import { reopenTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

/** seed 000 二次处理: the complainant is not satisfied with the closure and complains again. */
export function run(ctx: Context, ticketArg: string, options: ChangeOptions & { reason?: string }): void {
  const reason = requireText('--reason', options.reason, 'text');
  const changed = changeTicket(ctx, ticketArg, options, 'reopened', { reason }, reopenTicket);
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? null;
  reportChange(ctx, changed, options.json, t('reopened', {
    no: changed.ticket.no, n: changed.ticket.reopenCount, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
  }));
}
