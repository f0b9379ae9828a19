import type { Context } from '../cli/context.js';
import { parseText, parseTicketNo, requireText } from '../cli/input.js';
import { officeUnits, requireKnownHandler, requireKnownUnit } from '../cli/units.js';
import { cancellable, parsedOrAsk } from './ask.js';
import { assignTicket } from '../domain/lifecycle.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export interface AssignOptions extends ChangeOptions {
  unit?: string;
  to?: string;
}

export async function run(ctx: Context, ticketArg: string, options: AssignOptions): Promise<void> {
  parseTicketNo(ticketArg);
  // Once the office registers units, only those take tickets (issue 13 §1: 物流布 is refused, not a new unit).
  const units = await officeUnits(ctx);
  const open = units.filter((u) => !u.retired);
  const known = (v: string): string => requireKnownUnit('--unit', requireText('--unit', v, 'name'), units, true);
  const unit = options.unit === undefined && ctx.io.canPrompt && open.length > 0
    ? await cancellable((await ctx.prompter()).select(t('prompt_unit'), open.map((u) => ({ value: u.name, name: u.name }))))
    : await parsedOrAsk(ctx, '--unit', options.unit, known, 'prompt_unit');
  const typedAssignee = parseText('--to', options.to, { kind: 'name' });
  const assignee = typedAssignee === null ? null : await requireKnownHandler(ctx, typedAssignee, unit);
  const changed = await changeTicket(ctx, ticketArg, options, 'assigned', { unit, assignee }, (ticket, at, policy) => {
    // A handler assigns within their unit: to it as well as from it.
    ctx.requireUnit(unit);
    return assignTicket(ticket, { unit, assignee }, at, policy);
  });
  const who = assignee === null ? unit : `${unit} / ${assignee}`;
  reportChange(ctx, changed, options.json, t('assigned', { no: changed.ticket.no, who }));
}
