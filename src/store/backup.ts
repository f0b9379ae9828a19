import Sqlite from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { CannotDo } from '../domain/errors.js';
import type { Store } from './database.js';
import { writeOutputFileWith } from './output-file.js';

export interface BackupOptions {
  overwrite: boolean;
}

export interface BackupResult {
  path: string;
  bytes: number;
}

/**
 * Writes a consistent copy of the open database to `target` while other clerks keep writing.
 *
 * VACUUM INTO copies one read snapshot in one step. SQLite's online backup API copies page by
 * page and starts over whenever another connection commits, so with clerks writing continuously
 * it may never finish. The copy goes through output-file.ts: never onto the database by any route,
 * to a temporary file beside the target, checked, synced and only then put in place, so a reader
 * of `target` never sees half a backup.
 */
export function backupDatabase(store: Pick<Store, 'path' | 'sqlite'>, target: string, options: BackupOptions): BackupResult {
  const output = { database: store.path, force: options.overwrite, failed: 'backup_failed' } as const;
  return writeOutputFileWith(target, output, (temp) => {
    try {
      store.sqlite.prepare('VACUUM INTO ?').run(temp);
    } finally {
      rmSync(`${temp}-journal`, { force: true });
    }
    checkCopy(temp, target);
  });
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
