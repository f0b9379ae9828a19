import Sqlite from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CannotDo } from '../../domain/errors.js';
import type { Engine, OpenOptions, Store } from '../store.js';
import { openCopy, SqliteConnection, SqliteStore } from './connection.js';
import { translateSqliteError } from './errors.js';
import { handCompanionsBack, inspectFile, makeDatabaseFolder, prepareNewFile, realDatabasePath, whyNotReadable, whyNotWritable } from './file.js';
import { checkReadableVersion, migrate } from './migrations.js';

// SQLite as an engine of the Store: one file, opened with every check the office relies on.

// Several clerks and cron share the file: wait this long for a writer before giving up.
export const BUSY_TIMEOUT_MS = 5000;

/** COMPLAINTS_BUSY_TIMEOUT_MS overrides the wait (a slow shared disk, or a test that wants it short). */
export function busyTimeoutFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.COMPLAINTS_BUSY_TIMEOUT_MS?.trim();
  const ms = raw && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(ms) ? ms : BUSY_TIMEOUT_MS;
}

async function openDatabase(path: string, options: OpenOptions): Promise<Store> {
  if (path === ':memory:') return openConnection(path, { readOnly: false, isNew: false }, options);
  const found = inspectFile(path);
  if (found.kind !== 'database') {
    if (options.create === false) throw new CannotDo('no_database', { path });
    prepareNewFile(path, found);
    return openConnection(path, { readOnly: false, isNew: true }, options);
  }
  const blocked = whyNotWritable(path);
  if (blocked === null) return openConnection(path, { readOnly: false, isNew: false }, options);
  if ((options.access ?? 'write') === 'write') throw blocked;
  const folderBlocked = whyNotReadable(path);
  if (folderBlocked) throw folderBlocked;
  return openConnection(path, { readOnly: true, isNew: false }, options);
}

async function openConnection(path: string, mode: { readOnly: boolean; isNew: boolean }, options: OpenOptions): Promise<Store> {
  const { readOnly, isNew } = mode;
  let sqlite: Sqlite.Database;
  try {
    sqlite = new Sqlite(path, { timeout: options.busyTimeoutMs ?? busyTimeoutFrom(process.env), readonly: readOnly, fileMustExist: readOnly });
    // Before anything is written to it (the journal mode is in the header).
    if (!isNew && isSomeoneElses(sqlite)) {
      sqlite.close();
      throw new CannotDo('db_not_complaints', { path });
    }
    // A read-only connection must not change the file: the journal mode is the writers' business.
    if (!readOnly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // The file holds personal data: what an update or delete frees is zeroed where that costs no
    // extra I/O (the page is written anyway), so an erased person does not linger in free space
    // left by the ticket's earlier changes. An erasure itself zeroes everything (connection.ts scrubbing).
    sqlite.pragma('secure_delete = FAST');
  } catch (e) {
    throw translateSqliteError(e, path, readOnly);
  }
  const store = new SqliteStore(path, new SqliteConnection(sqlite), readOnly);
  try {
    if (readOnly) {
      checkReadableVersion(store, options);
      handCompanionsBack(path);
    } else {
      await migrate(store, options);
    }
  } catch (e) {
    sqlite.close();
    throw translateSqliteError(e, path, readOnly);
  }
  if (isNew) options.onCreate?.(path);
  return store;
}

/**
 * An SQLite file with tables but no schema version of ours (another program's): never add our
 * tables to it. One statement, one snapshot: a first clerk may be creating our tables right now.
 */
function isSomeoneElses(sqlite: Sqlite.Database): boolean {
  const row = sqlite.prepare('SELECT (SELECT user_version FROM pragma_user_version) AS version, EXISTS (SELECT 1 FROM sqlite_schema) AS tables').get() as { version: number; tables: number };
  return row.version === 0 && row.tables === 1;
}

export const sqliteEngine: Engine = {
  name: 'sqlite',
  open: openDatabase,
  explainError: translateSqliteError,
  prepareLocation: (path, mode) => makeDatabaseFolder(dirname(path), mode),
  sameDatabase: (a, b) => realDatabasePath(a) === realDatabasePath(b),
  openToOthers(path) {
    const found: { path: string; mode: string }[] = [];
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) continue;
      const mode = statSync(file).mode & 0o777;
      if (mode & 0o006) found.push({ path: file, mode: mode.toString(8).padStart(4, '0') });
    }
    return found;
  },
  async readNumberingFacts(path) {
    const { numberingFacts } = await import('../anchor.js');
    const store = openCopy(path);
    try {
      return await store.read(numberingFacts);
    } finally {
      await store.close();
    }
  },
  // Read-only where a -wal is there (it stays, for the copy kept aside); else read-write, so that
  // closing removes the -wal and -shm the look made and a refused command leaves no file behind.
  openAsIs: async (path) => (existsSync(`${path}-wal`)
    ? openCopy(path)
    : new SqliteStore(path, new SqliteConnection(new Sqlite(path, { fileMustExist: true })), true, false)),
  // Restoring is rare: its code loads only when asked for.
  stageRestore: async (copy, live, makeFolder) => (await import('./restore-files.js')).stageRestore(copy, live, makeFolder),
  asideName: async (live, now) => (await import('./restore-files.js')).asideName(live, now),
  putInPlace: async (staged, live, aside) => (await import('./restore-files.js')).putInPlace(staged, live, aside),
};
