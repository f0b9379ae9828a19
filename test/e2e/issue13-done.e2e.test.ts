import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedOffice, type SharedOffice } from '../support/accounts.js';
import { withRaw } from '../support/sqlite.js';

// Issue 13's "done when", tried as a new user would: a shared machine with three real accounts (a
// clerk, a handler of 物流部, a director) working one group-shared office file, each running the
// built program as themselves (runuser; no COMPLAINTS_USER, no --as).

interface Ticket {
  no: string; status: string; closed_at: string | null;
  approval: { requested_by: string; amount: number; requested_at: string; state: string } | null;
}
interface Report { closed: number; compensation_total: number; timeliness: Record<string, { due: number; met: number; rate: number | null }> }

describe('issue 13, done when: a clerk, a handler of 物流部 and a director on one shared office', () => {
  let office: SharedOffice;
  let clerk: string;
  let handler: string;
  let director: string;
  const ok = (login: string, args: string[], lang?: string): string => {
    const r = office.runAs(login, args, lang === undefined ? {} : { lang });
    expect(r.status, `${login}: ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const json = <T>(login: string, args: string[]): T => JSON.parse(ok(login, [...args, '--json'])) as T;
  // Every event of the office, read as the file holds it (the test runs as root).
  const events = (): number => withRaw(office.db, (raw) => raw.prepare('SELECT count(*) FROM events').pluck().get() as number);

  beforeAll(() => {
    office = sharedOffice();
    clerk = office.account('clerk');
    handler = office.account('handler');
    director = office.account('director');
    // The director registers themselves first (and so becomes the office's director), then the office.
    ok(director, ['people', 'add', director, '--name', '王总', '--role', 'director']);
    ok(director, ['units', 'add', '物流部']);
    ok(director, ['people', 'add', clerk, '--name', '张敏', '--role', 'clerk']);
    ok(director, ['people', 'add', handler, '--name', '李雷', '--role', 'handler', '--unit', '物流部']);
  });
  afterAll(() => office?.remove());

  it('the clerk logs; the handler closes with 20 000 and sees it await approval; the director approves; the report counts it in the approval\'s month, within its stage', () => {
    // Friday 30 October 2026: logged in the morning, answered, closed with compensation at 16:00.
    ok(clerk, ['log', '--name', '赵女士', '--phone', '13800138000', '--channel', 'phone', '--category', 'delivery',
      '--subject', '包裹丢失要求赔偿', '--unit', '物流部', '--at', '2026-10-30 09:30', '--received-at', '2026-10-30 09:30', '--yes']);
    ok(handler, ['reply', 'C2026-00001', '--via', 'phone', '--message', '已致电客户核实', '--at', '2026-10-30 10:00']);
    const closing = office.runAs(handler, ['close', 'C2026-00001', '--resolution', '按货值赔偿', '--compensation', '20000',
      '--compensation-kind', 'cash', '--at', '2026-10-30 16:00']);
    expect(closing.status, closing.stderr).toBe(0);
    expect(closing.stdout).toContain('C2026-00001 awaits approval by a director');
    const pending = json<Ticket>(handler, ['show', 'C2026-00001']);
    expect(pending).toMatchObject({ status: 'in_progress', closed_at: null, approval: { requested_by: handler, amount: 20000, state: 'pending' } });
    // What awaits the director, in their list; nothing awaits the clerk.
    expect(ok(director, ['approvals'])).toContain('C2026-00001');
    expect(ok(director, ['approvals'], 'zh-CN')).toContain('C2026-00001');

    // Monday 2 November 10:00: within the approval stage (one working day from Friday 16:00).
    ok(director, ['approve', 'C2026-00001', '--note', '同意赔偿', '--at', '2026-11-02 10:00']);
    const closed = json<Ticket>(clerk, ['show', 'C2026-00001']);
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).toBe('2026-11-02T10:00:00+08:00');
    expect(closed.approval).toMatchObject({ state: 'approved' });

    const october = json<Report>(director, ['report', '--month', '2026-10', '--as-of', '2026-11-20 12:00']);
    const november = json<Report>(director, ['report', '--month', '2026-11', '--as-of', '2026-11-20 12:00']);
    expect(october.closed).toBe(0);
    expect(november.closed).toBe(1);
    expect(november.compensation_total).toBe(20000);
    expect(november.timeliness.approval).toEqual({ due: 1, met: 1, rate: 1 });
  });

  it('the clerk cannot close, approve or act as anyone, and nothing is written when refused', () => {
    ok(clerk, ['log', '--name', '钱先生', '--phone', '13900139000', '--channel', 'phone', '--category', 'delivery',
      '--subject', '快递延误', '--unit', '物流部', '--at', '2026-11-03 09:00', '--received-at', '2026-11-03 09:00', '--yes']);
    const before = events();
    const close = office.runAs(clerk, ['close', 'C2026-00002', '--resolution', '已处理', '--at', '2026-11-03 10:00']);
    expect(close).toMatchObject({ status: 1, stdout: '' });
    expect(close.stderr).toBe(`error: close needs the handler role or above; ${clerk} does not have it.\n`);
    const approve = office.runAs(clerk, ['approve', 'C2026-00001']);
    expect(approve.status).toBe(1);
    expect(approve.stderr).toContain('needs the supervisor role or above');
    const as = office.runAs(clerk, ['--as', director, 'note', 'C2026-00002', '--message', '代录']);
    expect(as.status).toBe(1);
    expect(as.stderr).toBe(`error: only a director may act for someone else: ${clerk} cannot act as ${director}.\n`);
    const zh = office.runAs(clerk, ['close', 'C2026-00002', '--resolution', '已处理'], { lang: 'zh-CN' });
    expect(zh.stderr).toBe(`错误：close 需要处理人或以上角色，${clerk} 没有此权限。\n`);
    expect(events()).toBe(before);
  });

  it('assign --unit 物流布 is refused with "did you mean 物流部", in either language, writing nothing', () => {
    const before = events();
    const en = office.runAs(director, ['assign', 'C2026-00002', '--unit', '物流布']);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain('did you mean 物流部?');
    const zh = office.runAs(director, ['assign', 'C2026-00002', '--unit', '物流布'], { lang: 'zh-CN' });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain('是不是要找物流部');
    expect(events()).toBe(before);
  });
});
