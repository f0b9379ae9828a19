import { severityLabel, stageLabel } from '../ui/labels.js';
import type { Context } from '../cli/context.js';
import { parseAsOf, parseDurationText } from '../cli/input.js';
import { officeUnits, unitFilter } from '../cli/units.js';
import { durationClock, isLate } from '../domain/sla.js';
import { formatIso, formatLocal, type Instant } from '../domain/time.js';
import { addClockTime, clockMinutesBetween, type OfficeCalendar } from '../domain/working-time.js';
import { t } from '../messages/index.js';
import { pendingDeadlinesBefore, type PendingDeadline } from '../store/overdue-queries.js';
import { loadStages } from '../store/procedure.js';
import { loadCalendar, readSetting, writeSetting } from '../store/settings.js';
import type { StageRule } from '../domain/procedure.js';
import { display, jsonText } from '../ui/cells.js';
import { palette } from '../ui/colour.js';
import { formatMinutes, padToWidth } from '../ui/format.js';
import { visibleWidth } from '../ui/table.js';

export interface OverdueOptions {
  asOf?: string;
  unit?: string;
  within?: string;
  new?: boolean;
  exitCode?: boolean;
  json?: boolean;
}

interface LateStage extends PendingDeadline {
  /** Working (or 24×7) minutes past due; negative for a stage coming due within --within. */
  lateBy: number;
}

/** What the last `--new` run covered: overdue up to `asOf`, coming due up to `horizon`. */
interface Notified {
  asOf: Instant;
  horizon: Instant;
}

export const EXIT_OVERDUE = 3;

export async function run(ctx: Context, options: OverdueOptions): Promise<number> {
  const units = unitFilter('--unit', options.unit, await officeUnits(ctx));
  const within = options.within === undefined ? null : parseDurationText('--within', options.within);
  const store = await ctx.store();
  const cal = await store.read(loadCalendar);
  const now = ctx.now();
  const asOf = options.asOf === undefined ? now : parseAsOf('--as-of', options.asOf, cal, now);
  const allowance = within === null ? null : durationClock(within, cal);
  const horizon = allowance === null ? asOf : (addClockTime(cal, allowance.clock, asOf, allowance.minutes) ?? asOf);

  const bookmark = `overdue_notified:${units?.slice().sort().join(',') ?? '*'}`;
  const { pending, rules } = await store.read(async (db) => ({
    pending: await pendingDeadlinesBefore(db, Math.max(horizon, asOf), units),
    rules: await loadStages(db),
  }));
  let stages = withLateness(pending, cal, asOf);
  if (options.new) {
    // Cron runs this every half hour: each lateness is mailed once, when it first appears.
    const found = stages;
    stages = await store.transact(async (db) => {
      const last = await readSetting<Notified>(db, bookmark);
      const fresh = last === undefined
        ? found
        // Late means late by a minute or more (domain/sla.ts isLate), as every reader is told: a stage
        // due this minute is reported by the run after it, not by this one as "due now" and then never.
        : found.filter((s) => (isLate(s.due, asOf) ? !isLate(s.due, last.asOf) : s.due >= Math.max(asOf, last.horizon)));
      await writeSetting(db, bookmark, { asOf: Math.max(asOf, last?.asOf ?? asOf), horizon: Math.max(horizon, last?.horizon ?? horizon) } satisfies Notified);
      return fresh;
    });
  }
  const anyOverdue = stages.some((s) => isLate(s.due, asOf));
  const code = options.exitCode && anyOverdue ? EXIT_OVERDUE : 0;

  if (options.json) {
    writeOverdueDocument(ctx.io.out, stages, asOf, cal.timezone);
    return code;
  }
  if (stages.length === 0) {
    // cron mails any output, so with nobody at a terminal silence means "nothing late".
    if (ctx.io.stdoutIsTTY) ctx.io.out(t('overdue_none', { asOf: formatLocal(asOf, cal.timezone) }));
    return code;
  }
  ctx.io.out(renderOverdue(stages, rules, asOf, cal.timezone, cal.minutesPerWorkingDay, ctx.io.color, ctx.io.width ?? 100));
  return code;
}

/**
 * How late each stage is, in its own clock's minutes. A backlog can hold thousands of late stages;
 * walking the calendar from each due time to as-of would repeat the same days thousands of times,
 * so stages are taken latest first and each adds only the stretch up to the next one.
 */
function withLateness(pending: readonly PendingDeadline[], cal: OfficeCalendar, asOf: Instant): LateStage[] {
  const late = new Map<PendingDeadline, number>();
  for (const clock of ['working', 'round-the-clock'] as const) {
    const onClock = pending.filter((d) => (d.clock ?? 'working') === clock).sort((a, b) => b.due - a.due);
    let next = asOf;
    let sum = 0;
    for (const d of onClock) {
      if (d.due >= asOf) {
        late.set(d, -clockMinutesBetween(cal, clock, asOf, d.due));
        continue;
      }
      sum += clockMinutesBetween(cal, clock, d.due, next);
      next = d.due;
      late.set(d, sum);
    }
  }
  return pending.map((d) => ({ ...d, lateBy: late.get(d)! }));
}

interface TicketLateness {
  no: string;
  unit: string | null;
  assignee: string | null;
  severity: string;
  status: string;
  stages: LateStage[];
  worst: number;
}

function byTicket(stages: readonly LateStage[]): TicketLateness[] {
  const tickets = new Map<string, TicketLateness>();
  for (const s of stages) {
    const entry = tickets.get(s.no) ?? { no: s.no, unit: s.unit, assignee: s.assignee, severity: s.severity, status: s.status, stages: [], worst: -Infinity };
    entry.stages.push(s);
    entry.worst = Math.max(entry.worst, s.lateBy);
    tickets.set(s.no, entry);
  }
  return [...tickets.values()].sort((a, b) => b.worst - a.worst || a.no.localeCompare(b.no));
}

/**
 * SPEC §6's document, written a ticket at a time: a large backlog (tens of thousands of late stages)
 * would otherwise be held twice over, as objects and as one long string, before the first byte.
 */
function writeOverdueDocument(out: (text: string) => void, stages: readonly LateStage[], asOf: Instant, tz: string): void {
  const tickets = byTicket(stages);
  out(`{\n  "as_of": ${jsonText(formatIso(asOf, tz))},\n  "tickets": [${tickets.length === 0 ? ']\n}' : ''}`);
  tickets.forEach((tk, i) => {
    const doc = {
      no: tk.no,
      unit: tk.unit,
      assignee: tk.assignee,
      severity: tk.severity,
      status: tk.status,
      stages: tk.stages
        .sort((a, b) => b.lateBy - a.lateBy)
        .map((s) => ({ stage: s.stage, due: formatIso(s.due, tz), late_by_minutes: Math.round(s.lateBy), state: isLate(s.due, asOf) ? 'overdue' : 'due_soon' })),
    };
    const last = i === tickets.length - 1;
    out(`    ${jsonText(doc)}${last ? '\n  ]\n}' : ','}`);
  });
}

/** Grouped by unit (who has to act), most late first; red when over a working day late. */
function renderOverdue(
  stages: readonly LateStage[], rules: readonly StageRule[], asOf: Instant, tz: string, minutesPerDay: number, colour: boolean, width: number,
): string {
  const c = palette(colour);
  const tickets = byTicket(stages);
  const units = new Map<string, TicketLateness[]>();
  for (const tk of tickets) {
    const unit = tk.unit ?? t('overdue_no_unit');
    units.set(unit, [...(units.get(unit) ?? []), tk]);
  }
  const overdueCount = tickets.filter((tk) => tk.stages.some((s) => isLate(s.due, asOf))).length;
  const soonCount = tickets.length - overdueCount;
  const soon = soonCount > 0 ? t('overdue_heading_soon', { count: soonCount }) : '';
  const lines = [c.bold(t('overdue_heading', { asOf: formatLocal(asOf, tz), count: overdueCount, soon }))];
  const ordered = [...units.entries()].sort((a, b) => Math.max(...b[1].map((x) => x.worst)) - Math.max(...a[1].map((x) => x.worst)));
  for (const [unit, list] of ordered) {
    lines.push('', c.bold(display(unit)));
    for (const tk of list) {
      const parts = tk.stages.sort((a, b) => b.lateBy - a.lateBy).map((s) => {
        const text = `${display(stageLabel(s.stage, rules))} ${howLate(s, asOf, tz)}`;
        return !isLate(s.due, asOf) ? c.dim(text) : s.lateBy >= minutesPerDay ? c.red(text) : c.yellow(text);
      });
      const lead = `  ${display(tk.no)}  ${padToWidth(severityLabel(tk.severity), 9)} ${padToWidth(display(tk.assignee ?? t('none')), 10)} `;
      lines.push(...clauses(lead, parts, width));
    }
  }
  return lines.join('\n');
}

/**
 * "late by 2h 05m", "due in 30m", or, where minutes would read as zero: "due now" in the minute a
 * stage falls due, and "late since 11-20 17:00" for one past due with no working time since (a
 * working-hours stage due at Friday's close, seen on Saturday, is late, but by no working minutes).
 */
function howLate(s: LateStage, asOf: Instant, tz: string): string {
  if (isLate(s.due, asOf)) {
    return Math.round(s.lateBy) >= 1 ? t('overdue_late', { time: formatMinutes(s.lateBy) }) : t('overdue_late_since', { due: formatLocal(s.due, tz) });
  }
  return Math.round(-s.lateBy) >= 1 ? t('overdue_soon', { time: formatMinutes(-s.lateBy) }) : t('overdue_due_now');
}

/** A ticket's stages after its lead, as many to a line as fit; further lines start under the first stage. */
function clauses(lead: string, parts: readonly string[], width: number): string[] {
  const indent = ' '.repeat(visibleWidth(lead));
  const separator = t('clause_separator');
  const lines: string[] = [];
  let line = lead;
  parts.forEach((part, i) => {
    const piece = part + (i < parts.length - 1 ? separator.trimEnd() : '');
    const gap = line === lead || line === indent ? '' : separator.slice(separator.trimEnd().length);
    if (line !== lead && line !== indent && visibleWidth(line + gap + piece) > width) {
      lines.push(line);
      line = indent + piece;
    } else {
      line += gap + piece;
    }
  });
  lines.push(line);
  return lines;
}
