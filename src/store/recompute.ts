import { recomputeDeadlines, type Policy } from '../domain/lifecycle.js';
import { diffTickets } from '../domain/events.js';
import type { Instant } from '../domain/time.js';
import type { Store } from './database.js';
import { appendEvent } from './tickets.js';
import { findTicketById, recordTicketChange } from './tickets.js';

/**
 * After the calendar or the SLA changes, every deadline not yet done is computed again under the
 * new policy, each affected ticket getting a `deadlines_recomputed` event. Done stages and closed
 * history stay as they were. Call inside the transaction that changed the policy.
 */
export function recomputeOpenDeadlines(
  store: Store,
  policy: Policy,
  change: { actor: string; at: Instant; recordedAt: Instant; reason: string; reallocate: boolean },
): number {
  const ids = store.all(
    store.qb.selectFrom('deadlines').select('ticket_id').distinct().where('done_at', 'is', null).where('void', '=', 0),
  );
  let changed = 0;
  for (const { ticket_id } of ids) {
    const existing = findTicketById(store, ticket_id);
    if (!existing) continue;
    const after = recomputeDeadlines(existing.ticket, policy, { reallocate: change.reallocate });
    if (Object.keys(diffTickets(existing.ticket, after)).length === 0) continue;
    recordTicketChange(store, existing, after, {
      kind: 'deadlines_recomputed', actor: change.actor, at: change.at, recordedAt: change.recordedAt, details: { reason: change.reason },
    });
    changed++;
  }
  return changed;
}

/** An office setting changed: an event with no ticket, chained like the rest. */
export function recordSettingChange(
  store: Store,
  change: { actor: string; at: Instant; setting: string; before: unknown; after: unknown },
): void {
  appendEvent(store, null, {
    kind: 'settings_changed', actor: change.actor, at: change.at, recordedAt: change.at,
    details: { setting: change.setting, before: change.before ?? null, after: change.after ?? null }, changes: {},
  });
}
