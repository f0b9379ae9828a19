import { CannotDo } from '../domain/errors.js';
import type { Instant } from '../domain/time.js';
import { anchorFileFor, formatAnchorLine } from './anchor.js';
import type { Store } from './store.js';
import { appendOutputLine, checkOutputFile, refuseDatabaseFile, writeOutputFileWith, type OutputOptions } from './output-file.js';

export interface BackupOptions {
  overwrite: boolean;
  /** Append the copy's line to its anchor file (see anchor.ts), taken at this time. */
  anchorAt?: Instant;
}

export interface BackupResult {
  path: string;
  bytes: number;
  /** The anchor file the copy's line was appended to. */
  anchor: string | null;
}

function backupOutput(database: string, overwrite: boolean): OutputOptions {
  return { database, force: overwrite, failed: 'backup_failed' };
}

/**
 * Refuses, before any work, what `backupDatabase` would refuse: the database or one of its files
 * by any route, an existing file without `overwrite`, the anchor file's own name. Returns the
 * copy's real path and, when a line is to be appended, the anchor file.
 */
export function checkBackupTarget(target: string, database: string, options: BackupOptions): { path: string; anchor: { file: string; at: string } | null } {
  const path = checkOutputFile(target, backupOutput(database, options.overwrite));
  if (options.anchorAt === undefined) return { path, anchor: null };
  const file = anchorFileFor(path, database);
  refuseDatabaseFile(file, database);
  if (file === path) throw new CannotDo('backup_is_anchor', { path });
  return { path, anchor: { file, at: new Date(options.anchorAt).toISOString() } };
}

/**
 * Writes a consistent copy of the open database to `target` while other clerks keep writing. The
 * copy goes through output-file.ts: never onto the database by any route, to a temporary file
 * beside the target, checked, synced and only then put in place, so a reader of `target` never
 * sees half a backup.
 */
export async function backupDatabase(store: Store, target: string, options: BackupOptions): Promise<BackupResult> {
  const { path, anchor } = checkBackupTarget(target, store.location, options);
  const output = backupOutput(store.location, options.overwrite);
  const written = await writeOutputFileWith(target, output, async (temp) => {
    const facts = await store.backupTo(temp);
    if (facts === null) throw new CannotDo('backup_check_failed', { path });
    // Before the copy is in place: a copy on disk always has its line (a line without its copy
    // only says numbers that were really given).
    if (anchor !== null) {
      appendOutputLine(anchor.file, formatAnchorLine({ at: anchor.at, db: store.location, copy: path, ...facts }), output);
    }
  });
  return { ...written, anchor: anchor?.file ?? null };
}
