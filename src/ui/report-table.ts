import type { ChalkInstance } from 'chalk';
import { BUILTIN_STAGES as STAGES, type Stage } from '../domain/model.js';
import type { Lists, StageRule } from '../domain/procedure.js';
import { listLabel, severityLabel, stageLabel } from './labels.js';
import { anyApprovals, meetsTarget, type BreakdownFigures, type ReportDocument } from '../domain/report.js';
import { lookup, t } from '../messages/index.js';
import { display } from './cells.js';
import { palette } from './colour.js';
import { displayWidth, joinItems } from './format.js';
import { drawTable, wrapText, type TableCell, type TableColumn } from './table.js';

// The report as sections of rows, shared by the terminal table, Markdown and CSV so that every
// human format says the same thing in the same order.

/** A cell: plain text, or a rate judged against its target (true met, false missed, null nothing to judge). */
export type Cell = string | { text: string; target: boolean | null };

export interface Section {
  key: string;
  title: string;
  head: string[];
  rows: Cell[][];
  /** Columns holding numbers (right-aligned in the terminal and Markdown). */
  numeric: number[];
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function money(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function hoursText(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

export function judged(value: number | null, target: number): Cell {
  return { text: percent(value), target: meetsTarget(value, target) };
}

export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/** ✓/✗ after a judged rate: readable without colour (NO_COLOR, print, Markdown). */
export function markedText(cell: Cell): string {
  if (typeof cell === 'string' || cell.target === null) return cellText(cell);
  return `${cell.text} ${cell.target ? '✓' : '✗'}`;
}

/** How a section names the codes it lists: the office's labels for a reader, codes for a program. */
export interface ReportNames {
  category(code: string): string;
  channel(code: string): string;
  stage(code: Stage): string;
  severity(code: string): string;
}

/** CSV's names, as before the office had lists: codes, and the built-in stages by the catalogue's names. */
export const CODE_NAMES: ReportNames = { category: (c) => c, channel: (c) => c, stage: (s) => stageLabel(s), severity: (c) => c };

export function reportNames(lists: Lists, stages: readonly StageRule[]): ReportNames {
  return {
    category: (c) => listLabel('category', c, lists),
    channel: (c) => listLabel('channel', c, lists),
    stage: (s) => stageLabel(s, stages),
    severity: (c) => severityLabel(c),
  };
}

/** A rank by its word (主管, 经理, 总监); a rank the catalogue does not know by its code. */
function roleWord(rank: string): string {
  return lookup(`role_${rank}`) ?? rank;
}

export function unitName(unit: string | null): string {
  return unit ?? t('report_unassigned');
}

// Short headings: eleven figures per row must fit a terminal next to a Chinese unit name.
const BREAKDOWN_HEAD = (short: boolean): string[] => short ? [
  t('report_short_received'), t('report_short_closed'), t('report_short_closure'), t('report_short_open'), t('report_short_surveyed'),
  t('report_short_satisfaction'), t('report_short_first_reply'), t('report_short_reopened'), t('report_short_unreachable'),
  t('report_short_compensation'), t('report_short_hours'),
] : [
  t('report_received'), t('report_closed'), t('report_closure_rate'), t('report_open_at_end'), t('report_surveyed'),
  t('report_satisfaction'), t('report_first_reply'), t('report_reopened'), t('report_unreachable'), t('report_compensation'),
  t('report_mean_hours'),
];

function breakdownCells(f: BreakdownFigures, r: ReportDocument): Cell[] {
  return [
    String(f.received), String(f.closed), percent(f.closure_rate), String(f.open_at_end), String(f.satisfaction.surveyed),
    judged(f.satisfaction.rate, r.targets.satisfaction), judged(f.timeliness.first_reply.rate, r.targets.first_reply_timeliness),
    String(f.reopened), String(f.unreachable_attempts), money(f.compensation_total), hoursText(f.resolution_hours.mean),
  ];
}

/** `short` headings for the terminal, where the breakdowns must fit the width. */
export function reportSections(r: ReportDocument, names: ReportNames = CODE_NAMES, short = false): Section[] {
  const p = r.previous;
  const atLeast = (v: number): string => t('report_target_at_least', { value: percent(v) });
  const headline: Section = {
    key: 'headline',
    title: t('report_section_headline'),
    head: [t('report_col_figure'), r.period.label, p.period.label, t('report_col_target')],
    numeric: [1, 2],
    rows: [
      [t('report_received'), String(r.received), String(p.received), ''],
      [t('report_closed'), String(r.closed), String(p.closed), ''],
      [t('report_closure_rate'), percent(r.closure_rate), percent(p.closure_rate), ''],
      [t('report_open_at_end'), String(r.open_at_end), String(p.open_at_end), ''],
      [t('report_surveyed'), String(r.satisfaction.surveyed), String(p.satisfaction.surveyed), ''],
      [t('report_satisfied'), String(r.satisfaction.satisfied), String(p.satisfaction.satisfied), ''],
      [t('report_satisfaction'), judged(r.satisfaction.rate, r.targets.satisfaction), judged(p.satisfaction.rate, r.targets.satisfaction), atLeast(r.targets.satisfaction)],
      [t('report_first_reply'), judged(r.timeliness.first_reply.rate, r.targets.first_reply_timeliness),
        judged(p.timeliness.first_reply.rate, r.targets.first_reply_timeliness), atLeast(r.targets.first_reply_timeliness)],
      [t('report_callback_rate'), percent(r.callback_rate), percent(p.callback_rate), ''],
      [t('report_unreachable'), String(r.unreachable_attempts), String(p.unreachable_attempts), ''],
      [t('report_reopened'), String(r.reopened), String(p.reopened), ''],
      [t('report_compensation'), money(r.compensation_total), money(p.compensation_total), ''],
      [t('report_resolution_mean'), hoursText(r.resolution_hours.mean), hoursText(p.resolution_hours.mean), ''],
      [t('report_resolution_median'), hoursText(r.resolution_hours.median), hoursText(p.resolution_hours.median), ''],
    ],
  };
  const timeliness: Section = {
    key: 'timeliness',
    title: t('report_section_timeliness'),
    head: [t('report_col_stage'), t('report_col_due'), t('report_col_met'), t('report_col_rate')],
    numeric: [1, 2, 3],
    rows: Object.keys(r.timeliness).map((stage) => {
      const s = r.timeliness[stage]!;
      return [names.stage(stage), String(s.due), String(s.met), stage === 'first_reply' ? judged(s.rate, r.targets.first_reply_timeliness) : percent(s.rate)];
    }),
  };
  const numericBreakdown = Array.from({ length: 11 }, (_, i) => i + 1);
  const sections: Section[] = [headline, timeliness];
  sections.push({
    key: 'by_unit', title: t('report_section_by_unit'), head: [t('report_col_unit'), ...BREAKDOWN_HEAD(short)], numeric: numericBreakdown,
    rows: r.by_unit.map((u) => [unitName(u.unit), ...breakdownCells(u, r)]),
  });
  if (r.by_person !== undefined) {
    sections.push({
      key: 'by_person',
      title: t('report_section_by_person'),
      head: [t('report_col_handler'), t('report_col_name'), t('report_closed'), t('report_first_reply'), t('report_resolve_on_time'),
        t('report_surveyed'), t('report_satisfaction'), t('report_reopened')],
      numeric: [2, 3, 4, 5, 6, 7],
      rows: r.by_person.map((p) => [
        p.assignee ?? t('report_no_handler'), p.name ?? '', String(p.closed), judged(p.timeliness.first_reply.rate, r.targets.first_reply_timeliness),
        percent(p.timeliness.resolve.rate), String(p.satisfaction.surveyed), judged(p.satisfaction.rate, r.targets.satisfaction), String(p.reopened),
      ]),
    });
  }
  sections.push({
    key: 'by_category', title: t('report_section_by_category'), head: [t('report_col_category'), ...BREAKDOWN_HEAD(short)], numeric: numericBreakdown,
    rows: r.by_category.map((c) => [names.category(c.category), ...breakdownCells(c, r)]),
  });
  sections.push({
    key: 'by_channel', title: t('report_section_by_channel'), head: [t('report_col_channel'), ...BREAKDOWN_HEAD(short)], numeric: numericBreakdown,
    rows: r.by_channel.map((c) => [names.channel(c.channel), ...breakdownCells(c, r)]),
  });
  sections.push({
    key: 'by_severity', title: t('report_section_by_severity'), head: [t('report_col_severity'), ...BREAKDOWN_HEAD(short)], numeric: numericBreakdown,
    rows: r.by_severity.map((c) => [names.severity(c.severity), ...breakdownCells(c, r)]),
  });
  sections.push({
    key: 'flagged_units',
    title: t('report_section_flagged', { threshold: percent(r.targets.flag_below) }),
    head: [t('report_col_unit'), t('report_satisfaction'), t('report_surveyed'), t('report_col_previous_rate'), t('report_col_previous_surveyed')],
    numeric: [1, 2, 3, 4],
    rows: r.flagged_units.map((f) => [f.unit, percent(f.rate), String(f.surveyed), percent(f.previous_rate), String(f.previous_surveyed)]),
  });
  // JSON always carries the approvals; a page for people shows them when there were any (issue 13 §6).
  if (anyApprovals(r.approvals)) {
    const a = r.approvals;
    sections.push({
      key: 'approvals',
      title: t('report_section_approvals'),
      head: [t('report_col_figure'), r.period.label],
      numeric: [1],
      rows: [
        [t('report_approvals_requested'), String(a.requested)],
        [t('report_approvals_approved'), String(a.approved)],
        [t('report_approvals_within_stage'), String(a.approved_within_stage)],
        [t('report_approvals_rejected'), String(a.rejected)],
        [t('report_approvals_pending'), String(a.pending_at_end)],
        ...Object.entries(a.amount_by_rank).map(([rank, amount]): Cell[] => [t('report_approvals_amount', { rank: roleWord(rank) }), money(amount)]),
      ],
    });
  }
  if (r.trend.length > 0) {
    sections.push({
      key: 'trend',
      title: t('report_section_trend'),
      head: [t('report_col_month'), t('report_received'), t('report_closed'), t('report_satisfaction'), t('report_first_reply')],
      numeric: [1, 2, 3, 4],
      rows: r.trend.map((m) => [
        m.month, String(m.received), String(m.closed),
        judged(m.satisfaction_rate, r.targets.satisfaction), judged(m.first_reply_rate, r.targets.first_reply_timeliness),
      ]),
    });
  }
  return sections;
}

export function reportHeading(r: ReportDocument): { title: string; subtitle: string } {
  // ISO texts carry the office's offset, so their first characters are the office's own date and time.
  const local = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
  const midnight = (iso: string): boolean => iso.slice(11, 19) === '00:00:00';
  const dayBefore = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const whole = midnight(r.period.from) && midnight(r.period.to);
  return {
    title: t('report_title', { label: r.period.label }) + (r.unit === null ? '' : `  ·  ${t('report_unit_only', { unit: r.unit })}`),
    subtitle: t('report_subtitle', {
      first: whole ? r.period.from.slice(0, 10) : local(r.period.from),
      last: whole ? dayBefore(r.period.to.slice(0, 10)) : local(r.period.to),
      as_of: local(r.as_of),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The terminal

const BAR_WIDTH = 30;

/** One row per month: a bar of tickets received, then the figures. */
function trendChart(r: ReportDocument, c: ChalkInstance): string {
  const max = Math.max(1, ...r.trend.map((m) => Math.max(m.received, m.closed)));
  const width = Math.max(...r.trend.map((m) => String(m.received).length), 1);
  const lines = r.trend.map((m) => {
    const eighths = Math.round((m.received / max) * BAR_WIDTH * 8);
    const bar = '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
    const mark = (value: number | null, target: number): string => {
      const cell = judged(value, target);
      const text = markedText(cell).padStart(8);
      return typeof cell !== 'string' && cell.target === false ? c.red(text) : text;
    };
    return `  ${m.month}  ${c.cyan(bar.padEnd(BAR_WIDTH + 1))} ${String(m.received).padStart(width)} / ${String(m.closed).padStart(width)}  ${mark(m.satisfaction_rate, r.targets.satisfaction)}  ${mark(m.first_reply_rate, r.targets.first_reply_timeliness)}`;
  });
  return [c.bold(t('report_section_trend')), c.dim(`  ${t('report_trend_legend')}`), ...lines].join('\n');
}

export function renderReportTable(r: ReportDocument, colour: boolean, names: ReportNames = CODE_NAMES, width = 100): string {
  const c = palette(colour);
  // Unit names come from the file: display() keeps their escape codes off the terminal.
  const show = (cell: Cell): TableCell => {
    const text = display(markedText(cell));
    if (typeof cell === 'string' || cell.target === null) return text;
    return { text, style: cell.target ? c.green : c.red };
  };
  const { title, subtitle } = reportHeading(r);
  const out: string[] = [c.bold(display(title)), display(subtitle), ''];
  for (const section of reportSections(r, names, true)) {
    if (section.key === 'trend') continue;
    out.push(c.bold(section.title));
    if (section.rows.length === 0) {
      out.push(`  ${section.key === 'flagged_units' ? t('report_no_flagged') : t('none')}`, '');
      continue;
    }
    const breakdown = BREAKDOWNS.includes(section.key);
    const columns: TableColumn[] = section.head.map((head, i) => ({
      head,
      ...(section.numeric.includes(i) ? { align: 'right' as const } : { wrap: { min: 8 } }),
      ...(breakdown && BREAKDOWN_DROP[i] !== undefined ? { drop: BREAKDOWN_DROP[i] } : {}),
    }));
    // No rule between rows: a page of figures, not a grid.
    const table = drawTable(columns, section.rows.map((row) => row.map(show)), { width });
    out.push(table.text);
    if (table.leftOut.length > 0) out.push(c.dim(wrap(t('report_columns_left_out', { columns: joinItems(table.leftOut) }), width)));
    if (section.key === 'by_unit') out.push(c.dim(wrap(t('report_legend_short'), width)));
    out.push('');
  }
  if (r.trend.length > 0) out.push(trendChart(r, c));
  return out.join('\n').trimEnd();
}

const BREAKDOWNS = ['by_unit', 'by_category', 'by_channel', 'by_severity'];

/**
 * The breakdowns' eleven figures do not fit 80 columns. Left out first, by column (1 = received,
 * 2 = closed …, see BREAKDOWN_HEAD): unreachable callbacks, reopened, compensation, mean hours, open
 * at end, surveyed. Received, closed, closure, satisfaction and first reply on time stay: they are
 * the bulletin's own rates (办结率, 满意率, 及时率).
 */
const BREAKDOWN_DROP: Readonly<Record<number, number>> = { 9: 1, 8: 2, 10: 3, 11: 4, 4: 5, 5: 6 };

/** A legend in lines of at most `width` columns, broken between its items (CJK measured as two). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(' · ')) {
    if (line && displayWidth(line) + displayWidth(part) + 3 > width - 2) {
      lines.push(line);
      line = part;
    } else {
      line = line ? `${line} · ${part}` : part;
    }
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => wrapText(l, width - 2)).map((l) => `  ${l}`).join('\n');
}
