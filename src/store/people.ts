import { CannotDo } from '../domain/errors.js';
import type { Person } from '../domain/people.js';
import type { Instant } from '../domain/time.js';
import type { Db } from './store.js';
import { appendOfficeEvent } from './tickets.js';

// The office's people as rows it edits (issue 13 §2). Each write is one transaction with its
// people_changed event, so the log says who registered, changed or retired whom, and when.

export type PeopleChange = 'added' | 'changed' | 'retired' | 'reactivated';

/** A person as the log keeps it: what `people list --json` shows. */
export function personRecord(p: Person): Record<string, unknown> {
  return { login: p.login, name: p.name, role: p.role, unit: p.unit, email: p.email, phone: p.phone, retired: p.retired };
}

/** Active directors: the office must keep one, or nobody could register or retire anyone again. */
export function activeDirectors(people: readonly Person[]): Person[] {
  return people.filter((p) => p.role === 'director' && !p.retired);
}

/** Inserts a new person (the caller checked who may and that the login is free). */
export async function insertPerson(db: Db, person: Person, by: { actor: string; at: Instant }): Promise<void> {
  const last = await db.first(db.qb.selectFrom('people').select((eb) => eb.fn.max('position').as('position')));
  const position = Number(last?.position ?? 0) + 1;
  await db.run(db.qb.insertInto('people').values({
    login: person.login, name: person.name, role: person.role, unit: person.unit, email: person.email, phone: person.phone, position, retired: person.retired ? 1 : 0,
  }));
  await record(db, 'added', null, person, by);
}

/** Writes a person's new fields over the old, with the event saying both. */
export async function updatePerson(db: Db, before: Person, after: Person, change: PeopleChange, by: { actor: string; at: Instant }): Promise<void> {
  const changed = await db.run(db.qb.updateTable('people').set({
    name: after.name, role: after.role, unit: after.unit, email: after.email, phone: after.phone, retired: after.retired ? 1 : 0,
  }).where('login', '=', before.login));
  if (changed !== 1) throw new CannotDo('people_unknown', { login: before.login });
  await record(db, change, before, after, by);
}

async function record(db: Db, change: PeopleChange, before: Person | null, after: Person, by: { actor: string; at: Instant }): Promise<void> {
  await appendOfficeEvent(db, {
    kind: 'people_changed', actor: by.actor, at: by.at, recordedAt: by.at,
    details: { change, login: after.login, before: before === null ? null : personRecord(before), after: personRecord(after) },
  });
}
