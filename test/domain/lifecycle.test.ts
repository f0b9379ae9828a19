import { describe, expect, it } from 'vitest';
import { InvalidTransition, UsageError } from '../../src/domain/errors.js';
import {
  assignTicket, closeTicket, extendTicket, holdTicket, logTicket, recordFailedCallback, reopenTicket, replyToTicket,
  resumeTicket, surveyTicket, type CloseInput, type LogInput
} from '../../src/domain/lifecycle.js';
import type { Stage } from '../../src/domain/model.js';
import { currentDeadline, deadlineState, type Ticket } from '../../src/domain/ticket.js';
import { formatLocal } from '../../src/domain/time.js';
import { at, policy, SHANGHAI } from '../support/office.js';
import { refused } from '../support/refusal.js';


/** The ticket's current due time of a stage as the office reads it; null when suspended or not started. */
function due(t: Ticket, stage: Stage): string | null {
  const d = currentDeadline(t, stage)?.due ?? null;
  return d === null ? null : formatLocal(d, SHANGHAI);
}

function doneAt(t: Ticket, stage: Stage): string | null {
  const d = currentDeadline(t, stage)?.doneAt ?? null;
  return d === null ? null : formatLocal(d, SHANGHAI);
}

function input(received: string, overrides: Partial<LogInput> = {}): LogInput {
  return {
    complainant: { name: '王芳', anonymous: false, phone: '13800000000', email: null, address: null, org: null },
    channel: 'phone',
    category: 'delivery',
    subject: '包裹延误',
    description: null,
    demand: null,
    amountCents: null,
    product: null,
    batch: null,
    receivedAt: at(received),
    customerDue: null,
    unit: null,
    assignee: null,
    severity: null,
    urgent: false,
    safety: false,
    external: false,
    group: false,
    ...overrides,
  };
}

function logged(received: string, overrides: Partial<LogInput> = {}, loggedAt = received): Ticket {
  return logTicket(input(received, overrides), 'C2026-00001', 'clerk1', at(loggedAt), policy);
}

const resolution: CloseInput = {
  resolution: 'Parcel delivered, shipping refunded', fault: 'third-party', rootCause: null, action: null,
  compensationCents: 1500, compensationKind: 'cash',
};

// A general complaint received Monday 10:00 on the phone, assigned at 11:00.
const monday = logged('2026-11-16 10:00');
const assigned = assignTicket(monday, { unit: 'Logistics', assignee: 'Li Lei' }, at('2026-11-16 11:00'));
const replied = replyToTicket(assigned, at('2026-11-16 14:00'), policy);
const closed = closeTicket(replied, resolution, at('2026-11-17 10:00'), policy);

describe('deadlines when a complaint is logged (default office week, default SLA)', () => {
  it('a general complaint received Monday 10:00 is due for assignment at 12:00, first reply 15:00, resolution next Monday 10:00', () => {
    expect(monday.status).toBe('new');
    expect(monday.severity).toBe('general');
    expect(due(monday, 'assign')).toBe('2026-11-16 12:00');
    expect(due(monday, 'first_reply')).toBe('2026-11-16 15:00');
    expect(due(monday, 'resolve')).toBe('2026-11-23 10:00');
    // Nothing to update or call back about yet.
    expect(currentDeadline(monday, 'update')).toBeNull();
    expect(currentDeadline(monday, 'callback')).toBeNull();
  });

  it('a general complaint received Friday 17:00 is due for a first reply Monday 12:00', () => {
    const friday = logged('2026-11-20 17:00');
    expect(due(friday, 'assign')).toBe('2026-11-23 10:00');
    expect(due(friday, 'first_reply')).toBe('2026-11-23 12:00');
  });

  it('a complaint received on Saturday starts its clocks at Monday opening', () => {
    const saturday = logged('2026-11-21 11:00');
    expect(due(saturday, 'assign')).toBe('2026-11-23 11:00');
    expect(due(saturday, 'first_reply')).toBe('2026-11-23 14:00');
  });

  it('an urgent complaint received Saturday 11:00 runs round the clock: assignment 11:30, first reply 13:00', () => {
    const urgent = logged('2026-11-21 11:00', { urgent: true });
    expect(due(urgent, 'assign')).toBe('2026-11-21 11:30');
    expect(due(urgent, 'first_reply')).toBe('2026-11-21 13:00');
    // Its severity's 5 working days, counted as 5 whole days.
    expect(due(urgent, 'resolve')).toBe('2026-11-26 11:00');
  });

  it('important and major complaints get their own allowances', () => {
    const important = logged('2026-11-16 10:00', { amountCents: 500_00 });
    expect(important.severity).toBe('important');
    expect(due(important, 'first_reply')).toBe('2026-11-17 10:00');
    expect(due(important, 'resolve')).toBe('2026-11-25 10:00');
    const major = logged('2026-11-16 10:00', { safety: true });
    expect(due(major, 'assign')).toBe('2026-11-16 11:00');
  });

  it("a customer's --due earlier than the SLA caps the resolution deadline; a later one does not extend it", () => {
    const early = logged('2026-11-16 10:00', { customerDue: at('2026-11-18 18:00') });
    expect(due(early, 'resolve')).toBe('2026-11-18 18:00');
    const late = logged('2026-11-16 10:00', { customerDue: at('2026-12-31 18:00') });
    expect(due(late, 'resolve')).toBe('2026-11-23 10:00');
  });

  it('logged with a unit, the ticket is assigned at once and the assignment stage met', () => {
    const t = logged('2026-11-16 10:00', { unit: 'Logistics', assignee: 'Li Lei' }, '2026-11-16 10:05');
    expect(t.status).toBe('assigned');
    expect(doneAt(t, 'assign')).toBe('2026-11-16 10:05');
    expect(deadlineState(currentDeadline(t, 'assign'), at('2026-11-23 09:00'))).toBe('met');
  });

  it('a clerk-set severity wins over the suggestion, which is still recorded', () => {
    const t = logged('2026-11-16 10:00', { amountCents: 20_000_00, severity: 'general' });
    expect(t.severity).toBe('general');
    expect(t.severitySuggested).toBe('major');
    expect(t.severityReasons).toEqual(['amount_major']);
  });

  it('refuses a receipt after logging and a customer deadline before receipt', () => {
    refused(() => logged('2026-11-16 10:00', {}, '2026-11-16 09:00'), UsageError, 'received_after_logged');
    refused(() => logged('2026-11-16 10:00', { customerDue: at('2026-11-16 09:00') }), UsageError, 'due_before_received');
  });
});

describe('assign', () => {
  it('gives the ticket a unit and handler and meets the assignment stage', () => {
    expect(assigned.status).toBe('assigned');
    expect([assigned.unit, assigned.assignee]).toEqual(['Logistics', 'Li Lei']);
    expect(doneAt(assigned, 'assign')).toBe('2026-11-16 11:00');
    expect(deadlineState(currentDeadline(assigned, 'assign'), at('2026-11-20 09:00'))).toBe('met');
  });

  it('may move the ticket to another unit while open, keeping the first assignment time', () => {
    const moved = assignTicket(replied, { unit: 'Customer Care', assignee: null }, at('2026-11-16 16:00'));
    expect(moved.status).toBe('in_progress');
    expect(moved.unit).toBe('Customer Care');
    expect(doneAt(moved, 'assign')).toBe('2026-11-16 11:00');
  });

  it('refuses the same assignment again, a closed ticket, and a time before receipt', () => {
    refused(() => assignTicket(assigned, { unit: 'Logistics', assignee: 'Li Lei' }, at('2026-11-16 12:00')), InvalidTransition, 'already_assigned');
    refused(() => assignTicket(closed, { unit: 'Sales', assignee: null }, at('2026-11-18 09:00')), InvalidTransition, 'ticket_closed');
    refused(() => assignTicket(monday, { unit: 'Sales', assignee: null }, at('2026-11-16 09:59')), UsageError, 'at_before_received');
  });
});

describe('reply', () => {
  it('the first reply meets the first-reply stage and starts the 3-working-day update clock', () => {
    expect(replied.status).toBe('in_progress');
    expect(doneAt(replied, 'first_reply')).toBe('2026-11-16 14:00');
    expect(due(replied, 'update')).toBe('2026-11-19 14:00');
  });

  it('each later reply meets the running update and restarts the clock from itself', () => {
    const again = replyToTicket(replied, at('2026-11-18 16:30'), policy);
    expect(again.replyCount).toBe(2);
    expect(due(again, 'update')).toBe('2026-11-23 16:30');
    expect(again.deadlines['update.1.1']?.doneAt).toBe(at('2026-11-18 16:30'));
    // The first reply is not done again.
    expect(doneAt(again, 'first_reply')).toBe('2026-11-16 14:00');
  });

  it('is allowed before assignment (a clerk may answer on the spot)', () => {
    const answered = replyToTicket(monday, at('2026-11-16 10:10'), policy);
    expect(doneAt(answered, 'first_reply')).toBe('2026-11-16 10:10');
    expect(answered.status).toBe('new');
  });

  it('refuses a closed ticket, a time before receipt, and a time before the last reply', () => {
    refused(() => replyToTicket(closed, at('2026-11-18 09:00'), policy), InvalidTransition, 'ticket_closed');
    refused(() => replyToTicket(assigned, at('2026-11-16 09:00'), policy), UsageError, 'at_before_received');
    refused(() => replyToTicket(replied, at('2026-11-16 13:59'), policy), UsageError, 'at_before_last_change');
  });
});

describe('close and survey', () => {
  it('close meets every open stage, records the resolution time in working minutes and sets the 1-working-day callback', () => {
    expect(closed.status).toBe('closed');
    expect(formatLocal(closed.closedAt!, SHANGHAI)).toBe('2026-11-17 10:00');
    // Mon 10:00-12:00, 13:00-18:00 and Tue 09:00-10:00: one working day.
    expect(closed.resolutionMinutes).toBe(480);
    expect(doneAt(closed, 'resolve')).toBe('2026-11-17 10:00');
    expect(doneAt(closed, 'update')).toBe('2026-11-17 10:00');
    expect(due(closed, 'callback')).toBe('2026-11-18 10:00');
    expect([closed.compensationCents, closed.compensationKind, closed.fault]).toEqual([1500, 'cash', 'third-party']);
  });

  it('refuses to close a closed ticket or close before the last reply', () => {
    refused(() => closeTicket(closed, resolution, at('2026-11-18 09:00'), policy), InvalidTransition, 'ticket_closed');
    refused(() => closeTicket(replied, resolution, at('2026-11-16 13:00'), policy), UsageError, 'at_before_last_change');
  });

  it('a survey scores the callback: 4 or more is satisfied, and it meets the callback stage', () => {
    const happy = surveyTicket(closed, { score: 4, comment: '很满意' }, at('2026-11-17 15:00'));
    expect(happy.survey).toEqual({ score: 4, satisfied: true, comment: '很满意', at: at('2026-11-17 15:00') });
    expect(deadlineState(currentDeadline(happy, 'callback'), at('2026-11-20 09:00'))).toBe('met');
    expect(surveyTicket(closed, { score: 3, comment: null }, at('2026-11-17 15:00')).survey?.satisfied).toBe(false);
  });

  it('an unreachable callback is counted but does not meet the callback stage', () => {
    const tried = recordFailedCallback(closed, at('2026-11-17 15:00'));
    expect(tried.callbackAttempts).toBe(1);
    expect(currentDeadline(tried, 'callback')?.doneAt).toBeNull();
    expect(deadlineState(currentDeadline(tried, 'callback'), at('2026-11-18 10:01'))).toBe('missed');
  });

  it('refuses to survey an open ticket, to survey twice, and a survey before the close', () => {
    refused(() => surveyTicket(replied, { score: 5, comment: null }, at('2026-11-17 09:00')), InvalidTransition, 'survey_needs_closed');
    const surveyed = surveyTicket(closed, { score: 5, comment: null }, at('2026-11-17 15:00'));
    refused(() => surveyTicket(surveyed, { score: 5, comment: null }, at('2026-11-17 16:00')), InvalidTransition, 'already_surveyed');
    refused(() => recordFailedCallback(surveyed, at('2026-11-17 16:00')), InvalidTransition, 'already_surveyed');
    refused(() => surveyTicket(closed, { score: 5, comment: null }, at('2026-11-17 09:59')), UsageError, 'at_before_closed');
  });
});

describe('reopen (a second complaint)', () => {
  const reopened = reopenTicket(closed, at('2026-11-19 09:30'), policy);

  it('goes back to the same unit, assigned, with the reopen counted', () => {
    expect(reopened.status).toBe('assigned');
    expect([reopened.unit, reopened.assignee]).toEqual(['Logistics', 'Li Lei']);
    expect(reopened.reopenCount).toBe(1);
    expect(reopened.cycle).toBe(2);
    expect([reopened.closedAt, reopened.resolution, reopened.survey, reopened.resolutionMinutes]).toEqual([null, null, null, null]);
  });

  it('gets fresh deadlines from the reopen time; the unmade callback of the first closure is void', () => {
    expect(doneAt(reopened, 'assign')).toBe('2026-11-19 09:30');
    expect(due(reopened, 'first_reply')).toBe('2026-11-19 14:30');
    expect(due(reopened, 'resolve')).toBe('2026-11-26 09:30');
    expect(currentDeadline(reopened, 'resolve')?.cycle).toBe(2);
    expect(reopened.deadlines['callback.1']?.void).toBe(true);
    // The first cycle's history stays.
    expect(reopened.deadlines['resolve.1']?.doneAt).toBe(at('2026-11-17 10:00'));
  });

  it("reads only the new cycle's deadlines: the first closure's updates and unmade callback are history", () => {
    expect(currentDeadline(reopened, 'update')).toBeNull();
    expect(currentDeadline(reopened, 'callback')).toBeNull();
    expect(deadlineState(currentDeadline(reopened, 'callback'), at('2026-11-23 09:00'))).toBe('not_started');
  });

  it('can be handled, closed and surveyed again', () => {
    const again = closeTicket(replyToTicket(reopened, at('2026-11-19 10:00'), policy), resolution, at('2026-11-19 11:00'), policy);
    expect(again.resolutionMinutes).toBe(90);
    const surveyed = surveyTicket(again, { score: 5, comment: null }, at('2026-11-19 15:00'));
    expect(surveyed.survey?.score).toBe(5);
    expect(reopenTicket(surveyed, at('2026-11-20 09:00'), policy).reopenCount).toBe(2);
  });

  it('refuses anything of the new cycle dated before the reopen, even if after the last reply', () => {
    refused(() => replyToTicket(reopened, at('2026-11-18 09:00'), policy), UsageError, 'at_before_reopened');
    refused(() => closeTicket(reopened, resolution, at('2026-11-18 09:00'), policy), UsageError, 'at_before_reopened');
    refused(() => assignTicket(reopened, { unit: 'Sales', assignee: null }, at('2026-11-19 09:00')), UsageError, 'at_before_reopened');
    refused(() => holdTicket(reopened, { reason: 'other', note: null }, at('2026-11-19 09:00'), policy), UsageError, 'at_before_reopened');
    refused(() => extendTicket(reopened, { to: at('2026-12-01 18:00'), reason: 'x' }, at('2026-11-19 09:00')), UsageError, 'at_before_reopened');
  });

  it('refuses to reopen an open ticket or to reopen before the close', () => {
    refused(() => reopenTicket(replied, at('2026-11-18 09:00'), policy), InvalidTransition, 'reopen_needs_closed');
    refused(() => reopenTicket(reopened, at('2026-11-19 10:00'), policy), InvalidTransition, 'reopen_needs_closed');
    refused(() => reopenTicket(closed, at('2026-11-17 09:00'), policy), UsageError, 'at_before_closed');
  });
});

describe('hold and resume', () => {
  // Waiting on the courier from Tuesday 09:00 to Wednesday 09:00: one working day paused.
  const held = holdTicket(replied, { reason: 'waiting-third-party', note: 'courier tracing' }, at('2026-11-17 09:00'), policy);
  const resumed = resumeTicket(held, at('2026-11-18 09:00'), policy);

  it('suspends the resolve and update clocks while on hold, not the first reply or assignment', () => {
    expect(held.hold?.reason).toBe('waiting-third-party');
    expect(due(held, 'resolve')).toBeNull();
    expect(due(held, 'update')).toBeNull();
    expect(deadlineState(currentDeadline(held, 'resolve'), at('2026-12-31 09:00'))).toBe('paused');
    expect(due(held, 'first_reply')).toBe('2026-11-16 15:00');
    expect(due(held, 'assign')).toBe('2026-11-16 12:00');
  });

  it('resume pushes resolve and update by the working time paused', () => {
    expect(resumed.hold).toBeNull();
    expect(resumed.pauses).toEqual([{ start: at('2026-11-17 09:00'), end: at('2026-11-18 09:00') }]);
    expect(due(resumed, 'resolve')).toBe('2026-11-24 10:00');
    expect(due(resumed, 'update')).toBe('2026-11-20 14:00');
  });

  it('a hold over a weekend pushes the deadline only by the working time inside it', () => {
    const weekendHold = holdTicket(replied, { reason: 'waiting-customer', note: null }, at('2026-11-20 17:00'), policy);
    const back = resumeTicket(weekendHold, at('2026-11-23 10:00'), policy);
    // Friday 17:00-18:00 and Monday 09:00-10:00: two working hours.
    expect(due(back, 'resolve')).toBe('2026-11-23 12:00');
  });

  it('closing while on hold ends the hold and leaves it out of the resolution time', () => {
    const closedOnHold = closeTicket(held, resolution, at('2026-11-18 09:00'), policy);
    expect(closedOnHold.hold).toBeNull();
    // Mon 10:00 to Wed 09:00 is 15 working hours; Tuesday's 8 were on hold.
    expect(closedOnHold.resolutionMinutes).toBe(7 * 60);
  });

  it('refuses to hold twice, to resume a ticket not on hold, to hold a closed ticket, and times out of order', () => {
    refused(() => holdTicket(held, { reason: 'other', note: null }, at('2026-11-17 10:00'), policy), InvalidTransition, 'already_on_hold');
    refused(() => resumeTicket(replied, at('2026-11-17 10:00'), policy), InvalidTransition, 'not_on_hold');
    refused(() => holdTicket(closed, { reason: 'other', note: null }, at('2026-11-18 10:00'), policy), InvalidTransition, 'ticket_closed');
    refused(() => resumeTicket(closed, at('2026-11-18 10:00'), policy), InvalidTransition, 'ticket_closed');
    refused(() => holdTicket(monday, { reason: 'other', note: null }, at('2026-11-16 09:00'), policy), UsageError, 'at_before_received');
    refused(() => resumeTicket(held, at('2026-11-17 08:00'), policy), UsageError, 'at_before_held');
    refused(() => holdTicket(resumed, { reason: 'other', note: null }, at('2026-11-17 16:00'), policy), UsageError, 'at_before_resumed');
    expect(holdTicket(resumed, { reason: 'other', note: null }, at('2026-11-18 09:00'), policy).hold?.since).toBe(at('2026-11-18 09:00'));
  });
});

describe('extend', () => {
  it('sets the agreed resolution deadline, which a later hold and resume leave alone', () => {
    const extended = extendTicket(replied, { to: at('2026-11-30 18:00'), reason: 'customer abroad until the 28th' }, at('2026-11-17 10:00'));
    expect(due(extended, 'resolve')).toBe('2026-11-30 18:00');
    expect(currentDeadline(extended, 'resolve')?.agreed).toBe(at('2026-11-30 18:00'));
    const heldAndBack = resumeTicket(
      holdTicket(extended, { reason: 'waiting-customer', note: null }, at('2026-11-18 09:00'), policy),
      at('2026-11-19 09:00'),
      policy,
    );
    expect(due(heldAndBack, 'resolve')).toBe('2026-11-30 18:00');
  });

  it('refuses a deadline not later than now, a closed ticket, and a time before receipt', () => {
    refused(() => extendTicket(replied, { to: at('2026-11-17 09:00'), reason: 'x' }, at('2026-11-17 10:00')), UsageError, 'extend_not_later');
    refused(() => extendTicket(closed, { to: at('2026-11-30 18:00'), reason: 'x' }, at('2026-11-18 10:00')), InvalidTransition, 'ticket_closed');
    refused(() => extendTicket(monday, { to: at('2026-11-30 18:00'), reason: 'x' }, at('2026-11-16 09:00')), UsageError, 'at_before_received');
  });
});

describe('operations never change the snapshot they are given', () => {
  it('the Monday ticket is as logged after everything above', () => {
    expect(monday).toEqual(logged('2026-11-16 10:00'));
  });
});
