import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, tempDir } from './cli.js';
import { withRaw } from './sqlite.js';

// Files written by an older program. Today's program writes storage v2 (schema 4), which cannot be
// turned back into an older file by dropping indexes and columns: every older file starts from the
// real release-1 office, test/fixtures/release1.db.gz (schema 3, events v1, 41 tickets C2026-00001
// to C2026-00041, 239 events, the 2026 counter at 42 after a restore skipped a number; made by
// scripts/release1-fixture/make.sh), and loses what the later migrations added.

export const RELEASE1_FIXTURE = join(ROOT, 'test', 'fixtures', 'release1.db.gz');

/** What the fixture holds. */
export const RELEASE1 = { tickets: 41, events: 239, lastNumber: 42 } as const;

/** The indexes schema 1 made; every other index of a schema-3 file was added by 002. */
const SCHEMA_1_INDEXES = ['tickets_received', 'tickets_closed', 'tickets_status', 'tickets_unit', 'deadlines_pending', 'deadlines_due', 'events_ticket', 'events_kind_at'];

/**
 * A fresh copy of the release-1 office, at `schema` (1, 2 or 3), as `name` in a new temp folder
 * (or in `dir`). Schema 2 is schema 3 without 003's deadline clocks; schema 1 also without 002's
 * report indexes.
 */
export function releaseOneFile(schema: 1 | 2 | 3 = 3, options: { dir?: string; name?: string } = {}): string {
  const db = join(options.dir ?? tempDir(), options.name ?? 'complaints.db');
  writeFileSync(db, gunzipSync(readFileSync(RELEASE1_FIXTURE)));
  chmodSync(db, 0o660); // as the program makes its files, whatever the umask

  if (schema === 3) return db;
  withRaw(db, (raw) => {
    if (raw.pragma('user_version', { simple: true }) !== 3) throw new Error(`${RELEASE1_FIXTURE} is not a schema-3 file`);
    if (schema === 1) {
      const added = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").pluck().all() as string[];
      for (const name of added.filter((n) => !SCHEMA_1_INDEXES.includes(n))) raw.exec(`DROP INDEX ${name}`);
    }
    raw.exec('ALTER TABLE deadlines DROP COLUMN clock');
    raw.pragma(`user_version = ${schema}`);
  });
  return db;
}
