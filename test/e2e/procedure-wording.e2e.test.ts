import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, runOk, tempDbPath, tempDir } from '../support/cli.js';

// Issue 11 after review: the procedure as a clerk reads it. Each stage says its clock and its start
// in plain words, the units are explained once, a list is named as the reader names it, and a
// refused change names the problem without the document's internal path.

function newOffice(): string {
  const db = tempDbPath();
  runOk(['procedure', 'show'], { db });
  return db;
}

/** Help text as one line: commander wraps it to the terminal's width. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

const WIDE = { COLUMNS: '200' };
const UNITS = 'Units: wh and wd are working hours and days on the office calendar; m, h and d run round the clock. Urgent tickets run round the clock unless the stage says otherwise.';

describe('procedure show, the stages', () => {
  it('says each stage\'s start and clock plainly, and the units once at the top of the section', () => {
    const db = newOffice();
    runOk(['stages', 'add', 'ack', '--start', 'receipt', '--sla', 'general=2h,important=1wd,major=4h', '--label-en', 'Acknowledgement'], { db });
    runOk(['stages', 'add', 'plan', '--start', 'reply', '--sla', '4h'], { db });
    runOk(['stages', 'add', 'notice', '--start', 'stage:ack', '--sla', '1wd', '--clock', '24x7', '--pausable'], { db });
    runOk(['stages', 'add', 'survey_prep', '--start', 'close', '--sla', 'major=2wd', '--only-severity', 'major'], { db });
    runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '3wh', '--only-type', 'complaint'], { db });
    // The wording, read where its longest line fits (test/e2e/fit.e2e.test.ts: it wraps at 80 and 100 columns).
    const page = runOk(['procedure', 'show'], { db, env: WIDE }).stdout;
    const stages = page.slice(page.indexOf('Stages (and their deadlines per severity)'));
    expect(stages).toBe([
      'Stages (and their deadlines per severity)',
      '',
      UNITS,
      '',
      'assign',
      '  starts when the complaint is received (and again when it is reopened); runs in office hours; runs on while on hold',
      '  every severity, every ticket type',
      '  general 2wh · important 2wh · major 1wh · urgent 30m',
      '',
      'first_reply (first reply)',
      '  starts when the complaint is received (and again when it is reopened); runs in office hours; runs on while on hold',
      '  every severity, every ticket type',
      '  general 4wh · important 8wh · major 8wh · urgent 2h',
      '',
      'update',
      '  starts at each reply to the complainant; runs in office hours; stops while on hold',
      '  every severity, every ticket type',
      '  general 3wd · important 3wd · major 3wd · urgent 1d',
      '',
      'resolve',
      '  starts when the complaint is received (and again when it is reopened); runs in office hours; stops while on hold',
      '  every severity, every ticket type',
      "  general 5wd · important 7wd · major 7wd · urgent as its severity's, round the clock",
      '',
      'callback',
      '  starts when the ticket is closed; runs in office hours; runs on while on hold',
      '  every severity, every ticket type',
      // The callback is an office call: urgent tickets too get it in office hours (domain/sla.ts).
      '  general 1wd · important 1wd · major 1wd · urgent 1wd in office hours',
      '',
      // issue 13: seed 004 §3.7.3.4, a close awaiting approval is decided within one working day.
      'approval',
      '  starts when a close awaits approval; runs in office hours; runs on while on hold',
      '  every severity, every ticket type',
      "  general 1wd · important 1wd · major 1wd · urgent as its severity's, round the clock",
      '',
      'ack (Acknowledgement)',
      '  starts when the complaint is received (and again when it is reopened); runs in office hours or round the clock, as each duration says; runs on while on hold',
      '  every severity, every ticket type',
      "  general 2h · important 1wd · major 4h · urgent as its severity's, round the clock",
      '',
      'plan',
      '  starts at the first reply in each handling cycle; runs round the clock; runs on while on hold',
      '  every severity, every ticket type',
      "  general 4h · important 4h · major 4h · urgent as its severity's, round the clock",
      '',
      'notice',
      '  starts when Acknowledgement is done; runs round the clock (24×7), even wh and wd; stops while on hold',
      '  every severity, every ticket type',
      "  general 1wd · important 1wd · major 1wd · urgent as its severity's, round the clock",
      '',
      'survey_prep',
      '  starts when the ticket is closed; runs in office hours; runs on while on hold',
      '  only major tickets, every ticket type',
      "  major 2wd · urgent as its severity's, round the clock",
      '',
      'site_visit',
      '  starts when the ticket is first assigned in each handling cycle; runs in office hours; runs on while on hold',
      '  every severity, only ticket type complaint',
      "  general 3wh · important 3wh · major 3wh · urgent as its severity's, round the clock",
      '',
    ].join('\n'));
    expect(page.split(UNITS)).toHaveLength(2);
    // stages show is the same section: the units first, then each stage.
    expect(runOk(['stages', 'show'], { db, env: WIDE }).stdout).toBe(stages.slice(stages.indexOf(UNITS)));
  });

  it('--start help says a stage starts once per handling cycle', () => {
    expect(oneLine(runOk(['stages', 'add', '--help']).stdout)).toContain('what starts it, once per handling cycle: receipt, assignment, reply (the first), close, or stage:CODE');
  });
});

describe('procedure show, the lists', () => {
  it('heads every column, the fourth "retired", and marks a retired code under it', () => {
    const db = newOffice();
    runOk(['lists', 'retire', 'channel', 'forum'], { db });
    const page = runOk(['lists', 'show', 'channel'], { db }).stdout;
    expect(page.split('\n').slice(0, 3)).toEqual([
      'Channels (channel)',
      '┌──────────┬──────────────┬─────────┬─────────┐',
      '│ code     │ English      │ Chinese │ retired │',
    ]);
    expect(page).toMatch(/│ forum +│ forum +│ +│ yes +│/);
    expect(page).toMatch(/│ phone +│ phone +│ +│ +│/);
    const all = runOk(['procedure', 'show'], { db }).stdout;
    for (const title of ['Channels (channel)', 'Categories (category)', 'Reply methods (reply_method)', 'Ticket types (ticket_type)', 'Faults (fault)', 'Compensation kinds (compensation_kind)']) {
      expect(all).toContain(`\n${title}\n┌`);
    }
    expect(all.match(/│ code +│ English +│ Chinese +│ retired │/g)).toHaveLength(6);
  });
});

describe('lists: a list by the reader\'s name, a code with its label only when they differ', () => {
  it('add, rename, retire and their refusals', () => {
    const db = newOffice();
    expect(runOk(['lists', 'add', 'channel', 'wechat'], { db }).stdout).toBe('Added wechat to the channels.\n');
    expect(runOk(['lists', 'add', 'reply-method', 'wechat', '--label-en', 'WeChat'], { db }).stdout).toBe('Added wechat (WeChat) to the reply methods.\n');
    expect(runOk(['lists', 'add', 'compensation-kind', 'voucher'], { db }).stdout).toBe('Added voucher to the compensation kinds.\n');
    expect(runOk(['lists', 'rename', 'reply-method', 'wechat', '--label-zh', '微信'], { db }).stdout)
      .toBe('In the reply methods, wechat is now labelled “WeChat” in English; “微信” in Chinese.\n');
    expect(runOk(['lists', 'rename', 'reply-method', 'wechat', '--label-zh', ''], { db }).stdout)
      .toBe('In the reply methods, wechat is now labelled “WeChat” in English; no Chinese label.\n');
    expect(runOk(['lists', 'rename', 'channel', 'phone', '--label-zh', '电话'], { db }).stdout)
      .toBe('In the channels, phone is now labelled “phone” in English (as built in); “电话” in Chinese.\n');
    expect(runOk(['lists', 'rename', 'channel', 'wechat', '--label-zh', '微信'], { db }).stdout)
      .toBe('In the channels, wechat is now labelled “wechat” in English (its code); “微信” in Chinese.\n');
    expect(runOk(['lists', 'retire', 'type', 'warning'], { db }).stdout)
      .toBe('Retired warning from the ticket types: no new ticket takes it; tickets that have it keep it. In use: complaint, inquiry, suggestion.\n');
    expect(runOk(['lists', 'add', 'type', 'warning', '--label-en', 'early warning'], { db }).stdout)
      .toBe('warning (early warning) was retired from the ticket types; it is in use again.\n');

    expect(runCli(['lists', 'add', 'fault', 'company'], { db })).toMatchObject({
      status: 1, stderr: "error: company is already one of the office's faults; change its labels with `complaints lists rename fault company`\n",
    });
    runOk(['lists', 'retire', 'category', 'price'], { db });
    expect(runCli(['lists', 'retire', 'category', 'price'], { db })).toMatchObject({ status: 1, stderr: 'error: price is already retired from the categories\n' });
    expect(runCli(['lists', 'add', 'channel', 'a'.repeat(33)], { db })).toMatchObject({
      status: 2,
      stderr: `error: CODE: '${'a'.repeat(33)}' is not a code; use lower-case ASCII letters and digits, words joined by - or _, starting with a letter, at most 32 characters (e.g. fax, site_visit)\n`,
    });
  });

  it('a refused change names the problem without the document\'s path', () => {
    const db = newOffice();
    for (const code of ['cash', 'goods', 'service']) runOk(['lists', 'retire', 'compensation_kind', code], { db });
    expect(runCli(['lists', 'retire', 'compensation_kind', 'apology'], { db })).toMatchObject({
      status: 2, stdout: '', stderr: 'error: nothing was changed: no compensation kinds would be left in use for a new ticket\n',
    });
    expect(runCli(['stages', 'add', 'visit', '--start', 'receipt', '--sla', 'general=1h'], { db })).toMatchObject({
      status: 2, stdout: '', stderr: 'error: nothing was changed: stage visit has no duration for important tickets; give one, or limit the stage to the severities it has\n',
    });
    runOk(['stages', 'add', 'visit', '--start', 'receipt', '--sla', '1h'], { db });
    runOk(['stages', 'add', 'report_back', '--start', 'stage:visit', '--sla', '1wd'], { db });
    expect(runCli(['stages', 'set', 'visit', '--start', 'stage:report_back'], { db })).toMatchObject({
      status: 2, stdout: '', stderr: 'error: nothing was changed: stage visit waits for a stage that waits for it, so it would never start\n',
    });
  });

  it('an imported document keeps the line and the path, with the list by its name', () => {
    const db = newOffice();
    const file = join(tempDir(), 'branch.json');
    writeFileSync(file, ['{', '  "complaints_procedure": 1,', '  "lists": {', '    "fault": [{ "code": "company", "retired": true }]', '  }', '}'].join('\n'));
    expect(runCli(['procedure', 'import', file], { db })).toMatchObject({
      status: 2, stderr: `error: ${file}, line 4: lists.fault: no faults would be left in use for a new ticket; nothing was changed\n`,
    });
  });

  it('refuses a procedure file larger than a procedure can be, before reading it as one', () => {
    const db = newOffice();
    const file = join(tempDir(), 'huge.json');
    writeFileSync(file, ' '.repeat(1024 * 1024 + 1));
    expect(runCli(['procedure', 'import', file], { db })).toMatchObject({
      status: 2, stderr: `error: ${file}: larger than 1 MB; a procedure file is a few kilobytes\n`,
    });
  });
});

describe('stages: the label in brackets only when it is not the code', () => {
  it('add, set, retire and sla show', () => {
    const db = newOffice();
    expect(runOk(['stages', 'add', 'plan', '--start', 'reply', '--sla', '1wd'], { db }).stdout.split('\n')[0]).toBe('Added stage plan:');
    expect(runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '3wh', '--label-en', 'site visit'], { db }).stdout.split('\n')[0])
      .toBe('Added stage site_visit (site visit):');
    expect(runOk(['stages', 'set', 'resolve', '--sla', 'general=6wd'], { db }).stdout.split('\n')[0]).toBe('Stage resolve changed:');
    expect(runOk(['stages', 'set', 'first_reply', '--sla', 'general=3wh'], { db }).stdout.split('\n')[0]).toBe('Stage first_reply (first reply) changed:');
    const table = runOk(['sla', 'show'], { db }).stdout;
    expect(table).toMatch(/│ plan +│ 1wd /);
    expect(table).toMatch(/│ site_visit \(site visit\) +│ 3wh /);
    expect(runOk(['stages', 'retire', 'plan'], { db }).stdout).toMatch(/^Retired stage plan: it starts on no new ticket;/);
    expect(runOk(['stages', 'add', 'plan', '--start', 'reply', '--sla', '2wd'], { db }).stdout.split('\n')[0]).toBe('Stage plan was retired; it is in use again:');
  });
});

describe('a ticket', () => {
  it('hold says which deadlines pause; its help too', () => {
    const db = newOffice();
    const t = runJson<{ no: string }>([...logArgs(), '--at', '2026-11-16 09:00'], { db });
    expect(runOk(['hold', t.no, '--reason', 'waiting-customer', '--at', '2026-11-16 10:00'], { db }).stdout).toBe(
      `${t.no} on hold (waiting for the customer); the deadlines that stop on hold are paused (resolve, update and any of the office's own stages that stop).\n`,
    );
    expect(oneLine(runOk(['hold', '--help']).stdout)).toContain("pause the deadlines that stop on hold (resolve, update and any of the office's own stages that stop) while waiting on someone");
  });

  it('the timeline names an office stage met by its label', () => {
    const db = newOffice();
    runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '3wh', '--label-en', 'Site visit'], { db });
    const t = runJson<{ no: string }>([...logArgs(), '--at', '2026-11-16 09:00'], { db });
    runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db });
    runOk(['done', t.no, 'site_visit', '--at', '2026-11-16 11:00', '--note', 'visited the shop'], { db });
    const shown = runOk(['show', t.no], { db }).stdout;
    expect(shown).toMatch(/│ 2026-11-16 11:00 │ clerk1 +│ Site visit done +│\n│ +│ +│ note: visited the shop +│/);
    expect(shown).not.toContain('stage_done');
    expect(shown).not.toContain('stage: ');
  });

  it('log --type help says the default is the first of the office\'s ticket types', () => {
    expect(oneLine(runOk(['log', '--help']).stdout)).toContain("the ticket type, a code of the office's list; the first of the office's ticket types unless given (complaint, at first)");
  });
});
