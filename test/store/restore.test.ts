import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as log } from '../../src/commands/log.js';
import { run as restore } from '../../src/commands/restore.js';
import { listMigrations } from '../../src/store/sqlite/migrations.js';
import { openStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { testContext } from '../support/context.js';
import { RELEASE1, releaseOneFile } from '../support/release1.js';
import { sequence, ticketNumbers, withRaw } from '../support/sqlite.js';

// `restore` in-process (issue 9 §8): the copy may come from before an upgrade.

describe('restore', () => {
  it('upgrades a copy written by an older program on the way in, and leaves no upgrade copy or temporary file', async () => {
    // The office's copy from before the upgrade, as schema 1 left it, and the live file: the same
    // office upgraded on open (release 1's counter stands at 42) with two more tickets since.
    const copy = releaseOneFile(1, { name: 'old-copy.db' });
    const copyFolder = readdirSync(dirname(copy)).sort();
    const copyBytes = readFileSync(copy);
    const db = releaseOneFile(3);
    const ctx = testContext(db);
    for (const i of [1, 2]) {
      await log(ctx, { name: 'Li Lei', phone: `1390000000${i}`, channel: 'phone', category: 'product', subject: `Heater ${i}`, at: '2026-11-21 10:00', yes: true });
    }
    await ctx.close();
    expect(ticketNumbers(db)).toEqual(sequence(RELEASE1.tickets).concat(['C2026-00043', 'C2026-00044']));
    const files = readdirSync(dirname(db)).sort();

    await restore(ctx, copy, { at: '2026-11-23 08:00' });
    expect(ctx.errors).toEqual([]);
    expect(ctx.output.slice(-2)).toEqual(['Numbers C2026-00043 to C2026-00044 will never be given: they may have been read to complainants after the copy was taken (recorded in the event log).', 'The next ticket of 2026 will be C2026-00045.']);
    const store = await openStore(db);
    try {
      expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(listMigrations().at(-1)!.version);
      const report = await verifyStore(store);
      expect(report.problems).toEqual([]);
      // The copy's events, the upgrade's and the restore's.
      expect(report).toMatchObject({ tickets: RELEASE1.tickets, events: RELEASE1.events + 2 });
    } finally {
      await store.close();
    }
    expect(ticketNumbers(db)).toEqual(sequence(RELEASE1.tickets));
    const after = readdirSync(dirname(db)).sort();
    expect(after.filter((f) => !files.includes(f))).toEqual([expect.stringMatching(/^complaints\.db\.before-restore-20261123T030000Z$/)]);
    // The copy is read, never written: no upgrade copy or anchor beside it (SQLite's read-only -wal and -shm aside).
    expect(readdirSync(dirname(copy)).filter((f) => !/-(wal|shm)$/.test(f)).sort()).toEqual(copyFolder);
    expect(readFileSync(copy).equals(copyBytes)).toBe(true);
    expect(statSync(db).mode & 0o777).toBe(0o660);
  });
});
