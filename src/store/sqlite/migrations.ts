import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CannotDo } from '../../domain/errors.js';
import type { Db, OpenOptions } from '../store.js';
import type { SqliteConnection, SqliteStore } from './connection.js';
import type { UpgradeSummary } from '../store.js';
import type { UpgradeProgress } from './upgrade-v2.js';

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

/** The schema that re-encoded the event log (storage v2); files from before it were made by release 1. */
const EVENTS_V2 = 4;

/**
 * Above this many events a release-1 file is not upgraded on open, where a clerk on the phone
 * would wait minutes for it, but by `complaints upgrade` with a progress bar.
 * COMPLAINTS_UPGRADE_ON_OPEN_MAX_EVENTS overrides it (tests).
 */
export const UPGRADE_ON_OPEN_MAX_EVENTS = 100_000;

function upgradeOnOpenLimit(): number {
  const raw = process.env.COMPLAINTS_UPGRADE_ON_OPEN_MAX_EVENTS?.trim();
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : UPGRADE_ON_OPEN_MAX_EVENTS;
}

// A migration the SQL alone cannot do: its file names, on a line of its own, the program step run
// between the statements before and after that line, in the same transaction.
const CONVERT_LINE = /^-- complaints:convert (\S+)$/m;
// A migration that drops and re-makes a table others refer to says so on a line of its own.
const REBUILDS_LINE = /^-- complaints:rebuilds-tables$/m;
// Loaded only when a file needs one: every command opens the file, few ever convert it. A step
// that re-chains the log says what it did; one that only fills columns returns null.
type Converter = (sqlite: SqliteConnection['sqlite'], progress: UpgradeProgress | undefined, db: Db) => UpgradeSummary | null | Promise<UpgradeSummary | null>;
const CONVERTERS: Record<string, () => Promise<Converter>> = {
  'events-v2': async () => (await import('./upgrade-v2.js')).convertToEventsV2,
  'contact-keys': async () => (await import('./contact-keys.js')).fillContactKeys,
  // Through the store's own queries: it may append a procedure_changed event to the chain.
  'approval-stage': async () => {
    const { addApprovalStage } = await import('./approval-stage.js');
    return (_sqlite, _progress, db) => addApprovalStage(db);
  },
};

export async function migrate(store: SqliteStore, options: OpenOptions): Promise<void> {
  const result = await migrateFrom(store, options);
  options.upgrade?.finished?.(result);
}

async function migrateFrom(store: SqliteStore, options: OpenOptions): Promise<{ summary: UpgradeSummary | null; version: number }> {
  const current = schemaVersion(store.connection);
  const dir = options.schemaDir ?? programSchemaDirectory();
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CannotDo('newer_schema', { path: store.location, found: current, known: latest });
  }
  if (current === latest) return { summary: null, version: current };
  if (current > 0) await options.beforeMigrate?.(store);
  const reencodes = current > 0 && current < EVENTS_V2 && latest >= EVENTS_V2;
  let kept: { copy: string; anchor: string | null } | null = null;
  if (reencodes && options.upgrade === undefined) {
    // Before anything is written: not even the copy kept aside.
    const events = store.connection.sqlite.prepare('SELECT count(*) FROM events').pluck().get() as number;
    if (events > upgradeOnOpenLimit()) throw new CannotDo('db_needs_upgrade_command', { path: store.location, events });
  }
  if (current > 0 && store.location !== ':memory:') {
    // Keep the file as it was before touching its structure (a snapshot, taken while another
    // clerk may be writing). A copy already there was kept by a process that got here first. The
    // upgrade that re-chains the log also appends the copy's line to its anchor file: the old
    // chain's head, kept outside the file.
    const copy = `${store.location}.schema-${current}.bak`;
    if (!existsSync(copy)) {
      const { backupDatabase } = await import('../backup.js');
      try {
        kept = { copy, anchor: (await backupDatabase(store, copy, { overwrite: false, ...(reencodes ? { anchorAt: Date.now() } : {}) })).anchor };
      } catch (e) {
        if (!(e instanceof CannotDo && e.key === 'output_exists')) throw e;
      }
    }
    kept ??= { copy, anchor: null };
  }
  let summary: UpgradeSummary | null = null;
  for (const m of migrations) {
    if (m.version <= current) continue;
    const text = readFileSync(join(dir, m.file), 'utf8');
    const convert = CONVERT_LINE.exec(text);
    const load = convert === null ? undefined : CONVERTERS[convert[1]!];
    if (convert !== null && load === undefined) throw new Error(`${m.file}: no program step called ${convert[1]}`);
    const converter = load === undefined ? null : await load();
    const { sqlite } = store.connection;
    // SQLite's way to rebuild a table others refer to: foreign keys off outside the transaction,
    // checked before it commits (sqlite.org/lang_altertable.html §7).
    const rebuilds = convert !== null || REBUILDS_LINE.test(text);
    if (rebuilds) sqlite.pragma('foreign_keys = OFF');
    try {
      await store.transact(async (db) => {
        // Another process may have migrated while we waited for the lock.
        if (schemaVersion(store.connection) >= m.version) return;
        if (convert === null || converter === null) {
          sqlite.exec(text);
        } else {
          sqlite.exec(text.slice(0, convert.index));
          summary = (await converter(sqlite, options.upgrade?.progress, db)) ?? summary;
          sqlite.exec(text.slice(convert.index + convert[0].length));
        }
        if (rebuilds) {
          const broken = sqlite.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`${m.file}: ${broken.length} rows refer to rows that are gone`);
        }
        store.connection.pragma(`user_version = ${m.version}`);
      });
    } finally {
      if (rebuilds) sqlite.pragma('foreign_keys = ON');
    }
  }
  // The release-1 tables' pages are free but still in the file (about two thirds of it): give them
  // back to the disk, as the office expects of a format that is smaller.
  const upgraded = summary as UpgradeSummary | null;
  if (upgraded !== null && store.location !== ':memory:') store.connection.sqlite.exec('VACUUM');
  // The re-chained log's new head goes to the same anchor file, beside the old one: a later
  // `verify --against` ties the release-1 lines to this file through it.
  const anchor = kept?.anchor ?? null;
  if (upgraded !== null && upgraded.events > 0 && anchor !== null) await anchorUpgradedChain(store, anchor);
  if (kept !== null) options.onMigrate?.(current, latest, kept.copy, anchor, upgraded !== null && upgraded.events > 0);
  return { summary, version: latest };
}

/** Appends the upgraded file's own line (its new origin and head, the old origin) to `file`. */
async function anchorUpgradedChain(store: SqliteStore, file: string): Promise<void> {
  const [{ formatAnchorLine, numberingFacts }, { appendOutputLine }] = await Promise.all([import('../anchor.js'), import('../output-file.js')]);
  const facts = await store.read(numberingFacts);
  const line = formatAnchorLine({ at: new Date().toISOString(), db: store.location, copy: store.location, ...facts });
  appendOutputLine(file, line, { database: store.location, failed: 'backup_failed' });
}
