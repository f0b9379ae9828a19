import { sql, type RawBuilder } from 'kysely';
import type { Category, Channel, Severity, Stage } from '../../domain/model.js';
import {
  combineTallies, emptyTally, type ApprovalTally, median, rate, tallyClosureEvents, type ClosureEvent, type Period, type Tally, type TallyRow,
  type TrendMonth,
} from '../../domain/report.js';
import type { Instant } from '../../domain/time.js';
import type { PeriodTallies, TallyOptions } from '../report-queries.js';
import type { Db } from '../store.js';

// The report's aggregates (SPEC §5), computed in SQL over index ranges so that a month at a million
// tickets stays well under a second (schema/sqlite/002_report_indexes.sql holds the covering
// indexes; INDEXED BY, total() and json_extract are SQLite's).
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

const GROUP_SELECT = sql.raw('t.unit AS unit, t.category AS category, t.channel AS channel, t.severity AS severity');
const NO_GROUP_SELECT = sql.raw('NULL AS unit, NULL AS category, NULL AS channel, NULL AS severity');
const GROUP_BY = sql.raw('GROUP BY t.unit, t.category, t.channel, t.severity');
// `report --by person`: the same counts grouped by the ticket's handler, carried in the unit's
// place so that every query below serves both (the other groups are left empty).
const ASSIGNEE_SELECT = sql.raw('t.assignee AS unit, NULL AS category, NULL AS channel, NULL AS severity');
const ASSIGNEE_GROUP_BY = sql.raw('GROUP BY t.assignee');
const NOTHING = sql.raw('');
/** Tickets reopened at or after `from`: their rows cannot speak for closures before the reopen. */
const reopenedSince = (from: Instant): RawBuilder<unknown> => sql`SELECT ticket_id FROM events WHERE kind = 'reopened' AND at >= ${from}`;
const MIN_INSTANT = -8.64e15;

type Fragment = RawBuilder<unknown>;

/** Every count of the report for one period, optionally for one unit. */
export async function periodTallies(db: Db, period: Period, asOf: Instant, unit: string | null, options: TallyOptions): Promise<PeriodTallies> {
  const byAssignee = options.by === 'assignee';
  const groupSelect = byAssignee ? ASSIGNEE_SELECT : GROUP_SELECT;
  const select = options.grouped ? groupSelect : NO_GROUP_SELECT;
  const groupBy = options.grouped ? (byAssignee ? ASSIGNEE_GROUP_BY : GROUP_BY) : NOTHING;
  const onlyUnit = unit === null ? NOTHING : sql`AND t.unit = ${unit}`;
  const { from, to } = period;
  const dueBefore = Math.min(period.to, asOf);
  const q: Shape = { select, groupBy, onlyUnit };
  const rows: TallyRow[] = [];
  const add: Add = (records, tally) => {
    for (const r of records as (GroupColumns & Record<string, number>)[]) {
      rows.push({ unit: r.unit, category: r.category, channel: r.channel, severity: r.severity, tally: tally(r) });
    }
  };

  // Received in P, and of those the ones closed at the as-of time.
  add(await db.all(sql`SELECT ${select}, count(*) AS n, total(t.closed_at IS NOT NULL AND t.closed_at <= ${asOf}) AS closed
      FROM tickets t WHERE t.received_at >= ${from} AND t.received_at < ${to} ${onlyUnit} ${groupBy}`),
  (r) => ({ received: r.n, closedOfReceived: r.closed }));
  if (!options.trend) {
    add(await closedBeforeButReopened(db, q, { bound: asOf + 1, receivedFrom: from, receivedTo: to }), (r) => ({ closedOfReceived: r.n }));
    await openAtEnd(db, q, to, add);
  }

  // Closes and surveys in P: rows for tickets not reopened since, events for the rest.
  add(await db.all(sql`SELECT ${select}, count(*) AS n, total(t.resolution_minutes) AS minutes, count(t.resolution_minutes) AS timed,
        total(t.compensation_cents) AS cents
      FROM tickets t WHERE t.closed_at >= ${from} AND t.closed_at < ${to} AND t.id NOT IN (${reopenedSince(from)}) ${onlyUnit} ${groupBy}`),
  (r) => ({ closed: r.n, resolutionMinutesSum: r.minutes, resolutionCount: r.timed, compensationCents: r.cents }));
  const minutes = options.grouped
    ? (await db.all(sql<{ m: number }>`SELECT t.resolution_minutes AS m FROM tickets t WHERE t.closed_at >= ${from} AND t.closed_at < ${to}
        AND t.resolution_minutes IS NOT NULL AND t.id NOT IN (${reopenedSince(from)}) ${onlyUnit}`)).map((r) => r.m)
    : [];
  add(await db.all(sql`SELECT ${select}, count(*) AS n, total(t.survey_score >= 4) AS satisfied
      FROM tickets t WHERE t.survey_at >= ${from} AND t.survey_at < ${to} AND t.id NOT IN (${reopenedSince(from)}) ${onlyUnit} ${groupBy}`),
  (r) => ({ surveyed: r.n, satisfied: r.satisfied }));
  // Driven from the period's closes and surveys (index only), keeping those of reopened tickets;
  // only those few rows are read for their JSON.
  const closureEvents = await db.all(sql<ClosureEvent>`SELECT ${groupSelect}, e.ticket_id AS ticketId, e.kind AS kind,
        CASE WHEN e.kind = 'closed' THEN json_extract(e.payload, '$.d.compensation') END AS compensation,
        CASE WHEN e.kind = 'closed' THEN json_extract(e.payload, '$.s.resolutionMinutes') END AS resolutionMinutes,
        CASE WHEN e.kind = 'surveyed' THEN json_extract(e.payload, '$.d.score') END AS score
      FROM events e INDEXED BY events_report
      JOIN tickets t INDEXED BY tickets_report_groups ON t.id = e.ticket_id
      WHERE e.kind IN ('closed', 'surveyed') AND e.at >= ${from} AND e.at < ${to}
        AND e.ticket_id IN (${reopenedSince(from)}) ${onlyUnit}
      ORDER BY e.id`);
  const fromEvents = tallyClosureEvents(options.grouped ? closureEvents : closureEvents.map(ungroup));
  rows.push(...fromEvents.rows);

  // Reopens and unreachable callback attempts in P.
  if (!options.trend) add(await db.all(sql`SELECT ${select}, total(e.kind = 'reopened') AS reopened, total(e.kind = 'callback_failed') AS unreachable
      FROM events e INDEXED BY events_report JOIN tickets t INDEXED BY tickets_report_groups ON t.id = e.ticket_id
      WHERE e.kind IN ('reopened', 'callback_failed') AND e.at >= ${from} AND e.at < ${to} ${onlyUnit} ${groupBy}`),
  (r) => ({ reopened: r.reopened, unreachable: r.unreachable }));

  // Timeliness: deadlines whose due time fell in P and has passed by the as-of time.
  // Every stage in total from the index alone; by group only the headline first reply, whose
  // join to the tickets is the one breakdown worth its cost (seed 004: first reply ≥ 95%).
  // Every stage of the procedure, the office's own included: no list to keep in step with it.
  const stages = sql.raw(options.trend ? "d.stage = 'first_reply'" : '1');
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
    addStages(await db.all(sql<StageRow>`SELECT ${NO_GROUP_SELECT}, d.stage AS stage, count(*) AS due,
         total(d.done_at IS NOT NULL AND d.done_at <= d.due) AS met
       FROM deadlines d WHERE ${stages} AND d.due >= ${from} AND d.due < ${dueBefore} GROUP BY d.stage`), 'total');
  }
  if (unit !== null || options.grouped) {
    // For one unit these rows are the totals too; for the whole office they only give the breakdowns.
    // A handler is appraised on first replies and resolutions on time (seed 002 §7.3).
    const stageFilter = byAssignee ? sql.raw("d.stage IN ('first_reply', 'resolve')") : unit !== null && !options.trend ? stages : sql.raw("d.stage = 'first_reply'");
    const grouping = options.grouped ? sql`${groupBy}, d.stage` : sql.raw('GROUP BY d.stage');
    addStages(await db.all(sql<StageRow>`SELECT ${select}, d.stage AS stage, count(*) AS due, total(d.done_at IS NOT NULL AND d.done_at <= d.due) AS met
       FROM deadlines d JOIN tickets t INDEXED BY tickets_report_groups ON t.id = d.ticket_id
       WHERE ${stageFilter} AND d.due >= ${from} AND d.due < ${dueBefore} ${onlyUnit} ${grouping}`),
    unit === null ? 'breakdown' : undefined);
  }

  return {
    tallies: combineTallies(rows),
    medianResolutionMinutes: options.grouped ? median([...minutes, ...fromEvents.resolutionMinutes]) : null,
  };
}

/**
 * The period's approvals (issue 13 §4): requests, approvals and rejections made in it; approvals
 * made by the approval stage's deadline (the stage's instance done at the approval's time); the
 * requests that awaited a decision at its end (the ticket's last approval event before then was a
 * request); and the compensation approved by the approver's rank, as the request asked it.
 */
export async function approvalTallies(db: Db, period: Period, unit: string | null): Promise<ApprovalTally> {
  const { from, to } = period;
  const join = unit === null ? NOTHING : sql`JOIN tickets t ON t.id = e.ticket_id AND t.unit = ${unit}`;
  const counts = (await db.first(sql<{ requested: number; approved: number; rejected: number }>`SELECT
        total(e.kind = 'approval_requested') AS requested, total(e.kind = 'approved') AS approved, total(e.kind = 'approval_rejected') AS rejected
      FROM events e INDEXED BY events_report ${join}
      WHERE e.kind IN ('approval_requested', 'approved', 'approval_rejected') AND e.at >= ${from} AND e.at < ${to}`))!;
  const approved = await db.all(sql<{ rank: string | null; amount: number | null; within: number }>`SELECT
        json_extract(e.payload, '$.d.rank') AS rank,
        (SELECT json_extract(r.payload, '$.d.compensation') FROM events r INDEXED BY events_ticket
          WHERE r.ticket_id = e.ticket_id AND r.id < e.id AND r.kind = 'approval_requested' ORDER BY r.id DESC LIMIT 1) AS amount,
        EXISTS (SELECT 1 FROM deadlines d WHERE d.ticket_id = e.ticket_id AND d.stage = 'approval'
          AND d.done_at = e.at AND d.due IS NOT NULL AND d.done_at <= d.due) AS within
      FROM events e INDEXED BY events_report ${join}
      WHERE e.kind = 'approved' AND e.at >= ${from} AND e.at < ${to}`);
  const pending = (await db.first(sql<{ n: number }>`SELECT count(*) AS n FROM (
        SELECT e.kind AS kind, max(e.id) FROM events e INDEXED BY events_report ${join}
        WHERE e.kind IN ('approval_requested', 'approved', 'approval_rejected') AND e.at < ${to} GROUP BY e.ticket_id
      ) WHERE kind = 'approval_requested'`))!;
  const centsByRank: Record<string, number> = {};
  for (const a of approved) {
    if (a.rank === null) continue;
    centsByRank[a.rank] = (centsByRank[a.rank] ?? 0) + Math.round((a.amount ?? 0) * 100);
  }
  return {
    requested: counts.requested, approved: counts.approved, rejected: counts.rejected,
    approvedWithinStage: approved.filter((a) => a.within === 1).length,
    pendingAtEnd: pending.n,
    centsByRank,
  };
}

/** The parts of a period's queries that depend on its grouping and unit. */
interface Shape {
  select: Fragment;
  groupBy: Fragment;
  onlyUnit: Fragment;
}

type Add = (records: unknown[], tally: (r: Record<string, number>) => TallyRow['tally']) => void;

/** Open at the end of P: received before `to` and not closed just before `to`. */
async function openAtEnd(db: Db, q: Shape, to: Instant, add: Add): Promise<void> {
  const { select, groupBy, onlyUnit } = q;
  add(await db.all(sql`SELECT ${select}, count(*) AS n FROM tickets t
      WHERE t.status <> 'closed' AND t.received_at < ${to} ${onlyUnit} ${groupBy}`), (r) => ({ openAtEnd: r.n }));
  add(await db.all(sql`SELECT ${select}, count(*) AS n FROM tickets t
      WHERE t.closed_at >= ${to} AND t.received_at < ${to} ${onlyUnit} ${groupBy}`), (r) => ({ openAtEnd: r.n }));
  add(await closedBeforeButReopened(db, q, { bound: to, receivedFrom: MIN_INSTANT, receivedTo: to }), (r) => ({ openAtEnd: -(r.n ?? 0) }));
}

function ungroup<T extends GroupColumns>(e: T): T {
  return { ...e, unit: null, category: null as unknown as Category, channel: null as unknown as Channel, severity: null as unknown as Severity };
}

/**
 * Tickets received in [receivedFrom, receivedTo) that were closed just before `bound` although
 * their row no longer says so: reopened at or after `bound`, with the close before that reopen
 * earlier than `bound`.
 */
function closedBeforeButReopened(db: Db, q: Shape, range: { bound: Instant; receivedFrom: Instant; receivedTo: Instant }): Promise<unknown[]> {
  const { bound, receivedFrom, receivedTo } = range;
  return db.all(sql`SELECT ${q.select}, count(*) AS n
    FROM (SELECT ticket_id, min(at) AS first_reopen FROM events WHERE kind = 'reopened' AND at >= ${bound} GROUP BY ticket_id) r
    CROSS JOIN tickets t INDEXED BY tickets_report_groups ON t.id = r.ticket_id
    WHERE t.received_at >= ${receivedFrom} AND t.received_at < ${receivedTo} ${q.onlyUnit}
      AND (SELECT max(c.at) FROM events c INDEXED BY events_ticket WHERE c.ticket_id = r.ticket_id AND c.kind = 'closed' AND c.at < r.first_reopen) < ${bound}
    ${q.groupBy}`);
}

/**
 * The 12-month trend: received, closed, satisfaction and first-reply timeliness per month. Twelve
 * months of a large office is millions of index entries, so each figure takes its cheapest exact
 * road: counts straight from the event index wherever the event itself is the fact.
 */
export async function trendTallies(db: Db, months: readonly Period[], asOf: Instant, unit: string | null): Promise<TrendMonth[]> {
  const trend: TrendMonth[] = [];
  for (const m of months) {
    // One unit is a small share of the file: the general queries are cheap enough.
    const t = unit !== null ? (await periodTallies(db, m, asOf, unit, { grouped: false, trend: true })).tallies.total : await officeMonth(db, m, asOf);
    trend.push(trendMonth(m, t));
  }
  return trend;
}

async function officeMonth(db: Db, m: Period, asOf: Instant): Promise<Tally> {
  const { from, to } = m;
  const dueBefore = Math.min(m.to, asOf);
  const count = async (q: RawBuilder<{ n: number }>): Promise<number> => (await db.first(q))!.n;
  const t = emptyTally();
  t.received = await count(sql`SELECT count(*) AS n FROM tickets WHERE received_at >= ${from} AND received_at < ${to}`);
  // Tickets with a close in the month: every close, less the second close of a ticket closed,
  // reopened and closed again within the month (only tickets reopened in the month can be).
  t.closed = await count(sql`SELECT count(*) AS n FROM events WHERE kind = 'closed' AND at >= ${from} AND at < ${to}`)
    - await count(sql`SELECT count(*) - count(DISTINCT ticket_id) AS n FROM events
    WHERE kind = 'closed' AND at >= ${from} AND at < ${to}
      AND ticket_id IN (SELECT ticket_id FROM events WHERE kind = 'reopened' AND at >= ${from} AND at < ${to})`);
  t.surveyed = await count(sql`SELECT count(*) AS n FROM events WHERE kind = 'surveyed' AND at >= ${from} AND at < ${to}`);
  // Scores: from the rows, except for tickets reopened since (their row lost the survey).
  t.satisfied = await count(sql`SELECT total(survey_score >= 4) AS n FROM tickets
    WHERE survey_at >= ${from} AND survey_at < ${to} AND id NOT IN (${reopenedSince(from)})`)
    + await count(sql`SELECT total(json_extract(payload, '$.d.score') >= 4) AS n FROM events INDEXED BY events_report
    WHERE kind = 'surveyed' AND at >= ${from} AND at < ${to} AND ticket_id IN (${reopenedSince(from)})`);
  t.timeliness.first_reply = (await db.first(sql<{ due: number; met: number }>`SELECT count(*) AS due, total(done_at IS NOT NULL AND done_at <= due) AS met FROM deadlines
    WHERE stage = 'first_reply' AND due >= ${from} AND due < ${dueBefore}`))!;
  return t;
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
