import { foldWidth } from './text.js';

// Who may do what (issue 13). Every seed hinges on who decides: seed 004 §3.9 caps compensation by
// rank, 003 §5.3.1 has the department head sign and the marketing director approve, 001 has the
// market manager re-confirm a "not our fault" finding. An office with no people registered is a
// single-person office and works as before; once one person is registered, every change is made by
// a registered person whose role allows it.

/** The office's ranks, lowest first: each may do what the ones below it may. */
export const ROLES = ['clerk', 'handler', 'supervisor', 'manager', 'director'] as const;
export type Rank = (typeof ROLES)[number];
/** The accounts cron and systemd run as: only the scheduled commands, nothing else. */
export const SYSTEM_ROLE = 'system';
export type Role = Rank | typeof SYSTEM_ROLE;
export const ALL_ROLES: readonly Role[] = [...ROLES, SYSTEM_ROLE];

/** What a command asks of whoever runs it: a rank at least, or anyone at all (reading). */
export type Requirement = Rank | 'anyone';
export const REQUIREMENTS: readonly Requirement[] = ['anyone', ...ROLES];

export function isRole(value: string): value is Role {
  return (ALL_ROLES as readonly string[]).includes(value);
}

export function isRequirement(value: string): value is Requirement {
  return (REQUIREMENTS as readonly string[]).includes(value);
}

export function rankOf(role: Rank): number {
  return ROLES.indexOf(role);
}

/** Whether `role` is at least `min` (the system role ranks with nobody). */
export function atLeast(role: Role, min: Rank): boolean {
  return role !== SYSTEM_ROLE && rankOf(role) >= rankOf(min);
}

export interface Person {
  /** The operating-system login it acts as: who is acting is the login, never a typed name. */
  login: string;
  name: string;
  role: Role;
  /** The unit it belongs to (a handler handles that unit's tickets); null: none. */
  unit: string | null;
  email: string | null;
  phone: string | null;
  /** Can no longer act; its name stays on what it did. */
  retired: boolean;
}

export interface Unit {
  name: string;
  /** The leader's login (seed 004 §5.1.11: a handler escalates to the direct superior). */
  leader: string | null;
  parent: string | null;
  /** No new ticket may go to it; tickets that did still read, filter and count under it. */
  retired: boolean;
}

/** How a unit's name is compared: width- and case-insensitive (物流部 = 物流部, QA = qa), spaces trimmed. */
export function unitKey(name: string): string {
  return foldWidth(name).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// The one table of who may run what. Every command names its row here (a command added later adds
// its row); the office may raise or lower a row's rank (`permissions set`, audited) but not the
// system flag or the unit scope, which are what the command is.

export interface CommandRule {
  min: Requirement;
  /** The system role may run it (scheduled work). */
  system?: boolean;
  /** Below supervisor, only on tickets of one's own unit (seed 003 §5.3.1: the unit handles its own). */
  unitScoped?: boolean;
  /**
   * It never saves: it also works on a file this user cannot write, opened read-only where the
   * engine allows it (cli/program.ts accessOf). Every other command asks for write access first.
   */
  reads?: boolean;
}

const SETTINGS: CommandRule = { min: 'supervisor' };
const READ: CommandRule = { min: 'anyone', reads: true };

export const DEFAULT_COMMAND_RULES: Readonly<Record<string, CommandRule>> = {
  // Tickets
  log: { min: 'clerk' },
  note: { min: 'clerk' },
  reply: { min: 'clerk' },
  survey: { min: 'clerk' },
  assign: { min: 'handler', unitScoped: true },
  hold: { min: 'handler', unitScoped: true },
  resume: { min: 'handler', unitScoped: true },
  close: { min: 'handler', unitScoped: true },
  done: { min: 'handler', unitScoped: true },
  extend: { min: 'supervisor' },
  reopen: { min: 'supervisor' },
  approve: { min: 'supervisor' },
  reject: { min: 'supervisor' },
  approvals: { min: 'clerk', reads: true },
  // Reading: anyone, personal data masked by the rule below.
  show: READ,
  'show --reveal': { min: 'clerk' },
  list: READ,
  overdue: { min: 'anyone', system: true, reads: true },
  'overdue --new': { min: 'clerk', system: true },
  report: READ,
  verify: { min: 'anyone', system: true, reads: true },
  // A copy holds every complainant's data unmasked.
  backup: { min: 'supervisor', system: true, reads: true },
  'calendar show': READ,
  'sla show': READ,
  'lists show': READ,
  'stages show': READ,
  'procedure show': READ,
  'procedure export': READ,
  'office show': READ,
  'units list': READ,
  'people list': { min: 'clerk', reads: true },
  'permissions show': READ,
  // The office's settings (issue 13 §3: supervisor).
  'calendar hours': SETTINGS,
  'calendar holiday': SETTINGS,
  'calendar workday': SETTINGS,
  'calendar preset': SETTINGS,
  'calendar import': SETTINGS,
  'calendar timezone': SETTINGS,
  'sla set': SETTINGS,
  'lists add': SETTINGS,
  'lists rename': SETTINGS,
  'lists retire': SETTINGS,
  'stages add': SETTINGS,
  'stages set': SETTINGS,
  'stages retire': SETTINGS,
  'procedure import': SETTINGS,
  'office set': SETTINGS,
  'units add': SETTINGS,
  'units rename': SETTINGS,
  'units retire': SETTINGS,
  'units import-existing': SETTINGS,
  // People and permissions: the director's (issue 13 §3).
  'people add': { min: 'director' },
  'people set': { min: 'director' },
  'people retire': { min: 'director' },
  'permissions set': { min: 'director' },
  'permissions limit': { min: 'director' },
  'permissions fault-confirm': { min: 'director' },
  // Whole-file work.
  upgrade: { min: 'director', system: true },
  restore: { min: 'director' },
  // Made before any person can exist in the file: init refuses an existing one.
  init: { min: 'anyone' },
  // Demo tickets in an office that registered its people would be fake complaints among real ones.
  demo: { min: 'director' },
};

/** The commands the system role may run, as the table says. */
export const SYSTEM_COMMANDS: readonly string[] = Object.entries(DEFAULT_COMMAND_RULES).filter(([, r]) => r.system).map(([c]) => c);

/** The rule in force for a command: the default with the office's own rank, if it set one. */
export function commandRule(command: string, overrides: Readonly<Record<string, Requirement>>): CommandRule {
  const rule = DEFAULT_COMMAND_RULES[command];
  if (rule === undefined) throw new Error(`no permission row for the command ${command}`);
  const min = overrides[command];
  return min === undefined ? rule : { ...rule, min };
}

// ---------------------------------------------------------------------------------------------
// Who is acting

export interface Identity {
  /** The operating-system login running the command. */
  login: string;
  /** Whether the office has registered anyone: with nobody, it is a single-person office. */
  officeHasPeople: boolean;
  /** The registered, active person the login is; null: unregistered, retired, or nobody registered. */
  person: Person | null;
  /** Why the login may not act, when it may not: unregistered, retired, or root unregistered. */
  standing: 'single' | 'registered' | 'unregistered' | 'retired' | 'root';
  /** The person a director records the change for (`--as`), or null. */
  onBehalfOf: string | null;
  /** The actor every event records: the login, or "A for B". */
  actor: string;
}

/** The actor as the log records a change a director made for someone else. */
export function actorFor(login: string, onBehalfOf: string): string {
  return `${login} for ${onBehalfOf}`;
}

/** An actor recorded as "A for B", read back; null for a plain one. */
export function splitActor(actor: string): { login: string; onBehalfOf: string } | null {
  const m = /^(\S+) for (\S+)$/.exec(actor);
  return m === null ? null : { login: m[1]!, onBehalfOf: m[2]! };
}

export type IdentityProblem =
  | { key: 'as_needs_director'; params: { login: string; name: string } }
  | { key: 'as_unknown_person'; params: { name: string } };

/**
 * Who is acting, from the login, the name asked for (`--as`, COMPLAINTS_USER; null: none) and the
 * people registered. With nobody registered, today's rule: the name asked for, else the login.
 */
export function resolveIdentity(
  input: { login: string; root: boolean; asked: string | null; loginTrusted?: boolean },
  people: ReadonlyMap<string, Person>,
): { identity: Identity } | { problem: IdentityProblem } {
  const { login, asked } = input;
  if (people.size === 0) {
    return { identity: { login, officeHasPeople: false, person: null, standing: 'single', onBehalfOf: null, actor: asked ?? login } };
  }
  // A login read from $USER (the account has no passwd entry) proves nothing: it matches nobody.
  const found = input.loginTrusted === false ? undefined : people.get(login);
  const person = found !== undefined && !found.retired ? found : null;
  const standing: Identity['standing'] = person !== null ? 'registered' : found?.retired ? 'retired' : input.root ? 'root' : 'unregistered';
  let onBehalfOf: string | null = null;
  if (asked !== null && asked !== login) {
    // The README's crontab names its runs (COMPLAINTS_USER=cron): a system account may label what
    // it does, and the log still says which account did it.
    if (person?.role === SYSTEM_ROLE) {
      return { identity: { login, officeHasPeople: true, person, standing, onBehalfOf: asked, actor: actorFor(login, asked) } };
    }
    if (person === null || person.role !== 'director') return { problem: { key: 'as_needs_director', params: { login, name: asked } } };
    // Only someone who could act themselves: a retired person's name is not for others to use.
    const named = people.get(asked);
    if (named === undefined || named.retired) return { problem: { key: 'as_unknown_person', params: { name: asked } } };
    onBehalfOf = asked;
  }
  return { identity: { login, officeHasPeople: true, person, standing, onBehalfOf, actor: onBehalfOf === null ? login : actorFor(login, onBehalfOf) } };
}

export type Refusal =
  /** The command needs a registered person of at least this rank. */
  | { key: 'permission_needs_role'; params: { command: string; role: Rank; login: string } }
  /** Only registered people may change anything; this login is not one (or is retired, or root). */
  | { key: 'permission_unregistered' | 'permission_retired' | 'permission_root'; params: { command: string; login: string } }
  /** The system role runs only scheduled commands. */
  | { key: 'permission_system_only'; params: { command: string; login: string; allowed: string } }
  /** A handler acting on another unit's ticket, on one no unit has yet, or with no unit of their own. */
  | { key: 'permission_other_unit'; params: { command: string; login: string; unit: string; own: string } }
  | { key: 'permission_unassigned'; params: { command: string; login: string; own: string } }
  | { key: 'permission_no_own_unit'; params: { command: string; login: string } };

/** Whether the identity may run the command at all (before any ticket is read); null: it may. */
export function refusal(identity: Identity, command: string, rule: CommandRule): Refusal | null {
  if (!identity.officeHasPeople) return null;
  const login = identity.login;
  const person = identity.person;
  if (person?.role === SYSTEM_ROLE) return rule.system ? null : { key: 'permission_system_only', params: { command, login, allowed: SYSTEM_COMMANDS.join(', ') } };
  if (rule.min === 'anyone') return null;
  if (person === null) {
    const key = identity.standing === 'retired' ? 'permission_retired' : identity.standing === 'root' ? 'permission_root' : 'permission_unregistered';
    return { key, params: { command, login } };
  }
  if (!atLeast(person.role, rule.min)) return { key: 'permission_needs_role', params: { command, role: rule.min, login } };
  return null;
}

/**
 * Whether the identity may act on a ticket of `unit` under a unit-scoped rule: below supervisor,
 * only on one's own unit's tickets (a ticket with no unit yet is nobody's). Null: it may.
 */
export function ticketRefusal(identity: Identity, command: string, rule: CommandRule, unit: string | null): Refusal | null {
  const person = identity.person;
  if (!identity.officeHasPeople || person === null || !rule.unitScoped || atLeast(person.role, 'supervisor')) return null;
  if (person.unit !== null && unit !== null && unitKey(person.unit) === unitKey(unit)) return null;
  if (person.unit === null) return { key: 'permission_no_own_unit', params: { command, login: identity.login } };
  if (unit === null) return { key: 'permission_unassigned', params: { command, login: identity.login, own: person.unit } };
  return { key: 'permission_other_unit', params: { command, login: identity.login, unit, own: person.unit } };
}

/**
 * Whether the identity sees a complainant's phone, email and address on a ticket of `unit` (seed
 * 003 §5.3.2, 001 保密性): everyone in a single-person office; supervisors and above; the ticket's
 * own unit. Everyone else sees them masked.
 */
export function seesPersonalData(identity: Identity, unit: string | null): boolean {
  if (!identity.officeHasPeople) return true;
  const person = identity.person;
  if (person === null || person.role === SYSTEM_ROLE) return false;
  if (atLeast(person.role, 'supervisor')) return true;
  return person.unit !== null && unit !== null && unitKey(person.unit) === unitKey(unit);
}

// ---------------------------------------------------------------------------------------------
// Approval limits (seed 004 §3.9: below 500 the customer director, 500–10 000 the vice-president in
// charge, above that the president). A limit L lets a role close or approve compensation below L;
// null: any amount. No compensation never needs approval.

export type ApprovalLimits = Readonly<Record<Rank, number | null>>;

/** In cents. */
export const DEFAULT_APPROVAL_LIMITS: ApprovalLimits = {
  clerk: 0,
  handler: 0,
  supervisor: 50_000,
  manager: 1_000_000,
  director: null,
};

/**
 * The role the approval limits judge for this identity: null in a single-person office, where
 * nobody is asked (and for a login the office does not know, which the table already keeps from
 * closing or deciding).
 */
export function limitRole(identity: Identity): Role | null {
  return identity.officeHasPeople ? (identity.person?.role ?? null) : null;
}

/** Whether a role's limit covers a compensation of `cents`. */
export function limitCovers(limits: ApprovalLimits, role: Role, cents: number | null): boolean {
  if (cents === null || cents <= 0) return true;
  if (role === SYSTEM_ROLE) return false;
  const limit = limits[role];
  return limit === null || cents < limit;
}

/** The lowest rank whose limit covers `cents` (who a request waits for). */
export function lowestRankCovering(limits: ApprovalLimits, cents: number | null): Rank {
  return ROLES.find((r) => limitCovers(limits, r, cents)) ?? 'director';
}
