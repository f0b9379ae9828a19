import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as log } from '../../src/commands/log.js';
import { CannotDo } from '../../src/domain/errors.js';
import { anchorFileFor, formatAnchorLine, numberingFacts, parseAnchorLine, readAnchorFile, type Anchor } from '../../src/store/anchor.js';
import { openStore } from '../../src/store/store.js';
import { missingDbPath, tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { withRaw } from '../support/sqlite.js';

// The anchor line (issue 9 §8): what a backup copy knew, in a form `restore` and a later
// `verify --against` read back.

const line: Anchor = {
  at: '2026-11-20T17:30:00.000Z', db: '/srv/complaints.db', copy: '/srv/backup/complaints-2026-11-20.db',
  origin: 'a'.repeat(64), formerOrigin: null, chainHead: { event: 5120, hash: 'b'.repeat(64) }, lastNumbers: { 2026: 1234 },
};

describe('anchor lines', () => {
  it('are one JSON object each, read back as written', () => {
    const text = formatAnchorLine(line);
    expect(JSON.parse(text)).toEqual({
      at: line.at, db: line.db, copy: line.copy, origin: line.origin, chain_head: line.chainHead, last_numbers: { 2026: 1234 },
    });
    expect(parseAnchorLine(text)).toEqual(line);
    expect(parseAnchorLine(formatAnchorLine({ ...line, origin: null, chainHead: null, lastNumbers: {} }))).toEqual({
      ...line, origin: null, chainHead: null, lastNumbers: {},
    });
    // A file upgraded from release 1 also names the origin of the chain the upgrade re-encoded.
    const upgraded: Anchor = { ...line, formerOrigin: 'c'.repeat(64) };
    expect(JSON.parse(formatAnchorLine(upgraded))).toEqual({
      at: line.at, db: line.db, copy: line.copy, origin: line.origin, former_origin: 'c'.repeat(64), chain_head: line.chainHead, last_numbers: { 2026: 1234 },
    });
    expect(parseAnchorLine(formatAnchorLine(upgraded))).toEqual(upgraded);
  });

  it.each([
    ['a torn line', formatAnchorLine(line).slice(0, 80)],
    ['a number that is not a count', formatAnchorLine({ ...line, lastNumbers: { 2026: -1 } })],
    ['a year that is not a year', formatAnchorLine(line).replace('"2026"', '"26"')],
    ['no numbers', JSON.stringify({ at: line.at, db: line.db, copy: line.copy, origin: null, chain_head: null })],
    ['not an object', '[1,2,3]'],
    ['a former origin that is not text', formatAnchorLine({ ...line, formerOrigin: 'c'.repeat(64) }).replace(/"c+"/, '42')],
  ])('refuse %s', (_case, text) => {
    expect(parseAnchorLine(text)).toBeNull();
  });

  it('live beside the copy, named after the database', () => {
    expect(anchorFileFor('/srv/backup/complaints-2026-11-20.db', '/var/lib/complaints/complaints.db')).toBe('/srv/backup/complaints.db.anchor');
  });

  it('a file with a line that is not one is refused whole, naming the line', () => {
    const file = join(tempDir(), 'complaints.db.anchor');
    writeFileSync(file, `${formatAnchorLine(line)}\n\n${formatAnchorLine(line).slice(0, 40)}\n`);
    expect(() => readAnchorFile(file)).toThrow(CannotDo);
    try {
      readAnchorFile(file);
    } catch (e) {
      expect((e as CannotDo).params).toEqual({ path: file, line: 3 });
    }
    writeFileSync(file, `${formatAnchorLine(line)}\n\n${formatAnchorLine(line)}\n`);
    expect(readAnchorFile(file)).toHaveLength(2);
  });
});

describe('numberingFacts', () => {
  it('knows the last numbers from the ticket rows even when the counters were damaged', async () => {
    const db = missingDbPath();
    const ctx = testContext(db);
    for (const at of ['2026-11-20 10:00', '2026-11-20 11:00', '2026-11-20 12:00']) {
      await log(ctx, { name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', subject: 'Parcel late', at, yes: true });
    }
    await ctx.close();
    withRaw(db, (raw) => raw.prepare('UPDATE ticket_counters SET last = 1').run());
    const store = await openStore(db);
    const facts = await store.read(numberingFacts);
    await store.close();
    expect(facts.lastNumbers).toEqual({ 2026: 3 });
    const events = withRaw(db, (raw) => raw.prepare("SELECT id, hex(hash) AS hash FROM events ORDER BY id").all()) as { id: number; hash: string }[];
    expect(events).toHaveLength(3);
    // Stored as 32 bytes, written in anchor lines as lower-case hex.
    expect(facts.origin).toBe(events[0]!.hash.toLowerCase());
    expect(facts.chainHead).toEqual({ event: events.at(-1)!.id, hash: events.at(-1)!.hash.toLowerCase() });
    expect(facts.formerOrigin).toBeNull();
  });
});
