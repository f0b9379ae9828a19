import type { Context } from '../cli/context.js';
import { parsePastTime, parseWholeNumber } from '../cli/input.js';
import { COUNT_LIMITS, timeBounds } from '../domain/bounds.js';
import { demoStart, demoTickets, type DemoStep, type DemoTicket } from '../domain/demo-data.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import {
  assignTicket, closeTicket, extendTicket, holdTicket, logTicket, recordFailedCallback, reopenTicket, replyToTicket, resumeTicket,
  surveyTicket, type Policy,
} from '../domain/lifecycle.js';
import type { EventKind } from '../domain/model.js';
import type { Ticket } from '../domain/ticket.js';
import { formatLocal, toLocal, type Instant } from '../domain/time.js';
import { t } from '../messages/index.js';
import type { Db, Store } from '../store/store.js';
import { countTickets } from '../store/report-queries.js';
import { loadPolicy } from '../store/settings.js';
import { recordTicketHistory, takeTicketNo, type Change } from '../store/tickets.js';
import { printJson } from '../ui/ticket-json.js';

export interface DemoOptions {
  tickets?: string;
  months?: string;
  seed?: string;
  asOf?: string;
  json?: boolean;
}

// Big enough to amortise each commit's fsync, small enough that others waiting on the file
// (busy timeout 5 s) get their turn between batches.
const BATCH = 2000;

export async function run(ctx: Context, options: DemoOptions): Promise<void> {
  const tickets = options.tickets === undefined ? 2000 : parseWholeNumber('--tickets', options.tickets, ...COUNT_LIMITS.demoTickets);
  const months = options.months === undefined ? 13 : parseWholeNumber('--months', options.months, ...COUNT_LIMITS.demoMonths);
  const seed = options.seed === undefined ? 1 : parseWholeNumber('--seed', options.seed, ...COUNT_LIMITS.demoSeed);
  const store = await ctx.store();
  const { policy, existing } = await store.read(async (db) => ({ policy: await loadPolicy(db), existing: await countTickets(db) }));
  const now = ctx.now();
  const asOf = options.asOf === undefined ? now : parsePastTime('--as-of', options.asOf, policy.calendar, now);
  // Demo tickets get receipts like real ones, so they too start no earlier than the first year kept.
  const bounds = timeBounds(now, policy.calendar.timezone);
  if (demoStart(asOf, months) < bounds.earliest) {
    throw new UsageError('demo_before_range', { months, asOf: formatLocal(asOf, policy.calendar.timezone), first: bounds.firstDate });
  }

  // Sample data mixed into real complaints would corrupt the office's figures.
  if (existing > 0) throw new CannotDo('demo_not_empty', { path: ctx.dbPath, count: existing });

  const started = performance.now();
  const counts = await fillDemo(store, policy, demoTickets({ tickets, months, seed, asOf, calendar: policy.calendar }));
  const seconds = (performance.now() - started) / 1000;
  const rate = Math.round(tickets / seconds);
  if (options.json) {
    printJson(ctx.io.out, { tickets, events: counts.events, open: counts.open, closed: tickets - counts.open, seed, months, seconds: Math.round(seconds * 100) / 100, tickets_per_second: rate });
    return;
  }
  ctx.io.out(t('demo_done', { tickets, events: counts.events, open: counts.open, months, seed, seconds: seconds.toFixed(1), rate }));
}

/** Replays each plan through the lifecycle operations and writes its history in one go, in batches. */
export async function fillDemo(store: Store, policy: Policy, plans: Iterable<DemoTicket>): Promise<{ events: number; open: number }> {
  let events = 0;
  let open = 0;
  let batch: DemoTicket[] = [];
  const flush = (): Promise<void> => {
    const plansNow = batch;
    batch = [];
    return store.transact(async (db) => {
      for (const plan of plansNow) {
        const result = await replay(db, policy, plan);
        events += result.events;
        if (result.ticket.status !== 'closed') open++;
      }
    });
  };
  for (const plan of plans) {
    batch.push(plan);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return { events, open };
}

async function replay(db: Db, policy: Policy, plan: DemoTicket): Promise<{ ticket: Ticket; events: number }> {
  const tz = policy.calendar.timezone;
  const no = await takeTicketNo(db, toLocal(plan.loggedAt, tz).year);
  const created = logTicket(plan.input, no, plan.loggedBy, plan.loggedAt, policy);
  const history: { ticket: Ticket; change: Change }[] = [{
    ticket: created,
    change: {
      kind: 'logged', actor: plan.loggedBy, at: plan.loggedAt, recordedAt: plan.loggedAt,
      details: { channel: plan.input.channel, severity_given: null, severity_suggested: created.severitySuggested },
    },
  }];
  let ticket = created;
  for (const s of plan.steps) {
    const change = (kind: EventKind, details: Record<string, unknown>): Change => ({ kind, actor: s.actor, at: s.at, recordedAt: s.at, details });
    if (s.kind === 'note') {
      history.push({ ticket, change: change('noted', { message: s.message }) });
      continue;
    }
    const [kind, details, next] = apply(ticket, s, policy);
    ticket = next;
    history.push({ ticket, change: change(kind, details) });
  }
  await recordTicketHistory(db, history);
  return { ticket, events: history.length };
}

/** The same operation, event kind and details as the command that does this by hand. */
function apply(t: Ticket, s: Exclude<DemoStep, { kind: 'note' }>, policy: Policy): [EventKind, Record<string, unknown>, Ticket] {
  const at: Instant = s.at;
  switch (s.kind) {
    case 'assign':
      return ['assigned', { unit: s.unit, assignee: s.assignee }, assignTicket(t, { unit: s.unit, assignee: s.assignee }, at)];
    case 'reply':
      return ['replied', { via: s.via, message: s.message }, replyToTicket(t, at, policy)];
    case 'hold':
      return ['held', { reason: s.reason, note: s.note }, holdTicket(t, { reason: s.reason, note: s.note }, at, policy)];
    case 'resume':
      return ['resumed', {}, resumeTicket(t, at, policy)];
    case 'extend':
      return ['extended', { to: s.to, reason: s.reason }, extendTicket(t, { to: s.to, reason: s.reason }, at)];
    case 'close': {
      const input = { resolution: s.resolution, fault: s.fault, rootCause: null, action: null, compensationCents: s.compensationCents, compensationKind: s.compensationKind };
      const details = {
        resolution: s.resolution, fault: s.fault, root_cause: null, action: null,
        compensation: s.compensationCents === null ? null : s.compensationCents / 100, compensation_kind: s.compensationKind,
      };
      return ['closed', details, closeTicket(t, input, at, policy)];
    }
    case 'survey':
      return ['surveyed', { score: s.score, comment: s.comment }, surveyTicket(t, { score: s.score, comment: s.comment }, at)];
    case 'unreachable':
      return ['callback_failed', { comment: null }, recordFailedCallback(t, at)];
    case 'reopen':
      return ['reopened', { reason: s.reason }, reopenTicket(t, at, policy)];
  }
}
