import type Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pendingDeadlinesBefore } from '../../src/store/overdue-queries.js';
import { listTickets, openTicketsOfContact, type TicketFilter } from '../../src/store/queries.js';
import { compile } from '../../src/store/sqlite/connection.js';
import { openStore, type Db, type Query, type Store } from '../../src/store/store.js';
import { monthPeriod, type Period } from '../../src/domain/report.js';
import { missingDbPath } from '../support/cli.js';
import { openRaw } from '../support/sqlite.js';

// At a million tickets a query that falls back to reading the whole tickets table turns an
// instant command into a multi-second one, and nothing else would notice: results stay right.
// So each query the reading commands send is captured as the program compiles it (SQL and
// bound values; the values matter, since `void = ?` only matches the partial index
// deadlines_pending once SQLite sees the 0) and its plan is checked.

interface SentQuery {
  sql: string;
  parameters: readonly unknown[];
}

let store: Store;
let raw: Sqlite.Database;
let path: string;

beforeAll(async () => {
  path = missingDbPath();
  store = await openStore(path);
  raw = openRaw(path);
});

afterAll(async () => {
  raw.close();
  await store.close();
  rmSync(dirname(path), { recursive: true, force: true });
});

/** Runs fn in one read, returning every query it sent through the db (the engine's own report queries included). */
async function sentBy(fn: (db: Db) => Promise<unknown>): Promise<SentQuery[]> {
  const sent: SentQuery[] = [];
  const record = (q: Query<unknown>): void => {
    const c = compile(q);
    sent.push({ sql: c.sql, parameters: c.parameters });
  };
  await store.read(async (db) => {
    const spy = new Proxy(db, {
      get(target, key, receiver) {
        if (key === 'all' || key === 'first' || key === 'iterate') {
          return (q: Query<unknown>) => (record(q), (target[key] as (q: Query<unknown>) => unknown).call(target, q));
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(receiver) : value;
      },
    });
    await fn(spy);
  });
  expect(sent.length).toBeGreaterThan(0);
  return sent;
}

/** The EXPLAIN QUERY PLAN details, one string per step. */
function plan(q: SentQuery): string[] {
  const rows = raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** Fails naming the SQL and its plan when any step reads a whole table instead of an index. */
function expectIndexed(q: SentQuery, wanted: RegExp): void {
  const steps = plan(q);
  const context = `${q.sql}\n  plan: ${steps.join(' | ')}`;
  expect(steps.some((s) => wanted.test(s)), `wanted ${wanted} in ${context}`).toBe(true);
  // Any SCAN of a table reads every row of it (even `USING COVERING INDEX`). Allowed: the
  // full-text virtual table (its MATCH is the index) and a subquery's own small result.
  const derived = steps.map((s) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(s)?.[1]).filter(Boolean);
  const whole = steps.filter((s) => /^SCAN /.test(s) && !/VIRTUAL TABLE|CONSTANT ROW/.test(s)
    && !derived.includes(/^SCAN (\S+)/.exec(s)?.[1]));
  expect(whole, `whole-table read in ${context}`).toEqual([]);
}

const AS_OF = Date.parse('2026-11-20T12:00:00+08:00');

describe('overdue reads only pending deadlines', () => {
  it('uses the partial index deadlines_pending', async () => {
    for (const q of await sentBy((db) => pendingDeadlinesBefore(db, AS_OF))) expectIndexed(q, /SEARCH d USING INDEX deadlines_pending/);
  });

  it('still uses it for some units only', async () => {
    for (const q of await sentBy((db) => pendingDeadlinesBefore(db, AS_OF, ['Logistics', 'Sales']))) {
      expectIndexed(q, /SEARCH d USING INDEX deadlines_pending/);
    }
  });
});

describe('list finds its tickets through an index', () => {
  const cases: [string, TicketFilter, RegExp][] = [
    ['--status new', { statuses: ['new'] }, /SEARCH tickets USING (COVERING )?INDEX tickets_status/],
    ['--status new,assigned', { statuses: ['new', 'assigned'] }, /SEARCH tickets USING (COVERING )?INDEX tickets_status/],
    ['--unit', { units: ['Logistics'] }, /SEARCH tickets USING (COVERING )?INDEX tickets_unit/],
    ['--from --to', { receivedFrom: AS_OF - 30 * 86_400_000, receivedBefore: AS_OF }, /SEARCH tickets USING (COVERING )?INDEX tickets_received/],
    ['--search 退款申请', { search: '退款申请' }, /ticket_search VIRTUAL TABLE/],
    ['--search parcel', { search: 'parcel' }, /ticket_search VIRTUAL TABLE/],
    // Issue 12: a caller by phone or email, a million tickets or not.
    ['--phone', { phoneKey: '8613800138000' }, /SEARCH tickets USING (COVERING )?INDEX tickets_phone_key/],
    ['--search 138 0013 8000', { search: '138 0013 8000' }, /SEARCH tickets USING (COVERING )?INDEX tickets_phone_key/],
    ['--search wang@example.cn', { search: 'Wang@Example.cn' }, /SEARCH tickets USING (COVERING )?INDEX tickets_email_key/],
  ];
  for (const [name, filter, wanted] of cases) {
    it(name, async () => {
      for (const q of await sentBy((db) => listTickets(db, filter, 50))) expectIndexed(q, wanted);
    });
  }
});

describe("log's open-ticket notice looks the caller up", () => {
  it('through the phone and email keys', async () => {
    const sent = await sentBy((db) => openTicketsOfContact(db, { phone: '13800138000', email: 'wang@example.cn' }));
    for (const q of sent) {
      expectIndexed(q, /SEARCH tickets USING (COVERING )?INDEX tickets_phone_key/);
      expectIndexed(q, /SEARCH tickets USING (COVERING )?INDEX tickets_email_key/);
    }
  });
});

describe('report aggregates read index ranges, never whole tables', () => {
  const OCTOBER: Period = monthPeriod(2026, 10, 'Asia/Shanghai');

  const cases: [string, (db: Db) => Promise<unknown>][] = [
    ['the month with its breakdowns', (db) => db.periodTallies(OCTOBER, AS_OF, null, { grouped: true })],
    ['one unit', (db) => db.periodTallies(OCTOBER, AS_OF, 'Logistics', { grouped: true })],
    ['the twelve-month trend', (db) => db.trendTallies([OCTOBER], AS_OF, null)],
  ];
  for (const [name, fn] of cases) {
    it(name, async () => {
      for (const q of await sentBy(fn)) expectIndexed(q, /^SEARCH /);
    });
  }

  it('reads each period as an index range on the time that places a row in it', async () => {
    const plans = (await sentBy((db) => db.periodTallies(OCTOBER, AS_OF, null, { grouped: true }))).map(plan).flat();
    // Received, closed and surveyed in P, deadlines due in P, events of P: each a bounded range.
    for (const range of [/\(received_at>\? AND received_at<\?\)/, /\(closed_at>\? AND closed_at<\?\)/, /\(survey_at>\? AND survey_at<\?\)/,
      /\(due>\? AND due<\?\)/, /\(kind=\? AND at>\? AND at<\?\)/]) {
      expect(plans.filter((p) => /^SEARCH .* USING (COVERING )?INDEX /.test(p) && range.test(p)), `${range} in\n${plans.join('\n')}`).not.toEqual([]);
    }
  });
});
