import type { Compilable, Expression, QueryCreator, RawBuilder, SqlBool } from 'kysely';
import type { ApprovalTally, Period, TrendMonth } from '../domain/report.js';
import type { Instant } from '../domain/time.js';
import type { NumberingFacts } from './anchor.js';
import type { PeriodTallies, TallyOptions } from './report-queries.js';
import type { Schema } from './schema.js';
import { sqliteEngine } from './sqlite/engine.js';

// The one door to the database, engine-neutral (Kysely's Dialect: driver + adapter + compiler;
// the atproto PDS's read/transact). Commands and the store's shared modules see only these types;
// each engine implements them in store/<engine>/, and openStore is the one place that picks one.

export type EngineName = 'sqlite';

/** One open database. Calls are taken one at a time: two reads or transactions never interleave. */
export interface Store {
  /** Where it lives: the file path today. */
  readonly location: string;
  readonly engine: EngineName;
  /** Opened read-only for a reading command on a file this user cannot write: nothing may be saved. */
  readonly readOnly: boolean;
  /** One read snapshot: every query in fn sees the same committed state while others write. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** One write transaction: all of fn's writes are saved, or none (a throw undoes them). */
  transact<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * A consistent copy of the whole database, taken from one snapshot while others write, into
   * `file` (an empty file made for it), then checked: what the copy knows of its numbering, or
   * null when the copy fails the engine's check. Not inside read/transact: an engine may need
   * the connection to itself for it (SQLite's VACUUM INTO does).
   */
  backupTo(file: string): Promise<NumberingFacts | null>;
  close(): Promise<void>;
}

/** A query as the shared modules write it: Kysely's builder, or its `sql` template for raw SQL. */
export type Query<R> = Compilable<R> | RawBuilder<R>;

/** The connection inside one read or transact; it refuses use once that has ended. */
export interface Db {
  /** Kysely's query builder; the engine compiles what it builds. */
  readonly qb: QueryCreator<Schema>;
  all<R>(q: Query<R>): Promise<R[]>;
  first<R>(q: Query<R>): Promise<R | undefined>;
  /** Runs a statement; the number of rows it changed. */
  run(q: Query<unknown>): Promise<number>;
  /** Rows one at a time, for reading a whole log without holding it (verify). */
  iterate<R>(q: Query<R>): AsyncIterable<R>;

  // What differs by engine, named for what it does in the office.

  /** The next `count` numbers of the year's receipt sequence (1, 2, ...), taken inside a transaction; the first of them. */
  takeTicketNos(year: number, count: number): Promise<number>;
  /**
   * The first of `count` ticket ids no row has or will be given meanwhile, for rows inserted
   * together with those ids (a bulk load), inside a write transaction.
   */
  reserveTicketIds(count: number): Promise<number>;
  /** Moves the year's counter to at least `last`: a restore skipping numbers someone may hold. */
  raiseTicketCounter(year: number, last: number): Promise<void>;
  /** The highest sequence number on a ticket row, per year. */
  highestTicketNumbers(): Promise<{ year: number; seq: number }[]>;
  /**
   * Holds the head of the event chain until the transaction ends, so that no other writer chains
   * an event onto the same head meanwhile. Call before reading the last hash.
   */
  lockChainHead(): Promise<void>;
  /** The condition "the ticket's subject, description, demand or complainant name contains `text`". */
  searchCondition(text: string): Expression<SqlBool>;
  /**
   * `ref` as the filter's value, not an index to search by: for a filter that would lead the
   * planner onto an index far larger than the one the query should be driven by.
   */
  unindexed<T>(ref: string): Expression<T>;
  /**
   * Runs `fn`, whose deletions must not stay readable in the file: the engine overwrites what they
   * free, and drops the erased text from its search index, not just marks it deleted.
   */
  scrubbing(fn: () => Promise<void>): Promise<void>;
  /** The engine's own structural check of the database: nothing when sound, else one line per finding. */
  integrityProblems(): Promise<string[]>;
  /** Prepares this connection for reading large index ranges (the monthly report). */
  tuneForReport(): Promise<void>;
  /** Every count of the report for one period, optionally for one unit (its SQL is the engine's: index hints, JSON paths). */
  periodTallies(period: Period, asOf: Instant, unit: string | null, options: TallyOptions): Promise<PeriodTallies>;
  /** The 12-month trend: received, closed, satisfaction and first-reply timeliness per month. */
  trendTallies(months: readonly Period[], asOf: Instant, unit: string | null): Promise<TrendMonth[]>;
  /** The period's approvals: requests, decisions, those within the approval stage, amounts by rank (issue 13). */
  approvalTallies(period: Period, unit: string | null): Promise<ApprovalTally>;
}

/** What the one upgrade to storage v2 did (issue 10 §5). */
export interface UpgradeSummary {
  tickets: number;
  events: number;
  /** The release-1 chain's last event and first hash, recorded in the `upgraded` event. */
  oldHead: { event: number; hash: string } | null;
  oldOrigin: string | null;
}

/** Whether a command may save to the file or only reads it (declared per command in cli/program.ts). */
export type Access = 'read' | 'write';

export interface OpenOptions {
  /**
   * Whether a missing database (no file, or an empty one) is made. Default true; false refuses it
   * naming `complaints init`, so that a mistyped path is never silently a new, empty office.
   */
  create?: boolean;
  /** Called once when the database did not exist and was created. */
  onCreate?: (location: string) => void;
  /**
   * Called once an older database was migrated, with where the copy kept aside is, the anchor file
   * given the copy's line (an upgrade that re-encodes the event log writes one), and whether the
   * log was re-chained (it had events).
   */
  onMigrate?: (from: number, to: number, copy: string, anchor: string | null, rechained: boolean) => void;
  /**
   * Called with the database as it is, before an existing one is migrated (nothing written yet): a
   * throw leaves it untouched. Who is acting is asked here (issue 13), since migrating is a change.
   */
  beforeMigrate?: (store: Store) => Promise<void>;
  /**
   * Set by `complaints upgrade`: a release-1 file is upgraded however large, reporting progress.
   * Without it, one with many events is refused until then (see sqlite/migrations.ts).
   */
  upgrade?: {
    progress?: (done: number, total: number) => void;
    /** What the upgrade did (null: the database was already at `version`). */
    finished?: (result: { summary: UpgradeSummary | null; version: number }) => void;
  };
  busyTimeoutMs?: number;
  /** Where the numbered migrations are; the program's own unless a test points elsewhere. */
  schemaDir?: string;
  /**
   * 'read' for a command that only reads: a database this user cannot write is then opened
   * read-only where the engine allows it, instead of refused. Default 'write'.
   */
  access?: Access;
}

/** A restore's database-to-be: the copy, checked and opened in a temporary place beside the live one. */
export interface StagedRestore {
  store: Store;
  /** The copy's real location. */
  copy: string;
  facts: NumberingFacts;
  /** Removes the temporary database; nothing else was touched. */
  discard(): Promise<void>;
}

export interface Placed {
  location: string;
  /** Where the replaced database is kept, or null when there was none. */
  aside: string | null;
}

/** What an engine provides besides its Store: the work on whole databases, where they live. */
export interface Engine {
  readonly name: EngineName;
  open(location: string, options: OpenOptions): Promise<Store>;
  /** An engine's error as one of the office's refusals (busy, disk full, ...), or the error as it was. */
  explainError(e: unknown, location: string, readOnly?: boolean): unknown;
  /** Makes what must exist before the database can be created there (a file's folder and those above it), no more open than `mode`. */
  prepareLocation(location: string, mode: number): void;
  /** Whether two locations name the same database. */
  sameDatabase(a: string, b: string): boolean;
  /** The database's files that other users of the machine could read. */
  openToOthers(location: string): { path: string; mode: string }[];
  /** What the database at `location` knows of its numbering, read-only: it may be the damaged one. */
  readNumberingFacts(location: string): Promise<NumberingFacts>;
  /** The database at `location` opened read-only, as it is: nothing migrated, checkpointed or removed on close. */
  openAsIs(location: string): Promise<Store>;
  /** The copy checked and rebuilt beside `live`, opened (upgraded if older): nothing else touched yet. */
  stageRestore(copy: string, live: string, makeFolder: () => void): Promise<StagedRestore>;
  /** A free name to keep the replaced database under, stamped with `now`. */
  asideName(live: string, now: number): Promise<string>;
  /** The staged database takes the live one's place; the live one is kept as `aside`. */
  putInPlace(staged: StagedRestore, live: string, aside: string): Promise<Placed>;
}

/** The engine for a location: SQLite for every file path (PostgreSQL joins with issue 19). */
export function engineFor(_location: string): Engine {
  return sqliteEngine;
}

export function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  return engineFor(location).open(location, options);
}

/** Makes what must exist before a database can be created at `location`, no more open than `mode`. */
export function prepareLocation(location: string, mode: number): void {
  engineFor(location).prepareLocation(location, mode);
}

/** A stray engine error (one raised outside read/transact) as one of the office's refusals. */
export function explainStoreError(e: unknown, location: string): unknown {
  return engineFor(location).explainError(e, location);
}
