import type { EventKind } from './model.js';
import type { Ticket } from './ticket.js';

// Personal data outside the clear hash (issue 10 §3; PIPL art. 47: erase on request). The hashed
// event log never holds a value that can identify a person, only a keyed hash of it (a "seal");
// the value itself lives beside the log with the ticket's key, so erasing a person deletes value
// and key and leaves a chain that still verifies. What counts as personal is declared here, once.

/**
 * The ticket's personal fields, as dotted paths. Subject and org stay in clear: the subject is the
 * case's title that reports, lists and the typical-case study read, and org names a company.
 */
export const PERSONAL_TICKET_FIELDS = [
  'complainant.name', 'complainant.phone', 'complainant.email', 'complainant.address',
  'description', 'demand', 'resolution', 'rootCause', 'action', 'survey.comment', 'hold.note',
  // An approver's note or a rejection's reason, as their events seal them (issue 13).
  'approval.note',
] as const;

/** The free text a clerk or handler types with an event, by kind: it can name anyone. */
export const PERSONAL_DETAILS: Partial<Record<EventKind, readonly string[]>> = {
  replied: ['message'],
  noted: ['message'],
  extended: ['reason'],
  closed: ['resolution', 'root_cause', 'action'],
  surveyed: ['comment'],
  callback_failed: ['comment'],
  reopened: ['reason'],
  held: ['note'],
  stage_done: ['note'],
  // Whoever erases may name the person in the reason: it is sealed like the rest.
  personal_data_erased: ['reason'],
  approval_requested: ['resolution', 'root_cause', 'action'],
  approved: ['note'],
  approval_rejected: ['reason'],
};

/** Where a personal value stood: its keyed hash, which the hashed log holds instead. */
export interface Seal {
  $p: string;
}

export function isSeal(value: unknown): value is Seal {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as Seal).$p === 'string' && Object.keys(value).length === 1;
}

/** The keyed hash of one value under the ticket's key (the store computes it: HMAC). */
export type Sealer = (value: string) => string;

/** Seal → value of one ticket; a seal not in it was erased. */
export type PersonalValues = ReadonlyMap<string, string>;

/**
 * A copy of `value` with the value at each of `paths` replaced by `leaf` of it; `value` itself when
 * nothing changed. Objects are copied only where something below them changed.
 */
function mapPaths<T>(value: T, paths: readonly Path[], leaf: (v: unknown) => unknown): T {
  let copy: Record<string, unknown> | null = null;
  for (const { head, rest } of paths) {
    const v = (copy ?? (value as Record<string, unknown>))[head];
    let next: unknown = v;
    if (rest === null) next = leaf(v);
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) next = mapPaths(v, [rest], leaf);
    if (next !== v) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[head] = next;
    }
  }
  return (copy ?? value) as T;
}

/** Each string at `paths` as its seal; each value sealed is added to `sealed` (seal → value) for the store to keep. */
function sealPaths<T>(value: T, paths: readonly Path[], seal: Sealer, sealed: Map<string, string>): T {
  return mapPaths(value, paths, (v) => {
    if (typeof v !== 'string') return v;
    const tag = seal(v);
    sealed.set(tag, v);
    return { $p: tag } satisfies Seal;
  });
}

/** Each seal at `paths` as its value, or null when it was erased. */
function unsealPaths<T>(value: T, paths: readonly Path[], values: PersonalValues): T {
  return mapPaths(value, paths, (v) => (isSeal(v) ? (values.get(v.$p) ?? null) : v));
}

/** A dotted path, split once: its first step and the path below it. */
interface Path {
  head: string;
  rest: Path | null;
}

function splitPath(path: string): Path {
  const dot = path.indexOf('.');
  return dot < 0 ? { head: path, rest: null } : { head: path.slice(0, dot), rest: splitPath(path.slice(dot + 1)) };
}

const TICKET_PATHS: readonly Path[] = PERSONAL_TICKET_FIELDS.map(splitPath);
const DETAIL_PATHS: Partial<Record<EventKind, readonly Path[]>> = Object.fromEntries(
  Object.entries(PERSONAL_DETAILS).map(([kind, fields]) => [kind, fields.map(splitPath)]),
);

export function sealTicket<T extends Partial<Ticket>>(t: T, seal: Sealer, sealed: Map<string, string>): T {
  return sealPaths(t, TICKET_PATHS, seal, sealed);
}

export function unsealTicket(t: Ticket, values: PersonalValues): Ticket {
  return unsealPaths(t, TICKET_PATHS, values);
}

export function sealDetails(kind: EventKind, details: Record<string, unknown>, seal: Sealer, sealed: Map<string, string>): Record<string, unknown> {
  const paths = DETAIL_PATHS[kind];
  return paths === undefined ? details : sealPaths(details, paths, seal, sealed);
}

export function unsealDetails(kind: EventKind, details: Record<string, unknown>, values: PersonalValues): Record<string, unknown> {
  const paths = DETAIL_PATHS[kind];
  return paths === undefined ? details : unsealPaths(details, paths, values);
}

/** Every seal anywhere in a JSON value (a ticket, a payload), for verify. */
export function sealsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value !== 'object' || value === null) return into;
  if (isSeal(value)) {
    into.add(value.$p);
    return into;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) sealsIn(v, into);
  return into;
}
