import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logArgs, missingDbPath, runCli, runJson, tempDbPath, tempDir, TEMPLATE_INIT, type CliResult } from '../support/cli.js';

// What a clerk sees when something is wrong (SPEC §6): exit 1 when it cannot be done, 2 for bad
// input; one line on stderr naming the field, no stack trace; nothing written.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newDb(): string {
  const path = tempDbPath();
  dirs.push(dirname(path));
  return path;
}

/** A path with no database, for what must not make one. */
function missingDb(): string {
  const path = missingDbPath();
  dirs.push(dirname(path));
  return path;
}

/** The database as bytes, with whatever else lies next to it (a -wal left behind would be a write). */
function snapshot(db: string): { files: string[]; bytes: Buffer } {
  return { files: readdirSync(dirname(db)).sort(), bytes: readFileSync(db) };
}

function expectOneLineError(r: CliResult, status: number, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

interface Listed { total: number; tickets: { no: string }[] }

describe('a closed ticket and bad input', () => {
  const db = newDb();
  beforeAll(() => {
    runJson([...logArgs(), '--at', '2026-11-16 10:00'], { db });
    runJson(['close', 'C2026-00001', '--resolution', 'Delivered', '--at', '2026-11-17 10:00'], { db });
    // A second, open ticket for the transitions that need one.
    runJson([...logArgs(), '--at', '2026-11-16 11:00'], { db });
  });

  it('close on a closed ticket exits 1, says why in one line (no JSON), and leaves the file byte for byte', () => {
    const before = snapshot(db);
    const r = runCli(['close', 'C2026-00001', '--resolution', 'again', '--at', '2026-11-18 10:00', '--json'], { db });
    expectOneLineError(r, 1, /^error: cannot close C2026-00001: it is closed/);
    expect(snapshot(db)).toEqual(before);
  });

  it('survey --score 6 exits 2 naming --score and what is accepted, writing nothing', () => {
    const before = snapshot(db);
    const r = runCli(['survey', 'C2026-00001', '--score', '6', '--at', '2026-11-18 10:00'], { db });
    expectOneLineError(r, 2, /^error: --score: '6' is not accepted; give a whole number from 1 to 5$/);
    expect(snapshot(db)).toEqual(before);
  });

  it.each([
    ['survey of an open ticket', () => ['survey', 'C2026-00002', '--score', '5'], 1, /cannot survey C2026-00002: it is not closed yet/],
    ['reopen of an open ticket', () => ['reopen', 'C2026-00002', '--reason', 'x'], 1, /cannot reopen C2026-00002: it is still open/],
    ['resume of a ticket not on hold', () => ['resume', 'C2026-00002'], 1, /C2026-00002 is not on hold/],
    ['no such ticket', () => ['show', 'C2026-00009'], 1, /^error: no ticket C2026-00009$/],
    ['an unknown flag', () => ['close', 'C2026-00001', '--resolution', 'x', '--colour', 'red'], 2, /unknown option '--colour'/],
    ['an unknown command', () => ['delete', 'C2026-00001'], 2, /unknown command 'delete'/],
    ['a ticket number that is not one', () => ['show', 'ticket-one'], 2, /ticket-one/],
    ['a bad --via', () => ['reply', 'C2026-00002', '--via', 'pigeon', '--message', 'x'], 2, /--via: 'pigeon'.*phone, visit, letter, email, sms, social/],
    ['an --at in the future', () => ['note', 'C2026-00002', '--message', 'x', '--at', '2099-01-01 09:00'], 2, /--at/],
    ['an --at before the ticket was received', () => ['assign', 'C2026-00002', '--unit', 'Sales', '--at', '2026-11-01 09:00'], 2, /--at: is before C2026-00002 was received/],
    ['a bad time', () => ['assign', 'C2026-00002', '--unit', 'Sales', '--at', 'yesterday'], 2, /--at/],
  ] as const)('%s: exit %i with one line', (_label, args, status, pattern) => {
    const before = snapshot(db);
    expectOneLineError(runCli(args(), { db }), status, pattern);
    expect(snapshot(db)).toEqual(before);
  });

  it('takes ticket numbers the way clerks type them: c2026-00001, 2026-1, C2026-1', () => {
    for (const typed of ['c2026-00001', '2026-1', 'C2026-1', ' C2026-00001 ']) {
      expect(runJson(['show', typed], { db }).no, typed).toBe('C2026-00001');
    }
  });
});

describe('the database file', () => {
  it('is made by init, not by the first command; then every command works on it without a notice', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = join(dir, 'office', 'complaints.db');
    const refused = runCli([...logArgs(), '--at', '2026-11-16 10:00', '--json'], { db });
    expectOneLineError(refused, 1, /^error: no database at .*complaints init/);
    expect(existsSync(join(dir, 'office'))).toBe(false);
    expect(runCli([...TEMPLATE_INIT], { db }).status).toBe(0);
    const first = runCli([...logArgs(), '--at', '2026-11-16 10:00', '--json'], { db });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout).no).toBe('C2026-00001');
    const second = runCli(['list', '--json'], { db });
    expect(second.stderr).toBe('');
    expect((JSON.parse(second.stdout) as Listed).total).toBe(1);
  });

  it('is not created by a command refused for its input', () => {
    const db = missingDb();
    const r = runCli(logArgs({ channel: 'telegram' }), { db });
    expectOneLineError(r, 2, /--channel: 'telegram'/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('without a terminal nothing is asked', () => {
  /** `log` with the usual flags but one left out. */
  const logWithout = (flag: string): string[] => {
    const args = logArgs();
    const i = args.indexOf(flag);
    return [...args.slice(0, i), ...args.slice(i + 2)];
  };

  it.each([
    ['--subject', /^error: --subject is required/],
    ['--channel', /^error: --channel \(phone, email, web, letter, visit, social, forum, internal, other\) is required/],
    ['--name', /^error: --name \(or --anonymous\) is required/],
    ['--phone', /^error: --phone or --email is required unless --anonymous/],
  ] as const)('a missing %s exits 2 naming it, asks nothing and creates no file', (flag, pattern) => {
    const db = missingDb();
    const r = runCli(logWithout(flag), { db });
    expectOneLineError(r, 2, pattern);
    expect(existsSync(db)).toBe(false);
  });

  it('--anonymous needs neither name nor contact', () => {
    const db = newDb();
    const args = ['log', '--anonymous', '--channel', 'web', '--category', 'service', '--subject', 'Rude staff', '--at', '2026-11-16 10:00'];
    expect(runJson(args, { db })).toMatchObject({ complainant: { name: null, anonymous: true, phone: null } });
  });
});

describe('Chinese text', () => {
  const db = newDb();
  beforeAll(() => {
    runJson([...logArgs({ name: '王芳', subject: '包裹延误', description: '快递显示已签收但本人未收到', demand: '重新派送' }), '--at', '2026-11-16 10:00'], { db });
    runJson([...logArgs({ name: 'Li Lei', subject: 'Kettle leaks', category: 'product' }), '--at', '2026-11-16 11:00'], { db });
  });

  it('comes back from show as it was typed', () => {
    expect(runJson(['show', 'C2026-00001'], { db })).toMatchObject({
      complainant: { name: '王芳' }, subject: '包裹延误', description: '快递显示已签收但本人未收到', demand: '重新派送',
    });
    const human = runCli(['show', 'C2026-00001'], { db });
    expect(human.stdout).toContain('C2026-00001  包裹延误');
    expect(human.stdout).toMatch(/Complainant\s+王芳/);
  });

  it.each([
    ['包裹延误', 'four characters, through the trigram index'],
    ['包裹', 'two characters, shorter than a trigram'],
    ['本人未收', 'inside the description'],
    ['王芳', "the complainant's name"],
    ['kettle', 'English, any case'],
  ])('list --search %s finds it (%s)', (text) => {
    const found = runJson<Listed>(['list', '--search', text], { db });
    expect(found.total, text).toBe(1);
    expect(found.tickets[0]!.no).toBe(/kettle/i.test(text) ? 'C2026-00002' : 'C2026-00001');
  });

  it('list --search finds nothing for text that is not there', () => {
    expect(runJson<Listed>(['list', '--search', '退款'], { db }).total).toBe(0);
    expect(runJson<Listed>(['list', '--search', '包裹丢失'], { db }).total).toBe(0);
  });
});
