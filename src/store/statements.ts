import type { CompiledQuery, Insertable } from 'kysely';
import type { Schema } from './schema.js';
import type { Db } from './store.js';

// Bulk writes (a demo or an import writes millions of rows) build the same INSERT again and again,
// and Kysely takes longer to build one than SQLite takes to run it. Each shape of insert (table,
// columns, number of rows, RETURNING) is compiled once per query builder, that is per engine,
// with the real first rows, and afterwards only given new values, flattened row by row in the
// column order Kysely chose. Every row of one call must have the same columns in the same order.

const compiledByBuilder = new WeakMap<object, Map<string, CompiledQuery>>();

// SQLite binds at most 32,766 values per statement (PostgreSQL 65,535): stay well below both.
const MAX_VALUES = 8000;

type Table = keyof Schema;

/** Inserts `rows` into `table`, in order; with `returning`, the new ids in the same order. */
export async function insertRows<T extends Table>(db: Db, table: T, rows: readonly Insertable<Schema[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perStatement = Math.max(1, Math.floor(MAX_VALUES / columns.length));
  for (const [from, count] of chunks(rows.length, perStatement)) {
    await db.run(prepared(db, table, columns, rows.slice(from, from + count), false));
  }
}

/**
 * Full statements, then the rest in powers of two: every statement prepared is kept by the
 * engine, so the number of shapes must stay small (about log2 of the statement size per table),
 * not one per remainder ever met.
 */
function* chunks(total: number, perStatement: number): Generator<[number, number]> {
  let from = 0;
  while (total - from >= perStatement) {
    yield [from, perStatement];
    from += perStatement;
  }
  for (let size = 1 << 30; size >= 1; size >>= 1) {
    if (total - from >= size) {
      yield [from, size];
      from += size;
    }
  }
}

/** Inserts one row and returns its id. */
export async function insertRowReturningId<T extends Table>(db: Db, table: T, row: Insertable<Schema[T]>): Promise<number> {
  const inserted = await db.first(prepared(db, table, Object.keys(row), [row], true) as { compile(): CompiledQuery<{ id: number }> });
  return inserted!.id;
}

function prepared<T extends Table>(db: Db, table: T, columns: string[], rows: readonly Insertable<Schema[T]>[], returning: boolean): { compile(): CompiledQuery } {
  let cache = compiledByBuilder.get(db.qb);
  if (cache === undefined) {
    cache = new Map();
    compiledByBuilder.set(db.qb, cache);
  }
  const shape = `${String(table)}(${columns.join(',')})x${rows.length}${returning ? ' returning id' : ''}`;
  const known = cache.get(shape);
  if (known === undefined) {
    // The first time, Kysely builds it from the real rows: its SQL and its values are the reference.
    const insert = db.qb.insertInto(table).values(rows as never);
    const compiled = (returning ? insert.returning('id' as never) : insert).compile();
    // Reused only if Kysely bound every value as a parameter, row by row, column by column.
    if (compiled.parameters.length === rows.length * columns.length) cache.set(shape, compiled);
    return { compile: () => compiled };
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const c of columns) parameters.push((row as Record<string, unknown>)[c]);
  return { compile: () => ({ ...known, parameters }) };
}
