import type { DemoStep, DemoTicket } from './demo-data.js';
import {
  assignTicket, closeTicket, extendTicket, holdTicket, logTicket, recordFailedCallback, reopenTicket, replyToTicket, resumeTicket,
  surveyTicket, type Policy,
} from './lifecycle.js';
import type { EventKind } from './model.js';
import type { Ticket } from './ticket.js';
import type { Instant } from './time.js';

/** One step of a ticket's history: the event and the ticket as it stood after it. */
export interface HistoryStep {
  ticket: Ticket;
  kind: EventKind;
  actor: string;
  at: Instant;
  details: Record<string, unknown>;
  /** The procedure version it was computed under. */
  procedure: number;
}

/**
 * A demo plan replayed through the lifecycle operations, with the same event kinds and details as
 * the commands that do each step by hand: the whole history of one ticket numbered `no`.
 */
export function demoHistory(plan: DemoTicket, no: string, policy: Policy): HistoryStep[] {
  const created = logTicket(plan.input, no, plan.loggedBy, plan.loggedAt, policy);
  const history: HistoryStep[] = [{
    ticket: created, kind: 'logged', actor: plan.loggedBy, at: plan.loggedAt, procedure: policy.procedureVersion,
    details: { channel: plan.input.channel, severity_given: null, severity_suggested: created.severitySuggested },
  }];
  let ticket = created;
  for (const s of plan.steps) {
    if (s.kind === 'note') {
      history.push({ ticket, kind: 'noted', actor: s.actor, at: s.at, details: { message: s.message }, procedure: policy.procedureVersion });
      continue;
    }
    const [kind, details, next] = apply(ticket, s, policy);
    ticket = next;
    history.push({ ticket, kind, actor: s.actor, at: s.at, details, procedure: policy.procedureVersion });
  }
  return history;
}

function apply(t: Ticket, s: Exclude<DemoStep, { kind: 'note' }>, policy: Policy): [EventKind, Record<string, unknown>, Ticket] {
  const at: Instant = s.at;
  switch (s.kind) {
    case 'assign':
      return ['assigned', { unit: s.unit, assignee: s.assignee }, assignTicket(t, { unit: s.unit, assignee: s.assignee }, at, policy)];
    case 'reply':
      return ['replied', { via: s.via, message: s.message }, replyToTicket(t, at, policy)];
    case 'hold':
      return ['held', { reason: s.reason, note: s.note }, holdTicket(t, { reason: s.reason, note: s.note }, at, policy)];
    case 'resume':
      return ['resumed', {}, resumeTicket(t, at, policy)];
    case 'extend':
      return ['extended', { to: s.to, reason: s.reason }, extendTicket(t, { to: s.to, reason: s.reason }, at)];
    case 'close': {
      const input = { resolution: s.resolution, fault: s.fault, rootCause: null, action: null, compensationCents: s.compensationCents, compensationKind: s.compensationKind };
      const details = {
        resolution: s.resolution, fault: s.fault, root_cause: null, action: null,
        compensation: s.compensationCents === null ? null : s.compensationCents / 100, compensation_kind: s.compensationKind,
      };
      return ['closed', details, closeTicket(t, input, at, policy)];
    }
    case 'survey':
      return ['surveyed', { score: s.score, comment: s.comment }, surveyTicket(t, { score: s.score, comment: s.comment }, at, policy)];
    case 'unreachable':
      return ['callback_failed', { comment: null }, recordFailedCallback(t, at)];
    case 'reopen':
      return ['reopened', { reason: s.reason }, reopenTicket(t, at, policy)];
  }
}
