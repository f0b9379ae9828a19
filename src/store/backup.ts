import Sqlite from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CannotDo } from '../domain/errors.js';
import type { Store } from './database.js';

export interface BackupResult {
  path: string;
  bytes: number;
}

/**
 * Writes a consistent copy of the open database to `target` while other clerks keep writing.
 *
 * VACUUM INTO copies one read snapshot in one step. SQLite's online backup API copies page by
 * page and starts over whenever another connection commits, so with clerks writing continuously
 * it may never finish. The copy goes to a temporary file beside the target, is checked, synced and
 * only then renamed into place: a reader of `target` never sees half a backup.
 */
export function backupDatabase(store: Pick<Store, 'path' | 'sqlite'>, target: string, options: { overwrite: boolean }): BackupResult {
  const path = resolve(target);
  const source = resolve(store.path);
  if (path === source || path === `${source}-wal` || path === `${source}-shm` || path === `${source}-journal`) {
    throw new CannotDo('backup_is_database', { path });
  }
  if (!options.overwrite && existsSync(path)) throw new CannotDo('backup_exists', { path });
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // Personal data: the copy is no more open than the database (and never more than owner + group).
  const mode = statSync(source).mode & 0o660 || 0o600;
  try {
    try {
      // VACUUM INTO accepts an existing empty file; creating it ourselves fixes its mode from the
      // start instead of SQLite's 0644-less-umask.
      const fd = openSync(temp, 'wx', mode);
      fchmodSync(fd, mode);
      closeSync(fd);
      store.sqlite.prepare('VACUUM INTO ?').run(temp);
    } catch (e) {
      throw new CannotDo('backup_failed', { path, reason: reasonOf(e) });
    }
    checkCopy(temp, path);
    syncFile(temp);
    place(temp, path, options.overwrite);
    syncDirectory(dir);
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
  return { path, bytes: statSync(path).size };
}

function checkCopy(temp: string, path: string): void {
  let ok = false;
  try {
    const copy = new Sqlite(temp, { readonly: true, fileMustExist: true });
    try {
      ok = copy.pragma('quick_check', { simple: true }) === 'ok';
    } finally {
      copy.close();
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new CannotDo('backup_check_failed', { path });
}

function place(temp: string, path: string, overwrite: boolean): void {
  try {
    if (overwrite) {
      renameSync(temp, path);
      return;
    }
    // link() fails if the target appeared meanwhile, where rename() would silently replace it.
    linkSync(temp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CannotDo('backup_exists', { path });
    if (!overwrite && (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') && !existsSync(path)) {
      // A filesystem without hard links (some network or FAT mounts): the check above is the best we have.
      renameSync(temp, path);
      return;
    }
    throw new CannotDo('backup_failed', { path, reason: reasonOf(e) });
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The rename itself is durable only once the directory is synced (not possible on Windows). */
function syncDirectory(dir: string): void {
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

function reasonOf(e: unknown): string {
  return ((e as Error).message ?? String(e)).split('\n')[0] ?? '';
}
