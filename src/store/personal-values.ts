import { createHmac, randomBytes } from 'node:crypto';
import type { Sealer } from '../domain/personal.js';
import type { Db } from './store.js';

// Personal values beside the log (issue 10 §3): each ticket has its own random key, and each value
// its seal, HMAC-SHA256 under that key cut to 96 bits (16 characters: without the key, finding
// a value for a seal is as hard as guessing the 256-bit key). A key per ticket means the
// same phone number seals differently on two tickets, so seals cannot be matched across tickets
// or guessed from a list of numbers without the key; erasing deletes the values and the key.

export function sealerFor(key: Uint8Array): Sealer {
  // A ticket's values are sealed again at every step of its history: each is computed once.
  const known = new Map<string, string>();
  return (value) => {
    let seal = known.get(value);
    if (seal === undefined) {
      seal = createHmac('sha256', key).update(value).digest('base64url').slice(0, 16);
      known.set(value, seal);
    }
    return seal;
  };
}

export async function ticketKey(db: Db, ticketId: number): Promise<Uint8Array | null> {
  const row = await db.first(db.qb.selectFrom('personal_keys').select('key').where('ticket_id', '=', ticketId));
  return row?.key ?? null;
}

/** A new ticket's key, saved beside it. */
export async function newTicketKey(db: Db, ticketId: number): Promise<Uint8Array> {
  const key = randomBytes(32);
  await db.run(db.qb.insertInto('personal_keys').values({ ticket_id: ticketId, key }));
  return key;
}

/** Keeps each sealed value once per ticket. */
export async function keepValues(db: Db, ticketId: number, sealed: ReadonlyMap<string, string>): Promise<void> {
  if (sealed.size === 0) return;
  const rows = [...sealed].map(([seal, value]) => ({ ticket_id: ticketId, seal, value }));
  await db.run(db.qb.insertInto('personal_values').values(rows).onConflict((oc) => oc.columns(['ticket_id', 'seal']).doNothing()));
}

/** Seal → value for each of several tickets (a page of a list), in one query. */
export async function valuesOfTickets(db: Db, ticketIds: readonly number[]): Promise<Map<number, Map<string, string>>> {
  const out = new Map<number, Map<string, string>>(ticketIds.map((id) => [id, new Map()]));
  if (ticketIds.length === 0) return out;
  const rows = await db.all(db.qb.selectFrom('personal_values').select(['ticket_id', 'seal', 'value']).where('ticket_id', 'in', ticketIds));
  for (const r of rows) out.get(r.ticket_id)?.set(r.seal, r.value);
  return out;
}
