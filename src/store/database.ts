import Sqlite from 'better-sqlite3';
import { closeSync, chmodSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DefaultQueryExecutor, QueryCreator, SqliteAdapter, SqliteQueryCompiler, type Compilable,
} from 'kysely';
import { CannotDo } from '../domain/errors.js';
import { backupDatabase } from './backup.js';
import type { Schema } from './schema.js';

/**
 * One open database: better-sqlite3 underneath (synchronous, so a command's writes are one
 * BEGIN IMMEDIATE transaction), Kysely on top as a typed query builder only.
 */
export interface Store {
  readonly path: string;
  readonly sqlite: Sqlite.Database;
  readonly qb: QueryCreator<Schema>;
  all<R>(query: Compilable<R>): R[];
  first<R>(query: Compilable<R>): R | undefined;
  run(query: Compilable<unknown>): Sqlite.RunResult;
  /** A prepared statement for fixed SQL, prepared once per open database (for the write path). */
  statement(sql: string): Sqlite.Statement;
  /** Runs fn in one BEGIN IMMEDIATE transaction: all of it is saved, or none. */
  transact<T>(fn: () => T): T;
  close(): void;
}

export interface OpenOptions {
  /** Called once when the file did not exist and was created. */
  onCreate?: (path: string) => void;
  /** Called before an older file is migrated, with the path of the copy kept aside. */
  onMigrate?: (from: number, to: number, copy: string) => void;
  busyTimeoutMs?: number;
  /** Where the numbered migrations are; the program's own schema/ unless a test points elsewhere. */
  schemaDir?: string;
}

// Several clerks and cron share the file: wait this long for a writer before giving up.
export const BUSY_TIMEOUT_MS = 5000;

/** COMPLAINTS_BUSY_TIMEOUT_MS overrides the wait (a slow shared disk, or a test that wants it short). */
export function busyTimeoutFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.COMPLAINTS_BUSY_TIMEOUT_MS?.trim();
  const ms = raw && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(ms) ? ms : BUSY_TIMEOUT_MS;
}

// Only Kysely's query builder: the full Kysely class also drags in its schema and migration
// builders, which doubled the JavaScript every command parses at start-up. Queries are compiled
// here and run synchronously by better-sqlite3; nothing ever asks this executor for a connection.
const queryBuilder = new QueryCreator<Schema>({
  executor: new DefaultQueryExecutor(new SqliteQueryCompiler(), new SqliteAdapter(), {
    provideConnection: () => Promise.reject(new Error('queries are compiled and run by better-sqlite3')),
  }),
});

export function openStore(path: string, options: OpenOptions = {}): Store {
  const isNew = path !== ':memory:' && !existsSync(path);
  if (isNew) {
    // Personal data: readable by owner and group only, -wal and -shm included (SQLite gives
    // those the main file's mode).
    try {
      closeSync(openSync(path, 'a', 0o660));
      chmodSync(path, 0o660);
    } catch (e) {
      throw new CannotDo('cannot_open', { path, reason: (e as Error).message });
    }
  }
  let sqlite: Sqlite.Database;
  try {
    sqlite = new Sqlite(path, { timeout: options.busyTimeoutMs ?? busyTimeoutFrom(process.env) });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    throw translateSqliteError(e, path);
  }
  const statements = new Map<string, Sqlite.Statement>();
  const prepare = (sql: string): Sqlite.Statement => {
    let st = statements.get(sql);
    if (!st) {
      st = sqlite.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  // A reader can meet SQLITE_BUSY too (a WAL being recovered after a crash): say so in one line.
  const translated = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, path);
    }
  };
  const store: Store = {
    path,
    sqlite,
    qb: queryBuilder,
    all<R>(query: Compilable<R>): R[] {
      const c = query.compile();
      return translated(() => prepare(c.sql).all(...(c.parameters as unknown[])) as R[]);
    },
    first<R>(query: Compilable<R>): R | undefined {
      const c = query.compile();
      return translated(() => prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined);
    },
    run(query: Compilable<unknown>): Sqlite.RunResult {
      const c = query.compile();
      return translated(() => prepare(c.sql).run(...(c.parameters as unknown[])));
    },
    statement: prepare,
    transact<T>(fn: () => T): T {
      try {
        return sqlite.transaction(fn).immediate();
      } catch (e) {
        throw translateSqliteError(e, path);
      }
    },
    close(): void {
      sqlite.close();
    },
  };
  try {
    migrate(store, options);
  } catch (e) {
    sqlite.close();
    throw translateSqliteError(e, path);
  }
  if (isNew) options.onCreate?.(path);
  return store;
}

export function translateSqliteError(e: unknown, path: string): unknown {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') {
    return new CannotDo('busy', {});
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_') && !(e instanceof CannotDo)) {
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || code === 'SQLITE_READONLY' || code === 'SQLITE_CORRUPT') {
      return new CannotDo('cannot_open', { path, reason: (e as Error).message });
    }
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Migrations: schema/NNN_name.sql, applied in order on open, each in its own transaction (Kysely's
// migrator would not wrap them on SQLite). PRAGMA user_version records the last one applied.

function programSchemaDirectory(): string {
  // From src/store/ (tests) or dist/ (the bundle), walk up to the package's schema/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, '001_initial.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schema/ directory not found next to the program');
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

export function schemaVersion(store: Pick<Store, 'sqlite'>): number {
  return store.sqlite.pragma('user_version', { simple: true }) as number;
}

function migrate(store: Store, options: OpenOptions): void {
  const current = schemaVersion(store);
  const dir = options.schemaDir ?? programSchemaDirectory();
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CannotDo('newer_schema', { path: store.path, found: current, known: latest });
  }
  if (current === latest) return;
  if (current > 0 && store.path !== ':memory:') {
    // Keep the file as it was before touching its structure. VACUUM INTO reads one consistent
    // snapshot even while another clerk writes; a plain file copy could catch a checkpoint
    // half-way. A copy already there was kept by a process that got here first.
    const copy = `${store.path}.schema-${current}.bak`;
    if (!existsSync(copy)) {
      try {
        backupDatabase(store, copy, { overwrite: false });
      } catch (e) {
        if (!(e instanceof CannotDo && e.key === 'output_exists')) throw e;
      }
    }
    options.onMigrate?.(current, latest, copy);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const sql = readFileSync(join(dir, m.file), 'utf8');
    store.transact(() => {
      // Another process may have migrated while we waited for the lock.
      if (schemaVersion(store) >= m.version) return;
      store.sqlite.exec(sql);
      store.sqlite.pragma(`user_version = ${m.version}`);
    });
  }
}
