import { expect } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with scripts/release1-fixture/make.sh
import { readings } from '../../scripts/release1-fixture/expected.mjs';
import { cliEntry, testEnv } from './cli.js';

// Readings of an older office by this build, as the build that made the file gave them: schema 7
// (issue 13) adds the approval stage to every office, so every report's timeliness has an
// `approval` row. Where no approval fell due it says nothing the older build could have said: it
// is taken out before comparing, and any approval that did fall due stays and fails the comparison.
// Likewise the report's `approvals` figures (issue 13) when they are all nought.
// Likewise a ticket document's `approval: null` (no close awaited approval): only one that says
// something stays.
export function withoutIdleApprovalStage<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutIdleApprovalStage) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'approval' && v === null) continue;
    if (key === 'timeliness' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const { approval, ...rest } = v as Record<string, unknown>;
      const idle = typeof approval === 'object' && approval !== null && (approval as { due?: unknown }).due === 0;
      out[key] = withoutIdleApprovalStage(approval === undefined || idle ? rest : v);
    } else if (key === 'approvals' && isIdleApprovals(v)) {
      // The report's approvals (issue 13): an office that never asked for one has nothing there.
      continue;
    } else {
      out[key] = withoutIdleApprovalStage(v);
    }
  }
  return out as T;
}

function isIdleApprovals(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  const amounts = Object.values((a.amount_by_rank ?? {}) as Record<string, number>);
  return a.requested === 0 && a.approved === 0 && a.rejected === 0 && a.pending_at_end === 0 && amounts.every((n) => n === 0);
}


/** What a build says about an office (scripts/release1-fixture/expected.mjs). */
export interface Readings {
  list: { tickets: Record<string, unknown>[] };
  tickets: Record<string, Record<string, unknown>>;
  reports: Record<string, unknown>;
  overdue: unknown;
}

/**
 * Expects this build to say of an upgraded office exactly what the build that made it said: every
 * ticket, every month's report, the overdue list and the list of tickets.
 */
export function expectReadsAsMadeBy(db: string, expected: Readings): void {
  const now = withoutIdleApprovalStage(readings(cliEntry(), db, testEnv()) as Readings);
  expect(now.tickets).toEqual(expected.tickets);
  expect(now.reports).toEqual(expected.reports);
  expect(now.overdue).toEqual(expected.overdue);
  expect(now.list).toEqual(expected.list);
}
