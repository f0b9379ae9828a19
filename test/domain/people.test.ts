import { describe, expect, it } from 'vitest';
import {
  actorFor, ALL_ROLES, atLeast, commandRule, DEFAULT_APPROVAL_LIMITS, DEFAULT_COMMAND_RULES, limitCovers, lowestRankCovering, refusal, resolveIdentity,
  ROLES, seesPersonalData, splitActor, ticketRefusal, unitKey, type Identity, type Person, type Role,
} from '../../src/domain/people.js';

// issue 13 §2–§5: who is acting, who may run what, on which unit's tickets, who sees contact details,
// and whose limit covers a compensation; every role against every rule.

const person = (login: string, role: Role, extra: Partial<Person> = {}): Person => ({ login, name: login, role, unit: null, email: null, phone: null, retired: false, ...extra });
const office = (...people: Person[]): Map<string, Person> => new Map(people.map((p) => [p.login, p]));
const PEOPLE = office(
  person('wang', 'director'), person('li', 'clerk', { unit: '物流部' }), person('han', 'handler', { unit: '物流部' }), person('zhang', 'supervisor'),
  person('zhao', 'manager'), person('cron', 'system'), person('old', 'handler', { retired: true, unit: '物流部' }),
);

function identity(login: string, asked: string | null = null, root = false): Identity {
  const r = resolveIdentity({ login, root, asked }, PEOPLE);
  if ('problem' in r) throw new Error(r.problem.key);
  return r.identity;
}

describe('resolveIdentity', () => {
  it('matches nobody with a login read from $USER (no passwd entry): it could name anyone, a director included (review)', () => {
    const spoofed = resolveIdentity({ login: 'wang', root: false, asked: null, loginTrusted: false }, PEOPLE);
    expect(spoofed).toMatchObject({ identity: { standing: 'unregistered', person: null, actor: 'wang' } });
    expect('identity' in spoofed && refusal(spoofed.identity, 'note', DEFAULT_COMMAND_RULES.note!)).toMatchObject({ key: 'permission_unregistered' });
  });

  it('lets a director act only for an active person: a retired one\'s name is refused like an unknown one (review)', () => {
    expect(resolveIdentity({ login: 'wang', root: false, asked: 'old' }, PEOPLE)).toEqual({ problem: { key: 'as_unknown_person', params: { name: 'old' } } });
    expect(identity('wang', 'han')).toMatchObject({ actor: 'wang for han', onBehalfOf: 'han' });
  });

  it('keeps a single-person office as before: the name asked for, else the login, and anyone may do anything', () => {
    const none = new Map<string, Person>();
    expect(resolveIdentity({ login: 'root', root: true, asked: null }, none)).toEqual({ identity: { login: 'root', officeHasPeople: false, person: null, standing: 'single', onBehalfOf: null, actor: 'root' } });
    const asked = resolveIdentity({ login: 'li', root: false, asked: '实习生' }, none);
    expect('identity' in asked && asked.identity.actor).toBe('实习生');
  });

  it('finds the registered person of the login, and says why a login is not one', () => {
    expect(identity('han')).toMatchObject({ standing: 'registered', person: { login: 'han' }, actor: 'han', onBehalfOf: null });
    expect(identity('old')).toMatchObject({ standing: 'retired', person: null, actor: 'old' });
    expect(identity('root', null, true)).toMatchObject({ standing: 'root', person: null });
    expect(identity('nobody')).toMatchObject({ standing: 'unregistered', person: null });
    // A registered root is a person like any other.
    const withRoot = resolveIdentity({ login: 'root', root: true, asked: null }, office(person('root', 'director')));
    expect('identity' in withRoot && withRoot.identity.standing).toBe('registered');
  });

  it('lets a director act for a registered person, recorded as "A for B"', () => {
    expect(identity('wang', 'li')).toMatchObject({ onBehalfOf: 'li', actor: 'wang for li', person: { login: 'wang' } });
    expect(identity('wang', 'wang')).toMatchObject({ onBehalfOf: null, actor: 'wang' });
    expect(resolveIdentity({ login: 'wang', root: false, asked: 'ghost' }, PEOPLE)).toEqual({ problem: { key: 'as_unknown_person', params: { name: 'ghost' } } });
  });

  it('refuses --as to everyone below director, and to retired, unregistered and root logins', () => {
    for (const login of ['li', 'han', 'zhang', 'zhao', 'old', 'nobody']) {
      expect(resolveIdentity({ login, root: false, asked: 'wang' }, PEOPLE)).toEqual({ problem: { key: 'as_needs_director', params: { login, name: 'wang' } } });
    }
    expect(resolveIdentity({ login: 'root', root: true, asked: 'li' }, PEOPLE)).toMatchObject({ problem: { key: 'as_needs_director' } });
  });

  it('lets a system account label its runs (the README crontab: COMPLAINTS_USER=cron), keeping the account in the log', () => {
    expect(identity('cron', 'cron')).toMatchObject({ actor: 'cron', onBehalfOf: null });
    expect(identity('cron', 'nightly')).toMatchObject({ actor: 'cron for nightly', onBehalfOf: 'nightly', person: { role: 'system' } });
  });

  it('reads "A for B" back, and nothing else as it', () => {
    expect(splitActor(actorFor('wang', 'li'))).toEqual({ login: 'wang', onBehalfOf: 'li' });
    expect(splitActor('wang')).toBeNull();
    expect(splitActor('Li Lei')).toBeNull();
  });
});

describe('refusal: every role against every row of the table', () => {
  const logins: Record<Role, string> = { clerk: 'li', handler: 'han', supervisor: 'zhang', manager: 'zhao', director: 'wang', system: 'cron' };
  for (const [command, rule] of Object.entries(DEFAULT_COMMAND_RULES)) {
    it(command, () => {
      for (const role of ALL_ROLES) {
        const got = refusal(identity(logins[role]), command, rule);
        const may = role === 'system' ? rule.system === true : rule.min === 'anyone' || ROLES.indexOf(role) >= ROLES.indexOf(rule.min as (typeof ROLES)[number]);
        if (may) expect(got, role).toBeNull();
        else if (role === 'system') expect(got).toEqual({ key: 'permission_system_only', params: { command, login: 'cron', allowed: 'overdue, overdue --new, verify, backup, upgrade' } });
        else expect(got).toEqual({ key: 'permission_needs_role', params: { command, role: rule.min, login: logins[role] } });
      }
      // Logins that are no one: reading only.
      for (const [login, root, key] of [['old', false, 'permission_retired'], ['root', true, 'permission_root'], ['nobody', false, 'permission_unregistered']] as const) {
        const got = refusal(identity(login, null, root), command, rule);
        if (rule.min === 'anyone') expect(got).toBeNull();
        else expect(got).toEqual({ key, params: { command, login } });
      }
      expect(refusal(resolveIdentityOrThrow('li'), command, rule)).toBeNull();
    });
  }

  it('uses the office’s own rank for a row it changed, and only for that row', () => {
    expect(commandRule('sla set', { 'sla set': 'manager' })).toEqual({ min: 'manager' });
    expect(commandRule('close', { 'sla set': 'manager' })).toEqual(DEFAULT_COMMAND_RULES.close);
    expect(commandRule('close', { close: 'supervisor' })).toEqual({ min: 'supervisor', unitScoped: true });
    expect(() => commandRule('frobnicate', {})).toThrow(/no permission row/);
    expect(refusal(identity('zhang'), 'sla set', commandRule('sla set', { 'sla set': 'manager' }))).toMatchObject({ key: 'permission_needs_role', params: { role: 'manager' } });
  });
});

/** The single-person office's identity, for the row check above. */
function resolveIdentityOrThrow(login: string): Identity {
  const r = resolveIdentity({ login, root: false, asked: null }, new Map());
  if ('problem' in r) throw new Error(r.problem.key);
  return r.identity;
}

describe('ticketRefusal: a handler on their own unit’s tickets', () => {
  const close = DEFAULT_COMMAND_RULES.close!;
  it('lets a handler act on their unit’s tickets, width and case aside, and refuses the rest', () => {
    expect(ticketRefusal(identity('han'), 'close', close, '物流部')).toBeNull();
    expect(ticketRefusal(identity('han'), 'close', close, ' 物流部 ')).toBeNull();
    expect(ticketRefusal(identity('han'), 'close', close, '财务部')).toEqual({ key: 'permission_other_unit', params: { command: 'close', login: 'han', unit: '财务部', own: '物流部' } });
    expect(ticketRefusal(identity('han'), 'close', close, null)).toMatchObject({ key: 'permission_unassigned', params: { own: '物流部' } });
  });

  it('refuses a handler of no unit, and leaves supervisors and above, rows not unit-scoped and a single-person office alone', () => {
    const nowhere = resolveIdentity({ login: 'x', root: false, asked: null }, office(person('x', 'handler'), person('wang', 'director')));
    expect('identity' in nowhere && ticketRefusal(nowhere.identity, 'close', close, '物流部')).toMatchObject({ key: 'permission_no_own_unit' });
    for (const login of ['zhang', 'zhao', 'wang']) expect(ticketRefusal(identity(login), 'close', close, '财务部')).toBeNull();
    expect(ticketRefusal(identity('han'), 'note', DEFAULT_COMMAND_RULES.note!, '财务部')).toBeNull();
    expect(ticketRefusal(resolveIdentityOrThrow('li'), 'close', close, '财务部')).toBeNull();
  });

  it('compares unit names folded for width, case and spaces', () => {
    expect(unitKey('ＱＡ  Team')).toBe(unitKey('qa team'));
    expect(unitKey('物流部')).not.toBe(unitKey('物流布'));
  });
});

describe('seesPersonalData (seed 003 §5.3.2)', () => {
  it('shows contact details to supervisors and above, and to the ticket’s own unit; masks them for everyone else', () => {
    expect(seesPersonalData(resolveIdentityOrThrow('li'), '财务部')).toBe(true);
    for (const login of ['zhang', 'zhao', 'wang']) expect(seesPersonalData(identity(login), '财务部')).toBe(true);
    expect(seesPersonalData(identity('li'), '物流部')).toBe(true);
    expect(seesPersonalData(identity('han'), '物流部')).toBe(true);
    expect(seesPersonalData(identity('li'), '财务部')).toBe(false);
    expect(seesPersonalData(identity('han'), null)).toBe(false);
    expect(seesPersonalData(identity('cron'), '物流部')).toBe(false);
    expect(seesPersonalData(identity('nobody'), '物流部')).toBe(false);
    expect(seesPersonalData(identity('old'), '物流部')).toBe(false);
  });
});

describe('approval limits (seed 004 §3.9)', () => {
  it('by default: handler nothing, supervisor below 500, manager below 10 000, director any', () => {
    const covers = (role: Role, cents: number | null): boolean => limitCovers(DEFAULT_APPROVAL_LIMITS, role, cents);
    for (const role of ALL_ROLES) {
      expect(covers(role, null)).toBe(true);
      expect(covers(role, 0)).toBe(true);
    }
    expect(covers('clerk', 1)).toBe(false);
    expect(covers('handler', 1)).toBe(false);
    expect(covers('supervisor', 49_999)).toBe(true);
    expect(covers('supervisor', 50_000)).toBe(false);
    expect(covers('manager', 999_999)).toBe(true);
    expect(covers('manager', 1_000_000)).toBe(false);
    expect(covers('director', 10 ** 13)).toBe(true);
    expect(covers('system', 1)).toBe(false);
  });

  it('waits for the lowest rank whose limit covers the amount', () => {
    expect(lowestRankCovering(DEFAULT_APPROVAL_LIMITS, null)).toBe('clerk');
    expect(lowestRankCovering(DEFAULT_APPROVAL_LIMITS, 100)).toBe('supervisor');
    expect(lowestRankCovering(DEFAULT_APPROVAL_LIMITS, 50_000)).toBe('manager');
    expect(lowestRankCovering(DEFAULT_APPROVAL_LIMITS, 2_000_000)).toBe('director');
    expect(lowestRankCovering({ ...DEFAULT_APPROVAL_LIMITS, director: 100 }, 2_000_000)).toBe('director');
  });

  it('ranks each role above the ones below it, and the system role with nobody', () => {
    for (const [i, a] of ROLES.entries()) for (const [j, b] of ROLES.entries()) expect(atLeast(a, b)).toBe(i >= j);
    for (const r of ROLES) expect(atLeast('system', r)).toBe(false);
  });
});
