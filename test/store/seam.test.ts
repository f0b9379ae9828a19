import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { readSetting, writeSetting } from '../../src/store/settings.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ROOT, missingDbPath } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';

// The store's seam (issue 10 §1): one asynchronous door, calls on one Store taken one at a time,
// a transaction all or nothing, and no engine reached past it.

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function fresh(): Promise<Store> {
  const store = await openStore(missingDbPath());
  stores.push(store);
  return store;
}

const tick = (): Promise<void> => new Promise((done) => setTimeout(done, 5));

describe('one Store, one call at a time', () => {
  it('a read and a transaction started at once run one after the other, never interleaved', async () => {
    const store = await fresh();
    const steps: string[] = [];
    const reading = store.read(async (db) => {
      steps.push('read begins');
      await tick();
      const seen = await readSetting(db, 'marker');
      steps.push('read ends');
      return seen;
    });
    const writing = store.transact(async (db) => {
      steps.push('write begins');
      await writeSetting(db, 'marker', 'written');
      await tick();
      steps.push('write ends');
    });
    const [seen] = await Promise.all([reading, writing]);
    expect(steps).toEqual(['read begins', 'read ends', 'write begins', 'write ends']);
    // The read ran whole before the write began.
    expect(seen).toBeUndefined();
    expect(await store.read((db) => readSetting(db, 'marker'))).toBe('written');
  });

  it('a throw inside transact undoes everything it wrote', async () => {
    const store = await fresh();
    await expect(store.transact(async (db) => {
      await writeSetting(db, 'first', 1);
      await db.takeTicketNos(2026, 1);
      await writeSetting(db, 'second', 2);
      throw new Error('the clerk hung up');
    })).rejects.toThrow('the clerk hung up');
    const left = withRaw(store.location, (raw) => ({
      settings: raw.prepare("SELECT count(*) FROM settings WHERE key IN ('first', 'second')").pluck().get(),
      counters: raw.prepare('SELECT count(*) FROM ticket_counters').pluck().get(),
    }));
    expect(left).toEqual({ settings: 0, counters: 0 });
    // And the store goes on: the next transaction takes the first number.
    expect(await store.transact((db) => db.takeTicketNos(2026, 1))).toBe(1);
  });

  it('a read or transact started inside another is refused, not joined, and the outer one is undone', async () => {
    const store = await fresh();
    await expect(store.transact(async (db) => {
      await writeSetting(db, 'outer', true);
      await store.transact((inner) => writeSetting(inner, 'inner', true));
    })).rejects.toThrow(/inside another/);
    await expect(store.transact(async () => store.read(async () => 1))).rejects.toThrow(/inside another/);
    expect(await store.read(async (db) => [await readSetting(db, 'outer'), await readSetting(db, 'inner')])).toEqual([undefined, undefined]);
  });

  it('a db kept past its transaction refuses to be used', async () => {
    const store = await fresh();
    const kept = await store.read(async (db) => db);
    await expect(kept.all(sql`SELECT 1 AS one`)).rejects.toThrow(/after its read or transaction ended/);
  });
});

describe('no engine reached past the store', () => {
  /** Every TypeScript file under src/, by its path from the project root. */
  function sources(dir = join(ROOT, 'src')): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
    });
  }

  /** What a file imports: static, dynamic and type-only alike. */
  function imports(file: string): string[] {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  }

  it('no file under src/ outside src/store imports better-sqlite3 or a store/sqlite module', () => {
    const outside = sources().filter((f) => !f.startsWith(join('src', 'store') + '/'));
    expect(outside.length).toBeGreaterThan(20);
    const reaching = outside.flatMap((file) => imports(file)
      .filter((spec) => spec === 'better-sqlite3' || spec.startsWith('better-sqlite3/') || /(^|\/)store\/sqlite(\/|$)/.test(spec))
      .map((spec) => `${file} imports ${spec}`));
    expect(reaching).toEqual([]);
  });

  it('the store\'s shared modules leave the engine to store/sqlite too', () => {
    const shared = sources().filter((f) => f.startsWith(join('src', 'store') + '/') && !f.startsWith(join('src', 'store', 'sqlite') + '/'));
    const reaching = shared.flatMap((file) => imports(file).filter((spec) => spec.startsWith('better-sqlite3')).map((spec) => `${file} imports ${spec}`));
    expect(reaching).toEqual([]);
  });
});
