import { DEFAULT_APPROVAL_LIMITS, isRequirement, isRole, ROLES, type ApprovalLimits, type Person, type Rank, type Requirement, type Unit } from '../domain/people.js';
import type { Db } from './store.js';

// Who may do what, as the file holds it (schema 7): the people and units registered, and the
// office's own changes to the permission table and the approval limits (settings, audited as
// settings_changed). Read once per command, with the store's first opening.

/** The office's own rank for a command, where it changed the default: command → requirement. */
export const PERMISSIONS_SETTING = 'permissions';
/** The office's approval limits in cents, where it changed the defaults: rank → cents (null: any). */
export const APPROVAL_LIMITS_SETTING = 'approval_limits';
/** The rank that must re-confirm a close finding the customer at fault (seed 001), or absent: off. */
export const FAULT_CONFIRM_SETTING = 'fault_confirm';

export interface OfficeAccess {
  people: ReadonlyMap<string, Person>;
  overrides: Readonly<Record<string, Requirement>>;
  limits: ApprovalLimits;
  /** Who re-confirms a "customer at fault" close; null: the rule is off. */
  faultConfirm: Rank | null;
}

export async function loadPeople(db: Db): Promise<Person[]> {
  const rows = await db.all(db.qb.selectFrom('people').selectAll().orderBy('position'));
  return rows.map((r) => ({
    login: r.login, name: r.name, role: isRole(r.role) ? r.role : 'clerk', unit: r.unit, email: r.email, phone: r.phone, retired: r.retired === 1,
  }));
}

export async function loadUnits(db: Db): Promise<Unit[]> {
  const rows = await db.all(db.qb.selectFrom('units').selectAll().orderBy('position'));
  return rows.map((r) => ({ name: r.name, leader: r.leader, parent: r.parent, retired: r.retired === 1 }));
}

/**
 * What the office allows, for the command about to act: every command reads it, so a single-person
 * office (nobody registered, nothing asked of anyone) costs one query. `permissions` reads the
 * settings themselves with loadAccess.
 */
export async function loadAccessToAct(db: Db): Promise<OfficeAccess> {
  const people = new Map((await loadPeople(db)).map((p) => [p.login, p]));
  if (people.size === 0) return { people, overrides: {}, limits: DEFAULT_APPROVAL_LIMITS, faultConfirm: null };
  return withSettings(db, people);
}

export async function loadAccess(db: Db): Promise<OfficeAccess> {
  return withSettings(db, new Map((await loadPeople(db)).map((p) => [p.login, p])));
}

async function withSettings(db: Db, people: Map<string, Person>): Promise<OfficeAccess> {
  const rows = await db.all(db.qb.selectFrom('settings').select(['key', 'value']).where('key', 'in', [PERMISSIONS_SETTING, APPROVAL_LIMITS_SETTING, FAULT_CONFIRM_SETTING]));
  const stored = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const overrides: Record<string, Requirement> = {};
  for (const [command, min] of Object.entries((stored.get(PERMISSIONS_SETTING) ?? {}) as Record<string, string>)) if (isRequirement(min)) overrides[command] = min;
  const storedLimits = (stored.get(APPROVAL_LIMITS_SETTING) ?? {}) as Record<string, number | null>;
  const limits = Object.fromEntries(ROLES.map((r) => {
    const v = storedLimits[r];
    return [r, v === undefined ? DEFAULT_APPROVAL_LIMITS[r] : v];
  })) as Record<Rank, number | null>;
  const fault = stored.get(FAULT_CONFIRM_SETTING);
  const faultConfirm = typeof fault === 'string' && (ROLES as readonly string[]).includes(fault) ? (fault as Rank) : null;
  return { people, overrides, limits, faultConfirm };
}
