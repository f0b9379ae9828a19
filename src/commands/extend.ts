import type { Context } from '../cli/context.js';
import { parseDeadline, parseTicketNo, requireText } from '../cli/input.js';
import { UsageError } from '../domain/errors.js';
import { extendTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { loadCalendar } from '../store/settings.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

/** seed 004 §3.7.3.5 协商约定制: a resolve deadline agreed anew with the complainant. */
export function run(ctx: Context, ticketArg: string, options: ChangeOptions & { to?: string; reason?: string }): void {
  parseTicketNo(ticketArg);
  if (options.to === undefined) throw new UsageError('missing_field', { field: '--to' });
  const reason = requireText('--reason', options.reason, 'text');
  const to = parseDeadline('--to', options.to, loadCalendar(ctx.store()));
  const changed = changeTicket(ctx, ticketArg, options, 'extended', { to, reason }, (ticket, at) => extendTicket(ticket, { to, reason }, at));
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? to;
  reportChange(ctx, changed, options.json, t('extended', { no: changed.ticket.no, due: formatLocal(due, changed.policy.calendar.timezone) }));
}
