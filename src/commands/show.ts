import type { Context } from '../cli/context.js';
import { parseAsOf, parseTicketNo } from '../cli/input.js';
import { pausedMinutes } from '../domain/lifecycle.js';
import { personalFieldsOf, ticketAsSeen } from '../domain/masking.js';
import { seesPersonalData } from '../domain/people.js';
import { loadLists, loadPolicy } from '../store/procedure.js';
import { loadTicket, recordTicketChange, ticketEvents } from '../store/tickets.js';
import type { Db } from '../store/store.js';
import { palette } from '../ui/colour.js';
import { eventDocument, printJson, ticketDocument } from '../ui/ticket-json.js';
import { renderTicket } from '../ui/ticket-view.js';
import { t } from '../messages/index.js';
import { joinItems } from '../ui/format.js';

export interface ShowOptions {
  json?: boolean;
  asOf?: string;
  explain?: boolean;
  reveal?: boolean;
}

export async function run(ctx: Context, ticketArg: string, options: ShowOptions): Promise<void> {
  const no = parseTicketNo(ticketArg);
  const store = await ctx.store();
  const clock = ctx.now();
  // `--reveal` writes (it records that it revealed); a plain show only reads.
  const work = async (db: Db) => {
    const policy = await loadPolicy(db);
    const now = options.asOf === undefined ? clock : parseAsOf('--as-of', options.asOf, policy.calendar, clock);
    let stored = await loadTicket(db, no);
    const sees = seesPersonalData(ctx.identity(), stored.ticket.unit);
    // seed 001 保密性: a reveal is on the record, but only when it showed what this reader would not have seen.
    const fields = personalFieldsOf(stored.ticket);
    if (options.reveal && !sees && fields.length > 0) {
      stored = await recordTicketChange(db, stored, stored.ticket, {
        kind: 'personal_data_revealed', actor: ctx.actor, at: clock, recordedAt: clock, details: { fields }, procedure: policy.procedureVersion,
      });
    }
    return { policy, lists: await loadLists(db), now, ticket: stored.ticket, events: await ticketEvents(db, stored), sees: sees || Boolean(options.reveal) };
  };
  const { policy, lists, now, ticket, events, sees } = options.reveal ? await store.transact(work) : await store.read(work);
  const { calendar } = policy;
  const tz = calendar.timezone;
  const shown = ticketAsSeen(ticket, sees);
  if (options.json) {
    printJson(ctx.io.out, { ...ticketDocument(shown.ticket, tz, now, shown), events: events.map((e) => eventDocument(e, tz)) });
    return;
  }
  ctx.io.out(renderTicket(shown.ticket, events, {
    tz, now, colour: palette(ctx.io.color), pausedMinutes: pausedMinutes(ticket, calendar, now), lists, stages: policy.stages, width: ctx.io.width ?? 100,
  }));
  if (shown.masked) {
    // Names what is masked, and offers --reveal only to someone the table lets reveal.
    const masked = joinItems(personalFieldsOf(ticket).map((f) => t(`personal_field_${f}`)));
    const mayReveal = ctx.identity().person !== null;
    ctx.io.out(`\n${t(mayReveal ? 'show_masked_hint' : 'show_masked_only', { no: ticket.no, fields: masked })}`);
  }
  if (options.explain) {
    const { explainDeadlines } = await import('../ui/explain.js');
    ctx.io.out(`\n${explainDeadlines(ticket, policy)}`);
  }
}
