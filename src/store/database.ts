import Sqlite from 'better-sqlite3';
import {
  accessSync, chmodSync, closeSync, constants as fsConstants, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync,
  readFileSync, readlinkSync, readSync, realpathSync, statfsSync, statSync, type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DefaultQueryExecutor, QueryCreator, SqliteAdapter, SqliteQueryCompiler, type Compilable,
} from 'kysely';
import { CannotDo, ComplaintsError } from '../domain/errors.js';
import { backupDatabase } from './backup.js';
import { errnoOf, isDiskFull } from './file-errors.js';
import type { Schema } from './schema.js';

/**
 * One open database: better-sqlite3 underneath (synchronous, so a command's writes are one
 * BEGIN IMMEDIATE transaction), Kysely on top as a typed query builder only.
 */
export interface Store {
  readonly path: string;
  readonly sqlite: Sqlite.Database;
  /** Opened read-only for a reading command on a file this user cannot write: nothing may be saved. */
  readonly readOnly: boolean;
  readonly qb: QueryCreator<Schema>;
  all<R>(query: Compilable<R>): R[];
  first<R>(query: Compilable<R>): R | undefined;
  run(query: Compilable<unknown>): Sqlite.RunResult;
  /** A prepared statement for fixed SQL, prepared once per open database (for the write path). */
  statement(sql: string): Sqlite.Statement;
  /** Runs fn in one BEGIN IMMEDIATE transaction: all of it is saved, or none. */
  transact<T>(fn: () => T): T;
  /** Runs fn in one read transaction: every query in it sees the same state, while others write. */
  read<T>(fn: () => T): T;
  close(): void;
}

export interface OpenOptions {
  /** Called once when the file did not exist and was created. */
  onCreate?: (path: string) => void;
  /** Called before an older file is migrated, with the path of the copy kept aside. */
  onMigrate?: (from: number, to: number, copy: string) => void;
  busyTimeoutMs?: number;
  /** Where the numbered migrations are; the program's own schema/ unless a test points elsewhere. */
  schemaDir?: string;
  /**
   * 'read' for a command that only reads: a file this user cannot write is then opened read-only
   * where SQLite allows it, instead of refused. Default 'write'.
   */
  access?: Access;
}

/** Whether a command may save to the file or only reads it (declared per command in cli/program.ts). */
export type Access = 'read' | 'write';

// Several clerks and cron share the file: wait this long for a writer before giving up.
export const BUSY_TIMEOUT_MS = 5000;

/** COMPLAINTS_BUSY_TIMEOUT_MS overrides the wait (a slow shared disk, or a test that wants it short). */
export function busyTimeoutFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.COMPLAINTS_BUSY_TIMEOUT_MS?.trim();
  const ms = raw && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(ms) ? ms : BUSY_TIMEOUT_MS;
}

// Only Kysely's query builder: the full Kysely class also drags in its schema and migration
// builders, which doubled the JavaScript every command parses at start-up. Queries are compiled
// here and run synchronously by better-sqlite3; nothing ever asks this executor for a connection.
const queryBuilder = new QueryCreator<Schema>({
  executor: new DefaultQueryExecutor(new SqliteQueryCompiler(), new SqliteAdapter(), {
    provideConnection: () => Promise.reject(new Error('queries are compiled and run by better-sqlite3')),
  }),
});

export function openStore(path: string, options: OpenOptions = {}): Store {
  if (path === ':memory:') return openConnection(path, { readOnly: false, isNew: false }, options);
  const found = inspectFile(path);
  if (found.kind !== 'database') {
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

function openConnection(path: string, mode: { readOnly: boolean; isNew: boolean }, options: OpenOptions): Store {
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
  } catch (e) {
    throw translateSqliteError(e, path, readOnly);
  }
  const statements = new Map<string, Sqlite.Statement>();
  const prepare = (sql: string): Sqlite.Statement => {
    let st = statements.get(sql);
    if (!st) {
      st = sqlite.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  // A reader can meet SQLITE_BUSY too (a WAL being recovered after a crash): say so in one line.
  const translated = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, path, readOnly);
    }
  };
  const store: Store = {
    path,
    sqlite,
    readOnly,
    qb: queryBuilder,
    all<R>(query: Compilable<R>): R[] {
      const c = query.compile();
      return translated(() => prepare(c.sql).all(...(c.parameters as unknown[])) as R[]);
    },
    first<R>(query: Compilable<R>): R | undefined {
      const c = query.compile();
      return translated(() => prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined);
    },
    run(query: Compilable<unknown>): Sqlite.RunResult {
      const c = query.compile();
      return translated(() => prepare(c.sql).run(...(c.parameters as unknown[])));
    },
    statement: prepare,
    transact<T>(fn: () => T): T {
      try {
        return sqlite.transaction(fn).immediate();
      } catch (e) {
        throw translateSqliteError(e, path, readOnly);
      }
    },
    read<T>(fn: () => T): T {
      try {
        return sqlite.transaction(fn).deferred();
      } catch (e) {
        throw translateSqliteError(e, path, readOnly);
      }
    },
    close(): void {
      sqlite.close();
    },
  };
  try {
    if (readOnly) {
      checkReadableVersion(store, options);
      handCompanionsBack(path);
    } else {
      migrate(store, options);
    }
  } catch (e) {
    sqlite.close();
    throw translateSqliteError(e, path, readOnly);
  }
  if (isNew) options.onCreate?.(path);
  return store;
}

// ---------------------------------------------------------------------------------------------
// What is at the path before SQLite touches it. SQLite would follow a dangling symlink and create
// the database at its target, and would happily add our tables to any SQLite file; it refuses a
// non-SQLite file, but only with "file is not a database".

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

type Found = { kind: 'absent' } | { kind: 'empty'; mode: number } | { kind: 'database' };

function inspectFile(path: string): Found {
  let stats: Stats;
  try {
    stats = lstatSync(path);
    if (stats.isSymbolicLink()) stats = statSync(path);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT' && existsLink(path)) throw new CannotDo('db_dangling_link', { path, target: readlinkSync(path) });
    if (code === 'ENOENT') return { kind: 'absent' };
    throw fileError(e, path, path);
  }
  if (!stats.isFile()) throw new CannotDo('db_not_complaints', { path });
  if (stats.size === 0) return { kind: 'empty', mode: stats.mode & 0o7777 };
  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw fileError(e, path, path);
  }
  if (!header.equals(SQLITE_HEADER)) throw new CannotDo('db_not_complaints', { path });
  return { kind: 'database' };
}

function existsLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Creates the file (or takes over an empty one) no more open than owner + group read/write. */
function prepareNewFile(path: string, found: Exclude<Found, { kind: 'database' }>): void {
  if (found.kind === 'absent') {
    try {
      // 'wx': never through a symlink planted since we looked, never over a file.
      const fd = openSync(path, 'wx', 0o660);
      try {
        fchmodSync(fd, 0o660);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      // Another clerk's first command created it a moment ago: open theirs.
      if (errnoOf(e) !== 'EEXIST') throw fileError(e, path, dirname(path));
    }
    return;
  }
  // An empty file (`touch`ed, or left by an interrupted first run) becomes the database: SQLite
  // gives -wal and -shm its mode, so it must be made no more open than a file we create.
  const allowed = found.mode & 0o660;
  if (found.mode !== allowed) {
    try {
      chmodSync(path, allowed);
    } catch (e) {
      if (errnoOf(e) === 'EPERM') throw new CannotDo('db_mode_too_open', { path, mode: octal(found.mode) });
      throw fileError(e, path, path);
    }
  }
  const denied = accessDenied(path);
  if (denied) throw writeRefusal(denied, path, path);
}

/**
 * Makes the database's folder, and any missing above it, no more open than `mode` (the umask may
 * close it further). mkdir inherits a setgid folder's group, so a shared folder stays shared.
 */
export function makeDatabaseFolder(folder: string, mode: number): void {
  try {
    mkdirSync(folder, { recursive: true, mode });
  } catch (e) {
    // A recursive mkdir reports ENOENT for a parent it could not make: ask the nearest that exists.
    let parent = dirname(folder);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    const denied = accessDenied(parent, fsConstants.W_OK | fsConstants.X_OK) ?? errnoOf(e);
    if (denied === 'EROFS') throw new CannotDo('db_folder_read_only_fs', { folder });
    if (denied === 'EACCES' || denied === 'EPERM') throw new CannotDo('db_folder_cannot_create', { folder, parent });
    throw fileError(e, folder, folder);
  }
}

// ---------------------------------------------------------------------------------------------
// Permissions. Checked before opening so that the one line names what is missing, and so that a
// writing command refuses before it asks its questions, not at the end. Root passes every check
// here and in the kernel alike, except a read-only file system, which access() reports too.

/**
 * The database's own file as SQLite opens it: SQLite resolves a symlinked database path first, so
 * its -wal and -shm live beside this name, and a restore replaces this file. A file not there yet
 * is named in its folder's real path (or as given, if the folder is not there either).
 */
export function realDatabasePath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there yet.
  }
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return path;
  }
}

/** The -wal and -shm, beside the real file. */
function companions(path: string): [string, string] {
  const real = realDatabasePath(path);
  return [`${real}-wal`, `${real}-shm`];
}

function accessDenied(file: string, mode: number = fsConstants.W_OK): string | null {
  try {
    accessSync(file, mode);
    return null;
  } catch (e) {
    return errnoOf(e) ?? 'EACCES';
  }
}

/**
 * Why this user may not use `file` beside the database, or null. One that is not there refuses
 * nothing, including one removed since it was seen: the last connection to close removes the
 * -wal and -shm, so with other clerks at work they come and go between two looks.
 */
function companionDenied(file: string, mode: number): string | null {
  const denied = accessDenied(file, mode);
  return denied === 'ENOENT' ? null : denied;
}

function writeRefusal(code: string, path: string, file: string): CannotDo {
  if (code === 'EROFS') return new CannotDo('db_read_only_fs', { path });
  return file === path ? new CannotDo('db_needs_write', { path }) : new CannotDo('db_needs_write_beside', { path, file });
}

/** Why this user cannot save to the database, or null if they can. */
function whyNotWritable(path: string): CannotDo | null {
  if (accessDenied(path, fsConstants.R_OK)) return new CannotDo('db_needs_read', { path });
  const denied = accessDenied(path);
  if (denied) return writeRefusal(denied, path, path);
  const [wal, shm] = companions(path);
  for (const file of [wal, shm]) {
    const refused = companionDenied(file, fsConstants.W_OK);
    if (refused) return writeRefusal(refused, path, file);
  }
  const folder = dirname(wal);
  const folderDenied = accessDenied(folder, fsConstants.W_OK | fsConstants.X_OK);
  // SQLite creates -wal and -shm when the first connection opens and removes them after the last.
  if (folderDenied && !(existsSync(wal) && existsSync(shm))) {
    return folderDenied === 'EROFS' ? new CannotDo('db_read_only_fs', { path }) : new CannotDo('db_needs_write_folder', { path, folder });
  }
  return null;
}

/**
 * Whether SQLite can read a WAL database this user cannot write (sqlite.org/wal.html §5: the -wal
 * and -shm must already exist, or the folder must let it create them).
 */
function whyNotReadable(path: string): CannotDo | null {
  const denied = accessDenied(path, fsConstants.R_OK);
  if (denied) return new CannotDo('db_needs_read', { path });
  const [wal, shm] = companions(path);
  for (const file of [wal, shm]) {
    if (companionDenied(file, fsConstants.R_OK)) return new CannotDo('db_needs_read', { path: file });
  }
  if (existsSync(wal) && existsSync(shm)) return null;
  const folder = dirname(wal);
  const folderDenied = accessDenied(folder, fsConstants.W_OK | fsConstants.X_OK);
  if (folderDenied === 'EROFS') return new CannotDo('db_read_only_fs_read', { path });
  return folderDenied ? new CannotDo('db_read_needs_folder', { path, folder }) : null;
}

/**
 * A read-only connection leaves the -wal and -shm behind, and SQLite gives an empty -wal the
 * database's mode each time it opens it: a file someone made read-only (0440) would leave them
 * read-only, and its owner could no longer save once the file is writable again. When they are
 * ours, give the owner write on them; nobody else.
 */
function handCompanionsBack(path: string): void {
  for (const file of companions(path)) {
    try {
      const st = lstatSync(file);
      if (st.isFile() && st.uid === process.getuid?.() && (st.mode & 0o200) === 0) chmodSync(file, (st.mode & 0o660) | 0o600);
    } catch {
      // Not there, or removed meanwhile: nothing to hand back.
    }
  }
}

function checkReadableVersion(store: Store, options: OpenOptions): void {
  const current = schemaVersion(store);
  const latest = listMigrations(options.schemaDir ?? programSchemaDirectory()).at(-1)?.version ?? 0;
  if (current > latest) throw new CannotDo('newer_schema', { path: store.path, found: current, known: latest });
  if (current < latest) throw new CannotDo('db_needs_upgrade', { path: store.path, from: current, to: latest });
}

/**
 * An SQLite file with tables but no schema version of ours (another program's): never add our
 * tables to it. One statement, one snapshot: a first clerk may be creating our tables right now.
 */
function isSomeoneElses(sqlite: Sqlite.Database): boolean {
  const row = sqlite.prepare('SELECT (SELECT user_version FROM pragma_user_version) AS version, EXISTS (SELECT 1 FROM sqlite_schema) AS tables').get() as { version: number; tables: number };
  return row.version === 0 && row.tables === 1;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** A file-system error met while opening `path`, as one line naming `file` (the path or its folder). */
function fileError(e: unknown, path: string, file: string): unknown {
  const code = errnoOf(e);
  if (code === undefined) return e;
  if (isDiskFull(e)) return new CannotDo('disk_full', {});
  if (code === 'EROFS') return new CannotDo('db_read_only_fs', { path });
  if (code === 'EACCES' || code === 'EPERM') {
    if (file === path) return new CannotDo('db_needs_read', { path });
    return new CannotDo('db_cannot_create', { path, folder: file });
  }
  return new CannotDo('cannot_open', { path, reason: (e as Error).message });
}

/** Little enough room left that a failed write is most likely the disk being full. */
function diskIsFull(path: string): boolean {
  try {
    const fs = statfsSync(dirname(companions(path)[0]));
    return fs.bavail * fs.bsize < 64 * 1024;
  } catch {
    return false;
  }
}

export function translateSqliteError(e: unknown, path: string, readOnly = false): unknown {
  if (e instanceof ComplaintsError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_')) {
    return new CannotDo('busy', {});
  }
  if (isDiskFull(e)) return new CannotDo('disk_full', {});
  if (code.startsWith('SQLITE_IOERR')) {
    // SQLite reports a failed fsync or -shm allocation on a full disk as an I/O error.
    if (diskIsFull(path)) return new CannotDo('disk_full', {});
    return new CannotDo('db_io_error', { path, reason: (e as Error).message });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    const why = readOnly ? whyNotReadable(path) : (whyNotWritable(path) ?? whyNotReadable(path));
    if (why) return why;
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_PERM') {
    return new CannotDo('cannot_open', { path, reason: (e as Error).message });
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Migrations: schema/NNN_name.sql, applied in order on open, each in its own transaction (Kysely's
// migrator would not wrap them on SQLite). PRAGMA user_version records the last one applied.

function programSchemaDirectory(): string {
  // From src/store/ (tests) or dist/ (the bundle), walk up to the package's schema/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, '001_initial.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schema/ directory not found next to the program');
}

export interface Migration {
  version: number;
  file: string;
}

export function listMigrations(dir: string = programSchemaDirectory()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), file }));
}

export function schemaVersion(store: Pick<Store, 'sqlite'>): number {
  return store.sqlite.pragma('user_version', { simple: true }) as number;
}

function migrate(store: Store, options: OpenOptions): void {
  const current = schemaVersion(store);
  const dir = options.schemaDir ?? programSchemaDirectory();
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CannotDo('newer_schema', { path: store.path, found: current, known: latest });
  }
  if (current === latest) return;
  if (current > 0 && store.path !== ':memory:') {
    // Keep the file as it was before touching its structure. VACUUM INTO reads one consistent
    // snapshot even while another clerk writes; a plain file copy could catch a checkpoint
    // half-way. A copy already there was kept by a process that got here first.
    const copy = `${store.path}.schema-${current}.bak`;
    if (!existsSync(copy)) {
      try {
        backupDatabase(store, copy, { overwrite: false });
      } catch (e) {
        if (!(e instanceof CannotDo && e.key === 'output_exists')) throw e;
      }
    }
    options.onMigrate?.(current, latest, copy);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const sql = readFileSync(join(dir, m.file), 'utf8');
    store.transact(() => {
      // Another process may have migrated while we waited for the lock.
      if (schemaVersion(store) >= m.version) return;
      store.sqlite.exec(sql);
      store.sqlite.pragma(`user_version = ${m.version}`);
    });
  }
}
