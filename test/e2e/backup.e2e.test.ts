import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logArgs, runCli, tempDbPath, tempDir } from '../support/cli.js';
import { integrityCheck, ticketNumbers, withRaw } from '../support/sqlite.js';
import { spawnCli, startWriter, writerScript } from '../support/writer.js';

// The disk with the only copy dies: `backup FILE` must give a consistent copy while clerks keep
// writing. VACUUM INTO copies in one step; the page-by-page online backup restarts on every
// commit by another connection and, under continuous writers, may never finish.

describe('backup', () => {
  it('completes under continuous writers, and the copy is sound and verifies', async () => {
    const db = tempDbPath();
    const script = await writerScript();
    // Some history first, so the copy is more than a page or two.
    const seed = startWriter(script, db, { count: 150, tag: 'history' });
    expect((await seed.exited).code, seed.stderr()).toBe(0);

    const writers = [startWriter(script, db, { tag: 'w1' }), startWriter(script, db, { tag: 'w2' })];
    await Promise.all(writers.map((w) => w.writing));
    const out = join(tempDir(), 'complaints-backup.db');
    const countBefore = ticketNumbers(db).length;
    const started = Date.now();
    const backup = spawnCli(['backup', out], db);
    const end = await backup.exited;
    const took = Date.now() - started;
    const writtenDuring = ticketNumbers(db).length - countBefore;
    for (const w of writers) w.child.kill('SIGTERM');
    for (const w of writers) await w.exited;
    const r = { status: end.code, stdout: backup.stdout(), stderr: backup.stderr() };

    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const size = statSync(out).size;
    const quoted = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const anchor = join(dirname(out), 'complaints.db.anchor');
    expect(r.stdout).toMatch(new RegExp(`^Backed up to ${quoted(out)} \\(.*${size} bytes\\); its anchor line is in ${quoted(anchor)}\\.\\n$`));
    expect(writtenDuring).toBeGreaterThan(0); // the writers really were writing while it copied
    expect(statSync(out).mode & 0o007).toBe(0);
    expect(integrityCheck(out)).toBe('ok');
    const copied = ticketNumbers(out);
    expect(copied.length).toBeGreaterThanOrEqual(countBefore);
    // A snapshot: every ticket in the copy is in the live file.
    const live = new Set(ticketNumbers(db));
    expect(copied.every((no) => live.has(no))).toBe(true);
    const verify = runCli(['verify'], { db: out });
    expect(verify.status, verify.stdout).toBe(0);
    console.info(`backup: ${size} bytes in ${took} ms while 2 writers saved ${writtenDuring} more tickets`);
  }, 90_000);

  it('refuses to overwrite an existing file without --force, and replaces it with --force', () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { db }).status).toBe(0);
    const out = join(tempDir(), 'copy.db');
    expect(runCli(['backup', out], { db }).status).toBe(0);
    const first = readFileSync(out);

    expect(runCli([...logArgs({ at: '2026-11-20 11:00' }), '--yes'], { db }).status).toBe(0);
    const refused = runCli(['backup', out], { db });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`error: ${out} already exists; give --force to overwrite it\n`);
    expect(readFileSync(out).equals(first)).toBe(true);

    const forced = runCli(['backup', out, '--force'], { db });
    expect(forced.status, forced.stderr).toBe(0);
    expect(ticketNumbers(out)).toEqual(['C2026-00001', 'C2026-00002']);
    const version = (file: string): unknown => withRaw(file, (raw) => raw.pragma('user_version', { simple: true }));
    expect(version(out)).toBe(version(db));
  });

  it('will not write over the database itself, nor copy a database that does not exist', () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { db }).status).toBe(0);
    const self = runCli(['backup', db, '--force'], { db });
    expect(self.status).toBe(1);
    expect(self.stderr).toBe(`error: ${db} is the database ${db} or one of its own files; give another file\n`);
    expect(ticketNumbers(db)).toEqual(['C2026-00001']);

    const missing = join(tempDir(), 'none.db');
    const r = runCli(['backup', join(tempDir(), 'copy.db')], { db: missing });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: no database at ${missing}: set one up with \`complaints init\`, or give --db PATH or set COMPLAINTS_DB\n`);

    const noDir = runCli(['backup', join(tempDir(), 'no', 'such', 'dir', 'copy.db')], { db });
    expect(noDir.status).toBe(1);
    expect(noDir.stderr).toMatch(/^error: cannot write .*copy\.db: the folder .*dir does not exist \(create it first\)\n$/);
  });
});
