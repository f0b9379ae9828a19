import type { Context } from '../cli/context.js';
import { parseAsOf, parseListCode, parseWordedChoice, parsePeriodBound, parseText, parseWholeNumber, printable } from '../cli/input.js';
import { UsageError } from '../domain/errors.js';
import { phoneSearchKey } from '../domain/phone.js';
import { COUNT_LIMITS } from '../domain/bounds.js';
import { SEVERITIES, STATUSES } from '../domain/model.js';
import type { ListItem, ListName, StageRule } from '../domain/procedure.js';
import { currentDeadline, ticketStages, type Ticket } from '../domain/ticket.js';
import { isLate } from '../domain/sla.js';
import { severityLabel, stageLabel, statusLabel } from '../ui/labels.js';
import { GLUE, renderTable, type TableColumn } from '../ui/table.js';
import { formatLocal, type Instant } from '../domain/time.js';
import { t, type MessageKey } from '../messages/index.js';
import { listTickets, type TicketFilter } from '../store/queries.js';
import { loadStages } from '../store/procedure.js';
import { loadCalendar } from '../store/settings.js';
import { display } from '../ui/cells.js';
import { palette } from '../ui/colour.js';
import { printJson, ticketDocument } from '../ui/ticket-json.js';
import { ticketAsSeen } from '../domain/masking.js';
import { seesPersonalData, unitKey, type Identity } from '../domain/people.js';
import { officeLists } from './office-lists.js';
import { officeUnits, unitFilter } from '../cli/units.js';

export interface ListOptions {
  status?: string;
  unit?: string;
  severity?: string;
  category?: string;
  channel?: string;
  type?: string;
  assignee?: string;
  onHold?: boolean;
  from?: string;
  to?: string;
  search?: string;
  phone?: string;
  limit?: string;
  asOf?: string;
  json?: boolean;
}

/** `--status new,assigned` (or 待分派,已分派): comma lists, each value a code or the word list shows for it. */
function many<T extends string>(field: string, value: string | undefined, accepted: readonly T[], word: string): T[] | undefined {
  return value?.split(/[,，、]/).map((v) => parseWordedChoice(field, v, accepted, (code) => `${word}${code}`));
}

/** A filter by a list's codes takes any the list has: a retired code still finds the tickets that carry it. */
function codes(field: string, value: string | undefined, list: readonly ListItem[], name: ListName): string[] | undefined {
  return value?.split(',').map((v) => parseListCode(field, v, list, { inUse: false }, name));
}

/**
 * `--phone`: the caller's number however it is written; any text with digits is looked for, so a
 * number kept as typed before the phone rules (`555-0100`) is found by the same typing.
 */
function phoneFilter(value: string): string {
  const text = parseText('--phone', value, { kind: 'line', required: true })!;
  const key = phoneSearchKey(text);
  if (key === null) throw new UsageError('bad_phone', { field: '--phone', value: printable(value), rule: t('phone_rule_form') });
  return key;
}

function names(field: string, value: string | undefined): string[] | undefined {
  return value?.split(',').map((v) => parseText(field, v, { kind: 'name', required: true })!);
}

export async function run(ctx: Context, options: ListOptions): Promise<void> {
  const limit = options.limit === undefined ? 50 : parseWholeNumber('--limit', options.limit, ...COUNT_LIMITS.listLimit);
  const statuses = many('--status', options.status, STATUSES, 'status_');
  const severities = many('--severity', options.severity, SEVERITIES, 'severity_');
  const lists = await officeLists(ctx);
  const filter: TicketFilter = {
    statuses,
    severities,
    categories: codes('--category', options.category, lists.category, 'category'),
    channels: codes('--channel', options.channel, lists.channel, 'channel'),
    types: codes('--type', options.type, lists.ticket_type, 'ticket_type'),
    // A filter finds a retired unit's tickets too; a typo is refused once units are registered.
    units: unitFilter('--unit', options.unit, await officeUnits(ctx)),
    assignees: names('--assignee', options.assignee),
    search: parseText('--search', options.search, { kind: 'line' }) ?? undefined,
    ...(options.phone === undefined ? {} : { phoneKey: phoneFilter(options.phone) }),
    ...(options.onHold ? { onHold: true } : {}),
  };
  const store = await ctx.store();
  limitContactSearch(ctx.identity(), filter);
  const cal = await store.read(loadCalendar);
  const clock = ctx.now();
  const now = options.asOf === undefined ? clock : parseAsOf('--as-of', options.asOf, cal, clock);
  // Period bounds: a bare date means that local midnight (`--from 2026-11-01 --to 2026-12-01`).
  if (options.from !== undefined) filter.receivedFrom = parsePeriodBound('--from', options.from, cal.timezone, clock, '');
  if (options.to !== undefined) filter.receivedBefore = parsePeriodBound('--to', options.to, cal.timezone, clock, '');
  const { tickets, total, stages } = await store.read(async (db) => ({ ...(await listTickets(db, filter, limit)), stages: await loadStages(db) }));
  if (options.json) {
    // Contact details masked ticket by ticket: the reader may be of one ticket's unit and not another's.
    const identity = ctx.identity();
    const shown = tickets.map((tk) => ticketAsSeen(tk, seesPersonalData(identity, tk.unit)));
    printJson(ctx.io.out, { total, tickets: shown.map((v) => ticketDocument(v.ticket, cal.timezone, now, v)) });
    return;
  }
  if (tickets.length === 0) {
    ctx.io.out(t('list_empty'));
    return;
  }
  ctx.io.out(renderList(tickets, stages, cal.timezone, now, ctx.io.color, ctx.io.width ?? 100));
  if (total > tickets.length) ctx.io.out(t('list_count', { shown: tickets.length, total }));
}

/**
 * Finding tickets by a phone number or an email address is reading it (review of issue 13): a reader
 * who sees contact details masked outside their unit looks them up within their unit only, or not at
 * all, so that guessing the four masked digits one `list --phone` at a time finds nothing.
 */
function limitContactSearch(identity: Identity, filter: TicketFilter): void {
  const byContact = filter.phoneKey !== undefined || (filter.search !== undefined && /@|\d{4}/.test(filter.search));
  if (!byContact || seesPersonalData(identity, null)) return;
  const own = identity.person?.unit ?? null;
  const units = filter.units === undefined ? [own] : filter.units.filter((u) => own !== null && unitKey(u) === unitKey(own));
  filter.units = units.filter((u): u is string => u !== null);
  // No unit of one's own: a filter no ticket passes.
  if (filter.units.length === 0) filter.units = [''];
}

function renderList(tickets: readonly Ticket[], stages: readonly StageRule[], tz: string, now: Instant, colour: boolean, width: number): string {
  const c = palette(colour);
  const markers = new Set<ListMarker>();
  const rows = tickets.map((tk) => {
    if (tk.hold) markers.add('hold');
    if (tk.urgent) markers.add('urgent');
    const due = nextDue(tk, stages, tz, now);
    if (due.late) markers.add('late');
    // Stored text goes through display(): one line each, no escape codes from an older file.
    return [
      display(tk.no),
      formatLocal(tk.receivedAt, tz),
      statusLabel(tk.status) + (tk.hold ? LIST_MARKS.hold : ''),
      severityLabel(tk.severity) + (tk.urgent ? LIST_MARKS.urgent : ''),
      display(tk.unit ?? t('none')),
      display(tk.assignee ?? t('none')),
      truncate(display(tk.subject), 60),
      due.late ? { text: `${LIST_MARKS.late} ${due.text}`, style: c.red } : due.text,
    ];
  });
  return [renderTable(LIST_COLUMNS(), rows, { width }), ...legend(markers)].join('\n');
}

type ListMarker = 'hold' | 'urgent' | 'late';

/** Marks after a cell, each explained under the table when it appears (and only then). */
const LIST_MARKS: Readonly<Record<ListMarker, string>> = { hold: '*', urgent: '!', late: '^' };

const LEGEND_KEYS: Readonly<Record<ListMarker, MessageKey>> = { hold: 'list_legend_hold', urgent: 'list_legend_urgent', late: 'list_legend_late' };

function legend(markers: ReadonlySet<ListMarker>): string[] {
  const shown = (['urgent', 'hold', 'late'] as const).filter((m) => markers.has(m));
  return shown.length === 0 ? [] : [shown.map((m) => t(LEGEND_KEYS[m], { mark: LIST_MARKS[m] })).join(t('legend_separator'))];
}

/**
 * The list's columns. When the terminal is too narrow the subject and unit wrap, then the status,
 * then the due cell (its stage over its time); when that is not enough the
 * columns least needed to pick the next ticket to work on are left out: first the time received
 * (the number already says the order), then the handler (the unit says who acts), then the unit.
 */
const LIST_COLUMNS = (): TableColumn[] => [
  { head: t('label_no') },
  { head: t('label_received'), drop: 1 },
  { head: t('label_status'), wrap: { min: 6, rank: 1 } },
  { head: t('label_severity') },
  { head: t('label_unit'), wrap: { min: 6 }, drop: 3 },
  { head: t('label_assignee'), drop: 2 },
  { head: t('label_subject'), wrap: { min: 10 } },
  { head: t('label_due'), wrap: { min: 16, rank: 2 } },
];

/** The earliest deadline still to meet; late once it is a whole minute past (a stage due this minute is due now). */
function nextDue(tk: Ticket, stages: readonly StageRule[], tz: string, now: Instant): { text: string; late: boolean } {
  let best: { stage: string; due: Instant } | null = null;
  for (const stage of ticketStages(tk)) {
    const dl = currentDeadline(tk, stage);
    if (dl === null || dl.doneAt !== null || dl.void || dl.due === null) continue;
    if (best === null || dl.due < best.due) best = { stage, due: dl.due };
  }
  if (best === null) return { text: t('none'), late: false };
  return { text: `${display(stageLabel(best.stage, stages))} ${formatLocal(best.due, tz).replace(' ', GLUE)}`, late: isLate(best.due, now) };
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
