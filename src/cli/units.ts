import { existsSync } from 'node:fs';
import { UsageError } from '../domain/errors.js';
import { unitKey, type Unit } from '../domain/people.js';
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
