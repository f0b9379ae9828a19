import Sqlite from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, fchmodSync, linkSync, openSync, realpathSync, renameSync, rmSync, statSync, unlinkSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { CannotDo, ComplaintsError } from '../../domain/errors.js';
import type { Instant } from '../../domain/time.js';
import { numberingFacts } from '../anchor.js';
import { reasonOf } from '../file-errors.js';
import { databaseFiles, exists, refuseDatabaseFile, syncDirectory, syncFile } from '../output-file.js';
import { restoreFailure } from '../restore.js';
import type { Placed, StagedRestore, Store } from '../store.js';
import { SqliteConnection, SqliteStore } from './connection.js';
import { realDatabasePath } from './file.js';
import { listMigrations } from './migrations.js';
import { sqliteEngine } from './engine.js';

// The file work of `complaints restore COPY` on SQLite (issue 9 §8), in the steps the command drives:
//  1. stageRestore: the copy is checked and rebuilt into a temporary file beside the database
//     (VACUUM INTO, so a copy with a -wal of its own is read whole; upgraded if it is older).
//  2. (store/restore.ts) skipNumbers, in that file, through the one write path.
//  3. putInPlace: the database is moved aside (kept, with its -wal and -journal, so it opens as it
//     was) and the staged file renamed in. A stale -wal is never left to be replayed onto it.
// Until step 3 nothing but the temporary file exists; any failure removes it.

/** `makeFolder` makes the database's folder if it is missing, as every command makes it (cli/context.ts). */
export async function stageRestore(copyArg: string, live: string, makeFolder: () => void): Promise<StagedRestore> {
  refuseDatabaseFile(copyArg, live);
  let copy: string;
  try {
    copy = realpathSync(copyArg);
    if (!statSync(copy).isFile()) throw new CannotDo('restore_no_copy', { path: resolve(copyArg) });
  } catch (e) {
    if (e instanceof ComplaintsError) throw e;
    throw new CannotDo('restore_no_copy', { path: resolve(copyArg) });
  }
  checkCopy(copy);

  const leftovers: string[] = [];
  let store: Store | null = null;
  const discard = async (): Promise<void> => {
    try {
      await store?.close();
    } catch {
      // Already closed by putInPlace.
    }
    for (const file of leftovers) rmSync(file, { force: true });
  };
  try {
    makeFolder();
    const target = realDatabasePath(live);
    const temp = join(dirname(target), `.${basename(target)}.restore-${randomBytes(6).toString('hex')}.tmp`);
    leftovers.push(...databaseFiles(temp));
    const fd = openSync(temp, 'wx', databaseMode(target));
    try {
      fchmodSync(fd, databaseMode(target));
    } finally {
      closeSync(fd);
    }
    const source = new SqliteConnection(new Sqlite(copy, { readonly: true, fileMustExist: true }));
    try {
      source.run(sql`VACUUM INTO ${temp}`);
    } finally {
      source.sqlite.close();
    }
    // An older copy is upgraded here, however large (the restore was asked for), in the temporary
    // file; the copy the upgrade keeps, and its anchor file, are dropped.
    store = await sqliteEngine.open(temp, {
      upgrade: {},
      onMigrate: (_from, _to, kept, anchor) => void leftovers.push(kept, ...(anchor === null ? [] : [anchor])),
    });
    return { store, copy, facts: await store.read(numberingFacts), discard };
  } catch (e) {
    await discard();
    throw restoreFailure(e, copy);
  }
}

/** SQLite's own check of the file as it is, before anything is built from it. */
function checkCopy(copy: string): void {
  let findings: string[];
  let version: number;
  try {
    const db = new SqliteConnection(new Sqlite(copy, { readonly: true, fileMustExist: true }));
    try {
      findings = db.prepare('PRAGMA integrity_check(3)').pluck().all() as string[];
      version = db.pragma('user_version') as number;
    } finally {
      db.sqlite.close();
    }
  } catch (e) {
    throw new CannotDo('restore_check_failed', { path: copy, reason: reasonOf(e) });
  }
  if (findings.length !== 1 || findings[0] !== 'ok') {
    // One line: SQLite puts several findings in one row, a line each.
    const detail = findings.join('\n').split('\n').map((line) => line.trim()).filter((line) => line !== '').join('; ');
    throw new CannotDo('restore_check_failed', { path: copy, reason: `integrity_check: ${detail}` });
  }
  const known = listMigrations().at(-1)?.version ?? 0;
  if (version > known) throw new CannotDo('newer_schema', { path: copy, found: version, known });
  if (version === 0) throw new CannotDo('restore_not_complaints', { path: copy });
}

/** `complaints.db.before-restore-20261120T093000Z`, beside the database; a free name. */
export function asideName(live: string, now: Instant): string {
  const target = realDatabasePath(live);
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const name = `${target}.before-restore-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (databaseFiles(name).every((file) => !exists(file))) return name;
  }
}

/**
 * Puts the staged file in place of the database, with the database's mode. The database is kept
 * under `aside` with its -wal and -journal (so it opens as it was); its -shm, an index SQLite
 * rebuilds, is removed. If any step fails, what was moved is moved back.
 */
export async function putInPlace(staged: StagedRestore, live: string, aside: string): Promise<Placed> {
  const target = realDatabasePath(live);
  const temp = staged.store.location;
  const mode = databaseMode(target);
  const undo: (() => void)[] = [];
  let kept = false;
  try {
    await (staged.store as SqliteStore).withConnection((c) => c.pragma('wal_checkpoint(TRUNCATE)'));
    await staged.store.close();
    rmSync(`${temp}-wal`, { force: true });
    rmSync(`${temp}-shm`, { force: true });
    chmodSync(temp, mode);
    syncFile(temp);
    if (exists(target)) {
      try {
        // A second name for the database: it never disappears from its own name meanwhile.
        linkSync(target, aside);
        undo.push(() => unlinkSync(aside));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
        renameSync(target, aside);
        undo.push(() => renameSync(aside, target));
      }
      kept = true;
    }
    for (const suffix of ['-wal', '-journal']) {
      if (!exists(`${target}${suffix}`)) continue;
      // An empty log (a reader leaves one) holds nothing to keep.
      if (statSync(`${target}${suffix}`).size === 0) {
        rmSync(`${target}${suffix}`);
        continue;
      }
      renameSync(`${target}${suffix}`, `${aside}${suffix}`);
      undo.push(() => renameSync(`${aside}${suffix}`, `${target}${suffix}`));
      kept = true;
    }
    rmSync(`${target}-shm`, { force: true });
    renameSync(temp, target);
  } catch (e) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Leave the rest as it is; the message names the copy, the database is untouched or aside.
      }
    }
    throw restoreFailure(e, staged.copy);
  }
  syncDirectory(dirname(target));
  return { location: target, aside: kept ? aside : null };
}

/** The database's own mode (0660 for a new one, as openStore creates it). */
function databaseMode(target: string): number {
  try {
    return statSync(target).mode & 0o777;
  } catch {
    return 0o660;
  }
}
