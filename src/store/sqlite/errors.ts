import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { CannotDo, ComplaintsError } from '../../domain/errors.js';
import { isDiskFull } from '../file-errors.js';
import { companions, whyNotReadable, whyNotWritable } from './file.js';

// SQLite's failures as the office's one-line refusals: busy, disk full, an I/O error naming the
// file, or the permission that is missing.

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

