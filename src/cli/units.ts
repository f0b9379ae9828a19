import { existsSync } from 'node:fs';
import { UsageError } from '../domain/errors.js';
import { atLeast, SYSTEM_ROLE, unitKey, type Unit } from '../domain/people.js';
import { loadUnits } from '../store/access.js';
import { joinItems } from '../ui/format.js';
import type { Context } from './context.js';
import { nearest, parseText } from './input.js';

/**
 * A unit as typed (`--unit 物流部`), as the office registered it (issue 13 §1): its registered name,
 * found width- and case-insensitively. An office with no units registered keeps free text, as
 * before. Unknown: refused naming the nearest (`物流布`: did you mean 物流部?). `forNewWork`: a
 * retired unit takes no new ticket; as a filter it still finds the tickets that went to it.
 */
export function requireKnownUnit(field: string, typed: string, units: readonly Unit[], forNewWork: boolean): string {
  if (units.length === 0) return typed;
  const key = unitKey(typed);
  const found = units.find((u) => unitKey(u.name) === key);
  if (found !== undefined) {
    if (forNewWork && found.retired) throw new UsageError('unit_retired', { field, unit: found.name });
    return found.name;
  }
  const offered = units.filter((u) => !u.retired || !forNewWork).map((u) => u.name);
  const near = nearest(typed, offered);
  if (near.length > 0) throw new UsageError('unit_unknown_near', { field, value: typed, suggestion: joinItems(near) });
  throw new UsageError('unit_unknown', { field, value: typed, accepted: joinItems(offered) });
}

/**
 * The office's units, read once before anything is asked or written. A file not made yet has none
 * (reading must not make it: a command refused for its input leaves no file behind).
 */
export async function officeUnits(ctx: Context): Promise<Unit[]> {
  if (!existsSync(ctx.dbPath)) return [];
  return (await ctx.store()).read(loadUnits);
}

/** A `--unit` filter (`物流部,质量部`): each a registered unit, retired ones included, as registered. */
export function unitFilter(field: string, value: string | undefined, units: readonly Unit[]): string[] | undefined {
  return value?.split(',').map((v) => requireKnownUnit(field, parseText(field, v, { kind: 'name', required: true })!, units, false));
}

/**
 * The handler a ticket goes to (`--to`), once the office has registered its people: a registered,
 * active person, named by login or by name, stored as the login (so the handler appraisal and
 * `approvals` find them); below supervisor, only a person of the ticket's unit, who can act on it.
 * A single-person office keeps free text, as before.
 */
export async function requireKnownHandler(ctx: Context, typed: string, unit: string | null): Promise<string> {
  if (!existsSync(ctx.dbPath)) return typed;
  // Read with the store's opening, to settle who is acting.
  await ctx.store();
  const people = [...ctx.access().people.values()];
  if (people.length === 0) return typed;
  const active = people.filter((p) => !p.retired && p.role !== SYSTEM_ROLE);
  const byName = active.filter((p) => p.name === typed);
  const person = active.find((p) => p.login === typed) ?? (byName.length === 1 ? byName[0] : undefined);
  if (person === undefined) {
    const near = nearest(typed, active.flatMap((p) => [p.login, p.name]));
    if (near.length > 0) throw new UsageError('handler_unknown_near', { field: '--to', value: typed, suggestion: joinItems(near) });
    throw new UsageError('handler_unknown', { field: '--to', value: typed });
  }
  const ownUnit = person.unit;
  if (!atLeast(person.role, 'supervisor') && (ownUnit === null || unit === null || unitKey(ownUnit) !== unitKey(unit))) {
    throw new UsageError('handler_other_unit', { field: '--to', name: person.name, login: person.login, own: ownUnit ?? '—', unit: unit ?? '—' });
  }
  return person.login;
}
