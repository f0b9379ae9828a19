/**
 * The period report (SPEC §5): periods in office local time, the metric definitions, and how the
 * store's SQL aggregates combine into the published figures. Pure: no clock, no database.
 *
 * The store hands over "tally rows": partial counts grouped by the ticket's unit, category,
 * channel and severity. Adding them up gives the totals and every breakdown from one set of
 * queries, so a breakdown can never disagree with the headline.
 */
import { BUILTIN_STAGES, SEVERITIES, type BuiltinStage, type Category, type Channel, type Severity, type Stage } from './model.js';
import { ROLES } from './people.js';
import { addDays, formatIso, localDate, startOfLocalDay, weekdayOf, type Instant } from './time.js';

// ---------------------------------------------------------------------------------------------
// Periods

export type PeriodKind = 'month' | 'week' | 'quarter' | 'year' | 'range';

/** [from, to) in instants, bounded at local midnights for calendar periods. */
export interface Period {
  kind: PeriodKind;
  label: string;
  from: Instant;
  to: Instant;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function parts(date: string): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function monthPeriod(year: number, month: number, tz: string): Period {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    kind: 'month',
    label: `${year}-${pad2(month)}`,
    from: startOfLocalDay(`${year}-${pad2(month)}-01`, tz),
    to: startOfLocalDay(`${next.year}-${pad2(next.month)}-01`, tz),
  };
}

export function quarterPeriod(year: number, quarter: number, tz: string): Period {
  const first = monthPeriod(year, quarter * 3 - 2, tz);
  const last = monthPeriod(year, quarter * 3, tz);
  return { kind: 'quarter', label: `${year}-Q${quarter}`, from: first.from, to: last.to };
}

export function yearPeriod(year: number, tz: string): Period {
  return { kind: 'year', label: String(year), from: startOfLocalDay(`${year}-01-01`, tz), to: startOfLocalDay(`${year + 1}-01-01`, tz) };
}

/** The Monday of ISO week 1: the week with the year's first Thursday (so 4 January is always in it). */
function isoWeekOneMonday(year: number): string {
  const jan4 = `${year}-01-04`;
  return addDays(jan4, -((weekdayOf(jan4) + 6) % 7));
}

export function isoWeeksInYear(year: number): number {
  const days = (Date.parse(`${isoWeekOneMonday(year + 1)}T00:00:00Z`) - Date.parse(`${isoWeekOneMonday(year)}T00:00:00Z`)) / 86_400_000;
  return days / 7;
}

export function weekPeriod(year: number, week: number, tz: string): Period {
  const monday = addDays(isoWeekOneMonday(year), (week - 1) * 7);
  return { kind: 'week', label: `${year}-W${pad2(week)}`, from: startOfLocalDay(monday, tz), to: startOfLocalDay(addDays(monday, 7), tz) };
}

/** The ISO week (year, week) a local date falls in. */
export function isoWeekOf(date: string): { year: number; week: number } {
  const { year } = parts(date);
  for (const y of [year + 1, year, year - 1]) {
    const monday = isoWeekOneMonday(y);
    if (date >= monday) {
      const days = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000;
      return { year: y, week: Math.floor(days / 7) + 1 };
    }
  }
  throw new RangeError(`no ISO week for ${date}`);
}

export function rangePeriod(from: Instant, to: Instant, label: string): Period {
  return { kind: 'range', label, from, to };
}

/** The calendar period of this kind just before the one containing `asOf` (a bare `--month`). */
export function previousCalendarPeriod(kind: Exclude<PeriodKind, 'range'>, asOf: Instant, tz: string): Period {
  return periodBefore(periodContaining(kind, asOf, tz), tz);
}

export function periodContaining(kind: Exclude<PeriodKind, 'range'>, at: Instant, tz: string): Period {
  const date = localDate(at, tz);
  const { year, month } = parts(date);
  switch (kind) {
    case 'month':
      return monthPeriod(year, month, tz);
    case 'quarter':
      return quarterPeriod(year, Math.ceil(month / 3), tz);
    case 'year':
      return yearPeriod(year, tz);
    case 'week': {
      const w = isoWeekOf(date);
      return weekPeriod(w.year, w.week, tz);
    }
  }
}

/** The period before, of the same kind: the previous month, week, quarter, year, or an equally long range. */
export function periodBefore(p: Period, tz: string): Period {
  const day = localDate(p.from - 1, tz);
  if (p.kind === 'range') {
    const length = p.to - p.from;
    const from = p.from - length;
    // A range of whole local days keeps whole days (a DST change inside would shift by an hour).
    const fromDate = localDate(p.from, tz);
    const toDate = localDate(p.to, tz);
    if (startOfLocalDay(fromDate, tz) === p.from && startOfLocalDay(toDate, tz) === p.to) {
      const days = Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000);
      const start = addDays(fromDate, -days);
      return rangePeriod(startOfLocalDay(start, tz), p.from, `${start}..${addDays(fromDate, -1)}`);
    }
    return rangePeriod(from, p.from, `${formatIso(from, tz)}..${formatIso(p.from, tz)}`);
  }
  return periodContaining(p.kind, startOfLocalDay(day, tz), tz);
}

/** The twelve calendar months ending with the month that holds the period's last day. */
export function trendMonths(p: Period, tz: string): Period[] {
  let month = periodContaining('month', p.to - 1, tz);
  const months = [month];
  while (months.length < 12) {
    month = periodBefore(month, tz);
    months.unshift(month);
  }
  return months;
}

// ---------------------------------------------------------------------------------------------
// Tallies: what the SQL aggregates return, per group of tickets

export interface StageTally {
  due: number;
  met: number;
}

export interface Tally {
  received: number;
  /** Of the tickets received in P, those closed at the as-of time. */
  closedOfReceived: number;
  openAtEnd: number;
  /** Tickets with a close in P (a ticket closed twice in P counts once). */
  closed: number;
  surveyed: number;
  satisfied: number;
  unreachable: number;
  reopened: number;
  compensationCents: number;
  resolutionMinutesSum: number;
  resolutionCount: number;
  timeliness: ByStage<StageTally>;
}

/**
 * Figures per stage: the five built-in stages always (a month with none due still shows them), then
 * each office stage with a deadline due in the period, in the order they first appear.
 */
export type ByStage<T> = { [K in BuiltinStage]: T } & { [stage: string]: T };

export interface TicketGroup {
  unit: string | null;
  category: Category;
  channel: Channel;
  severity: Severity;
}

export interface TallyRow extends TicketGroup {
  tally: Partial<Omit<Tally, 'timeliness'>> & { timeliness?: Partial<Record<Stage, StageTally>> };
  /**
   * Where the row counts: both (default), or only in the total or only in the breakdowns when the
   * store answers the two from different aggregates (timeliness: all stages in total, first reply by group).
   */
  scope?: 'total' | 'breakdown';
}

export function emptyTally(): Tally {
  const timeliness = {} as ByStage<StageTally>;
  for (const stage of BUILTIN_STAGES) timeliness[stage] = { due: 0, met: 0 };
  return {
    received: 0, closedOfReceived: 0, openAtEnd: 0, closed: 0, surveyed: 0, satisfied: 0, unreachable: 0, reopened: 0,
    compensationCents: 0, resolutionMinutesSum: 0, resolutionCount: 0, timeliness,
  };
}

const SCALAR_KEYS = [
  'received', 'closedOfReceived', 'openAtEnd', 'closed', 'surveyed', 'satisfied', 'unreachable', 'reopened',
  'compensationCents', 'resolutionMinutesSum', 'resolutionCount',
] as const;

function addInto(into: Tally, part: TallyRow['tally']): void {
  for (const key of SCALAR_KEYS) into[key] += part[key] ?? 0;
  for (const [stage, st] of Object.entries(part.timeliness ?? {}) as [Stage, StageTally][]) {
    const into_ = (into.timeliness[stage] ??= { due: 0, met: 0 });
    into_.due += st.due;
    into_.met += st.met;
  }
}

export interface Tallies {
  total: Tally;
  byUnit: Map<string | null, Tally>;
  byCategory: Map<Category, Tally>;
  byChannel: Map<Channel, Tally>;
  bySeverity: Map<Severity, Tally>;
}

export function combineTallies(rows: Iterable<TallyRow>): Tallies {
  const result: Tallies = { total: emptyTally(), byUnit: new Map(), byCategory: new Map(), byChannel: new Map(), bySeverity: new Map() };
  const into = <K>(map: Map<K, Tally>, key: K): Tally => {
    let tally = map.get(key);
    if (!tally) {
      tally = emptyTally();
      map.set(key, tally);
    }
    return tally;
  };
  for (const row of rows) {
    if (row.scope !== 'breakdown') addInto(result.total, row.tally);
    if (row.scope === 'total') continue;
    addInto(into(result.byUnit, row.unit), row.tally);
    addInto(into(result.byCategory, row.category), row.tally);
    addInto(into(result.byChannel, row.channel), row.tally);
    addInto(into(result.bySeverity, row.severity), row.tally);
  }
  return result;
}

/**
 * Closes and surveys of tickets reopened since the period began, read from their events: the
 * ticket row keeps only the last closure, so these are the ones it cannot answer for.
 */
export interface ClosureEvent extends TicketGroup {
  ticketId: number;
  kind: 'closed' | 'surveyed';
  /** closed: compensation in currency units as recorded; surveyed: null. */
  compensation: number | null;
  resolutionMinutes: number | null;
  score: number | null;
}

export function tallyClosureEvents(events: readonly ClosureEvent[]): { rows: TallyRow[]; resolutionMinutes: number[] } {
  const rows: TallyRow[] = [];
  const resolutionMinutes: number[] = [];
  const closedTickets = new Set<number>();
  for (const e of events) {
    const group = { unit: e.unit, category: e.category, channel: e.channel, severity: e.severity };
    if (e.kind === 'closed') {
      const first = !closedTickets.has(e.ticketId);
      closedTickets.add(e.ticketId);
      const minutes = e.resolutionMinutes;
      if (minutes !== null) resolutionMinutes.push(minutes);
      rows.push({
        ...group,
        tally: {
          closed: first ? 1 : 0,
          compensationCents: e.compensation === null ? 0 : Math.round(e.compensation * 100),
          resolutionMinutesSum: minutes ?? 0,
          resolutionCount: minutes === null ? 0 : 1,
        },
      });
    } else if (e.score !== null) {
      rows.push({ ...group, tally: { surveyed: 1, satisfied: e.score >= 4 ? 1 : 0 } });
    }
  }
  return { rows, resolutionMinutes };
}

// ---------------------------------------------------------------------------------------------
// Figures: what the office reads

/** A share of a whole, or null when there is nothing to share (never NaN, never a made-up 0%). */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const hours = (minutes: number | null): number | null => (minutes === null ? null : Math.round((minutes / 60) * 100) / 100);

export interface StageFigures {
  due: number;
  met: number;
  rate: number | null;
}

export interface Figures {
  received: number;
  closed: number;
  closure_rate: number | null;
  open_at_end: number;
  satisfaction: { surveyed: number; satisfied: number; rate: number | null };
  callback_rate: number | null;
  unreachable_attempts: number;
  timeliness: ByStage<StageFigures>;
  reopened: number;
  compensation_total: number;
  resolution_hours: { mean: number | null; median: number | null };
}

export function figures(t: Tally, resolutionMedianMinutes: number | null = null): Figures {
  const timeliness = {} as ByStage<StageFigures>;
  for (const [stage, { due, met }] of Object.entries(t.timeliness)) {
    timeliness[stage] = { due, met, rate: rate(met, due) };
  }
  return {
    received: t.received,
    closed: t.closed,
    closure_rate: rate(t.closedOfReceived, t.received),
    open_at_end: t.openAtEnd,
    satisfaction: { surveyed: t.surveyed, satisfied: t.satisfied, rate: rate(t.satisfied, t.surveyed) },
    callback_rate: rate(t.surveyed, t.closed),
    unreachable_attempts: t.unreachable,
    timeliness,
    reopened: t.reopened,
    compensation_total: t.compensationCents / 100,
    resolution_hours: {
      mean: t.resolutionCount === 0 ? null : hours(t.resolutionMinutesSum / t.resolutionCount),
      median: hours(resolutionMedianMinutes),
    },
  };
}

export interface FlaggedUnit {
  unit: string;
  rate: number;
  surveyed: number;
  previous_rate: number;
  previous_surveyed: number;
}

/**
 * seed 000: a unit whose satisfaction stays below the line two periods running is named in the
 * bulletin. Each period needs at least one survey: no surveys is no evidence either way.
 */
export function flaggedUnits(
  current: ReadonlyMap<string | null, Pick<Tally, 'surveyed' | 'satisfied'>>,
  previous: ReadonlyMap<string | null, Pick<Tally, 'surveyed' | 'satisfied'>>,
  threshold: number,
): FlaggedUnit[] {
  const flagged: FlaggedUnit[] = [];
  for (const [unit, now] of current) {
    const before = previous.get(unit);
    if (unit === null || before === undefined || now.surveyed === 0 || before.surveyed === 0) continue;
    const r = now.satisfied / now.surveyed;
    const pr = before.satisfied / before.surveyed;
    if (r < threshold && pr < threshold) {
      flagged.push({ unit, rate: r, surveyed: now.surveyed, previous_rate: pr, previous_surveyed: before.surveyed });
    }
  }
  return flagged.sort((a, b) => a.rate - b.rate || compareNames(a.unit, b.unit));
}

export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'zh-CN');
}

// ---------------------------------------------------------------------------------------------
// The document (SPEC §6): JSON names as published; human formats render this same object.

export const DEFAULT_FLAG_THRESHOLD = 0.9;
/** seed 004: first replies on time at least 95% of the time; seed 000: 90% satisfied. */
export const TARGETS = { first_reply_timeliness: 0.95, satisfaction: 0.9 } as const;

export interface PeriodDocument {
  kind: PeriodKind;
  label: string;
  from: string;
  to: string;
}

/** A breakdown row: the headline figures, with timeliness for the headline stage, first reply. */
export type BreakdownFigures = Omit<Figures, 'timeliness'> & { timeliness: { first_reply: StageFigures } };
export type UnitRow = BreakdownFigures & { unit: string | null };
export type CategoryRow = BreakdownFigures & { category: Category };
export type ChannelRow = BreakdownFigures & { channel: Channel };
export type SeverityRow = BreakdownFigures & { severity: Severity };

export function breakdownFigures(t: Tally): BreakdownFigures {
  const f = figures(t);
  return { ...f, timeliness: { first_reply: f.timeliness.first_reply } };
}

export interface TrendMonth {
  month: string;
  received: number;
  closed: number;
  satisfaction_rate: number | null;
  first_reply_rate: number | null;
}

export type PreviousFigures = Omit<Figures, 'timeliness'> & { period: PeriodDocument; timeliness: ByStage<StageFigures> };

/**
 * One handler's appraisal (seed 002 §7.3: 投诉处理速度, 处理效果 and satisfaction). Counted as
 * by_unit counts, by the ticket's handler (assignee): the rows add up to the headline figures.
 */
export interface PersonRow {
  assignee: string | null;
  /** The registered person's name, when the handler is a registered login. */
  name: string | null;
  closed: number;
  timeliness: { first_reply: StageFigures; resolve: StageFigures };
  satisfaction: { surveyed: number; satisfied: number; rate: number | null };
  reopened: number;
}

/**
 * What the store counts of the period's approvals (issue 13 §4, seed 004 §3.9): requests,
 * approvals and rejections made in it, the approvals made within the approval stage's deadline,
 * the requests still awaiting a decision at its end, and the compensation approved, in cents, by
 * the approver's rank.
 */
export interface ApprovalTally {
  requested: number;
  approved: number;
  approvedWithinStage: number;
  rejected: number;
  pendingAtEnd: number;
  centsByRank: Readonly<Record<string, number>>;
}

export interface ApprovalFigures {
  requested: number;
  approved: number;
  approved_within_stage: number;
  rejected: number;
  pending_at_end: number;
  /** In the currency's units; the ranks that may approve by default always, any other that did. */
  amount_by_rank: Record<string, number>;
}

export function emptyApprovalTally(): ApprovalTally {
  return { requested: 0, approved: 0, approvedWithinStage: 0, rejected: 0, pendingAtEnd: 0, centsByRank: {} };
}

/** The ranks an approval names by default (approve: supervisor and above). */
const APPROVING_RANKS = ROLES.slice(ROLES.indexOf('supervisor'));

export function approvalFigures(a: ApprovalTally): ApprovalFigures {
  const amounts: Record<string, number> = {};
  const others = Object.keys(a.centsByRank).filter((r) => !(APPROVING_RANKS as readonly string[]).includes(r)).sort();
  for (const rank of [...APPROVING_RANKS, ...others]) amounts[rank] = (a.centsByRank[rank] ?? 0) / 100;
  return {
    requested: a.requested,
    approved: a.approved,
    approved_within_stage: a.approvedWithinStage,
    rejected: a.rejected,
    pending_at_end: a.pendingAtEnd,
    amount_by_rank: amounts,
  };
}

/** Whether the period saw anything of approvals: the human formats show the section only then. */
export function anyApprovals(a: ApprovalFigures): boolean {
  return a.requested + a.approved + a.rejected + a.pending_at_end > 0;
}

/**
 * Handlers with anything to appraise in the period, most closes first, then by name. `byAssignee`
 * is the period's tallies grouped by the ticket's handler; `names` the registered people's names.
 */
export function personRows(byAssignee: ReadonlyMap<string | null, Tally>, names: ReadonlyMap<string, string>): PersonRow[] {
  const stage = (t: Tally, s: 'first_reply' | 'resolve'): StageFigures => {
    const { due, met } = t.timeliness[s];
    return { due, met, rate: rate(met, due) };
  };
  return [...byAssignee.entries()]
    .filter(([, t]) => t.closed + t.surveyed + t.reopened + t.timeliness.first_reply.due + t.timeliness.resolve.due > 0)
    .sort(([a, ta], [b, tb]) => (a === null ? 1 : b === null ? -1 : tb.closed - ta.closed || compareNames(a, b)))
    .map(([assignee, t]) => ({
      assignee,
      name: assignee === null ? null : names.get(assignee) ?? null,
      closed: t.closed,
      timeliness: { first_reply: stage(t, 'first_reply'), resolve: stage(t, 'resolve') },
      satisfaction: { surveyed: t.surveyed, satisfied: t.satisfied, rate: rate(t.satisfied, t.surveyed) },
      reopened: t.reopened,
    }));
}

export interface ReportDocument extends Figures {
  period: PeriodDocument;
  as_of: string;
  unit: string | null;
  targets: { first_reply_timeliness: number; satisfaction: number; flag_below: number };
  by_unit: UnitRow[];
  /** Only when asked for (`report --by person`). */
  by_person?: PersonRow[];
  by_category: CategoryRow[];
  by_channel: ChannelRow[];
  by_severity: SeverityRow[];
  flagged_units: FlaggedUnit[];
  approvals: ApprovalFigures;
  previous: PreviousFigures;
  trend: TrendMonth[];
}

export function periodDocument(p: Period, tz: string): PeriodDocument {
  return { kind: p.kind, label: p.label, from: formatIso(p.from, tz), to: formatIso(p.to, tz) };
}

/** Any activity at all: breakdown rows that are all zero are left out. */
function active(t: Tally): boolean {
  return t.received + t.closed + t.openAtEnd + t.surveyed + t.reopened + t.unreachable + t.timeliness.first_reply.due > 0;
}

export interface ReportInput {
  period: Period;
  previousPeriod: Period;
  asOf: Instant;
  tz: string;
  unit: string | null;
  threshold: number;
  current: Tallies;
  currentMedianMinutes: number | null;
  previous: Tallies;
  previousMedianMinutes: number | null;
  trend: TrendMonth[];
  order: ReportOrder;
  /** The period's approvals; none when left out. */
  approvals?: ApprovalTally;
  /** `report --by person`: the period's tallies by handler, and the registered people's names. */
  byPerson?: { tallies: ReadonlyMap<string | null, Tally>; names: ReadonlyMap<string, string> };
}

/** The office's procedure as the report orders by it (issue 11). */
export interface ReportOrder {
  /** The codes of the office's category and channel lists, in its order, retired ones included. */
  categories: readonly string[];
  channels: readonly string[];
  /** The procedure's stages in its order. */
  stages: readonly { code: string; retired: boolean }[];
}

/**
 * A breakdown in the office's order: the list's codes first, then any code a ticket carries that
 * the list no longer has (an older file, an import), in code order. Rows with no activity are left out.
 */
function inOrder<K extends string>(list: readonly K[], map: ReadonlyMap<K, Tally>): [K, Tally][] {
  const known = new Set<string>(list);
  const others = [...map.keys()].filter((k) => !known.has(k)).sort();
  return [...list, ...others].filter((k) => map.has(k) && active(map.get(k)!)).map((k) => [k, map.get(k)!]);
}

/**
 * Timeliness rows in the procedure's order: the built-in stages first, as always, then the office's
 * own in its order. An office stage in use is listed even with nothing due (the office sees it ran
 * clean); a retired one only when something of it fell due in the period. A stage the procedure no
 * longer names but deadlines still carry comes last, in code order.
 */
function stagesInOrder(timeliness: ByStage<StageFigures>, stages: ReportOrder['stages']): ByStage<StageFigures> {
  const ordered = {} as ByStage<StageFigures>;
  for (const stage of BUILTIN_STAGES) ordered[stage] = timeliness[stage];
  for (const rule of stages) {
    if ((BUILTIN_STAGES as readonly string[]).includes(rule.code)) continue;
    const figures = timeliness[rule.code];
    if (figures !== undefined && figures.due > 0) ordered[rule.code] = figures;
    else if (!rule.retired) ordered[rule.code] = figures ?? { due: 0, met: 0, rate: null };
  }
  for (const code of Object.keys(timeliness).sort()) {
    if (!(code in ordered) && !stages.some((s) => s.code === code)) ordered[code] = timeliness[code]!;
  }
  return ordered;
}

export function buildReport(input: ReportInput): ReportDocument {
  const { current, previous, tz } = input;
  const byUnit = [...current.byUnit.entries()]
    .filter(([, t]) => active(t))
    .sort(([a, ta], [b, tb]) => (a === null ? 1 : b === null ? -1 : tb.received - ta.received || compareNames(a, b)))
    .map(([unit, t]) => ({ unit, ...breakdownFigures(t) }));
  const { order } = input;
  const headline = figures(current.total, input.currentMedianMinutes);
  const before = figures(previous.total, input.previousMedianMinutes);
  return {
    period: periodDocument(input.period, tz),
    as_of: formatIso(input.asOf, tz),
    unit: input.unit,
    ...headline,
    timeliness: stagesInOrder(headline.timeliness, order.stages),
    targets: { ...TARGETS, flag_below: input.threshold },
    by_unit: byUnit,
    ...(input.byPerson === undefined ? {} : { by_person: personRows(input.byPerson.tallies, input.byPerson.names) }),
    by_category: inOrder(order.categories, current.byCategory).map(([category, t]) => ({ category, ...breakdownFigures(t) })),
    by_channel: inOrder(order.channels, current.byChannel).map(([channel, t]) => ({ channel, ...breakdownFigures(t) })),
    by_severity: inOrder(SEVERITIES, current.bySeverity).map(([severity, t]) => ({ severity, ...breakdownFigures(t) })),
    flagged_units: flaggedUnits(current.byUnit, previous.byUnit, input.threshold),
    approvals: approvalFigures(input.approvals ?? emptyApprovalTally()),
    previous: { period: periodDocument(input.previousPeriod, tz), ...before, timeliness: stagesInOrder(before.timeliness, order.stages) },
    trend: input.trend,
  };
}

/** Whether a rate meets its target: null (nothing to measure) is neither. */
export function meetsTarget(value: number | null, target: number): boolean | null {
  return value === null ? null : value >= target;
}
