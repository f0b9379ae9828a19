import type Sqlite from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { BLANK_TICKET, deadlineDelta, encodePayload, EVENT_FORMAT, type CompactChanges } from '../../domain/event-payloads.js';
import { same } from '../../domain/events.js';
import type { EventKind } from '../../domain/model.js';
import { sealDetails, sealTicket, type Sealer } from '../../domain/personal.js';
import type { Deadline, Ticket } from '../../domain/ticket.js';
import { CHAIN_HEAD_SETTING, eventHash, GENESIS_HASH, hex, sealerFor, ticketRow } from '../tickets.js';
import type { UpgradeSummary } from '../store.js';

// The one upgrade of a release-1 file to storage v2 (issue 10 §5), run by the migration runner
// between the two halves of schema/sqlite/004_events_v2.sql, inside its transaction. Every ticket
// row is rewritten from its snapshot and every event re-encoded from its before → after changes,
// both streamed in id order (memory stays flat at a million tickets), then re-chained; one last
// `upgraded` event records the old chain's head and origin. After this no migration recomputes a
// hash: later formats are read beside this one.

export interface UpgradeProgress {
  (done: number, total: number): void;
}


type V1Changes = Record<string, [unknown, unknown]>;

// Keys of recently seen tickets: a ticket's events cluster in time, so a small cache saves most
// lookups without holding a million keys.
const KEY_CACHE = 20_000;

export function convertToEventsV2(sqlite: Sqlite.Database, progress?: UpgradeProgress): UpgradeSummary {
  const tickets = (sqlite.prepare('SELECT count(*) FROM tickets').pluck().get() as number);
  const events = (sqlite.prepare('SELECT count(*) FROM events').pluck().get() as number);
  const total = tickets + events;
  let done = 0;
  const step = Math.max(1, Math.floor(total / 200));
  const tick = (): void => {
    done++;
    if (progress && (done % step === 0 || done === total)) progress(done, total);
  };

  const sealers = new Map<number, Sealer>();
  const findKey = sqlite.prepare('SELECT key FROM personal_keys WHERE ticket_id = ?').pluck();
  const addKey = sqlite.prepare('INSERT INTO personal_keys (ticket_id, key) VALUES (?, ?)');
  const sealerOf = (ticketId: number): Sealer => {
    let s = sealers.get(ticketId);
    if (s !== undefined) return s;
    let key = findKey.get(ticketId) as Buffer | undefined;
    if (key === undefined) {
      key = randomBytes(32);
      addKey.run(ticketId, key);
    }
    if (sealers.size >= KEY_CACHE) sealers.clear();
    s = sealerFor(key);
    sealers.set(ticketId, s);
    return s;
  };
  const keepValue = sqlite.prepare('INSERT INTO personal_values (ticket_id, seal, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const keep = (ticketId: number, sealed: Map<string, string>): void => {
    for (const [seal, value] of sealed) keepValue.run(ticketId, seal, value);
  };

  // Tickets: the row from the snapshot, the whole deadline into its row.
  const insertTicket = sqlite.prepare(`INSERT INTO tickets_v2 (id, ${TICKET_COLUMNS.join(', ')}) VALUES (?, ${TICKET_COLUMNS.map(() => '?').join(', ')})`);
  const fillDeadline = sqlite.prepare('UPDATE deadlines SET start = ?, minutes = ?, pausable = ?, cap = ?, agreed = ? WHERE ticket_id = ? AND key = ?');
  const ticketPage = sqlite.prepare('SELECT id, snapshot FROM tickets WHERE id > ? ORDER BY id LIMIT ?');
  for (const r of inPages<{ id: number; snapshot: string }>(ticketPage)) {
    const clear = JSON.parse(r.snapshot) as Ticket;
    const sealed = new Map<string, string>();
    const row = ticketRow(sealTicket(clear, sealerOf(r.id), sealed), clear) as unknown as Record<string, unknown>;
    insertTicket.run(r.id, ...TICKET_COLUMNS.map((c) => row[c]));
    keep(r.id, sealed);
    for (const [key, dl] of Object.entries(clear.deadlines)) {
      fillDeadline.run(dl.start, dl.minutes, dl.pausable ? 1 : 0, dl.cap, dl.agreed, r.id, key);
    }
    tick();
  }

  // Events: re-encoded and re-chained in id order, ids kept.
  const insertEvent = sqlite.prepare(
    'INSERT INTO events_v2 (id, ticket_id, at, recorded_at, actor, kind, format, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let previous: Uint8Array = GENESIS_HASH;
  let last: { id: number; hash: Uint8Array } | null = null;
  let oldHead: UpgradeSummary['oldHead'] = null;
  let oldOrigin: string | null = null;
  const eventPage = sqlite.prepare('SELECT id, ticket_id, at, recorded_at, actor, kind, details, changes, hash FROM events WHERE id > ? ORDER BY id LIMIT ?');
  for (const e of inPages<V1Event>(eventPage)) {
    oldOrigin ??= e.hash;
    oldHead = { event: e.id, hash: e.hash };
    const kind = e.kind as EventKind;
    const details = JSON.parse(e.details) as Record<string, unknown>;
    let payload: string;
    if (e.ticket_id === null) {
      payload = encodePayload(details);
    } else {
      const seal = sealerOf(e.ticket_id);
      const sealed = new Map<string, string>();
      const changes = compactFromV1(JSON.parse(e.changes) as V1Changes, seal, sealed);
      payload = encodePayload(sealDetails(kind, details, seal, sealed), changes);
      keep(e.ticket_id, sealed);
    }
    const head = { ticketId: e.ticket_id, at: e.at, recordedAt: e.recorded_at, actor: e.actor, kind, format: EVENT_FORMAT };
    const hash = eventHash(previous, head, payload);
    insertEvent.run(e.id, e.ticket_id, e.at, e.recorded_at, e.actor, kind, EVENT_FORMAT, payload, hash);
    previous = hash;
    last = { id: e.id, hash };
    tick();
  }

  // The old head, in the new chain: whoever kept it (a backup's anchor line) can still tie it to this file.
  if (events > 0) {
    const at = Date.now();
    const details = { from_format: 1, events, old_head: oldHead, old_origin: oldOrigin };
    const payload = encodePayload(details);
    const head = { ticketId: null, at, recordedAt: at, actor: 'complaints upgrade', kind: 'upgraded' as const, format: EVENT_FORMAT };
    const hash = eventHash(previous, head, payload);
    const id = last!.id + 1;
    insertEvent.run(id, null, at, at, head.actor, head.kind, EVENT_FORMAT, payload, hash);
    last = { id, hash };
  }
  if (last !== null) {
    sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(CHAIN_HEAD_SETTING, JSON.stringify({ event: last.id, hash: hex(last.hash) }));
  }
  return { tickets, events, oldHead, oldOrigin };
}

// better-sqlite3 runs no other statement on a connection while one is being iterated, and the
// conversion writes as it reads: read a page at a time instead.
const PAGE = 2000;

function* inPages<R extends { id: number }>(page: Sqlite.Statement): Generator<R> {
  let after = 0;
  for (;;) {
    const rows = page.all(after, PAGE) as R[];
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}

interface V1Event {
  id: number;
  ticket_id: number | null;
  at: number;
  recorded_at: number;
  actor: string;
  kind: string;
  details: string;
  changes: string;
  hash: string;
}

// Schema 4's table, which this step fills: the ticket type came with schema 5, which gives every
// converted ticket the type there was then, complaint; the contact keys with schema 6, which
// fills them.
const LATER_COLUMNS = new Set(['type', 'phone_key', 'email_key']);
const TICKET_COLUMNS = Object.keys(ticketRow(BLANK_TICKET, BLANK_TICKET)).filter((c) => !LATER_COLUMNS.has(c));

/**
 * A release-1 event's changes (field → [before, after], whole deadline objects) as v2 compact
 * changes: the new values, and of each deadline the fields that changed. A ticket's first event
 * lists every field against nothing; v2 keeps only those that differ from the blank ticket.
 */
function compactFromV1(v1: V1Changes, seal: Sealer, sealed: Map<string, string>): CompactChanges {
  const set: Record<string, unknown> = {};
  const deadlines: CompactChanges['deadlines'] = {};
  for (const [field, [before, after]] of Object.entries(v1)) {
    if (field.startsWith('deadlines.')) {
      const key = field.slice('deadlines.'.length);
      if (after === null) {
        deadlines[key] = null;
        continue;
      }
      const delta = deadlineDelta(key, (before ?? undefined) as Deadline | undefined, after as Deadline);
      if (delta !== null) deadlines[key] = delta;
      continue;
    }
    const blank = (BLANK_TICKET as unknown as Record<string, unknown>)[field];
    if (before === null && same(after, blank)) continue;
    set[field] = after;
  }
  return { set: sealTicket(set as Partial<Ticket>, seal, sealed) as Record<string, unknown>, deadlines };
}
