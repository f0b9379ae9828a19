import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotDo } from '../../src/domain/errors.js';
import {
  appendOutputLine, checkOutputFile, refuseDatabaseFile, writeOutputFile, writeOutputFileWith, type OutputOptions,
} from '../../src/store/output-file.js';
import { tempDir } from '../support/cli.js';

// The one door for "a command writes a file" (issue 9 §1, §2): never the database by any route,
// never an existing file without --force, and whole or not at all.

/** An office folder: the database at real/c.db (mode 0600, idle: no -wal), `link` -> real. */
function office(): { dir: string; db: string; options: OutputOptions } {
  const dir = tempDir();
  mkdirSync(join(dir, 'real'));
  mkdirSync(join(dir, 'real', 'sub'));
  symlinkSync('real', join(dir, 'link'), 'dir');
  symlinkSync(join('real', 'sub'), join(dir, 'deep'), 'dir');
  const db = join(dir, 'real', 'c.db');
  writeFileSync(db, 'SQLite format 3\0 (the live file)', { mode: 0o600 });
  return { dir, db, options: { database: db, force: true, failed: 'report_write_failed' } };
}

/** The same, for a write (asynchronous: a database copy is written by the engine). */
async function writeRefusal(fn: () => Promise<unknown>): Promise<{ key: string; params: unknown } | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    if (!(e instanceof CannotDo)) throw e;
    return { key: e.key, params: e.params };
  }
}

function refusal(fn: () => unknown): { key: string; params: unknown } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof CannotDo)) throw e;
    return { key: e.key, params: e.params };
  }
}

describe('refuseDatabaseFile', () => {
  const { dir, db } = office();
  linkSync(db, join(dir, 'hard.db'));
  symlinkSync(db, join(dir, 'soft.db'));
  writeFileSync(`${db}-shm`, '');

  it.each([
    ['the path itself', db],
    ['a symlinked folder', join(dir, 'link', 'c.db')],
    ['a hard link', join(dir, 'hard.db')],
    ['a symlink to the file', join(dir, 'soft.db')],
    ['`..` after a symlink (the system reads deep/.. as real/)', `${dir}/deep/../c.db`],
    ['an existing -shm through the symlinked folder', join(dir, 'link', 'c.db-shm')],
    ['a -wal not there yet', join(dir, 'link', 'c.db-wal')],
    ['a -journal not there yet', `${dir}/deep/../c.db-journal`],
  ])('refuses %s', (_route, target) => {
    expect(refusal(() => refuseDatabaseFile(target, db))).toEqual({ key: 'output_is_database', params: { path: target, database: db } });
  });

  it.each([
    ['a sibling', join(dir, 'link', 'copy.db')],
    ['the same name in another folder', join(dir, 'c.db')],
    ['a name that only starts like it', join(dir, 'real', 'c.db-wal.csv')],
    ['a file in a folder not there', join(dir, 'none', 'c.db')],
  ])('lets %s through', (_route, target) => {
    expect(refusal(() => refuseDatabaseFile(target, db))).toBeNull();
  });
});

describe('writeOutputFile', () => {
  it('writes a new file whole, no more open than the database, and leaves no temporary file', async () => {
    const { dir, options } = office();
    const written = await writeOutputFile(join(dir, 'link', 'report.csv'), 'a,b\n1,2\n', { ...options, force: false });
    expect(written).toEqual({ path: join(dir, 'real', 'report.csv'), bytes: 8 });
    expect(readFileSync(written.path, 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'real')).sort()).toEqual(['c.db', 'report.csv', 'sub']);
  });

  it('keeps an existing file (a dangling symlink too) unless forced, then replaces it', async () => {
    const { dir, options } = office();
    const target = join(dir, 'report.csv');
    writeFileSync(target, 'last month\n');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.csv'));
    for (const existing of [target, join(dir, 'dangling.csv')]) {
      expect((await writeRefusal(() => writeOutputFile(existing, 'new\n', { ...options, force: false })))?.key).toBe('output_exists');
    }
    expect(readFileSync(target, 'utf8')).toBe('last month\n');
    await writeOutputFile(target, 'new\n', options);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  it('is never the database, --force or not', async () => {
    const { dir, db, options } = office();
    const before = readFileSync(db);
    expect((await writeRefusal(() => writeOutputFile(join(dir, 'link', 'c.db'), 'x', options)))?.key).toBe('output_is_database');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('leaves the target as it was and no temporary file when the writing fails', async () => {
    const { dir, options } = office();
    const target = join(dir, 'report.csv');
    writeFileSync(target, 'last month\n');
    const failing = await writeRefusal(() => writeOutputFileWith(target, options, (temp) => {
      writeFileSync(temp, 'half a rep');
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    }));
    expect(failing).toEqual({ key: 'report_write_failed', params: { path: target, reason: 'EIO: i/o error, write' } });
    const full = await writeRefusal(() => writeOutputFileWith(join(dir, 'new.csv'), options, () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }));
    expect(full).toEqual({ key: 'output_disk_full', params: { path: join(dir, 'new.csv') } });
    expect(readFileSync(target, 'utf8')).toBe('last month\n');
    expect(readdirSync(dir).sort()).toEqual(['deep', 'link', 'real', 'report.csv']);
  });

  it('checkOutputFile refuses before any work and gives the real path', () => {
    const { dir, options } = office();
    writeFileSync(join(dir, 'real', 'old.csv'), '');
    expect(checkOutputFile(join(dir, 'link', 'new.csv'), { ...options, force: false })).toBe(join(dir, 'real', 'new.csv'));
    expect(refusal(() => checkOutputFile(join(dir, 'link', 'old.csv'), { ...options, force: false }))).toEqual({
      key: 'output_exists', params: { path: join(dir, 'real', 'old.csv') },
    });
    expect(existsSync(join(dir, 'real', 'new.csv'))).toBe(false);
  });
});

describe('appendOutputLine', () => {
  it('creates the file, then appends: earlier lines are never rewritten', () => {
    const { dir, options } = office();
    const anchor = join(dir, 'c.db.anchor');
    appendOutputLine(anchor, '{"n":1}', options);
    appendOutputLine(anchor, '{"n":2}\n', options);
    expect(readFileSync(anchor, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    expect(statSync(anchor).mode & 0o777).toBe(0o600);
  });

  it('never appends to the database', () => {
    const { dir, db, options } = office();
    symlinkSync(db, join(dir, 'c.db.anchor'));
    expect(refusal(() => appendOutputLine(join(dir, 'c.db.anchor'), 'x', options))?.key).toBe('output_is_database');
    expect(readFileSync(db, 'utf8')).toBe('SQLite format 3\0 (the live file)');
  });

  it("never appends through a symlink to one of the database's files not there yet (an idle -wal, a -journal)", () => {
    const { dir, db, options } = office();
    symlinkSync(`${db}-journal`, join(dir, 'c.db.anchor'));
    symlinkSync(join('link', 'c.db-wal'), join(dir, 'wal.anchor'));
    symlinkSync('wal.anchor', join(dir, 'chained.anchor'));
    for (const name of ['c.db.anchor', 'wal.anchor', 'chained.anchor']) {
      expect(refusal(() => appendOutputLine(join(dir, name), 'x', options))?.key, name).toBe('output_is_database');
    }
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });
});

describe('a target the office cannot write to is named in its own words', () => {
  const { dir, options } = office();

  it('a folder not there: names the folder to create, and creates nothing', async () => {
    const target = join(dir, 'none', 'deeper', 'r.csv');
    expect(await writeRefusal(() => writeOutputFile(target, 'x', options))).toEqual({
      key: 'output_no_folder', params: { path: join(dir, 'none', 'deeper', 'r.csv'), folder: join(dir, 'none', 'deeper') },
    });
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('a folder given where a file is meant: refused with or without --force, the folder untouched', async () => {
    const target = join(dir, 'real', 'sub');
    for (const force of [false, true]) {
      expect(await writeRefusal(() => writeOutputFile(target, 'x', { ...options, force }))).toEqual({ key: 'output_is_folder', params: { path: target } });
    }
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(target)).toEqual([]);
  });
});
