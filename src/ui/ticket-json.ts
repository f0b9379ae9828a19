import type { StoredEvent } from '../store/tickets.js';
import { currentDeadline, deadlineState, ticketStages, type Ticket } from '../domain/ticket.js';
import { formatIso, type Instant } from '../domain/time.js';
import { jsonText } from './cells.js';

// SPEC §6: the ticket document. Times are ISO 8601 with the office's offset; amounts are numbers
// in the currency's units.

export const fromCents = (cents: number | null): number | null => (cents === null ? null : cents / 100);

/**
 * `masked`: the ticket's contact details were masked for this reader (domain/masking.ts); the
 * complainant then says so, so a program reading the JSON does not take 138****8000 for a number.
 */
export function ticketDocument(t: Ticket, tz: string, now: Instant, view: { masked?: boolean } = {}): Record<string, unknown> {
  const iso = (at: Instant | null): string | null => (at === null ? null : formatIso(at, tz));
  const deadlines: Record<string, unknown> = {};
  for (const stage of ticketStages(t)) {
    const dl = currentDeadline(t, stage);
    deadlines[stage] = { due: iso(dl?.due ?? null), done_at: iso(dl?.doneAt ?? null), state: deadlineState(dl, now) };
  }
  return {
    no: t.no,
    type: t.type,
    status: t.status,
    severity: t.severity,
    severity_suggested: t.severitySuggested,
    urgent: t.urgent,
    on_hold: t.hold === null ? null : { reason: t.hold.reason, note: t.hold.note, since: iso(t.hold.since) },
    channel: t.channel,
    category: t.category,
    unit: t.unit,
    assignee: t.assignee,
    complainant: {
      name: t.complainant.name,
      anonymous: t.complainant.anonymous,
      phone: t.complainant.phone,
      email: t.complainant.email,
      address: t.complainant.address,
      org: t.complainant.org,
      ...(view.masked ? { masked: true } : {}),
    },
    subject: t.subject,
    description: t.description,
    demand: t.demand,
    amount: fromCents(t.amountCents),
    product: t.product,
    batch: t.batch,
    received_at: iso(t.receivedAt),
    customer_due: iso(t.customerDue),
    logged_at: iso(t.loggedAt),
    logged_by: t.loggedBy,
    deadlines,
    closed_at: iso(t.closedAt),
    resolution: t.resolution,
    fault: t.fault,
    root_cause: t.rootCause,
    action: t.action,
    compensation: t.compensationCents === null && t.compensationKind === null
      ? null
      : { amount: fromCents(t.compensationCents), kind: t.compensationKind },
    resolution_hours: t.resolutionMinutes === null ? null : Math.round((t.resolutionMinutes / 60) * 100) / 100,
    survey: t.survey === null
      ? null
      : { score: t.survey.score, satisfied: t.survey.satisfied, comment: t.survey.comment, at: iso(t.survey.at) },
    // issue 13 §4: the close awaiting approval, or the cycle's last one decided.
    approval: t.approval === null
      ? null
      : {
        requested_by: t.approval.requestedBy, amount: fromCents(t.approval.amountCents), requested_at: iso(t.approval.requestedAt),
        state: t.approval.state, needs: t.approval.needs, reasons: t.approval.reasons,
        decided_by: t.approval.decidedBy, decided_at: iso(t.approval.decidedAt), note: t.approval.note,
      },
    callback_attempts: t.callbackAttempts,
    reopen_count: t.reopenCount,
  };
}

export function eventDocument(e: StoredEvent, tz: string): Record<string, unknown> {
  return { at: formatIso(e.at, tz), recorded_at: formatIso(e.recordedAt, tz), actor: e.actor, kind: e.kind, details: e.details };
}

export function printJson(out: (text: string) => void, doc: unknown): void {
  out(jsonText(doc, 2));
}
