import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, logArgs, runCli, runJson, tempDbPath, tempDir, testEnv } from '../support/cli.js';
import { KEY, startInTerminal, type Terminal } from '../support/pty.js';
import { checkpoint, fileDigest } from '../support/sqlite.js';
import { spawnCli } from '../support/writer.js';

// Issue 9, items 5, 6 and 9, through the built program as a clerk (or a hostile user) would run it:
// money read a hundred times too large, times and numbers out of any sane range, and sizes that
// made the program run for minutes.

interface TicketDoc {
  no: string;
  amount: number | null;
  severity: string;
  severity_suggested: string;
  received_at: string;
  status: string;
  description: string | null;
  compensation: { amount: number | null; kind: string | null } | null;
}

const AT = '2026-11-20 10:00';

// ---------------------------------------------------------------------------------------------
// 5. Money

describe('money: a comma only ever separates thousands', () => {
  const db = tempDbPath();

  // [typed, stored amount or null when refused, suggested severity (≥ 500 important, ≥ 10000 major)]
  const amounts: [string, number | null, string | null][] = [
    ['99.99', 99.99, 'general'],
    ['99,99', null, null], // was stored as 9,999.00 and made the ticket important
    ['150,00', null, null], // was 15,000: major
    [',,,5', null, null], // was 5.00
    ['1,2345', null, null],
    [',5', null, null],
    ['1,,000', null, null],
    ['12,50', null, null],
    ['1.234,56', null, null],
    ['1,200', 1200, 'important'],
    ['12,345.50', 12345.5, 'major'],
    ['9,999.99', 9999.99, 'important'],
    ['10,000', 10000, 'major'],
    ['499.99', 499.99, 'general'],
  ];

  it.each(amounts)('log --amount %j', (typed, stored, severity) => {
    const r = runCli([...logArgs({ amount: typed }), '--at', AT, '--yes', '--json'], { db });
    if (stored === null) {
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toEqual([`error: --amount: '${typed}' is ambiguous; a comma may only separate thousands, in groups of three (1,200 or 12,345.50): write decimals with a point, e.g. 99.99`]);
      expect(r.stdout).toBe('');
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    const ticket = JSON.parse(r.stdout) as TicketDoc;
    expect({ amount: ticket.amount, suggested: ticket.severity_suggested }).toEqual({ amount: stored, suggested: severity });
  });

  it('logged only the accepted amounts', () => {
    const listed = runJson<{ total: number }>(['list', '--limit', '100'], { db });
    expect(listed.total).toBe(amounts.filter(([, stored]) => stored !== null).length);
  });

  // [typed, stored compensation or null when refused]
  const compensations: [string, number | null][] = [
    ['12,50', null], // was 1,250.00 in the report
    ['150,00', null],
    [',,,5', null],
    ['12.50', 12.5],
    ['1,250.00', 1250],
    ['3,000', 3000],
  ];

  it('close --compensation: stored as typed, refused when ambiguous, and the report adds up only what was stored', () => {
    const cdb = tempDbPath();
    let expectedTotal = 0;
    compensations.forEach(([typed, stored], i) => {
      const no = `C2026-${String(i + 1).padStart(5, '0')}`;
      expect(runCli([...logArgs(), '--at', AT, '--yes'], { db: cdb }).status).toBe(0);
      const r = runCli(['close', no, '--resolution', 'Refunded', '--compensation', typed, '--compensation-kind', 'cash', '--at', '2026-11-20 11:00'], { db: cdb });
      const ticket = runJson<TicketDoc>(['show', no], { db: cdb });
      if (stored === null) {
        expect({ status: r.status, lines: r.stderr.trim().split('\n').length }).toEqual({ status: 2, lines: 1 });
        expect(r.stderr).toContain(`--compensation: '${typed}' is ambiguous`);
        expect(ticket.status).not.toBe('closed');
        return;
      }
      expect(r.status, r.stderr).toBe(0);
      expect(ticket.compensation).toEqual({ amount: stored, kind: 'cash' });
      expectedTotal += stored;
    });
    const report = runJson<{ compensation_total: number }>(['report', '--month', '2026-11', '--as-of', '2026-11-24 12:00'], { db: cdb });
    expect(report.compensation_total).toBe(expectedTotal);
    expect(expectedTotal).toBe(4262.5);
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Times and numbers out of range

const OPEN = 'C2026-00001';

// [what, argv, the field the one stderr line names]
const outOfRange: [string, string[], string][] = [
  ['log --at in the year 1 (printed receipt C1-00001)', [...logArgs({ at: '0001-01-01 10:00' }), '--yes'], '--at'],
  ['log --at the last minute of 1999', [...logArgs({ at: '1999-12-31 23:59' }), '--yes'], '--at'],
  ['log --received-at in the year 1000 ("late by 2143229h")', [...logArgs({ 'received-at': '1000-01-01 09:00', at: AT }), '--yes'], '--received-at'],
  ['log --due 9999-12-31', [...logArgs({ due: '9999-12-31', at: AT }), '--yes'], '--due'],
  ['log --due 9999-12-31 10:00', [...logArgs({ due: '9999-12-31 10:00', at: AT }), '--yes'], '--due'],
  ['log --due eleven years ahead', [...logArgs({ due: '2099-01-01', at: AT }), '--yes'], '--due'],
  ['extend --to 9999-12-31', ['extend', OPEN, '--to', '9999-12-31', '--reason', 'agreed', '--at', '2026-11-20 12:00'], '--to'],
  ['reply --at in the year 1', ['reply', OPEN, '--via', 'phone', '--message', 'ok', '--at', '0001-01-01 10:00'], '--at'],
  ['note --at in 1970', ['note', OPEN, '--message', 'x', '--at', '1970-01-01 08:00'], '--at'],
  ['show C1-00001', ['show', 'C1-00001'], 'ticket'],
  ['show C0001-00001', ['show', 'C0001-00001'], 'ticket'],
  ['show C1999-00001', ['show', 'C1999-00001'], 'ticket'],
  ['show C2099-00001', ['show', 'C2099-00001'], 'ticket'],
  ['show --as-of 9999', ['show', OPEN, '--as-of', '9999-01-01 00:00'], '--as-of'],
  ['report --year 0999', ['report', '--year', '0999'], '--year'],
  ['report --year 9999', ['report', '--year', '9999'], '--year'],
  ['report --month 9999-12', ['report', '--month', '9999-12'], '--month'],
  ['report --month 0001-01', ['report', '--month', '0001-01'], '--month'],
  ['report --week 0001-W01', ['report', '--week', '0001-W01'], '--week'],
  ['report --quarter 9999-Q4', ['report', '--quarter', '9999-Q4'], '--quarter'],
  ['report --to 9999-12-31', ['report', '--from', '2026-01-01', '--to', '9999-12-31'], '--to'],
  ['report --from 0001-01-01', ['report', '--from', '0001-01-01', '--to', '2026-01-01'], '--from'],
  ['report --as-of 9999', ['report', '--month', '2026-10', '--as-of', '9999-12-31 10:00'], '--as-of'],
  ['sla set 99999999999wd', ['sla', 'set', 'resolve', 'general', '99999999999wd'], 'duration'],
  ['sla set 366wd', ['sla', 'set', 'resolve', 'general', '366wd'], 'duration'],
  ['sla set 0wd (late the moment it starts)', ['sla', 'set', 'resolve', 'general', '0wd'], 'duration'],
  ['sla set 0m', ['sla', 'set', 'assign', 'urgent', '0m'], 'duration'],
  // Deadlines are kept to the minute: under one it would be late at once (and was an unexpected failure).
  ['sla set 0.01wh (under a minute)', ['sla', 'set', 'first_reply', 'general', '0.01wh'], 'duration'],
  ['sla set 0.5m', ['sla', 'set', 'assign', 'urgent', '0.5m'], 'duration'],
  ['calendar holiday add 9999-12-31 (the last date there is)', ['calendar', 'holiday', 'add', '9999-12-31'], 'dates'],
  ['calendar workday add 9999-12-30..9999-12-31', ['calendar', 'workday', 'add', '9999-12-30..9999-12-31'], 'dates'],
  ['sla set 9000h', ['sla', 'set', 'first_reply', 'urgent', '9000h'], 'duration'],
  ['overdue --within 99999999999wd', ['overdue', '--within', '99999999999wd'], '--within'],
  ['overdue --as-of the year 1', ['overdue', '--as-of', '0001-01-01 00:00'], '--as-of'],
  ['list --from the year 1', ['list', '--from', '0001-01-01'], '--from'],
  ['list --to 9999-12-31', ['list', '--to', '9999-12-31'], '--to'],
  ['list --as-of 1000', ['list', '--as-of', '1000-01-01 00:00'], '--as-of'],
  ['list --limit 100001', ['list', '--limit', '100001'], '--limit'],
  ['list --limit of 23 digits', ['list', '--limit', '99999999999999999999999'], '--limit'],
  ['calendar show --year 0999', ['calendar', 'show', '--year', '0999'], '--year'],
  ['calendar show --year 9999', ['calendar', 'show', '--year', '9999'], '--year'],
  ['calendar preset cn 0999', ['calendar', 'preset', 'cn', '0999'], 'year'],
  ['calendar preset cn 9999', ['calendar', 'preset', 'cn', '9999'], 'year'],
  ['calendar holiday add 9999-01-01', ['calendar', 'holiday', 'add', '9999-01-01'], 'dates'],
  ['calendar workday add across 2000', ['calendar', 'workday', 'add', '1999-12-31..2000-01-02'], 'dates'],
  ['demo --tickets 99999999999', ['demo', '--tickets', '99999999999'], '--tickets'],
  ['demo --months 121', ['demo', '--months', '121'], '--months'],
  ['demo --seed 2^32', ['demo', '--seed', '4294967296'], '--seed'],
  ['demo --as-of 1999', ['demo', '--as-of', '1999-06-01 10:00'], '--as-of'],
  ['demo reaching back before 2000', ['demo', '--as-of', '2001-01-01 00:00', '--months', '120'], '--months'],
];

describe.concurrent('times and numbers out of range: exit 2, one line naming the field and the range, nothing written', () => {
  const db = tempDbPath();
  let digest = '';

  beforeAll(() => {
    const r = runCli([...logArgs({ at: AT }), '--yes'], { db });
    expect(r.status, r.stderr).toBe(0);
    checkpoint(db);
    digest = fileDigest(db);
  });

  it.each(outOfRange)('%s', async (_what, args, field) => {
    const p = spawnCli(args, db);
    const end = await p.exited;
    const stderr = p.stderr();
    const lines = stderr.split('\n').filter((l) => l !== '');
    expect({ status: end.code, lines: lines.length }, stderr).toEqual({ status: 2, lines: 1 });
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(field);
    // The accepted range is named: years from 2000, a year's deadline, the largest count.
    expect(lines[0]).toMatch(/2000|at most a year|from 1 to|from 0 to|fewer months/);
    expect(stderr).not.toContain('unexpected failure');
    expect(p.stdout()).toBe('');
    expect(fileDigest(db)).toBe(digest);
  });

  afterAll(() => {
    checkpoint(db);
    expect(fileDigest(db)).toBe(digest);
  });
});

describe('a time the office clock skips or repeats (Europe/Berlin, 2026)', () => {
  const db = tempDbPath();

  beforeAll(() => {
    expect(runCli(['calendar', 'timezone', 'set', 'Europe/Berlin'], { db }).status).toBe(0);
    expect(runCli([...logArgs({ at: '2026-03-27 10:00' }), '--yes'], { db }).status).toBe(0);
  });

  it.each([
    ['log --at', [...logArgs({ at: '2026-03-29 02:30' }), '--yes'], '--at'],
    ['log --received-at', [...logArgs({ 'received-at': '2026-03-29 02:00', at: '2026-03-30 10:00' }), '--yes'], '--received-at'],
    ['log --due', [...logArgs({ due: '2026-03-29 02:59', at: '2026-03-27 11:00' }), '--yes'], '--due'],
    ['extend --to', ['extend', 'C2026-00001', '--to', '2026-03-29 02:30', '--reason', 'agreed', '--at', '2026-03-27 12:00'], '--to'],
    ['list --from', ['list', '--from', '2026-03-29 02:30'], '--from'],
  ])('%s 02:xx on 29 March, which was silently stored as 03:xx, is refused naming the jump', (_what, args, field) => {
    const before = fileDigestAfterCheckpoint(db);
    const r = runCli(args, { db });
    expect({ status: r.status, stderr: r.stderr.trim().split('\n').length }).toEqual({ status: 2, stderr: 1 });
    expect(r.stderr).toMatch(new RegExp(`^error: ${field}: 2026-03-29 02:\\d\\d does not exist in Europe/Berlin \\(the clocks go forward from 02:00 to 03:00 that day\\); give 03:00 or later, or a time before 02:00\\n$`));
    expect(fileDigestAfterCheckpoint(db)).toBe(before);
  });

  it('takes the times either side of the jump', () => {
    const early = runJson<TicketDoc>([...logArgs({ at: '2026-03-29 01:59' }), '--yes'], { db });
    const late = runJson<TicketDoc>([...logArgs({ at: '2026-03-29 03:00' }), '--yes'], { db });
    expect([early.received_at, late.received_at]).toEqual(['2026-03-29T01:59:00+01:00', '2026-03-29T03:00:00+02:00']);
  });

  it('reads 02:30 on 25 October, which happens twice, as the first (summer time)', () => {
    const t = runJson<TicketDoc>([...logArgs({ at: '2026-10-25 02:30' }), '--yes'], { db });
    expect(t.received_at).toBe('2026-10-25T02:30:00+02:00');
  });
});

function fileDigestAfterCheckpoint(db: string): string {
  checkpoint(db);
  return fileDigest(db);
}

// ---------------------------------------------------------------------------------------------
// 9. Hostile sizes: an .ics of 150,000 events, a megabyte pasted into a prompt

/** Runs the CLI and reports its exit, output, wall time and peak memory (its own getrusage). */
function measured(args: string[], db: string, timeoutMs: number): { status: number | null; stdout: string; stderr: string; seconds: number; peakMB: number } {
  const dir = tempDir();
  const peakFile = join(dir, 'peak.txt');
  const hook = join(dir, 'peak.mjs');
  // maxRSS is in kilobytes; written as the process ends, however it ends normally.
  writeFileSync(hook, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, cliEntry(), '--db', db, ...args], {
    env: testEnv(), encoding: 'utf8', timeout: timeoutMs,
  });
  const seconds = (performance.now() - started) / 1000;
  let peakMB = NaN;
  try {
    peakMB = Number(readFileSync(peakFile, 'utf8')) / 1024;
  } catch {
    // killed by the timeout: no figure, and the status says so
  }
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), seconds, peakMB };
}

function icsFile(name: string, events: string[][]): string {
  const path = join(tempDir(), name);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN'];
  for (const e of events) lines.push('BEGIN:VEVENT', ...e, 'END:VEVENT');
  lines.push('END:VCALENDAR', '');
  writeFileSync(path, lines.join('\r\n'));
  return path;
}

const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
const DAY = 86_400_000;

describe('calendar import of hostile .ics files: linear, bounded, refused at once when absurd', () => {
  it('refuses the 150,000-event file (15 minutes and 594 MB before) at once, naming the size limit', () => {
    const events = Array.from({ length: 150_000 }, (_, i) => {
      const d = Date.UTC(2000, 0, 1) + (i % 12_000) * DAY;
      return [`UID:e${i}@example`, 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:${ymd(d)}`, `DTEND;VALUE=DATE:${ymd(d + DAY)}`, `SUMMARY:Holiday ${i}`];
    });
    const ics = icsFile('huge.ics', events);
    const db = tempDbPath();
    const r = measured(['calendar', 'import', ics], db, 20_000);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: `error: ${ics}: larger than 2 MB; a holiday calendar is far smaller (export only the holiday calendar)\n` });
    expect(r.seconds).toBeLessThan(20);
    expect(r.peakMB).toBeLessThan(200);
  });

  it('loads a file at the limits (20,000 events, just under 2 MB) within the time and memory bounds', () => {
    // Every Sunday for ten years, many times over: big, but a real calendar's shape.
    const firstSunday = Date.UTC(2026, 0, 4);
    const events = Array.from({ length: 20_000 }, (_, i) => [`UID:s${i}`, `DTSTART;VALUE=DATE:${ymd(firstSunday + (i % 520) * 7 * DAY)}`, 'SUMMARY:Closed']);
    const ics = icsFile('sundays.ics', events);
    expect(readFileSync(ics).length).toBeLessThan(2 * 1024 * 1024);
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: AT }), '--yes'], { db }).status).toBe(0);
    const r = measured(['calendar', 'import', ics], db, 20_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Loaded 520 holiday date(s)');
    expect(r.seconds).toBeLessThan(20);
    expect(r.peakMB).toBeLessThan(400);
    expect(runJson<{ holidays: string[] }>(['calendar', 'show'], { db }).holidays).toHaveLength(520);
  });

  it('refuses one event more than the limit, and events expanding past the date limit, before writing anything', () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: AT }), '--yes'], { db }).status).toBe(0);
    const before = fileDigestAfterCheckpoint(db);
    const tooMany = icsFile('many.ics', Array.from({ length: 20_001 }, (_, i) => [`UID:m${i}`, 'DTSTART;VALUE=DATE:20261225']));
    const daily = icsFile('daily.ics', Array.from({ length: 200 }, (_, i) => [`UID:d${i}`, 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY']));
    const forever = icsFile('forever.ics', [['UID:f', 'DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:99991231']]);
    for (const [file, expected] of [
      [tooMany, `error: ${tooMany}: more than 20000 events; a holiday calendar has far fewer (export only the holiday calendar)`],
      [daily, `error: ${daily}: its all-day events cover more than 50000 dates (recurring or multi-day events); a holiday calendar covers far fewer`],
      [forever, `error: ${forever}: its all-day events cover more than 50000 dates (recurring or multi-day events); a holiday calendar covers far fewer`],
    ] as const) {
      const r = measured(['calendar', 'import', file], db, 20_000);
      expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 2, stderr: expected });
      expect(r.seconds).toBeLessThan(20);
    }
    expect(fileDigestAfterCheckpoint(db)).toBe(before);
  });

  it('leaves out dates outside 2000 to ten years ahead, saying how many', () => {
    const ics = icsFile('old.ics', [['UID:a', 'DTSTART;VALUE=DATE:19991231'], ['UID:b', 'DTSTART;VALUE=DATE:20261225'], ['UID:c', 'DTSTART;VALUE=DATE:20990101']]);
    const db = tempDbPath();
    const r = runCli(['calendar', 'import', ics], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Loaded 1 holiday date(s)');
    expect(r.stdout).toMatch(/2 date\(s\) outside 2000-01-01 to 20\d\d-12-31 were left out\./);
  });

  it('a calendar left with no working day is refused in one line, not an unexpected failure', () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: AT }), '--yes'], { db }).status).toBe(0);
    const before = fileDigestAfterCheckpoint(db);
    // Every day from 2026 to 2031 a holiday: no deadline of the open ticket can be computed.
    const start = Date.UTC(2026, 0, 1);
    const ics = icsFile('closed.ics', Array.from({ length: 6 * 366 }, (_, i) => [`UID:c${i}`, `DTSTART;VALUE=DATE:${ymd(start + i * DAY)}`]));
    for (const args of [['calendar', 'import', ics], ['calendar', 'hours', 'set', 'mon-sun', 'closed']]) {
      const r = runCli(args, { db });
      expect({ status: r.status, lines: r.stderr.trim().split('\n').length }).toEqual({ status: 1, lines: 1 });
      expect(r.stderr).toMatch(/^error: the office calendar would have no working hours for three years from 2026-11-20.*nothing was saved/);
      expect(r.stderr).not.toContain('unexpected failure');
    }
    expect(fileDigestAfterCheckpoint(db)).toBe(before);
  });
});

describe('a megabyte pasted into the description prompt', () => {
  const running: Terminal[] = [];
  afterEach(() => {
    for (const term of running.splice(0)) term.kill();
  });

  /** `log` with everything given but the description, so the description is the one question. */
  function askForDescription(db: string): Terminal {
    const term = startInTerminal(['--db', db, 'log', '--at', AT, '--name', 'Wang Fang', '--phone', '13800000000', '--channel', 'phone',
      '--category', 'delivery', '--subject', 'Parcel late', '--demand', 'Refund', '--amount', '0', '--severity', 'general', '--yes']);
    running.push(term);
    return term;
  }

  it('keeps the first 10,000 characters, says so at once, and saves the ticket on Enter', async () => {
    const db = tempDbPath();
    const term = askForDescription(db);
    await term.waitFor('What happened (Enter to skip)');
    const started = performance.now();
    // 1,000,000 characters, no newline, as a terminal delivers a paste (it hung for minutes).
    term.type('x'.repeat(1_000_000));
    await term.waitFor('at most 10000 characters; the rest of what was typed or pasted was left out', 15_000);
    expect((performance.now() - started) / 1000).toBeLessThan(15);
    term.type(KEY.enter);
    await term.waitFor('Logged C2026-00001.', 15_000);
    const { status, screen } = await term.finished();
    expect(status, screen.slice(-500)).toBe(0);
    const ticket = runJson<TicketDoc>(['show', 'C2026-00001'], { db });
    expect(ticket.description).toBe('x'.repeat(10_000));
  }, 60_000);

  it('takes a paste up to the limit whole, then refuses a key typed past it', async () => {
    const db = tempDbPath();
    const term = askForDescription(db);
    await term.waitFor('What happened (Enter to skip)');
    term.type('说'.repeat(9_999));
    term.type('a');
    // Give the keys their own reads, as a person typing would.
    await new Promise((resolve) => setTimeout(resolve, 300));
    term.type('b');
    await term.waitFor('at most 10000 characters', 15_000);
    term.type(KEY.enter);
    await term.waitFor('Logged C2026-00001.', 15_000);
    expect((await term.finished()).status).toBe(0);
    expect(runJson<TicketDoc>(['show', 'C2026-00001'], { db }).description).toBe(`${'说'.repeat(9_999)}a`);
  }, 60_000);
});
