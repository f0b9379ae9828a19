import type { Stage } from '../domain/model.js';
import type { Instant } from '../domain/time.js';
import type { Clock } from '../domain/working-time.js';
import type { Db } from './store.js';

export interface PendingDeadline {
  no: string;
  unit: string | null;
  assignee: string | null;
  severity: string;
  status: string;
  stage: Stage;
  due: Instant;
  clock: Clock;
}

/**
 * Deadlines not done whose due time is before `before`: the partial index deadlines_pending
 * holds only these, so the check stays instant however many closed tickets the file has.
 */
export async function pendingDeadlinesBefore(db: Db, before: Instant, units?: readonly string[]): Promise<PendingDeadline[]> {
  let q = db.qb
    .selectFrom('deadlines as d')
    .innerJoin('tickets as t', 't.id', 'd.ticket_id')
    .select([
      't.no', 't.unit', 't.assignee', 't.severity', 't.status', 'd.stage', 'd.due', 'd.clock',
    ])
    .where('d.done_at', 'is', null)
    .where('d.void', '=', 0)
    .where('d.due', '<', before);
  // Not by tickets_unit (every deadline the unit ever had): the pending deadlines are far fewer,
  // and query-plans.test.ts holds this to the deadlines_pending index.
  if (units?.length) q = q.where(db.unindexed<string | null>('t.unit'), 'in', units);
  return (await db.all(q.orderBy('d.due'))) as PendingDeadline[];
}
