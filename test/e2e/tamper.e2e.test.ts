import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { erasePersonalData, loadTicket } from '../../src/store/tickets.js';
import { cliEntry, logArgs, runCli, runOk, tempDbPath, tempDir, TEMPLATE_EVENTS, testEnv } from '../support/cli.js';
import { payloadOf, rehashedEdit, unlockEvents } from '../support/events.js';
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
    unlockEvents(raw);
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
    expect(r.stdout).toMatch(new RegExp(`^ok: 2 tickets, ${7 + TEMPLATE_EVENTS} events checked;`));
  });

  it('names the event whose reply was changed in the log', () => {
    let id = 0;
    const db = tampered((raw) => {
      id = eventId(raw, 'replied', 'C2026-00001');
      const payload = JSON.parse(payloadOf(raw, id)) as { d: Record<string, unknown> };
      raw.prepare('UPDATE events SET payload = ? WHERE id = ?').run(JSON.stringify({ ...payload, d: { ...payload.d, message: 'We never promised anything' } }), id);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`event ${id} (C2026-00001): does not match its hash: it, or event ${id - 1} before it, was changed after it was recorded; the hash chain is broken here`);
  });

  it('names the event whose stored text was re-spaced, its content unchanged', () => {
    let id = 0;
    const db = tampered((raw) => {
      id = eventId(raw, 'replied', 'C2026-00001');
      raw.prepare(`UPDATE events SET payload = replace(payload, '":', '": ') WHERE id = ?`).run(id);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`event ${id} (C2026-00001): its stored text is not the text that was hashed; it was rewritten after it was recorded\n1 problems in 2 tickets, ${7 + TEMPLATE_EVENTS} events\n`);
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
      rehashedEdit(raw, id, payloadOf(raw, id).replace('"unit":"Finance"', '"unit":"Nobody"'));
      expect(payloadOf(raw, id)).toContain('"unit":"Nobody"');
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`event ${id + 1} (C2026-00001): does not match its hash: it, or event ${id} before it, was changed after it was recorded; the hash chain is broken here`);
  });

  it('names the ticket whose row was edited', () => {
    const db = tampered((raw) => raw.prepare("UPDATE tickets SET unit = 'Sales', status = 'closed' WHERE no = 'C2026-00002'").run());
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ticket C2026-00002: column status is "closed" in the ticket row but "assigned" from its events');
    expect(r.stdout).toContain('ticket C2026-00002: column unit is "Sales" in the ticket row but "Finance" from its events');
    expect(r.stdout).not.toContain('C2026-00001');
  });

  it('names each column and each field of the rest of a ticket row that was edited', () => {
    const db = tampered((raw) => {
      raw.prepare("UPDATE tickets SET compensation_cents = 0, rest = json_set(rest, '$.compensationKind', 'apology') WHERE no = 'C2026-00001'").run();
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'ticket C2026-00001: column compensation_cents is 0 in the ticket row but 2000 from its events\n'
      + 'ticket C2026-00001: compensationKind is "apology" in the stored ticket but "cash" from its events\n'
      + `2 problems in 2 tickets, ${7 + TEMPLATE_EVENTS} events\n`,
    );
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
    expect(r.stdout).toContain(`the event log ends at event ${6 + TEMPLATE_EVENTS} but event ${7 + TEMPLATE_EVENTS} was recorded as the newest: events were removed from its end`);
  });

  it('detects the last change of a ticket deleted together with the recorded chain head', () => {
    const db = tampered((raw) => {
      // The close of C2026-00001 (the sixth change after init's) and the note after it go; the head is rewritten to match.
      const five = raw.prepare('SELECT lower(hex(hash)) FROM events WHERE id = ?').pluck().get(5 + TEMPLATE_EVENTS) as string;
      raw.prepare('DELETE FROM events WHERE id >= ?').run(6 + TEMPLATE_EVENTS);
      raw.prepare("UPDATE settings SET value = ? WHERE key = 'event_chain_head'").run(JSON.stringify({ event: 5 + TEMPLATE_EVENTS, hash: five }));
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

  it('names the ticket whose personal value was changed beside the log', () => {
    let seal = '';
    const db = tampered((raw) => {
      const row = raw.prepare("SELECT v.ticket_id, v.seal FROM personal_values v JOIN tickets t ON t.id = v.ticket_id WHERE t.no = 'C2026-00001' AND v.value = 'Wang Fang'").get() as { ticket_id: number; seal: string };
      seal = row.seal;
      raw.prepare("UPDATE personal_values SET value = 'Wang Fei' WHERE ticket_id = ? AND seal = ?").run(row.ticket_id, row.seal);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    // The clear copy for search is checked too: it no longer agrees with the value the events hold.
    expect(r.stdout).toBe(
      'ticket C2026-00001: column complainant_name is "Wang Fang" in the ticket row but "Wang Fei" from its events\n'
      + `ticket C2026-00001: a personal value no longer matches the seal its events hold (seal ${seal}); it was changed after it was recorded\n`
      + `2 problems in 2 tickets, ${7 + TEMPLATE_EVENTS} events\n`,
    );
  });

  it('names the ticket whose personal value was deleted though the ticket was not erased', () => {
    let seal = '';
    const db = tampered((raw) => {
      const row = raw.prepare("SELECT v.ticket_id, v.seal FROM personal_values v JOIN tickets t ON t.id = v.ticket_id WHERE t.no = 'C2026-00001' AND v.value = '13800000000'").get() as { ticket_id: number; seal: string };
      seal = row.seal;
      raw.prepare('DELETE FROM personal_values WHERE ticket_id = ? AND seal = ?').run(row.ticket_id, row.seal);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    // The phone's search key (schema 6) is checked too: the events no longer open to the phone it was made from.
    expect(r.stdout).toBe(
      'ticket C2026-00001: column phone_key is "8613800000000" in the ticket row but null from its events\n'
      + `ticket C2026-00001: a personal value its events commit to (seal ${seal}) is missing, and no erasure of it is recorded\n`
      + `2 problems in 2 tickets, ${7 + TEMPLATE_EVENTS} events\n`,
    );
  });

  /**
   * A person erased as PIPL art. 47 asks, through the store's one erasure (a later `purge` runs it):
   * their values and the ticket's key deleted, the clear copies for search emptied, the erasure
   * recorded as an event.
   */
  async function erased(no: string, then?: (raw: ReturnType<typeof openRaw>) => void): Promise<string> {
    const db = join(tempDir(), 'erased.db');
    copyFileSync(original, db);
    const store = await openStore(db);
    try {
      await store.transact(async (d) => {
        const ticket = await loadTicket(d, no);
        await erasePersonalData(d, ticket, { actor: 'dpo', at: Date.parse('2026-11-22T02:00:00Z'), recordedAt: Date.parse('2026-11-22T02:00:00Z'), reason: '客户要求删除个人信息' });
      });
    } finally {
      await store.close();
    }
    if (then) withRaw(db, then);
    return db;
  }

  it('passes a ticket whose person was erased, and says it was erased', async () => {
    const db = await erased('C2026-00001');
    const r = runCli(['verify'], { db });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^1 tickets had their personal data erased: their seals can no longer be opened, by design\nok: 2 tickets, ${8 + TEMPLATE_EVENTS} events checked;`));
    expect(JSON.parse(runCli(['verify', '--json'], { db }).stdout)).toMatchObject({ ok: true, erased: 1, problems: [] });
    // The ticket is still there, its person gone, and who erased it when.
    const shown = JSON.parse(runCli(['show', 'C2026-00001', '--json'], { db }).stdout) as { complainant: Record<string, unknown>; events: { kind: string; actor: string }[] };
    expect(shown.complainant).toMatchObject({ name: null, phone: null });
    expect(shown.events.at(-1)).toMatchObject({ kind: 'personal_data_erased', actor: 'dpo' });
    // Nothing of hers is left anywhere in the file's rows for that ticket (the other ticket's caller
    // gave the same phone number, and keeps it).
    const all = withRaw(db, (raw) => {
      const id = raw.prepare("SELECT id FROM tickets WHERE no = 'C2026-00001'").pluck().get() as number;
      const rows = (q: string): string => (raw.prepare(q).pluck().all(id) as unknown[]).map(String).join('\n');
      return [
        rows('SELECT payload FROM events WHERE ticket_id = ?'), rows("SELECT rest || coalesce(complainant_name, '') || coalesce(description, '') || coalesce(demand, '') FROM tickets WHERE id = ?"),
        rows('SELECT value FROM personal_values WHERE ticket_id = ?'), rows('SELECT count(*) FROM personal_keys WHERE ticket_id = ?'),
      ].join('\n');
    });
    expect(all).not.toMatch(/Wang Fang|13800000000|The courier has your parcel/);
    // All that is kept is the erasure's reason, sealed under the ticket's new key.
    expect(all.endsWith('\n客户要求删除个人信息\n1')).toBe(true);
    // Nor in the file's free pages or the search index: the bytes on disk no longer hold them.
    checkpoint(db);
    const bytes = readFileSync(db);
    for (const gone of ['Wang Fang', 'The courier has your parcel']) expect(bytes.includes(Buffer.from(gone)), gone).toBe(false);
  });

  it('names personal data from before an erasure brought back beside the log', async () => {
    const db = await erased('C2026-00001');
    // The values and key as they were before the erasure, copied back from the original file.
    withRaw(db, (raw) => {
      raw.prepare('ATTACH ? AS before').run(original);
      raw.exec(`DELETE FROM personal_keys WHERE ticket_id = 1;
        INSERT INTO personal_keys SELECT * FROM before.personal_keys WHERE ticket_id = 1;
        INSERT INTO personal_values SELECT * FROM before.personal_values WHERE ticket_id = 1;`);
    });
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ticket C2026-00001: its personal data was erased, but \d+ values from before the erasure are still kept/);
  });

  it('after an erasure, what is said about the ticket is sealed under a new key and checked again', async () => {
    const db = await erased('C2026-00001');
    runOk(['reopen', 'C2026-00001', '--reason', 'Still broken, says the caller', '--at', '2026-11-22 11:00'], { db });
    expect(runCli(['verify'], { db }).status).toBe(0);
    withRaw(db, (raw) => raw.prepare("UPDATE personal_values SET value = 'Never said' WHERE value = 'Still broken, says the caller'").run());
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ticket C2026-00001: a personal value no longer matches the seal its events hold/);
  });

  it('names personal data deleted beside the log with no erasure recorded, or left behind by one', async () => {
    const deleted = tampered((raw) => {
      const id = raw.prepare("SELECT id FROM tickets WHERE no = 'C2026-00001'").pluck().get() as number;
      raw.prepare('DELETE FROM personal_values WHERE ticket_id = ?').run(id);
      raw.prepare('DELETE FROM personal_keys WHERE ticket_id = ?').run(id);
      raw.prepare('UPDATE tickets SET complainant_name = NULL, description = NULL, demand = NULL, phone_key = NULL, email_key = NULL WHERE id = ?').run(id);
    });
    const d = runCli(['verify'], { db: deleted });
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(/^ticket C2026-00001: the key that opens its \d+ seals is gone, and no erasure of its personal data is recorded\n/);

    const kept = tampered((raw) => raw.prepare("DELETE FROM personal_keys WHERE ticket_id = (SELECT id FROM tickets WHERE no = 'C2026-00001')").run());
    const values = withRaw(kept, (raw) => raw.prepare("SELECT count(*) FROM personal_values WHERE ticket_id = (SELECT id FROM tickets WHERE no = 'C2026-00001')").pluck().get() as number);
    const r = runCli(['verify'], { db: kept });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`ticket C2026-00001: ${values} personal values are kept without the key that seals them; an erasure left them behind\n`);

    const searchable = await erased('C2026-00001', (raw) => raw.prepare("UPDATE tickets SET complainant_name = 'Wang Fang' WHERE no = 'C2026-00001'").run());
    const s = runCli(['verify'], { db: searchable });
    expect(s.status).toBe(1);
    expect(s.stdout).toContain('ticket C2026-00001: column complainant_name is "Wang Fang" in the ticket row but null from its events\n');
  });

  it('refuses to check a file that does not exist instead of creating an empty one', () => {
    const db = join(tempDir(), 'missing.db');
    const r = runCli(['verify'], { db });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: no database at ${db}: set one up with \`complaints init\`, or give --db PATH or set COMPLAINTS_DB\n`);
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
