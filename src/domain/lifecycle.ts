import { InvalidTransition, UsageError } from './errors.js';
import type {
  BuiltinStage, Category, Channel, CompensationKind, Fault, HoldReason, Severity, Stage, TicketType,
} from './model.js';
import { APPROVAL_STAGE, findStage, isBuiltinStage, stageApplies, type StageRule, type StageStart } from './procedure.js';
import { suggestSeverity } from './severity.js';
import { stageAllowance } from './sla.js';
import type { Rank } from './people.js';
import type { ApprovalReason, Complainant, Deadline, Ticket } from './ticket.js';
import { currentDeadline, deriveStatus } from './ticket.js';
import type { Instant } from './time.js';
import { addClockTime, clockMinutesBetween, type Interval, type OfficeCalendar } from './working-time.js';

/** What deadlines are computed against: the office calendar and the procedure's stages in force. */
export interface Policy {
  calendar: OfficeCalendar;
  stages: readonly StageRule[];
  /** The procedure's version: each ticket event records the one it was computed under. */
  procedureVersion: number;
}

/** The rule of a stage the ticket has a deadline for; stages are retired, never deleted. */
export function stageRule(policy: Pick<Policy, 'stages'>, stage: Stage): StageRule {
  const rule = findStage(policy.stages, stage);
  if (rule === undefined) throw new Error(`no stage ${stage} in the procedure`);
  return rule;
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/** Holds of the current cycle, the open one running on without end. */
export function pausesOf(t: Pick<Ticket, 'pauses' | 'hold'>): Interval[] {
  return t.hold ? [...t.pauses, { start: t.hold.since, end: Infinity }] : [...t.pauses];
}

export function computeDue(dl: Omit<Deadline, 'due'>, cal: OfficeCalendar, pauses: readonly Interval[]): Instant | null {
  if (dl.agreed !== null) return dl.agreed;
  const due = addClockTime(cal, dl.clock, dl.start, dl.minutes, dl.pausable ? pauses : []);
  if (due === null) return null;
  return dl.cap !== null && dl.cap < due ? dl.cap : due;
}

function newDeadline(t: Ticket, stage: Stage, start: Instant, policy: Policy, cap: Instant | null = null): Deadline {
  const rule = stageRule(policy, stage);
  const { minutes, clock } = stageAllowance(rule, t.severity, t.urgent, policy.calendar);
  const base = { stage, cycle: t.cycle, start, minutes, clock, pausable: rule.pausable, cap, agreed: null, doneAt: null, void: false };
  return { ...base, due: computeDue(base, policy.calendar, pausesOf(t)) };
}

function withDeadline(t: Ticket, key: string, dl: Deadline): Ticket {
  return { ...t, deadlines: { ...t.deadlines, [key]: dl } };
}

function deadlineKey(stage: Stage, cycle: number, n?: number): string {
  return n === undefined ? `${stage}.${cycle}` : `${stage}.${cycle}.${n}`;
}

/**
 * Marks the current cycle's open instances of these stages done at `at`, and starts the office
 * stages that wait for one of them (`--start stage:CODE`). Without a policy none start: the pure
 * callers that have none know of no office stage.
 */
function complete(t: Ticket, stages: readonly Stage[], at: Instant, policy?: Policy): Ticket {
  const deadlines = { ...t.deadlines };
  const done = new Set<Stage>();
  for (const [key, dl] of Object.entries(deadlines)) {
    if (dl.cycle === t.cycle && stages.includes(dl.stage) && dl.doneAt === null && !dl.void) {
      deadlines[key] = { ...dl, doneAt: at };
      done.add(dl.stage);
    }
  }
  let next: Ticket = { ...t, deadlines };
  for (const stage of done) next = startOfficeStages(next, `stage:${stage}`, at, policy);
  return next;
}

/**
 * Starts the office's own stages that start at this moment of the cycle and apply to this ticket,
 * each once per handling cycle: a second reply or a reassignment does not restart a stage already
 * running or met. The built-in stages are started by the operations below.
 */
function startOfficeStages(t: Ticket, moment: StageStart, at: Instant, policy: Policy | undefined): Ticket {
  if (policy === undefined) return t;
  let next = t;
  for (const rule of policy.stages) {
    if (rule.builtin || rule.start !== moment || !stageApplies(rule, t)) continue;
    const key = deadlineKey(rule.code, t.cycle);
    if (key in next.deadlines) continue;
    next = withDeadline(next, key, newDeadline(next, rule.code, at, policy));
  }
  return next;
}

/**
 * Recomputes every deadline not yet done: after a hold or resume, an SLA change, or a calendar
 * change. Done stages keep their history.
 */
export function recomputeDeadlines(t: Ticket, policy: Policy, options: { reallocate: boolean } = { reallocate: false }): Ticket {
  const pauses = pausesOf(t);
  const deadlines = { ...t.deadlines };
  for (const [key, dl] of Object.entries(deadlines)) {
    if (dl.doneAt !== null || dl.void) continue;
    const rule = options.reallocate ? findStage(policy.stages, dl.stage) : undefined;
    // A stage since limited to other severities has no duration for this ticket: it keeps its own.
    const next = rule === undefined || (rule.sla[t.severity] === null && !(t.urgent && rule.sla.urgent !== null))
      ? dl
      : { ...dl, ...pick(stageAllowance(rule, t.severity, t.urgent, policy.calendar)), pausable: rule.pausable };
    deadlines[key] = { ...next, due: computeDue(next, policy.calendar, pauses) };
  }
  return { ...t, deadlines };
}

function pick(a: { minutes: number; clock: Deadline['clock'] }): Pick<Deadline, 'minutes' | 'clock'> {
  return { minutes: a.minutes, clock: a.clock };
}

// ---------------------------------------------------------------------------------------------
// Operations. Each takes the snapshot and returns the next one; it throws and changes nothing
// when the transition is not allowed. `at` is when it really happened (SPEC §3 `--at`).

function requireOpen(t: Ticket, action: string): void {
  if (t.status === 'closed') throw new InvalidTransition('ticket_closed', { no: t.no, action });
}

function requireNotBefore(
  at: Instant, earliest: Instant, what: 'received' | 'reopened' | 'closed' | 'held' | 'resumed' | 'last_change' | 'approval_requested', t: Ticket,
): void {
  if (at < earliest) throw new UsageError(`at_before_${what}`, { no: t.no });
}

/** Nothing of the current handling cycle can predate it: the receipt, or the reopen. */
function requireInCycle(at: Instant, t: Ticket): void {
  requireNotBefore(at, t.cycleStart, t.cycle > 1 ? 'reopened' : 'received', t);
}

/** A contact or a close comes after the last contact of this cycle. */
function requireAfterLastContact(at: Instant, t: Ticket): void {
  // lastReplyAt survives a reopen; a reply of the first cycle does not bound the second.
  if (t.lastReplyAt !== null && t.lastReplyAt >= t.cycleStart) requireNotBefore(at, t.lastReplyAt, 'last_change', t);
  else requireInCycle(at, t);
}

/** What every handling cycle starts without, the first and each one after a reopen. */
const FRESH_CYCLE = {
  replyCount: 0,
  closedAt: null,
  resolution: null,
  fault: null,
  rootCause: null,
  action: null,
  compensationCents: null,
  compensationKind: null,
  resolutionMinutes: null,
  survey: null,
  callbackAttempts: 0,
  hold: null,
  pauses: [],
  approval: null,
} as const satisfies Partial<Ticket>;

export interface LogInput {
  /** The ticket type (seed 004 §3.6); a complaint unless said. */
  type?: TicketType;
  complainant: Complainant;
  channel: Channel;
  category: Category;
  subject: string;
  description: string | null;
  demand: string | null;
  amountCents: number | null;
  product: string | null;
  batch: string | null;
  receivedAt: Instant;
  customerDue: Instant | null;
  unit: string | null;
  assignee: string | null;
  severity: Severity | null;
  urgent: boolean;
  safety: boolean;
  external: boolean;
  group: boolean;
}

export function logTicket(input: LogInput, no: string, actor: string, at: Instant, policy: Policy): Ticket {
  if (input.receivedAt > at) throw new UsageError('received_after_logged', {});
  if (input.customerDue !== null && input.customerDue <= input.receivedAt) {
    throw new UsageError('due_before_received', {});
  }
  const suggestion = suggestSeverity(input);
  const base: Ticket = {
    no,
    type: input.type ?? 'complaint',
    status: 'new',
    severity: input.severity ?? suggestion.severity,
    severitySuggested: suggestion.severity,
    severityReasons: suggestion.reasons,
    urgent: input.urgent,
    safety: input.safety,
    external: input.external,
    group: input.group,
    channel: input.channel,
    category: input.category,
    unit: input.unit,
    assignee: input.unit === null ? null : input.assignee,
    complainant: input.complainant,
    subject: input.subject,
    description: input.description,
    demand: input.demand,
    amountCents: input.amountCents,
    product: input.product,
    batch: input.batch,
    receivedAt: input.receivedAt,
    customerDue: input.customerDue,
    loggedAt: at,
    loggedBy: actor,
    cycle: 1,
    cycleStart: input.receivedAt,
    reopenCount: 0,
    lastReplyAt: null,
    ...FRESH_CYCLE,
    deadlines: {},
  };
  let t = startCycle(base, input.receivedAt, policy, input.customerDue);
  if (t.unit !== null) t = assigned(t, at, policy);
  return { ...t, status: deriveStatus(t) };
}

function startCycle(t: Ticket, start: Instant, policy: Policy, cap: Instant | null): Ticket {
  let next = t;
  for (const stage of ['assign', 'first_reply'] as const) {
    next = withDeadline(next, deadlineKey(stage, t.cycle), newDeadline(next, stage, start, policy));
  }
  next = withDeadline(next, deadlineKey('resolve', t.cycle), newDeadline(next, 'resolve', start, policy, cap));
  return startOfficeStages(next, 'receipt', start, policy);
}

/** The ticket has a unit: the assign stage is met, and the office stages that start at assignment start. */
function assigned(t: Ticket, at: Instant, policy: Policy | undefined): Ticket {
  return startOfficeStages(complete(t, ['assign'], at, policy), 'assignment', at, policy);
}

export function assignTicket(t: Ticket, input: { unit: string; assignee: string | null }, at: Instant, policy?: Policy): Ticket {
  requireOpen(t, 'assign');
  requireInCycle(at, t);
  // A close awaiting approval goes back to its unit if rejected: the unit stays until it is decided.
  if (t.approval?.state === 'pending' && t.unit !== input.unit) throw new InvalidTransition('approval_pending_unit', { no: t.no });
  if (t.unit === input.unit && t.assignee === input.assignee) {
    throw new InvalidTransition('already_assigned', { no: t.no, unit: input.unit });
  }
  const next = assigned({ ...t, unit: input.unit, assignee: input.assignee }, at, policy);
  return { ...next, status: deriveStatus(next) };
}

export function replyToTicket(t: Ticket, at: Instant, policy: Policy): Ticket {
  requireOpen(t, 'reply');
  requireAfterLastContact(at, t);
  let next = complete(t, ['first_reply', 'update'], at, policy);
  next = { ...next, replyCount: t.replyCount + 1, lastReplyAt: at };
  // seed 004 §3.7: after each contact the complainant is owed news again within the update period.
  next = withDeadline(next, deadlineKey('update', t.cycle, next.replyCount), newDeadline(next, 'update', at, policy));
  next = startOfficeStages(next, 'reply', at, policy);
  return { ...next, status: deriveStatus(next) };
}

export function extendTicket(t: Ticket, input: { to: Instant; reason: string }, at: Instant): Ticket {
  requireOpen(t, 'extend');
  requireInCycle(at, t);
  if (input.to <= at) throw new UsageError('extend_not_later', {});
  const resolve = currentDeadline(t, 'resolve');
  if (resolve === null) throw new InvalidTransition('ticket_closed', { no: t.no, action: 'extend' });
  const key = deadlineKey('resolve', resolve.cycle);
  return withDeadline(t, key, { ...resolve, agreed: input.to, due: input.to });
}

export interface CloseInput {
  resolution: string;
  fault: Fault | null;
  rootCause: string | null;
  action: string | null;
  compensationCents: number | null;
  compensationKind: CompensationKind | null;
}

export function closeTicket(t: Ticket, input: CloseInput, at: Instant, policy: Policy): Ticket {
  requireOpen(t, 'close');
  requireNoPendingApproval(t);
  requireAfterLastContact(at, t);
  return closeNow(t, input, at, policy);
}

/** A hold ended at `at` (a close, or a close's request, ends it): its time kept among the pauses. */
function holdEnded(t: Ticket, at: Instant): Pick<Ticket, 'hold' | 'pauses'> {
  return { hold: null, pauses: t.hold ? [...t.pauses, { start: t.hold.since, end: at }] : t.pauses };
}

function closeNow(t: Ticket, input: CloseInput, at: Instant, policy: Policy): Ticket {
  // The resolution is itself the answer to the complainant, so the built-in stages still open end
  // here. An office stage (a site visit, a rectification notice) is not done by closing: it stays
  // owed until `done`, as the callback is owed until the survey.
  // A close ends the hold first: what the close starts, and the office stages still owed, run from
  // here on rather than waiting for a resume that will never come.
  const { pauses } = holdEnded(t, at);
  let next: Ticket = {
    ...t,
    ...input,
    ...holdEnded(t, at),
    closedAt: at,
    resolutionMinutes: Math.round(clockMinutesBetween(policy.calendar, 'working', t.cycleStart, at, pauses)),
  };
  next = complete(next, ['assign', 'first_reply', 'update', 'resolve'], at, policy);
  next = withDeadline(next, deadlineKey('callback', t.cycle), newDeadline(next, 'callback', at, policy));
  next = startOfficeStages(next, 'close', at, policy);
  if (t.hold !== null) next = recomputeDeadlines(next, policy);
  return { ...next, status: deriveStatus(next) };
}

// ---------------------------------------------------------------------------------------------
// A close awaiting approval (issue 13 §4, seed 004 §3.9 and §3.7.3.4).

function requireNoPendingApproval(t: Ticket): void {
  if (t.approval?.state === 'pending') throw new InvalidTransition('approval_pending', { no: t.no, rank: t.approval.needs });
}

function requirePendingApproval(t: Ticket): NonNullable<Ticket['approval']> {
  if (t.approval === null || t.approval.state !== 'pending') throw new InvalidTransition('approval_not_pending', { no: t.no });
  return t.approval;
}

/** What the close awaiting approval will record, as it waits on the ticket. */
function pendingCloseInput(t: Ticket): CloseInput {
  return {
    resolution: t.resolution ?? '', fault: t.fault, rootCause: t.rootCause, action: t.action,
    compensationCents: t.compensationCents, compensationKind: t.compensationKind,
  };
}

/**
 * A close the closer may not make alone. The handler's work is done: the resolve stage is met at
 * the request, and the close's findings wait on the ticket; the ticket stays open (closedAt null,
 * its status as it was) until someone whose limit covers it decides. Each request starts its own
 * instance of the office stages that start at `approval_request` (the approval stage, 1 working day
 * by default), keyed `stage.cycle.n` like the updates: a request after a rejection is timed afresh.
 */
export function requestClose(
  t: Ticket, input: CloseInput, requester: string, at: Instant, policy: Policy, need: { rank: Rank; reasons: ApprovalReason[] },
): Ticket {
  requireOpen(t, 'close');
  requireNoPendingApproval(t);
  requireAfterLastContact(at, t);
  let next: Ticket = {
    ...t,
    ...input,
    ...holdEnded(t, at),
    approval: {
      requestedBy: requester, amountCents: input.compensationCents, requestedAt: at, state: 'pending', needs: need.rank,
      reasons: [...need.reasons], decidedBy: null, decidedAt: null, note: null,
    },
  };
  next = complete(next, ['resolve'], at, policy);
  for (const rule of policy.stages) {
    if (rule.builtin || rule.start !== 'approval_request' || !stageApplies(rule, next)) continue;
    const n = Object.values(next.deadlines).filter((dl) => dl.stage === rule.code && dl.cycle === t.cycle).length + 1;
    next = withDeadline(next, deadlineKey(rule.code, t.cycle, n), newDeadline(next, rule.code, at, policy));
  }
  if (t.hold !== null) next = recomputeDeadlines(next, policy);
  return { ...next, status: deriveStatus(next) };
}

/**
 * The close takes effect at the approval (issue 13 §4): closed_at, the resolution time and the
 * callback all run from the approver's decision, which is when the complainant can be told it.
 */
export function approveClose(t: Ticket, input: { by: string; note: string | null }, at: Instant, policy: Policy): Ticket {
  const approval = requirePendingApproval(t);
  requireNotBefore(at, approval.requestedAt, 'approval_requested', t);
  requireAfterLastContact(at, t);
  let next = closeNow(t, pendingCloseInput(t), at, policy);
  next = complete(next, [APPROVAL_STAGE], at, policy);
  return { ...next, approval: { ...approval, state: 'approved', decidedBy: input.by, decidedAt: at, note: input.note } };
}

/**
 * Back to the handler. The approval stage is met (it was decided in time or not); the close's
 * findings are withdrawn (the request's event keeps them) and the resolve deadline is owed again
 * with its due unchanged: the complainant's deadline does not move because the office disagreed
 * with itself, so a rejection after it has passed leaves the ticket late, in `overdue`, until a
 * later close (which asks again when it still needs approval).
 */
export function rejectClose(t: Ticket, input: { by: string; reason: string }, at: Instant, policy: Policy): Ticket {
  const approval = requirePendingApproval(t);
  requireNotBefore(at, approval.requestedAt, 'approval_requested', t);
  let next = complete(t, [APPROVAL_STAGE], at, policy);
  const deadlines = { ...next.deadlines };
  for (const [key, dl] of Object.entries(deadlines)) {
    if (dl.stage === 'resolve' && dl.cycle === t.cycle && dl.doneAt !== null) deadlines[key] = { ...dl, doneAt: null };
  }
  next = {
    ...next,
    deadlines,
    resolution: null, fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null,
    approval: { ...approval, state: 'rejected', decidedBy: input.by, decidedAt: at, note: input.reason },
  };
  return { ...next, status: deriveStatus(next) };
}

export function surveyTicket(t: Ticket, input: { score: number; comment: string | null }, at: Instant, policy?: Policy): Ticket {
  requireSurveyable(t, at);
  const next = complete(t, ['callback'], at, policy);
  return { ...next, survey: { score: input.score, satisfied: input.score >= 4, comment: input.comment, at } };
}

/** `survey --unreachable`: an attempt that does not meet the callback deadline, but is counted. */
export function recordFailedCallback(t: Ticket, at: Instant): Ticket {
  requireSurveyable(t, at);
  return { ...t, callbackAttempts: t.callbackAttempts + 1 };
}

function requireSurveyable(t: Ticket, at: Instant): void {
  if (t.closedAt === null) throw new InvalidTransition('survey_needs_closed', { no: t.no });
  if (t.survey !== null) throw new InvalidTransition('already_surveyed', { no: t.no });
  requireNotBefore(at, t.closedAt, 'closed', t);
}

export function reopenTicket(t: Ticket, at: Instant, policy: Policy): Ticket {
  if (t.closedAt === null) throw new InvalidTransition('reopen_needs_closed', { no: t.no });
  requireNotBefore(at, t.closedAt, 'closed', t);
  // A callback not made before the second complaint will never be made for that closure.
  const deadlines = { ...t.deadlines };
  for (const [key, dl] of Object.entries(deadlines)) {
    if (dl.doneAt === null && !dl.void) deadlines[key] = { ...dl, void: true };
  }
  const base: Ticket = {
    ...t,
    deadlines,
    cycle: t.cycle + 1,
    cycleStart: at,
    reopenCount: t.reopenCount + 1,
    ...FRESH_CYCLE,
  };
  // seed 000 二次处理: back to the same unit with fresh deadlines from the reopen.
  let next = startCycle(base, at, policy, null);
  if (next.unit !== null) next = assigned(next, at, policy);
  return { ...next, status: deriveStatus(next) };
}

/** The command that meets each built-in stage: `done` is for the office's own. */
export const BUILTIN_STAGE_COMMANDS: Readonly<Record<BuiltinStage, string>> = {
  assign: 'assign', first_reply: 'reply', update: 'reply', resolve: 'close', callback: 'survey',
};

/**
 * `done`: an office stage met (a site visit made, a rectification notice returned). Allowed on a
 * closed ticket too: a stage that starts at close, or one the close did not do, is still owed.
 */
export function meetStage(t: Ticket, stage: Stage, at: Instant, policy: Policy): Ticket {
  if (isBuiltinStage(stage)) throw new UsageError('stage_met_by_command', { stage, command: BUILTIN_STAGE_COMMANDS[stage] });
  // An approval is decided, by someone whose limit covers it (issue 13 §4), not done.
  if (stage === APPROVAL_STAGE) throw new UsageError('done_approval_stage', { no: t.no });
  const dl = currentDeadline(t, stage);
  if (dl === null || dl.void) throw new InvalidTransition('stage_not_running', { no: t.no, stage });
  if (dl.doneAt !== null) throw new InvalidTransition('stage_already_done', { no: t.no, stage });
  if (at < dl.start) throw new UsageError('at_before_stage_started', { no: t.no, stage });
  return complete(t, [stage], at, policy);
}

export function holdTicket(t: Ticket, input: { reason: HoldReason; note: string | null }, at: Instant, policy: Policy): Ticket {
  requireOpen(t, 'hold');
  if (t.hold !== null) throw new InvalidTransition('already_on_hold', { no: t.no });
  const lastResumed = t.pauses.at(-1)?.end ?? null;
  if (lastResumed !== null && lastResumed > t.cycleStart) requireNotBefore(at, lastResumed, 'resumed', t);
  else requireInCycle(at, t);
  return recomputeDeadlines({ ...t, hold: { reason: input.reason, note: input.note, since: at } }, policy);
}

export function resumeTicket(t: Ticket, at: Instant, policy: Policy): Ticket {
  requireOpen(t, 'resume');
  if (t.hold === null) throw new InvalidTransition('not_on_hold', { no: t.no });
  requireNotBefore(at, t.hold.since, 'held', t);
  return recomputeDeadlines({ ...t, hold: null, pauses: [...t.pauses, { start: t.hold.since, end: at }] }, policy);
}

/** Paused working minutes of the current cycle up to `now`, for `show`. */
export function pausedMinutes(t: Ticket, cal: OfficeCalendar, now: Instant): number {
  return pausesOf(t).reduce(
    (sum, p) => sum + clockMinutesBetween(cal, 'working', p.start, Math.min(p.end, now)),
    0,
  );
}
