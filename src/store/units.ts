import { unitKey, type Unit } from '../domain/people.js';
import type { Instant } from '../domain/time.js';
import { loadUnits } from './access.js';
import { appendOfficeEvent, findTicketsById, recordTicketChange } from './tickets.js';
import type { Db } from './store.js';

// The office's units as rows it edits (issue 13 §1). Every change is made inside the caller's
// write transaction together with its `units_changed` event, so the log can say who added, renamed
// or retired which unit and when. A unit is never deleted: tickets keep pointing at it.

export { loadUnits } from './access.js';

/** Who made the change and when: every event the change appends carries both. */
export interface UnitChangeBy {
  actor: string;
  at: Instant;
  /** The procedure version a ticket's `unit_renamed` event is recorded under. */
  procedure: number;
}

/** A unit as its `units_changed` event records it, before or after. */
export function unitEntry(unit: Unit): Record<string, unknown> {
  return { name: unit.name, leader: unit.leader, parent: unit.parent, retired: unit.retired };
}

async function unitsChanged(db: Db, by: UnitChangeBy, change: string, unit: string, before: Unit | null, after: Unit | null): Promise<void> {
  await appendOfficeEvent(db, {
    kind: 'units_changed', actor: by.actor, at: by.at, recordedAt: by.at,
    details: { change, unit, before: before === null ? null : unitEntry(before), after: after === null ? null : unitEntry(after) },
  });
}

function unitRow(unit: Unit, position: number) {
  return { name: unit.name, name_key: unitKey(unit.name), position, leader: unit.leader, parent: unit.parent, retired: unit.retired ? 1 : 0 };
}

/** Registers a new unit, or brings back a retired one (`was`) with what `unit` now says. */
export async function saveUnit(db: Db, was: Unit | null, unit: Unit, by: UnitChangeBy, change: 'add' | 'import' | 'retire'): Promise<void> {
  if (was === null) {
    const last = await db.first(db.qb.selectFrom('units').select((eb) => eb.fn.max('position').as('position')));
    await db.run(db.qb.insertInto('units').values(unitRow(unit, Number(last?.position ?? 0) + 1)));
    // Tickets and people that spelt it in another width or case now read as registered.
    await carryToName(db, unitKey(unit.name), unit.name, by);
  } else {
    await db.run(db.qb.updateTable('units')
      .set({ leader: unit.leader, parent: unit.parent, retired: unit.retired ? 1 : 0 })
      .where('name_key', '=', unitKey(was.name)));
  }
  await unitsChanged(db, by, change, unit.name, was, unit);
}

/** How many tickets not yet closed each unit has, by unitKey (a list's "open" column). */
export async function openTicketsByUnit(db: Db): Promise<Map<string, number>> {
  const rows = await db.all(db.qb.selectFrom('tickets')
    .select((eb) => ['unit', eb.fn.countAll<number>().as('n')])
    .where('status', '!=', 'closed').where('unit', 'is not', null).groupBy('unit'));
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = unitKey(r.unit!);
    counts.set(key, (counts.get(key) ?? 0) + Number(r.n));
  }
  return counts;
}

/**
 * The unit names in use that are not registered: on tickets in the order they were first logged,
 * then on people rows in the order they were registered; one per unitKey, as first written.
 */
export async function unregisteredNamesInUse(db: Db, units: readonly Unit[]): Promise<string[]> {
  const onTickets = await db.all(db.qb.selectFrom('tickets')
    .select((eb) => ['unit', eb.fn.min('id').as('first')])
    .where('unit', 'is not', null).groupBy('unit').orderBy('first'));
  const onPeople = await db.all(db.qb.selectFrom('people').select('unit').where('unit', 'is not', null).orderBy('position'));
  const seen = new Set(units.map((u) => unitKey(u.name)));
  const names: string[] = [];
  for (const name of [...onTickets.map((r) => r.unit!), ...onPeople.map((r) => r.unit!)]) {
    const key = unitKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

/** Registers each name as a unit with no leader and no parent: one event each, in the caller's transaction. */
export async function importUnits(db: Db, names: readonly string[], by: UnitChangeBy): Promise<void> {
  for (const name of names) {
    const unit: Unit = { name, leader: null, parent: null, retired: false };
    await saveUnit(db, null, unit, by, 'import');
  }
}

/**
 * Renames `was` to `name` with everything that names it: the units under it, the people in it, and
 * every ticket that went to it (a `unit_renamed` event each, so reports, lists and verify count it
 * under the new name while its earlier events still say the old one). Returns how many tickets.
 */
export async function renameUnit(db: Db, was: Unit, name: string, by: UnitChangeBy): Promise<number> {
  const oldKey = unitKey(was.name);
  const after: Unit = { ...was, name };
  await db.run(db.qb.updateTable('units').set({ name, name_key: unitKey(name) }).where('name_key', '=', oldKey));
  const units = await loadUnits(db);
  const children = units.filter((u) => u.parent !== null && unitKey(u.parent) === oldKey).map((u) => unitKey(u.name));
  if (children.length > 0) await db.run(db.qb.updateTable('units').set({ parent: name }).where('name_key', 'in', children));
  const renamed = await carryToName(db, oldKey, name, by);
  await unitsChanged(db, by, 'rename', name, was, after);
  return renamed;
}

/**
 * Puts every ticket and person of the unit `key` under `name`: a ticket gets a `unit_renamed`
 * event, so the log says when and why its unit reads differently. Matched by key: a ticket typed
 * 物流部 before the unit was registered as 物流部 is the same unit's, and is counted in one row.
 */
async function carryToName(db: Db, key: string, name: string, by: UnitChangeBy): Promise<number> {
  const people = await db.all(db.qb.selectFrom('people').select(['login', 'unit']).where('unit', 'is not', null));
  const members = people.filter((p) => unitKey(p.unit!) === key && p.unit !== name).map((p) => p.login);
  if (members.length > 0) await db.run(db.qb.updateTable('people').set({ unit: name }).where('login', 'in', members));

  const spellings = (await db.all(db.qb.selectFrom('tickets').select('unit').distinct().where('unit', 'is not', null)))
    .map((r) => r.unit!).filter((u) => unitKey(u) === key && u !== name);
  if (spellings.length === 0) return 0;
  let renamed = 0;
  const ids = (await db.all(db.qb.selectFrom('tickets').select('id').where('unit', 'in', spellings).orderBy('id'))).map((r) => r.id);
  // In pages: a unit of some thousands of tickets is read a page at a time, not all at once.
  for (let i = 0; i < ids.length; i += 500) {
    for (const stored of await findTicketsById(db, ids.slice(i, i + 500))) {
      const from = stored.ticket.unit!;
      await recordTicketChange(db, stored, { ...stored.ticket, unit: name }, {
        kind: 'unit_renamed', actor: by.actor, at: by.at, recordedAt: by.at, details: { from, to: name }, procedure: by.procedure,
      });
      renamed++;
    }
  }
  return renamed;
}
