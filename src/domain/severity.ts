import type { Severity } from './model.js';

export interface SeverityFacts {
  amountCents: number | null;
  safety: boolean;
  external: boolean;
  group: boolean;
}

export type SeverityReason = 'amount_major' | 'safety' | 'external' | 'group' | 'amount_important';

// seed 004 §3.1: 重大 when the claim is large, someone's safety is at risk, an outside body
// (regulator, media, consumer association) is involved, or many complain together.
export const MAJOR_AMOUNT_CENTS = 10_000_00;
export const IMPORTANT_AMOUNT_CENTS = 500_00;

export function suggestSeverity(facts: SeverityFacts): { severity: Severity; reasons: SeverityReason[] } {
  const major: SeverityReason[] = [];
  if (facts.amountCents !== null && facts.amountCents >= MAJOR_AMOUNT_CENTS) major.push('amount_major');
  if (facts.safety) major.push('safety');
  if (facts.external) major.push('external');
  if (facts.group) major.push('group');
  if (major.length > 0) return { severity: 'major', reasons: major };
  if (facts.amountCents !== null && facts.amountCents >= IMPORTANT_AMOUNT_CENTS) {
    return { severity: 'important', reasons: ['amount_important'] };
  }
  return { severity: 'general', reasons: [] };
}
