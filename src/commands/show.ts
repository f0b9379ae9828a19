import type { Context } from '../cli/context.js';
import { parseAsOf, parseTicketNo } from '../cli/input.js';
import { pausedMinutes } from '../domain/lifecycle.js';
import { loadLists, loadPolicy } from '../store/procedure.js';
import { loadTicket, ticketEvents } from '../store/tickets.js';
import { palette } from '../ui/colour.js';
import { eventDocument, printJson, ticketDocument } from '../ui/ticket-json.js';
import { renderTicket } from '../ui/ticket-view.js';

export interface ShowOptions {
  json?: boolean;
  asOf?: string;
  explain?: boolean;
}

export async function run(ctx: Context, ticketArg: string, options: ShowOptions): Promise<void> {
  const no = parseTicketNo(ticketArg);
  const store = await ctx.store();
  const { policy, lists, now, ticket, events } = await store.read(async (db) => {
    const policy = await loadPolicy(db);
    const now = options.asOf === undefined ? ctx.now() : parseAsOf('--as-of', options.asOf, policy.calendar, ctx.now());
    const stored = await loadTicket(db, no);
    return { policy, lists: await loadLists(db), now, ticket: stored.ticket, events: await ticketEvents(db, stored) };
  });
  const { calendar } = policy;
  const tz = calendar.timezone;
  if (options.json) {
    printJson(ctx.io.out, { ...ticketDocument(ticket, tz, now), events: events.map((e) => eventDocument(e, tz)) });
    return;
  }
  ctx.io.out(renderTicket(ticket, events, {
    tz, now, colour: palette(ctx.io.color), pausedMinutes: pausedMinutes(ticket, calendar, now), lists, stages: policy.stages, width: ctx.io.width ?? 100,
  }));
  if (options.explain) {
    const { explainDeadlines } = await import('../ui/explain.js');
    ctx.io.out(`\n${explainDeadlines(ticket, policy)}`);
  }
}
