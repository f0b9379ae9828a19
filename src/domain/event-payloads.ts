import { canonicalJson, same } from './events.js';
import { HOLD_REASONS, SEVERITIES, STATUSES, type EventKind } from './model.js';
import { isSeal, PERSONAL_DETAILS } from './personal.js';
import { isCode } from './procedure.js';
import { deriveStatus, type Deadline, type Ticket } from './ticket.js';

// Events v2 (issue 10 §2). An event's payload is one canonical JSON text, stored and hashed as
// it is: what the user said (`d`, typed per kind), the ticket fields the event set (`s`, their new
// values only: the old ones are the fold of the events before it) and the deadline instances it
// touched (`dl`, only the fields that changed; a new one without its default fields; null when
// removed). The format number is stored and hashed with every event, so a later format can be
// read beside this one and no migration ever has to recompute an existing hash. A ticket event
// written since procedures became data (issue 11) also says which version of the office's
// procedure it was computed under (`p`); one without it predates them.
//
// A list's code (channel, category, reply method...) is checked for its form only: the office's
// lists change, a code once used stays readable, and `verify` reads events without the procedure.

export const EVENT_FORMAT = 2;

export interface CompactChanges {
  set: Record<string, unknown>;
  deadlines: Record<string, Partial<Deadline> | null>;
}

export interface Payload {
  details: Record<string, unknown>;
  changes: CompactChanges;
  /** The procedure version the event was computed under; null before procedures had versions. */
  procedure: number | null;
}

export const NO_CHANGES: CompactChanges = { set: {}, deadlines: {} };

// ---------------------------------------------------------------------------------------------
// What each kind's user input is. Personal fields (personal.ts) may hold a seal instead of text.

type FieldType =
  | 'text' | 'text?' | 'instant' | 'number?' | 'score' | 'json'
  | { codes: readonly string[]; optional?: boolean }
  | 'code' | 'code?' | 'skipped' | 'strings' | 'head?';

const code = (codes: readonly string[]): FieldType => ({ codes });
const codeOrNull = (codes: readonly string[]): FieldType => ({ codes, optional: true });

/** One typed payload per kind: the fields each kind's details carry, and nothing else. */
export const DETAILS_BY_KIND: Record<EventKind, Record<string, FieldType>> = {
  logged: { channel: 'code', severity_given: codeOrNull(SEVERITIES), severity_suggested: code(SEVERITIES) },
  assigned: { unit: 'text', assignee: 'text?' },
  replied: { via: 'code', message: 'text' },
  noted: { message: 'text' },
  extended: { to: 'instant', reason: 'text' },
  closed: {
    resolution: 'text', fault: 'code?', root_cause: 'text?', action: 'text?', compensation: 'number?',
    compensation_kind: 'code?',
  },
  surveyed: { score: 'score', comment: 'text?' },
  callback_failed: { comment: 'text?' },
  reopened: { reason: 'text' },
  held: { reason: code(HOLD_REASONS), note: 'text?' },
  resumed: {},
  deadlines_recomputed: { reason: 'text' },
  settings_changed: { setting: 'text', before: 'json', after: 'json' },
  numbers_skipped: { restored_from: 'text', kept_as: 'text?', anchors: 'strings', replaced_chain_head: 'head?', skipped: 'skipped' },
  upgraded: { from_format: 'score', events: 'score', old_head: 'head?', old_origin: 'text?' },
  personal_data_erased: { reason: 'text' },
  stage_done: { stage: 'code', note: 'text?' },
  procedure_changed: { version: 'score', change: 'text', before: 'json', after: 'json', digest: 'text' },
  people_changed: { change: 'text', login: 'text', before: 'json', after: 'json' },
  units_changed: { change: 'text', unit: 'text', before: 'json', after: 'json' },
  unit_renamed: { from: 'text', to: 'text' },
  // What the close would record, and whose rank its approval needs.
  approval_requested: {
    resolution: 'text', fault: 'code?', root_cause: 'text?', action: 'text?', compensation: 'number?',
    compensation_kind: 'code?', needs: 'code', reasons: 'strings',
  },
  // The approver's rank when approving: the report counts amounts by it.
  approved: { note: 'text?', rank: 'code' },
  approval_rejected: { reason: 'text' },
  personal_data_revealed: { fields: 'strings' },
};

/** Why `details` is not a well-formed `kind` event (the field named), or null. */
export function detailsProblem(kind: EventKind, details: unknown): string | null {
  const spec = DETAILS_BY_KIND[kind];
  if (spec === undefined) return 'kind';
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return 'd';
  const record = details as Record<string, unknown>;
  const personal = PERSONAL_DETAILS[kind] ?? [];
  for (const key of Object.keys(record)) if (!(key in spec)) return key;
  for (const [key, type] of Object.entries(spec)) {
    if (!(key in record)) return key;
    const v = record[key];
    if (personal.includes(key) && isSeal(v)) continue;
    if (!fits(type, v)) return key;
  }
  return null;
}

function fits(type: FieldType, v: unknown): boolean {
  if (typeof type === 'object') return (type.optional === true && v === null) || (typeof v === 'string' && type.codes.includes(v));
  switch (type) {
    case 'text': return typeof v === 'string';
    case 'code': return isCode(v);
    case 'code?': return v === null || isCode(v);
    case 'text?': return v === null || typeof v === 'string';
    case 'instant': return Number.isSafeInteger(v);
    case 'number?': return v === null || (typeof v === 'number' && Number.isFinite(v));
    case 'score': return Number.isSafeInteger(v) && (v as number) >= 0;
    case 'json': return v !== undefined;
    case 'strings': return Array.isArray(v) && v.every((s) => typeof s === 'string');
    case 'head?': return v === null || (typeof v === 'object' && typeof (v as { hash?: unknown }).hash === 'string');
    case 'skipped':
      return Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null
        && Number.isSafeInteger((r as { year?: unknown }).year) && typeof (r as { from?: unknown }).from === 'string'
        && typeof (r as { to?: unknown }).to === 'string');
  }
}

// ---------------------------------------------------------------------------------------------
// The fold: a ticket is the blank ticket with each event's changes applied in turn.

/** What a ticket is before its `logged` event: a logged event sets only what differs from this. */
export const BLANK_TICKET: Ticket = Object.freeze({
  no: '', type: 'complaint', status: 'new', severity: 'general', severitySuggested: 'general', severityReasons: [], urgent: false,
  safety: false, external: false, group: false, channel: 'other', category: 'other', unit: null, assignee: null,
  complainant: { name: null, anonymous: false, phone: null, email: null, address: null, org: null },
  subject: '', description: null, demand: null, amountCents: null, product: null, batch: null, receivedAt: 0,
  customerDue: null, loggedAt: 0, loggedBy: '', cycle: 1, cycleStart: 0, reopenCount: 0, replyCount: 0,
  lastReplyAt: null, closedAt: null, resolution: null, fault: null, rootCause: null, action: null,
  compensationCents: null, compensationKind: null, resolutionMinutes: null, survey: null, callbackAttempts: 0,
  hold: null, pauses: [], approval: null, deadlines: {},
}) as Ticket;

const TICKET_FIELDS = new Set(Object.keys(BLANK_TICKET).filter((f) => f !== 'deadlines'));

/** A new deadline leaves these out when they hold these values. */
const DEADLINE_DEFAULTS: Partial<Deadline> = { clock: 'working', pausable: false, cap: null, agreed: null, doneAt: null, void: false };
const DEADLINE_FIELDS = ['stage', 'cycle', 'start', 'minutes', 'clock', 'pausable', 'cap', 'agreed', 'due', 'doneAt', 'void'] as const;

/**
 * What a new deadline instance is unless its delta says otherwise: the defaults, and the stage and
 * cycle its key names (`resolve.2`, `update.1.3`), so a new deadline stores neither.
 */
function newDeadlineDefaults(key: string): Partial<Deadline> {
  let known = defaultsByKey.get(key);
  if (known === undefined) {
    known = Object.freeze(defaultsOf(key));
    defaultsByKey.set(key, known);
  }
  return known;
}

// Few distinct keys (a stage, a cycle, an update number): each worked out once.
const defaultsByKey = new Map<string, Partial<Deadline>>();

function defaultsOf(key: string): Partial<Deadline> {
  const [stage, cycle] = key.split('.');
  const named = isCode(stage) && Number.isSafeInteger(Number(cycle))
    ? { stage: stage as Deadline['stage'], cycle: Number(cycle) }
    : {};
  return { ...DEADLINE_DEFAULTS, ...named };
}

/** What changed from `before` (null: a new ticket, against the blank one) to `after`. */
export function compactChanges(before: Ticket | null, after: Ticket): CompactChanges {
  const from = before ?? BLANK_TICKET;
  const set: Record<string, unknown> = {};
  for (const field of TICKET_FIELDS) {
    const value = (after as unknown as Record<string, unknown>)[field];
    if (!same((from as unknown as Record<string, unknown>)[field], value)) set[field] = value;
  }
  // The status follows from the facts (ticket.ts deriveStatus): stored only where it does not.
  delete set.status;
  if (after.status !== deriveStatus(after)) set.status = after.status;
  const deadlines: CompactChanges['deadlines'] = {};
  for (const key of new Set([...Object.keys(from.deadlines), ...Object.keys(after.deadlines)])) {
    const old = from.deadlines[key];
    const now = after.deadlines[key];
    // The lifecycle carries a deadline it did not touch over as the same object.
    if (old === now) continue;
    if (now === undefined) {
      deadlines[key] = null;
      continue;
    }
    const delta = deadlineDelta(key, old, now);
    if (delta !== null) deadlines[key] = delta;
  }
  return { set, deadlines };
}

/** The fields of deadline `key` that changed from `old` (undefined: it is new), or null if none did. */
export function deadlineDelta(key: string, old: Deadline | undefined, now: Deadline): Partial<Deadline> | null {
  const delta: Record<string, unknown> = {};
  const defaults = old ?? newDeadlineDefaults(key);
  for (const f of DEADLINE_FIELDS) {
    if (f in defaults && same(defaults[f], now[f])) continue;
    delta[f] = now[f];
  }
  return Object.keys(delta).length > 0 ? (delta as Partial<Deadline>) : null;
}

export function isEmpty(c: CompactChanges): boolean {
  return Object.keys(c.set).length === 0 && Object.keys(c.deadlines).length === 0;
}

/** The fold step: the ticket after an event (null `before`: from the blank ticket). */
export function applyCompact(before: Ticket | null, c: CompactChanges): Ticket {
  const from = before ?? BLANK_TICKET;
  const next = { ...from, ...c.set, deadlines: { ...from.deadlines } } as Ticket;
  next.status = (c.set.status as Ticket['status'] | undefined) ?? deriveStatus(next);
  for (const [key, delta] of Object.entries(c.deadlines)) {
    if (delta === null) delete next.deadlines[key];
    else next.deadlines[key] = { ...(next.deadlines[key] ?? newDeadlineDefaults(key)), ...delta } as Deadline;
  }
  return next;
}

export function foldPayloads(changes: Iterable<CompactChanges>): Ticket | null {
  let t: Ticket | null = null;
  for (const c of changes) t = applyCompact(t, c);
  return t;
}

// ---------------------------------------------------------------------------------------------
// The stored text.

/** The payload as stored and hashed: canonical JSON, empty parts left out. */
export function encodePayload(details: Record<string, unknown>, changes: CompactChanges = NO_CHANGES, procedure: number | null = null): string {
  const body: Record<string, unknown> = { d: details };
  if (procedure !== null) body.p = procedure;
  if (Object.keys(changes.set).length > 0) body.s = changes.set;
  if (Object.keys(changes.deadlines).length > 0) body.dl = changes.deadlines;
  return canonicalJson(body);
}

export type Decoded = { ok: true; payload: Payload } | { ok: false; field: string };

/** Reads a stored payload back, checking it is what a `kind` event holds. */
export function decodePayload(kind: EventKind, text: string): Decoded {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, field: 'payload' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, field: 'payload' };
  const { d, s = {}, dl = {}, p = null, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return { ok: false, field: extra };
  if (p !== null && !(Number.isSafeInteger(p) && (p as number) >= 1)) return { ok: false, field: 'p' };
  const problem = detailsProblem(kind, d);
  if (problem !== null) return { ok: false, field: `d.${problem}` };
  const setProblem = setFieldProblem(s);
  if (setProblem !== null) return { ok: false, field: `s.${setProblem}` };
  const dlProblem = deadlinesProblem(dl);
  if (dlProblem !== null) return { ok: false, field: `dl.${dlProblem}` };
  return {
    ok: true,
    payload: { details: d as Record<string, unknown>, changes: { set: s as Record<string, unknown>, deadlines: dl as CompactChanges['deadlines'] }, procedure: p as number | null },
  };
}

function setFieldProblem(s: unknown): string | null {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return '';
  const record = s as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (!TICKET_FIELDS.has(field)) return field;
    const v = record[field];
    if (field === 'status' && !(STATUSES as readonly unknown[]).includes(v)) return field;
    if ((field === 'severity' || field === 'severitySuggested') && !(SEVERITIES as readonly unknown[]).includes(v)) return field;
    if ((field === 'channel' || field === 'category' || field === 'type') && !isCode(v)) return field;
  }
  return null;
}

function deadlinesProblem(dl: unknown): string | null {
  if (typeof dl !== 'object' || dl === null || Array.isArray(dl)) return '';
  for (const [key, delta] of Object.entries(dl as Record<string, unknown>)) {
    if (delta === null) continue;
    if (typeof delta !== 'object' || Array.isArray(delta)) return key;
    for (const [f, v] of Object.entries(delta as Record<string, unknown>)) {
      if (!(DEADLINE_FIELDS as readonly string[]).includes(f)) return `${key}.${f}`;
      if (f === 'stage' && !isCode(v)) return `${key}.${f}`;
    }
  }
  return null;
}
