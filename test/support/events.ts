import type Sqlite from 'better-sqlite3';
import { encodePayload, EVENT_FORMAT, type CompactChanges } from '../../src/domain/event-payloads.js';
import type { EventKind } from '../../src/domain/model.js';
import { CHAIN_HEAD_SETTING, eventHash, GENESIS_HASH, hex, type EventHead } from '../../src/store/event-log.js';

// The event log (schema 4) as an insider with the sqlite3 shell sees it: rows of head, payload
// text and hash. Tests tamper with it through these, computing hashes the way the program does.

type Raw = Sqlite.Database;

export interface EventRow {
  id: number;
  ticket_id: number | null;
  at: number;
  recorded_at: number;
  actor: string;
  kind: EventKind;
  format: number;
  payload: string;
  hash: Buffer;
}

export function eventRows(raw: Raw, from = 1): EventRow[] {
  return raw.prepare('SELECT * FROM events WHERE id >= ? ORDER BY id').all(from) as EventRow[];
}

export function headOf(r: Omit<EventRow, 'id' | 'payload' | 'hash'>): EventHead {
  return { ticketId: r.ticket_id, at: r.at, recordedAt: r.recorded_at, actor: r.actor, kind: r.kind, format: r.format };
}

/** The hash a row should have after `previous`, computed as the program does. */
export function rowHash(previous: Uint8Array, r: Omit<EventRow, 'id' | 'hash'>): Buffer {
  return eventHash(previous, headOf(r), r.payload);
}

/** The stored hash of the event before `id` (the genesis hash before the first). */
export function hashBefore(raw: Raw, id: number): Uint8Array {
  return (raw.prepare('SELECT hash FROM events WHERE id < ? ORDER BY id DESC LIMIT 1').pluck().get(id) as Buffer | undefined) ?? GENESIS_HASH;
}

/** The append-only triggers dropped, as an insider does first. */
export function unlockEvents(raw: Raw): void {
  raw.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
}

function recordHead(raw: Raw, id: number, hash: Uint8Array): void {
  raw.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify({ event: id, hash: hex(hash) }), CHAIN_HEAD_SETTING);
}

/**
 * What a careful insider does after an edit: every hash from event `from` on computed again, and
 * the recorded head rewritten, so the chain is whole again.
 */
export function rechain(raw: Raw, from = 1): void {
  let previous = hashBefore(raw, from);
  let last: { id: number; hash: Uint8Array } | null = null;
  for (const r of eventRows(raw, from)) {
    const hash = rowHash(previous, r);
    raw.prepare('UPDATE events SET hash = ? WHERE id = ?').run(hash, r.id);
    previous = hash;
    last = { id: r.id, hash };
  }
  if (last !== null) recordHead(raw, last.id, last.hash);
}

/** One event's payload replaced and its own hash computed again (the events after it left as they were). */
export function rehashedEdit(raw: Raw, id: number, payload: string): void {
  const row = raw.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow;
  raw.prepare('UPDATE events SET payload = ?, hash = ? WHERE id = ?').run(payload, rowHash(hashBefore(raw, id), { ...row, payload }), id);
}

export interface ForgedEvent {
  ticketId: number | null;
  at: number;
  recordedAt?: number;
  actor: string;
  kind: EventKind;
  details: Record<string, unknown>;
  changes?: CompactChanges;
}

/** An event appended after the head with a correct hash, and recorded as the new head: a forgery the chain alone cannot see. */
export function forgeEvent(raw: Raw, e: ForgedEvent): number {
  const last = raw.prepare('SELECT id, hash FROM events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer };
  const row = {
    ticket_id: e.ticketId, at: e.at, recorded_at: e.recordedAt ?? e.at, actor: e.actor, kind: e.kind, format: EVENT_FORMAT,
    payload: encodePayload(e.details, e.changes),
  };
  const hash = rowHash(last.hash, row);
  const id = last.id + 1;
  raw.prepare('INSERT INTO events (id, ticket_id, at, recorded_at, actor, kind, format, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, row.ticket_id, row.at, row.recorded_at, row.actor, row.kind, row.format, row.payload, hash);
  recordHead(raw, id, hash);
  return id;
}

export function payloadOf(raw: Raw, id: number): string {
  return raw.prepare('SELECT payload FROM events WHERE id = ?').pluck().get(id) as string;
}
