import Sqlite from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hex } from '../../src/store/event-log.js';
import { ROOT, logArgs, runCli, runJson, tempDbPath, TEMPLATE_EVENTS } from '../support/cli.js';
import { rowHash, type EventRow } from '../support/events.js';

// The README tour, as a new clerk follows it, through the built CLI against a fresh database:
// log -> assign -> reply -> note -> close -> survey -> show / list, then a second complaint.

type Doc = Record<string, any>;

const db = tempDbPath();
afterAll(() => rmSync(dirname(db), { recursive: true, force: true }));

/** Reads the database the way an auditor would, without the program. */
function query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
  const conn = new Sqlite(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

/** Runs a `--json` command, checking stdout holds exactly one JSON document and nothing else. */
function json(args: string[], env?: NodeJS.ProcessEnv): Doc {
  const r = runCli([...args, '--json'], { db, ...(env ? { env } : {}) });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trimStart().startsWith('{')).toBe(true);
  return JSON.parse(r.stdout) as Doc;
}

describe('the five-minute tour', () => {
  let logged: Doc;
  beforeAll(() => {
    logged = json([...logArgs({ name: '王芳', subject: '包裹延误两周', description: '快递显示在途', demand: '退运费', email: 'wang@example.cn' }), '--at', '2026-11-16 10:00']);
  });

  it('log gives the receipt number and the deadlines of a general complaint received Monday 10:00', () => {
    expect(logged).toMatchObject({
      no: 'C2026-00001', status: 'new', severity: 'general', urgent: false, channel: 'phone', category: 'delivery',
      unit: null, assignee: null,
      complainant: { name: '王芳', phone: '13800000000', email: 'wang@example.cn', address: null },
      subject: '包裹延误两周', description: '快递显示在途', demand: '退运费', amount: null,
      received_at: '2026-11-16T10:00:00+08:00', closed_at: null, resolution: null, compensation: null, survey: null, reopen_count: 0,
    });
    expect(logged.deadlines).toMatchObject({
      assign: { due: '2026-11-16T12:00:00+08:00', done_at: null },
      first_reply: { due: '2026-11-16T15:00:00+08:00', done_at: null },
      update: { due: null, done_at: null, state: 'not_started' },
      resolve: { due: '2026-11-23T10:00:00+08:00', done_at: null },
      callback: { due: null, done_at: null, state: 'not_started' },
    });
  });

  it('assign, reply, note, close and survey move it along, each answering with the ticket document', () => {
    const assigned = json(['assign', 'C2026-00001', '--unit', 'Logistics', '--to', 'Li Lei', '--at', '2026-11-16 11:00']);
    expect(assigned).toMatchObject({ status: 'assigned', unit: 'Logistics', assignee: 'Li Lei' });
    expect(assigned.deadlines.assign).toEqual({ due: '2026-11-16T12:00:00+08:00', done_at: '2026-11-16T11:00:00+08:00', state: 'met' });

    const replied = json(['reply', 'C2026-00001', '--via', 'phone', '--message', '已联系快递', '--at', '2026-11-16 14:00']);
    expect(replied.status).toBe('in_progress');
    expect(replied.deadlines.first_reply).toEqual({ due: '2026-11-16T15:00:00+08:00', done_at: '2026-11-16T14:00:00+08:00', state: 'met' });
    expect(replied.deadlines.update.due).toBe('2026-11-19T14:00:00+08:00');

    const noted = json(['note', 'C2026-00001', '--message', 'Courier admits the parcel sat in Hangzhou', '--at', '2026-11-16 16:00']);
    expect(noted.status).toBe('in_progress');

    const closed = json(['close', 'C2026-00001', '--resolution', '已送达，退运费', '--fault', 'third-party',
      '--compensation', '15', '--compensation-kind', 'cash', '--at', '2026-11-17 10:00']);
    expect(closed).toMatchObject({
      status: 'closed', closed_at: '2026-11-17T10:00:00+08:00', resolution: '已送达，退运费', compensation: { amount: 15, kind: 'cash' },
    });
    expect(closed.deadlines.resolve).toEqual({ due: '2026-11-23T10:00:00+08:00', done_at: '2026-11-17T10:00:00+08:00', state: 'met' });
    expect(closed.deadlines.callback.due).toBe('2026-11-18T10:00:00+08:00');

    const surveyed = json(['survey', 'C2026-00001', '--score', '4', '--comment', '满意', '--at', '2026-11-17 15:00']);
    expect(surveyed.survey).toEqual({ score: 4, satisfied: true, comment: '满意', at: '2026-11-17T15:00:00+08:00' });
    expect(surveyed.deadlines.callback.state).toBe('met');
  });

  it('show --json adds the timeline: every change with its time, actor and details', () => {
    const shown = json(['show', 'C2026-00001']);
    expect(shown).toMatchObject({ no: 'C2026-00001', status: 'closed', survey: { score: 4 } });
    expect(shown.events.map((e: Doc) => [e.kind, e.at, e.actor])).toEqual([
      ['logged', '2026-11-16T10:00:00+08:00', 'clerk1'],
      ['assigned', '2026-11-16T11:00:00+08:00', 'clerk1'],
      ['replied', '2026-11-16T14:00:00+08:00', 'clerk1'],
      ['noted', '2026-11-16T16:00:00+08:00', 'clerk1'],
      ['closed', '2026-11-17T10:00:00+08:00', 'clerk1'],
      ['surveyed', '2026-11-17T15:00:00+08:00', 'clerk1'],
    ]);
    expect(shown.events[2].details).toEqual({ via: 'phone', message: '已联系快递' });
    expect(shown.events[3].details).toEqual({ message: 'Courier admits the parcel sat in Hangzhou' });
  });

  it('list --json finds it by status and unit, and not under other filters', () => {
    expect(json(['list', '--status', 'closed', '--unit', 'Logistics'])).toMatchObject({ total: 1, tickets: [{ no: 'C2026-00001', status: 'closed' }] });
    expect(json(['list', '--status', 'new,assigned,in_progress'])).toEqual({ total: 0, tickets: [] });
  });

  it('the database holds the ticket row, its deadlines and one chained event per change', () => {
    expect(query('SELECT no, status, unit, closed_at IS NOT NULL AS closed, survey_score, compensation_cents, resolution_minutes FROM tickets')).toEqual([
      { no: 'C2026-00001', status: 'closed', unit: 'Logistics', closed: 1, survey_score: 4, compensation_cents: 1500, resolution_minutes: 480 },
    ]);
    expect(query('SELECT key FROM deadlines ORDER BY key').map((r: Doc) => r.key)).toEqual(['assign.1', 'callback.1', 'first_reply.1', 'resolve.1', 'update.1.1']);
    const events = query<EventRow>('SELECT * FROM events ORDER BY id');
    // After the settings init recorded.
    expect(events.map((e) => e.kind)).toEqual([...Array(TEMPLATE_EVENTS).fill('settings_changed'), 'logged', 'assigned', 'replied', 'noted', 'closed', 'surveyed']);
    expect(events.every((e) => e.format === 2)).toBe(true);
    // Each hash covers the one before it: the chain from the genesis hash to the recorded head.
    let previous: Uint8Array = GENESIS_HASH;
    for (const e of events) {
      expect(e.hash).toEqual(rowHash(previous, e));
      previous = e.hash;
    }
    expect(JSON.parse(query<{ value: string }>("SELECT value FROM settings WHERE key = 'event_chain_head'")[0]!.value)).toEqual({ event: 6 + TEMPLATE_EVENTS, hash: hex(previous) });
  });

  it('a second complaint reopens it with fresh deadlines; hold, resume and extend are recorded under the actor given', () => {
    const supervisor = { COMPLAINTS_USER: 'zhang.wei' };
    const reopened = json(['reopen', 'c2026-1', '--reason', '又坏了', '--at', '2026-11-19 09:30'], supervisor);
    expect(reopened).toMatchObject({ status: 'assigned', unit: 'Logistics', reopen_count: 1, closed_at: null, survey: null });
    expect(reopened.deadlines.first_reply).toMatchObject({ due: '2026-11-19T14:30:00+08:00', done_at: null });
    expect(reopened.deadlines.resolve.due).toBe('2026-11-26T09:30:00+08:00');
    // The first closure's update and callback are history, not this cycle's state.
    expect(reopened.deadlines.update).toEqual({ due: null, done_at: null, state: 'not_started' });
    expect(reopened.deadlines.callback).toEqual({ due: null, done_at: null, state: 'not_started' });

    const held = json(['hold', '2026-1', '--reason', 'waiting-customer', '--note', 'photos', '--at', '2026-11-19 10:00', '--as', 'li.lei']);
    expect(held.on_hold).toEqual({ reason: 'waiting-customer', note: 'photos', since: '2026-11-19T10:00:00+08:00' });
    expect(held.deadlines.resolve.due).toBeNull();
    const resumed = json(['resume', '2026-1', '--at', '2026-11-20 10:00']);
    expect(resumed.on_hold).toBeNull();
    expect(resumed.deadlines.resolve.due).toBe('2026-11-27T09:30:00+08:00');

    const extended = json(['extend', '2026-1', '--to', '2026-12-04', '--reason', 'parts on order', '--at', '2026-11-20 11:00']);
    expect(extended.deadlines.resolve.due).toBe('2026-12-04T18:00:00+08:00');

    const actors = query<{ kind: string; actor: string }>("SELECT kind, actor FROM events WHERE kind IN ('reopened', 'held', 'resumed', 'extended') ORDER BY id");
    expect(actors).toEqual([
      { kind: 'reopened', actor: 'zhang.wei' },
      { kind: 'held', actor: 'li.lei' },
      { kind: 'resumed', actor: 'clerk1' },
      { kind: 'extended', actor: 'clerk1' },
    ]);
  });
});

/** Words of a shell command line as the README writes them: quotes, `\\` continuations, `# comments`. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === '#' && word === null) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The tour's `$ complaints ...` commands with the output lines the README shows under each. */
function readmeTour(): { args: string[]; shown: string[] }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const tour = readme.slice(readme.indexOf('## A five-minute tour'));
  const section = tour.slice(0, tour.indexOf('\n## ', 5) === -1 ? undefined : tour.indexOf('\n## ', 5));
  const steps: { args: string[]; shown: string[] }[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block[1]!.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      if (line.startsWith('$ ')) steps.push({ args: shellWords(line.slice(2)).slice(1), shown: [] });
      else steps.at(-1)?.shown.push(line);
    }
  }
  return steps;
}

describe('the README tour, as written', () => {
  it('every command works and prints what the README shows', () => {
    const path = tempDbPath();
    try {
      const steps = readmeTour();
      expect(steps.map((s) => s.args[0])).toEqual(expect.arrayContaining(['log', 'assign', 'reply', 'close', 'survey', 'show', 'list']));
      for (const { args, shown } of steps) {
        const r = runCli(args, { db: path });
        expect(r.status, `complaints ${args.join(' ')}: ${r.stderr}`).toBe(0);
        if (shown.length > 0) expect(r.stdout.trimEnd().split('\n'), `complaints ${args.join(' ')}`).toEqual(shown);
      }
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });
});

describe('severity at log', () => {
  it('log --amount 20000 suggests major and says why', () => {
    const path = tempDbPath();
    try {
      const r = runCli([...logArgs({ amount: '20000' }), '--at', '2026-11-16 10:00'], { db: path });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Logged C2026-00001.');
      expect(r.stdout).toContain('Severity: major (suggested major: amount ≥ 10000).');
      const doc = runJson(['show', 'C2026-00001'], { db: path });
      expect(doc).toMatchObject({ severity: 'major', severity_suggested: 'major', amount: 20000 });
      // The major allowance: one working hour to assign.
      expect((doc.deadlines as Doc).assign.due).toBe('2026-11-16T11:00:00+08:00');
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });
});
