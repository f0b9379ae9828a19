import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../../src/store/tickets.js';
import { cliEntry, logArgs, runCli, runOk, tempDbPath, tempDir, testEnv } from '../support/cli.js';
import { checkpoint, openRaw, withRaw } from '../support/sqlite.js';

// Someone "fixes" a record with the sqlite3 shell, dropping the append-only triggers first.
// `verify` must notice and name what was touched (21 CFR Part 11: changes must never obscure
// what was recorded).

let original: string;

beforeAll(() => {
  original = tempDbPath();
  const db = original;
  const ok = (args: string[]): void => void runOk(args, { db });
  ok([...logArgs({ at: '2026-11-20 10:00' }), '--yes']);
  ok([...logArgs({ name: 'Chen Jing', subject: '发票金额错误', category: 'billing', amount: '880', at: '2026-11-20 10:30' }), '--yes']);
  ok(['assign', 'C2026-00001', '--unit', 'Logistics', '--to', 'Li Lei', '--at', '2026-11-20 11:00']);
  ok(['reply', 'C2026-00001', '--via', 'phone', '--message', 'The courier has your parcel', '--at', '2026-11-20 12:00']);
  ok(['assign', 'C2026-00002', '--unit', 'Finance', '--at', '2026-11-20 12:30']);
  ok(['close', 'C2026-00001', '--resolution', 'Delivered', '--compensation', '20', '--compensation-kind', 'cash', '--at', '2026-11-21 10:00']);
  ok(['note', 'C2026-00002', '--message', 'Invoice reissued', '--at', '2026-11-21 11:00']);
  checkpoint(db);
});

/** A copy of the worked database, changed by `edit` as the sqlite3 shell would. */
function tampered(edit: (db: ReturnType<typeof openRaw>) => void): string {
  const db = join(tempDir(), 'tampered.db');
  copyFileSync(original, db);
  withRaw(db, (raw) => {
    raw.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    edit(raw);
  });
  return db;
}

function eventId(db: ReturnType<typeof openRaw>, kind: string, no: string): number {
  return db.prepare('SELECT e.id FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = ? AND t.no = ? ORDER BY e.id LIMIT 1').pluck().get(kind, no) as number;
}

describe('verify', () => {
  it('passes the untouched database', () => {
    const r = runCli(['verify'], { db: original });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ok: 2 tickets, 7 events checked;/);
  });

  it('names the event whose reply message was changed', () => {
    let id = 0;
    const db = tampered((raw) => {
      id = eventId(raw, 'replied', 'C2026-00001');
      const details = JSON.parse(raw.prepare('SELECT details FROM events WHERE id = ?').pluck().get(id) as string) as Record<string, unknown>;
      raw.prepare('UPDATE events SET details = ? WHERE id = ?').run(JSON.stringify({ ...details, message: 'We never promised anything' }), id);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`event ${id} (C2026-00001): its content does not match its hash`);
  });

  it('names the event whose time was moved', () => {
    let id = 0;
    const db = tampered((raw) => {
      id = eventId(raw, 'closed', 'C2026-00001');
      raw.prepare('UPDATE events SET at = at - 86400000 WHERE id = ?').run(id);
    });
    const r = runCli(['verify', '--json'], { db });
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; problems: { kind: string; event: number; ticket: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.problems[0]).toMatchObject({ kind: 'chain', event: id, ticket: 'C2026-00001' });
  });

  it('names the first broken link when the edited event was re-hashed to hide it', () => {
    let id = 0;
    const db = tampered((raw) => {
      id = eventId(raw, 'assigned', 'C2026-00002');
      const row = raw.prepare('SELECT * FROM events WHERE id = ?').get(id) as {
        ticket_id: number; at: number; recorded_at: number; actor: string; kind: 'assigned'; details: string; changes: string; prev_hash: string;
      };
      const details = { ...(JSON.parse(row.details) as object), unit: 'Nobody' };
      const hash = eventHash(row.prev_hash, {
        ticketId: row.ticket_id, at: row.at, recordedAt: row.recorded_at, actor: row.actor, kind: row.kind,
        details, changes: JSON.parse(row.changes) as Record<string, [unknown, unknown]>,
      });
      raw.prepare('UPDATE events SET details = ?, hash = ? WHERE id = ?').run(JSON.stringify(details), hash, id);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`event ${id + 1} (C2026-00001): does not follow event ${id}`);
  });

  it('names the ticket whose row was edited', () => {
    const db = tampered((raw) => raw.prepare("UPDATE tickets SET unit = 'Sales', status = 'closed' WHERE no = 'C2026-00002'").run());
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ticket C2026-00002: column status is "closed" in the ticket row but "assigned" from its events');
    expect(r.stdout).toContain('ticket C2026-00002: column unit is "Sales" in the ticket row but "Finance" from its events');
    expect(r.stdout).not.toContain('C2026-00001');
  });

  it("names the ticket whose stored snapshot was edited to match an edited column", () => {
    const db = tampered((raw) => {
      const snap = JSON.parse(raw.prepare("SELECT snapshot FROM tickets WHERE no = 'C2026-00001'").pluck().get() as string) as Record<string, unknown>;
      raw.prepare("UPDATE tickets SET compensation_cents = 0, snapshot = ? WHERE no = 'C2026-00001'").run(JSON.stringify({ ...snap, compensationCents: 0 }));
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ticket C2026-00001: column compensation_cents is 0 in the ticket row but 2000 from its events');
    expect(r.stdout).toContain('ticket C2026-00001: compensationCents is 0 in the stored ticket but 2000 from its events');
  });

  it('names the ticket whose deadline row was moved', () => {
    const db = tampered((raw) =>
      raw.prepare("UPDATE deadlines SET due = due + 3600000 WHERE key LIKE 'resolve.%' AND ticket_id = (SELECT id FROM tickets WHERE no = 'C2026-00002')").run());
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ticket C2026-00002: deadline resolve\.\S+ is .* in the deadlines table but .* from its events/);
  });

  it('detects the last event deleted, even a note that changed no ticket field', () => {
    const db = tampered((raw) => raw.prepare('DELETE FROM events WHERE id = (SELECT max(id) FROM events)').run());
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('the event log ends at event 6 but event 7 was recorded as the newest: events were removed from its end');
  });

  it('detects the last change of a ticket deleted together with the recorded chain head', () => {
    const db = tampered((raw) => {
      // The close of C2026-00001 (event 6) and the note after it go; the head is rewritten to match.
      const five = raw.prepare('SELECT hash FROM events WHERE id = 5').pluck().get() as string;
      raw.prepare('DELETE FROM events WHERE id >= 6').run();
      raw.prepare("UPDATE settings SET value = ? WHERE key = 'event_chain_head'").run(JSON.stringify({ event: 5, hash: five }));
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ticket C2026-00001: column status is "closed" in the ticket row but "in_progress" from its events');
    expect(r.stdout).not.toContain('was recorded as the newest');
  });

  it('detects a ticket row deleted with its deadlines', () => {
    const db = tampered((raw) => {
      raw.exec('PRAGMA foreign_keys = OFF');
      raw.prepare("DELETE FROM deadlines WHERE ticket_id = (SELECT id FROM tickets WHERE no = 'C2026-00002')").run();
      raw.prepare("DELETE FROM tickets WHERE no = 'C2026-00002'").run();
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/events from \d+ \(3 in all\) belong to ticket id 2, which has no ticket row/);
  });

  it('refuses to check a file that does not exist instead of creating an empty one', () => {
    const db = join(tempDir(), 'missing.db');
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: no database at ${db} (give --db PATH or set COMPLAINTS_DB)\n`);
    expect(existsSync(db)).toBe(false);
  });
});

describe('personal data on a shared machine', () => {
  it('a new database and its -wal and -shm are not readable by others, even with umask 000', () => {
    const db = tempDbPath();
    const r = spawnSync('/bin/sh', ['-c', `umask 000; exec "${process.execPath}" "${cliEntry()}" --db "${db}" list`], { env: testEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o660);
    // SQLite gives -wal and -shm the main file's mode when it creates them.
    const raw = openRaw(db);
    try {
      raw.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
      for (const f of [`${db}-wal`, `${db}-shm`]) expect(statSync(f).mode & 0o007, f).toBe(0);
    } finally {
      raw.close();
    }
    expect(runCli(['verify'], { db }).stderr).toBe('');
  });

  it('verify warns when the file is readable by others', () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { db }).status).toBe(0);
    chmodSync(db, 0o644);
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(0); // the records are sound; the warning is about who can read them
    expect(r.stderr).toContain(`warning: ${db} can be read by other users of this machine (mode 0644)`);
    const json = JSON.parse(runCli(['verify', '--json'], { db }).stdout) as { warnings: { path: string; mode: string }[] };
    expect(json.warnings[0]).toMatchObject({ path: db, mode: '0644' });
  });
});
