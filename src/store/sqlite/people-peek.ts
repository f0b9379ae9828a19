import Sqlite from 'better-sqlite3';
import { isRequirement, isRole, type Person, type Requirement } from '../../domain/people.js';

/**
 * The people and the office's permission rows as the file stores them, read without opening it
 * through the store (which would migrate it): for `upgrade` and `restore`, which must be allowed
 * before the file is touched. A file from before people (schema < 7), or none, has nobody: null.
 */
export function peekPeople(path: string): { people: Person[]; overrides: Record<string, Requirement> } | null {
  let db: Sqlite.Database;
  try {
    db = new Sqlite(path, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    const rows = db.prepare('SELECT login, name, role, unit, email, phone, retired FROM people ORDER BY position').all() as {
      login: string; name: string; role: string; unit: string | null; email: string | null; phone: string | null; retired: number;
    }[];
    const people = rows.map((r) => ({ ...r, role: isRole(r.role) ? r.role : 'clerk', retired: r.retired === 1 }) as Person);
    const setting = db.prepare("SELECT value FROM settings WHERE key = 'permissions'").get() as { value: string } | undefined;
    const stored = setting === undefined ? {} : (JSON.parse(setting.value) as Record<string, string>);
    const overrides: Record<string, Requirement> = {};
    for (const [command, min] of Object.entries(stored)) if (isRequirement(min)) overrides[command] = min;
    return { people, overrides };
  } catch {
    // No people table (an older file) or not ours: nobody to ask.
    return null;
  } finally {
    db.close();
  }
}
