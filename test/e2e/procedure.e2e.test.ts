import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, runOk, tempDbPath, tempDir } from '../support/cli.js';
import { recordedEvents, refused } from '../support/procedure.js';

// Issue 11 §1 and §3, tried as an office would: its lists edited with `lists`, its procedure read
// as one page, and moved to another office as a file that is taken whole or not at all.

interface ItemDoc {
  code: string;
  labels: { en: string | null; zh: string | null };
  effective_labels: { en: string; zh: string | null };
  retired: boolean;
}
interface TicketDoc {
  no: string;
  deadlines: Record<string, { due: string | null; done_at: string | null; state: string } | undefined>;
}

function newOffice(): string {
  const db = tempDbPath();
  runOk(['procedure', 'show'], { db });
  return db;
}

const channel = (db: string): ItemDoc[] => runJson<{ channel: ItemDoc[] }>(['lists', 'show', 'channel'], { db }).channel;

describe('lists', () => {
  it('show prints each list with its codes, English and Chinese labels and retired marker; --json the stored and effective labels', () => {
    const db = newOffice();
    const page = runOk(['lists', 'show'], { db }).stdout;
    for (const heading of ['Channels (channel)', 'Categories (category)', 'Reply methods (reply_method)', 'Ticket types (ticket_type)', 'Faults (fault)', 'Compensation kinds (compensation_kind)']) {
      expect(page).toContain(heading);
    }
    expect(page).toMatch(/│ social +│ social media +│ +│ +│/);
    const all = runJson<Record<string, ItemDoc[]>>(['lists', 'show'], { db });
    expect(Object.keys(all)).toEqual(['channel', 'category', 'reply_method', 'ticket_type', 'fault', 'compensation_kind']);
    expect(all.ticket_type!.map((i) => i.code)).toEqual(['complaint', 'inquiry', 'suggestion', 'warning']);
    expect(all.reply_method!.find((i) => i.code === 'sms')).toEqual({ code: 'sms', labels: { en: null, zh: null }, effective_labels: { en: 'SMS', zh: null }, retired: false });
    expect(Object.keys(runJson(['lists', 'show', 'compensation-kind'], { db }))).toEqual(['compensation_kind']);
    expect(Object.keys(runJson(['lists', 'show', 'type'], { db }))).toEqual(['ticket_type']);
  });

  it('add, rename and retire a code, each audited; add brings a retired code back', () => {
    const db = newOffice();
    expect(runOk(['lists', 'add', 'channel', 'fax', '--label-en', 'Fax', '--label-zh', '传真'], { db }).stdout.trim()).toBe('Added fax (Fax) to the channels.');
    expect(channel(db).at(-1)).toEqual({ code: 'fax', labels: { en: 'Fax', zh: '传真' }, effective_labels: { en: 'Fax', zh: '传真' }, retired: false });
    expect(runOk(['lists', 'show', 'channel'], { db }).stdout).toMatch(/│ fax +│ Fax +│ 传真 +│ +│/);

    expect(runOk(['lists', 'rename', 'channel', 'phone', '--label-zh', '电话'], { db }).stdout.trim()).toBe('In the channels, phone is now labelled “phone” in English (as built in); “电话” in Chinese.');
    expect(channel(db)[0]).toEqual({ code: 'phone', labels: { en: null, zh: '电话' }, effective_labels: { en: 'phone', zh: '电话' }, retired: false });

    expect(runOk(['lists', 'retire', 'channel', 'forum'], { db }).stdout.trim()).toBe(
      'Retired forum from the channels: no new ticket takes it; tickets that have it keep it. In use: phone, email, web, letter, visit, social, internal, other, fax.',
    );
    expect(runOk(['lists', 'show', 'channel'], { db }).stdout).toMatch(/│ forum +│ forum +│ +│ yes +│/);
    expect(runOk(['lists', 'add', 'channel', 'forum', '--label-en', 'web forum'], { db }).stdout.trim()).toBe('forum (web forum) was retired from the channels; it is in use again.');
    expect(channel(db).find((i) => i.code === 'forum')).toMatchObject({ labels: { en: 'web forum', zh: null }, retired: false });

    runOk(['lists', 'add', 'type', 'praise'], { db });
    expect(runJson<{ ticket_type: ItemDoc[] }>(['lists', 'show', 'ticket-type'], { db }).ticket_type.at(-1)!.code).toBe('praise');

    const changes = recordedEvents(db).filter((e) => e.kind === 'procedure_changed').map((e) => [e.details.version, e.details.change, e.details.before, e.details.after]);
    expect(changes).toEqual([
      [2, 'lists add channel fax', null, { code: 'fax', label_en: 'Fax', label_zh: '传真' }],
      [3, 'lists rename channel phone', { code: 'phone' }, { code: 'phone', label_zh: '电话' }],
      [4, 'lists retire channel forum', { code: 'forum' }, { code: 'forum', retired: true }],
      [5, 'lists add channel forum', { code: 'forum', retired: true }, { code: 'forum', label_en: 'web forum' }],
      [6, 'lists add ticket_type praise', null, { code: 'praise' }],
    ]);
  });

  it('refuses a bad list, code or label with one line, and what cannot be done with exit 1, writing nothing', () => {
    const db = newOffice();
    expect(refused(db, ['lists', 'add', 'channels', 'fax'])).toEqual({
      status: 2, stderr: "error: LIST: 'channels' is not accepted; use one of: channel, category, reply_method, ticket_type, fault, compensation_kind",
    });
    expect(refused(db, ['lists', 'add', 'channel', 'fax machine'])).toEqual({
      status: 2, stderr: "error: CODE: 'fax machine' is not a code; use lower-case ASCII letters and digits, words joined by - or _, starting with a letter, at most 32 characters (e.g. fax, site_visit)",
    });
    expect(refused(db, ['lists', 'add', 'channel', '传真']).status).toBe(2);
    expect(refused(db, ['lists', 'add', 'channel', 'phone'])).toEqual({
      status: 1, stderr: "error: phone is already one of the office's channels; change its labels with `complaints lists rename channel phone`",
    });
    expect(refused(db, ['lists', 'add', 'channel', 'fax', '--label-zh', '传'.repeat(61)])).toEqual({ status: 2, stderr: 'error: --label-zh: at most 60 characters (got 61)' });
    expect(refused(db, ['lists', 'add', 'channel', 'fax', '--label-en', 'Fax\u0007'])).toMatchObject({ status: 2 });
    expect(refused(db, ['lists', 'rename', 'channel', 'phone'])).toEqual({ status: 2, stderr: 'error: lists rename: give --label-en, --label-zh or both' });
    expect(refused(db, ['lists', 'rename', 'channel', 'fax', '--label-en', 'Fax'])).toEqual({
      status: 2, stderr: "error: CODE: 'fax' is not accepted; use one of: phone, email, web, letter, visit, social, forum, internal, other",
    });
    expect(refused(db, ['lists', 'retire', 'fault', 'nobody'])).toEqual({
      status: 2, stderr: "error: CODE: 'nobody' is not accepted; use one of: company, customer, third-party, undetermined",
    });
    runOk(['lists', 'retire', 'compensation-kind', 'cash'], { db });
    expect(refused(db, ['lists', 'retire', 'compensation_kind', 'cash'])).toEqual({ status: 1, stderr: 'error: cash is already retired from the compensation kinds' });
    for (const code of ['goods', 'service']) runOk(['lists', 'retire', 'compensation_kind', code], { db });
    expect(refused(db, ['lists', 'retire', 'compensation_kind', 'apology'])).toEqual({
      status: 2, stderr: 'error: nothing was changed: no compensation kinds would be left in use for a new ticket',
    });
  });
});

describe('procedure show', () => {
  it("reads as the office's rules: lists, then each stage, without a version or a date; --json adds the version", () => {
    const db = newOffice();
    runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', 'major=3wh', '--only-severity', 'major', '--only-type', 'complaint', '--label-en', 'site visit', '--pausable'], { db });
    // The wording, read where its longest line fits (test/e2e/fit.e2e.test.ts: it wraps at 80 and 100 columns).
    const page = runOk(['procedure', 'show'], { db, env: { COLUMNS: '200' } }).stdout;
    expect(page.startsWith("The office's procedure\n\nLists\n\nChannels (channel)\n")).toBe(true);
    expect(page).toContain('Stages (and their deadlines per severity)');
    expect(page).toContain([
      'site_visit (site visit)',
      '  starts when the ticket is first assigned in each handling cycle; runs in office hours; stops while on hold',
      '  only major tickets, only ticket type complaint',
      "  major 3wh · urgent as its severity's, round the clock",
    ].join('\n'));
    expect(page).not.toMatch(/version|20\d\d/i);
    // The same office read twice prints the same page.
    expect(runOk(['procedure', 'show'], { db, env: { COLUMNS: '200' } }).stdout).toBe(page);
    const doc = runJson<{ version: number; lists: Record<string, unknown>; stages: { code: string }[] }>(['procedure', 'show'], { db });
    expect(doc.version).toBe(2);
    expect(Object.keys(doc)).toEqual(['version', 'lists', 'stages']);
    expect(doc.stages.map((s) => s.code)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'approval', 'site_visit']);
  });
});

describe('procedure export and import', () => {
  function shapedOffice(): string {
    const db = newOffice();
    runOk(['lists', 'add', 'channel', 'fax', '--label-zh', '传真'], { db });
    runOk(['lists', 'retire', 'channel', 'forum'], { db });
    runOk(['lists', 'rename', 'category', 'price', '--label-en', 'pricing'], { db });
    runOk(['stages', 'set', 'resolve', '--sla', 'general=6wd', '--label-zh', '处理完毕'], { db });
    runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', 'major=3wh', '--only-severity', 'major', '--label-en', 'site visit'], { db });
    runOk(['stages', 'add', 'notice', '--start', 'stage:site_visit', '--sla', 'major=1wd,urgent=4h', '--only-severity', 'major', '--clock', '24x7', '--pausable'], { db });
    return db;
  }

  it('export → import into a fresh office reproduces procedure show byte for byte, audited as one change', () => {
    const from = shapedOffice();
    const file = join(tempDir(), 'head-office.json');
    expect(runOk(['procedure', 'export', file], { db: from }).stdout.trim()).toBe(`Procedure version 7 written to ${file}.`);
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { complaints_procedure: number; lists: Record<string, unknown[]>; stages: Record<string, unknown>[] };
    expect(doc.complaints_procedure).toBe(1);
    expect(doc.lists.channel).toContainEqual({ code: 'forum', retired: true });
    expect(doc.lists.channel!.at(-1)).toEqual({ code: 'fax', label_zh: '传真' });
    expect(doc.stages.at(-1)).toEqual({
      code: 'notice', label_en: null, label_zh: null, builtin: false, start: 'stage:site_visit', clock: '24x7', pausable: true,
      sla: { general: null, important: null, major: '1wd', urgent: '4h' }, only_severity: ['major'], only_type: null, retired: false,
    });

    const to = newOffice();
    const imported = runOk(['procedure', 'import', file], { db: to });
    expect(imported.stdout.trim()).toBe(`Imported ${file}: the procedure is now version 2, with 34 codes in use in its lists and 8 stages in use.`);
    expect(runOk(['procedure', 'show'], { db: to }).stdout).toBe(runOk(['procedure', 'show'], { db: from }).stdout);
    const changes = recordedEvents(to).filter((e) => e.kind === 'procedure_changed');
    expect(changes.map((e) => [e.details.version, e.details.change])).toEqual([[2, 'procedure import']]);
    expect((changes[0]!.details.after as { stages: unknown[] }).stages).toHaveLength(8);
    // The same file again changes nothing: no new version, no event.
    const eventsBefore = recordedEvents(to).length;
    expect(runOk(['procedure', 'import', file], { db: to }).stdout.trim()).toBe(`${file} is the office's procedure already (version 2); nothing was changed.`);
    expect(recordedEvents(to)).toHaveLength(eventsBefore);

    // The imported stages run: a major complaint at the branch gets its site visit on assignment.
    const t = runJson<TicketDoc>([...logArgs({ severity: 'major' }), '--at', '2026-11-16 09:00'], { db: to });
    runOk(['assign', t.no, '--unit', 'east', '--at', '2026-11-16 10:00'], { db: to });
    expect(runJson<TicketDoc>(['show', t.no], { db: to }).deadlines.site_visit!.due).toBe('2026-11-16T14:00:00+08:00');
  });

  it('keeps, retired, what the office has and the document lacks', () => {
    const branch = shapedOffice();
    const file = join(tempDir(), 'plain.json');
    runOk(['procedure', 'export', file], { db: newOffice() });
    runOk(['procedure', 'import', file], { db: branch });
    const doc = runJson<{ lists: { channel: ItemDoc[] }; stages: { code: string; retired: boolean }[] }>(['procedure', 'show'], { db: branch });
    expect(doc.lists.channel.map((i) => [i.code, i.retired]).slice(-2)).toEqual([['other', false], ['fax', true]]);
    expect(doc.lists.channel.find((i) => i.code === 'forum')!.retired).toBe(false);
    expect(doc.stages.map((s) => [s.code, s.retired]).slice(-2)).toEqual([['site_visit', true], ['notice', true]]);
  });

  it('export refuses to overwrite a file without --force, and never the database', () => {
    const db = newOffice();
    const file = join(tempDir(), 'p.json');
    writeFileSync(file, 'keep me');
    expect(runCli(['procedure', 'export', file], { db })).toMatchObject({ status: 1, stderr: `error: ${file} already exists; give --force to overwrite it\n` });
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(runCli(['procedure', 'export', file, '--force'], { db }).status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ complaints_procedure: 1 });
    expect(runCli(['procedure', 'export', db, '--force'], { db }).status).toBe(1);
  });

  // A document as an office writes it by hand, comments and all; the line numbers below are its own.
  const HAND_WRITTEN = [
    '// The branch office, after seed 003 (comments are allowed)', //  1
    '{', //                                                              2
    '  "complaints_procedure": 1,', //                                   3
    '  "lists": {', //                                                   4
    '    "channel": [{ "code": "phone" }, { "code": "fax", "label_zh": "传真" }]', // 5
    '  },', //                                                           6
    '  "stages": [', //                                                  7
    '    { "code": "assign", "start": "receipt", "sla": { "general": "2wh", "important": "2wh", "major": "1wh", "urgent": "30m" } },', // 8
    '    { "code": "first_reply", "start": "receipt", "sla": { "general": "4wh", "important": "8wh", "major": "8wh", "urgent": "2h" } },', // 9
    '    { "code": "update", "start": "reply", "pausable": true, "sla": { "general": "3wd", "important": "3wd", "major": "3wd", "urgent": "1d" } },', // 10
    '    { "code": "resolve", "start": "receipt", "pausable": true, "sla": { "general": "5wd", "important": "7wd", "major": "7wd" } },', // 11
    '    { "code": "callback", "start": "close", "sla": { "general": "1wd", "important": "1wd", "major": "1wd", "urgent": "1wd" } },', // 12
    '    // seed 003: a site visit within 2-3 working hours', //        13
    '    {', //                                                          14
    '      "code": "site_visit",', //                                    15
    '      "start": "assignment",', //                                   16
    '      "sla": {', //                                                 17
    '        "major": "3wh"', //                                         18
    '      },', //                                                       19
    '      "only_severity": ["major"],', //                              20
    '      "only_type": ["complaint"]', //                               21
    '    }', //                                                          22
    '  ]', //                                                            23
    '}', //                                                              24
  ].join('\n');

  function importing(text: string): { db: string; result: { status: number | null; stderr: string } } {
    const db = newOffice();
    const file = join(tempDir(), 'branch.jsonc');
    writeFileSync(file, text);
    return { db, result: refused(db, ['procedure', 'import', file]) };
  }

  it('takes a hand-written document with comments', () => {
    const db = newOffice();
    const file = join(tempDir(), 'branch.jsonc');
    writeFileSync(file, HAND_WRITTEN);
    expect(runCli(['procedure', 'import', file], { db }).status).toBe(0);
    const doc = runJson<{ lists: { channel: ItemDoc[] }; stages: { code: string; only_type: string[] | null }[] }>(['procedure', 'show'], { db });
    expect(doc.lists.channel.filter((i) => !i.retired).map((i) => i.code)).toEqual(['phone', 'fax']);
    expect(doc.stages.find((s) => s.code === 'site_visit')).toMatchObject({ only_type: ['complaint'] });
    // A document from before the approval stage (issue 13) leaves it timing approvals.
    expect(doc.stages.at(-1)).toMatchObject({ code: 'approval', retired: false });
  });

  it.each([
    ['a start naming no stage', ['"start": "assignment"', '"start": "stage:nope"'],
      "line 16: stages[5].start: 'stage:nope' is not a start: use receipt, assignment, reply, close, or stage:CODE naming another stage"],
    ['a ticket type the office does not have', ['"only_type": ["complaint"]', '"only_type": ["nope"]'],
      "line 21: stages[5].only_type: 'nope' is not in the office's list of ticket types"],
    ['a duration that is not one', ['"major": "3wh"', '"major": "3 hours"'],
      "line 18: stages[5].sla.major: '3 hours' is not a deadline: more than zero and at most a year, as 30m, 2h, 1d (round the clock) or 4wh, 5wd (working time)"],
    ['a zero duration', ['"major": "3wh"', '"major": "0wh"'],
      "line 18: stages[5].sla.major: '0wh' is not a deadline: more than zero and at most a year, as 30m, 2h, 1d (round the clock) or 4wh, 5wd (working time)"],
    ['a bad code', ['{ "code": "fax", ', '{ "code": "Fax!", '],
      "line 5: lists.channel[1].code: 'Fax!' is not a code: lower-case ASCII letters and digits, words joined by - or _ (a stage's by _), starting with a letter, at most 32 characters"],
    ['an unknown key', ['"only_severity": ["major"],', '"only_severities": ["major"],'],
      'line 20: stages[5].only_severities: is not a key of a procedure document here; accepted: code, label_en, label_zh, builtin, start, clock, pausable, sla, only_severity, only_type, retired'],
    ['a wrong type', ['"pausable": true, "sla": { "general": "5wd"', '"pausable": "yes", "sla": { "general": "5wd"'],
      'line 11: stages[3].pausable: should be true or false'],
    ['a missing built-in stage', ['    { "code": "callback", "start": "close", "sla": { "general": "1wd", "important": "1wd", "major": "1wd", "urgent": "1wd" } },', '    // no callback'],
      'line 7: stages: the built-in stage callback is missing: it can be changed, not removed'],
    ['a built-in stage moved', ['{ "code": "resolve", "start": "receipt"', '{ "code": "resolve", "start": "close"'],
      'line 11: stages[3].start: the built-in stage resolve starts at receipt; that cannot be changed'],
    ['a format it does not read', ['"complaints_procedure": 1,', '"complaints_procedure": 2,'],
      'line 3: complaints_procedure: is 2; this program reads procedure documents of format 1'],
    ['a missing comma', ['"start": "assignment",', '"start": "assignment"'],
      'line 17: not valid JSON here (a comma, quote, colon or bracket missing or extra?)'],
  ])('refuses %s, naming its line, writing nothing', (_what, [from, to], message) => {
    expect(HAND_WRITTEN).toContain(from);
    const { result } = importing(HAND_WRITTEN.replace(from!, to!));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: \/.*\/branch\.jsonc, line \d+: /);
    expect(result.stderr.replace(/^error: \/.*\/branch\.jsonc, /, '')).toBe(`${message}; nothing was changed`);
  });

  it('refuses a file it cannot read, and a document that is not a procedure', () => {
    const db = newOffice();
    const missing = join(tempDir(), 'none.json');
    expect(refused(db, ['procedure', 'import', missing])).toEqual({ status: 1, stderr: `error: ${missing}: cannot read this procedure file (ENOENT)` });
    const file = join(tempDir(), 'calendar.json');
    writeFileSync(file, '{ "holidays": [] }');
    expect(refused(db, ['procedure', 'import', file])).toEqual({
      status: 2, stderr: `error: ${file}, line 1: holidays: is not a key of a procedure document here; accepted: complaints_procedure, lists, stages; nothing was changed`,
    });
  });
});

describe('done when, tried as a new user would', () => {
  it('fax as a channel and acknowledge (half a working day from receipt) in three commands, then timed like any stage', () => {
    const db = tempDbPath();
    expect(runCli(['lists', 'add', 'channel', 'fax'], { db }).status).toBe(0);
    expect(runCli(['stages', 'add', 'acknowledge', '--start', 'receipt', '--sla', '0.5wd'], { db }).status).toBe(0);
    expect(channel(db).map((i) => i.code)).toContain('fax');
    // Monday 09:00 plus half of an 8-hour working day: 09:00-12:00, then 13:00-14:00.
    const t = runJson<TicketDoc & { channel: string }>([...logArgs({ channel: 'fax' }), '--at', '2026-11-16 09:00'], { db });
    expect(t.channel).toBe('fax');
    expect(t.deadlines.acknowledge).toMatchObject({ due: '2026-11-16T14:00:00+08:00', done_at: null });
    const overdue = runJson<{ tickets: { no: string; stages: { stage: string; late_by_minutes: number }[] }[] }>(['overdue', '--as-of', '2026-11-16 15:00'], { db });
    expect(overdue.tickets.find((x) => x.no === t.no)!.stages).toContainEqual(expect.objectContaining({ stage: 'acknowledge', late_by_minutes: 60 }));
    const report = JSON.parse(runOk(['report', '--month', '2026-11', '--as-of', '2026-11-30 12:00', '--format', 'json'], { db }).stdout) as {
      timeliness: Record<string, { due: number; met: number }>;
    };
    expect(report.timeliness.acknowledge).toMatchObject({ due: 1, met: 0 });
    const page = runOk(['procedure', 'show'], { db, env: { COLUMNS: '200' } }).stdout;
    expect(page).toMatch(/│ fax +│ fax +│/);
    expect(page).toContain('acknowledge\n  starts when the complaint is received (and again when it is reopened); runs in office hours; runs on while on hold');
    expect(page).toContain("general 0.5wd · important 0.5wd · major 0.5wd · urgent as its severity's, round the clock");
  });

  it('the clerk reads the new stage\'s deadline out with the others when logging', () => {
    const db = tempDbPath();
    runOk(['stages', 'add', 'acknowledge', '--start', 'receipt', '--sla', '0.5wd', '--label-en', 'Acknowledgement'], { db });
    const out = runOk([...logArgs(), '--received-at', '2026-11-16 09:00', '--at', '2026-11-16 09:05'], { db }).stdout;
    expect(out).toContain('Assign by 2026-11-16 11:00, first reply by 2026-11-16 14:00, resolve by 2026-11-20 18:00.\nAlso due: Acknowledgement by 2026-11-16 14:00.');
  });
});
