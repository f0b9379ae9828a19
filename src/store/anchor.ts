import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CannotDo } from '../domain/errors.js';
import { decodePayload } from '../domain/event-payloads.js';
import { mergeLastNumbers } from '../domain/numbering.js';
import { reasonOf } from './file-errors.js';
import type { Db } from './store.js';
import { CHAIN_HEAD_SETTING, hex } from './tickets.js';

// The anchor file (issue 9 §8): every `backup` appends one line to `<database name>.anchor` in the
// copy's folder, e.g. /srv/backup/complaints.db.anchor beside the nightly copies. It is the one
// output that grows instead of being refused when it exists. Each line is one JSON object:
//   {"at":"2026-11-20T17:30:00.000Z","db":"/srv/complaints.db","copy":"/srv/backup/complaints-2026-11-20.db",
//    "origin":"<hash of event 1>","chain_head":{"event":5120,"hash":"<hash>"},"last_numbers":{"2026":1234}}
// `restore` numbers past every `last_numbers` of the database's lines, so even with the live file
// lost, a later night's line keeps that night's receipts from being given again; `chain_head`
// lets a later `verify --against` prove the history was not rewritten since. `origin` tells one
// office's lines from another's when two databases are backed up into one folder.

export interface ChainHead {
  event: number;
  hash: string;
}

/** What a database file knows of its own history and numbering. */
export interface NumberingFacts {
  /** The hash of its first event: shared by every copy of one office's file, unlike any other file's. */
  origin: string | null;
  /**
   * The origin of the release-1 chain the upgrade to storage v2 re-encoded (recorded in its
   * `upgraded` event), or null. Two copies of one office upgraded apart have different origins
   * (each ticket got a random key) but this one in common.
   */
  formerOrigin: string | null;
  chainHead: ChainHead | null;
  /** The last number given in each year ("2026" → 42). */
  lastNumbers: Record<string, number>;
}

export interface Anchor extends NumberingFacts {
  /** When the copy was taken (UTC, ISO 8601). */
  at: string;
  db: string;
  copy: string;
}

/** Where `backup` appends the anchor line for a copy of `database`: beside the copy. */
export function anchorFileFor(copy: string, database: string): string {
  return join(dirname(copy), `${basename(database)}.anchor`);
}

/**
 * Read in one snapshot (call inside `read`). The last numbers are the higher of the counters and
 * the ticket rows, so a file whose counters were damaged still tells what it gave.
 */
export async function numberingFacts(db: Db): Promise<NumberingFacts> {
  const counters = await db.all(db.qb.selectFrom('ticket_counters').select(['year', 'last']));
  const tickets = await db.highestTicketNumbers();
  const byYear = (rows: { year: number; last: number }[]): Record<string, number> =>
    Object.fromEntries(rows.map((r) => [String(r.year), r.last]));
  const first = await db.first(db.qb.selectFrom('events').select('hash').orderBy('id').limit(1));
  return {
    origin: first === undefined ? null : hashText(first.hash),
    formerOrigin: await formerOrigin(db),
    chainHead: await chainHead(db),
    lastNumbers: mergeLastNumbers(byYear(counters), byYear(tickets.map((t) => ({ year: t.year, last: t.seq })))),
  };
}

/** The recorded head of the event chain, or the last event of a file from before it was recorded. */
async function chainHead(db: Db): Promise<ChainHead | null> {
  const recorded = await db.first(db.qb.selectFrom('settings').select('value').where('key', '=', CHAIN_HEAD_SETTING));
  if (recorded !== undefined) {
    try {
      const head = JSON.parse(recorded.value) as { event?: unknown; hash?: unknown };
      if (typeof head.event === 'number' && typeof head.hash === 'string') return { event: head.event, hash: head.hash };
    } catch {
      // A damaged setting: the log itself says where it ends.
    }
  }
  const last = await db.first(db.qb.selectFrom('events').select(['id', 'hash']).orderBy('id', 'desc').limit(1));
  return last ? { event: last.id, hash: hashText(last.hash) } : null;
}

/** The old origin the upgrade to storage v2 recorded, if this file was upgraded. */
async function formerOrigin(db: Db): Promise<string | null> {
  // A release-1 file (a copy the upgrade kept) has no `upgraded` event, and no payload column.
  const row = await db.first(db.qb.selectFrom('events').select('payload').where('kind', '=', 'upgraded').limit(1)).catch(() => undefined);
  if (row === undefined) return null;
  const decoded = decodePayload('upgraded', row.payload);
  return decoded.ok ? (decoded.payload.details.old_origin as string | null) : null;
}

/**
 * Whether two databases' facts (an anchor line's, a copy's) are of one office's history: the rule
 * restore and verify use. A line of an empty database, or compared with one, cannot be told apart.
 */
export function sameHistory(a: Pick<NumberingFacts, 'origin' | 'formerOrigin'>, b: Pick<NumberingFacts, 'origin' | 'formerOrigin'>): boolean {
  if (a.origin === null || b.origin === null || a.origin === b.origin) return true;
  const ours = [a.origin, a.formerOrigin].filter((o) => o !== null);
  return [b.origin, b.formerOrigin].some((o) => o !== null && ours.includes(o));
}

/** A hash as anchor lines write it: hex. A release-1 file (a copy kept by the upgrade) stored it as hex text already. */
function hashText(hash: Uint8Array | string): string {
  return typeof hash === 'string' ? hash : hex(hash);
}

export function formatAnchorLine(a: Anchor): string {
  return JSON.stringify({
    at: a.at, db: a.db, copy: a.copy, origin: a.origin, ...(a.formerOrigin === null ? {} : { former_origin: a.formerOrigin }),
    chain_head: a.chainHead, last_numbers: a.lastNumbers,
  });
}

/** One line as `formatAnchorLine` writes it, or null for anything else. */
export function parseAnchorLine(text: string): Anchor | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.at !== 'string' || typeof r.db !== 'string' || typeof r.copy !== 'string') return null;
  if (r.origin !== null && typeof r.origin !== 'string') return null;
  if (r.former_origin !== undefined && typeof r.former_origin !== 'string') return null;
  const head = r.chain_head as Record<string, unknown> | null;
  if (head !== null && (typeof head !== 'object' || !Number.isSafeInteger(head.event) || typeof head.hash !== 'string')) return null;
  const numbers = r.last_numbers;
  if (typeof numbers !== 'object' || numbers === null || Array.isArray(numbers)) return null;
  const lastNumbers: Record<string, number> = {};
  for (const [year, last] of Object.entries(numbers)) {
    if (!/^\d{4}$/.test(year) || !Number.isSafeInteger(last) || (last as number) < 0) return null;
    lastNumbers[year] = last as number;
  }
  return {
    at: r.at, db: r.db, copy: r.copy, origin: r.origin as string | null, formerOrigin: (r.former_origin as string | undefined) ?? null,
    chainHead: head === null ? null : { event: head.event as number, hash: head.hash as string },
    lastNumbers,
  };
}

/**
 * Every line of an anchor file. A line that is not an anchor line refuses the whole file: it could
 * be the one that knew the highest number.
 */
export function readAnchorFile(path: string): Anchor[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CannotDo('anchor_missing', { path });
    throw new CannotDo('anchor_unreadable', { path, reason: reasonOf(e) });
  }
  const anchors: Anchor[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const anchor = parseAnchorLine(line);
    if (anchor === null) throw new CannotDo('anchor_bad_line', { path, line: i + 1 });
    anchors.push(anchor);
  }
  return anchors;
}
