import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry, logArgs, runCli, tempDir, testEnv, type CliResult } from '../support/cli.js';
import { sleep } from '../support/random.js';
import { fileDigest, integrityCheck, openRaw, ticketNumbers } from '../support/sqlite.js';
import { receipts, spawnCli, startWriter, writerScript } from '../support/writer.js';

// Issue 9 §1, §2: a command that writes a file never writes over the live database, whatever
// route the path takes, and an output is written whole or not at all.

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
    const db = join(dir, 'real', 'c.db');
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
  const db = join(dir, 'real', 'c.db');
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
