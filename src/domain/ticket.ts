import { BUILTIN_STAGES } from './model.js';
import type {
  Category, Channel, CompensationKind, Fault, HoldReason, Severity, Stage, Status, TicketType,
} from './model.js';
import type { Rank } from './people.js';
import type { SeverityReason } from './severity.js';
import type { Instant } from './time.js';
import type { Clock, Interval } from './working-time.js';

/**
 * One deadline of one stage in one handling cycle. It keeps what it was computed from (start,
 * allowance, clock) so that a hold, an SLA change or a new holiday can recompute it, and
 * `show --explain` can say how it was reached.
 */
export interface Deadline {
  stage: Stage;
  cycle: number;
  start: Instant;
  minutes: number;
  clock: Clock;
  /** Stops while the ticket is on hold (resolve, update). */
  pausable: boolean;
  /** The complainant's own deadline (`log --due`): the due time is never later than this. */
  cap: Instant | null;
  /** A deadline renegotiated with the complainant (`extend`): replaces the computed one. */
  agreed: Instant | null;
  /** null while suspended by an open-ended hold. */
  due: Instant | null;
  doneAt: Instant | null;
  /** The stage stopped applying without being done (a callback overtaken by a reopen). */
  void: boolean;
}

export interface Complainant {
  name: string | null;
  anonymous: boolean;
  phone: string | null;
  email: string | null;
  address: string | null;
  org: string | null;
}

export interface Survey {
  score: number;
  satisfied: boolean;
  comment: string | null;
  at: Instant;
}

/** Why a close needs approval: the compensation is above the closer's limit, or a customer-fault finding the office re-confirms. */
export type ApprovalReason = 'compensation' | 'fault';

/**
 * A close awaiting someone else's decision (issue 13 §4, seed 004 §3.9). The close's own fields
 * wait on the ticket meanwhile; the latest request of the cycle is kept, decided or not.
 */
export interface Approval {
  requestedBy: string;
  amountCents: number | null;
  requestedAt: Instant;
  state: 'pending' | 'approved' | 'rejected';
  /** The lowest rank that may decide it, as the limits stood when it was asked. */
  needs: Rank;
  reasons: ApprovalReason[];
  decidedBy: string | null;
  decidedAt: Instant | null;
  /** The approver's note, or why it was rejected. */
  note: string | null;
}

export interface Hold {
  reason: HoldReason;
  note: string | null;
  since: Instant;
}

/**
 * The ticket as the office sees it now: the fold of its events (git-bug's snapshot). The row in
 * `tickets` is this, written in the same transaction as the event that produced it.
 */
export interface Ticket {
  no: string;
  /** complaint, inquiry, suggestion, warning (seed 004 §3.6), or the office's own. */
  type: TicketType;
  status: Status;
  severity: Severity;
  severitySuggested: Severity;
  severityReasons: SeverityReason[];
  urgent: boolean;
  safety: boolean;
  external: boolean;
  group: boolean;
  channel: Channel;
  category: Category;
  unit: string | null;
  assignee: string | null;
  complainant: Complainant;
  subject: string;
  description: string | null;
  demand: string | null;
  amountCents: number | null;
  product: string | null;
  batch: string | null;
  receivedAt: Instant;
  customerDue: Instant | null;
  loggedAt: Instant;
  loggedBy: string;
  cycle: number;
  /** When the current handling cycle began: receipt, or the last reopen. */
  cycleStart: Instant;
  reopenCount: number;
  /** Replies in the current cycle. */
  replyCount: number;
  lastReplyAt: Instant | null;
  closedAt: Instant | null;
  resolution: string | null;
  fault: Fault | null;
  rootCause: string | null;
  action: string | null;
  compensationCents: number | null;
  compensationKind: CompensationKind | null;
  /** Working minutes from receipt (or reopen) to close, holds excluded: the report's resolution time. */
  resolutionMinutes: number | null;
  survey: Survey | null;
  callbackAttempts: number;
  hold: Hold | null;
  /** Closed pauses of the current cycle; an open hold is `hold`. */
  pauses: Interval[];
  /** The current cycle's latest close that needed approval, or null. */
  approval: Approval | null;
  /** Keyed `stage.cycle` (`update.cycle.n` for the recurring update stage, `approval.cycle.n` for each request). */
  deadlines: Record<string, Deadline>;
}

/** Status follows from the facts (SPEC §3): no unit → new; a unit but no reply → assigned; replied → in_progress. */
export function deriveStatus(t: Pick<Ticket, 'closedAt' | 'unit' | 'replyCount'>): Status {
  if (t.closedAt !== null) return 'closed';
  if (t.unit === null) return 'new';
  return t.replyCount > 0 ? 'in_progress' : 'assigned';
}


/**
 * The deadline instance a reader means by "the ticket's <stage> deadline": the latest one of the
 * current handling cycle. A reopened ticket has fresh deadlines; the first closure's callback or
 * updates are history, not the ticket's state now.
 */
export function currentDeadline(t: Pick<Ticket, 'deadlines' | 'cycle'>, stage: Stage): Deadline | null {
  let best: Deadline | null = null;
  let bestKey = '';
  for (const [key, dl] of Object.entries(t.deadlines)) {
    if (dl.stage !== stage || dl.cycle !== t.cycle) continue;
    if (best === null || compareKeys(key, bestKey) > 0) {
      best = dl;
      bestKey = key;
    }
  }
  return best;
}

/**
 * The stages a reader sees on a ticket, in order: the five built-in ones whether started or not,
 * then the office's own that the current cycle started, earliest first.
 */
export function ticketStages(t: Pick<Ticket, 'deadlines' | 'cycle'>): Stage[] {
  const own = new Map<Stage, Instant>();
  for (const dl of Object.values(t.deadlines)) {
    if (dl.cycle !== t.cycle || (BUILTIN_STAGES as readonly string[]).includes(dl.stage)) continue;
    const seen = own.get(dl.stage);
    if (seen === undefined || dl.start < seen) own.set(dl.stage, dl.start);
  }
  const office = [...own.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([stage]) => stage);
  return [...BUILTIN_STAGES, ...office];
}

function compareKeys(a: string, b: string): number {
  const na = Number(a.split('.').at(-1));
  const nb = Number(b.split('.').at(-1));
  return na - nb;
}

export type DeadlineState = 'met' | 'missed' | 'pending' | 'paused' | 'not_started';

/** SPEC §4: met when done at or before due, missed when done late or still not done after it. */
export function deadlineState(dl: Deadline | null, now: Instant): DeadlineState {
  if (dl === null) return 'not_started';
  if (dl.void) return dl.due !== null && dl.due < now ? 'missed' : 'not_started';
  if (dl.doneAt !== null) return dl.due === null || dl.doneAt <= dl.due ? 'met' : 'missed';
  if (dl.due === null) return 'paused';
  return dl.due < now ? 'missed' : 'pending';
}
