import { beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalFigures, PersonRow, ReportDocument } from '../../src/domain/report.js';
import { parseTimeInput } from '../../src/domain/time.js';
import { openStore } from '../../src/store/store.js';
import { loadTicket, recordTicketChange } from '../../src/store/tickets.js';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';
import { parseCsv } from '../support/csv.js';
import { withRaw } from '../support/sqlite.js';

// Issue 13 §6: the handler appraisal (seed 002 §7.3: closes, timeliness, satisfaction, reopens per
// handler) and the period's approvals (seed 004 §3.9) in the report. March 2024, office in Shanghai.

const AS_ROOT = { COMPLAINTS_USER: '' };
const MARCH = ['report', '--month', '2024-03', '--as-of', '2024-04-15 09:00'];
const local = (text: string): number => {
  const parsed = parseTimeInput(text, 'Asia/Shanghai');
  if (parsed?.kind !== 'instant') throw new Error(`bad time ${text}`);
  return parsed.at;
};

type Report = ReportDocument & { by_person: PersonRow[]; approvals: ApprovalFigures };

describe('report --by person', () => {
  let db: string;
  const no: string[] = [];

  beforeAll(() => {
    db = tempDbPath();
    const log = (received: string): string => runJson<{ no: string }>([...logArgs(), '--received-at', received], { db }).no;
    const step = (args: string[]): void => void runOk(args, { db });
    // li (物流部): two closed, one surveyed satisfied. wang (客服部): one closed, surveyed unhappy, reopened.
    no.push(log('2024-03-04 10:00'), log('2024-03-04 11:00'), log('2024-03-05 10:00'), log('2024-03-06 10:00'));
    step(['assign', no[0]!, '--unit', '物流部', '--to', 'li', '--at', '2024-03-04 10:05']);
    step(['reply', no[0]!, '--via', 'phone', '--message', '已联系', '--at', '2024-03-04 10:30']);
    step(['close', no[0]!, '--resolution', '已补发', '--at', '2024-03-05 10:00']);
    step(['survey', no[0]!, '--score', '5', '--at', '2024-03-06 10:00']);
    step(['assign', no[1]!, '--unit', '物流部', '--to', 'li', '--at', '2024-03-04 11:05']);
    step(['close', no[1]!, '--resolution', '已退款', '--at', '2024-03-12 10:00']);
    step(['assign', no[2]!, '--unit', '客服部', '--to', 'wang', '--at', '2024-03-05 10:05']);
    step(['reply', no[2]!, '--via', 'phone', '--message', '已联系', '--at', '2024-03-05 10:20']);
    step(['close', no[2]!, '--resolution', '已道歉', '--at', '2024-03-06 10:00']);
    step(['survey', no[2]!, '--score', '2', '--at', '2024-03-07 10:00']);
    step(['reopen', no[2]!, '--reason', '客户不满意', '--at', '2024-03-08 10:00']);
    // li is a registered person (the people slice's commands are not in this branch: the row is written directly).
    withRaw(db, (raw) => raw.prepare("INSERT INTO people (login, name, role, unit, email, phone, position, retired) VALUES ('li', '李雷', 'handler', '物流部', NULL, NULL, 1, 0)").run());
  }, 120_000);

  it('counts each handler\'s closes, timeliness, satisfaction and reopens, with the registered name', () => {
    const r = runJson<Report>([...MARCH, '--by', 'person'], { db, env: AS_ROOT });
    const li = r.by_person.find((p) => p.assignee === 'li')!;
    const wang = r.by_person.find((p) => p.assignee === 'wang')!;
    expect(li).toMatchObject({ name: '李雷', closed: 2, satisfaction: { surveyed: 1, satisfied: 1, rate: 1 }, reopened: 0 });
    expect(wang).toMatchObject({ name: null, closed: 1, satisfaction: { surveyed: 1, satisfied: 0, rate: 0 }, reopened: 1 });
    expect(r.by_person.map((p) => p.assignee)).toEqual(['li', 'wang', null]);
    // li replied to the first within the hour and never to the second.
    expect(li.timeliness.first_reply).toEqual({ due: 2, met: 1, rate: 0.5 });
    // wang replied within the hour, and owes the reopened cycle's first reply, unanswered by the as-of time.
    expect(wang.timeliness.first_reply).toEqual({ due: 2, met: 1, rate: 0.5 });
  });

  it('agrees with the headline and by_unit: the handlers\' rows add up to them', () => {
    const r = runJson<Report>([...MARCH, '--by', 'person'], { db, env: AS_ROOT });
    const sum = (f: (p: PersonRow) => number): number => r.by_person.reduce((n, p) => n + f(p), 0);
    expect(sum((p) => p.closed)).toBe(r.closed);
    expect(sum((p) => p.reopened)).toBe(r.reopened);
    expect(sum((p) => p.satisfaction.surveyed)).toBe(r.satisfaction.surveyed);
    expect(sum((p) => p.timeliness.first_reply.due)).toBe(r.timeliness.first_reply.due);
    expect(sum((p) => p.timeliness.first_reply.met)).toBe(r.timeliness.first_reply.met);
    expect(sum((p) => p.timeliness.resolve.due)).toBe(r.timeliness.resolve.due);
    expect(sum((p) => p.timeliness.resolve.met)).toBe(r.timeliness.resolve.met);
    expect(r.by_unit.reduce((n, u) => n + u.closed, 0)).toBe(sum((p) => p.closed));
  });

  it('is left out of the report unless asked for', () => {
    const r = runJson<Report>(MARCH, { db, env: AS_ROOT });
    expect(r.by_person).toBeUndefined();
    expect(runCli(MARCH, { db, env: AS_ROOT }).stdout).not.toContain('By handler');
  });

  it('reads as a section in the table, Markdown, CSV and HTML, in English and Chinese', () => {
    const table = runOk([...MARCH, '--by', 'person'], { db, env: AS_ROOT }).stdout;
    expect(table).toContain('By handler');
    expect(table).toMatch(/li\s+│?\s*李雷/);
    const zh = runOk([...MARCH, '--by', '处理人', '--lang', 'zh-CN'], { db, env: AS_ROOT }).stdout;
    expect(zh).toContain('按处理人');
    expect(zh).toContain('办结及时率');
    expect(runOk([...MARCH, '--by', 'person', '--format', 'md'], { db, env: AS_ROOT }).stdout).toContain('## By handler');
    expect(runOk([...MARCH, '--by', 'person', '--format', 'html'], { db, env: AS_ROOT }).stdout).toContain('<h2>By handler</h2>');
    const csv = parseCsv(runOk([...MARCH, '--by', 'person', '--format', 'csv'], { db, env: AS_ROOT }).stdout.replace(/^\uFEFF/, ''));
    const title = csv.findIndex((row) => row[0] === 'By handler');
    expect(title).toBeGreaterThan(0);
    expect(csv[title + 2]!.slice(0, 3)).toEqual(['li', '李雷', '2']);
  });

  it('refuses a breakdown it does not know, naming the field and what it takes', () => {
    const r = runCli([...MARCH, '--by', 'persn'], { db, env: AS_ROOT });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--by');
    expect(r.stderr).toContain('person');
  });
});

describe('approvals in the report', () => {
  let db: string;

  beforeAll(async () => {
    db = tempDbPath();
    const nos = [0, 1, 2].map((i) => runJson<{ no: string }>([...logArgs(), '--received-at', `2024-03-0${4 + i} 10:00`], { db }).no);
    // The approvals slice writes these through its commands; here they go in through the store's
    // one writer, as those commands will, with the approval stage's deadline rows beside them.
    const store = await openStore(db);
    try {
      const event = async (n: string, kind: 'approval_requested' | 'approved' | 'approval_rejected', at: string, details: Record<string, unknown>): Promise<void> => {
        await store.transact(async (d) => {
          const existing = await loadTicket(d, n);
          await recordTicketChange(d, existing, existing.ticket, { kind, actor: 'root', at: local(at), recordedAt: local(at), details });
        });
      };
      const request = (compensation: number) => ({
        resolution: '赔偿', fault: null, root_cause: null, action: null, compensation, compensation_kind: 'cash', needs: 'manager', reasons: ['compensation'],
      });
      // 1: requested and approved by a manager the same day (within the stage); 2: approved by the
      // director two days late; 3: requested, rejected, requested again and still waiting at the end.
      await event(nos[0]!, 'approval_requested', '2024-03-11 10:00', request(800));
      await event(nos[0]!, 'approved', '2024-03-11 15:00', { note: null, rank: 'manager' });
      await event(nos[1]!, 'approval_requested', '2024-03-12 10:00', request(20000));
      await event(nos[1]!, 'approved', '2024-03-14 15:00', { note: null, rank: 'director' });
      await event(nos[2]!, 'approval_requested', '2024-03-13 10:00', request(300));
      await event(nos[2]!, 'approval_rejected', '2024-03-13 11:00', { reason: '金额不符' });
      await event(nos[2]!, 'approval_requested', '2024-03-29 10:00', request(300));
    } finally {
      await store.close();
    }
    withRaw(db, (raw) => {
      const id = (n: string): number => raw.prepare('SELECT id FROM tickets WHERE no = ?').pluck().get(n) as number;
      const add = raw.prepare("INSERT INTO deadlines (ticket_id, key, stage, cycle, due, done_at, void) VALUES (?, ?, 'approval', 1, ?, ?, 0)");
      add.run(id(nos[0]!), 'approval#1', local('2024-03-12 10:00'), local('2024-03-11 15:00'));
      add.run(id(nos[1]!), 'approval#1', local('2024-03-13 10:00'), local('2024-03-14 15:00'));
    });
  }, 120_000);

  it('counts the period\'s requests, approvals within the stage, rejections, the pending, and amounts by rank', () => {
    const r = runJson<Report>(MARCH, { db, env: AS_ROOT });
    expect(r.approvals).toEqual({
      requested: 4, approved: 2, approved_within_stage: 1, rejected: 1, pending_at_end: 1,
      amount_by_rank: { supervisor: 0, manager: 800, director: 20000 },
    });
  });

  it('counts only the period: the next month has nothing but what still waits', () => {
    const r = runJson<Report>(['report', '--month', '2024-04', '--as-of', '2024-05-15 09:00'], { db, env: AS_ROOT });
    expect(r.approvals).toEqual({
      requested: 0, approved: 0, approved_within_stage: 0, rejected: 0, pending_at_end: 1,
      amount_by_rank: { supervisor: 0, manager: 0, director: 0 },
    });
  });

  it('shows a section in the table and the other human formats, in English and Chinese', () => {
    const en = runOk(MARCH, { db, env: AS_ROOT }).stdout;
    expect(en).toContain('Approvals');
    expect(en).toMatch(/Approved within the approval stage\s+│?\s*1/);
    expect(en).toMatch(/Compensation approved by a director\s+│?\s*20,000\.00/);
    const zh = runOk([...MARCH, '--lang', 'zh-CN'], { db, env: AS_ROOT }).stdout;
    expect(zh).toMatch(/按时审批数\s+│?\s*1/);
    expect(zh).toContain('总监审批的赔偿金额');
    expect(runOk([...MARCH, '--format', 'md'], { db, env: AS_ROOT }).stdout).toContain('## Approvals');
    expect(runOk([...MARCH, '--format', 'html', '--lang', 'zh-CN'], { db, env: AS_ROOT }).stdout).toContain('<h2>办结审批</h2>');
  });

  it('has no section for people when there was no approval activity, and JSON says nought', () => {
    const quiet = tempDbPath();
    runOk([...logArgs(), '--received-at', '2024-03-04 10:00'], { db: quiet });
    expect(runOk(MARCH, { db: quiet }).stdout).not.toContain('Approvals');
    expect(runOk([...MARCH, '--format', 'md'], { db: quiet }).stdout).not.toContain('Approvals');
    expect(runJson<Report>(MARCH, { db: quiet }).approvals.requested).toBe(0);
  });
});
