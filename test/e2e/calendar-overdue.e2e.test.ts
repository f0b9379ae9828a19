import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, tempDbPath, tempDir, officeAt, TEMPLATE_EVENTS } from '../support/cli.js';

// Issue 3, tried as a new user would: the office calendar, the SLA table and cron's overdue run.

interface TicketDoc {
  no: string;
  deadlines: Record<string, { due: string | null; done_at: string | null; state: string }>;
}
interface OverdueDoc {
  as_of: string;
  tickets: { no: string; unit: string | null; stages: { stage: string; due: string; late_by_minutes: number; state: string }[] }[];
}

function logAt(db: string, at: string, extra: Record<string, string | true> = {}): TicketDoc {
  return runJson<TicketDoc>([...logArgs(extra), '--at', at], { db });
}

describe('calendar', () => {
  it('a holiday on Thursday moves a Wednesday-evening first reply to Friday noon', () => {
    const db = tempDbPath();
    expect(runCli(['calendar', 'holiday', 'add', '2026-11-19'], { db }).status).toBe(0);
    const ticket = logAt(db, '2026-11-18 17:00');
    expect(ticket.deadlines.first_reply!.due).toBe('2026-11-20T12:00:00+08:00');
  });

  it('adding a holiday recomputes open tickets, and removing it restores them; each change is audited', () => {
    const db = tempDbPath();
    const ticket = logAt(db, '2026-11-18 17:00');
    expect(ticket.deadlines.first_reply!.due).toBe('2026-11-19T12:00:00+08:00');
    const added = runCli(['calendar', 'holiday', 'add', '2026-11-19'], { db });
    expect(added.stdout).toContain('Deadlines recomputed on 1 open ticket');
    expect(runJson<TicketDoc>(['show', ticket.no], { db }).deadlines.first_reply!.due).toBe('2026-11-20T12:00:00+08:00');
    runCli(['calendar', 'holiday', 'remove', '2026-11-19'], { db });
    expect(runJson<TicketDoc>(['show', ticket.no], { db }).deadlines.first_reply!.due).toBe('2026-11-19T12:00:00+08:00');
    const kinds = new Database(db, { readonly: true }).prepare('SELECT kind FROM events ORDER BY id').all().map((r) => (r as { kind: string }).kind);
    expect(kinds.slice(TEMPLATE_EVENTS)).toEqual(['logged', 'settings_changed', 'deadlines_recomputed', 'settings_changed', 'deadlines_recomputed']);
  });

  it('loads the official 2026 Chinese calendar: National Day closed, Saturday 10 October worked', () => {
    const db = tempDbPath();
    const r = runCli(['calendar', 'preset', 'cn', '2026'], { db });
    expect(r.status).toBe(0);
    const cal = runJson<{ holidays: string[]; extra_workdays: string[] }>(['calendar', 'show', '--year', '2026'], { db });
    // Checked by hand against the State Council notice for 2026 (国办发明电〔2025〕7号).
    for (const d of ['2026-01-01', '2026-02-17', '2026-05-01', '2026-10-01', '2026-10-07']) expect(cal.holidays).toContain(d);
    expect(cal.extra_workdays).toEqual(expect.arrayContaining(['2026-10-10']));
    expect(cal.holidays).not.toContain('2026-10-10');
    // A general complaint on the eve of National Day waits for the make-up Saturday... no: the 8th is the first working day.
    const ticket = logAt(db, '2026-09-30 17:00');
    expect(ticket.deadlines.first_reply!.due).toBe('2026-10-08T12:00:00+08:00');
  });

  it('refuses a year it has no official data for, naming the years it covers', () => {
    // (1999 is before any year the program keeps: refused as out of range, see safety-ranges.)
    const r = runCli(['calendar', 'preset', 'cn', '2001'], { db: tempDbPath() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no official data for 2001.*2004/);
  });

  it('imports the all-day events of an .ics file as holidays and ignores timed ones', () => {
    const dir = tempDir();
    const ics = join(dir, 'office.ics');
    writeFileSync(ics, [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:1', 'DTSTAMP:20261101T000000Z', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Office closed', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:2', 'DTSTAMP:20261101T000000Z', 'DTSTART:20261210T090000Z', 'DTEND:20261210T100000Z', 'SUMMARY:Staff meeting', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n'));
    const db = officeAt(join(dir, 'c.db'));
    const r = runCli(['calendar', 'import', ics], { db });
    expect(r.stdout).toContain('Loaded 2 holiday date(s)');
    expect(runJson<{ holidays: string[] }>(['calendar', 'show'], { db }).holidays).toEqual(['2026-12-24', '2026-12-25']);
  });

  it('takes half days and new hours, and refuses bad ones naming what is accepted', () => {
    const db = tempDbPath();
    expect(runCli(['calendar', 'hours', 'set', 'sat', '09:00-12:00'], { db }).status).toBe(0);
    // Friday 17:00 + 4 working hours: 1 h Friday, 3 h Saturday morning
    expect(logAt(db, '2026-11-20 17:00').deadlines.first_reply!.due).toBe('2026-11-21T12:00:00+08:00');
    const bad = runCli(['calendar', 'hours', 'set', 'mon-fri', '9-18'], { db });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('HH:MM-HH:MM');
    expect(runCli(['calendar', 'timezone', 'set', 'Mars/Olympus'], { db }).status).toBe(2);
  });

  it('runs a Berlin office across the spring DST change', () => {
    const db = tempDbPath();
    runCli(['calendar', 'timezone', 'set', 'Europe/Berlin'], { db });
    // urgent, Saturday 28 March 2026 12:00 CET: the 1-day update... first reply 2h round the clock
    const t = runJson<TicketDoc>([...logArgs({ urgent: true }), '--at', '2026-03-28 12:00'], { db });
    expect(t.deadlines.first_reply!.due).toBe('2026-03-28T14:00:00+01:00');
    // general, Friday 27 March 17:00 + 4 wh = Monday 30 March 12:00, now in summer time
    expect(logAt(db, '2026-03-27 17:00').deadlines.first_reply!.due).toBe('2026-03-30T12:00:00+02:00');
  });
});

describe('sla', () => {
  it('a change applies to stages not yet done and leaves done ones alone', () => {
    const db = tempDbPath();
    const answered = logAt(db, '2026-11-16 10:00');
    runCli(['reply', answered.no, '--via', 'phone', '--message', 'on it', '--at', '2026-11-16 11:00'], { db });
    const waiting = logAt(db, '2026-11-16 10:00');
    const r = runCli(['sla', 'set', 'first_reply', 'general', '2wh'], { db });
    expect(r.status).toBe(0);
    expect(runJson<TicketDoc>(['show', waiting.no], { db }).deadlines.first_reply!.due).toBe('2026-11-16T12:00:00+08:00');
    expect(runJson<TicketDoc>(['show', answered.no], { db }).deadlines.first_reply!.due).toBe('2026-11-16T15:00:00+08:00');
    expect(runJson<Record<string, Record<string, string>>>(['sla', 'show'], { db }).first_reply!.general).toBe('2wh');
  });

  it.each([
    [['sla', 'set', 'lunch', 'general', '2wh'], 'stage'],
    [['sla', 'set', 'assign', 'critical', '2wh'], 'severity'],
    [['sla', 'set', 'assign', 'general', 'two hours'], 'duration'],
  ])('refuses %j naming %s', (args, field) => {
    const r = runCli(args, { db: tempDbPath() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(field);
  });
});

describe('overdue', () => {
  it('lists an unassigned, unanswered Monday ticket with assign 150 and first reply 30 working minutes late', () => {
    const db = tempDbPath();
    const t = logAt(db, '2026-11-16 10:00');
    const doc = runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 15:30'], { db });
    expect(doc.as_of).toBe('2026-11-16T15:30:00+08:00');
    expect(doc.tickets).toHaveLength(1);
    expect(doc.tickets[0]!.no).toBe(t.no);
    expect(doc.tickets[0]!.stages.map((s) => [s.stage, s.late_by_minutes])).toEqual([['assign', 150], ['first_reply', 30]]);
    expect(runCli(['overdue', '--as-of', '2026-11-16 15:30', '--exit-code'], { db }).status).toBe(3);
  });

  it('is silent and exits 0 for cron when nothing is late', () => {
    const db = tempDbPath();
    logAt(db, '2026-11-16 10:00');
    const r = runCli(['overdue', '--as-of', '2026-11-16 11:00', '--exit-code'], { db });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('--within lists what is coming due without counting it as late', () => {
    const db = tempDbPath();
    logAt(db, '2026-11-16 10:00');
    const doc = runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 11:30', '--within', '1wh'], { db });
    expect(doc.tickets[0]!.stages).toEqual([{ stage: 'assign', due: '2026-11-16T12:00:00+08:00', late_by_minutes: -30, state: 'due_soon' }]);
    expect(runCli(['overdue', '--as-of', '2026-11-16 11:30', '--within', '1wh', '--exit-code'], { db }).status).toBe(0);
  });

  it('--new reports each lateness once across cron runs', () => {
    const db = tempDbPath();
    logAt(db, '2026-11-16 10:00');
    // 13:30: assign (due 12:00) is 30 working minutes late, lunch not counted
    const first = runCli(['overdue', '--new', '--as-of', '2026-11-16 13:30'], { db });
    expect(first.stdout).toContain('assign late by 30m');
    expect(first.stdout).not.toContain('first reply');
    // half an hour later: nothing new
    expect(runCli(['overdue', '--new', '--as-of', '2026-11-16 14:00'], { db }).stdout).toBe('');
    // first reply falls due at 15:00: reported once, without repeating assign
    const third = runCli(['overdue', '--new', '--as-of', '2026-11-16 15:30', '--exit-code'], { db });
    expect(third.status).toBe(3);
    expect(third.stdout).toContain('first reply late by 30m');
    expect(third.stdout).not.toContain('assign late');
    // without --new everything late is still listed
    expect(runCli(['overdue', '--as-of', '2026-11-16 15:30'], { db }).stdout).toMatch(/assign late by 2h 30m; first reply late by 30m/);
  });

  it('filters by unit and forgets tickets once the stage is done', () => {
    const db = tempDbPath();
    const a = logAt(db, '2026-11-16 10:00', { unit: 'Logistics' });
    logAt(db, '2026-11-16 10:00', { unit: 'Billing' });
    const doc = runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 15:30', '--unit', 'Logistics'], { db });
    expect(doc.tickets.map((t) => t.no)).toEqual([a.no]);
    runCli(['reply', a.no, '--via', 'phone', '--message', 'called back', '--at', '2026-11-16 15:40'], { db });
    expect(runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 16:00', '--unit', 'Logistics'], { db }).tickets).toEqual([]);
  });

  it('a hold stops the resolve clock and the ticket is not overdue while waiting', () => {
    const db = tempDbPath();
    const t = logAt(db, '2026-11-16 10:00', { unit: 'Logistics' });
    runCli(['reply', t.no, '--via', 'phone', '--message', 'send photos please', '--at', '2026-11-16 11:00'], { db });
    runCli(['hold', t.no, '--reason', 'waiting-customer', '--at', '2026-11-16 11:00'], { db });
    const held = runJson<TicketDoc>(['show', t.no, '--as-of', '2026-11-30 10:00'], { db });
    expect(held.deadlines.resolve).toMatchObject({ due: null, state: 'paused' });
    expect(runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-30 10:00'], { db }).tickets).toEqual([]);
    // resumed a working day later: the resolve due moves by exactly that day
    runCli(['resume', t.no, '--at', '2026-11-17 11:00'], { db });
    expect(runJson<TicketDoc>(['show', t.no], { db }).deadlines.resolve!.due).toBe('2026-11-24T10:00:00+08:00');
    const explained = runCli(['show', t.no, '--explain'], { db }).stdout;
    expect(explained).toContain('paused 8h 00m');
  });
});
