import { atLeast, lowestRankCovering, limitCovers, rankOf, type ApprovalLimits, type Rank, type Role } from './people.js';
import type { Approval, ApprovalReason } from './ticket.js';

// Who may close alone, and who decides the closes that may not (issue 13 §4). Seed 004 §3.9 caps
// compensation by rank (below 500 the customer director, 500–10 000 the vice-president, above that
// the president); seed 001 has the market manager re-confirm a finding that the customer was at
// fault, when the office turns that rule on (`fault_confirm`). The limits are the office's
// (domain/people.ts DEFAULT_APPROVAL_LIMITS, changed with `permissions limit`).

export interface ApprovalRules {
  limits: ApprovalLimits;
  /** The rank that re-confirms a close finding the customer at fault; null: the rule is off. */
  faultConfirm: Rank | null;
}

export interface ApprovalNeed {
  /** The lowest rank that may decide it. */
  rank: Rank;
  reasons: ApprovalReason[];
}

/** The customer-fault code of the office's fault list (seed 001 不属公司责任). */
export const CUSTOMER_FAULT = 'customer';

function higher(a: Rank, b: Rank): Rank {
  return rankOf(a) >= rankOf(b) ? a : b;
}

/**
 * Whether a close by someone of `role` needs approval, and whose; null: it takes effect now. A
 * single-person office (no people registered) has nobody to ask and never needs one: the caller
 * passes no role then.
 */
export function approvalNeeded(
  role: Role | null, close: { compensationCents: number | null; fault: string | null }, rules: ApprovalRules,
): ApprovalNeed | null {
  if (role === null) return null;
  const reasons: ApprovalReason[] = [];
  let rank: Rank | null = null;
  if (!limitCovers(rules.limits, role, close.compensationCents)) {
    reasons.push('compensation');
    rank = lowestRankCovering(rules.limits, close.compensationCents);
  }
  if (rules.faultConfirm !== null && close.fault === CUSTOMER_FAULT && !atLeast(role, rules.faultConfirm)) {
    reasons.push('fault');
    rank = rank === null ? rules.faultConfirm : higher(rank, rules.faultConfirm);
  }
  return rank === null ? null : { rank, reasons };
}

/**
 * The rank a decision on this request needs now: at least the one it was asked of, and one whose
 * limit covers its amount under the limits in force (an office that lowered a limit meanwhile
 * does not let a request through on the old one).
 */
export function rankToDecide(approval: Pick<Approval, 'needs' | 'amountCents'>, limits: ApprovalLimits): Rank {
  return higher(approval.needs, lowestRankCovering(limits, approval.amountCents));
}

/** Whether someone of `role` may approve or reject the request; null role: a single-person office, where whoever runs it may. */
export function mayDecide(role: Role | null, approval: Pick<Approval, 'needs' | 'amountCents'>, limits: ApprovalLimits): boolean {
  if (role === null) return true;
  return atLeast(role, approval.needs) && limitCovers(limits, role, approval.amountCents);
}
