import type Sqlite from 'better-sqlite3';
import type { Category, Channel, Severity, Stage } from '../domain/model.js';
import {
  combineTallies, emptyTally, median, rate, tallyClosureEvents, type ClosureEvent, type Period, type Tallies, type Tally, type TallyRow,
  type TrendMonth,
} from '../domain/report.js';
import type { Instant } from '../domain/time.js';
import type { Store } from './database.js';
import { readSetting } from './settings.js';

// The report's aggregates (SPEC §5), computed in SQL over index ranges so that a month at a million
// tickets stays well under a second (schema/002_report_indexes.sql holds the covering indexes).
//
// The ticket row is the excerpt of its *last* closure. That is exact for every ticket not reopened
// since the period began; for the few that were, closes and surveys in the period come from their
// events instead (the set R below), so last month's figures do not change when a ticket is
// reopened this month.

interface GroupColumns {
  unit: string | null;
  category: Category;
  channel: Channel;
  severity: Severity;
}

const GROUP_SELECT = 't.unit AS unit, t.category AS category, t.channel AS channel, t.severity AS severity';
const GROUP_BY = 'GROUP BY t.unit, t.category, t.channel, t.severity';
// Tickets reopened at or after @from: their rows cannot speak for closures before the reopen.
const REOPENED_SINCE = "SELECT ticket_id FROM events WHERE kind = 'reopened' AND at >= @from";
const MIN_INSTANT = -8.64e15;

function statements(store: Store): (sql: string) => Sqlite.Statement {
  const cache = new Map<string, Sqlite.Statement>();
  return (sql) => {
    let st = cache.get(sql);
    if (!st) {
      st = store.sqlite.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
}

export interface TallyOptions {
  /** Group by unit, category, channel and severity (the breakdowns); off for trend months. */
  grouped: boolean;
  /** A trend month: received, closed, surveys and first-reply timeliness only. */
  trend?: boolean;
}

export interface PeriodTallies {
  tallies: Tallies;
  medianResolutionMinutes: number | null;
}

/** Every count of the report for one period, optionally for one unit. */
export function periodTallies(store: Store, period: Period, asOf: Instant, unit: string | null, options: TallyOptions): PeriodTallies {
  const prepare = statements(store);
  const select = options.grouped ? GROUP_SELECT : 'NULL AS unit, NULL AS category, NULL AS channel, NULL AS severity';
  const groupBy = options.grouped ? GROUP_BY : '';
  const onlyUnit = unit === null ? '' : 'AND t.unit = @unit';
  const params = { from: period.from, to: period.to, asOf, unit, dueBefore: Math.min(period.to, asOf) };
  const rows: TallyRow[] = [];
  const add: Add = (records, tally) => {
    for (const r of records as (GroupColumns & Record<string, number>)[]) {
      rows.push({ unit: r.unit, category: r.category, channel: r.channel, severity: r.severity, tally: tally(r) });
    }
  };

  // Received in P, and of those the ones closed at the as-of time.
  add(prepare(`SELECT ${select}, count(*) AS n, total(t.closed_at IS NOT NULL AND t.closed_at <= @asOf) AS closed
      FROM tickets t WHERE t.received_at >= @from AND t.received_at < @to ${onlyUnit} ${groupBy}`).all(params),
  (r) => ({ received: r.n, closedOfReceived: r.closed }));
  if (!options.trend) {
    add(closedBeforeButReopened(prepare, select, groupBy, onlyUnit, { ...params, bound: asOf + 1, receivedFrom: period.from, receivedTo: period.to }),
      (r) => ({ closedOfReceived: r.n }));
    openAtEnd(prepare, select, groupBy, onlyUnit, params, add);
  }

  // Closes and surveys in P: rows for tickets not reopened since, events for the rest.
  add(prepare(`SELECT ${select}, count(*) AS n, total(t.resolution_minutes) AS minutes, count(t.resolution_minutes) AS timed,
        total(t.compensation_cents) AS cents
      FROM tickets t WHERE t.closed_at >= @from AND t.closed_at < @to AND t.id NOT IN (${REOPENED_SINCE}) ${onlyUnit} ${groupBy}`).all(params),
  (r) => ({ closed: r.n, resolutionMinutesSum: r.minutes, resolutionCount: r.timed, compensationCents: r.cents }));
  const minutes = options.grouped
    ? (prepare(`SELECT t.resolution_minutes FROM tickets t WHERE t.closed_at >= @from AND t.closed_at < @to
        AND t.resolution_minutes IS NOT NULL AND t.id NOT IN (${REOPENED_SINCE}) ${onlyUnit}`).pluck().all(params) as number[])
    : [];
  add(prepare(`SELECT ${select}, count(*) AS n, total(t.survey_score >= 4) AS satisfied
      FROM tickets t WHERE t.survey_at >= @from AND t.survey_at < @to AND t.id NOT IN (${REOPENED_SINCE}) ${onlyUnit} ${groupBy}`).all(params),
  (r) => ({ surveyed: r.n, satisfied: r.satisfied }));
  // Driven from the period's closes and surveys (index only), keeping those of reopened tickets;
  // only those few rows are read for their JSON.
  const closureEvents = prepare(`SELECT ${GROUP_SELECT}, e.ticket_id AS ticketId, e.kind AS kind,
        CASE WHEN e.kind = 'closed' THEN json_extract(e.details, '$.compensation') END AS compensation,
        CASE WHEN e.kind = 'closed' THEN json_extract(e.changes, '$.resolutionMinutes[1]') END AS resolutionMinutes,
        CASE WHEN e.kind = 'surveyed' THEN json_extract(e.details, '$.score') END AS score
      FROM events e INDEXED BY events_report
      JOIN tickets t INDEXED BY tickets_report_groups ON t.id = e.ticket_id
      WHERE e.kind IN ('closed', 'surveyed') AND e.at >= @from AND e.at < @to
        AND e.ticket_id IN (${REOPENED_SINCE}) ${onlyUnit}
      ORDER BY e.id`).all(params) as ClosureEvent[];
  const fromEvents = tallyClosureEvents(options.grouped ? closureEvents : closureEvents.map(ungroup));
  rows.push(...fromEvents.rows);

  // Reopens and unreachable callback attempts in P.
  if (!options.trend) add(prepare(`SELECT ${select}, total(e.kind = 'reopened') AS reopened, total(e.kind = 'callback_failed') AS unreachable
      FROM events e INDEXED BY events_report JOIN tickets t INDEXED BY tickets_report_groups ON t.id = e.ticket_id
      WHERE e.kind IN ('reopened', 'callback_failed') AND e.at >= @from AND e.at < @to ${onlyUnit} ${groupBy}`).all(params),
  (r) => ({ reopened: r.reopened, unreachable: r.unreachable }));

  // Timeliness: deadlines whose due time fell in P and has passed by the as-of time.
  // Every stage in total from the index alone; by group only the headline first reply, whose
  // join to the tickets is the one breakdown worth its cost (seed 004: first reply ≥ 95%).
  const stages = options.trend ? "'first_reply'" : "'assign', 'first_reply', 'update', 'resolve', 'callback'";
  type StageRow = GroupColumns & { stage: Stage; due: number; met: number };
  const addStages = (records: StageRow[], scope?: 'total' | 'breakdown'): void => {
    for (const r of records) {
      rows.push({
        unit: r.unit, category: r.category, channel: r.channel, severity: r.severity,
        tally: { timeliness: { [r.stage]: { due: r.due, met: r.met } } },
        ...(scope ? { scope } : {}),
      });
    }
  };
  if (unit === null) {
    addStages(prepare(`SELECT NULL AS unit, NULL AS category, NULL AS channel, NULL AS severity, d.stage AS stage, count(*) AS due,
         total(d.done_at IS NOT NULL AND d.done_at <= d.due) AS met
       FROM deadlines d WHERE d.stage IN (${stages}) AND d.due >= @from AND d.due < @dueBefore GROUP BY d.stage`).all(params) as StageRow[], 'total');
  }
  if (unit !== null || options.grouped) {
    // For one unit these rows are the totals too; for the whole office they only give the breakdowns.
    const stageFilter = unit !== null && !options.trend ? `d.stage IN (${stages})` : "d.stage = 'first_reply'";
    addStages(prepare(`SELECT ${select}, d.stage AS stage, count(*) AS due, total(d.done_at IS NOT NULL AND d.done_at <= d.due) AS met
       FROM deadlines d JOIN tickets t INDEXED BY tickets_report_groups ON t.id = d.ticket_id
       WHERE ${stageFilter} AND d.due >= @from AND d.due < @dueBefore ${onlyUnit} ${groupBy ? `${groupBy}, d.stage` : 'GROUP BY d.stage'}`).all(params) as StageRow[],
    unit === null ? 'breakdown' : undefined);
  }

  return {
    tallies: combineTallies(rows),
    medianResolutionMinutes: options.grouped ? median([...minutes, ...fromEvents.resolutionMinutes]) : null,
  };
}

type Add = (records: unknown[], tally: (r: Record<string, number>) => TallyRow['tally']) => void;

/** Open at the end of P: received before `to` and not closed just before `to`. */
function openAtEnd(
  prepare: (sql: string) => Sqlite.Statement, select: string, groupBy: string, onlyUnit: string, params: { to: number }, add: Add,
): void {
  add(prepare(`SELECT ${select}, count(*) AS n FROM tickets t
      WHERE t.status <> 'closed' AND t.received_at < @to ${onlyUnit} ${groupBy}`).all(params), (r) => ({ openAtEnd: r.n }));
  add(prepare(`SELECT ${select}, count(*) AS n FROM tickets t
      WHERE t.closed_at >= @to AND t.received_at < @to ${onlyUnit} ${groupBy}`).all(params), (r) => ({ openAtEnd: r.n }));
  add(closedBeforeButReopened(prepare, select, groupBy, onlyUnit, { ...params, bound: params.to, receivedFrom: MIN_INSTANT, receivedTo: params.to }),
    (r) => ({ openAtEnd: -(r.n ?? 0) }));
}

function ungroup<T extends GroupColumns>(e: T): T {
  return { ...e, unit: null, category: null as unknown as Category, channel: null as unknown as Channel, severity: null as unknown as Severity };
}

/**
 * Tickets received in [receivedFrom, receivedTo) that were closed just before `bound` although
 * their row no longer says so: reopened at or after `bound`, with the close before that reopen
 * earlier than `bound`.
 */
function closedBeforeButReopened(
  prepare: (sql: string) => Sqlite.Statement,
  select: string,
  groupBy: string,
  onlyUnit: string,
  params: Record<string, unknown>,
): unknown[] {
  return prepare(`SELECT ${select}, count(*) AS n
    FROM (SELECT ticket_id, min(at) AS first_reopen FROM events WHERE kind = 'reopened' AND at >= @bound GROUP BY ticket_id) r
    CROSS JOIN tickets t INDEXED BY tickets_report_groups ON t.id = r.ticket_id
    WHERE t.received_at >= @receivedFrom AND t.received_at < @receivedTo ${onlyUnit}
      AND (SELECT max(c.at) FROM events c INDEXED BY events_ticket WHERE c.ticket_id = r.ticket_id AND c.kind = 'closed' AND c.at < r.first_reopen) < @bound
    ${groupBy}`).all(params);
}

/**
 * The 12-month trend: received, closed, satisfaction and first-reply timeliness per month. Twelve
 * months of a large office is millions of index entries, so each figure takes its cheapest exact
 * road: counts straight from the event index wherever the event itself is the fact.
 */
export function trendTallies(store: Store, months: readonly Period[], asOf: Instant, unit: string | null): TrendMonth[] {
  if (unit !== null) {
    // One unit is a small share of the file: the general queries are cheap enough.
    return months.map((m) => trendMonth(m, periodTallies(store, m, asOf, unit, { grouped: false, trend: true }).tallies.total));
  }
  const prepare = statements(store);
  const received = prepare('SELECT count(*) FROM tickets WHERE received_at >= @from AND received_at < @to').pluck();
  // Tickets with a close in the month: every close, less the second close of a ticket closed,
  // reopened and closed again within the month (only tickets reopened in the month can be).
  const closes = prepare("SELECT count(*) FROM events WHERE kind = 'closed' AND at >= @from AND at < @to").pluck();
  const repeatCloses = prepare(`SELECT count(*) - count(DISTINCT ticket_id) FROM events
    WHERE kind = 'closed' AND at >= @from AND at < @to
      AND ticket_id IN (SELECT ticket_id FROM events WHERE kind = 'reopened' AND at >= @from AND at < @to)`).pluck();
  const surveys = prepare("SELECT count(*) FROM events WHERE kind = 'surveyed' AND at >= @from AND at < @to").pluck();
  // Scores: from the rows, except for tickets reopened since (their row lost the survey).
  const satisfiedRows = prepare(`SELECT total(survey_score >= 4) FROM tickets
    WHERE survey_at >= @from AND survey_at < @to AND id NOT IN (${REOPENED_SINCE})`).pluck();
  const satisfiedEvents = prepare(`SELECT total(json_extract(details, '$.score') >= 4) FROM events INDEXED BY events_report
    WHERE kind = 'surveyed' AND at >= @from AND at < @to AND ticket_id IN (${REOPENED_SINCE})`).pluck();
  const firstReply = prepare(`SELECT count(*) AS due, total(done_at IS NOT NULL AND done_at <= due) AS met FROM deadlines
    WHERE stage = 'first_reply' AND due >= @from AND due < @dueBefore`);
  return months.map((m) => {
    const params = { from: m.from, to: m.to, dueBefore: Math.min(m.to, asOf) };
    const t = emptyTally();
    t.received = received.get(params) as number;
    t.closed = (closes.get(params) as number) - (repeatCloses.get(params) as number);
    t.surveyed = surveys.get(params) as number;
    t.satisfied = (satisfiedRows.get(params) as number) + (satisfiedEvents.get(params) as number);
    t.timeliness.first_reply = firstReply.get(params) as { due: number; met: number };
    return trendMonth(m, t);
  });
}

function trendMonth(m: Period, t: Tally): TrendMonth {
  return {
    month: m.label,
    received: t.received,
    closed: t.closed,
    satisfaction_rate: rate(t.satisfied, t.surveyed),
    first_reply_rate: rate(t.timeliness.first_reply.met, t.timeliness.first_reply.due),
  };
}

export function countTickets(store: Store): number {
  return store.sqlite.prepare('SELECT count(*) FROM tickets').pluck().get() as number;
}

/** seed 000: units below this satisfaction rate two periods running are named (settings key). */
export function flagThreshold(store: Store, fallback: number): number {
  const value = readSetting<number>(store, 'report_flag_threshold');
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : fallback;
}

/** Reading a million-ticket file: a larger page cache and memory-mapped reads for this connection. */
export function tuneForReport(store: Store): void {
  // A modest page cache: the report reads index ranges once, and the memory budget of a command
  // is 150 MiB (memory-mapped pages count against it too, so no mmap).
  store.sqlite.pragma('cache_size = -16384');
}
