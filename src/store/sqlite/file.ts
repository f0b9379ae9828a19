import {
  accessSync, chmodSync, closeSync, constants as fsConstants, existsSync, fchmodSync, lstatSync, mkdirSync, openSync,
  readlinkSync, readSync, realpathSync, statSync, type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CannotDo } from '../../domain/errors.js';
import { errnoOf, isDiskFull } from '../file-errors.js';

// ---------------------------------------------------------------------------------------------
// What is at the path before SQLite touches it. SQLite would follow a dangling symlink and create
// the database at its target, and would happily add our tables to any SQLite file; it refuses a
// non-SQLite file, but only with "file is not a database".

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type Found = { kind: 'absent' } | { kind: 'empty'; mode: number } | { kind: 'database' };

export function inspectFile(path: string): Found {
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
export function prepareNewFile(path: string, found: Exclude<Found, { kind: 'database' }>): void {
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
export function companions(path: string): [string, string] {
  const real = realDatabasePath(path);
  return [`${real}-wal`, `${real}-shm`];
}

export function accessDenied(file: string, mode: number = fsConstants.W_OK): string | null {
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
export function whyNotWritable(path: string): CannotDo | null {
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
export function whyNotReadable(path: string): CannotDo | null {
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
export function handCompanionsBack(path: string): void {
  for (const file of companions(path)) {
    try {
      const st = lstatSync(file);
      if (st.isFile() && st.uid === process.getuid?.() && (st.mode & 0o200) === 0) chmodSync(file, (st.mode & 0o660) | 0o600);
    } catch {
      // Not there, or removed meanwhile: nothing to hand back.
    }
  }
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** A file-system error met while opening `path`, as one line naming `file` (the path or its folder). */
export function fileError(e: unknown, path: string, file: string): unknown {
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

