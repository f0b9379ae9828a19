import Sqlite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

// Looking at a database file from outside the program, as an auditor with the sqlite3 shell would.

export function openRaw(path: string): Sqlite.Database {
  return new Sqlite(path, { fileMustExist: true });
}

export function withRaw<T>(path: string, fn: (db: Sqlite.Database) => T): T {
  const db = openRaw(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Moves everything from the -wal into the main file, so the main file alone holds the data. */
export function checkpoint(path: string): void {
  withRaw(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
}

/** Hash of the main file and any -wal: equal digests mean byte-for-byte the same database. */
export function fileDigest(path: string): string {
  const h = createHash('sha256').update(readFileSync(path));
  // The last connection to close deletes the WAL, possibly between the look and the read: a WAL that
  // went was empty or checkpointed into the file just read, so it is counted as absent either way.
  if (existsSync(`${path}-wal`)) {
    try {
      h.update(readFileSync(`${path}-wal`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return h.digest('hex');
}

export function integrityCheck(path: string): string {
  return withRaw(path, (db) => (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; '));
}

export function ticketNumbers(path: string): string[] {
  return withRaw(path, (db) => db.prepare('SELECT no FROM tickets ORDER BY no').pluck().all() as string[]);
}

/** C2026-00001 .. C2026-<n>. */
export function sequence(n: number, year = 2026): string[] {
  return Array.from({ length: n }, (_, i) => `C${year}-${String(i + 1).padStart(5, '0')}`);
}
