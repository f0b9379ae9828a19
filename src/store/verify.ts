import { applyCompact, decodePayload, EVENT_FORMAT, type CompactChanges } from '../domain/event-payloads.js';
import { canonicalJson, same } from '../domain/events.js';
import type { MessageParams } from '../domain/errors.js';
import type { EventKind } from '../domain/model.js';
import { DEFAULT_LISTS, DEFAULT_STAGES, findStage, type StageRule } from '../domain/procedure.js';
import type { Duration } from '../domain/sla.js';
import { sealsIn, unsealTicket } from '../domain/personal.js';
import type { Ticket } from '../domain/ticket.js';
import type { MessageKey } from '../messages/index.js';
import { sameHistory, type Anchor } from './anchor.js';
import { CHAIN_HEAD_SETTING, eventHash, GENESIS_HASH, hex } from './event-log.js';
import { sealerFor } from './personal-values.js';
import { loadProcedure, procedureDigest } from './procedure.js';
import type { Selectable } from 'kysely';
import type { DeadlinesTable, TicketsTable } from './schema.js';
import { engineFor, type Db, type Store } from './store.js';
import { deadlineRow, ticketRow } from './ticket-rows.js';
import { formatTicketNo, recordedSkips, type RecordedSkip } from './tickets.js';

// `verify` (SPEC §7, issue 10 §4): the file is sound; the event log is the unbroken hash chain it
// was written as, each event's stored bytes exactly the bytes hashed, each payload what its kind
// holds; every ticket starts with its one `logged` event and its rows are what its events fold to;
// every personal value is the one its seal commits to; the number counters are past every number
// given; and the chain and counters agree with the anchor lines given. Findings carry catalogue
// keys so the command renders them in the user's language.

export type FindingKind = 'integrity' | 'chain' | 'ticket' | 'orphan' | 'counter' | 'anchor' | 'personal';

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
  /** Tickets whose personal data was erased (key and values gone): their seals can no longer be checked, by design. */
  erased: number;
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
  /** Lines of the release-1 chain the upgrade to storage v2 re-encoded: their numbers are checked, and the last one's head against the recorded old head. */
  beforeUpgrade: number;
}

// Tickets are compared a batch at a time so memory stays flat however large the file grows.
const TICKET_BATCH = 500;
// A badly damaged file could otherwise print a line for every event.
const MAX_PROBLEMS = 1000;

/** `anchors`: lines of the anchor file(s) `backup` wrote, to check the chain and counters against. */
export function verifyStore(store: Store, anchors?: readonly Anchor[]): Promise<VerifyReport> {
  // One read transaction: it sees one committed state while clerks keep writing, so a ticket
  // changed mid-check is never mistaken for a disagreement.
  return store.read(async (db) => {
    const problems: Finding[] = [];
    for (const detail of await db.integrityProblems()) problems.push({ kind: 'integrity', key: 'verify_integrity', params: { detail } });
    const chain = await checkChain(db, problems);
    await checkProcedure(db, chain.procedure, problems);
    const tickets = await checkTickets(db, problems);
    await checkOrphans(db, problems);
    // Read once: the counters and the anchor lines are both checked against them.
    const skips = await recordedSkips(db);
    await checkCounters(db, skips, problems);
    const here = (a: Anchor): boolean => store.location !== ':memory:' && engineFor(store.location).sameDatabase(a.db, store.location);
    const anchorCheck = anchors === undefined ? null : await checkAnchors(db, anchors, here, chain.upgrade, skips, problems);
    if (problems.length > MAX_PROBLEMS) {
      const more = problems.length - MAX_PROBLEMS;
      problems.length = MAX_PROBLEMS;
      problems.push({ kind: 'integrity', key: 'verify_more_problems', params: { count: more } });
    }
    return { tickets: tickets.count, erased: tickets.erased, events: chain.events, head: chain.head, problems, anchors: anchorCheck };
  });
}

/** What the `upgraded` event recorded of the release-1 chain, and its own id. */
interface Upgrade {
  event: number;
  oldOrigin: string | null;
  oldHead: { event: number; hash: string } | null;
}

/**
 * The procedure the log vouches for: the newest `procedure_changed` event's version and digest, or
 * before any, the procedure every office starts with under the SLA changes the log recorded
 * (`settings_changed` sla.STAGE.COLUMN, the SLA's audit before it became the stages' own).
 */
interface LoggedProcedure {
  event: number | null;
  version: number;
  digest: string;
}

const SLA_SETTING = /^sla\.([a-z_]+)\.(general|important|major|urgent)$/;

async function checkChain(
  db: Db, problems: Finding[],
): Promise<{ events: number; head: string; upgrade: Upgrade | null; procedure: LoggedProcedure }> {
  let previous: Uint8Array = GENESIS_HASH;
  let previousId: number | null = null;
  let events = 0;
  let first: { id: number; ticketId: number | null; previous: number | null } | null = null;
  let alsoBroken = 0;
  let upgrade: Upgrade | null = null;
  let procedure: LoggedProcedure | null = null;
  let startingStages: readonly StageRule[] = DEFAULT_STAGES;
  const later: { key: MessageKey; id: number; ticketId: number | null; params: MessageParams }[] = [];
  const rows = db.iterate(db.qb.selectFrom('events').selectAll().orderBy('id'));
  for await (const r of rows) {
    events++;
    const kind = r.kind as EventKind;
    const head = { ticketId: r.ticket_id, at: r.at, recordedAt: r.recorded_at, actor: r.actor, kind, format: r.format };
    if (!Buffer.from(eventHash(previous, head, r.payload)).equals(r.hash)) {
      if (rewrittenOnly(previous, head, r.payload, r.hash)) later.push({ key: 'verify_event_reformatted', id: r.id, ticketId: r.ticket_id, params: {} });
      else if (first === null) first = { id: r.id, ticketId: r.ticket_id, previous: previousId };
      else alsoBroken++;
    }
    if (r.format !== EVENT_FORMAT) {
      later.push({ key: 'verify_event_format', id: r.id, ticketId: r.ticket_id, params: { format: r.format, known: EVENT_FORMAT } });
    } else {
      const decoded = decodePayload(kind, r.payload);
      if (!decoded.ok) later.push({ key: 'verify_event_payload', id: r.id, ticketId: r.ticket_id, params: { kind: r.kind, field: decoded.field } });
      else if (kind === 'upgraded') {
        const d = decoded.payload.details as { old_origin: string | null; old_head: Upgrade['oldHead'] };
        upgrade = { event: r.id, oldOrigin: d.old_origin, oldHead: d.old_head };
      } else if (kind === 'settings_changed') {
        const d = decoded.payload.details as { setting: string; after: unknown };
        const sla = SLA_SETTING.exec(d.setting);
        const rule = sla === null ? undefined : findStage(startingStages, sla[1]!);
        if (rule !== undefined) {
          startingStages = startingStages.map((s) => (s === rule ? { ...rule, sla: { ...rule.sla, [sla![2]!]: d.after as Duration } } : s));
        }
      } else if (kind === 'procedure_changed') {
        // Versions count up by one from 1, the procedure every office starts with.
        const d = decoded.payload.details as { version: number; digest: string };
        const previousVersion: number = procedure?.version ?? 1;
        if (d.version !== previousVersion + 1) {
          later.push({ key: 'verify_procedure_version_gap', id: r.id, ticketId: null, params: { version: d.version, previous: previousVersion } });
        }
        procedure = { event: r.id, version: d.version, digest: d.digest };
      } else if (decoded.payload.procedure !== null && decoded.payload.procedure > (procedure?.version ?? 1)) {
        later.push({ key: 'verify_procedure_ahead', id: r.id, ticketId: r.ticket_id, params: { version: decoded.payload.procedure, logged: procedure?.version ?? 1 } });
      }
    }
    // Follow the stored hashes: one edited event is then one finding, not a cascade.
    previous = r.hash;
    previousId = r.id;
  }
  const recorded = await recordedHead(db);
  const head = hex(previous);
  if (recorded !== null && (recorded.event !== previousId || recorded.hash !== head)) {
    problems.push({ kind: 'chain', key: 'verify_chain_head', event: recorded.event, params: { last: previousId ?? '-', head: recorded.event } });
  }
  if (first !== null) {
    const ticket = await ticketLabel(db, first.ticketId);
    problems.push({
      kind: 'chain', key: first.previous === null ? 'verify_chain_hash_first' : 'verify_chain_hash', event: first.id, ...(ticket.no ? { ticket: ticket.no } : {}),
      params: { event: first.id, ticket: ticket.label, previous: first.previous ?? '-' },
    });
    if (alsoBroken > 0) problems.push({ kind: 'chain', key: 'verify_chain_more', params: { count: alsoBroken, event: first.id } });
  }
  for (const f of later.slice(0, MAX_PROBLEMS + 1)) {
    const ticket = await ticketLabel(db, f.ticketId);
    problems.push({
      kind: 'chain', key: f.key, event: f.id, ...(ticket.no ? { ticket: ticket.no } : {}),
      params: { event: f.id, ticket: ticket.label, ...f.params },
    });
  }
  procedure ??= { event: null, version: 1, digest: procedureDigest({ lists: DEFAULT_LISTS, stages: startingStages }) };
  return { events, head, upgrade, procedure };
}

/** The procedure in the tables is the one the log last recorded: same version, same lists and stages. */
async function checkProcedure(db: Db, logged: LoggedProcedure, problems: Finding[]): Promise<void> {
  const stored = await loadProcedure(db);
  if (stored.version !== logged.version) {
    problems.push({ kind: 'chain', key: 'verify_procedure_version', params: { stored: stored.version, logged: logged.version } });
  } else if (procedureDigest(stored) !== logged.digest) {
    problems.push(logged.event === null
      ? { kind: 'chain', key: 'verify_procedure_altered_first', params: {} }
      : { kind: 'chain', key: 'verify_procedure_altered', event: logged.event, params: { version: logged.version, event: logged.event } });
  }
}

/**
 * The stored text re-parses to what was hashed but is not those bytes: spaces added, keys
 * reordered. Still an edit; told apart so the finding says what happened. Off the path of a sound event.
 */
function rewrittenOnly(previous: Uint8Array, head: Parameters<typeof eventHash>[1], payload: string, hash: Uint8Array): boolean {
  try {
    const canonical = canonicalJson(JSON.parse(payload));
    return canonical !== payload && Buffer.from(eventHash(previous, head, canonical)).equals(hash);
  } catch {
    return false;
  }
}

/** The newest event as recorded when it was written. */
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

async function ticketLabel(db: Db, ticketId: number | null): Promise<{ no: string | null; label: string }> {
  if (ticketId === null) return { no: null, label: 'office' };
  const row = await db.first(db.qb.selectFrom('tickets').select('no').where('id', '=', ticketId));
  return row ? { no: row.no, label: row.no } : { no: null, label: `ticket id ${ticketId}` };
}

type TicketRow = Selectable<TicketsTable>;

interface TicketState {
  row: TicketRow;
  folded: Ticket | null;
  events: number;
  /** The seals its events hold since its personal data was last erased (or since it was logged). */
  seals: Set<string>;
  /** Whether a `personal_data_erased` event is in its history. */
  erased: boolean;
}

async function checkTickets(db: Db, problems: Finding[]): Promise<{ count: number; erased: number }> {
  let count = 0;
  let erased = 0;
  let after = 0;
  for (;;) {
    const tickets = await db.all(db.qb.selectFrom('tickets').selectAll().where('id', '>', after).orderBy('id').limit(TICKET_BATCH));
    if (tickets.length === 0) break;
    const lo = tickets[0]!.id;
    const hi = tickets.at(-1)!.id;
    const deadlines = groupBy(await db.all(db.qb.selectFrom('deadlines').selectAll().where('ticket_id', '>=', lo).where('ticket_id', '<=', hi)));
    const values = groupBy(await db.all(db.qb.selectFrom('personal_values').selectAll().where('ticket_id', '>=', lo).where('ticket_id', '<=', hi)));
    const keys = new Map((await db.all(db.qb.selectFrom('personal_keys').selectAll().where('ticket_id', '>=', lo).where('ticket_id', '<=', hi))).map((k) => [k.ticket_id, k.key]));
    const byId = new Map(tickets.map((t) => [t.id, t]));
    let current: TicketState | null = null;
    const finish = (): void => {
      if (current === null) return;
      const personal = new Map((values.get(current.row.id) ?? []).map((v) => [v.seal, v.value]));
      if (current.erased) erased++;
      compareTicket(current, deadlines.get(current.row.id) ?? [], personal, keys.get(current.row.id) ?? null, problems);
      byId.delete(current.row.id);
      current = null;
    };
    const events = db.iterate(
      db.qb.selectFrom('events').select(['id', 'ticket_id', 'kind', 'payload']).where('ticket_id', '>=', lo).where('ticket_id', '<=', hi)
        .orderBy('ticket_id').orderBy('id'),
    );
    for await (const e of events) {
      if (current?.row.id !== e.ticket_id) {
        finish();
        const row = byId.get(e.ticket_id!);
        if (row === undefined) continue; // no ticket row: reported by checkOrphans
        current = { row, folded: null, events: 0, seals: new Set(), erased: false };
        // A ticket is born of its `logged` event: a history that starts otherwise lost its start.
        if (e.kind !== 'logged') {
          problems.push({ kind: 'ticket', key: 'verify_ticket_first_not_logged', event: e.id, ticket: row.no, params: { no: row.no, event: e.id, kind: e.kind } });
        }
      } else if (e.kind === 'logged') {
        // A second `logged` would let a history be started over under the same number.
        problems.push({ kind: 'ticket', key: 'verify_ticket_logged_again', event: e.id, ticket: current.row.no, params: { no: current.row.no, event: e.id } });
      }
      const state = current as TicketState;
      const decoded = decodePayload(e.kind as EventKind, e.payload);
      // An unreadable payload is named by the chain check; the fold goes on without it.
      const changes: CompactChanges = decoded.ok ? decoded.payload.changes : { set: {}, deadlines: {} };
      if (e.kind === 'personal_data_erased') {
        // What was sealed before is gone by design; what is said afterwards must open again.
        state.erased = true;
        state.seals.clear();
      }
      if (decoded.ok) {
        sealsIn(decoded.payload.details, state.seals);
        sealsIn(decoded.payload.changes.set, state.seals);
      }
      state.folded = applyCompact(state.folded, changes);
      state.events++;
    }
    finish();
    // Tickets no event mentions at all.
    for (const row of byId.values()) {
      problems.push({ kind: 'ticket', key: 'verify_ticket_no_events', ticket: row.no, params: { no: row.no } });
    }
    count += tickets.length;
    after = hi;
  }
  return { count, erased };
}

function groupBy<R extends { ticket_id: number }>(rows: readonly R[]): Map<number, R[]> {
  const out = new Map<number, R[]>();
  for (const r of rows) {
    const list = out.get(r.ticket_id);
    if (list) list.push(r);
    else out.set(r.ticket_id, [r]);
  }
  return out;
}

function compareTicket(
  state: TicketState, deadlineRows: readonly DeadlinesTable[], personal: ReadonlyMap<string, string>, key: Uint8Array | null, problems: Finding[],
): void {
  const { row, folded } = state;
  const no = row.no;
  const problem = (k: MessageKey, params: MessageParams, kind: FindingKind = 'ticket'): void =>
    void problems.push({ kind, key: k, ticket: no, params: { no, ...params } });
  if (folded === null) {
    problem('verify_ticket_no_events', {});
    return;
  }
  // After a recorded erasure only what was sealed since may still be kept: anything older restored
  // beside the log (from a copy, by hand) is the erased person again.
  const open = state.erased ? new Map([...personal].filter(([s]) => state.seals.has(s))) : personal;
  if (open.size < personal.size) problem('verify_personal_kept_after_erasure', { count: personal.size - open.size }, 'personal');
  // The row the events say it should be: sealed fields as the fold has them, the search copies in
  // clear (null once erased).
  const expected = ticketRow(folded, unsealTicket(folded, key === null ? new Map() : open)) as unknown as Record<string, unknown>;
  const actual = row as unknown as Record<string, unknown>;
  for (const [column, value] of Object.entries(expected)) {
    if (column === 'rest' || actual[column] === value) continue;
    problem('verify_ticket_column', { column, found: shown(actual[column]), expected: shown(value) });
  }
  if (actual.rest !== expected.rest) {
    let stored: Record<string, unknown> | null = null;
    try {
      stored = JSON.parse(row.rest) as Record<string, unknown>;
    } catch {
      problem('verify_ticket_snapshot', { field: 'rest', found: shown(row.rest), expected: shown(expected.rest) });
    }
    if (stored !== null) {
      const want = JSON.parse(expected.rest as string) as Record<string, unknown>;
      for (const field of [...new Set([...Object.keys(stored), ...Object.keys(want)])].sort()) {
        if (!same(stored[field] ?? null, want[field] ?? null)) {
          problem('verify_ticket_snapshot', { field, found: shown(stored[field] ?? null), expected: shown(want[field] ?? null) });
        }
      }
    }
  }
  const want = new Map(Object.entries(folded.deadlines).map(([k, dl]) => [k, comparable(deadlineRow(row.id, k, dl))]));
  for (const d of deadlineRows) {
    const expectedRow = want.get(d.key);
    const stored = comparable(d);
    if (expectedRow === undefined) problem('verify_ticket_deadline', { key: d.key, found: canonicalJson(stored), expected: 'no such deadline' });
    else if (!same(stored, expectedRow)) problem('verify_ticket_deadline', { key: d.key, found: canonicalJson(stored), expected: canonicalJson(expectedRow) });
    want.delete(d.key);
  }
  for (const [k, expectedRow] of want) problem('verify_ticket_deadline', { key: k, found: 'missing', expected: canonicalJson(expectedRow) });

  // Every seal its events hold must open to a kept value under the ticket's key, except those
  // from before a recorded erasure (values and key deleted together, on purpose).
  if (key === null) {
    if (personal.size > 0) problem('verify_personal_without_key', { count: personal.size }, 'personal');
    else if (state.seals.size > 0) problem('verify_personal_key_missing', { count: state.seals.size }, 'personal');
    return;
  }
  const seal = sealerFor(key);
  for (const s of state.seals) {
    const value = personal.get(s);
    if (value === undefined) problem('verify_personal_missing', { seal: s }, 'personal');
    else if (seal(value) !== s) problem('verify_personal_altered', { seal: s }, 'personal');
  }
}

function comparable(d: DeadlinesTable): Omit<DeadlinesTable, 'ticket_id' | 'key'> {
  const { ticket_id: _t, key: _k, ...rest } = d;
  return rest;
}

async function checkOrphans(db: Db, problems: Finding[]): Promise<void> {
  const rows = await db.all(
    db.qb.selectFrom('events')
      .select((eb) => ['ticket_id', eb.fn.min<number>('id').as('first'), eb.fn.countAll<number>().as('n')])
      .where('ticket_id', 'is not', null)
      .where('ticket_id', 'not in', (sub) => sub.selectFrom('tickets').select('id'))
      .groupBy('ticket_id').orderBy('ticket_id'),
  );
  for (const r of rows) {
    problems.push({ kind: 'orphan', key: 'verify_orphan_events', event: r.first, params: { id: r.ticket_id!, count: Number(r.n), event: r.first } });
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
async function checkCounters(db: Db, skips: readonly RecordedSkip[], problems: Finding[]): Promise<void> {
  const last = await counters(db);
  for (const h of await db.highestTicketNumbers()) {
    const counter = last.get(h.year) ?? 0;
    if (counter < h.seq) {
      const no = formatTicketNo(h.year, h.seq);
      problems.push({ kind: 'counter', key: 'verify_counter_behind_ticket', ticket: no, params: { year: h.year, last: counter, no } });
    }
  }
  for (const skip of skips) {
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
async function checkAnchors(
  db: Db, anchors: readonly Anchor[], isHere: (a: Anchor) => boolean, upgrade: Upgrade | null, skips: readonly RecordedSkip[], problems: Finding[],
): Promise<AnchorCheck> {
  const firstRow = await db.first(db.qb.selectFrom('events').select('hash').orderBy('id').limit(1));
  const origin = firstRow === undefined ? null : hex(firstRow.hash);
  const last = await counters(db);
  const result: AnchorCheck = { checked: 0, otherDatabase: 0, replacedByRestore: 0, beforeUpgrade: 0 };
  // Lines of the release-1 chain are tied to this file only through its `upgraded` event, itself
  // in the file: a line taken since the upgrade must vouch for that event's hash.
  const upgradedChain = upgrade !== null && upgrade.oldOrigin !== null && upgrade.oldOrigin !== origin ? upgrade : null;
  let upgradeVouched = false;
  for (const a of anchors) {
    const line = { at: a.at, copy: a.copy };
    const taken = Date.parse(a.at);
    const head = a.chainHead;
    // A backup taken after the copy a restore brought back saw history the restore replaced: its
    // head names events the restored file never had. The restore recorded itself (numbers_skipped).
    const replaced = (event: number | null): boolean => skips.some((s) => (event === null || event >= s.event) && taken < s.recordedAt);
    if (origin === null || a.origin === null || a.origin === origin) {
      result.checked++;
      if (head !== null && replaced(head.event)) result.replacedByRestore++;
      else if (head !== null) {
        const row = await db.first(db.qb.selectFrom('events').select('hash').where('id', '=', head.event));
        if (row === undefined) {
          problems.push({ kind: 'anchor', key: 'verify_anchor_event_missing', event: head.event, params: { ...line, event: head.event } });
        } else if (hex(row.hash) !== head.hash) {
          problems.push({ kind: 'anchor', key: 'verify_anchor_hash', event: head.event, params: { ...line, event: head.event } });
        } else if (upgradedChain !== null && head.event >= upgradedChain.event) upgradeVouched = true;
      }
    } else if (upgradedChain !== null && a.origin === upgradedChain.oldOrigin) {
      // The release-1 chain: re-encoded away by the upgrade, except its last head, which it recorded.
      result.beforeUpgrade++;
      const old = upgradedChain.oldHead;
      if (head !== null && old !== null && head.event === old.event && head.hash !== old.hash && !replaced(head.event)) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_hash', event: old.event, params: { ...line, event: old.event } });
      }
    } else if (sameHistory(a, { origin, formerOrigin: upgrade?.oldOrigin ?? null }) && replaced(null)) {
      // The same release-1 history upgraded apart, then replaced by a restore (a copy from before
      // the upgrade, upgraded on the way in): only its numbers still speak.
      result.replacedByRestore++;
    } else {
      // Rewriting the log from its very first event changes the origin: a line written for this
      // very file is then not another office's, and says so.
      if (isHere(a)) problems.push({ kind: 'anchor', key: 'verify_anchor_origin', params: { at: a.at, copy: a.copy, db: a.db } });
      else result.otherDatabase++;
      continue;
    }
    for (const [year, given] of Object.entries(a.lastNumbers)) {
      const counter = last.get(Number(year)) ?? 0;
      if (counter < given) {
        problems.push({ kind: 'anchor', key: 'verify_anchor_counter', params: { ...line, year, given: formatTicketNo(Number(year), given), last: counter } });
      }
    }
  }
  if (result.beforeUpgrade > 0 && !upgradeVouched) {
    problems.push({ kind: 'anchor', key: 'verify_anchor_upgrade_unanchored', event: upgradedChain!.event, params: { count: result.beforeUpgrade } });
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
