import { statSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { parsePastTime, parseWholeNumber } from '../cli/input.js';
import { COUNT_LIMITS, timeBounds } from '../domain/bounds.js';
import { demoStart, demoTickets, type DemoTicket } from '../domain/demo-data.js';
import { demoHistory } from '../domain/demo-history.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import type { Policy } from '../domain/lifecycle.js';
import { formatLocal, toLocal, type Instant } from '../domain/time.js';
import { defaultCalendar, DEFAULT_WEEK_HOURS } from '../domain/working-time.js';
import { formatWindows } from '../domain/office-hours.js';
import { t } from '../messages/index.js';
import type { Db, Store } from '../store/store.js';
import { countTickets } from '../store/report-queries.js';
import { loadPolicy } from '../store/procedure.js';
import { formatTicketNo, recordTicketHistories } from '../store/tickets.js';
import { display } from '../ui/cells.js';
import { printJson } from '../ui/ticket-json.js';
import { setUpOffice, type OfficeSetup } from './init.js';

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
const WRITE_GROUP = 250;

const DEMO_OFFICE: OfficeSetup = {
  timezone: 'Asia/Shanghai', language: 'zh-CN', days: 'mon-fri', hours: formatWindows(DEFAULT_WEEK_HOURS), holidays: 'cn', name: null,
};

/** A file with something in it (an empty one made by touch is no office yet). */
function holdsSomething(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

export async function run(ctx: Context, options: DemoOptions): Promise<void> {
  const tickets = options.tickets === undefined ? 2000 : parseWholeNumber('--tickets', options.tickets, ...COUNT_LIMITS.demoTickets);
  const months = options.months === undefined ? 13 : parseWholeNumber('--months', options.months, ...COUNT_LIMITS.demoMonths);
  const seed = options.seed === undefined ? 1 : parseWholeNumber('--seed', options.seed, ...COUNT_LIMITS.demoSeed);
  const now = ctx.now();
  // A missing file is made here, as a Chinese office (the seeds' procedures are Chinese): checked
  // against Beijing time before anything is made, so a refused demo leaves no file behind.
  const fresh = !holdsSomething(ctx.dbPath);
  const asOfIn = (timezone: string): Instant => {
    const asOf = options.asOf === undefined ? now : parsePastTime('--as-of', options.asOf, defaultCalendar(timezone), now);
    // Demo tickets get receipts like real ones, so they too start no earlier than the first year kept.
    const bounds = timeBounds(now, timezone);
    if (demoStart(asOf, months) < bounds.earliest) {
      throw new UsageError('demo_before_range', { months, asOf: formatLocal(asOf, timezone), first: bounds.firstDate });
    }
    return asOf;
  };
  if (fresh) asOfIn(DEMO_OFFICE.timezone);
  const { store, created } = fresh ? await ctx.createStore() : { store: await ctx.store(), created: false };
  if (created) {
    const asOf = asOfIn(DEMO_OFFICE.timezone);
    // Every year the tickets span, and the next: the last ones' deadlines run into it.
    const years: number[] = [];
    for (let y = toLocal(demoStart(asOf, months), DEMO_OFFICE.timezone).year; y <= toLocal(asOf, DEMO_OFFICE.timezone).year + 1; y++) years.push(y);
    const loaded = await setUpOffice(store, DEMO_OFFICE, { actor: ctx.actor, at: demoStart(asOf, months), years });
    if (!options.json) {
      const holidays = loaded.years.length === 0
        ? t('init_holidays_not_loaded')
        : t('init_holidays_loaded', { years: loaded.years.join(t('init_years_join')), holidays: loaded.holidays, workdays: loaded.workdays });
      ctx.io.out(t('demo_office', { path: display(ctx.dbPath, 'line'), holidays }));
    }
  }
  const { policy, existing } = await store.read(async (db) => ({ policy: await loadPolicy(db), existing: await countTickets(db) }));
  const asOf = asOfIn(policy.calendar.timezone);

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
      const numbers = await numbersInOrder(db, plansNow.map((plan) => toLocal(plan.loggedAt, policy.calendar.timezone).year));
      // Written a few hundred at a time: the histories of a whole batch held at once cost more in
      // memory (and in collecting it) than the extra statements do.
      for (let from = 0; from < plansNow.length; from += WRITE_GROUP) {
        const histories = plansNow.slice(from, from + WRITE_GROUP).map((plan, i) => {
          const history = demoHistory(plan, numbers[from + i]!, policy);
          events += history.length;
          if (history.at(-1)!.ticket.status !== 'closed') open++;
          return history.map(({ ticket, ...e }) => ({ ticket, change: { ...e, recordedAt: e.at } }));
        });
        await recordTicketHistories(db, histories);
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

/** Receipt numbers for tickets logged in these years, in this order: each year's taken at once. */
async function numbersInOrder(db: Db, years: readonly number[]): Promise<string[]> {
  const next = new Map<number, number>();
  for (const year of new Set(years)) next.set(year, await db.takeTicketNos(year, years.filter((y) => y === year).length));
  return years.map((year) => {
    const seq = next.get(year)!;
    next.set(year, seq + 1);
    return formatTicketNo(year, seq);
  });
}
