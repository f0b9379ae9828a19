import { randomBytes } from 'node:crypto';
import {
  closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CannotDo, ComplaintsError } from '../domain/errors.js';
import type { MessageKey } from '../messages/index.js';
import { errnoOf, isDiskFull, reasonOf } from './file-errors.js';

// "A command writes a file" (issue 9 §1, §2): backup, report --output, and later export all come
// through here, so the three rules are written once.
//  - The live database and its -wal, -shm and -journal are never written over, whatever route the
//    path takes: files are compared by identity (device and inode), names by their real folder.
//  - An existing file is kept unless the caller was told --force.
//  - The file appears whole or not at all: written to a temporary file in the same folder, synced,
//    then renamed (or linked, which cannot replace a file that appeared meanwhile) into place.

export interface OutputOptions {
  /** The live database: it and its companion files are refused as targets, --force or not. */
  database: string;
  /** Replace an existing file (`--force`). */
  force: boolean;
  /** The catalogue line for "cannot write {path}: {reason}", naming what was being written. */
  failed: MessageKey;
}

export interface Written {
  /** Where the file now is: its real folder and its name. */
  path: string;
  bytes: number;
}

// SQLite's own files beside the database; a "hot" journal or WAL under the database's name is
// replayed into it by the next clerk who opens it.
const COMPANIONS = ['', '-wal', '-shm', '-journal'] as const;

/** A database file and the companions SQLite keeps beside it under its name. */
export function databaseFiles(path: string): string[] {
  return COMPANIONS.map((suffix) => `${path}${suffix}`);
}

/**
 * Refuses `target` if it is the database or one of its companions, by any route: a symlinked
 * folder, `..` after a symlink, a hard link, a bind mount of the folder, a symlink. An existing
 * target is compared by device and inode; a name not yet there (an idle database has no -wal) by
 * the identity of its folder and its name.
 */
export function refuseDatabaseFile(target: string, database: string): void {
  const db = resolve(database);
  if (isDatabaseFile(target, db, 0)) throw new CannotDo('output_is_database', { path: target, database: db });
}

function isDatabaseFile(target: string, db: string, hops: number): boolean {
  const folder = identity(dirname(db));
  const sameFolder = folder !== null && sameFile(folder, identity(dirname(target) || '.'));
  if (sameFolder && databaseFiles(basename(db)).includes(basename(target))) return true;
  const here = identity(target);
  if (here !== null && databaseFiles(db).some((file) => sameFile(here, identity(file)))) return true;
  // Appending follows a symlink even to a file not there yet (an idle database's -wal, its
  // -journal), so it is judged by where it points; unjoined, so that `..` is read as the system reads it.
  let link: string;
  try {
    link = readlinkSync(target);
  } catch {
    return false;
  }
  const next = isAbsolute(link) ? link : `${dirname(target)}/${link}`;
  return hops < MAX_SYMLINK_HOPS && isDatabaseFile(next, db, hops + 1);
}

// Linux's own limit on symlinks followed in one path (ELOOP beyond it).
const MAX_SYMLINK_HOPS = 40;

/**
 * The checks a command makes before doing its work, so that a refused output costs nothing:
 * the database is refused always, an existing file without `force`. Returns the real path.
 */
export function checkOutputFile(target: string, options: OutputOptions): string {
  refuseDatabaseFile(target, options.database);
  const path = realPath(target, options);
  if (isFolder(path)) throw new CannotDo('output_is_folder', { path });
  if (!options.force && exists(path)) throw new CannotDo('output_exists', { path });
  return path;
}

/** Writes `contents` to `target` whole, or leaves everything as it was. */
export function writeOutputFile(target: string, contents: string | Uint8Array, options: OutputOptions): Promise<Written> {
  return writeOutputFileWith(target, options, async (temp) => {
    const fd = openSync(temp, 'r+');
    try {
      const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * For writers that need a file name of their own (SQLite's VACUUM INTO): `fill` writes the empty
 * temporary file it is given, already created with the output's mode; it is then synced and put in
 * place. Whatever fails, the temporary file is removed and the target left as it was.
 */
export async function writeOutputFileWith(target: string, options: OutputOptions, fill: (temp: string) => void | Promise<void>): Promise<Written> {
  const path = checkOutputFile(target, options);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    try {
      const fd = openSync(temp, 'wx', outputMode(options.database));
      try {
        fchmodSync(fd, outputMode(options.database));
      } finally {
        closeSync(fd);
      }
      await fill(temp);
      syncFile(temp);
      // Checked again just before the rename: the target may have changed while the work was done.
      refuseDatabaseFile(target, options.database);
      place(temp, path, options);
    } catch (e) {
      throw writeFailure(e, path, options.failed);
    }
    syncDirectory(dir);
  } finally {
    rmSync(temp, { force: true });
  }
  return { path, bytes: statSync(path).size };
}

/**
 * Appends one line to `target`, creating it if needed: for the one kind of file that grows rather
 * than being refused when it exists (the backup's anchor). Never the database, by any route.
 */
export function appendOutputLine(target: string, line: string, options: Omit<OutputOptions, 'force'>): string {
  refuseDatabaseFile(target, options.database);
  const path = realPath(target, { ...options, force: true });
  try {
    // One write of the whole line with O_APPEND: two backups at once cannot interleave their lines.
    const fd = openForAppend(path, outputMode(options.database));
    try {
      writeSync(fd, line.endsWith('\n') ? line : `${line}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw writeFailure(e, path, options.failed);
  }
  return path;
}

/** A new file gets `mode` whatever the umask; an existing one keeps the mode it was given. */
function openForAppend(path: string, mode: number): number {
  try {
    const fd = openSync(path, 'ax', mode);
    fchmodSync(fd, mode);
    return fd;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return openSync(path, 'a');
  }
}

/**
 * Personal data: an output is no more open than the database it came from, and never more than
 * owner and group (0660, or 0600 from a 0600 database).
 */
function outputMode(database: string): number {
  try {
    return statSync(database).mode & 0o660 || 0o600;
  } catch {
    return 0o600;
  }
}

/** The target in its real folder, as the system will resolve it when writing. */
function realPath(target: string, options: OutputOptions): string {
  // path.resolve reads `link/../x` as `x`; the system reads it as the folder above link's target.
  try {
    return join(realpathSync(dirname(target) || '.'), basename(target));
  } catch (e) {
    throw writeFailure(e, resolve(target), options.failed);
  }
}

function place(temp: string, path: string, options: OutputOptions): void {
  if (options.force) {
    renameSync(temp, path);
    return;
  }
  try {
    // link() fails if the target appeared meanwhile, where rename() would silently replace it.
    linkSync(temp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CannotDo('output_exists', { path });
    if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') && !exists(path)) {
      // A filesystem without hard links (some network or FAT mounts): the check above is the best we have.
      renameSync(temp, path);
      return;
    }
    throw e;
  }
}

function writeFailure(e: unknown, path: string, failed: MessageKey): unknown {
  if (e instanceof ComplaintsError) return e;
  if (isDiskFull(e)) return new CannotDo('output_disk_full', { path });
  // The usual reasons in the office's words; anything rarer keeps the system's own.
  const folder = dirname(path);
  switch (errnoOf(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      // A folder that is there but takes no new files (/proc) says ENOENT too.
      if (!isFolder(folder)) return new CannotDo('output_no_folder', { path, folder });
      break;
    case 'EACCES':
    case 'EPERM':
      return new CannotDo('output_needs_permission', { path, folder });
    case 'EISDIR':
      return new CannotDo('output_is_folder', { path });
    case 'EROFS':
      return new CannotDo('output_read_only_fs', { path });
  }
  return new CannotDo(failed, { path, reason: reasonOf(e) });
}

interface FileIdentity {
  dev: number;
  ino: number;
}

function identity(path: string): FileIdentity | null {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

function sameFile(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/** Anything under that name counts, a dangling symlink included: link() would refuse it too. */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The rename itself is durable only once the directory is synced (not possible on Windows). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file's own contents are already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
