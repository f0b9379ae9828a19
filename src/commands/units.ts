import type { Context } from '../cli/context.js';
import { printable, requireText } from '../cli/input.js';
import { requireKnownUnit } from '../cli/units.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { unitKey, type Unit } from '../domain/people.js';
import { t } from '../messages/index.js';
import { loadPeople } from '../store/access.js';
import { loadPolicy } from '../store/procedure.js';
import { importUnits, loadUnits, openTicketsByUnit, renameUnit, saveUnit, unregisteredNamesInUse } from '../store/units.js';
import { display } from '../ui/cells.js';
import { joinItems } from '../ui/format.js';
import { renderTable, type TableColumn } from '../ui/table.js';
import { printJson } from '../ui/ticket-json.js';
import type { Db } from '../store/store.js';

// `units` (issue 13 §1): the office's units as it registers them. Once one is registered, a ticket
// goes only to a registered unit, so a typo (物流布) no longer makes a unit of its own with its own
// row in the monthly report. A unit is never deleted: retiring it keeps its tickets' history.

export interface AddOptions {
  leader?: string;
  parent?: string;
}

/** A unit's name as typed: the `name` text rule (one printable line, at most 100 characters). */
function parseUnitName(field: string, value: string): string {
  return requireText(field, value, 'name');
}

export async function list(ctx: Context, options: { json?: boolean }): Promise<void> {
  const { units, open } = await (await ctx.store()).read(async (db) => ({ units: await loadUnits(db), open: await openTicketsByUnit(db) }));
  const openOf = (u: Unit): number => open.get(unitKey(u.name)) ?? 0;
  if (options.json) {
    printJson(ctx.io.out, { units: units.map((u) => ({ name: u.name, leader: u.leader, parent: u.parent, retired: u.retired, open: openOf(u) })) });
    return;
  }
  if (units.length === 0) {
    ctx.io.out(t('units_none'));
    return;
  }
  const columns: TableColumn[] = [
    { head: t('label_unit'), wrap: { min: 6 } },
    { head: t('units_col_leader') },
    { head: t('units_col_parent'), wrap: { min: 6 } },
    { head: t('units_col_open'), align: 'right' },
    { head: t('units_col_retired') },
  ];
  const rows = units.map((u) => [
    display(u.name), display(u.leader ?? ''), display(u.parent ?? ''), String(openOf(u)), u.retired ? t('answer_yes') : '',
  ]);
  ctx.io.out(renderTable(columns, rows, { width: ctx.io.width ?? 100 }));
}

/** The leader's login: a registered, active person once people exist; any name while nobody is registered. */
async function checkLeader(db: Db, typed: string | undefined): Promise<string | null> {
  if (typed === undefined) return null;
  const login = requireText('--leader', typed, 'name');
  const people = await loadPeople(db);
  if (people.length === 0) return login;
  const person = people.find((p) => p.login === login);
  if (person === undefined || person.retired) throw new UsageError('units_leader_unknown', { field: '--leader', login: printable(login) });
  return person.login;
}

/** The parent's registered name, refusing one that is (or is under) the unit itself. */
function checkParent(typed: string | undefined, unitName: string, units: readonly Unit[]): string | null {
  if (typed === undefined) return null;
  const parent = requireKnownUnit('--parent', requireText('--parent', typed, 'name'), units, true);
  const byKey = new Map(units.map((u) => [unitKey(u.name), u]));
  const own = unitKey(unitName);
  // Up the tree from the parent: reaching the unit itself would make it its own ancestor.
  for (let at: string | null = parent, steps = 0; at !== null && steps <= units.length; steps++) {
    if (unitKey(at) === own) throw new UsageError('units_parent_cycle', { field: '--parent', parent, unit: unitName });
    at = byKey.get(unitKey(at))?.parent ?? null;
  }
  return parent;
}

export async function add(ctx: Context, nameText: string, options: AddOptions): Promise<void> {
  const name = parseUnitName('NAME', nameText);
  if (options.leader !== undefined) requireText('--leader', options.leader, 'name');
  if (options.parent !== undefined) requireText('--parent', options.parent, 'name');
  const store = await ctx.store();
  const now = ctx.now();
  const { unit, was } = await store.transact(async (db) => {
    const by = { actor: ctx.actor, at: now, procedure: (await loadPolicy(db)).procedureVersion };
    const units = await loadUnits(db);
    const was = units.find((u) => unitKey(u.name) === unitKey(name)) ?? null;
    if (was !== null && !was.retired) throw new CannotDo('units_exists', { unit: was.name });
    const parent = checkParent(options.parent, was?.name ?? name, units);
    const leader = await checkLeader(db, options.leader);
    // A retired unit added again comes back under the name it had; what the flags say replaces what it had.
    const unit: Unit = was === null
      ? { name, leader, parent, retired: false }
      : { ...was, retired: false, ...(leader === null ? {} : { leader }), ...(parent === null ? {} : { parent }) };
    await saveUnit(db, was, unit, by, 'add');
    return { unit, was };
  });
  ctx.io.out(display(t(was === null ? 'units_added' : 'units_brought_back', { unit: unit.name })));
}

export async function rename(ctx: Context, oldText: string, newText: string): Promise<void> {
  const typedOld = parseUnitName('OLD', oldText);
  const name = parseUnitName('NEW', newText);
  const store = await ctx.store();
  const now = ctx.now();
  const { was, count } = await store.transact(async (db) => {
    const units = await loadUnits(db);
    if (units.length === 0) throw new CannotDo('units_none_to_change', {});
    const oldName = requireKnownUnit('OLD', typedOld, units, false);
    const was = units.find((u) => u.name === oldName)!;
    if (was.name === name) throw new CannotDo('units_rename_same', { unit: was.name });
    // The same name in another width or case is a correction of this unit, not another unit.
    const taken = units.find((u) => unitKey(u.name) === unitKey(name) && u !== was);
    if (taken !== undefined) throw new CannotDo('units_name_taken', { unit: taken.name });
    const count = await renameUnit(db, was, name, { actor: ctx.actor, at: now, procedure: (await loadPolicy(db)).procedureVersion });
    return { was, count };
  });
  ctx.io.out(display(t('units_renamed', { from: was.name, to: name, count })));
}

export async function retire(ctx: Context, nameText: string): Promise<void> {
  const typed = parseUnitName('NAME', nameText);
  const store = await ctx.store();
  const now = ctx.now();
  const { unit, count } = await store.transact(async (db) => {
    const by = { actor: ctx.actor, at: now, procedure: (await loadPolicy(db)).procedureVersion };
    const units = await loadUnits(db);
    if (units.length === 0) throw new CannotDo('units_none_to_change', {});
    const name = requireKnownUnit('NAME', typed, units, false);
    const was = units.find((u) => u.name === name)!;
    if (was.retired) throw new CannotDo('units_already_retired', { unit: was.name });
    const unit: Unit = { ...was, retired: true };
    await saveUnit(db, was, unit, by, 'retire');
    return { unit, count: (await openTicketsByUnit(db)).get(unitKey(name)) ?? 0 };
  });
  ctx.io.out(display(t('units_retired', { unit: unit.name, count })));
}

export async function importExisting(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const now = ctx.now();
  const names = await store.transact(async (db) => {
    const by = { actor: ctx.actor, at: now, procedure: (await loadPolicy(db)).procedureVersion };
    const names = await unregisteredNamesInUse(db, await loadUnits(db));
    await importUnits(db, names, by);
    return names;
  });
  ctx.io.out(display(names.length === 0 ? t('units_imported_none') : t('units_imported', { count: names.length, units: joinItems(names) })));
}
