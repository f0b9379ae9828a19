import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logArgs, officeAt, runCli, runJson, TEMPLATE_EVENTS, tempDir } from '../support/cli.js';
import { hex } from '../../src/store/event-log.js';
import { forgeEvent, rechain, unlockEvents } from '../support/events.js';
import { checkpoint, openRaw, withRaw } from '../support/sqlite.js';

// `verify --against ANCHOR` (issue 10 §4): the anchor lines `backup` keeps outside the database
// vouch for the chain head and the numbers given at each backup. An insider with the sqlite3 shell
// can edit an event and compute every later hash again, so the file passes `verify` on its own;
// the hash the anchor kept then differs.

type Raw = ReturnType<typeof openRaw>;

function ok(db: string, args: string[]): string {
  const r = runCli(args, { db });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** An office with two tickets and a reply, backed up once (monday.db), then worked on. */
function office(): { dir: string; db: string; anchor: string; monday: string } {
  const dir = tempDir();
  const db = officeAt(join(dir, 'complaints.db'));
  mkdirSync(join(dir, 'backup'));
  ok(db, [...logArgs({ at: '2026-11-20 10:00' }), '--yes']);
  ok(db, [...logArgs({ name: 'Chen Jing', subject: '发票金额错误', category: 'billing', at: '2026-11-20 10:30' }), '--yes']);
  ok(db, ['reply', 'C2026-00001', '--via', 'phone', '--message', 'The courier has your parcel', '--at', '2026-11-20 12:00']);
  const monday = join(dir, 'backup', 'monday.db');
  ok(db, ['backup', monday]);
  ok(db, ['note', 'C2026-00002', '--message', 'Invoice reissued', '--at', '2026-11-21 11:00']);
  checkpoint(db);
  return { dir, db, anchor: join(dir, 'backup', 'complaints.db.anchor'), monday };
}

function anchorLine(anchor: string): { at: string; chain_head: { event: number; hash: string } } {
  return JSON.parse(readFileSync(anchor, 'utf8').trim().split('\n')[0]!) as { at: string; chain_head: { event: number; hash: string } };
}

/** The sqlite3 shell with the append-only triggers dropped, as tamper.e2e.test.ts does. */
function tamper(db: string, edit: (raw: Raw) => void): void {
  withRaw(db, (raw) => {
    unlockEvents(raw);
    edit(raw);
  });
}

/** The reply changed (its channel), the chain computed again from there (test/support/events.ts rechain). */
function rewriteReply(raw: Raw): void {
  const id = raw.prepare("SELECT id FROM events WHERE kind = 'replied' ORDER BY id LIMIT 1").pluck().get() as number;
  expect(raw.prepare(`UPDATE events SET payload = replace(payload, '"via":"phone"', '"via":"visit"') WHERE id = ?`).run(id).changes).toBe(1);
  expect(raw.prepare('SELECT payload FROM events WHERE id = ?').pluck().get(id)).toContain('"via":"visit"');
  rechain(raw, id);
}

describe('verify on its own', () => {
  it('names an event whose stored text was re-spaced though its content, and so its parse, is unchanged', () => {
    const { db } = office();
    let id = 0;
    tamper(db, (raw) => {
      id = raw.prepare("SELECT id FROM events WHERE kind = 'replied'").pluck().get() as number;
      raw.prepare("UPDATE events SET payload = replace(payload, ',', ' ,  ') WHERE id = ?").run(id);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`event ${id} (C2026-00001): its stored text is not the text that was hashed; it was rewritten after it was recorded\n1 problems in 2 tickets, ${4 + TEMPLATE_EVENTS} events\n`);
  });

  it('names a ticket logged a second time, the forged event chained like any other', () => {
    const { db } = office();
    tamper(db, (raw) => {
      raw.prepare(
        `INSERT INTO events (ticket_id, at, recorded_at, actor, kind, format, payload, hash)
         SELECT ticket_id, at + 60000, recorded_at + 60000, actor, kind, format, json_object('d', json(payload) -> '$.d'), x'' FROM events WHERE kind = 'logged' AND ticket_id = (SELECT id FROM tickets WHERE no = 'C2026-00002')`,
      ).run();
      rechain(raw, 1);
    });
    const r = runCli(['verify', '--json'], { db });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { problems: unknown[] }).problems).toEqual([
      { kind: 'ticket', event: 5 + TEMPLATE_EVENTS, ticket: 'C2026-00002', message: `ticket C2026-00002: event ${5 + TEMPLATE_EVENTS} logs it a second time` },
    ]);
  });
});

describe('verify --against ANCHOR', () => {
  it('passes the file as the program wrote it, saying how many lines it checked', () => {
    const { db, anchor } = office();
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain(`anchors: 1 lines of this database checked (0 from before a restore, their numbers only); 0 lines of another database skipped\nok: 2 tickets, ${4 + TEMPLATE_EVENTS} events checked;`);
    const doc = runJson<{ ok: boolean; anchors: unknown }>(['verify', '--against', anchor], { db });
    expect(doc).toMatchObject({ ok: true, anchors: { checked: 1, replaced_by_restore: 0, other_database: 0 } });
  });

  it('catches an insider who edited an event before the backup and computed every later hash again', () => {
    const { db, anchor, monday } = office();
    tamper(db, rewriteReply);
    // The rewritten chain is whole: without the anchor, nothing shows.
    expect(runCli(['verify'], { db }).status).toBe(0);
    const line = anchorLine(anchor);
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`anchor of ${line.at} (copy ${monday}): event ${line.chain_head.event} no longer has the hash it had then; the event log was rewritten since that backup`);
    const doc = JSON.parse(runCli(['verify', '--json', '--against', anchor], { db }).stdout) as { problems: { kind: string; event: number }[] };
    expect(doc.problems).toEqual([expect.objectContaining({ kind: 'anchor', event: line.chain_head.event })]);
  });

  it('is not fooled by a forged `upgraded` event claiming the anchor lines are from before an upgrade', () => {
    const { db, anchor, monday } = office();
    const line = anchorLine(anchor);
    tamper(db, (raw) => {
      rewriteReply(raw);
      // The file never was upgraded: an `upgraded` event naming its own origin as the old one.
      const origin = hex(raw.prepare('SELECT hash FROM events ORDER BY id LIMIT 1').pluck().get() as Buffer);
      forgeEvent(raw, { ticketId: null, at: Date.parse('2026-11-21T04:00:00Z'), actor: 'complaints upgrade', kind: 'upgraded', details: { from_format: 1, events: 5, old_head: null, old_origin: origin } });
    });
    expect(runCli(['verify'], { db }).status).toBe(0);
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`anchor of ${line.at} (copy ${monday}): event ${line.chain_head.event} no longer has the hash it had then`);
  });

  it('catches a rewrite from the very first event, which changes the origin the line was written with', () => {
    const { db, anchor } = office();
    tamper(db, (raw) => {
      raw.prepare("UPDATE events SET actor = 'director' WHERE id = 1").run();
      rechain(raw, 1);
    });
    expect(runCli(['verify'], { db }).status).toBe(0);
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`was written for this database (${db}) but its first event had another hash then`);
  });

  it('catches events cut from the end and a counter set back since the backup', () => {
    const { db, anchor } = office();
    const line = anchorLine(anchor);
    tamper(db, (raw) => {
      raw.prepare('DELETE FROM events WHERE id >= ?').run(line.chain_head.event);
      rechain(raw, 1);
      raw.prepare('UPDATE ticket_counters SET last = 1').run();
    });
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`event ${line.chain_head.event} is no longer in the event log; events were removed since that backup`);
    expect(r.stdout).toContain('C2026-00002 had been given by then but the counter of 2026 stands at 1; those numbers would be given again');
    expect(r.stdout).toContain('the counter of 2026 stands at 1 but ticket C2026-00002 was given');
  });

  it("passes after a restore: its skipped numbers are no finding, and the lost night's line is checked for its numbers only", () => {
    const { dir, db, anchor, monday } = office();
    ok(db, [...logArgs({ at: '2026-11-21 10:00' }), '--yes']);
    ok(db, [...logArgs({ at: '2026-11-21 11:00' }), '--yes']);
    ok(db, ['backup', join(dir, 'backup', 'tuesday.db')]);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true }); // the disk died
    expect(ok(db, ['restore', monday, '--at', '2026-11-23 08:00'])).toContain('Numbers C2026-00003 to C2026-00004 will never be given');
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('anchors: 2 lines of this database checked (1 from before a restore, their numbers only)');
    // The restored counter set back under the skipped range is still caught, through the log and through tuesday's line.
    tamper(db, (raw) => raw.prepare('UPDATE ticket_counters SET last = 2').run());
    const bad = runCli(['verify', '--against', anchor], { db });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/the counter of 2026 stands at 2 but event \d+ recorded the numbers up to C2026-00004 as skipped by a restore/);
    expect(bad.stdout).toContain('C2026-00004 had been given by then but the counter of 2026 stands at 2');
  });

  it("skips and counts the lines of another office's database backed up into the same folder", () => {
    const mine = office();
    // Another office's own init: a copy of the same new office would share this one's first event, and so its origin.
    const other = join(tempDir(), 'complaints.db');
    ok(other, ['init', '--yes', '--timezone', 'Asia/Shanghai', '--lang', 'en', '--holidays', 'none', '--at', '2025-03-01 09:00']);
    ok(other, [...logArgs({ name: 'Zhao Lei', at: '2026-11-19 09:00' }), '--yes']);
    ok(other, ['backup', join(mine.dir, 'backup', 'theirs.db')]);
    const r = runCli(['verify', '--against', mine.anchor], { db: mine.db });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('anchors: 1 lines of this database checked (0 from before a restore, their numbers only); 1 lines of another database skipped');
  });

  it('takes several files, and refuses a missing file, an empty argument and a line backup did not write', () => {
    const { dir, db, anchor } = office();
    const copy = join(dir, 'copy.anchor');
    appendFileSync(copy, readFileSync(anchor));
    expect(runCli(['verify', '--against', anchor, '--against', copy], { db }).stdout).toContain('anchors: 2 lines of this database checked');

    const missing = runCli(['verify', '--against', join(dir, 'nope.anchor')], { db });
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: `error: no anchor file at ${join(dir, 'nope.anchor')}\n` });
    const empty = runCli(['verify', '--against', ''], { db });
    expect(empty).toMatchObject({ status: 2, stdout: '', stderr: 'error: --against must not be empty\n' });
    appendFileSync(copy, 'not an anchor\n');
    const bad = runCli(['verify', '--against', copy], { db });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^error: ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2 is not an anchor line written by backup;.*\\n$`));
  });
});
