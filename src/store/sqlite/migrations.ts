import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CannotDo } from '../../domain/errors.js';
import { backupDatabase } from '../backup.js';
import type { OpenOptions } from '../store.js';
import type { SqliteConnection, SqliteStore } from './connection.js';

// Migrations: schema/sqlite/NNN_name.sql, applied in order on open, each in its own transaction
// (Kysely's migrator would not wrap them on SQLite). PRAGMA user_version records the last one applied.

function programSchemaDirectory(): string {
  // From src/store/sqlite/ (tests) or dist/ (the bundle), walk up to the package's schema/sqlite/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema', 'sqlite');
    if (existsSync(join(candidate, '001_initial.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schema/sqlite/ directory not found next to the program');
}

export interface Migration {
  version: number;
  file: string;
}

export function listMigrations(dir: string = programSchemaDirectory()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), file }));
}

export function schemaVersion(connection: SqliteConnection): number {
  return connection.pragma('user_version') as number;
}

/** A read-only connection cannot migrate: it reads a file at the program's schema, or refuses. */
export function checkReadableVersion(store: SqliteStore, options: OpenOptions): void {
  const current = schemaVersion(store.connection);
  const latest = listMigrations(options.schemaDir ?? programSchemaDirectory()).at(-1)?.version ?? 0;
  if (current > latest) throw new CannotDo('newer_schema', { path: store.location, found: current, known: latest });
  if (current < latest) throw new CannotDo('db_needs_upgrade', { path: store.location, from: current, to: latest });
}

export async function migrate(store: SqliteStore, options: OpenOptions): Promise<void> {
  const current = schemaVersion(store.connection);
  const dir = options.schemaDir ?? programSchemaDirectory();
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CannotDo('newer_schema', { path: store.location, found: current, known: latest });
  }
  if (current === latest) return;
  if (current > 0 && store.location !== ':memory:') {
    // Keep the file as it was before touching its structure (a snapshot, taken while another
    // clerk may be writing). A copy already there was kept by a process that got here first.
    const copy = `${store.location}.schema-${current}.bak`;
    if (!existsSync(copy)) {
      try {
        await backupDatabase(store, copy, { overwrite: false });
      } catch (e) {
        if (!(e instanceof CannotDo && e.key === 'output_exists')) throw e;
      }
    }
    options.onMigrate?.(current, latest, copy);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const text = readFileSync(join(dir, m.file), 'utf8');
    await store.transact(async () => {
      const { connection } = store;
      // Another process may have migrated while we waited for the lock.
      if (schemaVersion(connection) >= m.version) return;
      connection.sqlite.exec(text);
      connection.pragma(`user_version = ${m.version}`);
    });
  }
}
