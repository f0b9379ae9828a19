import { spawnSync } from 'node:child_process';
import type { Context } from '../cli/context.js';
import { parseEmail, parsePhone, parseWordedChoice, printable, requireText } from '../cli/input.js';
import { requireKnownUnit } from '../cli/units.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { same } from '../domain/events.js';
import { ALL_ROLES, type Person, type Role } from '../domain/people.js';
import { t } from '../messages/index.js';
import { loadPeople, loadUnits } from '../store/access.js';
import { activeDirectors, insertPerson, personRecord, updatePerson } from '../store/people.js';
import type { Db } from '../store/store.js';
import { display } from '../ui/cells.js';
import { renderTable, type TableColumn } from '../ui/table.js';
import { printJson } from '../ui/ticket-json.js';

// `complaints people add|list|set|retire` (issue 13 §2). Who is acting is the operating-system
// login, so a person is registered by their login. The first person must be the login doing it
// and becomes a director; after that only a director manages people (the permission table), and
// the office always keeps one active director, so nobody locks it out.

interface PersonOptions {
  name?: string;
  role?: string;
  unit?: string;
  email?: string;
  phone?: string;
  active?: boolean;
}

/**
 * A login as the system names accounts: no spaces (the log writes "A for B" with one), no control
 * characters. It need not exist on this computer: a later shared office has clerks on other PCs.
 */
export function parseLogin(value: string): string {
  const text = requireText('LOGIN', value, 'name');
  if (/\s/.test(text) || text.length > 64) throw new UsageError('bad_login', { field: 'LOGIN', value: printable(value) });
  return text;
}

const roleWord = (role: Role): string => t(`role_${role}`);

function parseRole(value: string): Role {
  return parseWordedChoice('--role', value, ALL_ROLES, (r) => `role_${r}`);
}

async function unitOf(db: Db, typed: string | undefined): Promise<string | null | undefined> {
  if (typed === undefined) return undefined;
  return requireKnownUnit('--unit', requireText('--unit', typed, 'line'), await loadUnits(db), true);
}

/** Whether this computer knows the account; null when it cannot tell (no getent). */
function accountExists(login: string): boolean | null {
  const r = spawnSync('getent', ['passwd', login], { encoding: 'utf8' });
  if (r.error !== undefined || r.status === null) return null;
  return r.status === 0;
}

export async function add(ctx: Context, loginText: string, options: PersonOptions): Promise<void> {
  const login = parseLogin(loginText);
  const name = requireText('--name', options.name, 'name');
  const role = options.role === undefined ? null : parseRole(options.role);
  const email = options.email === undefined ? null : parseEmail(options.email);
  const phone = options.phone === undefined ? null : parsePhone(options.phone);
  const store = await ctx.store();
  const you = ctx.identity().login;
  const now = ctx.now();
  const added = await store.transact(async (db) => {
    const people = await loadPeople(db);
    if (people.some((p) => p.login === login)) throw new CannotDo('people_exists', { login });
    const first = people.length === 0;
    if (first && login !== you) throw new CannotDo('people_first_must_be_you', { you });
    if (first && role !== null && role !== 'director') throw new CannotDo('people_first_not_director', { role: roleWord(role) });
    if (!first && role === null) throw new UsageError('people_needs_role', {});
    const person: Person = { login, name, role: role ?? 'director', unit: (await unitOf(db, options.unit)) ?? null, email, phone, retired: false };
    await insertPerson(db, person, { actor: ctx.actor, at: now });
    return { person, first };
  });
  ctx.io.out(t('people_added', { login: display(login), name: display(name), role: roleWord(added.person.role) }));
  if (added.first) ctx.io.out(t('people_first_director'));
  if (accountExists(login) === false) ctx.io.err(t('people_no_account', { login: display(login) }));
}

export async function list(ctx: Context, options: { json?: boolean }): Promise<void> {
  const people = await (await ctx.store()).read(loadPeople);
  if (options.json) {
    printJson(ctx.io.out, people.map(personRecord));
    return;
  }
  if (people.length === 0) {
    ctx.io.out(t('people_none'));
    return;
  }
  const columns: TableColumn[] = [
    { head: t('label_login') }, { head: t('label_name') }, { head: t('label_role') }, { head: t('label_unit') },
    { head: t('label_email') }, { head: t('label_phone') }, { head: t('label_retired') },
  ];
  const rows = people.map((p) => [
    display(p.login), display(p.name), roleWord(p.role), p.unit === null ? t('none') : display(p.unit),
    p.email === null ? t('none') : display(p.email), p.phone === null ? t('none') : display(p.phone), p.retired ? t('answer_yes') : t('answer_no'),
  ]);
  ctx.io.out(renderTable(columns, rows, { width: ctx.io.width ?? 100 }));
}

/** Refuses leaving the office without an active director: nobody could manage people again. */
function keepADirector(people: readonly Person[], before: Person, after: Person): void {
  const wasDirector = before.role === 'director' && !before.retired;
  const staysDirector = after.role === 'director' && !after.retired;
  if (wasDirector && !staysDirector && activeDirectors(people).length <= 1) throw new CannotDo('people_last_director', { login: before.login });
}

async function existing(db: Db, login: string): Promise<{ people: Person[]; before: Person }> {
  const people = await loadPeople(db);
  const before = people.find((p) => p.login === login);
  if (before === undefined) throw new CannotDo('people_unknown', { login });
  return { people, before };
}

export async function set(ctx: Context, loginText: string, options: PersonOptions): Promise<void> {
  const login = parseLogin(loginText);
  const fields = ['name', 'role', 'unit', 'email', 'phone', 'active'] as const;
  if (!fields.some((f) => options[f] !== undefined)) throw new UsageError('people_set_nothing', {});
  const name = options.name === undefined ? undefined : requireText('--name', options.name, 'name');
  const role = options.role === undefined ? undefined : parseRole(options.role);
  const email = options.email === undefined ? undefined : parseEmail(options.email);
  const phone = options.phone === undefined ? undefined : parsePhone(options.phone);
  const store = await ctx.store();
  const now = ctx.now();
  const outcome = await store.transact(async (db) => {
    const { people, before } = await existing(db, login);
    const unit = await unitOf(db, options.unit);
    // A retired person's record may be corrected; only --active lets them act again.
    const after: Person = {
      ...before, name: name ?? before.name, role: role ?? before.role, unit: unit === undefined ? before.unit : unit,
      email: email ?? before.email, phone: phone ?? before.phone, retired: options.active ? false : before.retired,
    };
    if (same(personRecord(after), personRecord(before))) return { after, change: null };
    keepADirector(people, before, after);
    const change = before.retired && !after.retired ? 'reactivated' as const : 'changed' as const;
    await updatePerson(db, before, after, change, { actor: ctx.actor, at: now });
    return { after, change };
  });
  const p = outcome.after;
  const params = { login: display(p.login), name: display(p.name), role: roleWord(p.role) };
  if (outcome.change === null) ctx.io.out(t('people_unchanged', params));
  else ctx.io.out(t(outcome.change === 'reactivated' ? 'people_reactivated' : 'people_updated', params));
}

export async function retire(ctx: Context, loginText: string): Promise<void> {
  const login = parseLogin(loginText);
  const store = await ctx.store();
  const now = ctx.now();
  const after = await store.transact(async (db) => {
    const { people, before } = await existing(db, login);
    if (before.retired) throw new CannotDo('people_already_retired', { login });
    const retired: Person = { ...before, retired: true };
    keepADirector(people, before, retired);
    await updatePerson(db, before, retired, 'retired', { actor: ctx.actor, at: now });
    return retired;
  });
  ctx.io.out(t('people_retired_done', { login: display(after.login), name: display(after.name) }));
}
