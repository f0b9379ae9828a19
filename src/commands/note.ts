import type { Context } from '../cli/context.js';
import { parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { UsageError } from '../domain/errors.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

/** An internal investigation record: not a contact, so no deadline moves. Allowed on closed tickets too. */
export async function run(ctx: Context, ticketArg: string, options: ChangeOptions & { message?: string }): Promise<void> {
  parseTicketNo(ticketArg);
  const message = await textOrAsk(ctx, '--message', options.message, 'text', 'prompt_note');
  const changed = await changeTicket(ctx, ticketArg, options, 'noted', { message }, (ticket, at) => {
    if (at < ticket.receivedAt) throw new UsageError('at_before_received', { no: ticket.no });
    return ticket;
  });
  reportChange(ctx, changed, options.json, t('noted', { no: changed.ticket.no }));
}
