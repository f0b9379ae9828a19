import { CannotDo, ComplaintsError } from '../domain/errors.js';
import type { SkippedRange } from '../domain/numbering.js';
import type { NumberingFacts } from './anchor.js';
import { isDiskFull, reasonOf } from './file-errors.js';
import { engineFor, type Placed, type StagedRestore, type Store } from './store.js';
import { appendOfficeEvent, formatTicketNo, type Change } from './tickets.js';

// `complaints restore COPY` (issue 9 §8), in three steps the command drives:
//  1. stageRestore: the copy is checked and rebuilt into a temporary database beside the live one
//     (upgraded if it is older), by the engine.
//  2. skipNumbers: in that database, the counters move past every number a witness knew, and the
//     skipped ranges are recorded as one event, through the one write path, in one transaction.
//  3. putInPlace: the live database is kept aside and the staged one takes its place, by the engine.
// Until step 3 nothing but the temporary database exists; any failure removes it.

export type { StagedRestore, Placed };

export function stageRestore(copy: string, live: string, makeFolder: () => void): Promise<StagedRestore> {
  return engineFor(live).stageRestore(copy, live, makeFolder);
}

/** What the database being replaced knows of its numbering: read-only, and it may be damaged. */
export function readNumberingFacts(live: string): Promise<NumberingFacts> {
  return engineFor(live).readNumberingFacts(live);
}

/** The database being replaced, opened read-only as it is (its -wal stays for the copy kept aside). */
export function openReplaced(live: string): Promise<Store> {
  return engineFor(live).openAsIs(live);
}

/** A free name, beside the live database, to keep it under. */
export function asideName(live: string, now: number): Promise<string> {
  return engineFor(live).asideName(live, now);
}

export function putInPlace(staged: StagedRestore, live: string, aside: string): Promise<Placed> {
  return engineFor(live).putInPlace(staged, live, aside);
}

/** Who restored, when, and what the event says besides the skipped ranges (its kind is fixed). */
export type SkipChange = Omit<Change, 'kind'>;

/**
 * Moves each year's counter past its skipped range and records the ranges as one
 * `numbers_skipped` event (no ticket), chained like every other, in one transaction.
 */
export async function skipNumbers(staged: StagedRestore, skipped: readonly SkippedRange[], change: SkipChange): Promise<void> {
  if (skipped.length === 0) return;
  try {
    await staged.store.transact(async (db) => {
      for (const r of skipped) await db.raiseTicketCounter(r.year, r.to);
      await appendOfficeEvent(db, {
        kind: 'numbers_skipped', actor: change.actor, at: change.at, recordedAt: change.recordedAt,
        details: {
          ...change.details,
          skipped: skipped.map((r) => ({ year: r.year, from: formatTicketNo(r.year, r.from), to: formatTicketNo(r.year, r.to) })),
        },
      });
    });
  } catch (e) {
    throw restoreFailure(e, staged.copy);
  }
}

export function restoreFailure(e: unknown, copy: string): unknown {
  if (e instanceof ComplaintsError) return e;
  if (isDiskFull(e)) return new CannotDo('restore_disk_full', { path: copy });
  return new CannotDo('restore_failed', { path: copy, reason: reasonOf(e) });
}
