import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry, logArgs, runCli, tempDir, testEnv, type CliResult, officeAt, TEMPLATE_EVENTS } from '../support/cli.js';
import { sleep } from '../support/random.js';
import { fileDigest, integrityCheck, openRaw, ticketNumbers, withRaw } from '../support/sqlite.js';
import { receipts, spawnCli, startWriter, writerScript } from '../support/writer.js';

// Issue 9 §1, §2, §8: a command that writes a file never writes over the live database, whatever
// route the path takes; an output is written whole or not at all; and a receipt number once read to
// a complainant never names another complaint, a restore from last night's copy included.

/** A clerk logging tickets one command at a time, as the shell loops did, until told to stop. */
interface Clerk {
  printed: string[];
  failures: string[];
  attempts: number;
  done: Promise<void>;
}

function clerkLoop(db: string, tag: string, stop: { now: boolean }): Clerk {
  const clerk: Clerk = { printed: [], failures: [], attempts: 0, done: Promise.resolve() };
  const { printed, failures } = clerk;
  clerk.done = (async () => {
    for (let i = 0; !stop.now; i++) {
      clerk.attempts++;
      const p = spawnCli([...logArgs({ subject: `Clerk ${tag} complaint ${i}`, at: '2026-11-20 10:00' }), '--yes'], db);
      const end = await p.exited;
      printed.push(...receipts(p.stdout()));
      if (end.code !== 0) failures.push(`${tag}: exit ${end.code}: ${p.stderr().trim()}`);
    }
  })();
  return clerk;
}

describe('backup --force never writes over the live database', () => {
  it('refuses link/c.db (a symlinked folder) while four clerks keep logging: every receipt survives', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real', join(dir, 'link'), 'dir');
    const db = officeAt(join(dir, 'real', 'c.db'));
    const script = await writerScript();
    // Some history first, so the copy is more than a page or two.
    const seed = startWriter(script, db, { count: 60, tag: 'history' });
    expect((await seed.exited).code, seed.stderr()).toBe(0);

    // Two clerks who keep the program open all day, and four who run one command at a time.
    const writers = [1, 2].map((n) => startWriter(script, db, { tag: `open${n}` }));
    await Promise.all(writers.map((w) => w.writing));
    const stop = { now: false };
    const clerks = [1, 2, 3, 4].map((n) => clerkLoop(db, `w${n}`, stop));
    while (clerks.some((c) => c.printed.length < 3)) await sleep(50);
    const backup = spawnCli(['backup', '--force', join(dir, 'link', 'c.db')], db);
    const end = await backup.exited;
    // The clerks keep saving after the attempt: damage to the live file shows in their next saves.
    const after = clerks.map((c) => c.attempts);
    while (clerks.some((c, i) => c.attempts < after[i]! + 4)) await sleep(50);
    stop.now = true;
    await Promise.all(clerks.map((c) => c.done));
    for (const w of writers) w.child.kill('SIGTERM');
    for (const w of writers) await w.exited;

    expect(backup.stdout()).toBe('');
    expect(backup.stderr()).toBe(`error: ${join(dir, 'link', 'c.db')} is the database ${db} or one of its own files; give another file\n`);
    expect(end.code).toBe(1);
    // On a loaded machine a clerk may wait past the busy timeout: refused and told, nothing printed,
    // nothing lost. Any other failure is the damage this guards against.
    const busy = /^(?:w\d: exit 1: error: )?the database is busy \(someone else is saving\); nothing was saved, try again$/;
    const failures = [...clerks.flatMap((c) => c.failures), ...writers.map((w) => w.stderr().trim())].filter((f) => f !== '');
    expect(failures.filter((f) => !busy.test(f))).toEqual([]);
    expect(integrityCheck(db)).toBe('ok');
    const verify = runCli(['verify'], { db });
    expect(verify.status, verify.stdout).toBe(0);
    const printed = [seed, ...writers].flatMap((w) => receipts(w.stdout())).concat(clerks.flatMap((c) => c.printed));
    expect(printed.length).toBeGreaterThan(80);
    const stored = new Set(ticketNumbers(db));
    expect(printed.filter((no) => !stored.has(no))).toEqual([]);
    expect(readdirSync(join(dir, 'real')).filter((f) => !/^c\.db(-wal|-shm)?$/.test(f))).toEqual([]);
  }, 120_000);
});

/** A folder with the database at real/c.db holding `tickets` tickets, and `link` -> real. */
function office(tickets = 2): { dir: string; db: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'real'));
  symlinkSync('real', join(dir, 'link'), 'dir');
  const db = officeAt(join(dir, 'real', 'c.db'));
  for (let i = 0; i < tickets; i++) {
    const r = runCli([...logArgs({ at: `2026-11-20 ${String(10 + i).padStart(2, '0')}:00` }), '--yes'], { db });
    expect(r.status, r.stderr).toBe(0);
  }
  return { dir, db };
}

/** Every file under the office folder (the database's real folder included), to prove nothing was added. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

function refusedAsDatabase(r: CliResult, given: string, db: string): void {
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error: ${given} is the database ${db} or one of its own files; give another file\n`);
  expect(r.status).toBe(1);
}

describe('no route leads a written file onto the database', () => {
  it('backup --force by hard link, by symlink to the file, and by `..` after a symlink: refused, nothing written', () => {
    const { dir, db } = office();
    mkdirSync(join(dir, 'real', 'sub'));
    symlinkSync(join('real', 'sub'), join(dir, 'deep'), 'dir');
    linkSync(db, join(dir, 'hard.db'));
    symlinkSync(db, join(dir, 'soft.db'));
    const before = fileDigest(db);
    const files = listing(dir);
    // deep/.. is real/ for the system, though path.resolve reads it as the office folder.
    // Written out by hand: path.join would fold the `..` away.
    for (const given of [join(dir, 'hard.db'), join(dir, 'soft.db'), `${dir}/deep/../c.db`, `${dir}/real/sub/../c.db`]) {
      refusedAsDatabase(runCli(['backup', '--force', given], { db }), given, db);
    }
    expect(fileDigest(db)).toBe(before);
    expect(listing(dir)).toEqual(files);
    expect(integrityCheck(db)).toBe('ok');
  });

  it("the database's -wal, -shm and -journal are refused even while they do not exist", () => {
    const { dir, db } = office();
    expect(existsSync(`${db}-wal`)).toBe(false); // an idle database has none
    const files = listing(dir);
    for (const suffix of ['-wal', '-shm', '-journal']) {
      const given = join(dir, 'link', `c.db${suffix}`);
      refusedAsDatabase(runCli(['backup', given], { db }), given, db);
      refusedAsDatabase(runCli(['report', '--month', '2026-11', '--as-of', '2026-12-01 09:00', '--output', given], { db }), given, db);
    }
    expect(listing(dir)).toEqual(files);
  });

  it('report --output onto the database, directly, through link/ or a hard link, --force or not: refused, the file intact', () => {
    const { dir, db } = office();
    linkSync(db, join(dir, 'victim.db'));
    const before = fileDigest(db);
    const files = listing(dir);
    for (const given of [db, join(dir, 'link', 'c.db'), join(dir, 'victim.db')]) {
      for (const force of [[], ['--force']]) {
        const r = runCli(['report', '--month', '2026-11', '--as-of', '2026-12-01 09:00', '--format', 'csv', '--output', given, ...force], { db });
        refusedAsDatabase(r, given, db);
      }
    }
    expect(fileDigest(db)).toBe(before);
    expect(listing(dir)).toEqual(files);
    expect(runCli(['verify'], { db }).status).toBe(0);
  });

  it('report --output keeps an existing file unless --force; --force replaces it whole, no more open than the database', () => {
    const { dir, db } = office();
    const out = join(dir, 'bulletin.csv');
    writeFileSync(out, 'last month\n', { mode: 0o644 });
    const report = ['report', '--month', '2026-11', '--as-of', '2026-12-01 09:00', '--format', 'csv', '--output', out];
    const kept = runCli(report, { db });
    expect(kept.stderr).toBe(`error: ${out} already exists; give --force to overwrite it\n`);
    expect(kept.status).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('last month\n');

    const forced = runCli([...report, '--force'], { db });
    expect(forced.stderr).toBe(`Report 2026-11 written to ${out}.\n`);
    expect(forced.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(runCli(report.slice(0, -2), { db }).stdout);
    expect(statSync(out).mode & 0o777).toBe(statSync(db).mode & 0o660);
    expect(listing(dir).filter((f) => f.includes('.tmp'))).toEqual([]);

    const alone = runCli(['report', '--month', '2026-11', '--force'], { db });
    expect(alone.stderr).toBe('error: --force needs --output\n');
    expect(alone.status).toBe(2);
  });

  it('a write that fails half-way (file size limit) leaves the old file as it was, and no new or temporary file', () => {
    const { dir, db } = office();
    const out = join(dir, 'bulletin.html');
    writeFileSync(out, 'last month\n');
    const fresh = join(dir, 'new.html');
    // A clerk's open connection keeps the -wal and -shm in place: under the limit SQLite could not size them.
    const holder = openRaw(db);
    try {
      holder.prepare('SELECT count(*) FROM tickets').get();
      const files = listing(dir);
      const limited = (target: string, extra: string[]): ReturnType<typeof spawnSync> =>
        spawnSync('bash', ['-c', 'ulimit -f 1; exec "$@"', 'bash', process.execPath, cliEntry(), '--db', db,
          'report', '--month', '2026-11', '--as-of', '2026-12-01 09:00', '--format', 'html', '--output', target, ...extra], { env: testEnv(), encoding: 'utf8' });
      for (const [target, extra] of [[out, ['--force']], [fresh, []]] as const) {
        const r = limited(target, [...extra]);
        expect(r.stderr).toMatch(new RegExp(`^error: cannot write the report to ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: EFBIG: file too large[^\\n]*\\n$`));
        expect(r.status).toBe(1);
      }
      expect(readFileSync(out, 'utf8')).toBe('last month\n');
      expect(existsSync(fresh)).toBe(false);
      expect(listing(dir)).toEqual(files);
    } finally {
      holder.close();
    }
  });
});

function logged(db: string, at: string): string {
  const r = runCli([...logArgs({ at }), '--yes'], { db });
  expect(r.status, r.stderr).toBe(0);
  return receipts(r.stdout)[0]!;
}

interface AnchorLine {
  at: string;
  db: string;
  copy: string;
  origin: string | null;
  chain_head: { event: number; hash: string } | null;
  last_numbers: Record<string, number>;
}

function anchorLines(file: string): AnchorLine[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as AnchorLine);
}

describe('the anchor file beside the copies', () => {
  it('gets one line per backup, appended, never rewritten: time, chain head and last numbers of that copy', () => {
    const { dir, db } = office(2);
    mkdirSync(join(dir, 'backup'));
    const anchor = join(dir, 'backup', 'c.db.anchor');
    expect(runCli(['backup', join(dir, 'backup', 'monday.db')], { db }).status).toBe(0);
    const first = readFileSync(anchor, 'utf8');
    logged(db, '2026-11-21 10:00');
    expect(runCli(['backup', join(dir, 'backup', 'tuesday.db')], { db }).status).toBe(0);
    logged(db, '2026-11-22 10:00');
    const forced = runCli(['backup', '--force', join(dir, 'backup', 'monday.db')], { db });
    expect(forced.stdout).toContain(`its anchor line is in ${anchor}.`);

    expect(readFileSync(anchor, 'utf8').startsWith(first)).toBe(true);
    const lines = anchorLines(anchor);
    expect(lines.map((l) => [l.copy, l.last_numbers])).toEqual([
      [join(dir, 'backup', 'monday.db'), { 2026: 2 }],
      [join(dir, 'backup', 'tuesday.db'), { 2026: 3 }],
      [join(dir, 'backup', 'monday.db'), { 2026: 4 }],
    ]);
    const copyHead = withRaw(join(dir, 'backup', 'tuesday.db'), (raw) => ({
      head: JSON.parse(raw.prepare("SELECT value FROM settings WHERE key = 'event_chain_head'").pluck().get() as string) as unknown,
      // 32 bytes in the file, lower-case hex in the anchor line.
      origin: raw.prepare('SELECT lower(hex(hash)) FROM events ORDER BY id LIMIT 1').pluck().get(),
    }));
    expect(lines[1]!.chain_head).toEqual(copyHead.head);
    expect(copyHead.origin).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.every((l) => l.origin === copyHead.origin && l.db === db && !Number.isNaN(Date.parse(l.at)))).toBe(true);
    expect(statSync(anchor).mode & 0o777).toBe(statSync(db).mode & 0o660);
  });
});

describe('restore', () => {
  it('puts the copy back, keeps the replaced file with its -wal, and never gives a printed number again', async () => {
    const { dir, db } = office(3);
    const copy = join(dir, 'monday.db');
    expect(runCli(['backup', copy], { db }).status).toBe(0);
    // The day goes on: a clerk's program logs and is killed mid-work, leaving its -wal behind.
    const script = await writerScript();
    const writer = startWriter(script, db, { tag: 'day' });
    await writer.writing;
    while (receipts(writer.stdout()).length < 5) await sleep(20);
    writer.child.kill('SIGKILL');
    await writer.exited;
    const printed = receipts(writer.stdout());
    expect(existsSync(`${db}-wal`)).toBe(true);
    const mode = statSync(db).mode & 0o777;

    const r = runCli(['restore', copy, '--at', '2026-11-23 08:00'], { db });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const aside = readdirSync(join(dir, 'real')).filter((f) => /^c\.db\.before-restore-\d{8}T\d{6}Z$/.test(f));
    expect(aside).toHaveLength(1);
    const kept = join(dir, 'real', aside[0]!);
    // The killed writer may have saved one more ticket than it lived to print: the skip covers
    // every number the replaced file issued, which includes every printed one.
    // (checked against the replaced file itself below, once its -wal has been looked at).
    const lastPrinted = Math.max(...printed.map((no) => Number(no.slice(6))));
    const last = Number(/to C2026-(\d{5}) will never be given/.exec(r.stdout)?.[1]);
    expect(last).toBeGreaterThanOrEqual(lastPrinted);
    const no = (n: number): string => `C2026-${String(n).padStart(5, '0')}`;
    expect(r.stdout).toBe([
      `Restored ${copy} as ${db}.`,
      `The database it replaced is kept as ${kept}.`,
      `Numbers C2026-00004 to ${no(last)} will never be given: they may have been read to complainants after the copy was taken (recorded in the event log).`,
      `The next ticket of 2026 will be ${no(last + 1)}.`,
      '',
    ].join('\n'));

    // The copy is the database now, with the database's mode; no stale -wal was replayed onto it.
    expect(statSync(db).mode & 0o777).toBe(mode);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(ticketNumbers(db)).toEqual([no(1), no(2), no(3)]);
    expect(integrityCheck(db)).toBe('ok');
    // The replaced file is whole, its -wal beside it under its new name.
    expect(existsSync(`${kept}-wal`)).toBe(true);
    const keptNumbers = ticketNumbers(kept);
    expect(keptNumbers.at(-1)).toBe(no(last));
    expect(printed.filter((n) => !keptNumbers.includes(n))).toEqual([]);

    const next = logged(db, '2026-11-23 09:00');
    expect(next).toBe(no(last + 1));
    expect([...printed, no(1), no(2), no(3)]).not.toContain(next);
    const verify = runCli(['verify'], { db });
    expect(verify.status, verify.stdout).toBe(0);
    const event = withRaw(db, (raw) => raw.prepare("SELECT ticket_id, actor, at, payload FROM events WHERE kind = 'numbers_skipped'").all()) as
      { ticket_id: number | null; actor: string; at: number; payload: string }[];
    expect(event).toHaveLength(1);
    expect(event[0]!.ticket_id).toBeNull();
    expect(event[0]!.actor).toBe('clerk1');
    expect(event[0]!.at).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect((JSON.parse(event[0]!.payload) as { d: unknown }).d).toMatchObject({ skipped: [{ year: 2026, from: 'C2026-00004', to: no(last) }], restored_from: copy, kept_as: kept });
  }, 60_000);

  it('with the database lost, numbers past what a later backup\'s anchor line knew (the one beside the copy, or --anchor)', () => {
    const { dir, db } = office(3);
    mkdirSync(join(dir, 'backup'));
    const monday = join(dir, 'backup', 'monday.db');
    expect(runCli(['backup', monday], { db }).status).toBe(0);
    logged(db, '2026-11-21 10:00');
    logged(db, '2026-11-21 11:00');
    expect(runCli(['backup', join(dir, 'backup', 'tuesday.db')], { db }).status).toBe(0);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true }); // the disk died

    const r = runCli(['restore', monday, '--at', '2026-11-23 08:00'], { db });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Numbers C2026-00004 to C2026-00005 will never be given');
    expect(r.stdout).not.toContain('kept as');
    expect(logged(db, '2026-11-23 09:00')).toBe('C2026-00006');

    // The anchor carried elsewhere and named with --anchor does the same.
    const other = office(3);
    const copy = join(other.dir, 'copy.db');
    expect(runCli(['backup', copy], { db: other.db }).status).toBe(0);
    for (let i = 0; i < 4; i++) logged(other.db, `2026-11-21 1${i}:00`);
    expect(runCli(['backup', join(other.dir, 'later.db')], { db: other.db }).status).toBe(0);
    const carried = join(tempDir(), 'anchor.txt');
    writeFileSync(carried, readFileSync(join(other.dir, 'c.db.anchor')));
    rmSync(join(other.dir, 'c.db.anchor'));
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${other.db}${suffix}`, { force: true });
    const restored = runCli(['restore', copy, '--anchor', carried, '--at', '2026-11-23 08:00'], { db: other.db });
    expect(restored.status, restored.stderr).toBe(0);
    expect(logged(other.db, '2026-11-23 09:00')).toBe('C2026-00008');
  });

  it('one number lost is named as one number, and asking for it later says why it is gone', () => {
    const { dir, db } = office(3);
    const copy = join(dir, 'copy.db');
    expect(runCli(['backup', copy], { db }).status).toBe(0);
    expect(logged(db, '2026-11-21 10:00')).toBe('C2026-00004');
    const r = runCli(['restore', copy, '--at', '2026-11-23 08:00'], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Number C2026-00004 will never be given: it may have been read to a complainant after the copy was taken');
    expect(logged(db, '2026-11-23 09:00')).toBe('C2026-00005');
    // The caller rings back with the lost receipt: the clerk hears why there is no such ticket.
    const lost = runCli(['show', 'C2026-4'], { db });
    expect(lost.status).toBe(1);
    expect(lost.stderr).toBe(
      'error: no ticket C2026-00004: that number was given out after the backup that was restored on 2026-11-23 08:00, so the ticket was lost with it; enter the complaint again (from the kept database or paper) and give the caller the new number\n',
    );
    expect(runCli(['show', 'C2026-00006'], { db }).stderr).toBe('error: no ticket C2026-00006\n');
  });

  it('a database that is no longer a database (a report written over it) still yields to the anchor, with a warning', () => {
    const { dir, db } = office(3);
    const copy = join(dir, 'copy.db');
    expect(runCli(['backup', copy], { db }).status).toBe(0);
    logged(db, '2026-11-21 10:00');
    expect(runCli(['backup', join(dir, 'later.db')], { db }).status).toBe(0);
    writeFileSync(db, 'Unit,Received\nQuality,3\n');
    const r = runCli(['restore', copy, '--at', '2026-11-23 08:00'], { db });
    expect(r.stderr).toMatch(new RegExp(`^warning: the numbers given in ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read \\(.+\\); numbering continues past the copy and the anchor files\\n$`));
    expect(r.status).toBe(0);
    expect(logged(db, '2026-11-23 09:00')).toBe('C2026-00005');
  });

  it('refuses a copy that fails its checks, or is the database itself, with one line, changing nothing', () => {
    const { dir, db } = office(3);
    const good = join(dir, 'good.db');
    expect(runCli(['backup', good], { db }).status).toBe(0);
    // The headers of some pages of the copy overwritten: SQLite's own check fails.
    const damaged = join(dir, 'damaged.db');
    const bytes = readFileSync(good);
    for (let page = 2; page <= 10; page++) bytes.fill(0x55, 4096 * (page - 1), 4096 * (page - 1) + 12);
    writeFileSync(damaged, bytes);
    // An event edited in the copy: the file is sound, the hash chain is not.
    const tampered = join(dir, 'tampered.db');
    writeFileSync(tampered, readFileSync(good));
    withRaw(tampered, (raw) => {
      raw.exec('DROP TRIGGER events_no_update');
      raw.prepare("UPDATE events SET actor = 'nobody' WHERE id = ?").run(2 + TEMPLATE_EVENTS);
      raw.pragma('journal_mode = DELETE');
    });
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n');
    const before = fileDigest(db);
    const files = listing(dir);

    const cases: [string, RegExp][] = [
      [damaged, /^error: .*damaged\.db cannot be restored, it fails its checks: .+; nothing was changed\n$/],
      [tampered, new RegExp(`^error: .*tampered\\.db cannot be restored, it fails its checks: event ${2 + TEMPLATE_EVENTS} \\(C2026-00002\\): does not match its hash: it, or event ${1 + TEMPLATE_EVENTS} before it, was changed after it was recorded; the hash chain is broken here; nothing was changed\n$`)],
      [text, /^error: .*notes\.txt cannot be restored, it fails its checks: file is not a database; nothing was changed\n$/],
      [join(dir, 'link', 'c.db'), new RegExp(`^error: ${join(dir, 'link', 'c.db')} is the database ${db} or one of its own files; give another file\\n$`)],
      [join(dir, 'none.db'), /^error: no backup copy at .*none\.db\n$/],
    ];
    for (const [copy, message] of cases) {
      const r = runCli(['restore', copy], { db });
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(1);
    }
    expect(fileDigest(db)).toBe(before);
    expect(listing(dir)).toEqual(files);
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
  });
});
