import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as log } from '../../src/commands/log.js';
import { run as restore } from '../../src/commands/restore.js';
import { listMigrations } from '../../src/store/sqlite/migrations.js';
import { openStore } from '../../src/store/store.js';
import { verifyStore } from '../../src/store/verify.js';
import { tempDbPath, tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { ticketNumbers, withRaw } from '../support/sqlite.js';

// `restore` in-process (issue 9 §8): the copy may come from before an upgrade.

async function loggedDatabase(count: number): Promise<string> {
  const db = tempDbPath();
  const ctx = testContext(db);
  for (let i = 0; i < count; i++) {
    await log(ctx, { name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', subject: `Parcel ${i}`, at: '2026-11-20 10:00', yes: true });
  }
  await ctx.close();
  return db;
}

describe('restore', () => {
  it('upgrades a copy written by an older program on the way in, and leaves no upgrade copy or temporary file', async () => {
    const db = await loggedDatabase(3);
    const copy = join(tempDir(), 'old-copy.db');
    copyFileSync(db, copy);
    // As schema 1 left it: without 002's report indexes and 003's deadline clocks.
    withRaw(copy, (raw) => {
      const added = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND name NOT IN ('tickets_received', 'tickets_closed', 'tickets_status', 'tickets_unit', 'deadlines_pending', 'deadlines_due', 'events_ticket', 'events_kind_at')").pluck().all() as string[];
      for (const name of added) raw.exec(`DROP INDEX ${name}`);
      raw.exec('ALTER TABLE deadlines DROP COLUMN clock');
      raw.pragma('user_version = 1');
    });
    const ctx = testContext(db);
    // Two more tickets after the copy was taken.
    for (const i of [3, 4]) {
      await log(ctx, { name: 'Li Lei', phone: '13900000000', channel: 'phone', category: 'product', subject: `Heater ${i}`, at: '2026-11-21 10:00', yes: true });
    }
    await ctx.close();
    const files = readdirSync(dirname(db)).sort();

    await restore(ctx, copy, { at: '2026-11-23 08:00' });
    expect(ctx.errors).toEqual([]);
    expect(ctx.output.at(-1)).toBe('The next ticket of 2026 will be C2026-00006.');
    const store = await openStore(db);
    try {
      expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(listMigrations().at(-1)!.version);
      expect((await verifyStore(store)).problems).toEqual([]);
    } finally {
      await store.close();
    }
    expect(ticketNumbers(db)).toEqual(['C2026-00001', 'C2026-00002', 'C2026-00003']);
    const after = readdirSync(dirname(db)).sort();
    expect(after.filter((f) => !files.includes(f))).toEqual([expect.stringMatching(/^complaints\.db\.before-restore-20261123T030000Z$/)]);
    expect(statSync(db).mode & 0o777).toBe(0o660);
  });
});
