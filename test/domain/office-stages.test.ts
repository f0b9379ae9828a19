import { describe, expect, it } from 'vitest';
import { InvalidTransition, UsageError, type ComplaintsError } from '../../src/domain/errors.js';
import {
  assignTicket, closeTicket, holdTicket, logTicket, meetStage, recomputeDeadlines, reopenTicket, replyToTicket, resumeTicket,
  surveyTicket, type LogInput, type Policy,
} from '../../src/domain/lifecycle.js';
import { DEFAULT_STAGES, type StageRule } from '../../src/domain/procedure.js';
import { parseDuration } from '../../src/domain/sla.js';
import { currentDeadline, deadlineState, ticketStages, type Ticket } from '../../src/domain/ticket.js';
import { formatLocal } from '../../src/domain/time.js';
import { at, policy as builtIn, SHANGHAI } from '../support/office.js';

// The office's own stages (issue 11 §2): each starts at its moment of the handling cycle, once per
// cycle, on the tickets it applies to, and is met by `done` (meetStage). The seeds' steps: a site
// visit within working hours of assignment (003), the rectification notice back within half a
// working day (000), a handling plan after the site visit (004 §5.1.12).

const d = (text: string) => parseDuration(text)!;

function stage(code: string, over: Partial<StageRule> = {}): StageRule {
  const sla = typeof over.sla === 'object' ? over.sla : { general: d('4wh'), important: d('4wh'), major: d('4wh'), urgent: null };
  return {
    code, labels: { en: null, zh: null }, builtin: false, start: 'receipt', clock: 'working', pausable: false,
    onlySeverities: null, onlyTypes: null, retired: false, ...over, sla,
  };
}

function office(...own: StageRule[]): Policy {
  return { ...builtIn, stages: [...DEFAULT_STAGES, ...own], procedureVersion: 2 };
}

function input(received: string, over: Partial<LogInput> = {}): LogInput {
  return {
    complainant: { name: '王芳', anonymous: false, phone: null, email: null, address: null, org: null },
    channel: 'phone', category: 'service', subject: '漏水', description: null, demand: null, amountCents: null, product: null,
    batch: null, receivedAt: at(received), customerDue: null, unit: null, assignee: null, severity: null, urgent: false,
    safety: false, external: false, group: false, ...over,
  };
}

function due(t: Ticket, code: string): string | null {
  const v = currentDeadline(t, code)?.due ?? null;
  return v === null ? null : formatLocal(v, SHANGHAI);
}

function failure(f: () => unknown): ComplaintsError {
  try {
    f();
  } catch (e) {
    return e as ComplaintsError;
  }
  throw new Error('did not fail');
}

const siteVisit = stage('site_visit', { start: 'assignment', sla: { general: null, important: null, major: d('3wh'), urgent: null }, onlySeverities: ['major'] });

describe('an office stage starts at its moment, on the tickets it applies to', () => {
  it('site visit, 3wh from assignment, major only: due three working hours after the unit has it', () => {
    const p = office(siteVisit);
    // 2026-11-24 is a Tuesday; the office works 09:00–12:00 and 13:00–18:00.
    const logged = logTicket(input('2026-11-24 09:00', { severity: 'major' }), 'C2026-00001', 'clerk', at('2026-11-24 09:05'), p);
    expect(currentDeadline(logged, 'site_visit')).toBeNull();
    const assigned = assignTicket(logged, { unit: '工程部', assignee: null }, at('2026-11-24 10:00'), p);
    expect(due(assigned, 'site_visit')).toBe('2026-11-24 14:00');
    expect(ticketStages(assigned)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'site_visit']);
    // A reassignment before the visit does not restart it.
    const again = assignTicket(assigned, { unit: '维修部', assignee: null }, at('2026-11-24 11:00'), p);
    expect(due(again, 'site_visit')).toBe('2026-11-24 14:00');
  });

  it('starts with the unit when the ticket is logged already assigned, at the logging time', () => {
    const t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:30'), office(siteVisit));
    expect(due(t, 'site_visit')).toBe('2026-11-24 13:30');
  });

  it('sets no deadline on a severity or a ticket type it does not apply to', () => {
    const suggestionsOnly = stage('answer_suggestion', { onlyTypes: ['suggestion'] });
    const p = office(siteVisit, suggestionsOnly);
    const general = assignTicket(logTicket(input('2026-11-24 09:00'), 'C2026-00001', 'clerk', at('2026-11-24 09:05'), p), { unit: '工程部', assignee: null }, at('2026-11-24 10:00'), p);
    expect(currentDeadline(general, 'site_visit')).toBeNull();
    expect(currentDeadline(general, 'answer_suggestion')).toBeNull();
    const suggestion = logTicket(input('2026-11-24 09:00', { type: 'suggestion' }), 'C2026-00002', 'clerk', at('2026-11-24 09:05'), p);
    expect(suggestion.type).toBe('suggestion');
    expect(due(suggestion, 'answer_suggestion')).toBe('2026-11-24 14:00');
  });

  it('acknowledge, ½ working day from receipt: due four working hours after the call', () => {
    const acknowledge = stage('acknowledge', { sla: { general: d('0.5wd'), important: d('0.5wd'), major: d('0.5wd'), urgent: null } });
    const t = logTicket(input('2026-11-24 09:00'), 'C2026-00001', 'clerk', at('2026-11-24 09:05'), office(acknowledge));
    expect(due(t, 'acknowledge')).toBe('2026-11-24 14:00');
  });

  it('a stage that starts at reply starts at the first reply of the cycle only', () => {
    const p = office(stage('written_answer', { start: 'reply', sla: { general: d('2wd'), important: d('2wd'), major: d('2wd'), urgent: null } }));
    let t = logTicket(input('2026-11-24 09:00', { unit: '客服中心' }), 'C2026-00001', 'clerk', at('2026-11-24 09:05'), p);
    expect(currentDeadline(t, 'written_answer')).toBeNull();
    t = replyToTicket(t, at('2026-11-24 10:00'), p);
    expect(due(t, 'written_answer')).toBe('2026-11-26 10:00');
    t = replyToTicket(t, at('2026-11-25 10:00'), p);
    expect(due(t, 'written_answer')).toBe('2026-11-26 10:00');
  });

  it('a stage that starts at close is owed after the close, like the callback, until done', () => {
    const notice = stage('rectification_notice', { start: 'close', sla: { general: d('0.5wd'), important: d('0.5wd'), major: d('0.5wd'), urgent: null } });
    const p = office(notice);
    let t = logTicket(input('2026-11-24 09:00', { unit: '物业部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:05'), p);
    t = closeTicket(t, { resolution: '已维修', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-24 15:00'), p);
    expect(due(t, 'rectification_notice')).toBe('2026-11-25 10:00');
    expect(deadlineState(currentDeadline(t, 'rectification_notice'), at('2026-11-25 11:00'))).toBe('missed');
    const met = meetStage(t, 'rectification_notice', at('2026-11-25 09:30'), p);
    expect(deadlineState(currentDeadline(met, 'rectification_notice'), at('2026-11-25 11:00'))).toBe('met');
  });

  it('a stage that waits for another starts when that one is done: a handling plan after the site visit (seed 004 §5.1.12)', () => {
    const plan = stage('plan', { start: 'stage:site_visit', sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null } });
    const p = office(siteVisit, plan);
    let t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    expect(currentDeadline(t, 'plan')).toBeNull();
    t = meetStage(t, 'site_visit', at('2026-11-24 11:00'), p);
    expect(currentDeadline(t, 'site_visit')?.doneAt).toBe(at('2026-11-24 11:00'));
    expect(due(t, 'plan')).toBe('2026-11-25 11:00');
  });

  it('a stage can wait for a built-in one: a follow-up call one working day after the first reply', () => {
    const followUp = stage('follow_up', { start: 'stage:first_reply', sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null } });
    const p = office(followUp);
    let t = logTicket(input('2026-11-24 09:00', { unit: '客服中心' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = replyToTicket(t, at('2026-11-24 16:00'), p);
    expect(due(t, 'follow_up')).toBe('2026-11-25 16:00');
  });

  it('a retired stage starts on no new ticket', () => {
    const t = logTicket(input('2026-11-24 09:00'), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), office(stage('acknowledge', { retired: true })));
    expect(currentDeadline(t, 'acknowledge')).toBeNull();
  });
});

describe('an office stage\'s clock', () => {
  it('48h (seed 001) runs round the clock through the night and the weekend', () => {
    const p = office(stage('site_visit', { sla: { general: d('48h'), important: d('48h'), major: d('48h'), urgent: null } }));
    const t = logTicket(input('2026-11-27 17:00'), 'C2026-00001', 'clerk', at('2026-11-27 17:00'), p);
    expect(due(t, 'site_visit')).toBe('2026-11-29 17:00');
  });

  it('--clock 24x7 runs working units round the clock: 1wd is 24 hours', () => {
    const p = office(stage('hotline_callback', { clock: '24x7', sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null } }));
    const t = logTicket(input('2026-11-27 17:00'), 'C2026-00001', 'clerk', at('2026-11-27 17:00'), p);
    expect(due(t, 'hotline_callback')).toBe('2026-11-28 17:00');
  });

  it('an urgent ticket runs the severity\'s duration 24×7 unless the stage has its own urgent one', () => {
    const p = office(stage('acknowledge'), stage('call_back', { sla: { general: d('4wh'), important: d('4wh'), major: d('4wh'), urgent: d('1h') } }));
    const t = logTicket(input('2026-11-24 20:00', { urgent: true }), 'C2026-00001', 'clerk', at('2026-11-24 20:00'), p);
    expect(due(t, 'acknowledge')).toBe('2026-11-25 00:00');
    expect(due(t, 'call_back')).toBe('2026-11-24 21:00');
  });

  it('a pausable stage stops while the ticket is on hold; one that is not runs on', () => {
    const p = office(stage('inspection', { pausable: true, sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null } }), stage('acknowledge'));
    let t = logTicket(input('2026-11-24 09:00'), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = holdTicket(t, { reason: 'waiting-customer', note: null }, at('2026-11-24 10:00'), p);
    expect(due(t, 'inspection')).toBeNull();
    expect(due(t, 'acknowledge')).toBe('2026-11-24 14:00');
    t = resumeTicket(t, at('2026-11-25 10:00'), p);
    // 1 working hour was used before the hold; 7 remain from Wednesday 10:00.
    expect(due(t, 'inspection')).toBe('2026-11-25 18:00');
  });
});

describe('done: an office stage met', () => {
  const p = office(siteVisit);
  const assigned = (): Ticket =>
    assignTicket(logTicket(input('2026-11-24 09:00', { severity: 'major' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p), { unit: '工程部', assignee: null }, at('2026-11-24 10:00'), p);

  it('marks it done at the time given: met in time, missed when late', () => {
    expect(deadlineState(currentDeadline(meetStage(assigned(), 'site_visit', at('2026-11-24 13:30'), p), 'site_visit'), at('2026-11-30 09:00'))).toBe('met');
    expect(deadlineState(currentDeadline(meetStage(assigned(), 'site_visit', at('2026-11-24 15:00'), p), 'site_visit'), at('2026-11-30 09:00'))).toBe('missed');
  });

  it('refuses a built-in stage, naming its command', () => {
    const e = failure(() => meetStage(assigned(), 'first_reply', at('2026-11-24 11:00'), p));
    expect(e).toBeInstanceOf(UsageError);
    expect([e.key, e.params]).toEqual(['stage_met_by_command', { stage: 'first_reply', command: 'reply' }]);
  });

  it('refuses a stage that is not running, one already done, and a time before it started', () => {
    const general = logTicket(input('2026-11-24 09:00'), 'C2026-00002', 'clerk', at('2026-11-24 09:00'), p);
    const notRunning = failure(() => meetStage(general, 'site_visit', at('2026-11-24 11:00'), p));
    expect([notRunning.constructor, notRunning.key]).toEqual([InvalidTransition, 'stage_not_running']);
    const done = meetStage(assigned(), 'site_visit', at('2026-11-24 11:00'), p);
    const twice = failure(() => meetStage(done, 'site_visit', at('2026-11-24 12:00'), p));
    expect([twice.constructor, twice.key]).toEqual([InvalidTransition, 'stage_already_done']);
    const early = failure(() => meetStage(assigned(), 'site_visit', at('2026-11-24 09:30'), p));
    expect([early.constructor, early.key]).toEqual([UsageError, 'at_before_stage_started']);
  });
});

describe('office stages across the handling cycle', () => {
  const p = office(siteVisit, stage('acknowledge'));
  const closeInput = { resolution: '已修复', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null };

  it('closing does not do an office stage; a survey does not either', () => {
    let t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = closeTicket(t, closeInput, at('2026-11-24 10:00'), p);
    t = surveyTicket(t, { score: 5, comment: null }, at('2026-11-24 11:00'), p);
    expect(currentDeadline(t, 'site_visit')?.doneAt).toBeNull();
    expect(currentDeadline(t, 'acknowledge')?.doneAt).toBeNull();
  });

  it('a reopen voids the first cycle\'s open office stages and starts the receipt ones afresh', () => {
    let t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = closeTicket(t, closeInput, at('2026-11-24 10:00'), p);
    t = reopenTicket(t, at('2026-11-25 09:00'), p);
    expect(t.deadlines['acknowledge.1']?.void).toBe(true);
    expect(due(t, 'acknowledge')).toBe('2026-11-25 14:00');
    // The unit still has it: the second cycle's site visit runs from the reopen.
    expect(due(t, 'site_visit')).toBe('2026-11-25 12:00');
  });

  it('a changed stage recomputes its open deadlines; met ones keep their history', () => {
    let t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = meetStage(t, 'site_visit', at('2026-11-24 11:00'), p);
    const longer = office({ ...siteVisit, sla: { ...siteVisit.sla, major: d('5wh') } }, stage('acknowledge', { sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null }, pausable: true }));
    const after = recomputeDeadlines(t, longer, { reallocate: true });
    expect(due(after, 'acknowledge')).toBe('2026-11-24 18:00');
    expect(after.deadlines['acknowledge.1']?.pausable).toBe(true);
    expect(after.deadlines['site_visit.1']).toBe(t.deadlines['site_visit.1']);
  });
});

describe('a stage limited after it started', () => {
  it('keeps the allowance of a deadline already running on a severity it no longer covers', () => {
    const every = stage('acknowledge');
    const p = office(every);
    const t = logTicket(input('2026-11-24 09:00'), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    const majorOnly = office({ ...every, onlySeverities: ['major'], sla: { general: null, important: null, major: d('1wh'), urgent: null } });
    expect(due(recomputeDeadlines(t, majorOnly, { reallocate: true }), 'acknowledge')).toBe('2026-11-24 14:00');
  });
});

describe('closing a ticket on hold', () => {
  const closeInput = { resolution: '已修复', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null };

  it('ends the hold for the office stages still owed: a pausable one comes due again, less the time on hold', () => {
    const p = office({ ...siteVisit, pausable: true });
    let t = logTicket(input('2026-11-24 09:00', { severity: 'major', unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = holdTicket(t, { reason: 'waiting-customer', note: null }, at('2026-11-24 10:00'), p);
    expect(due(t, 'site_visit')).toBeNull();
    t = closeTicket(t, closeInput, at('2026-11-24 11:00'), p);
    // 1 of 3 working hours used before the hold (09:00–10:00); the rest runs from the close: 11:00–12:00, 13:00–14:00.
    expect(due(t, 'site_visit')).toBe('2026-11-24 14:00');
    expect(deadlineState(currentDeadline(t, 'site_visit'), at('2026-11-25 09:00'))).toBe('missed');
  });

  it('starts a stage that waits for resolve with its clock running', () => {
    const p = office(stage('closure_letter', { start: 'stage:resolve', pausable: true, sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null } }));
    let t = logTicket(input('2026-11-24 09:00', { unit: '工程部' }), 'C2026-00001', 'clerk', at('2026-11-24 09:00'), p);
    t = holdTicket(t, { reason: 'waiting-customer', note: null }, at('2026-11-24 10:00'), p);
    t = closeTicket(t, closeInput, at('2026-11-24 11:00'), p);
    expect(due(t, 'closure_letter')).toBe('2026-11-25 11:00');
  });
});
