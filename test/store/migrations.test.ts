import { copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as assign } from '../../src/commands/assign.js';
import { run as log } from '../../src/commands/log.js';
import { CannotDo } from '../../src/domain/errors.js';
import { listMigrations } from '../../src/store/sqlite/migrations.js';
import { openStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { logArgs, ROOT, runCli, tempDbPath, tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { checkpoint, fileDigest, ticketNumbers, withRaw } from '../support/sqlite.js';

// Versioned migrations in schema/, applied on open (SPEC §7). An office upgrades the program and
// its file follows, after a copy is kept aside; an old program never writes to a newer file.

/** A migrations folder holding the given files of the program's schema/ and, optionally, more steps. */
function migrationsDir(extra: Record<string, string> = {}, program: readonly string[] = ['001_initial.sql']): string {
  const dir = tempDir('complaints-schema-');
  for (const file of program) copyFileSync(join(ROOT, 'schema', 'sqlite', file), join(dir, file));
  for (const [file, sql] of Object.entries(extra)) writeFileSync(join(dir, file), sql);
  return dir;
}

/**
 * A schema-1 database with two worked tickets, as an older program left it: written by today's
 * program, then stripped of what later migrations added (002's report indexes, 003's deadline clocks).
 */
async function schemaOneDatabase(): Promise<string> {
  const db = tempDbPath();
  const ctx = testContext(db);
  await log(ctx, { name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', subject: 'Parcel late', at: '2026-11-20 10:00', yes: true });
  await log(ctx, { anonymous: true, email: 'a@example.cn', channel: 'web', category: 'billing', subject: '重复扣费', at: '2026-11-20 10:30', yes: true });
  await assign(ctx, 'C2026-00001', { unit: 'Logistics', at: '2026-11-20 11:00' });
  // urgent: its deadlines run round the clock, which 003 must find again in the snapshot
  await log(ctx, { name: 'Li Lei', phone: '13900000000', channel: 'phone', category: 'product', subject: 'Heater sparks', urgent: true, safety: true, at: '2026-11-21 11:00', yes: true });
  await ctx.close();
  withRaw(db, (raw) => {
    const added = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND name NOT IN ('tickets_received', 'tickets_closed', 'tickets_status', 'tickets_unit', 'deadlines_pending', 'deadlines_due', 'events_ticket', 'events_kind_at')").pluck().all() as string[];
    for (const name of added) raw.exec(`DROP INDEX ${name}`);
    raw.exec('ALTER TABLE deadlines DROP COLUMN clock');
    raw.pragma('user_version = 1');
  });
  return db;
}

const SCHEMA_2 = `
CREATE TABLE ticket_tags (ticket_id INTEGER NOT NULL REFERENCES tickets (id), tag TEXT NOT NULL, PRIMARY KEY (ticket_id, tag)) STRICT;
ALTER TABLE tickets ADD COLUMN external_ref TEXT;
`;

describe('migrations on open', () => {
  it('migrates an older file after keeping a copy of it aside', async () => {
    const db = await schemaOneDatabase();
    const calls: [number, number, string][] = [];
    // The program's own steps, then one more that adds a table and a column.
    const program = listMigrations().map((m) => m.file);
    const next = listMigrations().at(-1)!.version + 1;
    const dir = migrationsDir({ [`${String(next).padStart(3, '0')}_tags.sql`]: SCHEMA_2 }, program);
    const store = await openStore(db, { schemaDir: dir, onMigrate: (from, to, copy) => calls.push([from, to, copy]) });
    try {
      expect(calls).toEqual([[1, next, `${db}.schema-1.bak`]]);
      expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(next);
      expect(withRaw(db, (raw) => raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ticket_tags'").pluck().get())).toBe(1);
      expect((await verifyStore(store)).problems).toEqual([]);
    } finally {
      await store.close();
    }
    const copy = `${db}.schema-1.bak`;
    expect(withRaw(copy, (raw) => raw.pragma('user_version', { simple: true }))).toBe(1);
    expect(ticketNumbers(copy)).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
    expect(statSync(copy).mode & 0o007).toBe(0); // the copy holds the same personal data
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
  });

  it("migrates a schema-1 file to the program's own latest schema, and the CLI says so", async () => {
    const db = await schemaOneDatabase();
    const latest = listMigrations().at(-1)!.version;
    const r = runCli(['list', '--json'], { db });
    expect(r.status).toBe(0);
    if (latest > 1) {
      expect(r.stderr).toBe(`upgraded ${db} from schema 1 to ${latest}; the file as it was is kept as ${db}.schema-1.bak\n`);
      expect(existsSync(`${db}.schema-1.bak`)).toBe(true);
    }
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(latest);
    expect(runCli(['verify'], { db }).status).toBe(0);
    const clocks = withRaw(db, (raw) => raw.prepare("SELECT t.no, d.stage, d.clock FROM deadlines d JOIN tickets t ON t.id = d.ticket_id WHERE d.stage = 'first_reply' ORDER BY t.no").all());
    expect(clocks).toEqual([
      { no: 'C2026-00001', stage: 'first_reply', clock: 'working' },
      { no: 'C2026-00002', stage: 'first_reply', clock: 'working' },
      { no: 'C2026-00003', stage: 'first_reply', clock: 'round-the-clock' },
    ]);
  });

  it('leaves the file as it was when a migration fails half-way', async () => {
    const db = await schemaOneDatabase();
    const broken = migrationsDir({ '002_broken.sql': 'CREATE TABLE half_done (x INTEGER);\nALTER TABLE no_such_table ADD COLUMN y TEXT;' });
    await expect(openStore(db, { schemaDir: broken })).rejects.toThrow(/no_such_table/);
    withRaw(db, (raw) => {
      expect(raw.pragma('user_version', { simple: true })).toBe(1);
      expect(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    });
  });

  it('refuses a file from a newer program, naming both versions, and leaves it untouched', async () => {
    const db = await schemaOneDatabase();
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
