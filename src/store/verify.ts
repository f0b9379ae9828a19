import { applyChanges, canonicalJson, staleBefore, type Changes } from '../domain/events.js';
import type { Deadline, Ticket } from '../domain/ticket.js';
import type { MessageParams } from '../domain/errors.js';
import type { MessageKey } from '../messages/index.js';
import { engineFor, type Db, type Store } from './store.js';
import type { DeadlinesTable, EventsTable, TicketsTable } from './schema.js';
import type { Anchor } from './anchor.js';
import {
  CHAIN_HEAD_SETTING, eventHash, formatTicketNo, GENESIS_HASH, recordedSkips, storedEventHash, ticketRow, toStoredEvent,
} from './tickets.js';

// `verify` (SPEC §7, issue 10 §4): the file is sound, the event log is the unbroken hash chain it
// was written as (each event's stored text exactly the text hashed), every ticket starts with its
// one `logged` event and its row (the excerpt) is what its events fold to, the number counters are
// past every number given, and the chain and counters agree with the anchor lines given. Findings
// carry catalogue keys so the command renders them in the user's language.

export type FindingKind = 'integrity' | 'chain' | 'ticket' | 'orphan' | 'counter' | 'anchor' | 'file_mode';

export interface Finding {
  kind: FindingKind;
  key: MessageKey;
  params: MessageParams;
  event?: number;
  ticket?: string;
}

export interface VerifyReport {
  tickets: number;
  events: number;
  /** The hash of the last event: written down (or kept with a backup), it anchors the whole chain. */
  head: string;
  problems: Finding[];
  /** What the anchor lines given to `verifyStore` were checked against; null when none were given. */
  anchors: AnchorCheck | null;
}

export interface AnchorCheck {
  /** Lines of this database, each checked. */
  checked: number;
  /** Lines whose origin is another database's (another office backed up into the same folder). */
  otherDatabase: number;
  /** Lines of history a `restore` replaced (taken after the restored copy): their numbers are checked, their chain head cannot be. */
  replacedByRestore: number;
}

// Tickets are compared a batch at a time so memory stays flat however large the file grows.
const TICKET_BATCH = 500;
// A badly damaged file could otherwise print a line for every event.
const MAX_PROBLEMS = 1000;

/** `anchors`: lines of the anchor file(s) `backup` wrote, to check the chain and counters against. */
export function verifyStore(store: Store, anchors?: readonly Anchor[]): Promise<VerifyReport> {
  // One read snapshot: it sees one committed state while clerks keep writing, so a ticket changed
  // mid-check is never mistaken for a disagreement.
  return store.read(async (db) => {
    const problems: Finding[] = [];
    for (const detail of await db.integrityProblems()) problems.push({ kind: 'integrity', key: 'verify_integrity', params: { detail } });
    const chain = await checkChain(db, problems);
    const tickets = await checkTickets(db, problems);
    await checkOrphans(db, problems);
    await checkCounters(db, problems);
    const here = (a: Anchor): boolean => store.location !== ':memory:' && engineFor(store.location).sameDatabase(a.db, store.location);
    const anchorCheck = anchors === undefined ? null : await checkAnchors(db, anchors, here, problems);
    if (problems.length > MAX_PROBLEMS) {
      const more = problems.length - MAX_PROBLEMS;
      problems.length = MAX_PROBLEMS;
      problems.push({ kind: 'integrity', key: 'verify_more_problems', params: { count: more } });
    }
    return { tickets, events: chain.events, head: chain.head, problems, anchors: anchorCheck };
  });
}

type EventRow = Omit<EventsTable, 'id'> & { id: number };

async function checkChain(db: Db, problems: Finding[]): Promise<{ events: number; head: string }> {
  let expectedPrev = GENESIS_HASH;
  let previousId: number | null = null;
  let events = 0;
  let first: { id: number; ticketId: number | null; key: MessageKey; previous: number | null } | null = null;
  let alsoBroken = 0;
  const reformatted: { id: number; ticketId: number | null }[] = [];
  for await (const r of db.iterate(db.qb.selectFrom('events').selectAll().orderBy('id'))) {
    events++;
    let broken: MessageKey | null = null;
    if (r.prev_hash !== expectedPrev) {
      broken = 'verify_chain_link';
    } else if (storedEventHash(r) !== r.hash) {
      // Every event is hashed from the very text stored (tickets.ts insertEvent). Text that only
      // re-parses to the hashed content was still edited: spaces added to a message, keys
      // reordered. Parsed only here, off the path of a sound event.
      if (safeHash(r) === r.hash) reformatted.push({ id: r.id, ticketId: r.ticket_id });
      else broken = 'verify_chain_hash';
    }
    if (broken !== null) {
      if (first === null) first = { id: r.id, ticketId: r.ticket_id, key: broken, previous: previousId };
      else alsoBroken++;
    }
    // Follow the stored links: one edited event is then one finding, not a cascade.
    expectedPrev = r.hash;
    previousId = r.id;
  }
  const recorded = await recordedHead(db);
  if (recorded !== null && (recorded.event !== previousId || recorded.hash !== expectedPrev)) {
    problems.push({
      kind: 'chain', key: 'verify_chain_head', event: recorded.event,
      params: { last: previousId ?? '-', head: recorded.event },
    });
  }
  if (first !== null) {
    const ticket = await ticketLabel(db, first.ticketId);
    problems.push({
      kind: 'chain', key: first.key, event: first.id, ...(ticket.no ? { ticket: ticket.no } : {}),
      params: { event: first.id, ticket: ticket.label, previous: first.previous ?? '-' },
    });
    if (alsoBroken > 0) {
      problems.push({ kind: 'chain', key: 'verify_chain_more', params: { count: alsoBroken, event: first.id } });
    }
  }
  for (const r of reformatted.slice(0, MAX_PROBLEMS + 1)) {
    const ticket = await ticketLabel(db, r.ticketId);
    problems.push({
      kind: 'chain', key: 'verify_event_reformatted', event: r.id, ...(ticket.no ? { ticket: ticket.no } : {}),
      params: { event: r.id, ticket: ticket.label },
    });
  }
  return { events, head: expectedPrev };
}

/** The newest event as recorded when it was written; absent in files from before it was kept. */
async function recordedHead(db: Db): Promise<{ event: number; hash: string } | null> {
  const row = await db.first(db.qb.selectFrom('settings').select('value').where('key', '=', CHAIN_HEAD_SETTING));
  if (row === undefined) return null;
  try {
    const head = JSON.parse(row.value) as { event?: unknown; hash?: unknown };
    return { event: Number(head.event), hash: String(head.hash) };
  } catch {
    return { event: NaN, hash: '' };
  }
}

/** The hash of the row's content however its JSON is written: tells a re-spaced event from one whose content changed. */
function safeHash(r: EventRow): string | null {
  try {
    return eventHash(r.prev_hash, toStoredEvent(r));
  } catch {
    return null;
  }
}

async function ticketLabel(db: Db, ticketId: number | null): Promise<{ no: string | null; label: string }> {
  if (ticketId === null) return { no: null, label: 'office settings' };
  const row = await db.first(db.qb.selectFrom('tickets').select('no').where('id', '=', ticketId));
  return row ? { no: row.no, label: row.no } : { no: null, label: `ticket id ${ticketId}` };
}

type TicketRow = Omit<TicketsTable, 'id'> & { id: number };

async function checkTickets(db: Db, problems: Finding[]): Promise<number> {
  let count = 0;
  let after = 0;
  for (;;) {
    const tickets: TicketRow[] = await db.all(db.qb.selectFrom('tickets').selectAll().where('id', '>', after).orderBy('id').limit(TICKET_BATCH));
    if (tickets.length === 0) break;
    const lo = tickets[0]!.id;
    const hi = tickets.at(-1)!.id;
    const deadlines = new Map<number, DeadlinesTable[]>();
    for (const d of await db.all(db.qb.selectFrom('deadlines').selectAll().where('ticket_id', '>=', lo).where('ticket_id', '<=', hi))) {
      const list = deadlines.get(d.ticket_id) ?? [];
      list.push(d);
      deadlines.set(d.ticket_id, list);
    }
    const byId = new Map(tickets.map((t) => [t.id, t]));
    let current: { row: TicketRow; folded: Ticket | null; events: number } | null = null;
    const finish = (): void => {
      if (current === null) return;
      compareTicket(current.row, current.folded, current.events, deadlines.get(current.row.id) ?? [], problems);
      byId.delete(current.row.id);
      current = null;
    };
    const rows = db.iterate(db.qb.selectFrom('events').select(['id', 'ticket_id', 'kind', 'changes'])
      .where('ticket_id', '>=', lo).where('ticket_id', '<=', hi).$narrowType<{ ticket_id: number }>().orderBy('ticket_id').orderBy('id'));
    for await (const e of rows) {
      if (current?.row.id !== e.ticket_id) {
        finish();
        const row = byId.get(e.ticket_id);
        if (row === undefined) continue; // no ticket row: reported by checkOrphans
        current = { row, folded: null, events: 0 };
        // A ticket is born of its `logged` event: a history that starts otherwise lost its start.
        if (e.kind !== 'logged') {
          problems.push({
            kind: 'ticket', key: 'verify_ticket_first_not_logged', event: e.id, ticket: row.no,
            params: { no: row.no, event: e.id, kind: e.kind },
          });
        }
      } else if (e.kind === 'logged') {
        // A second `logged` would let a history be started over under the same number.
        problems.push({
          kind: 'ticket', key: 'verify_ticket_logged_again', event: e.id, ticket: current.row.no,
          params: { no: current.row.no, event: e.id },
        });
      }
      let changes: Changes;
      try {
        changes = JSON.parse(e.changes) as Changes;
      } catch {
        changes = {};
      }
      const stale = staleField(current.folded, changes);
      if (stale !== null) {
        problems.push({
          kind: 'ticket', key: 'verify_event_stale', event: e.id, ticket: current.row.no,
          params: { event: e.id, ticket: current.row.no, field: stale },
        });
      }
      current.folded = applyChanges(current.folded, changes);
      current.events++;
    }
    finish();
    // Tickets no event mentions at all.
    for (const row of byId.values()) compareTicket(row, null, 0, deadlines.get(row.id) ?? [], problems);
    count += tickets.length;
    after = hi;
  }
  return count;
}

function compareTicket(row: TicketRow, folded: Ticket | null, events: number, deadlineRows: DeadlinesTable[], problems: Finding[]): void {
  const no = row.no;
  const problem = (key: MessageKey, params: MessageParams): void => void problems.push({ kind: 'ticket', key, ticket: no, params: { no, ...params } });
  if (folded === null || events === 0) {
    problem('verify_ticket_no_events', {});
    return;
  }
  const expected = ticketRow(folded) as unknown as Record<string, unknown>;
  const actual = row as unknown as Record<string, unknown>;
  for (const [column, value] of Object.entries(expected)) {
    if (column === 'snapshot') continue;
    if (actual[column] !== value) problem('verify_ticket_column', { column, found: shown(actual[column]), expected: shown(value) });
  }
  let snapshot: Record<string, unknown> | null = null;
  try {
    snapshot = JSON.parse(row.snapshot) as Record<string, unknown>;
  } catch {
    problem('verify_ticket_snapshot', { field: 'snapshot', found: shown(row.snapshot), expected: 'a ticket' });
  }
  if (snapshot !== null && !jsonEqual(snapshot, folded) && canonicalJson(snapshot) !== canonicalJson(folded)) {
    const f = folded as unknown as Record<string, unknown>;
    const fields = new Set([...Object.keys(snapshot), ...Object.keys(f)]);
    for (const field of [...fields].sort()) {
      if (canonicalJson(snapshot[field] ?? null) !== canonicalJson(f[field] ?? null)) {
        problem('verify_ticket_snapshot', { field, found: shown(snapshot[field] ?? null), expected: shown(f[field] ?? null) });
      }
    }
  }
  const want = new Map(Object.entries(folded.deadlines).map(([key, dl]) => [key, deadlineRow(dl)]));
  for (const d of deadlineRows) {
    const expectedRow = want.get(d.key);
    const stored = { stage: d.stage, cycle: d.cycle, due: d.due, done_at: d.done_at, void: d.void, clock: d.clock };
    if (expectedRow === undefined) problem('verify_ticket_deadline', { key: d.key, found: canonicalJson(stored), expected: 'no such deadline' });
    else if (!jsonEqual(stored, expectedRow)) problem('verify_ticket_deadline', { key: d.key, found: canonicalJson(stored), expected: canonicalJson(expectedRow) });
    want.delete(d.key);
  }
  for (const [key, expectedRow] of want) problem('verify_ticket_deadline', { key, found: 'missing', expected: canonicalJson(expectedRow) });
}

/**
 * events.ts staleBefore() with a structural comparison instead of serialising both sides: the
 * same verdict as comparing canonicalJson, at a fraction of the cost over a whole event log.
 */
function staleField(before: Ticket | null, changes: Changes): string | null {
  for (const [field, [old]] of Object.entries(changes)) {
    const actual = field.startsWith('deadlines.')
      ? (before?.deadlines[field.slice('deadlines.'.length)] ?? null)
      : before === null ? null : ((before as unknown as Record<string, unknown>)[field] ?? null);
    if (!jsonEqual(actual, old ?? null) && staleBefore(before, { [field]: [old, null] }) !== null) return field;
  }
  return null;
}

/** Equal as JSON values, object key order aside (what equal canonicalJson means). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

function deadlineRow(dl: Deadline): Omit<DeadlinesTable, 'ticket_id' | 'key'> {
  return { stage: dl.stage, cycle: dl.cycle, due: dl.due, done_at: dl.doneAt, void: dl.void ? 1 : 0, clock: dl.clock };
}

async function checkOrphans(db: Db, problems: Finding[]): Promise<void> {
  const rows = await db.all(db.qb.selectFrom('events')
    .select((eb) => ['ticket_id', eb.fn.min('id').as('first'), eb.fn.countAll<number>().as('n')])
    .where('ticket_id', 'is not', null)
    .$narrowType<{ ticket_id: number }>()
    .where('ticket_id', 'not in', (sub) => sub.selectFrom('tickets').select('id'))
    .groupBy('ticket_id').orderBy('ticket_id'));
  for (const r of rows) {
    problems.push({ kind: 'orphan', key: 'verify_orphan_events', event: r.first, params: { id: r.ticket_id, count: r.n, event: r.first } });
  }
}

async function counters(db: Db): Promise<Map<number, number>> {
  const rows = await db.all(db.qb.selectFrom('ticket_counters').select(['year', 'last']));
  return new Map(rows.map((r) => [r.year, r.last]));
}

/**
 * Each year's counter must stand at or past every number given: a counter set back would give a
 * number already read to a complainant to someone else. Numbers a restore skipped count as given
 * (someone may hold one), though no ticket bears them.
 */
async function checkCounters(db: Db, problems: Finding[]): Promise<void> {
  const last = await counters(db);
  for (const h of await db.highestTicketNumbers()) {
    const counter = last.get(h.year) ?? 0;
    if (counter < h.seq) {
      const no = formatTicketNo(h.year, h.seq);
      problems.push({ kind: 'counter', key: 'verify_counter_behind_ticket', ticket: no, params: { year: h.year, last: counter, no } });
    }
  }
  for (const skip of await recordedSkips(db)) {
    for (const r of skip.ranges) {
      const counter = last.get(r.year) ?? 0;
      if (counter < r.to) {
        problems.push({
          kind: 'counter', key: 'verify_counter_behind_skip', event: skip.event,
          params: { year: r.year, last: counter, event: skip.event, to: formatTicketNo(r.year, r.to) },
        });
      }
    }
  }
}

/**
 * Each anchor line of this database vouches for the chain up to its head and for the numbers
 * given by then. An insider who edited an event and computed every later hash again leaves a
 * chain that passes on its own; the anchored event's hash, kept outside the file, then differs.
 */
/** `isHere`: whether an anchor line was written for this very database (by its location). */
async function checkAnchors(db: Db, anchors: readonly Anchor[], isHere: (a: Anchor) => boolean, problems: Finding[]): Promise<AnchorCheck> {
  const origin = (await db.first(db.qb.selectFrom('events').select('hash').orderBy('id').limit(1)))?.hash;
  const last = await counters(db);
  const skips = await recordedSkips(db);
  const result: AnchorCheck = { checked: 0, otherDatabase: 0, replacedByRestore: 0 };
  for (const a of anchors) {
    // The rule restore uses: a line of an empty database, or checked against one, cannot be told apart.
    if (origin !== undefined && a.origin !== null && a.origin !== origin) {
      // Rewriting the log from its very first event changes the origin too: a line written for
      // this very file is then not another office's, and says so.
      if (isHere(a)) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_origin', params: { at: a.at, copy: a.copy, db: a.db } });
      } else result.otherDatabase++;
      continue;
    }
    result.checked++;
    const line = { at: a.at, copy: a.copy };
    const head = a.chainHead;
    // A backup taken after the copy a restore brought back saw history the restore replaced: its
    // head names events the restored file never had. The restore recorded itself (numbers_skipped).
    const taken = Date.parse(a.at);
    const replaced = head !== null && skips.some((s) => head.event >= s.event && taken < s.recordedAt);
    if (replaced) result.replacedByRestore++;
    else if (head !== null) {
      const hash = (await db.first(db.qb.selectFrom('events').select('hash').where('id', '=', head.event)))?.hash;
      if (hash === undefined) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_event_missing', event: head.event, params: { ...line, event: head.event } });
      } else if (hash !== head.hash) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_hash', event: head.event, params: { ...line, event: head.event } });
      }
    }
    for (const [year, given] of Object.entries(a.lastNumbers)) {
      const counter = last.get(Number(year)) ?? 0;
      if (counter < given) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_counter', params: { ...line, year, given: formatTicketNo(Number(year), given), last: counter } });
      }
    }
  }
  return result;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The database's files that other users of the machine could read. */
export function openToOthers(location: string): { path: string; mode: string }[] {
  return engineFor(location).openToOthers(location);
}
