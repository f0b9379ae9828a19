import type { Context } from '../cli/context.js';
import { parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { listCodeOrAsk, officeLists } from './office-lists.js';
import { replyToTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export interface ReplyOptions extends ChangeOptions {
  via?: string;
  message?: string;
}

export async function run(ctx: Context, ticketArg: string, options: ReplyOptions): Promise<void> {
  parseTicketNo(ticketArg);
  const via = await listCodeOrAsk(ctx, '--via', options.via, 'reply_method', await officeLists(ctx), 'prompt_via');
  const message = await textOrAsk(ctx, '--message', options.message, 'text', 'prompt_message');
  const changed = await changeTicket(ctx, ticketArg, options, 'replied', { via, message }, replyToTicket);
  const due = currentDeadline(changed.ticket, 'update')?.due ?? null;
  const tz = changed.policy.calendar.timezone;
  const line = due === null ? t('replied_on_hold', { no: changed.ticket.no }) : t('replied', { no: changed.ticket.no, due: formatLocal(due, tz) });
  reportChange(ctx, changed, options.json, line);
}
