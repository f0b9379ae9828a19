import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessOf, buildProgram } from '../../src/cli/program.js';
import { CannotDo } from '../../src/domain/errors.js';
import { translateSqliteError } from '../../src/store/sqlite/errors.js';
import { openStore, type Access } from '../../src/store/store.js';
import { ROOT, tempDir } from '../support/cli.js';

// Opening the file (issue 9, items 7 and 10): what is at the path, which commands only read, and
// how SQLite's failures read. The permission cases need another account: see
// test/e2e/safety-permissions.e2e.test.ts.

async function refusal(fn: () => unknown): Promise<CannotDo> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CannotDo) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('what openStore finds at the path', () => {
  it('refuses a symbolic link to a missing file and creates nothing', async () => {
    const dir = tempDir();
    const link = join(dir, 'complaints.db');
    symlinkSync(join(dir, 'gone.db'), link);
    const e = await refusal(() => openStore(link));
    expect([e.key, e.params]).toEqual(['db_dangling_link', { path: link, target: join(dir, 'gone.db') }]);
    expect(existsSync(join(dir, 'gone.db'))).toBe(false);
  });

  it('opens while another clerk keeps opening and closing the file (its -wal and -shm come and go meanwhile)', async () => {
    const path = join(tempDir(), 'complaints.db');
    await (await openStore(path)).close();
    // The last connection to close removes the -wal and -shm: a look that saw them may find them gone.
    const clerk = `const S = require('better-sqlite3'); const end = Date.now() + 3000;
      while (Date.now() < end) { const d = new S(process.argv[1]); d.prepare('SELECT count(*) FROM tickets').get(); d.close(); }`;
    const child = spawn(process.execPath, ['-e', clerk, path], { cwd: ROOT, stdio: 'ignore' });
    let running = true;
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => ((running = false), done(code))));
    await new Promise((done) => setTimeout(done, 200));
    const refused: string[] = [];
    while (running) {
      try {
        await (await openStore(path)).close();
      } catch (e) {
        if (!(e instanceof CannotDo) || e.key === 'busy') throw e;
        refused.push(e.key);
      }
      await new Promise((done) => setImmediate(done));
    }
    expect(await exited).toBe(0);
    expect(refused).toEqual([]);
  }, 20_000);

  it("leaves another program's SQLite file exactly as it was, journal mode included", async () => {
    const path = join(tempDir(), 'places.sqlite');
    const raw = new Sqlite(path);
    raw.exec('CREATE TABLE places (url TEXT)');
    raw.close();
    const before = readFileSync(path);
    expect((await refusal(() => openStore(path))).key).toBe('db_not_complaints');
    expect((await refusal(() => openStore(path, { access: 'read' }))).key).toBe('db_not_complaints');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('takes over an empty file, restricting it to owner and group, and says it created the database', async () => {
    const path = join(tempDir(), 'complaints.db');
    writeFileSync(path, '');
    chmodSync(path, 0o646);
    const created: string[] = [];
    const store = await openStore(path, { onCreate: (p) => created.push(p) });
    try {
      expect(statSync(path).mode & 0o777).toBe(0o640);
      expect(created).toEqual([path]);
      expect(store.readOnly).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe("SQLite's failures, in one line", () => {
  const path = '/srv/complaints/complaints.db';
  const sqliteError = (code: string, message: string): Error => new Sqlite.SqliteError(message, code);

  it('a full disk: "the disk is full; nothing was saved"', () => {
    const e = translateSqliteError(sqliteError('SQLITE_FULL', 'database or disk is full'), path);
    expect(e).toBeInstanceOf(CannotDo);
    expect((e as CannotDo).key).toBe('disk_full');
  });

  it('an I/O error names the file', () => {
    const e = translateSqliteError(sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'), tempDir() + '/c.db') as CannotDo;
    expect(e).toBeInstanceOf(CannotDo);
    expect(e.key).toBe('db_io_error');
    expect(e.params.reason).toBe('disk I/O error');
    // Not SQLite's (an .ics file that is not there): left to the caller, never blamed on the database.
    const notOurs = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(translateSqliteError(notOurs, path)).toBe(notOurs);
  });
});

describe('which commands only read', () => {
  /** The access the program declares for a command line, caught where the Context is made. */
  async function accessFor(args: string[]): Promise<Access> {
    let seen: Access | undefined;
    const stop = new Error('stop');
    const { command } = buildProgram('0.0.0', (_globals, access) => {
      seen = access;
      throw stop;
    });
    command.exitOverride();
    await expect(command.parseAsync(['node', 'complaints', ...args])).rejects.toBe(stop);
    return seen!;
  }

  it('reading commands are declared as such, and everything else may write', async () => {
    const reading = [
      ['show', 'C2026-1'], ['list'], ['overdue'], ['report'], ['verify'], ['backup', 'copy.db'], ['calendar', 'show'], ['sla', 'show'],
    ];
    const writing = [
      ['log'], ['assign', 'C2026-1'], ['reply', 'C2026-1'], ['note', 'C2026-1'], ['extend', 'C2026-1'], ['close', 'C2026-1'],
      ['survey', 'C2026-1'], ['reopen', 'C2026-1'], ['hold', 'C2026-1'], ['resume', 'C2026-1'], ['overdue', '--new'], ['demo'],
      ['calendar', 'hours', 'set', 'mon-fri', '09:00-17:00'], ['calendar', 'holiday', 'add', '2026-12-01'],
      ['calendar', 'workday', 'add', '2026-12-05'], ['calendar', 'preset', 'cn', '2026'], ['calendar', 'import', 'x.ics'],
      ['calendar', 'timezone', 'set', 'UTC'], ['sla', 'set', 'first_reply', 'general', '4h'],
    ];
    for (const args of reading) expect(await accessFor(args), args.join(' ')).toBe('read');
    for (const args of writing) expect(await accessFor(args), args.join(' ')).toBe('write');
  });

  it('accessOf names a nested command by its parent', () => {
    const { command } = buildProgram('0.0.0');
    const calendar = command.commands.find((c) => c.name() === 'calendar')!;
    expect(accessOf(calendar.commands.find((c) => c.name() === 'show')!)).toBe('read');
    expect(accessOf(calendar.commands.find((c) => c.name() === 'holiday')!)).toBe('write');
  });
});
