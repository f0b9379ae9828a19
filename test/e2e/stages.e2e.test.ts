import { describe, expect, it } from 'vitest';
import { logArgs, runJson, runOk, tempDbPath } from '../support/cli.js';
import { recordedEvents, refused } from '../support/procedure.js';

// Issue 11 §2, tried as an office would: its own stages added, changed and retired with `stages`,
// met with `done`, and timed like the built-in ones in show, overdue and the report.

interface TicketDoc {
  no: string;
  deadlines: Record<string, { due: string | null; done_at: string | null; state: string } | undefined>;
}
interface OverdueDoc {
  tickets: { no: string; stages: { stage: string; due: string; late_by_minutes: number }[] }[];
}
interface StageDoc {
  code: string;
  labels: { en: string | null; zh: string | null };
  effective_labels: { en: string; zh: string | null };
  builtin: boolean;
  start: string;
  clock: string;
  pausable: boolean;
  sla: Record<string, string | null>;
  only_severity: string[] | null;
  only_type: string[] | null;
  retired: boolean;
}

function newOffice(): string {
  const db = tempDbPath();
  runOk(['stages', 'show'], { db });
  return db;
}

const SITE_VISIT = ['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '3wh', '--only-severity', 'major', '--label-en', 'site visit'];

function logMajor(db: string, at: string): TicketDoc {
  return runJson<TicketDoc>([...logArgs({ severity: 'major' }), '--at', at], { db });
}

describe('an office stage walked end to end: site_visit, 3wh, starts at assignment, major only', () => {
  it('is due 3 working hours after assignment, met by done, late in overdue, counted in the report', () => {
    const db = newOffice();
    const added = runOk(SITE_VISIT, { db });
    expect(added.stdout).toContain('Added stage site_visit (site visit):');
    expect(added.stdout).toContain('starts when the ticket is first assigned in each handling cycle');
    expect(added.stdout).toContain('only major tickets');
    expect(added.stdout).toContain('major 3wh');

    // Monday 16 November 2026; the office works 09:00-12:00 and 13:00-18:00.
    const late = logMajor(db, '2026-11-16 09:00');
    const onTime = logMajor(db, '2026-11-16 09:05');
    const general = runJson<TicketDoc>([...logArgs({ severity: 'general' }), '--at', '2026-11-16 09:10'], { db });
    expect(late.deadlines.site_visit).toBeUndefined();
    for (const t of [late, onTime, general]) runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db });

    // 10:00-12:00 and 13:00-14:00: three working hours.
    expect(runJson<TicketDoc>(['show', late.no, '--as-of', '2026-11-16 11:00'], { db }).deadlines.site_visit)
      .toEqual({ due: '2026-11-16T14:00:00+08:00', done_at: null, state: 'pending' });
    // A general complaint gets no site visit.
    expect(runJson<TicketDoc>(['show', general.no], { db }).deadlines.site_visit).toBeUndefined();

    const met = runOk(['done', onTime.no, 'site_visit', '--at', '2026-11-16 13:30', '--note', 'visited the shop'], { db });
    expect(met.stdout.trim()).toBe(`${onTime.no}: site visit done at 2026-11-16 13:30.`);

    const overdue = runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 15:00'], { db });
    const siteVisits = overdue.tickets.flatMap((t) => t.stages.filter((s) => s.stage === 'site_visit').map((s) => ({ no: t.no, ...s })));
    expect(siteVisits).toEqual([{ no: late.no, stage: 'site_visit', due: '2026-11-16T14:00:00+08:00', late_by_minutes: 60, state: 'overdue' }]);

    runOk(['done', late.no, 'site-visit', '--at', '2026-11-16 16:00'], { db });
    expect(runJson<TicketDoc>(['show', late.no], { db }).deadlines.site_visit)
      .toEqual({ due: '2026-11-16T14:00:00+08:00', done_at: '2026-11-16T16:00:00+08:00', state: 'missed' });
    const after = runJson<OverdueDoc>(['overdue', '--as-of', '2026-11-16 17:00'], { db });
    expect(after.tickets.flatMap((t) => t.stages).filter((s) => s.stage === 'site_visit')).toEqual([]);

    const report = JSON.parse(runOk(['report', '--month', '2026-11', '--as-of', '2026-11-30 12:00', '--format', 'json'], { db }).stdout) as {
      timeliness: Record<string, { due: number; met: number }>;
    };
    expect(report.timeliness.site_visit).toMatchObject({ due: 2, met: 1 });

    const done = recordedEvents(db).filter((e) => e.kind === 'stage_done').map((e) => e.details);
    // The note is free text, sealed in the log like a reply's message (domain/personal.ts); show reads it in clear.
    expect(done).toEqual([{ stage: 'site_visit', note: { $p: expect.any(String) } }, { stage: 'site_visit', note: null }]);
  });

  it('a stage that starts when another is done: the notice is due a working day after the site visit', () => {
    const db = newOffice();
    runOk(SITE_VISIT, { db });
    const added = runOk(['stages', 'add', 'notice', '--start', 'stage:site-visit', '--sla', 'major=1wd', '--only-severity', 'major'], { db });
    expect(added.stdout).toContain('starts when site visit is done');
    const t = logMajor(db, '2026-11-16 09:00');
    runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db });
    runOk(['done', t.no, 'site_visit', '--at', '2026-11-16 11:00'], { db });
    expect(runJson<TicketDoc>(['show', t.no, '--as-of', '2026-11-16 12:00'], { db }).deadlines.notice)
      .toEqual({ due: '2026-11-17T11:00:00+08:00', done_at: null, state: 'pending' });
  });
});

describe('done', () => {
  it('refuses what it cannot record, writing nothing', () => {
    const db = newOffice();
    const t = logMajor(db, '2026-11-16 09:00');
    expect(refused(db, ['done', t.no, 'site_visit'])).toEqual({
      status: 2, stderr: "error: stage: 'site_visit' is not a stage of this office; it has no stages of its own yet (add one with `complaints stages add`)",
    });
    runOk(SITE_VISIT, { db });
    expect(refused(db, ['done', t.no, 'nope'])).toEqual({ status: 2, stderr: "error: stage: 'nope' is not accepted; use one of: site_visit" });
    expect(refused(db, ['done', t.no, 'assign'])).toEqual({
      status: 2, stderr: "error: assign is a built-in stage, met by `complaints assign`; `done` is for the office's own stages",
    });
    // Not assigned yet: the site visit has not started.
    expect(refused(db, ['done', t.no, 'site_visit']).status).toBe(1);
    runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db });
    expect(refused(db, ['done', t.no, 'site_visit', '--at', '2026-11-16 09:30']).status).toBe(2);
    runOk(['done', t.no, 'site_visit', '--at', '2026-11-16 11:00'], { db });
    expect(refused(db, ['done', t.no, 'site_visit', '--at', '2026-11-16 11:30'])).toEqual({ status: 1, stderr: `error: ${t.no}: site_visit is already done` });
  });

  it('prints the ticket document with --json', () => {
    const db = newOffice();
    runOk(SITE_VISIT, { db });
    const t = logMajor(db, '2026-11-16 09:00');
    runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db });
    const doc = runJson<TicketDoc>(['done', t.no, 'site_visit', '--at', '2026-11-16 11:00'], { db });
    expect(doc.deadlines.site_visit).toEqual({ due: '2026-11-16T14:00:00+08:00', done_at: '2026-11-16T11:00:00+08:00', state: 'met' });
  });
});

describe('stages', () => {
  it('show lists every stage as a rule, and --json as data', () => {
    const db = newOffice();
    runOk(SITE_VISIT, { db });
    // The wording, read where its longest line fits (test/e2e/fit.e2e.test.ts: it wraps at 80 and 100 columns).
    const page = runOk(['stages', 'show'], { db, env: { COLUMNS: '200' } }).stdout;
    expect(page).toContain('first_reply (first reply)\n  starts when the complaint is received (and again when it is reopened); runs in office hours; runs on while on hold');
    expect(page).toContain('update\n  starts at each reply to the complainant');
    expect(page).toContain('site_visit (site visit)\n  starts when the ticket is first assigned in each handling cycle');
    expect(page).toContain('  general 5wd · important 7wd · major 7wd · urgent as its severity\'s, round the clock');
    const stages = runJson<StageDoc[]>(['stages', 'show'], { db });
    expect(stages.map((s) => s.code)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'approval', 'site_visit']);
    expect(page).toContain('approval\n  starts when a close awaits approval');
    expect(stages[6]).toEqual({
      code: 'site_visit', labels: { en: 'site visit', zh: null }, effective_labels: { en: 'site visit', zh: null }, builtin: false,
      start: 'assignment', clock: 'working', pausable: false, sla: { general: '3wh', important: '3wh', major: '3wh', urgent: null },
      only_severity: ['major'], only_type: null, retired: false,
    });
  });

  it("set changes a built-in stage's durations, clock and hold rule, recomputing open tickets, audited", () => {
    const db = newOffice();
    // Wednesday 17:00: a general first reply is due Thursday 12:00 (4 working hours).
    const t = runJson<TicketDoc>([...logArgs(), '--at', '2026-11-18 17:00'], { db });
    expect(t.deadlines.first_reply!.due).toBe('2026-11-19T12:00:00+08:00');
    const r = runOk(['stages', 'set', 'first-reply', '--sla', 'general=2wh', '--clock', '24x7'], { db, env: { COLUMNS: '200' } });
    expect(r.stdout).toContain('Stage first_reply (first reply) changed:');
    expect(r.stdout).toContain('runs round the clock (24×7), even wh and wd');
    expect(r.stdout).toContain('general 2wh · important 8wh · major 8wh · urgent 2h');
    expect(r.stdout).toContain('Deadlines recomputed on 1 open ticket(s).');
    expect(runJson<TicketDoc>(['show', t.no], { db }).deadlines.first_reply!.due).toBe('2026-11-18T19:00:00+08:00');
    runOk(['stages', 'set', 'assign', '--pausable', '--label-zh', '分派'], { db });
    const assign = runJson<StageDoc[]>(['stages', 'show'], { db }).find((s) => s.code === 'assign')!;
    expect([assign.pausable, assign.labels.zh]).toEqual([true, '分派']);
    runOk(['stages', 'set', 'assign', '--no-pausable'], { db });
    expect(runJson<StageDoc[]>(['stages', 'show'], { db }).find((s) => s.code === 'assign')!.pausable).toBe(false);
    const changes = recordedEvents(db).filter((e) => e.kind === 'procedure_changed').map((e) => e.details as { version: number; change: string });
    expect(changes.map((c) => [c.version, c.change])).toEqual([[2, 'stages set first_reply'], [3, 'stages set assign'], [4, 'stages set assign']]);
    expect(runJson<{ version: number }>(['procedure', 'show'], { db }).version).toBe(4);
  });

  it('refuses to move, limit or retire a built-in stage, writing nothing', () => {
    const db = newOffice();
    const fixed = "is a built-in stage; where it starts and which tickets it applies to are fixed (change its --sla, --clock, --pausable or labels)";
    expect(refused(db, ['stages', 'set', 'resolve', '--start', 'assignment'])).toEqual({ status: 2, stderr: `error: --start: resolve ${fixed}` });
    expect(refused(db, ['stages', 'set', 'resolve', '--only-severity', 'major'])).toEqual({ status: 2, stderr: `error: --only-severity: resolve ${fixed}` });
    expect(refused(db, ['stages', 'set', 'callback', '--only-type', 'complaint'])).toEqual({ status: 2, stderr: `error: --only-type: callback ${fixed}` });
    expect(refused(db, ['stages', 'retire', 'assign'])).toEqual({
      status: 2, stderr: 'error: assign is a built-in stage and cannot be retired (change its --sla, --clock, --pausable or labels)',
    });
    expect(refused(db, ['stages', 'add', 'assign', '--start', 'receipt', '--sla', '1h'])).toEqual({
      status: 1, stderr: 'error: the office already has a stage assign; change it with `complaints stages set assign`',
    });
  });

  it('refuses a bad stage with one line naming what is wrong, writing nothing', () => {
    const db = newOffice();
    const add = (...more: string[]) => refused(db, ['stages', 'add', 'visit', ...more]);
    expect(add('--sla', '3wh')).toEqual({ status: 2, stderr: 'error: stages add needs --start: receipt, assignment, reply, close, stage:CODE' });
    expect(add('--start', 'receipt')).toEqual({ status: 2, stderr: 'error: stages add needs --sla: 4wh, or general=4wh,important=8wh,major=8wh,urgent=2h' });
    expect(add('--start', 'lunch', '--sla', '3wh')).toEqual({
      status: 2, stderr: "error: --start: 'lunch' is not accepted; use one of: receipt, assignment, reply, close, approval_request, stage:assign, stage:first_reply, stage:update, stage:resolve, stage:callback, stage:approval",
    });
    expect(add('--start', 'stage:nope', '--sla', '3wh').stderr).toContain("--start: 'stage:nope' is not accepted");
    expect(add('--start', 'receipt', '--sla', '3 hours')).toEqual({
      status: 2, stderr: "error: --sla: '3 hours' is not a duration; use Nm, Nh, Nd (round the clock) or Nwh, Nwd (working time)",
    });
    expect(add('--start', 'receipt', '--sla', 'general=0wh')).toEqual({
      status: 2, stderr: "error: --sla general: '0wh' would make the stage late the moment it starts; a deadline is at least 1m and at most a year",
    });
    expect(add('--start', 'receipt', '--sla', 'general=1h,severe=2h').stderr).toBe("error: --sla: 'severe' is not accepted; use one of: general, important, major, urgent");
    expect(add('--start', 'receipt', '--sla', 'general=1h,general=2h').stderr).toBe('error: --sla: general is given twice');
    expect(add('--start', 'receipt', '--sla', 'general').stderr).toBe("error: --sla: 'general' is not a duration; use Nm, Nh, Nd (round the clock) or Nwh, Nwd (working time)");
    expect(add('--start', 'receipt', '--sla', 'general=1h')).toEqual({
      status: 2, stderr: 'error: nothing was changed: stage visit has no duration for important tickets; give one, or limit the stage to the severities it has',
    });
    expect(add('--start', 'receipt', '--sla', '1h', '--only-type', 'complaint,nope').stderr).toBe(
      "error: --only-type: 'nope' is not accepted; use one of: complaint, inquiry, suggestion, warning",
    );
    expect(add('--start', 'receipt', '--sla', '1h', '--only-severity', 'urgent').stderr).toBe("error: --only-severity: 'urgent' is not accepted; use one of: general, important, major");
    expect(add('--start', 'receipt', '--sla', '1h', '--clock', 'lunar').stderr).toBe("error: --clock: 'lunar' is not accepted; use one of: working, 24x7");
    expect(add('--start', 'receipt', '--sla', '1h', '--label-en', 'x'.repeat(61)).stderr).toBe('error: --label-en: at most 60 characters (got 61)');
    expect(refused(db, ['stages', 'add', 'Site Visit', '--start', 'receipt', '--sla', '1h']).stderr).toBe(
      "error: CODE: 'Site Visit' is not a code; use lower-case ASCII letters and digits, words joined by - or _, starting with a letter, at most 32 characters (e.g. fax, site_visit)",
    );
    expect(refused(db, ['stages', 'set', 'nope', '--sla', '1h']).stderr).toBe("error: CODE: 'nope' is not accepted; use one of: assign, first_reply, update, resolve, callback, approval");
    expect(refused(db, ['stages', 'set', 'assign']).stderr).toBe(
      'error: stages set: give what to change: --start, --sla, --clock, --pausable/--no-pausable, --only-severity, --only-type, --label-en or --label-zh',
    );
    // Twenty commands, each its own process: more than the default 30 s on a loaded two-core machine.
  }, 90_000);

  it("set changes anything of an office stage; --only-severity all lifts the limit; retire stops it starting", () => {
    const db = newOffice();
    runOk(SITE_VISIT, { db });
    runOk(['stages', 'set', 'site_visit', '--sla', 'general=8wh,important=4wh', '--only-severity', 'all', '--only-type', 'complaint', '--start', 'receipt', '--pausable'], { db });
    const visit = runJson<StageDoc[]>(['stages', 'show'], { db }).find((s) => s.code === 'site_visit')!;
    expect(visit).toMatchObject({
      start: 'receipt', pausable: true, sla: { general: '8wh', important: '4wh', major: '3wh', urgent: null }, only_severity: null, only_type: ['complaint'],
    });
    const before = runJson<TicketDoc>([...logArgs(), '--at', '2026-11-16 09:00'], { db });
    expect(before.deadlines.site_visit!.due).toBe('2026-11-16T18:00:00+08:00');

    const retired = runOk(['stages', 'retire', 'site-visit'], { db });
    expect(retired.stdout).toContain('Retired stage site_visit (site visit): it starts on no new ticket');
    expect(refused(db, ['stages', 'retire', 'site_visit'])).toEqual({ status: 1, stderr: 'error: stage site_visit is already retired' });
    expect(runOk(['stages', 'show'], { db }).stdout).toContain('site_visit (site visit)  (retired: starts on no new ticket)');
    const after = runJson<TicketDoc>([...logArgs(), '--at', '2026-11-16 09:30'], { db });
    expect(after.deadlines.site_visit).toBeUndefined();

    // Added again, it is back with what is given now.
    const back = runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '2wh'], { db });
    expect(back.stdout).toContain('Stage site_visit (site visit) was retired; it is in use again:');
    expect(runJson<StageDoc[]>(['stages', 'show'], { db }).find((s) => s.code === 'site_visit')).toMatchObject({ retired: false, start: 'assignment', only_type: null });
  });
});
