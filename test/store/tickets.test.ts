import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidTransition } from '../../src/domain/errors.js';
import {
  assignTicket, closeTicket, logTicket, replyToTicket, type LogInput
} from '../../src/domain/lifecycle.js';
import { decodePayload, foldPayloads } from '../../src/domain/event-payloads.js';
import { isSeal, unsealTicket } from '../../src/domain/personal.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { openStore, type Store } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { GENESIS_HASH } from '../../src/store/event-log.js';
import {
  findTicketById,
  loadTicket, recordTicketChange, takeTicketNo, ticketEvents, type StoredTicket,
} from '../../src/store/tickets.js';
import { rowTicket } from '../../src/store/ticket-rows.js';
import type { DeadlinesTable } from '../../src/store/schema.js';
import { tempDir } from '../support/cli.js';
import { eventRows, rowHash, type EventRow } from '../support/events.js';
import { withRaw } from '../support/sqlite.js';
import type { Instant } from '../../src/domain/time.js';
import { at, policy } from '../support/office.js';


const complaint = (over: Partial<LogInput> = {}): LogInput => ({
  complainant: { name: '王芳', anonymous: false, phone: '13800000000', email: null, address: null, org: null },
  channel: 'phone', category: 'delivery', subject: '包裹延误', description: '两周未到', demand: null, amountCents: null,
  product: null, batch: null, receivedAt: at('2026-11-16 10:00'), customerDue: null, unit: null, assignee: null,
  severity: null, urgent: false, safety: false, external: false, group: false, ...over,
});

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freshStore(): Promise<Store> {
  const dir = tempDir();
  dirs.push(dir);
  const store = await openStore(join(dir, 'complaints.db'));
  stores.push(store);
  return store;
}

/** The log command's write: number, ticket, row and event in one transaction. */
function logOne(store: Store, input = complaint(), loggedAt = at('2026-11-16 10:05')): Promise<StoredTicket> {
  return store.transact(async (db) => {
    const no = await takeTicketNo(db, 2026);
    const t = logTicket(input, no, 'clerk1', loggedAt, policy);
    return recordTicketChange(db, null, t, {
      kind: 'logged', actor: 'clerk1', at: loggedAt, recordedAt: loggedAt,
      details: { channel: 'phone', severity_given: null, severity_suggested: t.severitySuggested },
    });
  });
}

/** What each kind's event says besides its changes, as the commands give it. */
const DETAILS = {
  assigned: { unit: 'Logistics', assignee: 'Li Lei' },
  replied: { via: 'phone', message: '已联系快递' },
  closed: { resolution: '已送达', fault: null, root_cause: null, action: null, compensation: null, compensation_kind: null },
};

function change(store: Store, no: string, kind: 'assigned' | 'replied' | 'closed', when: Instant, op: (t: Ticket) => Ticket): Promise<StoredTicket> {
  return store.transact(async (db) => {
    const existing = await loadTicket(db, no);
    return recordTicketChange(db, existing, op(existing.ticket), { kind, actor: 'handler1', at: when, recordedAt: when, details: DETAILS[kind] });
  });
}

/** Every row of every table, in a stable order: what "the database is unchanged" means. */
function dump(store: Store): Record<string, unknown[]> {
  return withRaw(store.location, (raw) => {
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) out[name] = raw.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all();
    return out;
  });
}

/** Looks at the file from outside, as an auditor with the sqlite3 shell would. */
function look<T>(store: Store, sql: string, ...params: unknown[]): T {
  return withRaw(store.location, (raw) => raw.prepare(sql).get(...params) as T);
}

function lookAll<T>(store: Store, sql: string, ...params: unknown[]): T[] {
  return withRaw(store.location, (raw) => raw.prepare(sql).all(...params) as T[]);
}

function events(store: Store): EventRow[] {
  return withRaw(store.location, (raw) => eventRows(raw));
}

/** The ticket as its row, its deadline rows and its personal values hold it, read from outside the program. */
function ticketFromFile(store: Store, id: number): { sealed: Ticket; clear: Ticket } {
  const row = look<Parameters<typeof rowTicket>[0]>(store, 'SELECT * FROM tickets WHERE id = ?', id);
  const deadlines = lookAll<DeadlinesTable>(store, 'SELECT * FROM deadlines WHERE ticket_id = ?', id);
  const values = lookAll<{ seal: string; value: string }>(store, 'SELECT seal, value FROM personal_values WHERE ticket_id = ?', id);
  const sealed = rowTicket(row, deadlines);
  return { sealed, clear: unsealTicket(sealed, new Map(values.map((v) => [v.seal, v.value]))) };
}

describe('recordTicketChange', () => {
  it('writes the ticket row, one row per deadline and the event, together', async () => {
    const store = await freshStore();
    const { id, ticket } = await logOne(store);
    expect(ticket.no).toBe('C2026-00001');

    const row = look<Record<string, unknown>>(store, 'SELECT * FROM tickets WHERE id = ?', id);
    expect(row).toMatchObject({
      no: 'C2026-00001', status: 'new', severity: 'general', channel: 'phone', category: 'delivery',
      complainant_name: '王芳', subject: '包裹延误', received_at: at('2026-11-16 10:00'), closed_at: null, on_hold: 0,
    });
    // No snapshot: the row, its deadline rows and the personal values beside it are the ticket.
    expect(ticketFromFile(store, id).clear).toEqual(ticket);
    // The personal fields are stored as seals, their values once each beside the ticket under its own key.
    const { sealed } = ticketFromFile(store, id);
    expect(isSeal(sealed.complainant.phone)).toBe(true);
    expect(isSeal(sealed.description)).toBe(true);
    expect(row.rest).not.toContain('13800000000');
    expect(lookAll(store, 'SELECT value FROM personal_values WHERE ticket_id = ? ORDER BY value', id)).toEqual(
      ['13800000000', '两周未到', '王芳'].sort().map((value) => ({ value })),
    );
    expect(look<{ n: number }>(store, 'SELECT count(*) AS n, length(key) AS bytes FROM personal_keys WHERE ticket_id = ?', id)).toEqual({ n: 1, bytes: 32 });

    const deadlines = lookAll(store, 'SELECT key, stage, cycle, due, done_at, void FROM deadlines WHERE ticket_id = ? ORDER BY key', id);
    expect(deadlines).toEqual([
      { key: 'assign.1', stage: 'assign', cycle: 1, due: at('2026-11-16 12:00'), done_at: null, void: 0 },
      { key: 'first_reply.1', stage: 'first_reply', cycle: 1, due: at('2026-11-16 15:00'), done_at: null, void: 0 },
      { key: 'resolve.1', stage: 'resolve', cycle: 1, due: at('2026-11-23 10:00'), done_at: null, void: 0 },
    ]);

    const [event] = await store.read(async (db) => ticketEvents(db, (await findTicketById(db, id))!));
    expect(event).toMatchObject({
      kind: 'logged', actor: 'clerk1', at: at('2026-11-16 10:05'), details: { channel: 'phone', severity_given: null, severity_suggested: 'general' },
    });
    const [stored] = events(store);
    expect(stored).toMatchObject({ id: event!.id, ticket_id: id, kind: 'logged', actor: 'clerk1', at: at('2026-11-16 10:05'), format: 2 });
    // The payload is what the event set, from a blank ticket: its fold is the (sealed) ticket.
    const decoded = decodePayload('logged', stored!.payload);
    if (!decoded.ok) throw new Error(`payload does not read: ${decoded.field}`);
    expect(foldPayloads([decoded.payload.changes])).toEqual(sealed);
    expect(stored!.payload).not.toContain('13800000000');
    expect(stored!.hash).toEqual(rowHash(GENESIS_HASH, stored!));
  });

  it('later changes update the row and deadline rows, chain their events, and the events fold to the row', async () => {
    const store = await freshStore();
    const { id } = await logOne(store);
    await change(store, 'C2026-00001', 'assigned', at('2026-11-16 11:00'), (t) => assignTicket(t, { unit: 'Logistics', assignee: 'Li Lei' }, at('2026-11-16 11:00')));
    await change(store, 'C2026-00001', 'replied', at('2026-11-16 14:00'), (t) => replyToTicket(t, at('2026-11-16 14:00'), policy));
    const closed = await change(store, 'C2026-00001', 'closed', at('2026-11-17 10:00'), (t) =>
      closeTicket(t, { resolution: '已送达', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-17 10:00'), policy),
    );

    expect(look(store, 'SELECT status, unit, assignee, closed_at, resolution_minutes FROM tickets')).toEqual({
      status: 'closed', unit: 'Logistics', assignee: 'Li Lei', closed_at: at('2026-11-17 10:00'), resolution_minutes: 480,
    });
    const open = lookAll(store, 'SELECT key, due FROM deadlines WHERE done_at IS NULL AND void = 0');
    expect(open).toEqual([{ key: 'callback.1', due: at('2026-11-18 10:00') }]);
    expect(look(store, "SELECT done_at FROM deadlines WHERE key = 'first_reply.1'")).toEqual({ done_at: at('2026-11-16 14:00') });

    const told = await store.read(async (db) => ticketEvents(db, (await findTicketById(db, id))!));
    expect(told.map((e) => e.kind)).toEqual(['logged', 'assigned', 'replied', 'closed']);
    const stored = events(store);
    expect(stored.map((e) => e.id)).toEqual(told.map((e) => e.id));
    let previous: Uint8Array = GENESIS_HASH;
    for (const e of stored) {
      expect(e.hash).toEqual(rowHash(previous, e));
      previous = e.hash;
    }
    const folded = foldPayloads(stored.map((e) => {
      const decoded = decodePayload(e.kind, e.payload);
      if (!decoded.ok) throw new Error(`event ${e.id} does not read: ${decoded.field}`);
      return decoded.payload.changes;
    }));
    expect(folded).toEqual(closed.sealed);
    expect(ticketFromFile(store, id)).toEqual({ sealed: closed.sealed, clear: closed.ticket });
    // The free text of the events (the reply's message, the resolution) is sealed like the ticket's.
    expect(told.map((e) => e.details)).toEqual([
      { channel: 'phone', severity_given: null, severity_suggested: 'general' }, DETAILS.assigned, DETAILS.replied, DETAILS.closed,
    ]);
    expect(stored.map((e) => e.payload).join('\n')).not.toMatch(/已联系快递|已送达|王芳|13800000000/);
    expect((await verifyStore(store)).problems).toEqual([]);
  });

  it('a refused transition inside a transaction leaves every table as it was', async () => {
    const store = await freshStore();
    await logOne(store);
    await change(store, 'C2026-00001', 'closed', at('2026-11-17 10:00'), (t) =>
      closeTicket(t, { resolution: 'done', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-17 10:00'), policy),
    );
    const before = dump(store);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['tickets', 'deadlines', 'events', 'ticket_counters', 'settings']));

    // The store half-written when the domain refuses: the error must undo it.
    await expect(
      store.transact(async (db) => {
        await takeTicketNo(db, 2026);
        const existing = await loadTicket(db, 'C2026-00001');
        return recordTicketChange(
          db, existing,
          closeTicket(existing.ticket, { resolution: 'again', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-18 10:00'), policy),
          { kind: 'closed', actor: 'clerk1', at: at('2026-11-18 10:00'), recordedAt: at('2026-11-18 10:00'), details: {} },
        );
      }),
    ).rejects.toThrow(InvalidTransition);
    expect(dump(store)).toEqual(before);

    // And a log refused after its number was taken does not use the number up.
    await expect(logOne(store, complaint({ receivedAt: at('2026-11-18 10:00') }), at('2026-11-18 09:00'))).rejects.toThrow(/received_after_logged/);
    expect(dump(store)).toEqual(before);
    expect((await logOne(store)).ticket.no).toBe('C2026-00002');
  });

  it('the events table refuses UPDATE and DELETE', async () => {
    const store = await freshStore();
    await logOne(store);
    await expect(store.transact((db) => db.run(sql`UPDATE events SET actor = 'someone else'`))).rejects.toThrow(/append-only/);
    await expect(store.transact((db) => db.run(sql`DELETE FROM events`))).rejects.toThrow(/append-only/);
    expect(lookAll(store, 'SELECT actor FROM events')).toEqual([{ actor: 'clerk1' }]);
  });
});

describe('ticket numbers', () => {
  it('run in sequence per year: C2026-00001, C2026-00002, ... and start again each year', async () => {
    const store = await freshStore();
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await logOne(store)).ticket.no);
    expect(numbers).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
    expect(await store.transact((db) => takeTicketNo(db, 2027))).toBe('C2027-00001');
    expect((await logOne(store)).ticket.no).toBe('C2026-00004');
  });
});

describe('the database file', () => {
  it('is created readable by its owner and group only, in WAL mode with foreign keys on', async () => {
    const store = await freshStore();
    expect(existsSync(store.location)).toBe(true);
    expect(statSync(store.location).mode & 0o777).toBe(0o660);
    expect(look(store, 'PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    // Per connection: asked of the store's own.
    const pragma = async (name: string): Promise<unknown> => store.read(async (db) => (await db.first(sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`))?.[name]);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('synchronous')).toBe(2);
  });
});
