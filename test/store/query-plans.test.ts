import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Compilable } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import { pendingDeadlinesBefore } from '../../src/store/overdue-queries.js';
import { listTickets, type TicketFilter } from '../../src/store/queries.js';
import { periodTallies, trendTallies } from '../../src/store/report-queries.js';
import { monthPeriod, type Period } from '../../src/domain/report.js';
import { tempDbPath } from '../support/cli.js';

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
let path: string;

beforeAll(() => {
  path = tempDbPath();
  store = openStore(path);
});

afterAll(() => {
  store.close();
  rmSync(dirname(path), { recursive: true, force: true });
});

/** Runs fn against the store, returning every query it sent through Store.all / Store.first. */
function sentBy(fn: (s: Store) => unknown): SentQuery[] {
  const sent: SentQuery[] = [];
  const record = (q: Compilable<unknown>): void => {
    const c = q.compile();
    sent.push({ sql: c.sql, parameters: c.parameters });
  };
  const spy: Store = {
    ...store,
    all: (q) => (record(q), store.all(q)),
    first: (q) => (record(q), store.first(q)),
  };
  fn(spy);
  expect(sent.length).toBeGreaterThan(0);
  return sent;
}

/** The EXPLAIN QUERY PLAN details, one string per step. */
function plan(q: SentQuery): string[] {
  const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[];
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
  it('uses the partial index deadlines_pending', () => {
    for (const q of sentBy((s) => pendingDeadlinesBefore(s, AS_OF))) expectIndexed(q, /SEARCH d USING INDEX deadlines_pending/);
  });

  it('still uses it for some units only', () => {
    for (const q of sentBy((s) => pendingDeadlinesBefore(s, AS_OF, ['Logistics', 'Sales']))) {
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
  ];
  for (const [name, filter, wanted] of cases) {
    it(name, () => {
      for (const q of sentBy((s) => listTickets(s, filter, 50))) expectIndexed(q, wanted);
    });
  }
});

describe('report aggregates read index ranges, never whole tables', () => {
  /** Runs fn with store.sqlite.prepare recording each SQL string the report prepares. */
  function preparedBy(fn: (s: Store) => unknown): SentQuery[] {
    const sqlite = store.sqlite;
    const seen = new Set<string>();
    const original = sqlite.prepare;
    sqlite.prepare = ((source: string) => {
      seen.add(source);
      return original.call(sqlite, source);
    }) as typeof sqlite.prepare;
    try {
      fn(store);
    } finally {
      sqlite.prepare = original;
    }
    expect(seen.size).toBeGreaterThan(0);
    // The report binds named values (@from, @to, @asOf ...): any instant inside October will do.
    return [...seen].map((sql) => ({
      sql,
      parameters: [Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, name === 'unit' ? 'Logistics' : OCTOBER.from]))],
    }));
  }

  const OCTOBER: Period = monthPeriod(2026, 10, 'Asia/Shanghai');

  const cases: [string, (s: Store) => unknown][] = [
    ['the month with its breakdowns', (s) => periodTallies(s, OCTOBER, AS_OF, null, { grouped: true })],
    ['one unit', (s) => periodTallies(s, OCTOBER, AS_OF, 'Logistics', { grouped: true })],
    ['the twelve-month trend', (s) => trendTallies(s, [OCTOBER], AS_OF, null)],
  ];
  for (const [name, fn] of cases) {
    it(name, () => {
      for (const q of preparedBy(fn)) {
        if (/^\s*(PRAGMA|SELECT count\(\*\) FROM tickets\s*$)/i.test(q.sql)) continue;
        expectIndexed(q, /^SEARCH /);
      }
    });
  }

  it('reads each period as an index range on the time that places a row in it', () => {
    const plans = preparedBy((s) => periodTallies(s, OCTOBER, AS_OF, null, { grouped: true })).map(plan).flat();
    // Received, closed and surveyed in P, deadlines due in P, events of P: each a bounded range.
    for (const range of [/\(received_at>\? AND received_at<\?\)/, /\(closed_at>\? AND closed_at<\?\)/, /\(survey_at>\? AND survey_at<\?\)/,
      /\(due>\? AND due<\?\)/, /\(kind=\? AND at>\? AND at<\?\)/]) {
      expect(plans.filter((p) => /^SEARCH .* USING (COVERING )?INDEX /.test(p) && range.test(p)), `${range} in\n${plans.join('\n')}`).not.toEqual([]);
    }
  });
});
