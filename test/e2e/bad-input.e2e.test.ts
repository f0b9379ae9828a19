import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logArgs, runCli, runOk, tempDbPath } from '../support/cli.js';
import { checkpoint, fileDigest } from '../support/sqlite.js';
import { spawnCli } from '../support/writer.js';

// Bad input, everywhere (SPEC §6): exit 2 for bad usage or input, 1 for a missing ticket or a
// transition the ticket does not allow; one line on stderr naming the field, no stack trace,
// nothing on stdout, and the database byte-for-byte as it was.

const LOG = [...logArgs({ at: '2026-11-20 10:00' }), '--yes'];
/** A valid `log` with one flag replaced (or removed, with null). */
function logWith(overrides: Record<string, string | true | null>): string[] {
  const base: Record<string, string | true> = { name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', subject: 'Parcel two weeks late', at: '2026-11-20 10:00' };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete base[k];
    else base[k] = v;
  }
  const args = ['log', '--yes'];
  for (const [k, v] of Object.entries(base)) args.push(...(v === true ? [`--${k}`] : [`--${k}=${v}`]));
  return args;
}

const HUGE = 'x'.repeat(10_001);
const SQL = "'; DROP TABLE tickets; --";
const OPEN = 'C2026-00001'; // assigned to Logistics, replied, open
const CLOSED = 'C2026-00002'; // closed and surveyed
const MISSING = 'C2026-00099';

// [what, argv, exit code, text the one stderr line must contain]
const cases: [string, string[], 1 | 2, string][] = [
  // log
  ['log: channel not in the list', logWith({ channel: 'fax' }), 2, '--channel'],
  ['log: SQL in the channel', logWith({ channel: "phone' OR 1=1 --" }), 2, '--channel'],
  ['log: category not in the list', logWith({ category: 'weather' }), 2, '--category'],
  ['log: severity not in the list', logWith({ severity: 'critical' }), 2, '--severity'],
  ['log: negative amount', logWith({ amount: '-5' }), 2, '--amount'],
  ['log: amount not a number', logWith({ amount: 'abc' }), 2, '--amount'],
  ['log: amount with three decimals', logWith({ amount: '12.345' }), 2, '--amount'],
  ['log: amount in exponent form', logWith({ amount: '1e5' }), 2, '--amount'],
  ['log: SQL in the amount', logWith({ amount: '1; DELETE FROM tickets' }), 2, '--amount'],
  ['log: amount too large', logWith({ amount: '99999999999999999' }), 2, '--amount'],
  ['log: 30 February', logWith({ at: '2026-02-30 10:00' }), 2, '--at'],
  ['log: hour 25', logWith({ at: '2026-11-20 25:00' }), 2, '--at'],
  ['log: at in the future', logWith({ at: '2027-01-01 10:00' }), 2, '--at'],
  ['log: at is a bare date', logWith({ at: '2026-11-20' }), 2, '--at'],
  ['log: received-at in words', logWith({ 'received-at': 'yesterday' }), 2, '--received-at'],
  ['log: received-at in the future', logWith({ 'received-at': '2026-12-24 10:00' }), 2, '--received-at'],
  ['log: received after it was logged', logWith({ 'received-at': '2026-11-21 10:00' }), 2, '--received-at'],
  ['log: due month 13', logWith({ due: '2026-13-01' }), 2, '--due'],
  ['log: due before received', logWith({ due: '2026-11-19 10:00' }), 2, '--due'],
  ['log: phone of letters', logWith({ phone: 'call me' }), 2, '--phone'],
  ['log: email without @', logWith({ email: 'wang.example.cn' }), 2, '--email'],
  ['log: empty subject', logWith({ subject: '   ' }), 2, '--subject'],
  ['log: bell in the subject', logWith({ subject: 'late\u0007parcel' }), 2, '--subject'],
  ['log: escape sequence in the unit', logWith({ unit: '\u001b[31mLogistics' }), 2, '--unit'],
  ['log: subject too long', logWith({ subject: 's'.repeat(201) }), 2, '--subject'],
  ['log: huge description', logWith({ description: HUGE }), 2, '--description'],
  ['log: name too long', logWith({ name: 'n'.repeat(101) }), 2, '--name'],
  ['log: anonymous with a name', logWith({ anonymous: true }), 2, '--anonymous'],
  ['log: no subject and no terminal', logWith({ subject: null }), 2, '--subject'],
  ['log: no phone or email', logWith({ phone: null }), 2, '--phone'],
  ['log: handler without a unit', logWith({ to: 'Li Lei' }), 2, '--to'],
  ['log: unknown flag', [...LOG, '--priority', 'high'], 2, '--priority'],
  // assign
  ['assign: no such ticket', ['assign', MISSING, '--unit', 'Logistics'], 1, MISSING],
  ['assign: SQL as the ticket', ['assign', `C2026-1${SQL}`, '--unit', 'Logistics'], 2, 'ticket'],
  ['assign: no unit', ['assign', OPEN], 2, '--unit'],
  ['assign: empty unit', ['assign', OPEN, '--unit', ''], 2, '--unit'],
  ['assign: a closed ticket', ['assign', CLOSED, '--unit', 'Sales', '--at', '2026-11-22 10:00'], 1, CLOSED],
  ['assign: at before it was received', ['assign', OPEN, '--unit', 'Sales', '--at', '2026-11-19 09:00'], 2, '--at'],
  ['assign: no ticket given', ['assign', '--unit', 'Sales'], 2, 'ticket'],
  // reply
  ['reply: via pigeon', ['reply', OPEN, '--via', 'pigeon', '--message', 'hello'], 2, '--via'],
  ['reply: no message', ['reply', OPEN, '--via', 'phone'], 2, '--message'],
  ['reply: backspace in the message', ['reply', OPEN, '--via', 'phone', '--message', 'ok\bnot ok'], 2, '--message'],
  ['reply: huge message', ['reply', OPEN, '--via', 'phone', '--message', HUGE], 2, '--message'],
  ['reply: no such ticket', ['reply', MISSING, '--via', 'phone', '--message', 'hello'], 1, MISSING],
  ['reply: a closed ticket', ['reply', CLOSED, '--via', 'phone', '--message', 'hello'], 1, CLOSED],
  ['reply: at not a time', ['reply', OPEN, '--via', 'phone', '--message', 'hello', '--at', 'noon'], 2, '--at'],
  // note
  ['note: no message', ['note', OPEN], 2, '--message'],
  ['note: blank message', ['note', OPEN, '--message', '   '], 2, '--message'],
  ['note: ticket number 0', ['note', 'C2026-0', '--message', 'x'], 2, 'ticket'],
  ['note: ticket in words', ['note', 'the late parcel', '--message', 'x'], 2, 'ticket'],
  // extend
  ['extend: to in words', ['extend', OPEN, '--to', 'next week', '--reason', 'agreed'], 2, '--to'],
  ['extend: no reason', ['extend', OPEN, '--to', '2026-11-30'], 2, '--reason'],
  ['extend: to before at', ['extend', OPEN, '--to', '2026-11-20 09:00', '--reason', 'agreed', '--at', '2026-11-20 12:00'], 2, '--to'],
  ['extend: a closed ticket', ['extend', CLOSED, '--to', '2026-11-30', '--reason', 'agreed'], 1, CLOSED],
  // close
  ['close: fault not in the list', ['close', OPEN, '--resolution', 'done', '--fault', 'martians'], 2, '--fault'],
  ['close: negative compensation', ['close', OPEN, '--resolution', 'done', '--compensation=-1', '--compensation-kind', 'cash'], 2, '--compensation'],
  ['close: compensation kind not in the list', ['close', OPEN, '--resolution', 'done', '--compensation', '10', '--compensation-kind', 'bitcoin'], 2, '--compensation-kind'],
  ['close: compensation without its kind', ['close', OPEN, '--resolution', 'done', '--compensation', '10'], 2, '--compensation'],
  ['close: no resolution', ['close', OPEN], 2, '--resolution'],
  ['close: already closed', ['close', CLOSED, '--resolution', 'again'], 1, CLOSED],
  // survey
  ['survey: score 0', ['survey', CLOSED, '--score', '0'], 2, '--score'],
  ['survey: score 6', ['survey', CLOSED, '--score', '6'], 2, '--score'],
  ['survey: score 4.5', ['survey', CLOSED, '--score', '4.5'], 2, '--score'],
  ['survey: score in words', ['survey', CLOSED, '--score', 'five'], 2, '--score'],
  ['survey: negative score', ['survey', CLOSED, '--score=-3'], 2, '--score'],
  ['survey: no score', ['survey', CLOSED], 2, '--score'],
  ['survey: score and unreachable', ['survey', CLOSED, '--score', '4', '--unreachable'], 2, '--unreachable'],
  ['survey: an open ticket', ['survey', OPEN, '--score', '4'], 1, OPEN],
  ['survey: surveyed twice', ['survey', CLOSED, '--score', '4'], 1, CLOSED],
  // reopen
  ['reopen: an open ticket', ['reopen', OPEN, '--reason', 'again'], 1, OPEN],
  ['reopen: no reason', ['reopen', CLOSED], 2, '--reason'],
  // hold and resume
  ['hold: reason not in the list', ['hold', OPEN, '--reason', 'vacation'], 2, '--reason'],
  ['hold: no reason', ['hold', OPEN], 2, '--reason'],
  ['hold: a closed ticket', ['hold', CLOSED, '--reason', 'other'], 1, CLOSED],
  ['resume: not on hold', ['resume', OPEN], 1, OPEN],
  // show
  ['show: no such ticket', ['show', MISSING], 1, MISSING],
  ['show: SQL as the ticket', ['show', SQL], 2, 'ticket'],
  ['show: as-of 31 February', ['show', OPEN, '--as-of', '2026-02-31 10:00'], 2, '--as-of'],
  ['show: two tickets', ['show', OPEN, CLOSED], 2, 'argument'],
  // list
  ['list: status not in the list', ['list', '--status', 'open'], 2, '--status'],
  ['list: SQL in the status', ['list', '--status', "new') OR ('1'='1"], 2, '--status'],
  ['list: severity not in the list', ['list', '--severity', 'critical'], 2, '--severity'],
  ['list: limit 0', ['list', '--limit', '0'], 2, '--limit'],
  ['list: negative limit', ['list', '--limit=-1'], 2, '--limit'],
  ['list: SQL in the limit', ['list', '--limit', '1 OR 1=1'], 2, '--limit'],
  ['list: from month 99', ['list', '--from', '2026-99-01'], 2, '--from'],
  ['list: bell in the search', ['list', '--search', 'refund\u0007'], 2, '--search'],
  // anywhere
  ['unknown command', ['frobnicate', OPEN], 2, 'frobnicate'],
  ['unknown flag on list', ['list', '--frobnicate'], 2, '--frobnicate'],
  ['unknown language', ['list', '--lang', 'xx'], 2, '--lang'],
  ['unknown flag on verify', ['verify', '--repair'], 2, '--repair'],
  ['backup without a file', ['backup'], 2, 'file'],
];

describe.concurrent('bad input changes nothing and says what is wrong in one line', () => {
  const db = tempDbPath();
  let digest = '';

  beforeAll(() => {
    const ok = (args: string[]): void => void runOk(args, { db });
    ok(LOG);
    ok([...logArgs({ name: 'Chen Jing', subject: 'Billed twice', category: 'billing', at: '2026-11-20 10:30' }), '--yes']);
    ok(['assign', OPEN, '--unit', 'Logistics', '--at', '2026-11-20 11:00']);
    ok(['reply', OPEN, '--via', 'phone', '--message', 'On its way', '--at', '2026-11-20 12:00']);
    ok(['assign', CLOSED, '--unit', 'Finance', '--at', '2026-11-20 11:00']);
    ok(['close', CLOSED, '--resolution', 'Refunded', '--at', '2026-11-21 10:00']);
    ok(['survey', CLOSED, '--score', '5', '--at', '2026-11-21 15:00']);
    checkpoint(db);
    digest = fileDigest(db);
  });

  it('covers at least 60 bad invocations across the commands', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const commands = new Set(cases.map(([, args]) => args[0]));
    for (const c of ['log', 'assign', 'reply', 'note', 'extend', 'close', 'survey', 'reopen', 'hold', 'resume', 'show', 'list']) expect(commands).toContain(c);
  });

  // Several at a time: they only read, and each checks the file is still what it was.
  it.each(cases)('%s', async (_what, args, code, field) => {
    const p = spawnCli(args, db);
    const end = await p.exited;
    const stderr = p.stderr();
    const lines = stderr.split('\n').filter((l) => l !== '');
    expect({ status: end.code, lines: lines.length }, stderr).toEqual({ status: code, lines: 1 });
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(field);
    expect(lines[0]!.length).toBeLessThan(300); // a huge value is not echoed back whole
    expect(stderr).not.toMatch(/\n\s+at |Error:|SQLITE/);
    expect(p.stdout()).toBe('');
    expect(fileDigest(db)).toBe(digest);
  });

  afterAll(() => {
    checkpoint(db);
    expect(fileDigest(db)).toBe(digest);
  });
});
