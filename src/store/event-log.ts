import { createHash } from 'node:crypto';
import { decodePayload, encodePayload, EVENT_FORMAT, NO_CHANGES, type CompactChanges } from '../domain/event-payloads.js';
import type { EventKind } from '../domain/model.js';
import { unsealDetails, type PersonalValues } from '../domain/personal.js';
import type { Instant } from '../domain/time.js';
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

/** Appends one event after `previous`; returns its id and hash. */
export async function insertEvent(db: Db, head: EventHead, payload: string, previous: Uint8Array): Promise<{ id: number; hash: Buffer }> {
  const hash = eventHash(previous, head, payload);
  const row = await db.first(
    db.qb.insertInto('events').values({
      ticket_id: head.ticketId, at: head.at, recorded_at: head.recordedAt, actor: head.actor, kind: head.kind,
      format: head.format, payload, hash,
    }).returning('id'),
  );
  return { id: row!.id, hash };
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
  /** What the user said, personal fields already sealed. */
  details: Record<string, unknown>;
}

/** Appends events in order after the current head, and records the new head. Call inside `transact`. */
export async function appendEvents(db: Db, ticketId: number | null, events: readonly (NewEvent & { changes?: CompactChanges })[]): Promise<void> {
  let previous = await lastEventHash(db);
  let head: { id: number; hash: Uint8Array } | null = null;
  for (const e of events) {
    const payload = encodePayload(e.details, e.changes ?? NO_CHANGES);
    head = await insertEvent(db, { ticketId, at: e.at, recordedAt: e.recordedAt, actor: e.actor, kind: e.kind, format: EVENT_FORMAT }, payload, previous);
    previous = head.hash;
  }
  if (head !== null) await recordChainHead(db, head);
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
