import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';
import { fileDigest, withRaw } from '../support/sqlite.js';

// issue 13 §4 end to end: a close above the closer's approval limit waits for someone whose limit
// covers it, the approval stage is timed, and the close takes effect at the approval's time.
//
// The tests run as root. No `people` command is used here (another slice builds them): root is
// registered as the office's first person straight in the file, and the office's approval limits
// are set in the settings row `permissions limit` writes, so that root's own limit decides. The
// three-account test of the "done when" runs the real commands as real accounts.

const ROOT = { COMPLAINTS_USER: 'root' };

/** TEST SETUP, NOT THE PRODUCT'S WAY: registers root (the login running the tests) with `role`, as `people add` would. */
function registerRoot(db: string, role: string): void {
  withRaw(db, (raw) => raw.prepare(
    "INSERT INTO people (login, name, role, unit, email, phone, position, retired) VALUES ('root', 'Root', ?, NULL, NULL, NULL, 1, 0)",
  ).run(role));
}

/** TEST SETUP: an office setting as `permissions limit` / `permissions fault-confirm` store it (JSON). */
function setSetting(db: string, key: string, value: unknown): void {
  withRaw(db, (raw) => raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(key, JSON.stringify(value)));
}

/** An office where root is the director, its own limit 10 yuan: a close with 20 000 needs approval. */
function lowLimitOffice(): string {
  const db = tempDbPath();
  registerRoot(db, 'director');
  setSetting(db, 'approval_limits', { director: 1000 });
  return db;
}

/** A complaint of 物流部 logged Monday 2026-01-26 09:00 and replied to at 10:00 (update due Thursday 10:00, resolve Friday 18:00). */
function replied(db: string): string {
  const no = runJson<{ no: string }>([...logArgs({ unit: '物流部' }), '--yes', '--at', '2026-01-26 09:00'], { db, env: ROOT }).no;
  runOk(['reply', no, '--via', 'phone', '--message', 'looking into it', '--at', '2026-01-26 10:00'], { db, env: ROOT });
  return no;
}

const CLOSE_BIG = ['--resolution', 'refunded', '--compensation', '20000', '--compensation-kind', 'cash'];

interface TicketDoc {
  status: string;
  closed_at: string | null;
  resolution: string | null;
  compensation: { amount: number | null; kind: string | null } | null;
  approval: { requested_by: string; amount: number | null; requested_at: string; state: string; needs: string; decided_by: string | null; decided_at: string | null; note: string | null } | null;
  deadlines: Record<string, { due: string | null; done_at: string | null; state: string }>;
}

interface ReportDoc {
  closed: number;
  timeliness: Record<string, { due: number; met: number }>;
}

describe('a close above the limit awaits approval, goes overdue, and closes at the approval', () => {
  const db = lowLimitOffice();
  const no = replied(db);

  it('close: exit 0, says it awaits a director and when the approval stage is due; the ticket stays in progress', () => {
    const r = runCli(['close', no, ...CLOSE_BIG, '--at', '2026-01-27 10:00'], { db, env: ROOT });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`${no} awaits approval by a director (compensation ¥20,000.00); the approval stage is due 2026-01-28 10:00.`);
    const doc = runJson<TicketDoc>(['show', no, '--as-of', '2026-01-27 11:00'], { db, env: ROOT });
    expect(doc.status).toBe('in_progress');
    expect(doc.closed_at).toBeNull();
    expect(doc.approval).toMatchObject({ requested_by: 'root', amount: 20000, requested_at: '2026-01-27T10:00:00+08:00', state: 'pending', needs: 'director' });
    expect(doc.deadlines.resolve).toMatchObject({ done_at: '2026-01-27T10:00:00+08:00', state: 'met' });
    expect(doc.deadlines.approval).toMatchObject({ due: '2026-01-28T10:00:00+08:00', done_at: null, state: 'pending' });
  });

  it('a second close is refused while it awaits (exit 1, naming approve and reject), and writes nothing', () => {
    const before = fileDigest(db);
    const r = runCli(['close', no, '--resolution', 'again', '--at', '2026-01-27 11:00'], { db, env: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${no} awaits approval by a director or above`);
    expect(r.stderr).toContain(`complaints approve ${no}`);
    expect(r.stderr).toContain(`complaints reject ${no} --reason`);
    expect(fileDigest(db)).toBe(before);
  });

  it('approve by someone whose limit does not cover it: exit 1 naming the rank, nothing written; it is not in their approvals', () => {
    const before = fileDigest(db);
    const r = runCli(['approve', no, '--at', '2026-01-27 12:00'], { db, env: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`error: approve ${no}: this needs a director or above whose approval limit covers it; root may not decide it.`);
    expect(fileDigest(db)).toBe(before);
    expect(runOk(['approvals'], { db, env: ROOT }).stdout.trim()).toBe('Nothing awaits your approval.');
  });

  it('the approval stage shows in overdue once late', () => {
    const early = runJson<{ tickets: { no: string; stages: { stage: string }[] }[] }>(['overdue', '--as-of', '2026-01-28 09:00'], { db, env: ROOT });
    expect(early.tickets).toEqual([]);
    const late = runJson<{ tickets: { no: string; stages: { stage: string; due: string; state: string }[] }[] }>(['overdue', '--as-of', '2026-01-28 11:00'], { db, env: ROOT });
    expect(late.tickets.map((t) => t.no)).toEqual([no]);
    expect(late.tickets[0]!.stages).toEqual([{ stage: 'approval', due: '2026-01-28T10:00:00+08:00', late_by_minutes: 60, state: 'overdue' }]);
  });

  it('with the limit raised it is listed for the director, late', () => {
    setSetting(db, 'approval_limits', { director: null });
    const list = runJson<Record<string, unknown>[]>(['approvals'], { db, env: ROOT });
    expect(list).toEqual([{
      no, unit: '物流部', amount: 20000, needs: 'director', reasons: ['compensation'], requested_by: 'root',
      requested_at: '2026-01-27T10:00:00+08:00', due: '2026-01-28T10:00:00+08:00', late: true,
    }]);
    const table = runOk(['approvals'], { db, env: ROOT }).stdout;
    expect(table).toContain(no);
    expect(table).toContain('20000.00');
    expect(table).toContain('missed');
  });

  it('approve: the close takes effect at the approval time, in the next month; the approval stage missed', () => {
    const r = runOk(['approve', no, '--note', 'agreed with finance', '--at', '2026-02-02 10:00'], { db, env: ROOT });
    expect(r.stdout.trim()).toBe(`${no} approved; closed at 2026-02-02 10:00. Callback (survey) due by 2026-02-03 10:00.`);
    const doc = runJson<TicketDoc>(['show', no, '--as-of', '2026-02-02 11:00'], { db, env: ROOT });
    expect(doc.status).toBe('closed');
    expect(doc.closed_at).toBe('2026-02-02T10:00:00+08:00');
    expect(doc.resolution).toBe('refunded');
    expect(doc.compensation).toEqual({ amount: 20000, kind: 'cash' });
    expect(doc.approval).toMatchObject({ state: 'approved', decided_by: 'root', decided_at: '2026-02-02T10:00:00+08:00', note: 'agreed with finance' });
    expect(doc.deadlines.approval).toMatchObject({ done_at: '2026-02-02T10:00:00+08:00', state: 'missed' });
    expect(doc.deadlines.resolve).toMatchObject({ done_at: '2026-01-27T10:00:00+08:00', state: 'met' });
    expect(doc.deadlines.callback).toMatchObject({ due: '2026-02-03T10:00:00+08:00' });
    expect(runOk(['approvals'], { db, env: ROOT }).stdout.trim()).toBe('Nothing awaits your approval.');
  });

  it("the monthly report counts the close in the approval's month, and the approval stage as missed in the month it was due", () => {
    const jan = runJson<ReportDoc>(['report', '--month', '2026-01'], { db, env: ROOT });
    const feb = runJson<ReportDoc>(['report', '--month', '2026-02'], { db, env: ROOT });
    expect(jan.closed).toBe(0);
    expect(feb.closed).toBe(1);
    expect(jan.timeliness.approval).toMatchObject({ due: 1, met: 0 });
  });

  it('show says it in words, and its events are on the timeline', () => {
    const out = runOk(['show', no, '--as-of', '2026-02-02 11:00'], { db, env: ROOT }).stdout;
    expect(out).toMatch(/Approval\s+approved by root at 2026-02-02 10:00 — agreed with finance/);
    expect(out).toContain('close awaits approval');
    expect(out).toContain('why: compensation above the closer\'s limit');
    expect(out).toContain('needs: director');
    expect(out).toContain('rank: director');
    expect(out).toMatch(/approval\s+│ 2026-01-28 10:00 │ 2026-02-02 10:00 │ missed/);
  });

  it('the log agrees with the file', () => {
    expect(runCli(['verify'], { db, env: ROOT }).status).toBe(0);
  });
});

describe('approved within its stage', () => {
  it("counts as met in the report's timeliness, and the close in that month", () => {
    const db = lowLimitOffice();
    const no = replied(db);
    runOk(['close', no, ...CLOSE_BIG, '--at', '2026-01-27 10:00'], { db, env: ROOT });
    setSetting(db, 'approval_limits', { director: null });
    runOk(['approve', no, '--at', '2026-01-27 15:00'], { db, env: ROOT });
    const jan = runJson<ReportDoc>(['report', '--month', '2026-01'], { db, env: ROOT });
    expect(jan.closed).toBe(1);
    expect(jan.timeliness.approval).toMatchObject({ due: 1, met: 1 });
    expect(runJson<TicketDoc>(['show', no], { db, env: ROOT }).closed_at).toBe('2026-01-27T15:00:00+08:00');
  });
});

describe('rejected: back to the handler', () => {
  const db = lowLimitOffice();
  const no = replied(db);
  // Root's own limit 1 000 yuan: the 20 000 asks, a 500 closes alone; raised to decide, as a director above it would.
  setSetting(db, 'approval_limits', { director: 100_000 });
  runOk(['close', no, ...CLOSE_BIG, '--at', '2026-01-27 10:00'], { db, env: ROOT });
  setSetting(db, 'approval_limits', { director: null });

  it('reject --reason: says so, the ticket is open with the close withdrawn and the resolve deadline owed again', () => {
    const r = runOk(['reject', no, '--reason', 'offer a voucher instead', '--at', '2026-01-27 11:00'], { db, env: ROOT });
    expect(r.stdout.trim()).toBe(`${no} returned to its handler; the close must be made again (resolve due 2026-01-30 18:00).`);
    const doc = runJson<TicketDoc>(['show', no, '--as-of', '2026-01-27 12:00'], { db, env: ROOT });
    expect(doc.status).toBe('in_progress');
    expect(doc.resolution).toBeNull();
    expect(doc.compensation).toBeNull();
    expect(doc.approval).toMatchObject({ state: 'rejected', decided_by: 'root', note: 'offer a voucher instead', amount: 20000 });
    expect(doc.deadlines.resolve).toMatchObject({ due: '2026-01-30T18:00:00+08:00', done_at: null, state: 'pending' });
    expect(doc.deadlines.approval).toMatchObject({ done_at: '2026-01-27T11:00:00+08:00', state: 'met' });
    const out = runOk(['show', no, '--as-of', '2026-01-27 12:00'], { db, env: ROOT }).stdout;
    expect(out).toMatch(/Approval\s+rejected by root at 2026-01-27 11:00: offer a voucher instead/);
    expect(out).toContain('approval rejected');
  });

  it('the resolve deadline, owed again, goes overdue when it passes', () => {
    const late = runJson<{ tickets: { no: string; stages: { stage: string }[] }[] }>(['overdue', '--as-of', '2026-01-30 19:00'], { db, env: ROOT });
    expect(late.tickets[0]?.stages.map((s) => s.stage)).toContain('resolve');
  });

  it('a reject or approve with nothing pending is refused (exit 1)', () => {
    const r = runCli(['approve', no, '--at', '2026-01-27 12:00'], { db, env: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${no} has no close awaiting approval`);
    expect(runCli(['reject', no, '--reason', 'x', '--at', '2026-01-27 12:00'], { db, env: ROOT }).status).toBe(1);
  });

  it('a later close asks again, timed afresh; one within the limit closes at once', () => {
    setSetting(db, 'approval_limits', { director: 100_000 });
    const again = runJson<TicketDoc>(['close', no, ...CLOSE_BIG, '--at', '2026-01-28 10:00'], { db, env: ROOT });
    expect(again.approval).toMatchObject({ state: 'pending', requested_at: '2026-01-28T10:00:00+08:00' });
    expect(again.deadlines.approval).toMatchObject({ due: '2026-01-29T10:00:00+08:00', done_at: null });
    setSetting(db, 'approval_limits', { director: null });
    runOk(['reject', no, '--reason', 'still too much', '--at', '2026-01-28 11:00'], { db, env: ROOT });
    setSetting(db, 'approval_limits', { director: 100_000 });
    const closed = runJson<TicketDoc>(['close', no, '--resolution', 'voucher', '--compensation', '500', '--compensation-kind', 'goods', '--at', '2026-01-28 12:00'], { db, env: ROOT });
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).toBe('2026-01-28T12:00:00+08:00');
    expect(runCli(['verify'], { db, env: ROOT }).status).toBe(0);
  });
});

describe('a customer-fault finding re-confirmed (seed 001), when the office turns it on', () => {
  it('a supervisor closing --fault customer waits for a manager; the supervisor may not approve it', () => {
    const db = tempDbPath();
    registerRoot(db, 'supervisor');
    setSetting(db, 'fault_confirm', 'manager');
    const no = replied(db);
    const r = runOk(['close', no, '--resolution', 'misuse', '--fault', 'customer', '--at', '2026-01-27 10:00'], { db, env: ROOT });
    expect(r.stdout.trim()).toBe(`${no} awaits approval by a manager (customer at fault, to be re-confirmed); the approval stage is due 2026-01-28 10:00.`);
    const doc = runJson<TicketDoc>(['show', no], { db, env: ROOT });
    expect(doc.approval).toMatchObject({ amount: null, needs: 'manager', state: 'pending' });
    const refused = runCli(['approve', no, '--at', '2026-01-27 11:00'], { db, env: ROOT });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('needs a manager or above');
    expect(runJson<unknown[]>(['approvals'], { db, env: ROOT })).toEqual([]);
    // A close of another fault needs no one.
    const other = replied(db);
    expect(runJson<TicketDoc>(['close', other, '--resolution', 'our fault', '--fault', 'company', '--at', '2026-01-27 10:00'], { db, env: ROOT }).status).toBe('closed');
  });
});

describe('a single-person office (nobody registered) asks nobody', () => {
  it('a close with any compensation takes effect at once, as before', () => {
    const db = tempDbPath();
    const no = replied(db);
    const doc = runJson<TicketDoc>(['close', no, ...CLOSE_BIG, '--at', '2026-01-27 10:00'], { db, env: ROOT });
    expect(doc.status).toBe('closed');
    expect(doc.approval).toBeNull();
    expect(runOk(['approvals'], { db, env: ROOT }).stdout.trim()).toBe('Nothing awaits your approval.');
  });
});

describe('in Chinese', () => {
  const zh = { ...ROOT, LANG: 'zh_CN.UTF-8' };
  it('the request, the refusals, the list and show speak Chinese', () => {
    const db = lowLimitOffice();
    const no = replied(db);
    const r = runOk(['--lang', 'zh-CN', 'close', no, ...CLOSE_BIG, '--at', '2026-01-27 10:00'], { db, env: zh });
    expect(r.stdout.trim()).toBe(`${no} 已提交总监审批（赔偿 ¥20,000.00），须于 2026-01-28 10:00 前审批。`);
    const again = runCli(['--lang', 'zh-CN', 'close', no, '--resolution', '再办', '--at', '2026-01-27 11:00'], { db, env: zh });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${no} 的办结正等待总监或以上审批`);
    const refused = runCli(['--lang', 'zh-CN', 'approve', no, '--at', '2026-01-27 11:00'], { db, env: zh });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`approve ${no}：须由总监或以上、且审批额度足以覆盖该赔偿的人员审批；root 无权审批。`);
    expect(runOk(['--lang', 'zh-CN', 'approvals'], { db, env: zh }).stdout.trim()).toBe('没有等待您审批的办结。');
    const shown = runOk(['--lang', 'zh-CN', 'show', no, '--as-of', '2026-01-27 12:00'], { db, env: zh }).stdout;
    expect(shown).toMatch(/审批\s+待总监或以上审批（root 于 2026-01-27 10:00 提交）/);
    expect(shown).toContain('办结已提交审批');
    expect(shown).toContain('赔偿金额超出办结人的审批权限');
    setSetting(db, 'approval_limits', { director: null });
    const list = runOk(['--lang', 'zh-CN', 'approvals'], { db, env: zh }).stdout;
    expect(list).toContain('提交人');
    expect(list).toContain('总监');
    const ok = runOk(['--lang', 'zh-CN', 'approve', no, '--at', '2026-01-27 15:00'], { db, env: zh });
    expect(ok.stdout.trim()).toBe(`${no} 审批同意，于 2026-01-27 15:00 办结。请在 2026-01-28 15:00 前回访（满意度调查）。`);
    expect(runOk(['--lang', 'zh-CN', 'show', no], { db, env: zh }).stdout).toMatch(/审批\s+root 于 2026-01-27 15:00 审批同意/);
  });
});
