import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { sharedOffice, type SharedOffice } from '../support/accounts.js';
import { logArgs, runCli, type CliResult } from '../support/cli.js';
import { checkpoint, fileDigest, withRaw } from '../support/sqlite.js';

// issue 13 §2 as a shared office lives it: real accounts (runuser), one group-shared file, no
// COMPLAINTS_USER shortcut. Who is acting is the login.

const AT = ['--at', '2024-03-04 10:00'];
let office: SharedOffice;
let director: string;
let clerk: string;
let handler: string;
let supervisor: string;
let cron: string;
let stranger: string;

function ok(r: CliResult): CliResult {
  if (r.status !== 0) throw new Error(`exited ${r.status}: ${r.stderr}`);
  return r;
}

/** What a refused command must leave: the file byte for byte, and the log's length and head. */
function fileState(): { digest: string; events: unknown } {
  checkpoint(office.db);
  return { digest: fileDigest(office.db), events: withRaw(office.db, (db) => db.prepare('SELECT count(*) AS n, max(id) AS last FROM events').get()) };
}

function refused(r: CliResult, before: ReturnType<typeof fileState>): string {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(fileState()).toEqual(before);
  return r.stderr;
}

function peopleEvents(): { actor: string; details: Record<string, unknown> }[] {
  return withRaw(office.db, (db) => db.prepare("SELECT actor, payload FROM events WHERE kind = 'people_changed' ORDER BY id").all() as { actor: string; payload: string }[])
    .map((e) => ({ actor: e.actor, details: (JSON.parse(e.payload) as { d: Record<string, unknown> }).d }));
}

/** Root running the program in the office, as an administrator would (no COMPLAINTS_USER). */
function asRoot(args: readonly string[], lang = 'en'): CliResult {
  return runCli(args, { db: office.db, env: { COMPLAINTS_USER: '', LANG: lang === 'zh-CN' ? 'zh_CN.UTF-8' : 'en_US.UTF-8' } });
}

beforeAll(() => {
  office = sharedOffice();
  director = office.account('director');
  clerk = office.account('clerk');
  handler = office.account('handler');
  supervisor = office.account('super');
  cron = office.account('cron');
  stranger = office.account('stranger');
});

afterAll(() => office?.remove());

describe('people (real accounts)', () => {
  it('works as a single-person office while nobody is registered: any login changes things', () => {
    ok(office.runAs(clerk, [...logArgs(), ...AT]));
    expect(ok(office.runAs(clerk, ['people', 'list'])).stdout).toContain('nobody is registered');
    expect(ok(office.runAs(clerk, ['people', 'list'], { lang: 'zh-CN' })).stdout).toContain('尚未登记任何人员');
  });

  it('registers first the login doing it, as a director, and nobody else first', () => {
    let before = fileState();
    expect(refused(office.runAs(clerk, ['people', 'add', director, '--name', '王总']), before)).toContain(`must be the login doing it (${clerk})`);
    expect(refused(office.runAs(director, ['people', 'add', director, '--name', '王总', '--role', 'clerk']), before)).toContain('becomes a director');
    expect(refused(office.runAs(director, ['people', 'add', director, '--name', '王总', '--role', '受理员'], { lang: 'zh-CN' }), before)).toContain('第一位登记的人员将成为总监');
    const r = ok(office.runAs(director, ['people', 'add', director, '--name', '王总']));
    expect(r.stdout).toContain(`registered ${director} (王总) as director.`);
    expect(r.stdout).toContain('You are the first person registered, a director');
    expect(peopleEvents()).toEqual([{ actor: director, details: { change: 'added', login: director, before: null, after: { login: director, name: '王总', role: 'director', unit: null, email: null, phone: null, retired: false } } }]);
    // From now on only a director registers people.
    before = fileState();
    expect(refused(office.runAs(clerk, ['people', 'add', clerk, '--name', '李雷', '--role', 'clerk']), before))
      .toContain(`${clerk} is not registered in this office and may only read; people add is a change`);
  });

  it('lets the director register the others, roles as codes or words in the language spoken', () => {
    ok(office.runAs(director, ['people', 'add', clerk, '--name', '李雷', '--role', 'clerk', '--email', 'lilei@example.com']));
    const zh = ok(office.runAs(director, ['people', 'add', handler, '--name', '韩梅梅', '--role', '处理人', '--unit', '物流部', '--phone', '13800138000'], { lang: 'zh-CN' }));
    expect(zh.stdout).toBe(`已登记 ${handler}（韩梅梅），角色：处理人。\n`);
    ok(office.runAs(director, ['people', 'add', supervisor, '--name', 'Zhang Wei', '--role', 'supervisor']));
    ok(office.runAs(director, ['people', 'add', cron, '--name', 'cron', '--role', 'system']));
    const before = fileState();
    expect(refused(office.runAs(director, ['people', 'add', clerk, '--name', '李雷', '--role', 'clerk']), before)).toContain(`${clerk} is already registered`);
    expect(refused(office.runAs(supervisor, ['people', 'set', clerk, '--role', 'director']), before))
      .toBe(`error: people set needs the director role or above; ${supervisor} does not have it.\n`);
    expect(refused(office.runAs(supervisor, ['people', 'set', clerk, '--role', 'director'], { lang: 'zh-CN' }), before))
      .toBe(`错误：people set 需要总监或以上角色，${supervisor} 没有此权限。\n`);
    const bad = office.runAs(director, ['people', 'add', 'li lei', '--name', '李雷', '--role', 'clerk']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("LOGIN: 'li lei' is not a login name");
    const badRole = office.runAs(director, ['people', 'add', 'someone', '--name', 'x', '--role', 'clark']);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('did you mean clerk');
    expect(fileState()).toEqual(before);
    const list = JSON.parse(ok(office.runAs(clerk, ['people', 'list', '--json'])).stdout) as { login: string; role: string; unit: string | null }[];
    expect(list.map((p) => [p.login, p.role, p.unit])).toEqual([
      [director, 'director', null], [clerk, 'clerk', null], [handler, 'handler', '物流部'], [supervisor, 'supervisor', null], [cron, 'system', null],
    ]);
    const table = ok(office.runAs(clerk, ['people', 'list'], { lang: 'zh-CN' })).stdout;
    expect(table).toContain('登录名');
    expect(table).toMatch(/韩梅梅 +│ 处理人 +│ 物流部/);
  });

  it('warns, and still registers, a login this computer has no account for (a clerk on another PC)', () => {
    const r = ok(office.runAs(director, ['people', 'add', 'cqnobody-elsewhere', '--name', '远程', '--role', 'clerk']));
    expect(r.stderr).toContain('warning: this computer has no account cqnobody-elsewhere; registered anyway');
    ok(office.runAs(director, ['people', 'retire', 'cqnobody-elsewhere']));
  });

  it('never leaves the office without an active director', () => {
    const before = fileState();
    expect(refused(office.runAs(director, ['people', 'retire', director]), before)).toContain(`${director} is the last active director`);
    expect(refused(office.runAs(director, ['people', 'set', director, '--role', 'manager']), before)).toContain('last active director');
    expect(refused(office.runAs(director, ['people', 'set', director, '--role', '经理'], { lang: 'zh-CN' }), before)).toContain('最后一位在职总监');
  });

  it('records a director acting for someone as "A for B", and refuses --as to everyone else', () => {
    const logged = ok(office.runAs(director, [...logArgs(), ...AT, '--as', clerk]));
    const no = /C\d{4}-\d{5}/.exec(logged.stdout)![0];
    const shown = JSON.parse(ok(office.runAs(clerk, ['show', no, '--json'])).stdout) as { events: { actor: string }[] };
    expect(shown.events[0]!.actor).toBe(`${director} for ${clerk}`);
    const before = fileState();
    expect(refused(office.runAs(clerk, ['note', no, '--message', 'x', ...AT, '--as', director]), before))
      .toBe(`error: only a director may act for someone else: ${clerk} cannot act as ${director}.\n`);
    expect(refused(office.runAs(clerk, ['note', no, '--message', 'x', ...AT], { env: { COMPLAINTS_USER: director } }), before)).toContain('only a director may act for someone else');
    expect(refused(office.runAs(director, ['note', no, '--message', 'x', ...AT, '--as', 'ghost']), before)).toContain('--as ghost: no such person is registered');
  });

  it('lets a retired person read but no longer act, until reactivated with --active', () => {
    ok(office.runAs(director, ['people', 'add', 'cqtemp', '--name', 'Temp', '--role', 'clerk']));
    const temp = office.account('temp');
    ok(office.runAs(director, ['people', 'add', temp, '--name', '临时工', '--role', 'clerk']));
    const r = ok(office.runAs(director, ['people', 'retire', temp]));
    expect(r.stdout).toContain('is retired: they can no longer make changes');
    ok(office.runAs(temp, ['list']));
    const before = fileState();
    expect(refused(office.runAs(temp, [...logArgs(), ...AT]), before)).toBe(`error: ${temp} has been retired and can no longer make changes (log).\n`);
    expect(refused(office.runAs(temp, [...logArgs(), ...AT], { lang: 'zh-CN' }), before)).toBe(`错误：${temp} 已停用，不能再修改数据（log）。\n`);
    // Correcting a retired person's record does not bring them back; --active does.
    expect(ok(office.runAs(director, ['people', 'set', temp, '--name', '临时工甲'])).stdout).toContain('updated');
    refused(office.runAs(temp, [...logArgs(), ...AT]), fileState());
    expect(ok(office.runAs(director, ['people', 'set', temp, '--active'])).stdout).toBe(`${temp} (临时工甲) is active again, as clerk.\n`);
    ok(office.runAs(temp, [...logArgs(), ...AT]));
    expect(peopleEvents().filter((e) => e.details.login === temp).map((e) => e.details.change)).toEqual(['added', 'retired', 'changed', 'reactivated']);
  });

  it('lets root read but not change unless registered', () => {
    const before = fileState();
    expect(asRoot(['list']).status).toBe(0);
    expect(refused(asRoot([...logArgs(), ...AT]), before)).toBe('error: the root account may only read this office unless it is registered; run log as your own login.\n');
    expect(refused(asRoot([...logArgs(), ...AT], 'zh-CN'), before)).toContain('root 账户未登记，只能查看');
  });

  it('lets an unregistered login read only', () => {
    const before = fileState();
    expect(office.runAs(stranger, ['list']).status).toBe(0);
    expect(office.runAs(stranger, ['permissions', 'show']).status).toBe(0);
    expect(refused(office.runAs(stranger, [...logArgs(), ...AT]), before)).toContain(`${stranger} is not registered in this office and may only read; log is a change`);
    expect(refused(office.runAs(stranger, ['people', 'list']), before)).toContain('is not registered');
  });

  it('lets the system account run overdue --new, backup and verify, and nothing else', () => {
    ok(office.runAs(cron, ['overdue', '--new', '--as-of', '2024-04-01 09:00']));
    const copy = join(office.db, '..', 'nightly.db');
    ok(office.runAs(cron, ['backup', copy]));
    expect(existsSync(copy)).toBe(true);
    ok(office.runAs(cron, ['verify']));
    const before = fileState();
    for (const args of [[...logArgs(), ...AT], ['note', 'C2024-00001', '--message', 'x', ...AT], ['people', 'list'], ['calendar', 'hours', 'set', 'mon-fri', '09:00-17:00']]) {
      expect(refused(office.runAs(cron, args), before)).toContain(`${cron} is a system account: it may run only scheduled commands`);
    }
  });

  it("runs the README's crontab unchanged (COMPLAINTS_USER=cron) with its account registered as system", () => {
    const r = ok(office.runAs(cron, ['overdue', '--new', '--as-of', '2024-05-01 09:00'], { env: { COMPLAINTS_USER: 'cron' } }));
    expect(r.stderr).toBe('');
    ok(office.runAs(cron, ['verify'], { env: { COMPLAINTS_USER: 'cron' } }));
    const before = fileState();
    expect(refused(office.runAs(cron, [...logArgs(), ...AT], { env: { COMPLAINTS_USER: 'cron' } }), before)).toContain('is a system account');
  });
});

describe('permissions (real accounts)', () => {
  interface Table { commands: { command: string; min: string; default: string; system: boolean; unit_scoped: boolean; changed: boolean }[]; approval_limits: Record<string, number | null>; fault_confirm: string | null }
  const table = (): Table => JSON.parse(ok(office.runAs(clerk, ['permissions', 'show', '--json'])).stdout) as Table;
  const settingsEvents = (): number => withRaw(office.db, (db) => db.prepare("SELECT count(*) FROM events WHERE kind = 'settings_changed'").pluck().get() as number);

  it('shows the table in force, the limits in yuan and the fault rule, in both languages', () => {
    const t0 = table();
    expect(t0.commands.find((c) => c.command === 'close')).toEqual({ command: 'close', min: 'handler', default: 'handler', system: false, unit_scoped: true, changed: false });
    expect(t0.commands.map((c) => c.command)).toContain('overdue --new');
    expect(t0.approval_limits).toEqual({ clerk: 0, handler: 0, supervisor: 500, manager: 10000, director: null });
    expect(t0.fault_confirm).toBeNull();
    const en = ok(office.runAs(clerk, ['permissions', 'show'])).stdout;
    expect(en).toMatch(/│ close +│ handler +│ no +│ yes +│/);
    expect(en).toMatch(/│ supervisor +│ below 500\.00 yuan +│/);
    expect(en).toContain('A close finding the customer at fault is re-confirmed by: off');
    const zh = ok(office.runAs(clerk, ['permissions', 'show'], { lang: 'zh-CN' })).stdout;
    expect(zh).toMatch(/│ close +│ 处理人 +│ 否 +│ 是 +│/);
    expect(zh).toMatch(/│ 经理 +│ 低于 10000\.00 元 +│/);
    expect(zh).toContain('判定投诉人责任的办结，复核人：关闭');
  });

  it('lets the director change a row, audited, and back to its default', () => {
    const events = settingsEvents();
    expect(ok(office.runAs(director, ['permissions', 'set', 'sla set', 'manager'])).stdout).toBe('sla set now needs: manager (default: supervisor).\n');
    expect(settingsEvents()).toBe(events + 1);
    expect(table().commands.find((c) => c.command === 'sla set')).toMatchObject({ min: 'manager', default: 'supervisor', changed: true });
    expect(ok(office.runAs(clerk, ['permissions', 'show'])).stdout).toMatch(/│ sla set +│ manager +│ no +│ no +│ default: supervisor +│/);
    const before = fileState();
    expect(refused(office.runAs(supervisor, ['sla', 'set', 'resolve', 'general', '6wd']), before)).toContain('sla set needs the manager role or above');
    expect(ok(office.runAs(director, ['permissions', 'set', '  SLA   set ', '主管'], { lang: 'zh-CN' })).stdout).toBe('sla set 现在需要：主管（默认：主管）。\n');
    expect(table().commands.find((c) => c.command === 'sla set')).toMatchObject({ min: 'supervisor', changed: false });
    ok(office.runAs(supervisor, ['sla', 'set', 'resolve', 'general', '6wd']));
  });

  it('refuses an unknown command naming the nearest, and keeps people, permissions and restore the director’s', () => {
    const before = fileState();
    const typo = office.runAs(director, ['permissions', 'set', 'sla sett', 'manager']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe("error: command: 'sla sett' is not in the permission table; did you mean sla set?\n");
    for (const command of ['people add', 'permissions set', 'restore']) {
      expect(refused(office.runAs(director, ['permissions', 'set', command, 'manager']), before)).toContain(`${command} stays with the director`);
    }
    expect(refused(office.runAs(supervisor, ['permissions', 'set', 'log', 'handler']), before)).toContain('permissions set needs the director role or above');
    expect(fileState()).toEqual(before);
  });

  it('sets the approval limits in yuan, rising with the rank', () => {
    expect(ok(office.runAs(director, ['permissions', 'limit', '主管', '800元'], { lang: 'zh-CN' })).stdout).toBe('主管现在可自行办结或审批：低于 800.00 元。\n');
    expect(ok(office.runAs(director, ['permissions', 'limit', 'manager', 'any'])).stdout).toBe('a manager may now close or approve: any amount.\n');
    expect(table().approval_limits).toEqual({ clerk: 0, handler: 0, supervisor: 800, manager: null, director: null });
    const before = fileState();
    expect(refused(office.runAs(director, ['permissions', 'limit', 'handler', '¥2,000']), before)).toBe('error: a handler cannot have a higher limit than a supervisor (below 800.00 yuan): raise the supervisor\'s first.\n');
    const bad = office.runAs(director, ['permissions', 'limit', 'supervisor', '$50']);
    expect(bad.status).toBe(2);
    ok(office.runAs(director, ['permissions', 'limit', 'supervisor', '500']));
    ok(office.runAs(director, ['permissions', 'limit', 'manager', '10,000']));
    expect(table().approval_limits).toEqual({ clerk: 0, handler: 0, supervisor: 500, manager: 10000, director: null });
  });

  it('turns the customer-at-fault re-confirmation on and off (seed 001)', () => {
    expect(ok(office.runAs(director, ['permissions', 'fault-confirm', '经理'], { lang: 'zh-CN' })).stdout).toBe('判定投诉人责任的办结，现由以下角色复核：经理。\n');
    expect(table().fault_confirm).toBe('manager');
    expect(ok(office.runAs(director, ['permissions', 'fault-confirm', 'off'])).stdout).toBe('a close finding the customer at fault is now re-confirmed by: off.\n');
    expect(table().fault_confirm).toBeNull();
  });
});
