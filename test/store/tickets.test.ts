import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidTransition } from '../../src/domain/errors.js';
import {
  assignTicket, closeTicket, logTicket, replyToTicket, type LogInput
} from '../../src/domain/lifecycle.js';
import { foldEvents } from '../../src/domain/events.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { openStore, type Store } from '../../src/store/database.js';
import {
  GENESIS_HASH, eventHash, loadTicket, recordTicketChange, takeTicketNo, ticketEvents, type StoredTicket,
} from '../../src/store/tickets.js';
import { tempDir } from '../support/cli.js';
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
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshStore(): Store {
  const dir = tempDir();
  dirs.push(dir);
  const store = openStore(join(dir, 'complaints.db'));
  stores.push(store);
  return store;
}

/** The log command's write: number, ticket, row and event in one transaction. */
function logOne(store: Store, input = complaint(), loggedAt = at('2026-11-16 10:05')): StoredTicket {
  return store.transact(() => {
    const no = takeTicketNo(store, 2026);
    const t = logTicket(input, no, 'clerk1', loggedAt, policy);
    return recordTicketChange(store, null, t, { kind: 'logged', actor: 'clerk1', at: loggedAt, recordedAt: loggedAt, details: { channel: 'phone' } });
  });
}

function change(store: Store, no: string, kind: 'assigned' | 'replied' | 'closed', when: Instant, op: (t: Ticket) => Ticket): StoredTicket {
  return store.transact(() => {
    const existing = loadTicket(store, no);
    return recordTicketChange(store, existing, op(existing.ticket), { kind, actor: 'handler1', at: when, recordedAt: when, details: {} });
  });
}

/** Every row of every table, in a stable order: what "the database is unchanged" means. */
function dump(store: Store): Record<string, unknown[]> {
  const tables = store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = store.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all();
  return out;
}

describe('recordTicketChange', () => {
  it('writes the ticket row, one row per deadline and the event, together', () => {
    const store = freshStore();
    const { id, ticket } = logOne(store);
    expect(ticket.no).toBe('C2026-00001');

    const row = store.sqlite.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({
      no: 'C2026-00001', status: 'new', severity: 'general', channel: 'phone', category: 'delivery',
      complainant_name: '王芳', subject: '包裹延误', received_at: at('2026-11-16 10:00'), closed_at: null, on_hold: 0,
    });
    expect(JSON.parse(row.snapshot as string)).toEqual(ticket);

    const deadlines = store.sqlite.prepare('SELECT key, stage, cycle, due, done_at, void FROM deadlines WHERE ticket_id = ? ORDER BY key').all(id);
    expect(deadlines).toEqual([
      { key: 'assign.1', stage: 'assign', cycle: 1, due: at('2026-11-16 12:00'), done_at: null, void: 0 },
      { key: 'first_reply.1', stage: 'first_reply', cycle: 1, due: at('2026-11-16 15:00'), done_at: null, void: 0 },
      { key: 'resolve.1', stage: 'resolve', cycle: 1, due: at('2026-11-23 10:00'), done_at: null, void: 0 },
    ]);

    const [event] = ticketEvents(store, id);
    expect(event).toMatchObject({ kind: 'logged', actor: 'clerk1', at: at('2026-11-16 10:05'), details: { channel: 'phone' }, prevHash: GENESIS_HASH });
    expect(event!.changes.status).toEqual([null, 'new']);
    expect(event!.hash).toBe(eventHash(GENESIS_HASH, event!));
  });

  it('later changes update the row and deadline rows, chain their events, and the events fold to the row', () => {
    const store = freshStore();
    const { id } = logOne(store);
    change(store, 'C2026-00001', 'assigned', at('2026-11-16 11:00'), (t) => assignTicket(t, { unit: 'Logistics', assignee: 'Li Lei' }, at('2026-11-16 11:00')));
    change(store, 'C2026-00001', 'replied', at('2026-11-16 14:00'), (t) => replyToTicket(t, at('2026-11-16 14:00'), policy));
    const closed = change(store, 'C2026-00001', 'closed', at('2026-11-17 10:00'), (t) =>
      closeTicket(t, { resolution: '已送达', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-17 10:00'), policy),
    );

    expect(store.sqlite.prepare('SELECT status, unit, assignee, closed_at, resolution_minutes FROM tickets').get()).toEqual({
      status: 'closed', unit: 'Logistics', assignee: 'Li Lei', closed_at: at('2026-11-17 10:00'), resolution_minutes: 480,
    });
    const open = store.sqlite.prepare('SELECT key, due FROM deadlines WHERE done_at IS NULL AND void = 0').all();
    expect(open).toEqual([{ key: 'callback.1', due: at('2026-11-18 10:00') }]);
    expect(store.sqlite.prepare("SELECT done_at FROM deadlines WHERE key = 'first_reply.1'").get()).toEqual({ done_at: at('2026-11-16 14:00') });

    const events = ticketEvents(store, id);
    expect(events.map((e) => e.kind)).toEqual(['logged', 'assigned', 'replied', 'closed']);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
      expect(events[i]!.hash).toBe(eventHash(events[i]!.prevHash, events[i]!));
    }
    expect(foldEvents(events)).toEqual(closed.ticket);
  });

  it('a refused transition inside a transaction leaves every table as it was', () => {
    const store = freshStore();
    logOne(store);
    change(store, 'C2026-00001', 'closed', at('2026-11-17 10:00'), (t) =>
      closeTicket(t, { resolution: 'done', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-17 10:00'), policy),
    );
    const before = dump(store);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['tickets', 'deadlines', 'events', 'ticket_counters', 'settings']));

    // The store half-written when the domain refuses: the error must undo it.
    expect(() =>
      store.transact(() => {
        takeTicketNo(store, 2026);
        const existing = loadTicket(store, 'C2026-00001');
        return recordTicketChange(
          store, existing,
          closeTicket(existing.ticket, { resolution: 'again', fault: null, rootCause: null, action: null, compensationCents: null, compensationKind: null }, at('2026-11-18 10:00'), policy),
          { kind: 'closed', actor: 'clerk1', at: at('2026-11-18 10:00'), recordedAt: at('2026-11-18 10:00'), details: {} },
        );
      }),
    ).toThrow(InvalidTransition);
    expect(dump(store)).toEqual(before);

    // And a log refused after its number was taken does not use the number up.
    expect(() => logOne(store, complaint({ receivedAt: at('2026-11-18 10:00') }), at('2026-11-18 09:00'))).toThrow(/received_after_logged/);
    expect(dump(store)).toEqual(before);
    expect(logOne(store).ticket.no).toBe('C2026-00002');
  });

  it('the events table refuses UPDATE and DELETE', () => {
    const store = freshStore();
    logOne(store);
    expect(() => store.sqlite.prepare("UPDATE events SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(store.sqlite.prepare('SELECT actor FROM events').all()).toEqual([{ actor: 'clerk1' }]);
  });
});

describe('ticket numbers', () => {
  it('run in sequence per year: C2026-00001, C2026-00002, ... and start again each year', () => {
    const store = freshStore();
    const numbers = [1, 2, 3].map(() => logOne(store).ticket.no);
    expect(numbers).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
    expect(store.transact(() => takeTicketNo(store, 2027))).toBe('C2027-00001');
    expect(logOne(store).ticket.no).toBe('C2026-00004');
  });
});

describe('the database file', () => {
  it('is created readable by its owner and group only, in WAL mode with foreign keys on', () => {
    const store = freshStore();
    expect(existsSync(store.path)).toBe(true);
    expect(statSync(store.path).mode & 0o777).toBe(0o660);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2);
  });
});
