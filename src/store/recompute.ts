import { recomputeDeadlines, type Policy } from '../domain/lifecycle.js';
import { compactChanges, isEmpty } from '../domain/event-payloads.js';
import type { Instant } from '../domain/time.js';
import type { Db } from './store.js';
import { appendOfficeEvent, findTicketById, recordTicketChange } from './tickets.js';

/**
 * After the calendar or the SLA changes, every deadline not yet done is computed again under the
 * new policy, each affected ticket getting a `deadlines_recomputed` event. Done stages and closed
 * history stay as they were. Call inside the transaction that changed the policy.
 */
export async function recomputeOpenDeadlines(
  db: Db,
  policy: Policy,
  change: { actor: string; at: Instant; recordedAt: Instant; reason: string; reallocate: boolean },
): Promise<number> {
  const ids = await db.all(
    db.qb.selectFrom('deadlines').select('ticket_id').distinct().where('done_at', 'is', null).where('void', '=', 0),
  );
  let changed = 0;
  for (const { ticket_id } of ids) {
    const existing = await findTicketById(db, ticket_id);
    if (!existing) continue;
    const after = recomputeDeadlines(existing.ticket, policy, { reallocate: change.reallocate });
    if (isEmpty(compactChanges(existing.ticket, after))) continue;
    await recordTicketChange(db, existing, after, {
      kind: 'deadlines_recomputed', actor: change.actor, at: change.at, recordedAt: change.recordedAt, details: { reason: change.reason }, procedure: policy.procedureVersion,
    });
    changed++;
  }
  return changed;
}

/** An office setting changed: an event with no ticket, chained like the rest. */
export async function recordSettingChange(
  db: Db,
  change: { actor: string; at: Instant; setting: string; before: unknown; after: unknown },
): Promise<void> {
  await appendOfficeEvent(db, {
    kind: 'settings_changed', actor: change.actor, at: change.at, recordedAt: change.at,
    details: { setting: change.setting, before: change.before ?? null, after: change.after ?? null },
  });
}
