import type { Context } from '../cli/context.js';
import { parseDeadline, parseTicketNo } from '../cli/input.js';
import { parsedOrAsk, textOrAsk } from './ask.js';
import { extendTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { loadCalendar } from '../store/settings.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

/** seed 004 §3.7.3.5 协商约定制: a resolve deadline agreed anew with the complainant. */
export async function run(ctx: Context, ticketArg: string, options: ChangeOptions & { to?: string; reason?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const cal = await (await ctx.store()).read(loadCalendar);
  const to = await parsedOrAsk(ctx, '--to', options.to, (v) => parseDeadline('--to', v, cal, ctx.now()), 'prompt_extend_to');
  const reason = await textOrAsk(ctx, '--reason', options.reason, 'text', 'prompt_reason');
  const changed = await changeTicket(ctx, ticketArg, options, 'extended', { to, reason }, (ticket, at) => extendTicket(ticket, { to, reason }, at));
  const due = currentDeadline(changed.ticket, 'resolve')?.due ?? to;
  reportChange(ctx, changed, options.json, t('extended', { no: changed.ticket.no, due: formatLocal(due, changed.policy.calendar.timezone) }));
}
