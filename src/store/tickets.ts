import { randomBytes } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { NotFound } from '../domain/errors.js';
import { compactChanges, decodePayload, isEmpty, type CompactChanges } from '../domain/event-payloads.js';
import { sealDetails, sealTicket, unsealTicket, type PersonalValues } from '../domain/personal.js';
import type { Ticket } from '../domain/ticket.js';
import { formatLocal, type Instant } from '../domain/time.js';
import { appendEvents, ticketEvents as eventsOf, type EventToAppend, type NewEvent, type StoredEvent } from './event-log.js';
import { insertRowReturningId, insertRows } from './statements.js';
import { keepValues, newTicketKey, sealerFor, ticketKey, valuesOfTickets } from './personal-values.js';
import type { DeadlinesTable, TicketsTable } from './schema.js';
import { readSetting } from './settings.js';
import type { Db } from './store.js';
import { deadlineRow, rowTicket, ticketRow } from './ticket-rows.js';

export type { StoredEvent } from './event-log.js';
// The event log's, the personal values' and the row's parts other store modules need, from here:
// one module to load (and one file for the bundle to keep them in) instead of four.
export { CHAIN_HEAD_SETTING, eventHash, GENESIS_HASH, hex } from './event-log.js';
export { sealerFor } from './personal-values.js';
export { ticketRow } from './ticket-rows.js';

export interface StoredTicket {
  id: number;
  /** The ticket as the office sees it: personal values in clear (null where erased). */
  ticket: Ticket;
  /** The ticket as stored: personal fields as their seals. */
  sealed: Ticket;
  /** Its personal values, seal → value, as read with it (what its events' seals open to). */
  values: PersonalValues;
}

type TicketRowWithId = Selectable<TicketsTable>;

async function fromRows(db: Db, rows: readonly TicketRowWithId[]): Promise<StoredTicket[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const deadlineRows = await db.all(db.qb.selectFrom('deadlines').selectAll().where('ticket_id', 'in', ids));
  const byTicket = new Map<number, DeadlinesTable[]>();
  for (const d of deadlineRows) {
    const list = byTicket.get(d.ticket_id) ?? [];
    list.push(d);
    byTicket.set(d.ticket_id, list);
  }
  const values = await valuesOfTickets(db, ids);
  return rows.map((r) => {
    const sealed = rowTicket(r, byTicket.get(r.id) ?? []);
    const own = values.get(r.id) ?? new Map<string, string>();
    return { id: r.id, sealed, ticket: unsealTicket(sealed, own), values: own };
  });
}

export async function findTicket(db: Db, no: string): Promise<StoredTicket | null> {
  const row = await db.first(db.qb.selectFrom('tickets').selectAll().where('no', '=', no));
  return row === undefined ? null : (await fromRows(db, [row]))[0]!;
}

export async function findTicketById(db: Db, id: number): Promise<StoredTicket | null> {
  const row = await db.first(db.qb.selectFrom('tickets').selectAll().where('id', '=', id));
  return row === undefined ? null : (await fromRows(db, [row]))[0]!;
}

/** Several tickets by id, in the order given (a page of a list). */
export async function findTicketsById(db: Db, ids: readonly number[]): Promise<StoredTicket[]> {
  if (ids.length === 0) return [];
  const rows = await db.all(db.qb.selectFrom('tickets').selectAll().where('id', 'in', ids));
  const found = new Map((await fromRows(db, rows)).map((s) => [s.id, s]));
  return ids.flatMap((id) => found.get(id) ?? []);
}

export async function loadTicket(db: Db, no: string): Promise<StoredTicket> {
  const found = await findTicket(db, no);
  if (found) return found;
  const skip = await restoreThatSkipped(db, no);
  if (skip !== null) throw new NotFound('ticket_number_skipped', { no, at: formatLocal(skip, (await readSetting<string>(db, 'timezone')) ?? 'UTC') });
  throw new NotFound('no_such_ticket', { no });
}

/**
 * When a restore put `no` out of use (a `numbers_skipped` event), or null. A complainant may hold
 * that receipt: the clerk must hear why the ticket is gone, not just that it is.
 */
async function restoreThatSkipped(db: Db, no: string): Promise<Instant | null> {
  const n = splitTicketNo(no);
  if (n === null) return null;
  const { year, seq } = n;
  return (await recordedSkips(db)).find((s) => s.ranges.some((r) => r.year === year && r.from <= seq && seq <= r.to))?.at ?? null;
}

/** A `restore` that skipped receipt numbers, as its `numbers_skipped` event records it. */
export interface RecordedSkip {
  event: number;
  at: Instant;
  recordedAt: Instant;
  ranges: { year: number; from: number; to: number }[];
}

/** Every restore's skipped ranges, oldest first. An event whose payload no longer reads gives none (verify's chain check names it). */
export async function recordedSkips(db: Db): Promise<RecordedSkip[]> {
  const rows = await db.all(
    db.qb.selectFrom('events').select(['id', 'at', 'recorded_at', 'payload']).where('kind', '=', 'numbers_skipped').orderBy('id'),
  );
  return rows.map((r) => {
    const decoded = decodePayload('numbers_skipped', r.payload);
    const skipped = decoded.ok ? decoded.payload.details.skipped : null;
    const ranges: RecordedSkip['ranges'] = [];
    for (const range of Array.isArray(skipped) ? skipped : []) {
      const { from, to } = (range ?? {}) as { from?: unknown; to?: unknown };
      const a = splitTicketNo(String(from));
      const b = splitTicketNo(String(to));
      if (a !== null && b !== null && a.year === b.year) ranges.push({ year: a.year, from: a.seq, to: b.seq });
    }
    return { event: r.id, at: r.at, recordedAt: r.recorded_at, ranges };
  });
}

/** A change as a command states it: its details in clear (recordTicketChange seals them). */
export type Change = NewEvent;

/**
 * The one place a ticket is written: its row, its deadline rows, its personal values and the
 * event that explains the change, together. Call inside `store.transact`.
 */
export async function recordTicketChange(db: Db, existing: StoredTicket | null, after: Ticket, change: Change): Promise<StoredTicket> {
  const key = existing === null ? randomBytes(32) : ((await ticketKey(db, existing.id)) ?? (await newTicketKey(db, existing.id)));
  const seal = sealerFor(key);
  const values = new Map<string, string>();
  const sealed = sealTicket(after, seal, values);
  const details = sealDetails(change.kind, change.details, seal, values);
  const changes = compactChanges(existing?.sealed ?? null, sealed);
  const row = ticketRow(sealed, after);
  let id: number;
  if (existing === null) {
    id = await insertRowReturningId(db, 'tickets', row);
    await insertRows(db, 'personal_keys', [{ ticket_id: id, key }]);
  } else {
    id = existing.id;
    if (!isEmpty(changes)) await updateTicketRow(db, id, ticketRow(existing.sealed, existing.ticket), row);
  }
  await writeDeadlines(db, id, changes, sealed);
  await keepValues(db, id, values);
  await appendEvents(db, [{ ...change, ticketId: id, details, changes }]);
  return { id, ticket: after, sealed, values: new Map([...(existing?.values ?? []), ...values]) };
}

type Row = ReturnType<typeof ticketRow>;

/**
 * Writes only the columns that changed: the search index's trigger fires on any UPDATE naming the
 * text columns, and a reply should not re-index the complaint's description.
 */
async function updateTicketRow(db: Db, id: number, before: Row, after: Row): Promise<void> {
  const changed: Partial<Row> = {};
  for (const c of Object.keys(after) as (keyof Row)[]) {
    if (before[c] !== after[c]) (changed as Record<string, unknown>)[c] = after[c];
  }
  if (Object.keys(changed).length === 0) return;
  await db.run(db.qb.updateTable('tickets').set(changed).where('id', '=', id));
}

async function writeDeadlines(db: Db, ticketId: number, changes: CompactChanges, after: Ticket): Promise<void> {
  const removed: string[] = [];
  const rows = [];
  for (const [key, delta] of Object.entries(changes.deadlines)) {
    if (delta === null) removed.push(key);
    else rows.push(deadlineRow(ticketId, key, after.deadlines[key]!));
  }
  if (removed.length > 0) await db.run(db.qb.deleteFrom('deadlines').where('ticket_id', '=', ticketId).where('key', 'in', removed));
  if (rows.length === 0) return;
  await db.run(
    db.qb.insertInto('deadlines').values(rows).onConflict((oc) => oc.columns(['ticket_id', 'key']).doUpdateSet((eb) => ({
      stage: eb.ref('excluded.stage'), cycle: eb.ref('excluded.cycle'), due: eb.ref('excluded.due'), done_at: eb.ref('excluded.done_at'),
      void: eb.ref('excluded.void'), clock: eb.ref('excluded.clock'), start: eb.ref('excluded.start'), minutes: eb.ref('excluded.minutes'),
      pausable: eb.ref('excluded.pausable'), cap: eb.ref('excluded.cap'), agreed: eb.ref('excluded.agreed'),
    }))),
  );
}

/**
 * New tickets with their whole histories at once (demo data now, imports later): the same events
 * and hash chain as recording each change in turn, but each ticket's row, deadline rows and
 * personal values are written once, from its last step, and the rows of all of them in as few
 * statements as the engine allows. Call inside `store.transact`.
 */
export async function recordTicketHistories(db: Db, histories: readonly (readonly { ticket: Ticket; change: Change }[])[]): Promise<StoredTicket[]> {
  const stored: StoredTicket[] = [];
  const tickets: Insertable<TicketsTable>[] = [];
  const keys: { ticket_id: number; key: Uint8Array }[] = [];
  const deadlines: DeadlinesTable[] = [];
  const values: { ticket_id: number; seal: string; value: string }[] = [];
  const events: EventToAppend[] = [];
  let id = await db.reserveTicketIds(histories.length);
  const allKeys = randomBytes(32 * histories.length);
  for (const [i, history] of histories.entries()) {
    const last = history.at(-1);
    if (last === undefined) throw new Error('a ticket history needs at least its logging');
    const key = allKeys.subarray(32 * i, 32 * (i + 1));
    const seal = sealerFor(key);
    const sealedValues = new Map<string, string>();
    // A new ticket has no erased field, so a personal field changed exactly when its seal did: the
    // changes are found between the clear tickets and only the values they set are sealed (sealing
    // every step's whole ticket was a fifth of the work of a bulk load).
    let before: Ticket | null = null;
    for (const { ticket, change } of history) {
      const changes = compactChanges(before, ticket);
      const sealedChanges = { set: sealTicket(changes.set as Partial<Ticket>, seal, sealedValues), deadlines: changes.deadlines };
      events.push({ ...change, ticketId: id, details: sealDetails(change.kind, change.details, seal, sealedValues), changes: sealedChanges });
      before = ticket;
    }
    const sealed = sealTicket(last.ticket, seal, sealedValues);
    tickets.push({ id, ...ticketRow(sealed, last.ticket) });
    keys.push({ ticket_id: id, key });
    for (const [k, dl] of Object.entries(sealed.deadlines)) deadlines.push(deadlineRow(id, k, dl));
    for (const [s, value] of sealedValues) values.push({ ticket_id: id, seal: s, value });
    stored.push({ id, ticket: last.ticket, sealed, values: sealedValues });
    id++;
  }
  await insertRows(db, 'tickets', tickets);
  await insertRows(db, 'personal_keys', keys);
  await insertRows(db, 'deadlines', deadlines);
  await insertRows(db, 'personal_values', values);
  await appendEvents(db, events);
  return stored;
}

/**
 * Erases a ticket's personal data (PIPL art. 47): its values and its key are deleted and the clear
 * copies for search (the phone and email keys too) emptied, and a `personal_data_erased` event records who did it, when and why.
 * The seals in the log then open to nothing; `verify` accepts that for seals from before the event.
 * What is said about the ticket afterwards is sealed under a new key. Call inside `store.transact`.
 */
export async function erasePersonalData(db: Db, existing: StoredTicket, change: Omit<Change, 'kind' | 'details'> & { reason: string }): Promise<void> {
  const id = existing.id;
  await db.scrubbing(async () => {
    await db.run(db.qb.deleteFrom('personal_values').where('ticket_id', '=', id));
    await db.run(db.qb.deleteFrom('personal_keys').where('ticket_id', '=', id));
    await db.run(db.qb.updateTable('tickets').set({ complainant_name: null, description: null, demand: null, phone_key: null, email_key: null }).where('id', '=', id));
  });
  // The reason may name the person: sealed under the ticket's new key, like all said from now on.
  const key = await newTicketKey(db, id);
  const values = new Map<string, string>();
  const details = sealDetails('personal_data_erased', { reason: change.reason }, sealerFor(key), values);
  await keepValues(db, id, values);
  const { reason: _reason, ...when } = change;
  await appendEvents(db, [{ ...when, kind: 'personal_data_erased', ticketId: id, details }]);
}

/** A ticket's events, oldest first, with what was said in clear (null where erased). */
export async function ticketEvents(db: Db, ticket: Pick<StoredTicket, 'id' | 'values'>): Promise<StoredEvent[]> {
  return eventsOf(db, ticket.id, ticket.values);
}

/** An office event with no ticket (a setting changed, numbers skipped), chained like the rest. */
export async function appendOfficeEvent(db: Db, event: NewEvent): Promise<void> {
  await appendEvents(db, [{ ...event, ticketId: null }]);
}

/** The next number of the year's sequence, taken inside the caller's write transaction. */
export async function takeTicketNo(db: Db, year: number): Promise<string> {
  return formatTicketNo(year, await db.takeTicketNos(year, 1));
}

export function formatTicketNo(year: number, seq: number): string {
  return `C${year}-${String(seq).padStart(5, '0')}`;
}

/** A stored ticket number (as formatTicketNo writes it) as its year and sequence, or null. */
function splitTicketNo(no: string): { year: number; seq: number } | null {
  const m = /^C(\d{4})-(\d+)$/.exec(no);
  return m === null ? null : { year: Number(m[1]), seq: Number(m[2]) };
}
