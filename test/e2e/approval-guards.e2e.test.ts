import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';

// The review of issue 13 found four ways round its rules; each is closed here. The test runs as
// root, registered as the office's director, and plays the other roles by re-registering root
// (another director, boss, keeps the office managed meanwhile).

const AT = ['--at', '2026-11-02 10:00'];
// Who acts is the login (root), not the suite's usual COMPLAINTS_USER.
const env = { COMPLAINTS_USER: '' };
const events = (db: string): number => withRaw(db, (raw) => raw.prepare('SELECT count(*) FROM events').pluck().get() as number);

function office(): string {
  const db = tempDbPath();
  runOk(['people', 'add', 'root', '--name', '王总', '--role', 'director'], { db, env });
  runOk(['people', 'add', 'boss', '--name', '赵总', '--role', 'director'], { db, env });
  runOk(['units', 'add', '物流部'], { db, env });
  runOk(['units', 'add', '客服部'], { db, env });
  runOk([...logArgs({ unit: '物流部', phone: '13812348000' }), '--at', '2026-11-02 09:00', '--received-at', '2026-11-02 09:00'], { db, env });
  return db;
}
const become = (db: string, role: string, unit: string | null): void => {
  withRaw(db, (raw) => raw.prepare('UPDATE people SET role = ?, unit = ? WHERE login = ?').run(role, unit, 'root'));
};

describe('looking up a caller by a number is reading it', () => {
  it('finds a ticket by its phone only for those who may see it: the unit, supervisors and above', () => {
    const db = office();
    const found = (): string[] => runJson<{ tickets: { no: string }[] }>(['list', '--phone', '13812348000'], { db, env }).tickets.map((t) => t.no);
    expect(found()).toEqual(['C2026-00001']);
    become(db, 'clerk', '客服部');
    // The masked 138****8000 cannot be completed by guessing, one list at a time.
    expect(found()).toEqual([]);
    expect(runJson<{ tickets: unknown[] }>(['list', '--search', '8000'], { db, env }).tickets).toEqual([]);
    become(db, 'clerk', '物流部');
    expect(found()).toEqual(['C2026-00001']);
    become(db, 'supervisor', null);
    expect(found()).toEqual(['C2026-00001']);
  });
});

describe('a close with goods or a service needs their value once there are limits', () => {
  it('is refused without --compensation in an office with people, writing nothing; a single-person office closes as before', () => {
    const db = office();
    become(db, 'handler', '物流部');
    const before = events(db);
    const r = runCli(['close', 'C2026-00001', '--resolution', '换新', '--compensation-kind', 'goods', ...AT], { db, env });
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: 'error: --compensation-kind goods needs --compensation AMOUNT\n' });
    expect(events(db)).toBe(before);
    const alone = tempDbPath();
    runOk([...logArgs(), '--at', '2026-11-02 09:00', '--received-at', '2026-11-02 09:00'], { db: alone, env });
    runOk(['close', 'C2026-00001', '--resolution', '换新', '--compensation-kind', 'goods', ...AT], { db: alone, env });
  });
});

describe('the approval stage is the approvals\'', () => {
  it('is not met with done (exit 1), nor moved or retired (exit 2), and nothing is written', () => {
    const db = office();
    const before = events(db);
    expect(runCli(['done', 'C2026-00001', 'approval', ...AT], { db, env })).toMatchObject({
      status: 1, stderr: 'error: stage: an approval is decided with complaints approve C2026-00001, or returned with complaints reject C2026-00001 --reason …; it is not met with done\n',
    });
    expect(runCli(['stages', 'set', 'approval', '--start', 'reply'], { db, env })).toMatchObject({
      status: 2, stderr: 'error: --start: the approval stage starts when a close awaits approval; change its --sla, --clock or labels instead\n',
    });
    expect(runCli(['--lang', 'zh-CN', 'stages', 'retire', 'approval'], { db, env })).toMatchObject({
      status: 2, stderr: '错误：审批环节用于计算办结审批的期限，不能撤销；可更改其 --sla\n',
    });
    expect(events(db)).toBe(before);
    // Its duration is the office's to change.
    runOk(['stages', 'set', 'approval', '--sla', '3wd'], { db, env });
  });
});

describe('the handler appraisal counts a close under whoever handled it', () => {
  it('makes the closer the handler of a ticket that named none, so report --by person has them', () => {
    const db = office();
    become(db, 'handler', '物流部');
    runOk(['close', 'C2026-00001', '--resolution', '已送达', ...AT], { db, env });
    expect(runJson<{ assignee: string }>(['show', 'C2026-00001'], { db, env }).assignee).toBe('root');
    const report = runJson<{ by_person: { assignee: string; name: string; closed: number }[] }>(['report', '--month', '2026-11', '--as-of', '2026-11-20 12:00', '--by', 'person'], { db, env });
    expect(report.by_person).toEqual([expect.objectContaining({ assignee: 'root', name: '王总', closed: 1 })]);
  });
});

describe('a ticket goes to a registered person who can act on it', () => {
  it('takes a login or a registered name for --to, stores the login, and refuses a stranger or another unit\'s handler, writing nothing', () => {
    const db = office();
    runOk(['people', 'add', 'lilei', '--name', '李雷', '--role', 'handler', '--unit', '物流部'], { db, env });
    runOk(['people', 'add', 'hanmei', '--name', '韩梅梅', '--role', 'handler', '--unit', '客服部'], { db, env });
    runOk(['assign', 'C2026-00001', '--unit', '物流部', '--to', '李雷', ...AT], { db, env });
    expect(runJson<{ assignee: string }>(['show', 'C2026-00001'], { db, env }).assignee).toBe('lilei');
    const before = events(db);
    expect(runCli(['assign', 'C2026-00001', '--unit', '物流部', '--to', 'lilie', ...AT], { db, env })).toMatchObject({
      status: 2, stderr: "error: --to: 'lilie' is not a registered person of this office; did you mean lilei?\n",
    });
    expect(runCli(['--lang', 'zh-CN', 'assign', 'C2026-00001', '--unit', '物流部', '--to', 'hanmei', ...AT], { db, env })).toMatchObject({
      status: 2, stderr: '错误：--to：韩梅梅（hanmei）处理客服部的投诉单，不处理物流部的；请指定物流部的人员或主管。\n',
    });
    expect(runCli([...logArgs({ unit: '物流部', to: '张三' }), ...AT], { db, env }).status).toBe(2);
    expect(events(db)).toBe(before);
  });
});
