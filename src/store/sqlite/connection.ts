import Sqlite from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { rmSync } from 'node:fs';
import {
  DefaultQueryExecutor, QueryCreator, sql, SqliteAdapter, SqliteQueryCompiler, type CompiledQuery, type Expression, type SqlBool,
} from 'kysely';
import type { ApprovalTally, Period, TrendMonth } from '../../domain/report.js';
import type { Instant } from '../../domain/time.js';
import type { NumberingFacts } from '../anchor.js';
import type { PeriodTallies, TallyOptions } from '../report-queries.js';
import type { Schema } from '../schema.js';
import type { Db, Query, Store } from '../store.js';
import { translateSqliteError } from './errors.js';

// better-sqlite3 under the asynchronous Store. The driver is synchronous, so a query's promise is
// already settled when returned; what the seam adds is the order: one read or transaction at a
// time per Store (a promise queue), transactions begun and ended by hand (better-sqlite3's
// .transaction() refuses async functions), and one prepared statement per distinct SQL text.

// Only Kysely's query builder: the full Kysely class also drags in its schema and migration
// builders, which doubled the JavaScript every command parses at start-up. Nothing ever asks this
// executor for a connection: it only compiles.
const executor = new DefaultQueryExecutor(new SqliteQueryCompiler(), new SqliteAdapter(), {
  provideConnection: () => Promise.reject(new Error('queries are compiled here and run by better-sqlite3')),
});
const queryBuilder = new QueryCreator<Schema>({ executor });
const compiler = { getExecutor: () => executor };

/** A query as this engine sends it: SQL text and bound values. */
export function compile(q: Query<unknown>): CompiledQuery {
  return 'isRawBuilder' in q ? q.compile(compiler) : q.compile();
}

/** One better-sqlite3 connection with its statement cache, keyed by the compiled SQL text. */
export class SqliteConnection {
  private readonly statements = new Map<string, Sqlite.Statement>();

  constructor(readonly sqlite: Sqlite.Database) {}

  prepare(text: string): Sqlite.Statement {
    let st = this.statements.get(text);
    if (st === undefined) {
      st = this.sqlite.prepare(text);
      this.statements.set(text, st);
    }
    return st;
  }

  all<R>(q: Query<R>): R[] {
    const c = compile(q);
    return this.prepare(c.sql).all(...(c.parameters as unknown[])) as R[];
  }

  first<R>(q: Query<R>): R | undefined {
    const c = compile(q);
    return this.prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined;
  }

  run(q: Query<unknown>): number {
    const c = compile(q);
    return this.prepare(c.sql).run(...(c.parameters as unknown[])).changes;
  }

  *iterate<R>(q: Query<R>): Generator<R> {
    const c = compile(q);
    yield* this.prepare(c.sql).iterate(...(c.parameters as unknown[])) as IterableIterator<R>;
  }

  /** A PRAGMA's single value, e.g. user_version. */
  pragma(name: string): unknown {
    return this.sqlite.pragma(name, { simple: true });
  }
}

/** The store a call runs inside, so that a read or transact started within another is refused, not queued behind it forever. */
const inside = new AsyncLocalStorage<SqliteStore>();

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `explain`: SQLite's errors become the office's refusals about this database. Off for a file
   * looked into on the side (a damaged database being replaced), whose caller quotes SQLite's reason.
   */
  constructor(readonly location: string, readonly connection: SqliteConnection, readonly readOnly: boolean, private readonly explain = true) {}

  read<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.inTurn(() => this.inTransaction('BEGIN', fn));
  }

  transact<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    // IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) before fn reads,
    // so what it reads cannot change before it writes.
    return this.inTurn(() => this.inTransaction('BEGIN IMMEDIATE', fn));
  }

  backupTo(file: string): Promise<NumberingFacts | null> {
    return this.inTurn(async () => {
      // VACUUM INTO copies one read snapshot in one step, and only outside a transaction. SQLite's
      // online backup API copies page by page and starts over whenever another connection
      // commits, so with clerks writing continuously it may never finish.
      try {
        this.translated(() => this.connection.run(sql`VACUUM INTO ${file}`));
      } finally {
        rmSync(`${file}-journal`, { force: true });
      }
      return factsOfCopy(file);
    });
  }

  /** For the engine's own work between calls (a checkpoint before a restore moves the file). */
  withConnection<T>(fn: (c: SqliteConnection) => T): Promise<T> {
    return this.inTurn(async () => this.translated(() => fn(this.connection)));
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection.sqlite.close();
  }

  translated<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.explained(e);
    }
  }

  explained(e: unknown): unknown {
    return this.explain ? translateSqliteError(e, this.location, this.readOnly) : e;
  }

  /** Runs `work` after every call before it has finished; never two at once. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (inside.getStore() === this) {
      // Queued, it would wait for the very call it is part of.
      return Promise.reject(new Error('a read or transaction was started inside another on the same database: use the db it was given'));
    }
    const result = this.queue.then(() => inside.run(this, work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async inTransaction<T>(begin: string, fn: (db: Db) => Promise<T>): Promise<T> {
    const { sqlite } = this.connection;
    this.translated(() => sqlite.exec(begin));
    const db = new SqliteDb(this);
    try {
      const result = await fn(db);
      this.translated(() => sqlite.exec('COMMIT'));
      return result;
    } catch (e) {
      // SQLite may already have rolled back (a full disk does); otherwise undo every write of fn.
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw this.explained(e);
    } finally {
      db.ended = true;
    }
  }
}

export class SqliteDb implements Db {
  readonly qb = queryBuilder;
  /** Set when its read or transaction is over: a db kept past it would run outside any transaction. */
  ended = false;

  constructor(private readonly store: SqliteStore) {}

  private use<T>(fn: (c: SqliteConnection) => T): T {
    if (this.ended) throw new Error('a db was used after its read or transaction ended');
    return this.store.translated(() => fn(this.store.connection));
  }

  async all<R>(q: Query<R>): Promise<R[]> {
    return this.use((c) => c.all(q));
  }

  async first<R>(q: Query<R>): Promise<R | undefined> {
    return this.use((c) => c.first(q));
  }

  async run(q: Query<unknown>): Promise<number> {
    return this.use((c) => c.run(q));
  }

  async *iterate<R>(q: Query<R>): AsyncGenerator<R> {
    const rows = this.use((c) => c.iterate(q));
    for (;;) {
      const next = this.use(() => rows.next());
      if (next.done) return;
      yield next.value;
    }
  }

  async takeTicketNos(year: number, count: number): Promise<number> {
    const row = await this.first(sql<{ last: number }>`INSERT INTO ticket_counters (year, last) VALUES (${year}, ${count})
      ON CONFLICT (year) DO UPDATE SET last = last + ${count} RETURNING last`);
    return row!.last - count + 1;
  }

  async reserveTicketIds(_count: number): Promise<number> {
    // The write transaction (BEGIN IMMEDIATE) holds the only write lock: nobody else inserts meanwhile.
    const row = await this.first(sql<{ last: number }>`SELECT coalesce(max(id), 0) AS last FROM tickets`);
    return row!.last + 1;
  }

  async raiseTicketCounter(year: number, last: number): Promise<void> {
    await this.run(sql`INSERT INTO ticket_counters (year, last) VALUES (${year}, ${last})
      ON CONFLICT (year) DO UPDATE SET last = max(last, excluded.last)`);
  }

  highestTicketNumbers(): Promise<{ year: number; seq: number }[]> {
    return this.all(sql<{ year: number; seq: number }>`SELECT CAST(substr(no, 2, 4) AS INTEGER) AS year, max(CAST(substr(no, 7) AS INTEGER)) AS seq
      FROM tickets WHERE no GLOB 'C[0-9][0-9][0-9][0-9]-[0-9]*' GROUP BY 1 ORDER BY 1`);
  }

  async lockChainHead(): Promise<void> {
    // Nothing to do: a write transaction here is BEGIN IMMEDIATE, which holds the database's one
    // write lock until it ends, so no other writer can chain onto the head meanwhile.
  }

  searchCondition(text: string): Expression<SqlBool> {
    if ([...text].length >= 3) {
      // The FTS5 trigram index matches any substring of three or more characters; quoted as one phrase.
      const phrase = `"${text.replace(/"/g, '""')}"`;
      return sql<SqlBool>`${sql.ref('tickets.id')} in (select ${sql.ref('ticket_search.rowid')} from ${sql.table('ticket_search')} where ticket_search MATCH ${phrase})`;
    }
    // Shorter than a trigram (two Chinese characters is a common search): scan instead.
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const columns = (['subject', 'description', 'demand', 'complainant_name'] as const)
      .map((col) => sql`${sql.ref(`tickets.${col}`)} LIKE ${like} ESCAPE '\\'`);
    return sql<SqlBool>`(${sql.join(columns, sql` or `)})`;
  }

  unindexed<T>(ref: string): Expression<T> {
    // SQLite's documented way to keep the planner off an index for one term: a unary +.
    return sql<T>`+${sql.ref(ref)}`;
  }

  async scrubbing(fn: () => Promise<void>): Promise<void> {
    // secure_delete zeroes the pages and cells the deletions free; the FTS5 index otherwise keeps
    // deleted text in its segments until they happen to merge, so it is merged now. (Older page
    // images stay in the -wal until the next checkpoint.)
    this.use((c) => c.pragma('secure_delete = ON'));
    try {
      await fn();
      await this.run(sql`INSERT INTO ticket_search (ticket_search) VALUES ('optimize')`);
    } finally {
      this.use((c) => c.pragma('secure_delete = FAST'));
    }
  }

  async integrityProblems(): Promise<string[]> {
    const rows = this.use((c) => c.prepare('PRAGMA integrity_check(100)').pluck().all() as string[]);
    return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
  }

  async tuneForReport(): Promise<void> {
    // A modest page cache: the report reads index ranges once, and the memory budget of a command
    // is 150 MiB (memory-mapped pages count against it too, so no mmap).
    this.use((c) => c.pragma('cache_size = -16384'));
  }

  // The report's code loads only for the report: every other command starts without it.
  async periodTallies(period: Period, asOf: Instant, unit: string | null, options: TallyOptions): Promise<PeriodTallies> {
    return (await import('./report-tallies.js')).periodTallies(this, period, asOf, unit, options);
  }

  async trendTallies(months: readonly Period[], asOf: Instant, unit: string | null): Promise<TrendMonth[]> {
    return (await import('./report-tallies.js')).trendTallies(this, months, asOf, unit);
  }

  async approvalTallies(period: Period, unit: string | null): Promise<ApprovalTally> {
    return (await import('./report-tallies.js')).approvalTallies(this, period, unit);
  }
}

/** Another SQLite file opened read-only as a Store, to be read and closed: a copy, or a database being replaced. */
export function openCopy(file: string): SqliteStore {
  return new SqliteStore(file, new SqliteConnection(new Sqlite(file, { readonly: true, fileMustExist: true })), true, false);
}

/** The copy passes SQLite's quick check: what it knows of its numbering, read from it as copied; else null. */
async function factsOfCopy(file: string): Promise<NumberingFacts | null> {
  try {
    const copy = openCopy(file);
    try {
      if (copy.connection.pragma('quick_check') !== 'ok') return null;
      const { numberingFacts } = await import('../anchor.js');
      return await copy.read(numberingFacts);
    } finally {
      await copy.close();
    }
  } catch {
    return null;
  }
}
