import type { Context } from '../cli/context.js';
import { parseAsOf, parseChoice, parsePeriodBound, parseText, parseWordedChoice, printable } from '../cli/input.js';
import { isYearWithinBounds, timeBounds } from '../domain/bounds.js';
import { UsageError } from '../domain/errors.js';
import {
  buildReport, DEFAULT_FLAG_THRESHOLD, isoWeeksInYear, monthPeriod, periodBefore, previousCalendarPeriod, quarterPeriod, rangePeriod,
  trendMonths, weekPeriod, yearPeriod, type Period, type ReportDocument,
} from '../domain/report.js';
import { addDays, formatIso, parseDateInput, type Instant } from '../domain/time.js';
import { t } from '../messages/index.js';
import { checkOutputFile, writeOutputFile, type OutputOptions } from '../store/output-file.js';
import { flagThreshold } from '../store/report-queries.js';
import { loadPeople } from '../store/access.js';
import { loadLists, loadStages } from '../store/procedure.js';
import { loadCalendar, readSetting } from '../store/settings.js';
import { officeUnits, requireKnownUnit } from '../cli/units.js';
import { display, jsonText } from '../ui/cells.js';
import { renderReportCsv } from '../ui/report-csv.js';
import { renderReportHtml } from '../ui/report-html.js';
import { renderReportMarkdown } from '../ui/report-md.js';
import { renderReportTable, reportNames, type ReportNames } from '../ui/report-table.js';
import { foldWidth } from '../domain/text.js';

export interface ReportOptions {
  month?: string | true;
  week?: string | true;
  quarter?: string | true;
  year?: string | true;
  from?: string;
  to?: string;
  asOf?: string;
  unit?: string;
  format?: string;
  output?: string;
  force?: boolean;
  json?: boolean;
  by?: string;
}

/** `--by person`: the handler appraisal (seed 002 §7.3), asked for; the default report does no more work. */
const BREAKDOWNS_ASKED = ['person'] as const;

const FORMATS = ['table', 'json', 'csv', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

type PeriodKind = 'month' | 'week' | 'quarter' | 'year';

/** `report monthly 2026-10` (the design card's words, and the office's own: 月报) for `report --month 2026-10`. */
const KIND_WORDS = new Map<string, PeriodKind>([
  ['monthly', 'month'], ['weekly', 'week'], ['quarterly', 'quarter'], ['yearly', 'year'],
  ['月报', 'month'], ['周报', 'week'], ['季报', 'quarter'], ['年报', 'year'],
]);

/**
 * The period named by words, as the flag it stands for; `field` is how the period was written,
 * for the error that refuses it. A word and a period flag together are refused: they are two
 * ways of naming the one period.
 */
export function periodFromWords(kindWord: string | undefined, period: string | undefined, options: ReportOptions): { options: ReportOptions; field?: string } {
  if (kindWord === undefined) return { options };
  const word = kindWord.normalize('NFKC').trim().toLowerCase();
  const kind = KIND_WORDS.get(word);
  if (kind === undefined) {
    throw new UsageError(/^\d/.test(word) ? 'report_period_without_kind' : 'report_bad_kind', { value: printable(kindWord) });
  }
  const flag = (['month', 'week', 'quarter', 'year', 'from', 'to'] as const).find((k) => options[k] !== undefined);
  if (flag !== undefined) throw new UsageError('conflicting_flags', { a: printable(kindWord), b: `--${flag}` });
  return { options: { ...options, [kind]: period ?? true }, field: printable(kindWord) };
}

export async function run(ctx: Context, kindWord: string | undefined, periodWord: string | undefined, given: ReportOptions): Promise<void> {
  const { options, field } = periodFromWords(kindWord, periodWord, given);
  const format = parseFormat(options);
  const byPerson = options.by !== undefined && parseWordedChoice('--by', options.by, BREAKDOWNS_ASKED, (b) => `report_by_${b}`) === 'person';
  const typedUnit = parseText('--unit', options.unit, { kind: 'name' });
  const output = outputFile(ctx, options);
  // Refused before any figure is computed: a report never lands on the database or an existing file.
  if (output !== null) checkOutputFile(output.file, output.guard);
  const store = await ctx.store();
  // A retired unit still has its report; a typo is refused once units are registered.
  const unit = typedUnit === null ? null : requireKnownUnit('--unit', typedUnit, await officeUnits(ctx), false);
  const cal = await store.read(loadCalendar);
  const tz = cal.timezone;
  const now = ctx.now();
  const asOf = options.asOf === undefined ? now : parseAsOf('--as-of', options.asOf, cal, now);
  const period = parsePeriod(options, asOf, tz, now, field);
  const previousPeriod = periodBefore(period, tz);

  // One read transaction: every figure comes from the same state of the file, even while clerks write.
  const { report, names, office } = await store.read(async (db): Promise<{ report: ReportDocument; names: ReportNames; office: string | null }> => {
    await db.tuneForReport();
    const current = await db.periodTallies(period, asOf, unit, { grouped: true });
    const previous = await db.periodTallies(previousPeriod, asOf, unit, { grouped: true });
    // The chart is for people; a program reading JSON asks for the months it wants.
    const months = format === 'json' ? [] : trendMonths(period, tz);
    const trend = await db.trendTallies(months, asOf, unit);
    const lists = await loadLists(db);
    const stages = await loadStages(db);
    const approvals = await db.approvalTallies(period, unit);
    const perPerson = byPerson
      ? {
        tallies: (await db.periodTallies(period, asOf, unit, { grouped: true, by: 'assignee' })).tallies.byUnit,
        names: new Map((await loadPeople(db)).map((p) => [p.login, p.name])),
      }
      : undefined;
    const report = buildReport({
      period, previousPeriod, asOf, tz, unit,
      threshold: await flagThreshold(db, DEFAULT_FLAG_THRESHOLD),
      current: current.tallies, currentMedianMinutes: current.medianResolutionMinutes,
      previous: previous.tallies, previousMedianMinutes: previous.medianResolutionMinutes,
      trend,
      order: { categories: lists.category.map((i) => i.code), channels: lists.channel.map((i) => i.code), stages },
      approvals,
      ...(perPerson === undefined ? {} : { byPerson: perPerson }),
    });
    return { report, names: reportNames(lists, stages), office: (await readSetting<string>(db, 'office_name')) ?? null };
  });

  const text = render(report, format, ctx.io.color && output === null, names, { office, width: ctx.io.width ?? 100 });
  if (output === null) {
    ctx.io.out(text);
    return;
  }
  const written = await writeOutputFile(output.file, text.endsWith('\n') ? text : `${text}\n`, output.guard);
  ctx.io.err(t('report_written', { path: display(written.path), label: report.period.label }));
}

function outputFile(ctx: Context, options: ReportOptions): { file: string; guard: OutputOptions } | null {
  if (options.output === undefined) {
    if (options.force) throw new UsageError('needs_flag', { a: '--force', b: '--output' });
    return null;
  }
  if (options.output.trim() === '') throw new UsageError('empty_text', { field: '--output' });
  return { file: options.output, guard: { database: ctx.dbPath, force: Boolean(options.force), failed: 'report_write_failed' } };
}

/** JSON and CSV carry the codes; the formats a person reads name them by the office's labels. */
function render(report: ReportDocument, format: Format, colour: boolean, names: ReportNames, page: { office: string | null; width: number }): string {
  switch (format) {
    case 'json':
      return jsonText(report, 2);
    case 'csv':
      return renderReportCsv(report);
    case 'md':
      return renderReportMarkdown(report, names);
    case 'html':
      return renderReportHtml(report, names, page.office);
    case 'table':
      return renderReportTable(report, colour, names, page.width);
  }
}

function parseFormat(options: ReportOptions): Format {
  if (options.json && options.format !== undefined && options.format.trim().toLowerCase() !== 'json') {
    throw new UsageError('conflicting_flags', { a: '--json', b: `--format ${printable(options.format)}` });
  }
  if (options.json) return 'json';
  return options.format === undefined ? 'table' : parseChoice('--format', options.format, FORMATS);
}

/**
 * Exactly one way of naming the period; none means the previous month (seed 000 §4). A named
 * period lies in the years the program keeps (domain/bounds.ts), relative to `now`.
 */
export function parsePeriod(options: ReportOptions, asOf: Instant, tz: string, now: Instant, field?: string): Period {
  const given = (['month', 'week', 'quarter', 'year'] as const).filter((k) => options[k] !== undefined);
  const range = options.from !== undefined || options.to !== undefined;
  if (given.length + (range ? 1 : 0) > 1) {
    const names = [...given.map((k) => `--${k}`), ...(range ? ['--from/--to'] : [])];
    throw new UsageError('conflicting_flags', { a: names[0]!, b: names[1]! });
  }
  if (range) return parseRange(options, tz, now);
  const kind = given[0] ?? 'month';
  const value = options[kind];
  if (value === undefined || value === true) return previousCalendarPeriod(kind, asOf, tz);
  const text = periodInDigits(foldWidth(value).trim());
  const bad = (accepted: string): never => {
    throw new UsageError('report_bad_period', { field: field ?? `--${kind}`, value: printable(value), accepted });
  };
  const bounds = timeBounds(now, tz);
  const inRange = (year: number): number => {
    if (!isYearWithinBounds(bounds, year)) {
      throw new UsageError('report_period_out_of_range', { field: field ?? `--${kind}`, value: printable(value), first: bounds.firstYear, last: bounds.lastYear });
    }
    return year;
  };
  switch (kind) {
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(text);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return bad(t('report_period_form_month'));
      return monthPeriod(inRange(Number(m[1])), Number(m[2]), tz);
    }
    case 'week': {
      const m = /^(\d{4})-?W(\d{1,2})$/i.exec(text);
      if (!m) return bad(t('report_period_form_week'));
      const year = inRange(Number(m[1]));
      if (Number(m[2]) < 1 || Number(m[2]) > isoWeeksInYear(year)) return bad(t('report_period_form_week'));
      return weekPeriod(year, Number(m[2]), tz);
    }
    case 'quarter': {
      const m = /^(\d{4})-?Q([1-4])$/i.exec(text);
      if (!m) return bad(t('report_period_form_quarter'));
      return quarterPeriod(inRange(Number(m[1])), Number(m[2]), tz);
    }
    case 'year': {
      if (!/^\d{4}$/.test(text)) return bad(t('report_period_form_year'));
      return yearPeriod(inRange(Number(text)), tz);
    }
  }
}

const CHINESE_QUARTERS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4' };

/**
 * A period as a Chinese office writes it, in the form the parsers read: 2026年10月(份) is
 * 2026-10, 2026年第47周 is 2026-W47, 2026年(第)四季度 or 第4季度 is 2026-Q4, 2026年(度) is 2026.
 * Anything else is left as typed, for the parser to accept or refuse.
 */
function periodInDigits(text: string): string {
  let m = /^(\d{4})年(\d{1,2})月份?$/.exec(text);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})年第(\d{1,2})周$/.exec(text);
  if (m) return `${m[1]}-W${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})年第?([1-4一二三四])季度?$/.exec(text);
  if (m) return `${m[1]}-Q${CHINESE_QUARTERS[m[2]!] ?? m[2]}`;
  m = /^(\d{4})年度?$/.exec(text);
  return m ? m[1]! : text;
}

/** `--from 2026-10-01 --to 2026-11-01`: bare dates are local midnights; `--to` is exclusive. */
function parseRange(options: ReportOptions, tz: string, now: Instant): Period {
  if (options.from === undefined) throw new UsageError('needs_flag', { a: '--to', b: '--from' });
  if (options.to === undefined) throw new UsageError('needs_flag', { a: '--from', b: '--to' });
  const from = parsePeriodBound('--from', options.from, tz, now, t('report_date_note'));
  const to = parsePeriodBound('--to', options.to, tz, now, t('report_date_note'));
  if (to <= from) throw new UsageError('report_empty_range', {});
  // Whole days read as the office says them: 2026-10-01..2026-10-31, the last day included.
  const first = parseDateInput(options.from);
  const end = parseDateInput(options.to);
  const label = first !== null && end !== null
    ? `${first}..${addDays(end, -1)}`
    : `${formatIso(from, tz)}..${formatIso(to, tz)}`;
  return rangePeriod(from, to, label);
}
