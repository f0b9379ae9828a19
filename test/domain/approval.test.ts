import { describe, expect, it } from 'vitest';
import { approvalNeeded, mayDecide, rankToDecide } from '../../src/domain/approval.js';
import { InvalidTransition, UsageError } from '../../src/domain/errors.js';
import { compactChanges, foldPayloads } from '../../src/domain/event-payloads.js';
import {
  approveClose, assignTicket, closeTicket, holdTicket, logTicket, meetStage, rejectClose, reopenTicket, replyToTicket, requestClose,
  surveyTicket, type CloseInput, type LogInput,
} from '../../src/domain/lifecycle.js';
import { DEFAULT_APPROVAL_LIMITS, type Rank } from '../../src/domain/people.js';
import { APPROVAL_STAGE, DEFAULT_STAGES } from '../../src/domain/procedure.js';
import { currentDeadline, deadlineState, ticketStages } from '../../src/domain/ticket.js';
import { formatLocal } from '../../src/domain/time.js';
import { at, policy, SHANGHAI } from '../support/office.js';
import { refused } from '../support/refusal.js';

// issue 13 §4, seed 004 §3.9 (compensation capped by rank) and §3.7.3.4 (internal approval within
// one working day), seed 001 (the manager re-confirms a customer-fault finding).

const local = (i: number | null | undefined): string | null => (i === null || i === undefined ? null : formatLocal(i, SHANGHAI));

const logInput: LogInput = {
  complainant: { name: '王芳', anonymous: false, phone: '13800000000', email: null, address: null, org: null },
  channel: 'phone', category: 'delivery', subject: '包裹延误', description: null, demand: null, amountCents: null, product: null,
  batch: null, receivedAt: at('2026-11-16 10:00'), customerDue: null, unit: null, assignee: null, severity: null, urgent: false,
  safety: false, external: false, group: false,
};

const big: CloseInput = {
  resolution: 'Refunded in full', fault: 'company', rootCause: 'courier lost it', action: 'new courier',
  compensationCents: 2_000_000, compensationKind: 'cash',
};

// Logged Monday 10:00, assigned 11:00, replied 14:00 (resolve due next Monday 10:00).
const replied = replyToTicket(
  assignTicket(logTicket(logInput, 'C2026-00003', 'clerk1', at('2026-11-16 10:00'), policy), { unit: '物流部', assignee: 'h1' }, at('2026-11-16 11:00'), policy),
  at('2026-11-16 14:00'), policy,
);
const need = { rank: 'director' as Rank, reasons: ['compensation' as const] };
// Requested Tuesday 10:00: the approval stage (1 working day) is due Wednesday 10:00.
const pending = requestClose(replied, big, 'h1', at('2026-11-17 10:00'), policy, need);

describe('who needs approval to close (approvalNeeded)', () => {
  const rules = { limits: DEFAULT_APPROVAL_LIMITS, faultConfirm: null };
  it('nobody in a single-person office (no role)', () => {
    expect(approvalNeeded(null, { compensationCents: 2_000_000, fault: 'customer' }, { ...rules, faultConfirm: 'manager' })).toBeNull();
  });
  it('no compensation (or zero) never needs it, whatever the role', () => {
    expect(approvalNeeded('handler', { compensationCents: null, fault: null }, rules)).toBeNull();
    expect(approvalNeeded('clerk', { compensationCents: 0, fault: null }, rules)).toBeNull();
  });
  it('a handler (limit 0) needs the lowest rank whose limit covers the amount: below 500 a supervisor, below 10 000 a manager, above a director', () => {
    expect(approvalNeeded('handler', { compensationCents: 1, fault: null }, rules)).toEqual({ rank: 'supervisor', reasons: ['compensation'] });
    expect(approvalNeeded('handler', { compensationCents: 49_999, fault: null }, rules)?.rank).toBe('supervisor');
    expect(approvalNeeded('handler', { compensationCents: 50_000, fault: null }, rules)?.rank).toBe('manager');
    expect(approvalNeeded('handler', { compensationCents: 999_999, fault: null }, rules)?.rank).toBe('manager');
    expect(approvalNeeded('handler', { compensationCents: 1_000_000, fault: null }, rules)?.rank).toBe('director');
  });
  it('a supervisor closes below 500 alone; a director closes any amount alone', () => {
    expect(approvalNeeded('supervisor', { compensationCents: 49_999, fault: null }, rules)).toBeNull();
    expect(approvalNeeded('supervisor', { compensationCents: 50_000, fault: null }, rules)?.rank).toBe('manager');
    expect(approvalNeeded('director', { compensationCents: 100_000_000, fault: null }, rules)).toBeNull();
  });
  it("the office's own limits apply: a director limited to 10 yuan needs a director for 20 000 (nobody covers it until raised)", () => {
    const low = { limits: { ...DEFAULT_APPROVAL_LIMITS, director: 1000 }, faultConfirm: null };
    expect(approvalNeeded('director', { compensationCents: 2_000_000, fault: null }, low)).toEqual({ rank: 'director', reasons: ['compensation'] });
  });
  it('a customer-fault finding needs the re-confirming rank only when the office turned the rule on, and only below that rank', () => {
    expect(approvalNeeded('handler', { compensationCents: null, fault: 'customer' }, rules)).toBeNull();
    const on = { ...rules, faultConfirm: 'manager' as Rank };
    expect(approvalNeeded('handler', { compensationCents: null, fault: 'customer' }, on)).toEqual({ rank: 'manager', reasons: ['fault'] });
    expect(approvalNeeded('manager', { compensationCents: null, fault: 'customer' }, on)).toBeNull();
    expect(approvalNeeded('handler', { compensationCents: null, fault: 'company' }, on)).toBeNull();
  });
  it('both reasons: the higher of the two ranks', () => {
    const on = { ...rules, faultConfirm: 'manager' as Rank };
    expect(approvalNeeded('handler', { compensationCents: 100, fault: 'customer' }, on)).toEqual({ rank: 'manager', reasons: ['compensation', 'fault'] });
    expect(approvalNeeded('handler', { compensationCents: 2_000_000, fault: 'customer' }, on)).toEqual({ rank: 'director', reasons: ['compensation', 'fault'] });
  });
});

describe('who may decide (mayDecide, rankToDecide)', () => {
  const limits = DEFAULT_APPROVAL_LIMITS;
  it('needs both the rank asked for and a limit covering the amount', () => {
    expect(mayDecide('supervisor', { needs: 'supervisor', amountCents: 10_000 }, limits)).toBe(true);
    expect(mayDecide('supervisor', { needs: 'supervisor', amountCents: 50_000 }, limits)).toBe(false);
    expect(mayDecide('manager', { needs: 'director', amountCents: 100 }, limits)).toBe(false);
    expect(mayDecide('director', { needs: 'director', amountCents: 2_000_000 }, limits)).toBe(true);
    expect(mayDecide('handler', { needs: 'supervisor', amountCents: 1 }, limits)).toBe(false);
    expect(mayDecide('system', { needs: 'supervisor', amountCents: null }, limits)).toBe(false);
  });
  it('anyone in a single-person office', () => {
    expect(mayDecide(null, { needs: 'director', amountCents: 2_000_000 }, limits)).toBe(true);
  });
  it('the limits in force decide: a limit lowered since the request raises the rank needed', () => {
    const lowered = { ...limits, manager: 10_000 };
    expect(rankToDecide({ needs: 'manager', amountCents: 50_000 }, limits)).toBe('manager');
    expect(rankToDecide({ needs: 'manager', amountCents: 50_000 }, lowered)).toBe('director');
    expect(mayDecide('manager', { needs: 'manager', amountCents: 50_000 }, lowered)).toBe(false);
    expect(rankToDecide({ needs: 'manager', amountCents: null }, limits)).toBe('manager');
  });
});

describe('a close awaiting approval (requestClose)', () => {
  it('keeps the close on the ticket but leaves it open, in progress, with approval{} pending', () => {
    expect(pending.closedAt).toBeNull();
    expect(pending.status).toBe('in_progress');
    expect(pending.resolution).toBe('Refunded in full');
    expect(pending.compensationCents).toBe(2_000_000);
    expect(pending.resolutionMinutes).toBeNull();
    expect(pending.approval).toEqual({
      requestedBy: 'h1', amountCents: 2_000_000, requestedAt: at('2026-11-17 10:00'), state: 'pending', needs: 'director',
      reasons: ['compensation'], decidedBy: null, decidedAt: null, note: null,
    });
  });
  it('keeps its unit until decided: a rejection returns it to the unit that asked (review)', () => {
    refused(() => assignTicket(pending, { unit: '客服部', assignee: null }, at('2026-11-17 11:00'), policy), InvalidTransition, 'approval_pending_unit');
    expect(assignTicket(pending, { unit: pending.unit!, assignee: 'h2' }, at('2026-11-17 11:00'), policy).assignee).toBe('h2');
  });
  it('meets the resolve stage at the request', () => {
    expect(local(currentDeadline(pending, 'resolve')?.doneAt)).toBe('2026-11-17 10:00');
    expect(deadlineState(currentDeadline(pending, 'resolve'), at('2026-11-30 10:00'))).toBe('met');
  });
  it('starts the approval stage: one working day, shown among the ticket stages, late after it', () => {
    const dl = currentDeadline(pending, APPROVAL_STAGE);
    expect(local(dl?.start)).toBe('2026-11-17 10:00');
    expect(local(dl?.due)).toBe('2026-11-18 10:00');
    expect(ticketStages(pending)).toContain(APPROVAL_STAGE);
    expect(deadlineState(dl, at('2026-11-18 09:59'))).toBe('pending');
    expect(deadlineState(dl, at('2026-11-18 10:01'))).toBe('missed');
    expect(Object.keys(pending.deadlines)).toContain('approval.1.1');
  });
  it('starts no callback: nothing has been closed', () => {
    expect(currentDeadline(pending, 'callback')).toBeNull();
  });
  it('an office whose procedure has no approval stage still records the request, untimed', () => {
    const none = { ...policy, stages: DEFAULT_STAGES.filter((s) => s.code !== APPROVAL_STAGE) };
    const t = requestClose(replied, big, 'h1', at('2026-11-17 10:00'), none, need);
    expect(t.approval?.state).toBe('pending');
    expect(currentDeadline(t, APPROVAL_STAGE)).toBeNull();
  });
  it('ends a hold, like a close: the approval stage runs from the request', () => {
    const held = holdTicket(replied, { reason: 'waiting-customer', note: null }, at('2026-11-16 15:00'), policy);
    const t = requestClose(held, big, 'h1', at('2026-11-17 10:00'), policy, need);
    expect(t.hold).toBeNull();
    expect(t.pauses).toEqual([{ start: at('2026-11-16 15:00'), end: at('2026-11-17 10:00') }]);
    expect(local(currentDeadline(t, APPROVAL_STAGE)?.due)).toBe('2026-11-18 10:00');
  });
  it('is refused on a closed ticket, before the last reply, and while another awaits', () => {
    const closed = closeTicket(replied, { ...big, compensationCents: null, compensationKind: null }, at('2026-11-17 10:00'), policy);
    refused(() => requestClose(closed, big, 'h1', at('2026-11-17 11:00'), policy, need), InvalidTransition, 'ticket_closed');
    refused(() => requestClose(replied, big, 'h1', at('2026-11-16 13:00'), policy, need), UsageError, 'at_before_last_change');
    const e = refused(() => requestClose(pending, big, 'h1', at('2026-11-17 11:00'), policy, need), InvalidTransition, 'approval_pending');
    expect(e.params).toEqual({ no: 'C2026-00003', rank: 'director' });
  });
  it('a close is refused while it awaits ("approve or reject it first")', () => {
    const e = refused(() => closeTicket(pending, big, at('2026-11-17 11:00'), policy), InvalidTransition, 'approval_pending');
    expect(e.params.rank).toBe('director');
  });
  it('folds from its stored changes back to the same ticket (the event log reproduces it)', () => {
    const folded = foldPayloads([compactChanges(null, replied), compactChanges(replied, pending)]);
    expect(folded).toEqual(pending);
  });
});

describe('approved (approveClose)', () => {
  // Approved Thursday 15:00, after the approval stage was due (Wednesday 10:00).
  const approved = approveClose(pending, { by: 'boss', note: 'ok' }, at('2026-11-19 15:00'), policy);
  it('the close takes effect at the approval: closed_at, resolution time, callback from then', () => {
    expect(approved.status).toBe('closed');
    expect(local(approved.closedAt)).toBe('2026-11-19 15:00');
    // Monday 10:00 → Thursday 15:00 in working minutes, not to the request.
    const toRequest = closeTicket(replied, big, at('2026-11-17 10:00'), policy).resolutionMinutes!;
    expect(approved.resolutionMinutes).toBeGreaterThan(toRequest);
    expect(local(currentDeadline(approved, 'callback')?.start)).toBe('2026-11-19 15:00');
    expect(approved.resolution).toBe('Refunded in full');
    expect(approved.compensationCents).toBe(2_000_000);
  });
  it('the resolve stage stays met at the request; the approval stage is done at the approval (late here)', () => {
    expect(local(currentDeadline(approved, 'resolve')?.doneAt)).toBe('2026-11-17 10:00');
    const dl = currentDeadline(approved, APPROVAL_STAGE);
    expect(local(dl?.doneAt)).toBe('2026-11-19 15:00');
    expect(deadlineState(dl, at('2026-11-30 10:00'))).toBe('missed');
    const inTime = approveClose(pending, { by: 'boss', note: null }, at('2026-11-18 09:00'), policy);
    expect(deadlineState(currentDeadline(inTime, APPROVAL_STAGE), at('2026-11-30 10:00'))).toBe('met');
  });
  it('records who decided, when, and the note', () => {
    expect(approved.approval).toMatchObject({ state: 'approved', decidedBy: 'boss', decidedAt: at('2026-11-19 15:00'), note: 'ok', requestedBy: 'h1' });
  });
  it('is refused before the request, with nothing pending, and twice', () => {
    refused(() => approveClose(pending, { by: 'boss', note: null }, at('2026-11-17 09:00'), policy), UsageError, 'at_before_approval_requested');
    refused(() => approveClose(replied, { by: 'boss', note: null }, at('2026-11-17 11:00'), policy), InvalidTransition, 'approval_not_pending');
    refused(() => approveClose(approved, { by: 'boss', note: null }, at('2026-11-20 11:00'), policy), InvalidTransition, 'approval_not_pending');
  });
  it('then the ticket lives on as any closed one: surveyed, reopened with the approval cleared for the new cycle', () => {
    const surveyed = surveyTicket(approved, { score: 5, comment: null }, at('2026-11-20 10:00'), policy);
    expect(surveyed.survey?.score).toBe(5);
    const reopened = reopenTicket(approved, at('2026-11-20 10:00'), policy);
    expect(reopened.approval).toBeNull();
    expect(reopened.status).toBe('assigned');
    expect(currentDeadline(reopened, APPROVAL_STAGE)).toBeNull();
  });
  it('folds from its stored changes', () => {
    const folded = foldPayloads([compactChanges(null, replied), compactChanges(replied, pending), compactChanges(pending, approved)]);
    expect(folded).toEqual(approved);
  });
});

describe('rejected (rejectClose)', () => {
  const rejected = rejectClose(pending, { by: 'boss', reason: 'too much' }, at('2026-11-17 15:00'), policy);
  it('goes back to the handler: open, in progress, the close withdrawn, the decision recorded', () => {
    expect(rejected.status).toBe('in_progress');
    expect(rejected.closedAt).toBeNull();
    expect(rejected.resolution).toBeNull();
    expect(rejected.compensationCents).toBeNull();
    expect(rejected.compensationKind).toBeNull();
    expect(rejected.fault).toBeNull();
    expect(rejected.approval).toMatchObject({ state: 'rejected', decidedBy: 'boss', decidedAt: at('2026-11-17 15:00'), note: 'too much', amountCents: 2_000_000 });
  });
  it('the approval stage is met (decided); the resolve deadline is owed again with its due unchanged', () => {
    expect(local(currentDeadline(rejected, APPROVAL_STAGE)?.doneAt)).toBe('2026-11-17 15:00');
    const resolve = currentDeadline(rejected, 'resolve');
    expect(resolve?.doneAt).toBeNull();
    expect(resolve?.due).toBe(currentDeadline(replied, 'resolve')?.due);
    expect(deadlineState(resolve, at('2026-11-17 16:00'))).toBe('pending');
  });
  it('a rejection after the resolve deadline leaves the ticket late', () => {
    const late = rejectClose(pending, { by: 'boss', reason: 'no' }, at('2026-11-24 15:00'), policy);
    expect(deadlineState(currentDeadline(late, 'resolve'), at('2026-11-24 16:00'))).toBe('missed');
  });
  it('a later close within the limit takes effect at once; one above it asks again, timed afresh under a new key', () => {
    const small = closeTicket(rejected, { ...big, compensationCents: 10_000 }, at('2026-11-18 10:00'), policy);
    expect(small.status).toBe('closed');
    expect(local(currentDeadline(small, 'resolve')?.doneAt)).toBe('2026-11-18 10:00');
    const again = requestClose(rejected, big, 'h1', at('2026-11-18 10:00'), policy, need);
    expect(Object.keys(again.deadlines).filter((k) => k.startsWith('approval.'))).toEqual(['approval.1.1', 'approval.1.2']);
    const dl = currentDeadline(again, APPROVAL_STAGE);
    expect(local(dl?.start)).toBe('2026-11-18 10:00');
    expect(local(dl?.due)).toBe('2026-11-19 10:00');
    expect(again.approval?.state).toBe('pending');
  });
  it('the newest request is the current one in any cycle (keys compare by their last number)', () => {
    // Cycle 4: approval.4.1 then approval.4.2; a first key named by its cycle alone (approval.4) would sort above approval.4.2.
    let t = approveClose(pending, { by: 'boss', note: null }, at('2026-11-17 11:00'), policy);
    for (const day of ['18', '19']) {
      t = reopenTicket(t, at(`2026-11-${day} 09:00`), policy);
      t = replyToTicket(t, at(`2026-11-${day} 09:30`), policy);
      t = requestClose(t, big, 'h1', at(`2026-11-${day} 10:00`), policy, need);
      t = approveClose(t, { by: 'boss', note: null }, at(`2026-11-${day} 11:00`), policy);
    }
    t = reopenTicket(t, at('2026-11-20 09:00'), policy);
    t = requestClose(t, big, 'h1', at('2026-11-20 10:00'), policy, need);
    t = rejectClose(t, { by: 'boss', reason: 'no' }, at('2026-11-20 11:00'), policy);
    t = requestClose(t, big, 'h1', at('2026-11-20 14:00'), policy, need);
    expect(t.cycle).toBe(4);
    expect(local(currentDeadline(t, APPROVAL_STAGE)?.start)).toBe('2026-11-20 14:00');
    expect(currentDeadline(t, APPROVAL_STAGE)?.doneAt).toBeNull();
  });
  it('is refused with nothing pending and before the request', () => {
    refused(() => rejectClose(rejected, { by: 'boss', reason: 'x' }, at('2026-11-18 10:00'), policy), InvalidTransition, 'approval_not_pending');
    refused(() => rejectClose(pending, { by: 'boss', reason: 'x' }, at('2026-11-17 09:00'), policy), UsageError, 'at_before_approval_requested');
  });
  it('folds from its stored changes', () => {
    expect(foldPayloads([compactChanges(null, replied), compactChanges(replied, pending), compactChanges(pending, rejected)])).toEqual(rejected);
  });
});

describe('the approval stage is not met by done', () => {
  it('is decided by approve or reject, never marked done', () => {
    refused(() => meetStage(pending, APPROVAL_STAGE, at('2026-11-17 11:00'), policy), UsageError, 'done_approval_stage');
  });
});
