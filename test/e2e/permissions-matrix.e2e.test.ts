import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { copyFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { ALL_ROLES, DEFAULT_COMMAND_RULES, ROLES, type Rank, type Role } from '../../src/domain/people.js';
import { sharedOffice, type SharedOffice } from '../support/accounts.js';
import { logArgs, ROOT, type CliResult } from '../support/cli.js';
import type Sqlite from 'better-sqlite3';
import { fileDigest, openRaw } from '../support/sqlite.js';

// issue 13 §Tests: every role × command cell of the default permission table, allowed and refused,
// run as real accounts (runuser) against one group-shared file; a refusal leaves the file as it was.
// The table itself is iterated, so a later command's row is covered once it has an invocation here
// (a row without one fails the test: add it to INVOCATIONS).

const AT = ['--at', '2024-03-04 11:00'];
const LATER = ['--at', '2024-03-04 12:00'];

/** The state a ticket needs before the command can run on it: made by the director first. */
type Needs = 'open' | 'held' | 'closed' | 'awaiting';

interface Cell {
  /** The login of each role, and a number unique to this cell (for names and files). */
  logins: Record<Role, string>;
  n: number;
  /** The ticket prepared (`needs`), or ''. */
  no: string;
  /** A file or name the director prepared (`prepare`), or ''. */
  prepared: string;
  folder: string;
}

interface Invocation {
  needs?: Needs;
  /** Something the director makes first (a list code, a stage, a backup); what it returns is `prepared`. */
  prepare?: (o: SharedOffice, c: Cell) => string;
  args: (c: Cell) => string[];
}

const ok = (r: CliResult): CliResult => {
  if (r.status !== 0) throw new Error(`exited ${r.status}: ${r.stderr}`);
  return r;
};

const day = (n: number, from: string): string => new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const INVOCATIONS: Record<string, Invocation> = {
  log: { args: () => [...logArgs({ unit: '物流部' }), ...AT] },
  note: { needs: 'open', args: (c) => ['note', c.no, '--message', 'called back', ...AT] },
  reply: { needs: 'open', args: (c) => ['reply', c.no, '--via', 'phone', '--message', 'we are on it', ...AT] },
  survey: { needs: 'closed', args: (c) => ['survey', c.no, '--score', '4', ...LATER] },
  assign: { needs: 'open', args: (c) => ['assign', c.no, '--unit', '物流部', '--to', c.logins.handler, ...AT] },
  hold: { needs: 'open', args: (c) => ['hold', c.no, '--reason', 'waiting-customer', ...AT] },
  resume: { needs: 'held', args: (c) => ['resume', c.no, ...LATER] },
  close: { needs: 'open', args: (c) => ['close', c.no, '--resolution', 'Delivered', ...AT] },
  done: { needs: 'open', args: (c) => ['done', c.no, 'site_visit', ...AT] },
  extend: { needs: 'open', args: (c) => ['extend', c.no, '--to', '2024-03-29 10:00', '--reason', 'parts on order', ...AT] },
  reopen: { needs: 'closed', args: (c) => ['reopen', c.no, '--reason', 'still broken', ...LATER] },
  approve: { needs: 'awaiting', args: (c) => ['approve', c.no, '--note', 'agreed', ...LATER] },
  reject: { needs: 'awaiting', args: (c) => ['reject', c.no, '--reason', 'too much', ...LATER] },
  approvals: { args: () => ['approvals'] },
  show: { needs: 'open', args: (c) => ['show', c.no] },
  'show --reveal': { needs: 'open', args: (c) => ['show', c.no, '--reveal'] },
  list: { args: () => ['list', '--as-of', '2024-03-05 10:00'] },
  overdue: { args: () => ['overdue', '--as-of', '2024-03-20 10:00'] },
  'overdue --new': { args: (c) => ['overdue', '--new', '--as-of', `${day(c.n, '2024-03-20')} 10:00`] },
  report: { args: () => ['report', '--month', '2024-03', '--as-of', '2024-04-02 10:00'] },
  verify: { args: () => ['verify'] },
  backup: { args: (c) => ['backup', join(c.folder, `backup-${c.n}.db`)] },
  'calendar show': { args: () => ['calendar', 'show', '--year', '2024'] },
  'sla show': { args: () => ['sla', 'show'] },
  'lists show': { args: () => ['lists', 'show'] },
  'stages show': { args: () => ['stages', 'show'] },
  'procedure show': { args: () => ['procedure', 'show'] },
  'procedure export': { args: (c) => ['procedure', 'export', join(c.folder, `procedure-${c.n}.jsonc`)] },
  'office show': { args: () => ['office', 'show'] },
  'units list': { args: () => ['units', 'list'] },
  'people list': { args: () => ['people', 'list'] },
  'permissions show': { args: () => ['permissions', 'show'] },
  'calendar hours': { args: (c) => ['calendar', 'hours', 'set', 'sat', `09:00-1${(c.n % 8) + 1}:00`] },
  'calendar holiday': { args: (c) => ['calendar', 'holiday', 'add', day(c.n, '2025-01-01')] },
  'calendar workday': { args: (c) => ['calendar', 'workday', 'add', day(7 * c.n, '2025-01-04')] },
  'calendar preset': { args: () => ['calendar', 'preset', 'cn', '2025'] },
  'calendar import': { args: (c) => ['calendar', 'import', join(c.folder, 'holidays.ics')] },
  'calendar timezone': { args: () => ['calendar', 'timezone', 'set', 'Asia/Shanghai'] },
  'sla set': { args: (c) => ['sla', 'set', 'resolve', 'general', `${(c.n % 3) + 5}wd`] },
  'lists add': { args: (c) => ['lists', 'add', 'channel', `fax${c.n}`, '--label-en', `fax ${c.n}`, '--label-zh', `传真${c.n}`] },
  'lists rename': { args: (c) => ['lists', 'rename', 'channel', 'phone', '--label-en', `telephone ${c.n}`] },
  'lists retire': {
    prepare: (o, c) => (ok(o.runAs(c.logins.director, ['lists', 'add', 'channel', `old${c.n}`, '--label-en', `old ${c.n}`, '--label-zh', `旧${c.n}`])), `old${c.n}`),
    args: (c) => ['lists', 'retire', 'channel', c.prepared],
  },
  'stages add': { args: (c) => ['stages', 'add', `visit${c.n}`, '--start', 'receipt', '--sla', '1wd', '--label-en', `visit ${c.n}`, '--label-zh', `走访${c.n}`] },
  'stages set': { args: (c) => ['stages', 'set', 'site_visit', '--sla', `${(c.n % 3) + 1}wd`] },
  'stages retire': {
    prepare: (o, c) => (ok(o.runAs(c.logins.director, ['stages', 'add', `gone${c.n}`, '--start', 'receipt', '--sla', '1wd', '--label-en', `gone ${c.n}`, '--label-zh', `撤${c.n}`])), `gone${c.n}`),
    args: (c) => ['stages', 'retire', c.prepared],
  },
  'procedure import': {
    prepare: (o, c) => {
      const file = join(c.folder, `import-${c.n}.jsonc`);
      ok(o.runAs(c.logins.director, ['procedure', 'export', file]));
      return file;
    },
    args: (c) => ['procedure', 'import', c.prepared],
  },
  'office set': { args: (c) => ['office', 'set', 'name', `Office ${c.n}`] },
  'units add': { args: (c) => ['units', 'add', `单位${c.n}`] },
  'units rename': {
    prepare: (o, c) => (ok(o.runAs(c.logins.director, ['units', 'add', `旧单位${c.n}`])), `旧单位${c.n}`),
    args: (c) => ['units', 'rename', c.prepared, `新单位${c.n}`],
  },
  'units retire': {
    prepare: (o, c) => (ok(o.runAs(c.logins.director, ['units', 'add', `撤销${c.n}`])), `撤销${c.n}`),
    args: (c) => ['units', 'retire', c.prepared],
  },
  'units import-existing': { args: () => ['units', 'import-existing'] },
  'people add': { args: (c) => ['people', 'add', `cqx${c.n}`, '--name', `Temp ${c.n}`, '--role', 'clerk'] },
  'people set': { args: (c) => ['people', 'set', c.logins.clerk, '--name', `李雷${c.n}`] },
  'people retire': {
    prepare: (o, c) => (ok(o.runAs(c.logins.director, ['people', 'add', `cqr${c.n}`, '--name', `Leaving ${c.n}`, '--role', 'clerk'])), `cqr${c.n}`),
    args: (c) => ['people', 'retire', c.prepared],
  },
  'permissions set': { args: () => ['permissions', 'set', 'sla set', 'supervisor'] },
  'permissions limit': { args: () => ['permissions', 'limit', 'manager', '10000'] },
  'permissions fault-confirm': { args: () => ['permissions', 'fault-confirm', 'off'] },
  upgrade: { args: () => ['upgrade'] },
  restore: {
    prepare: (o, c) => {
      const copy = join(c.folder, `restore-${c.n}.db`);
      ok(o.runAs(c.logins.director, ['backup', copy]));
      return copy;
    },
    args: (c) => ['restore', c.prepared],
  },
  // They make a new file, where nobody is registered yet; on the office's own file every role is refused.
  init: { args: () => ['init', '--yes', '--timezone', 'Asia/Shanghai', '--holidays', 'none'] },
  demo: { args: () => ['demo', '--tickets', '5', '--as-of', '2024-03-04 10:00'] },
};

/** The commands this build has, as the table names them (a row added ahead of its command is not run yet). */
function programKeys(): Set<string> {
  const { command } = buildProgram('0.0.0');
  const keys = new Set<string>();
  const walk = (cmd: Command, prefix: string): void => {
    for (const sub of cmd.commands) {
      const name = prefix === '' ? sub.name() : `${prefix} ${sub.name()}`;
      if (sub.commands.length > 0) walk(sub, name);
      else {
        keys.add(name);
        for (const o of sub.options) if (DEFAULT_COMMAND_RULES[`${name} ${o.long}`] !== undefined) keys.add(`${name} ${o.long}`);
      }
    }
  };
  walk(command, '');
  return keys;
}

/** What the table says, read plainly: the system role runs what is marked for it; a rank runs what needs it or less. */
function allowed(role: Role, command: string): boolean {
  const rule = DEFAULT_COMMAND_RULES[command]!;
  if (role === 'system') return rule.system === true;
  return rule.min === 'anyone' || ROLES.indexOf(role) >= ROLES.indexOf(rule.min as Rank);
}

/** The file a refusal must leave alone: its bytes after a checkpoint, and the log's length and head. */
function fileState(db: string): unknown {
  keeper.pragma('wal_checkpoint(TRUNCATE)');
  return { digest: fileDigest(db), events: keeper.prepare('SELECT count(*) AS n, max(id) AS last FROM events').get() };
}

const NEW_FILE_ONLY = new Set(['init', 'demo']);
// Run last: they change what the other rows rely on (registered units make --unit strict; a restore replaces the file).
const LAST = ['units add', 'units rename', 'units retire', 'units import-existing', 'restore'];

let office: SharedOffice;
let logins: Record<Role, string>;
let counter = 0;
// Held open for the whole file: the last connection to close deletes the -wal and -shm, and a login
// making them again while another opens the file can find them for a moment without the group's
// write bit (SQLite sets it just after creating them), refused as "cannot save". That race is the
// engine's, not the table's; the cells run several logins at once, so the files are kept.
let keeper: Sqlite.Database;

beforeAll(() => {
  office = sharedOffice();
  logins = Object.fromEntries(ALL_ROLES.map((r) => [r, office.account(r)])) as Record<Role, string>;
  ok(office.runAs(logins.director, ['people', 'add', logins.director, '--name', '王总']));
  for (const role of ALL_ROLES.filter((r) => r !== 'director')) {
    ok(office.runAs(logins.director, ['people', 'add', logins[role], '--name', `${role} person`, '--role', role, ...(role === 'handler' ? ['--unit', '物流部'] : [])]));
  }
  ok(office.runAs(logins.director, ['stages', 'add', 'site_visit', '--start', 'receipt', '--sla', '1wd', '--label-en', 'site visit', '--label-zh', '上门走访']));
  const ics = join(dirname(office.db), 'holidays.ics');
  copyFileSync(join(ROOT, 'test', 'fixtures', 'ics', 'cn-holidays-2026-spring.ics'), ics);
  chmodSync(ics, 0o644);
  keeper = openRaw(office.db);
  keeper.prepare('SELECT count(*) FROM events').get();
}, 60_000);

afterAll(() => {
  if (keeper?.open) keeper.close();
  office?.remove();
});

/** A ticket of 物流部 in the state asked, made by the director. */
function ticket(needs: Needs): string {
  const logged = ok(office.runAs(logins.director, [...logArgs({ unit: '物流部' }), '--at', '2024-03-04 10:00']));
  const no = /C\d{4}-\d{5}/.exec(logged.stdout)![0];
  if (needs === 'held') ok(office.runAs(logins.director, ['hold', no, '--reason', 'waiting-customer', '--at', '2024-03-04 10:30']));
  if (needs === 'closed') ok(office.runAs(logins.director, ['close', no, '--resolution', 'Delivered', '--at', '2024-03-04 10:30']));
  if (needs === 'awaiting') ok(office.runAs(logins.handler, ['close', no, '--resolution', 'Refunded', '--compensation', '100', '--compensation-kind', 'cash', '--at', '2024-03-04 10:30']));
  return no;
}

const rows = Object.keys(DEFAULT_COMMAND_RULES).sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b));

describe('the permission table, cell by cell, as real accounts', () => {
  it('has an invocation for every row of the table', () => {
    expect(Object.keys(DEFAULT_COMMAND_RULES).filter((c) => INVOCATIONS[c] === undefined)).toEqual([]);
  });

  it('says the role needed in the language spoken', () => {
    const no = ticket('open');
    const before = fileState(office.db);
    const r = office.runAs(logins.clerk, ['close', no, '--resolution', '已送达', ...AT], { lang: 'zh-CN' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`错误：close 需要处理人或以上角色，${logins.clerk} 没有此权限。\n`);
    const s = office.runAs(logins.system, ['note', no, '--message', 'x', ...AT], { lang: 'zh-CN' });
    expect(s.stderr).toBe(`错误：${logins.system} 是系统账户，只能执行定时任务（overdue、overdue --new、verify、backup、upgrade），不能执行 note。\n`);
    expect(fileState(office.db)).toEqual(before);
  });

  it("keeps a handler to their own unit's tickets", () => {
    const logged = ok(office.runAs(logins.director, [...logArgs({ unit: '财务部' }), '--at', '2024-03-04 10:00']));
    const no = /C\d{4}-\d{5}/.exec(logged.stdout)![0];
    const before = fileState(office.db);
    const r = office.runAs(logins.handler, ['close', no, '--resolution', 'Delivered', ...AT]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: close: this ticket belongs to 财务部; ${logins.handler} handles only 物流部's tickets (a supervisor may act on any unit's).\n`);
    expect(fileState(office.db)).toEqual(before);
    ok(office.runAs(logins.supervisor, ['close', no, '--resolution', 'Delivered', ...AT]));
  });

  const present = programKeys();
  for (const command of rows.filter((c) => present.has(c))) {
    it(`${command}: ${ALL_ROLES.map((r) => `${r} ${allowed(r, command) ? 'may' : 'may not'}`).join(', ')}`, async () => {
      const invocation = INVOCATIONS[command]!;
      const cellFor = (no: string, prepared: string): Cell => ({ logins, n: ++counter, no, prepared, folder: dirname(office.db) });
      // Refused cells at once: none may write, so the file is compared around all of them.
      const refusedRoles = ALL_ROLES.filter((r) => !allowed(r, command) || NEW_FILE_ONLY.has(command));
      const shared = invocation.needs === undefined ? '' : ticket(invocation.needs);
      const sharedPrep = invocation.prepare === undefined ? '' : invocation.prepare(office, cellFor('', ''));
      const before = fileState(office.db);
      // Two at a time: the machine has two cores, and more at once only slows the other test files.
      const results: CliResult[] = [];
      for (let i = 0; i < refusedRoles.length; i += 2) {
        results.push(...await Promise.all(refusedRoles.slice(i, i + 2).map((r) => office.runAsAsync(logins[r], invocation.args(cellFor(shared, sharedPrep))))));
      }
      expect(fileState(office.db)).toEqual(before);
      refusedRoles.forEach((role, i) => {
        const r = results[i]!;
        expect(r.status, `${role}: ${r.stderr}`).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
        if (NEW_FILE_ONLY.has(command)) return;
        const rule = DEFAULT_COMMAND_RULES[command]!;
        expect(r.stderr).toContain(role === 'system'
          ? `${logins.system} is a system account: it may run only scheduled commands (overdue, overdue --new, verify, backup, upgrade), not ${command}.`
          : `${command} needs the ${rule.min} role or above; ${logins[role]} does not have it.`);
      });
      // A restore replaces the file: nobody may hold it open meanwhile (README).
      if (command === 'restore') keeper.close();
      // Allowed cells one by one, each on its own ticket or prepared thing.
      for (const role of ALL_ROLES.filter((r) => allowed(r, command) && !NEW_FILE_ONLY.has(command))) {
        const no = invocation.needs === undefined ? '' : ticket(invocation.needs);
        const cell = cellFor(no, '');
        cell.prepared = invocation.prepare === undefined ? '' : invocation.prepare(office, cell);
        const r = office.runAs(logins[role], invocation.args(cell));
        expect(r.status, `${role} ${invocation.args(cell).join(' ')}: ${r.stderr}`).toBe(0);
      }
    }, 120_000);
  }

});
