import type { ChalkInstance } from 'chalk';
import { currentDeadline, deadlineState, ticketStages, type Approval, type DeadlineState, type Ticket } from '../domain/ticket.js';
import type { ListName, Lists, StageRule } from '../domain/procedure.js';
import { splitActor } from '../domain/people.js';
import { holdReasonLabel, listLabel, severityLabel, stageLabel, statusLabel } from './labels.js';
import { formatLocal, type Instant } from '../domain/time.js';
import { lookup, t as msg, type MessageKey } from '../messages/index.js';
import type { StoredEvent } from '../store/tickets.js';
import { display } from './cells.js';
import { formatMinutes, formatMoney, joinItems, padToWidth } from './format.js';
import { renderTable, wrapText, type TableColumn } from './table.js';
import { isLate } from '../domain/sla.js';

export function stateColour(c: ChalkInstance, state: DeadlineState): (s: string) => string {
  return state === 'missed' ? c.red : state === 'met' ? c.green : state === 'paused' ? c.yellow : (s: string) => s;
}

export function renderTicket(
  ticket: Ticket,
  events: readonly StoredEvent[],
  opts: { tz: string; now: Instant; colour: ChalkInstance; pausedMinutes: number; lists: Lists; stages: readonly StageRule[]; width?: number },
): string {
  const { tz, now, colour: c, lists, stages } = opts;
  const width = opts.width ?? 100;
  const label = (list: ListName, code: string | null): string | null => (code === null ? null : listLabel(list, code, lists));
  const when = (at: Instant | null): string => (at === null ? msg('none') : formatLocal(at, tz));
  const lines: string[] = [];
  // Every value read from the file goes through display(): an older file, or a row edited by hand,
  // may hold escape codes that would otherwise reach the supervisor's terminal.
  const field = (key: MessageKey, value: string | null | undefined): void => {
    if (value === null || value === undefined || value === '') return;
    // Long text keeps its line breaks, each further line under the first.
    // Long text wraps within the terminal; each further line starts under the first.
    const text = wrapText(display(String(value), 'block'), Math.max(20, width - 24)).join(`\n${' '.repeat(24)}`);
    lines.push(`${c.dim(padToWidth(msg(key), 24))}${text}`);
  };
  lines.push(c.bold(display(`${ticket.no}  ${ticket.subject}`)));
  field('label_type', label('ticket_type', ticket.type));
  field('label_status', ticket.hold ? msg('status_on_hold', { status: statusLabel(ticket.status), hold: msg('label_hold'), reason: holdReasonLabel(ticket.hold.reason) }) : statusLabel(ticket.status));
  field('label_severity', severityLabel(ticket.severity) + (ticket.urgent ? `, ${msg('label_urgent')}` : ''));
  field('label_channel', label('channel', ticket.channel));
  field('label_category', label('category', ticket.category));
  field('label_unit', ticket.unit ?? msg('none'));
  field('label_assignee', ticket.assignee);
  const who = ticket.complainant;
  field('label_complainant', who.anonymous ? msg('label_anonymous') : who.name);
  field('label_phone', who.phone);
  field('label_email', who.email);
  field('label_address', who.address);
  field('label_org', who.org);
  field('label_description', ticket.description);
  field('label_demand', ticket.demand);
  if (ticket.amountCents !== null) field('label_amount', formatMoney(ticket.amountCents));
  field('label_product', ticket.product);
  field('label_batch', ticket.batch);
  field('label_received', when(ticket.receivedAt));
  if (ticket.customerDue !== null) field('label_customer_due', when(ticket.customerDue));
  field('label_logged', msg('logged_at_by', { at: when(ticket.loggedAt), by: ticket.loggedBy }));
  if (ticket.reopenCount > 0) field('label_reopens', String(ticket.reopenCount));
  if (ticket.pauses.length > 0 || ticket.hold) field('label_paused', formatMinutes(opts.pausedMinutes));
  const approval = ticket.approval;
  if (approval !== null) field('label_approval', approvalWords(approval, when));
  // A close awaiting approval shows what it will record.
  if (ticket.closedAt !== null || approval?.state === 'pending') {
    if (ticket.closedAt !== null) field('label_closed', when(ticket.closedAt));
    field('label_resolution', ticket.resolution);
    field('label_fault', label('fault', ticket.fault));
    field('label_root_cause', ticket.rootCause);
    field('label_action', ticket.action);
    if (ticket.compensationKind !== null || ticket.compensationCents !== null) {
      field('label_compensation', [formatMoney(ticket.compensationCents), label('compensation_kind', ticket.compensationKind)].filter(Boolean).join(' '));
    }
  }
  if (ticket.survey) {
    const s = ticket.survey;
    field('label_survey', `${s.score}/5 ${msg(s.satisfied ? 'satisfied' : 'not_satisfied')}${s.comment ? ` — ${s.comment}` : ''}`);
  }
  if (ticket.callbackAttempts > 0) field('label_callbacks', String(ticket.callbackAttempts));

  const deadlines = ticketStages(ticket).map((stage) => {
    const dl = currentDeadline(ticket, stage);
    const state = deadlineState(dl, now);
    // Kept to the minute: in the minute it falls due a stage is due now, not missed.
    const dueNow = dl !== null && dl.doneAt === null && !dl.void && dl.due !== null && dl.due <= now && !isLate(dl.due, now);
    const word = msg(dueNow ? 'state_due_now' : `state_${state}`);
    return [display(stageLabel(stage, stages)), when(dl?.due ?? null), when(dl?.doneAt ?? null), { text: word, style: stateColour(c, dueNow ? 'pending' : state) }];
  });
  const deadlineColumns: TableColumn[] = [{ head: msg('label_stage'), wrap: { min: 8 } }, { head: msg('label_due') }, { head: msg('label_done') }, { head: msg('label_state') }];
  lines.push('', c.bold(msg('label_deadlines')), renderTable(deadlineColumns, deadlines, { width }));

  // An event takes several lines (its details), so a rule between events keeps them apart.
  const timelineColumns: TableColumn[] = [{ head: msg('label_at') }, { head: msg('label_actor'), wrap: { min: 8 } }, { head: msg('label_event'), wrap: { min: 20 } }];
  const timeline = events.map((e) => [formatLocal(e.at, tz), display(actorWords(e.actor)), describeEvent(e, lists, stages, tz)]);
  lines.push('', c.bold(msg('label_timeline')), renderTable(timelineColumns, timeline, { width, rowRules: true }));
  return lines.join('\n');
}

/** The details an event carries that are codes of the office's lists, shown by their labels. */
const LISTED_DETAILS: Readonly<Record<string, ListName>> = {
  channel: 'channel', via: 'reply_method', fault: 'fault', compensation_kind: 'compensation_kind',
};

/**
 * What an event is called on the timeline: most kinds by their own word (`replied`, `held`); an
 * office stage met by the stage's label (`Site visit done`), a change of the procedure by its version.
 * The details it names in that title are not repeated under it.
 */
function eventTitle(e: StoredEvent, stages: readonly StageRule[]): { title: string; said: readonly string[] } {
  const d = e.details;
  if (e.kind === 'stage_done' && typeof d.stage === 'string') return { title: msg('event_stage_done', { stage: stageLabel(d.stage, stages) }), said: ['stage'] };
  if (e.kind === 'unit_renamed') return { title: msg('event_unit_renamed_from_to', { from: String(d.from), to: String(d.to) }), said: ['from', 'to'] };
  if (e.kind === 'procedure_changed') return { title: msg('event_procedure_changed', { version: String(d.version) }), said: ['version', 'digest'] };
  return { title: lookup(`event_${e.kind}`) ?? e.kind, said: [] };
}

/** A detail's value as a reader takes it: a listed code by its label, a severity by its word, a time as a time. */
function detailText(e: StoredEvent, k: string, v: unknown, lists: Lists, tz: string): string {
  if (typeof v === 'string' && LISTED_DETAILS[k] !== undefined) return listLabel(LISTED_DETAILS[k], v, lists);
  if (typeof v === 'string' && (k === 'severity_given' || k === 'severity_suggested')) return severityLabel(v);
  if (typeof v === 'string' && k === 'reason' && e.kind === 'held') return holdReasonLabel(v);
  if (k === 'to' && typeof v === 'number') return formatLocal(v, tz);
  if ((k === 'needs' || k === 'rank') && typeof v === 'string') return lookup(`role_${v}`) ?? v;
  if (k === 'reasons' && Array.isArray(v)) return joinItems(v.map((r) => lookup(`approval_reason_${String(r)}`) ?? String(r)));
  if (k === 'fields' && Array.isArray(v)) return joinItems(v.map((f) => lookup(`personal_field_${String(f)}`) ?? String(f)));
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function describeEvent(e: StoredEvent, lists: Lists, stages: readonly StageRule[], tz: string): string {
  const { title, said } = eventTitle(e, stages);
  const parts = Object.entries(e.details)
    .filter(([k, v]) => !said.includes(k) && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => msg('detail_line', { key: display(detailName(e, k)), value: display(detailText(e, k, v, lists, tz), 'cell') }));
  return [display(title), ...parts].join('\n');
}

/** A detail's name: an approval's note is the approver's opinion (审批意见). */
function detailName(e: StoredEvent, k: string): string {
  if (k === 'note' && e.kind === 'approved') return msg('detail_approval_note');
  return lookup(`detail_${k}`) ?? k;
}

/** Where a close awaiting approval stands, in words (issue 13 §4). */
function approvalWords(a: Approval, when: (at: Instant | null) => string): string {
  if (a.state === 'pending') return msg('approval_show_pending', { rank: msg(`role_${a.needs}`), by: actorWords(a.requestedBy), at: when(a.requestedAt) });
  const by = actorWords(a.decidedBy ?? '');
  if (a.state === 'approved') return msg('approval_show_approved', { by, at: when(a.decidedAt) }) + (a.note ? ` — ${a.note}` : '');
  return msg('approval_show_rejected', { by, at: when(a.decidedAt), reason: a.note ?? '' });
}

/** Who acted, as a reader says it: "wang for li" is a director's entry for li (issue 13). */
function actorWords(actor: string): string {
  const split = splitActor(actor);
  return split === null ? actor : msg('actor_for', { login: split.login, name: split.onBehalfOf });
}
