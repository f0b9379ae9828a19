import type { Context } from '../cli/context.js';
import { parseText, parseTicketNo } from '../cli/input.js';
import { textOrAsk } from './ask.js';
import { assignTicket } from '../domain/lifecycle.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export interface AssignOptions extends ChangeOptions {
  unit?: string;
  to?: string;
}

export async function run(ctx: Context, ticketArg: string, options: AssignOptions): Promise<void> {
  parseTicketNo(ticketArg);
  const unit = await textOrAsk(ctx, '--unit', options.unit, 'name', 'prompt_unit');
  const assignee = parseText('--to', options.to, { kind: 'name' });
  const changed = await changeTicket(ctx, ticketArg, options, 'assigned', { unit, assignee }, (ticket, at, policy) => {
    // A handler assigns within their unit: to it as well as from it.
    ctx.requireUnit(unit);
    return assignTicket(ticket, { unit, assignee }, at, policy);
  });
  const who = assignee === null ? unit : `${unit} / ${assignee}`;
  reportChange(ctx, changed, options.json, t('assigned', { no: changed.ticket.no, who }));
}
