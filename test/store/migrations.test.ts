import { copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotDo } from '../../src/domain/errors.js';
import { listMigrations } from '../../src/store/sqlite/migrations.js';
import { openStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { logArgs, ROOT, runCli, tempDir } from '../support/cli.js';
import { RELEASE1, releaseOneFile } from '../support/release1.js';
import { checkpoint, fileDigest, sequence, ticketNumbers, withRaw } from '../support/sqlite.js';

// Versioned migrations in schema/, applied on open (SPEC §7). An office upgrades the program and
// its file follows, after a copy is kept aside; an old program never writes to a newer file.

/** A migrations folder holding the given files of the program's schema/ and, optionally, more steps. */
function migrationsDir(extra: Record<string, string> = {}, program: readonly string[] = ['001_initial.sql']): string {
  const dir = tempDir('complaints-schema-');
  for (const file of program) copyFileSync(join(ROOT, 'schema', 'sqlite', file), join(dir, file));
  for (const [file, sql] of Object.entries(extra)) writeFileSync(join(dir, file), sql);
  return dir;
}

/** The release-1 office as schema 1 left it (test/support/release1.ts). */
function schemaOneDatabase(): string {
  return releaseOneFile(1);
}

const SCHEMA_2 = `
CREATE TABLE ticket_tags (ticket_id INTEGER NOT NULL REFERENCES tickets (id), tag TEXT NOT NULL, PRIMARY KEY (ticket_id, tag)) STRICT;
ALTER TABLE tickets ADD COLUMN external_ref TEXT;
`;

describe('migrations on open', () => {
  it('asks who is acting before migrating an existing file: a refusal leaves it as it was, a new file is not asked (issue 13)', async () => {
    const db = join(tempDir(), 'office.db');
    let asked = 0;
    const ask = async (): Promise<void> => {
      asked++;
    };
    await (await openStore(db, { beforeMigrate: ask })).close();
    expect(asked).toBe(0);
    const program = listMigrations().map((m) => m.file);
    const next = listMigrations().at(-1)!.version + 1;
    const dir = migrationsDir({ [`${String(next).padStart(3, '0')}_tags.sql`]: SCHEMA_2 }, program);
    const refused = new CannotDo('migrate_needs_person', { path: db, login: 'nobody' });
    await expect(openStore(db, { schemaDir: dir, beforeMigrate: async () => Promise.reject(refused) })).rejects.toBe(refused);
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(next - 1);
    expect(existsSync(`${db}.schema-${next - 1}.bak`)).toBe(false);
    await (await openStore(db, { schemaDir: dir, beforeMigrate: ask })).close();
    expect(asked).toBe(1);
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(next);
    // Up to date: nothing to ask.
    await (await openStore(db, { schemaDir: dir, beforeMigrate: ask })).close();
    expect(asked).toBe(1);
  });

  it('migrates an older file after keeping a copy of it aside', async () => {
    const db = schemaOneDatabase();
    const calls: [number, number, string, string | null][] = [];
    // The program's own steps, then one more that adds a table and a column.
    const program = listMigrations().map((m) => m.file);
    const next = listMigrations().at(-1)!.version + 1;
    const dir = migrationsDir({ [`${String(next).padStart(3, '0')}_tags.sql`]: SCHEMA_2 }, program);
    const store = await openStore(db, { schemaDir: dir, onMigrate: (from, to, copy, anchor) => calls.push([from, to, copy, anchor]) });
    try {
      // The upgrade re-chains the log (storage v2): the kept copy's line, with the old head, goes to its anchor file.
      expect(calls).toEqual([[1, next, `${db}.schema-1.bak`, `${db}.anchor`]]);
      expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(next);
      expect(withRaw(db, (raw) => raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ticket_tags'").pluck().get())).toBe(1);
      const report = await verifyStore(store);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ tickets: RELEASE1.tickets, events: RELEASE1.events + 1 });
    } finally {
      await store.close();
    }
    const copy = `${db}.schema-1.bak`;
    expect(withRaw(copy, (raw) => raw.pragma('user_version', { simple: true }))).toBe(1);
    expect(ticketNumbers(copy)).toEqual(sequence(RELEASE1.tickets));
    expect(statSync(copy).mode & 0o007).toBe(0); // the copy holds the same personal data
    expect(ticketNumbers(db)).toEqual(sequence(RELEASE1.tickets));
  });

  it("migrates a schema-1 file to the program's own latest schema, and the CLI says so", () => {
    const db = schemaOneDatabase();
    const clocksOf = (file: string): unknown[] =>
      withRaw(file, (raw) => raw.prepare('SELECT t.no, d.key, d.clock FROM deadlines d JOIN tickets t ON t.id = d.ticket_id ORDER BY t.no, d.key').all());
    const released = clocksOf(releaseOneFile(3));
    const latest = listMigrations().at(-1)!.version;
    const r = runCli(['list', '--json'], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `upgraded ${db} from schema 1 to ${latest}; the file as it was is kept as ${db}.schema-1.bak\n`
      + `the old chain head is recorded in the last event and in ${db}.anchor\n`,
    );
    expect(existsSync(`${db}.schema-1.bak`)).toBe(true);
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(latest);
    expect(runCli(['verify'], { db }).status).toBe(0);
    // 003 found each deadline's clock again, as release 1 had it.
    expect(clocksOf(db)).toEqual(released);
    expect(released.length).toBeGreaterThan(100);
  });

  it('003 finds each deadline\'s clock again in the ticket snapshot, round-the-clock ones too', async () => {
    // The release-1 office has no round-the-clock deadline: one ticket's snapshot is given one, and
    // the file goes only as far as schema 3, where the clock column comes from the snapshot.
    const db = releaseOneFile(2);
    withRaw(db, (raw) => {
      raw.prepare(`UPDATE tickets SET snapshot = json_set(snapshot, '$.deadlines."resolve.1".clock', 'round-the-clock') WHERE no = 'C2026-00005'`).run();
    });
    const upTo3 = migrationsDir({}, ['001_initial.sql', '002_report_indexes.sql', '003_deadline_clock.sql']);
    const store = await openStore(db, { schemaDir: upTo3 });
    await store.close();
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(3);
    const clocks = withRaw(db, (raw) => raw.prepare("SELECT t.no, d.key, d.clock FROM deadlines d JOIN tickets t ON t.id = d.ticket_id WHERE d.clock <> 'working'").all());
    expect(clocks).toEqual([{ no: 'C2026-00005', key: 'resolve.1', clock: 'round-the-clock' }]);
    expect(withRaw(db, (raw) => raw.prepare("SELECT count(*) FROM deadlines WHERE clock = 'working'").pluck().get())).toBeGreaterThan(100);
  });

  it('leaves the file as it was when a migration fails half-way', async () => {
    const db = schemaOneDatabase();
    const broken = migrationsDir({ '002_broken.sql': 'CREATE TABLE half_done (x INTEGER);\nALTER TABLE no_such_table ADD COLUMN y TEXT;' });
    await expect(openStore(db, { schemaDir: broken })).rejects.toThrow(/no_such_table/);
    withRaw(db, (raw) => {
      expect(raw.pragma('user_version', { simple: true })).toBe(1);
      expect(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    });
  });

  it('refuses a file from a newer program, naming both versions, and leaves it untouched', async () => {
    const db = schemaOneDatabase();
    const latest = listMigrations().at(-1)!.version;
    withRaw(db, (raw) => raw.pragma(`user_version = ${latest + 5}`));
    checkpoint(db);
    const before = fileDigest(db);

    await expect(openStore(db)).rejects.toThrow(CannotDo);
    for (const args of [['list'], [...logArgs({ at: '2026-11-20 12:00' }), '--yes'], ['verify'], ['backup', join(tempDir(), 'b.db')]]) {
      const r = runCli(args, { db });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(
        `error: ${db} was written by a newer complaints (schema version ${latest + 5}; this program knows up to ${latest}); upgrade complaints\n`,
      );
    }
    checkpoint(db);
    expect(fileDigest(db)).toBe(before);
  });
});
