import type { EventKind } from './model.js';
import type { Ticket } from './ticket.js';
import type { Instant } from './time.js';

/** Field → [before, after]. Deadlines are diffed one instance at a time (`deadlines.resolve.1`). */
export type Changes = Record<string, [unknown, unknown]>;

export interface TicketEvent {
  at: Instant;
  actor: string;
  kind: EventKind;
  /** What the user said: the message, channel, reason, score... */
  details: Record<string, unknown>;
  changes: Changes;
}

const DEADLINE_PREFIX = 'deadlines.';

/** JSON with object keys sorted, so equal values always serialise (and hash) the same. */
export function canonicalJson(value: unknown): string {
  // Written out rather than a JSON.stringify replacer: this runs for every event (diff and hash),
  // and the replacer's per-key callbacks and temporary objects tripled its cost.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Deep equality of JSON values, key order ignored (snapshots read back from the file may differ in order). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => same(v, other[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The before → after of every field that differs; `before` null means the ticket is new. */
export function diffTickets(before: Ticket | null, after: Ticket): Changes {
  const changes: Changes = {};
  for (const [field, value] of Object.entries(after)) {
    if (field === 'deadlines') continue;
    const old = before === null ? null : (before as unknown as Record<string, unknown>)[field];
    if (before === null || !same(old, value)) changes[field] = [old ?? null, value];
  }
  const keys = new Set([...Object.keys(before?.deadlines ?? {}), ...Object.keys(after.deadlines)]);
  for (const key of keys) {
    const old = before?.deadlines[key] ?? null;
    const now = after.deadlines[key] ?? null;
    if (!same(old, now)) changes[DEADLINE_PREFIX + key] = [old, now];
  }
  return changes;
}

/** Applies an event's changes to the snapshot: the fold step. */
export function applyChanges(before: Ticket | null, changes: Changes): Ticket {
  const next: Record<string, unknown> = before === null ? { deadlines: {} } : { ...before, deadlines: { ...before.deadlines } };
  const deadlines = next.deadlines as Record<string, unknown>;
  for (const [field, [, after]] of Object.entries(changes)) {
    if (field.startsWith(DEADLINE_PREFIX)) {
      const key = field.slice(DEADLINE_PREFIX.length);
      if (after === null) delete deadlines[key];
      else deadlines[key] = after;
    } else {
      next[field] = after;
    }
  }
  return next as unknown as Ticket;
}

/** Where an event's recorded `before` disagrees with the state it was applied to, for `verify`. */
export function staleBefore(before: Ticket | null, changes: Changes): string | null {
  for (const [field, [old]] of Object.entries(changes)) {
    const actual = field.startsWith(DEADLINE_PREFIX)
      ? (before?.deadlines[field.slice(DEADLINE_PREFIX.length)] ?? null)
      : before === null ? null : ((before as unknown as Record<string, unknown>)[field] ?? null);
    if (!same(actual, old)) return field;
  }
  return null;
}

/** git-bug's Compile(): the ticket is its events applied in order. */
export function foldEvents(events: readonly Pick<TicketEvent, 'changes'>[]): Ticket | null {
  let t: Ticket | null = null;
  for (const e of events) t = applyChanges(t, e.changes);
  return t;
}
