import { createHash } from 'node:crypto';
import { NotFound } from '../domain/errors.js';
import { canonicalJson, diffTickets, type Changes, type TicketEvent } from '../domain/events.js';
import type { EventKind } from '../domain/model.js';
import type { Deadline, Ticket } from '../domain/ticket.js';
import { formatLocal, type Instant } from '../domain/time.js';
import { sql } from 'kysely';
import type { TicketsTable } from './schema.js';
import type { Db } from './store.js';

export interface StoredTicket {
  id: number;
  ticket: Ticket;
}

export async function findTicket(db: Db, no: string): Promise<StoredTicket | null> {
  const row = await db.first(db.qb.selectFrom('tickets').select(['id', 'snapshot']).where('no', '=', no));
  return row ? { id: row.id, ticket: JSON.parse(row.snapshot) as Ticket } : null;
}

export async function findTicketById(db: Db, id: number): Promise<StoredTicket | null> {
  const row = await db.first(db.qb.selectFrom('tickets').select(['id', 'snapshot']).where('id', '=', id));
  return row ? { id: row.id, ticket: JSON.parse(row.snapshot) as Ticket } : null;
}

export async function loadTicket(db: Db, no: string): Promise<StoredTicket> {
  const found = await findTicket(db, no);
  if (found) return found;
  const skip = await restoreThatSkipped(db, no);
  if (skip !== null) throw new NotFound('ticket_number_skipped', { no, at: formatLocal(skip, await readTimezone(db)) });
  throw new NotFound('no_such_ticket', { no });
}

/**
 * When a restore put `no` out of use (a `numbers_skipped` event), or null. A complainant may hold
 * that receipt: the clerk must hear why the ticket is gone, not just that it is.
 */
async function restoreThatSkipped(db: Db, no: string): Promise<Instant | null> {
  const m = /^C(\d{4})-(\d+)$/.exec(no);
  if (m === null) return null;
  const [year, seq] = [Number(m[1]), Number(m[2])];
  return (await recordedSkips(db)).find((s) => s.ranges.some((r) => r.year === year && r.from <= seq && seq <= r.to))?.at ?? null;
}

/** A `restore` that skipped receipt numbers, as its `numbers_skipped` event records it. */
export interface RecordedSkip {
  event: number;
  at: Instant;
  recordedAt: Instant;
  ranges: { year: number; from: number; to: number }[];
}

/** Every restore's skipped ranges, oldest first. An event whose details no longer parse gives none (verify's chain check names it). */
export async function recordedSkips(db: Db): Promise<RecordedSkip[]> {
  const rows = await db.all(
    db.qb.selectFrom('events').select(['id', 'at', 'recorded_at', 'details']).where('kind', '=', 'numbers_skipped').orderBy('id'),
  );
  return rows.map((r) => {
    let skipped: unknown;
    try {
      skipped = (JSON.parse(r.details) as { skipped?: unknown }).skipped;
    } catch {
      skipped = null;
    }
    const ranges: RecordedSkip['ranges'] = [];
    for (const range of Array.isArray(skipped) ? skipped : []) {
      const { from, to } = (range ?? {}) as { from?: unknown; to?: unknown };
      const a = /^C(\d{4})-(\d+)$/.exec(String(from));
      const b = /^C(\d{4})-(\d+)$/.exec(String(to));
      if (a !== null && b !== null && a[1] === b[1]) ranges.push({ year: Number(a[1]), from: Number(a[2]), to: Number(b[2]) });
    }
    return { event: r.id, at: r.at, recordedAt: r.recorded_at, ranges };
  });
}

async function readTimezone(db: Db): Promise<string> {
  const row = await db.first(db.qb.selectFrom('settings').select('value').where('key', '=', 'timezone'));
  return row === undefined ? 'UTC' : (JSON.parse(row.value) as string);
}

/** The next number of the year's sequence, taken inside the caller's write transaction. */
export async function takeTicketNo(db: Db, year: number): Promise<string> {
  return formatTicketNo(year, await db.takeTicketNo(year));
}

export function formatTicketNo(year: number, seq: number): string {
  return `C${year}-${String(seq).padStart(5, '0')}`;
}

export interface Change {
  kind: EventKind;
  actor: string;
  at: Instant;
  /** When it was typed in (the clock), as opposed to `at`, when it happened. */
  recordedAt: Instant;
  details: Record<string, unknown>;
}

/**
 * The one place a ticket is written: the excerpt row, its deadline rows and the event that
 * explains the change, together. Call inside `store.transact` with its db.
 */
export async function recordTicketChange(db: Db, existing: StoredTicket | null, after: Ticket, change: Change): Promise<StoredTicket> {
  const changes = diffTickets(existing?.ticket ?? null, after);
  const row = ticketRow(after);
  let id: number;
  if (existing === null) {
    id = await insertTicketRow(db, row);
  } else {
    id = existing.id;
    if (Object.keys(changes).length > 0) await updateTicketRow(db, id, ticketColumns(existing.ticket), row);
  }
  await writeDeadlines(db, id, changes);
  await appendEvent(db, id, { ...change, changes });
  return { id, ticket: after };
}

async function insertTicketRow(db: Db, row: TicketRow): Promise<number> {
  return (await db.first(db.qb.insertInto('tickets').values(row).returning('id')))!.id;
}

type TicketRow = ReturnType<typeof ticketRow>;
type TicketColumns = ReturnType<typeof ticketColumns>;

/**
 * Writes only the columns that changed: the search index's trigger fires on any UPDATE naming the
 * text columns, and a reply should not re-index the complaint's description. The statement for
 * each set of columns is prepared once (this is the hot path of `demo` and of every command).
 */
async function updateTicketRow(db: Db, id: number, before: TicketColumns, after: TicketRow): Promise<void> {
  const columns = (Object.keys(after) as (keyof TicketRow)[]).filter((c) => c === 'snapshot' || before[c] !== after[c]);
  if (columns.length === 0) return;
  await db.run(sql`UPDATE tickets SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${after[c]}`))} WHERE id = ${id}`);
}

async function writeDeadlines(db: Db, ticketId: number, changes: Changes): Promise<void> {
  for (const [field, [, after]] of Object.entries(changes)) {
    if (!field.startsWith('deadlines.')) continue;
    const key = field.slice('deadlines.'.length);
    const dl = after as Deadline | null;
    if (dl === null) {
      await db.run(sql`DELETE FROM deadlines WHERE ticket_id = ${ticketId} AND key = ${key}`);
      continue;
    }
    await db.run(sql`INSERT INTO deadlines (ticket_id, key, stage, cycle, due, done_at, void, clock)
      VALUES (${ticketId}, ${key}, ${dl.stage}, ${dl.cycle}, ${dl.due}, ${dl.doneAt}, ${dl.void ? 1 : 0}, ${dl.clock})
      ON CONFLICT (ticket_id, key) DO UPDATE SET stage = excluded.stage, cycle = excluded.cycle, due = excluded.due,
        done_at = excluded.done_at, void = excluded.void, clock = excluded.clock`);
  }
}

export function ticketRow(t: Ticket): Omit<TicketsTable, 'id'> {
  return { ...ticketColumns(t), snapshot: JSON.stringify(t) };
}

/** The queryable columns of the row, without the snapshot. */
function ticketColumns(t: Ticket): Omit<TicketsTable, 'id' | 'snapshot'> {
  return {
    no: t.no,
    status: t.status,
    severity: t.severity,
    severity_suggested: t.severitySuggested,
    urgent: t.urgent ? 1 : 0,
    on_hold: t.hold ? 1 : 0,
    channel: t.channel,
    category: t.category,
    unit: t.unit,
    assignee: t.assignee,
    complainant_name: t.complainant.name,
    subject: t.subject,
    description: t.description,
    demand: t.demand,
    amount_cents: t.amountCents,
    received_at: t.receivedAt,
    closed_at: t.closedAt,
    reopen_count: t.reopenCount,
    resolution_minutes: t.resolutionMinutes,
    compensation_cents: t.compensationCents,
    survey_score: t.survey?.score ?? null,
    survey_at: t.survey?.at ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// The event log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, each hash
// covering the event's content and the previous hash, so an edit anywhere breaks the chain.

export const GENESIS_HASH = '0'.repeat(64);

export interface StoredEvent extends TicketEvent {
  id: number;
  ticketId: number | null;
  recordedAt: Instant;
  prevHash: string;
  hash: string;
}

export function eventHash(prevHash: string, e: Omit<StoredEvent, 'id' | 'prevHash' | 'hash'>): string {
  return chainHash(prevHash, canonicalJson([e.ticketId, e.at, e.recordedAt, e.actor, e.kind, e.details, e.changes]));
}

/**
 * The same hash from a stored row without parsing its JSON: `details` and `changes` are stored
 * as canonical JSON, so they drop into the array as they are. `verify` hashes every event; this
 * keeps it fast. A row whose JSON is not canonical gives a different hash here, and rightly: its
 * stored text is not the text that was hashed, so it was rewritten (verify names it).
 */
export function storedEventHash(r: {
  prev_hash: string; ticket_id: number | null; at: number; recorded_at: number; actor: string; kind: string; details: string; changes: string;
}): string {
  const head = JSON.stringify([r.ticket_id, r.at, r.recorded_at, r.actor, r.kind]);
  return chainHash(r.prev_hash, `${head.slice(0, -1)},${r.details},${r.changes}]`);
}

function chainHash(prevHash: string, content: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export async function appendEvent(db: Db, ticketId: number | null, e: Change & { changes: Changes }): Promise<void> {
  const appended = await insertEvent(db, ticketId, e, e.changes, await lastEventHash(db));
  await recordChainHead(db, appended);
}

/** The hash to chain the next event onto; the head is held until the transaction ends. */
async function lastEventHash(db: Db): Promise<string> {
  await db.lockChainHead();
  const last = await db.first(sql<{ hash: string }>`SELECT hash FROM events ORDER BY id DESC LIMIT 1`);
  return last?.hash ?? GENESIS_HASH;
}

async function insertEvent(db: Db, ticketId: number | null, e: Change, changes: Changes, prevHash: string): Promise<{ id: number; hash: string }> {
  const row = {
    prev_hash: prevHash,
    ticket_id: ticketId,
    at: e.at,
    recorded_at: e.recordedAt,
    actor: e.actor,
    kind: e.kind,
    details: canonicalJson(e.details),
    changes: canonicalJson(changes),
  };
  // Hashed from the very text stored, so verify recomputes it from the row as it is.
  const hash = storedEventHash(row);
  // Raw SQL on the hot path of `demo`: the template compiles several times faster than the builder.
  const inserted = await db.first(sql<{ id: number }>`INSERT INTO events (ticket_id, at, recorded_at, actor, kind, details, changes, prev_hash, hash)
    VALUES (${row.ticket_id}, ${row.at}, ${row.recorded_at}, ${row.actor}, ${row.kind}, ${row.details}, ${row.changes}, ${row.prev_hash}, ${hash})
    RETURNING id`);
  return { id: inserted!.id, hash };
}

/** The chain cannot show that events were cut off its end; the recorded head can. */
async function recordChainHead(db: Db, head: { id: number; hash: string }): Promise<void> {
  await db.run(sql`INSERT INTO settings (key, value) VALUES (${CHAIN_HEAD_SETTING}, ${JSON.stringify({ event: head.id, hash: head.hash })})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

/**
 * A new ticket with its whole history at once (demo data now, imports later): the same events,
 * diffs and hash chain as recording each change in turn, but the ticket row and its deadline rows
 * are written once, from the last snapshot. Call inside `store.transact` with its db.
 */
export async function recordTicketHistory(db: Db, history: readonly { ticket: Ticket; change: Change }[]): Promise<StoredTicket> {
  const last = history.at(-1);
  if (last === undefined) throw new Error('a ticket history needs at least its logging');
  const id = await insertTicketRow(db, ticketRow(last.ticket));
  await writeDeadlines(db, id, diffTickets(null, last.ticket));
  let before: Ticket | null = null;
  let head = { id: 0, hash: await lastEventHash(db) };
  for (const { ticket, change } of history) {
    head = await insertEvent(db, id, change, diffTickets(before, ticket), head.hash);
    before = ticket;
  }
  await recordChainHead(db, head);
  return { id, ticket: last.ticket };
}

/** Where the id and hash of the newest event are kept, for `verify`. */
export const CHAIN_HEAD_SETTING = 'event_chain_head';

export async function ticketEvents(db: Db, ticketId: number): Promise<StoredEvent[]> {
  return (await db.all(db.qb.selectFrom('events').selectAll().where('ticket_id', '=', ticketId).orderBy('id'))).map(toStoredEvent);
}

export function toStoredEvent(r: {
  id: number; ticket_id: number | null; at: number; recorded_at: number; actor: string; kind: string;
  details: string; changes: string; prev_hash: string; hash: string;
}): StoredEvent {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    at: r.at,
    recordedAt: r.recorded_at,
    actor: r.actor,
    kind: r.kind as EventKind,
    details: JSON.parse(r.details) as Record<string, unknown>,
    changes: JSON.parse(r.changes) as Changes,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
