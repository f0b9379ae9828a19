import type Sqlite from 'better-sqlite3';
import { emailSearchKey, phoneSearchKey } from '../../domain/phone.js';

// Schema 6's step (schema/sqlite/006_contact_keys.sql): the phone and email search keys of every
// ticket there is, from its clear personal values. A ticket's row holds the seal of each (in
// `rest`); the value beside it, unless the person was erased, in which case the key stays empty
// as erasing leaves it. In pages of ids, so a million tickets never sit in memory at once.

const PAGE = 5_000;

export function fillContactKeys(sqlite: Sqlite.Database): null {
  const page = sqlite.prepare(`
    SELECT t.id AS id, phone.value AS phone, email.value AS email
    FROM tickets t
    LEFT JOIN personal_values phone ON phone.ticket_id = t.id AND phone.seal = json_extract(t.rest, '$.complainant.phone."$p"')
    LEFT JOIN personal_values email ON email.ticket_id = t.id AND email.seal = json_extract(t.rest, '$.complainant.email."$p"')
    WHERE t.id > ? ORDER BY t.id LIMIT ?`);
  const set = sqlite.prepare('UPDATE tickets SET phone_key = ?, email_key = ? WHERE id = ?');
  for (let after = 0; ;) {
    const rows = page.all(after, PAGE) as { id: number; phone: string | null; email: string | null }[];
    for (const r of rows) {
      const phone = r.phone === null ? null : phoneSearchKey(r.phone);
      const email = r.email === null ? null : emailSearchKey(r.email);
      if (phone !== null || email !== null) set.run(phone, email, r.id);
    }
    if (rows.length < PAGE) return null;
    after = rows.at(-1)!.id;
  }
}
