import Sqlite from 'better-sqlite3';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, chownSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, openSync, closeSync, readFileSync, rmSync,
  statSync, symlinkSync, truncateSync, writeFileSync, writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/store/sqlite/migrations.js';
import { cliEntry, logArgs, officeAt, ROOT, runCli, tempDir, TEMPLATE_EVENTS, TEMPLATE_INIT, testEnv, type CliResult } from '../support/cli.js';
import { checkpoint, fileDigest, openRaw, ticketNumbers, withRaw } from '../support/sqlite.js';

// Issue 9, items 7 and 10: what is at the database path, who may read or write it, and a disk that
// fills up or fails. Permission checks do not apply to root, so the permission cases run the
// built program as a throwaway unprivileged account (created here, removed afterwards); the full
// and read-only disks are small tmpfs mounts. Both need root, as CI has: without it these tests
// fail, they never skip.

// Up to twenty runs of the program per test: room for a loaded CI machine.
const MANY_RUNS = { timeout: 120_000 };

const TAG = randomBytes(3).toString('hex');
const USER = `cmplu${TAG}`;
const GROUP = `cmplg${TAG}`;

function must(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${r.error?.message ?? r.stderr.trim()}); these tests need root with useradd, runuser and mount`);
  }
  return r.stdout;
}

function uidOf(user: string): number {
  return Number(must('id', ['-u', user]).trim());
}

function gidOf(group: string): number {
  return Number(must('getent', ['group', group]).split(':')[2]);
}

/** A temp folder every account can pass through. */
function openDir(): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  return dir;
}

/** The built program where the account can read it: dist/, schema/, package.json and the native addon. */
function installForAccount(): string {
  const dir = openDir();
  cpSync(dirname(cliEntry()), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(dir, 'schema'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  // scripts/build.mjs bundles everything but better-sqlite3 (a native addon): it and what it
  // requires at run time (bindings, which needs file-uri-to-path).
  const modules = join(ROOT, 'node_modules');
  const sqlite = join(dir, 'node_modules', 'better-sqlite3');
  mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true });
  copyFileSync(join(modules, 'better-sqlite3', 'package.json'), join(sqlite, 'package.json'));
  cpSync(join(modules, 'better-sqlite3', 'lib'), join(sqlite, 'lib'), { recursive: true });
  copyFileSync(join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
  for (const m of ['bindings', 'file-uri-to-path']) cpSync(join(modules, m), join(dir, 'node_modules', m), { recursive: true });
  must('chmod', ['-R', 'a+rX', dir]);
  return join(dir, 'dist', 'main.js');
}

let entry = '';

function asAccount(args: readonly string[], db: string, options: { umask?: string } = {}): CliResult {
  const command = [process.execPath, entry, '--db', db, ...args];
  const argv = options.umask === undefined
    ? ['-u', USER, '--', ...command]
    : ['-u', USER, '--', '/bin/sh', '-c', `umask ${options.umask}; exec "$@"`, 'sh', ...command];
  const r: SpawnSyncReturns<string> = spawnSync('runuser', argv, { env: testEnv(), encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withUmask(umask: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync('/bin/sh', ['-c', `umask ${umask}; exec "$@"`, 'sh', process.execPath, cliEntry(), ...args], { env: testEnv(env), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr and exit 1: a thing that could not be done, never an unexpected failure. */
function expectOneLine(r: CliResult, line: string, what: string): void {
  expect(r.stderr, what).toBe(`error: ${line}\n`);
  expect(r.status, what).toBe(1);
}

const mode = (path: string): number => statSync(path).mode & 0o7777;
// A caller of its own at each time: a second complaint from one with a ticket open is told so on stderr (issue 12).
const logged = (at: string, extra: Record<string, string | true> = {}): string[] =>
  [...logArgs({ at, phone: `138${at.replace(/\D/g, '').slice(4, 12)}`, ...extra }), '--yes'];

/** A database with two tickets, the second assigned, written by root. */
function officeDatabase(dir: string): string {
  const db = officeAt(join(dir, 'complaints.db'));
  expect(runCli(logged('2026-11-16 10:00'), { db }).status).toBe(0);
  expect(runCli(logged('2026-11-16 11:00', { subject: 'Heater sparks' }), { db }).status).toBe(0);
  expect(runCli(['assign', 'C2026-00002', '--unit', 'Logistics', '--at', '2026-11-16 12:00'], { db }).status).toBe(0);
  return db;
}

// Every command that only reads, and a sample of the ones that write (each kind of write path).
const READING: string[][] = [
  ['list'], ['show', 'C2026-00002'], ['verify'], ['report', '--month', '2026-11', '--as-of', '2026-11-30 10:00'],
  ['overdue', '--as-of', '2026-11-30 10:00'], ['calendar', 'show', '--year', '2026'], ['sla', 'show'],
];
const WRITING: string[][] = [
  logged('2026-11-17 10:00'), ['note', 'C2026-00001', '--message', 'called back', '--at', '2026-11-17 10:00'],
  ['assign', 'C2026-00001', '--unit', 'Billing', '--at', '2026-11-17 10:00'], ['overdue', '--new', '--as-of', '2026-11-30 10:00'],
  ['sla', 'set', 'first_reply', 'general', '6h'], ['calendar', 'holiday', 'add', '2026-12-01'], ['demo', '--tickets', '5'],
];

describe('what is at the database path', MANY_RUNS, () => {
  it('an empty file made by touch becomes the database at init, no more open than 0660, and so do its -wal and -shm', () => {
    const db = join(tempDir(), 'complaints.db');
    writeFileSync(db, '');
    chmodSync(db, 0o644);
    expect(withUmask('000', ['--db', db, ...TEMPLATE_INIT]).status).toBe(0);
    const r = withUmask('000', ['--db', db, ...logged('2026-11-16 10:00')]);
    expect(r.status, r.stderr).toBe(0);
    expect(mode(db) & ~0o660).toBe(0);
    const raw = openRaw(db);
    try {
      raw.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
      for (const f of [`${db}-wal`, `${db}-shm`]) expect(mode(f) & ~0o660, f).toBe(0);
    } finally {
      raw.close();
    }
    expect(ticketNumbers(db)).toEqual(['C2026-00001']);
  });

  it('a file that is not a complaints database is refused in one line and left exactly as it was', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'shopping list\n');
    const other = join(dir, 'places.sqlite'); // another program's SQLite file
    const raw = new Sqlite(other);
    raw.exec("CREATE TABLE places (url TEXT); INSERT INTO places VALUES ('https://example.cn')");
    raw.close();
    for (const db of [text, other]) {
      const before = fileDigest(db);
      for (const args of [logged('2026-11-16 10:00'), ['list'], ['verify']]) {
        expectOneLine(runCli(args, { db }), `${db} is not a complaints database; it was left untouched (give --db a new or empty file)`, `${db}: ${args[0]}`);
      }
      expect(fileDigest(db)).toBe(before);
      expect(existsSync(`${db}-wal`)).toBe(false);
    }
  });

  it('a symbolic link to a missing file is refused, naming both, and nothing is created', () => {
    const dir = tempDir();
    const target = join(dir, 'real', 'complaints.db');
    mkdirSync(dirname(target));
    const link = join(dir, 'complaints.db');
    symlinkSync(target, link);
    for (const args of [logged('2026-11-16 10:00'), ['list'], ['report', '--month', '2026-11']]) {
      expectOneLine(
        runCli(args, { db: link }),
        `${link} is a symbolic link to ${target}, which does not exist; nothing was created (point the link at the database, or remove it)`,
        args[0]!,
      );
    }
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('under umask 000 the folders made for the database are 0770, and 0700 at the per-user default location', () => {
    const dir = tempDir();
    const db = join(dir, 'office', 'complaints', 'complaints.db');
    expect(withUmask('000', ['--db', db, ...TEMPLATE_INIT]).status).toBe(0);
    expect(mode(join(dir, 'office'))).toBe(0o770);
    expect(mode(dirname(db))).toBe(0o770);
    expect(mode(db)).toBe(0o660);

    // XDG: the per-user data folders are created 0700.
    const home = tempDir();
    const r = withUmask('000', [...TEMPLATE_INIT], { HOME: home, XDG_DATA_HOME: '' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(`Set up a new complaints office at ${join(home, '.local', 'share', 'complaints', 'complaints.db')}.`);
    for (const f of ['.local', '.local/share', '.local/share/complaints']) expect(mode(join(home, f)), f).toBe(0o700);
  });

  it('restore onto a database whose folders are missing makes them as init does', () => {
    const source = officeAt(join(tempDir(), 'complaints.db'));
    expect(runCli([...logArgs({ at: '2026-11-16 10:00' }), '--yes'], { db: source }).status).toBe(0);
    const copy = join(tempDir(), 'copy.db');
    expect(runCli(['backup', copy], { db: source }).status).toBe(0);

    const dir = tempDir();
    const db = join(dir, 'office', 'complaints', 'complaints.db');
    const elsewhere = withUmask('000', ['--db', db, 'restore', copy]);
    expect(elsewhere.status, elsewhere.stderr).toBe(0);
    expect(mode(join(dir, 'office'))).toBe(0o770);
    expect(mode(dirname(db))).toBe(0o770);

    const home = tempDir();
    const r = withUmask('000', ['restore', copy], { HOME: home, XDG_DATA_HOME: '' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['.local', '.local/share', '.local/share/complaints']) expect(mode(join(home, f)), f).toBe(0o700);
  });
});

describe('permissions, as an unprivileged account', MANY_RUNS, () => {
  let uid = 0;
  let gid = 0;
  beforeAll(() => {
    expect(process.getuid?.(), 'these tests create an account: run them as root').toBe(0);
    must('groupadd', [GROUP]);
    must('useradd', ['-M', '-U', '-G', GROUP, '-s', '/usr/sbin/nologin', USER]);
    uid = uidOf(USER);
    gid = gidOf(GROUP);
    entry = installForAccount();
    const probe = asAccount(['--version'], '/nonexistent');
    if (probe.status !== 0) throw new Error(`the account cannot run the installed program: ${probe.stderr}`);
  });
  afterAll(() => {
    spawnSync('userdel', [USER]);
    spawnSync('groupdel', [GROUP]);
    spawnSync('groupdel', [USER]);
  });

  it('in a folder it cannot write, reading commands work while the -wal and -shm are there; writing ones name the file', () => {
    const dir = openDir();
    const db = officeDatabase(dir);
    chmodSync(db, 0o640);
    chownSync(db, 0, gid); // the account reads through its group
    // A clerk who can write has the file open: SQLite keeps its -wal and -shm beside it meanwhile.
    const clerk = new Sqlite(db);
    try {
      clerk.prepare('SELECT count(*) FROM tickets').get();
      expect(existsSync(`${db}-shm`)).toBe(true);
      for (const args of READING) {
        const r = asAccount(args, db);
        expect(r.stderr, args.join(' ')).toBe('');
        expect(r.status, args.join(' ')).toBe(0);
      }
      expect(asAccount(['list', '--json'], db).stdout).toContain('C2026-00002');
      const copy = join(openDir(), 'copy.db');
      chownSync(dirname(copy), uid, gid);
      expect(asAccount(['backup', copy], db).status).toBe(0);
      expect(ticketNumbers(copy)).toEqual(['C2026-00001', 'C2026-00002']);
      const before = fileDigest(db);
      for (const args of WRITING) expectOneLine(asAccount(args, db), `cannot save to ${db}: you need write permission on it`, args.join(' '));
      expect(fileDigest(db)).toBe(before);
    } finally {
      clerk.close();
    }
  });

  it('in a folder it cannot write with no -wal or -shm there, every command says which permission is missing', () => {
    const dir = openDir();
    const db = officeDatabase(dir);
    chmodSync(db, 0o660);
    chownSync(db, 0, gid); // it may even write the file, but SQLite cannot make its -wal and -shm
    expect(existsSync(`${db}-wal`)).toBe(false);
    for (const args of READING) {
      expectOneLine(
        asAccount(args, db),
        `cannot read ${db}: you need write permission on its folder ${dir}, where SQLite keeps its -wal and -shm files (or those files must already be there)`,
        args.join(' '),
      );
    }
    for (const args of WRITING) expectOneLine(asAccount(args, db), `cannot save to ${db}: you need write permission on its folder ${dir}`, args.join(' '));
    const fresh = join(dir, 'new.db');
    expectOneLine(asAccount([...TEMPLATE_INIT], fresh), `cannot create ${fresh}: you need write permission on the folder ${dir}`, 'new file');
    expectOneLine(
      asAccount([...TEMPLATE_INIT], join(dir, 'sub', 'new.db')),
      `cannot create the folder ${join(dir, 'sub')} for the database: you need write permission on ${dir}`,
      'new folder',
    );
    expect(existsSync(fresh)).toBe(false);
  });

  it('a file made read-only can still be read; once writable again its owner saves as before', () => {
    const dir = openDir();
    chownSync(dir, uid, gid);
    const db = join(dir, 'complaints.db');
    expect(asAccount([...TEMPLATE_INIT], db).status).toBe(0);
    expect(asAccount(logged('2026-11-16 10:00'), db).status).toBe(0);
    chmodSync(db, 0o440);
    for (const args of [['list'], ['show', 'C2026-00001'], ['verify']]) {
      const r = asAccount(args, db);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status, args.join(' ')).toBe(0);
    }
    expectOneLine(asAccount(logged('2026-11-16 11:00'), db), `cannot save to ${db}: you need write permission on it`, 'log');
    // The reader left a -wal and -shm behind (a read-only connection cannot remove them). They
    // must not keep the owner from saving once the file is writable again.
    expect(existsSync(`${db}-shm`)).toBe(true);
    for (const f of [`${db}-wal`, `${db}-shm`]) expect(mode(f) & ~0o660, f).toBe(0);
    chmodSync(db, 0o660);
    const r = asAccount(logged('2026-11-16 11:00'), db);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002']);
  });

  it('a file that needs upgrading cannot be opened read-only: one line says who can upgrade it, and it is untouched', () => {
    const dir = openDir();
    chownSync(dir, uid, gid); // SQLite may make its -wal and -shm here; the file itself is read-only
    const db = officeDatabase(dir);
    const latest = listMigrations().at(-1)!.version;
    withRaw(db, (raw) => raw.pragma(`user_version = ${latest - 1}`));
    checkpoint(db);
    chmodSync(db, 0o640);
    chownSync(db, 0, gid);
    const before = fileDigest(db);
    for (const args of [['list'], ['verify']]) {
      expectOneLine(
        asAccount(args, db),
        `${db} needs upgrading from schema ${latest - 1} to ${latest}, and you can only read it: someone who can write it (and its folder) must run any complaints command once`,
        args[0]!,
      );
    }
    expect(fileDigest(db)).toBe(before);
    expect(existsSync(`${db}.schema-${latest - 1}.bak`)).toBe(false);
  });

  it("the README's shared folder (setgid 2770, made by the admin) keeps its group on what the program makes in it, even under umask 000", () => {
    const shared = join(openDir(), 'srv-complaints');
    mkdirSync(shared);
    chownSync(shared, 0, gid);
    chmodSync(shared, 0o2770);
    const db = join(shared, 'complaints.db');
    expect(asAccount([...TEMPLATE_INIT], db, { umask: '022' }).status).toBe(0);
    expect(asAccount(logged('2026-11-16 10:00'), db, { umask: '022' }).status).toBe(0);
    expect(mode(db)).toBe(0o660);
    expect(statSync(db).gid).toBe(gid);
    const nested = join(shared, 'branch', 'complaints.db');
    expect(asAccount([...TEMPLATE_INIT], nested, { umask: '000' }).status).toBe(0);
    const r = asAccount(logged('2026-11-16 10:00'), nested, { umask: '000' });
    expect(r.status, r.stderr).toBe(0);
    expect(mode(dirname(nested))).toBe(0o2770);
    expect(statSync(dirname(nested)).gid).toBe(gid);
    expect(mode(nested)).toBe(0o660);
    expect(asAccount(['list'], db).status).toBe(0);
  });
});

describe('a full, failing or read-only disk', MANY_RUNS, () => {
  const mounts: string[] = [];
  beforeAll(() => {
    expect(process.getuid?.(), 'these tests mount a small tmpfs: run them as root').toBe(0);
  });
  afterAll(() => {
    for (const m of mounts) {
      if (spawnSync('umount', [m]).status !== 0) spawnSync('umount', ['-l', m]);
    }
  });

  /** A small file system of its own, so that filling it harms nothing else. */
  function smallDisk(size: string): string {
    const dir = tempDir();
    must('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  }

  /** Fills the disk, then frees `pages` 4 KiB pages (-shm needs 8 of them before any write). */
  function fill(dir: string, pages: number): string {
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    truncateSync(filler, Math.max(0, statSync(filler).size - pages * 4096));
    return filler;
  }

  it('a full disk says "the disk is full; nothing was saved", and nothing was', () => {
    const dir = smallDisk('1m');
    const db = officeDatabase(dir);
    const writes = [
      logged('2026-11-17 10:00', { description: 'x'.repeat(9000) }),
      ['note', 'C2026-00001', '--message', 'y'.repeat(9000), '--at', '2026-11-17 10:00'],
      ['calendar', 'preset', 'cn', '2026'],
    ];
    // Room for the -shm but not for what is written (SQLite reports SQLITE_FULL), then no room at all.
    for (const pages of [9, 0]) {
      const filler = fill(dir, pages);
      for (const args of writes) expectOneLine(runCli(args, { db }), 'the disk is full; nothing was saved', `${args[0]} with ${pages} pages free`);
      rmSync(filler);
    }
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002']);
    const verify = runCli(['verify', '--json'], { db });
    expect(verify.status, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, tickets: 2, events: 3 + TEMPLATE_EVENTS });
  });

  it('an I/O error while saving is one line naming the file, and nothing was saved', () => {
    const dir = tempDir();
    const db = officeDatabase(dir);
    // The file-size limit makes write() fail with EFBIG once the -wal passes 32 KiB: a real
    // SQLITE_IOERR_WRITE, as from a failing disk, on a disk that still has room.
    const r = spawnSync('prlimit', [`--fsize=${32 * 1024}`, '--', process.execPath, cliEntry(), '--db', db, ...logged('2026-11-17 10:00', { description: 'x'.repeat(9000) })], { env: testEnv(), encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expectOneLine({ status: r.status, stdout: r.stdout, stderr: r.stderr }, `the disk failed reading or writing ${db} (disk I/O error); nothing was saved`, 'log');
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002']);
  });

  it('a read-only file system: one line naming the file, for reading and writing commands alike', () => {
    const dir = smallDisk('1m');
    const db = officeDatabase(dir);
    must('mount', ['-o', 'remount,ro', dir]);
    for (const args of WRITING) expectOneLine(runCli(args, { db }), `cannot save to ${db}: the file system holding it is read-only`, args.join(' '));
    for (const args of [['list'], ['verify']]) {
      expectOneLine(runCli(args, { db }), `cannot read ${db}: the file system holding it is read-only and its -wal and -shm files are not there (SQLite needs them to read it)`, args[0]!);
    }
    expectOneLine(runCli([...TEMPLATE_INIT], { db: join(dir, 'sub', 'c.db') }), `cannot create the folder ${join(dir, 'sub')} for the database: the file system holding it is read-only`, 'new folder');
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
