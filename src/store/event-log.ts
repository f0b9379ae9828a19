import { createHash } from 'node:crypto';
import { decodePayload, detailsProblem, encodePayload, EVENT_FORMAT, NO_CHANGES, type CompactChanges } from '../domain/event-payloads.js';
import type { EventKind } from '../domain/model.js';
import { unsealDetails, type PersonalValues } from '../domain/personal.js';
import type { Instant } from '../domain/time.js';
import { insertRowReturningId, insertRows } from './statements.js';
import type { Db } from './store.js';

// The event log (SPEC §7): append-only (triggers refuse UPDATE and DELETE) and hash-chained in id
// order, each hash covering the previous event's hash, this event's head (format, ticket, times,
// actor, kind) and its payload text exactly as stored. An edit anywhere, even a space added to a
// payload, breaks the chain; the recorded head catches events cut off its end.

/** What precedes the first event. */
export const GENESIS_HASH: Uint8Array = new Uint8Array(32);

/** Where the id and hash of the newest event are kept, for `verify`. */
export const CHAIN_HEAD_SETTING = 'event_chain_head';

export interface EventHead {
  ticketId: number | null;
  at: Instant;
  /** When it was typed in (the clock), as opposed to `at`, when it happened. */
  recordedAt: Instant;
  actor: string;
  kind: EventKind;
  format: number;
}

export function eventHash(previous: Uint8Array, head: EventHead, payload: string): Buffer {
  return createHash('sha256')
    .update(previous)
    .update(JSON.stringify([head.format, head.ticketId, head.at, head.recordedAt, head.actor, head.kind]))
    .update('\n')
    .update(payload)
    .digest();
}

export function hex(hash: Uint8Array): string {
  return Buffer.from(hash).toString('hex');
}

export async function lastEventHash(db: Db): Promise<Uint8Array> {
  const last = await db.first(db.qb.selectFrom('events').select('hash').orderBy('id', 'desc').limit(1));
  return last?.hash ?? GENESIS_HASH;
}

/** The chain cannot show that events were cut off its end; the recorded head can. */
export async function recordChainHead(db: Db, head: { id: number; hash: Uint8Array }): Promise<void> {
  const value = JSON.stringify({ event: head.id, hash: hex(head.hash) });
  await db.run(db.qb.insertInto('settings').values({ key: CHAIN_HEAD_SETTING, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })));
}

export interface NewEvent {
  kind: EventKind;
  actor: string;
  at: Instant;
  recordedAt: Instant;
  /** What the user said (its personal fields sealed by the time it is appended). */
  details: Record<string, unknown>;
  /** The procedure version a ticket event was computed under (domain/event-payloads.ts `p`). */
  procedure?: number;
}

/** One event to append: what happened, to which ticket (null: the office), and what it changed. */
export interface EventToAppend extends NewEvent {
  ticketId: number | null;
  changes?: CompactChanges;
}

/**
 * Appends events in order after the current head, each hashed onto the one before, in as few
 * statements as the engine allows, and records the new head. Call inside `transact`.
 */
export async function appendEvents(db: Db, events: readonly EventToAppend[]): Promise<void> {
  if (events.length === 0) return;
  // Read-committed writers on another engine would otherwise both chain onto the same head.
  await db.lockChainHead();
  let previous = await lastEventHash(db);
  const rows = events.map((e) => {
    // One typed payload per kind: a caller that built the wrong details is a bug, stopped here.
    const wrong = detailsProblem(e.kind, e.details);
    if (wrong !== null) throw new Error(`a ${e.kind} event cannot have these details (${wrong})`);
    const payload = encodePayload(e.details, e.changes ?? NO_CHANGES, e.procedure ?? null);
    const head: EventHead = { ticketId: e.ticketId, at: e.at, recordedAt: e.recordedAt, actor: e.actor, kind: e.kind, format: EVENT_FORMAT };
    const hash = eventHash(previous, head, payload);
    previous = hash;
    return { ticket_id: e.ticketId, at: e.at, recorded_at: e.recordedAt, actor: e.actor, kind: e.kind, format: EVENT_FORMAT, payload, hash };
  });
  // All but the last in as few statements as the engine allows; the last gives the head's id.
  const last = rows.pop()!;
  await insertRows(db, 'events', rows);
  const id = await insertRowReturningId(db, 'events', last);
  await recordChainHead(db, { id, hash: last.hash });
}

/** An event as `show` and the ticket document tell it: what happened, who said what. */
export interface StoredEvent {
  id: number;
  ticketId: number | null;
  at: Instant;
  recordedAt: Instant;
  actor: string;
  kind: EventKind;
  /** What the user said, personal values restored (null where erased). */
  details: Record<string, unknown>;
}

/** A ticket's events, oldest first. A payload that no longer reads gives empty details (verify names it). */
export async function ticketEvents(db: Db, ticketId: number, values: PersonalValues): Promise<StoredEvent[]> {
  const rows = await db.all(
    db.qb.selectFrom('events').select(['id', 'ticket_id', 'at', 'recorded_at', 'actor', 'kind', 'payload']).where('ticket_id', '=', ticketId).orderBy('id'),
  );
  return rows.map((r) => {
    const kind = r.kind as EventKind;
    const decoded = decodePayload(kind, r.payload);
    return {
      id: r.id, ticketId: r.ticket_id, at: r.at, recordedAt: r.recorded_at, actor: r.actor, kind,
      details: decoded.ok ? unsealDetails(kind, decoded.payload.details, values) : {},
    };
  });
}
