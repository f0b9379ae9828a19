import { beforeAll, describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, tempDbPath } from '../support/cli.js';
import { fileDigest, withRaw } from '../support/sqlite.js';

// Issue 13 §5 (seed 003 §5.3.2, seed 001 保密性): a complainant's phone, email and address are shown
// masked to people outside the ticket's unit below supervisor; `show --reveal` shows them and
// records that it did.
//
// The test runs as root. This branch does not have the `people` commands yet (the people slice
// builds them), so the people are written straight into the file's `people` table, and root's own
// row is rewritten before each step to play the clerk, the handler or the supervisor: who is
// acting comes from the operating-system login, and only the row says what that login is. A second
// person (a director) keeps the office "with people" throughout.

const AS_ROOT = { COMPLAINTS_USER: '' };

function register(db: string): void {
  withRaw(db, (raw) => {
    const add = raw.prepare('INSERT INTO people (login, name, role, unit, email, phone, position, retired) VALUES (?, ?, ?, ?, NULL, NULL, ?, 0)');
    add.run('root', '根', 'clerk', '客服部', 1);
    add.run('zhao', '赵总', 'director', null, 2);
  });
}

/** Root's row says it is `role` of `unit` from now on. */
function playAs(db: string, role: string, unit: string | null): void {
  withRaw(db, (raw) => raw.prepare('UPDATE people SET role = ?, unit = ? WHERE login = ?').run(role, unit, 'root'));
}

const run = (db: string, args: string[], lang = 'en') => runCli([...args, '--lang', lang], { db, env: AS_ROOT });
const json = <T = Record<string, unknown>>(db: string, args: string[]) => runJson<T>(args, { db, env: AS_ROOT });

interface Complainant { name: string; phone: string | null; email: string | null; address: string | null; masked?: boolean }

describe('contact details on a need-to-know basis', () => {
  let db: string;
  let first: string;
  let second: string;

  beforeAll(() => {
    db = tempDbPath();
    // Logged while the office is still a single-person office.
    first = runJson<{ no: string }>([...logArgs({ name: '张三', phone: '138 0013 8000', email: 'zhangsan@example.com', address: '上海市浦东新区世纪大道100号', unit: '物流部' }), '--received-at', '2024-03-04 10:00'], { db }).no;
    second = runJson<{ no: string }>([...logArgs({ name: '李四', phone: '021-6888 8888', unit: '物流部' }), '--received-at', '2024-03-04 11:00'], { db }).no;
    register(db);
  }, 60_000);

  it('shows them in clear in a single-person office, as before', () => {
    const single = tempDbPath();
    const no = runJson<{ no: string }>([...logArgs({ phone: '13800138000', email: 'li@example.com', unit: '物流部' }), '--received-at', '2024-03-04 10:00'], { db: single }).no;
    const doc = runJson<{ complainant: Complainant }>(['show', no], { db: single });
    expect(doc.complainant).toMatchObject({ phone: '13800138000', email: 'li@example.com' });
    expect(doc.complainant.masked).toBeUndefined();
  });

  it('masks them for a clerk of another unit, in the ticket view and in JSON', () => {
    playAs(db, 'clerk', '客服部');
    const shown = run(db, ['show', first]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('138****8000');
    expect(shown.stdout).toContain('z***@example.com');
    expect(shown.stdout).toContain('上海市浦东****');
    expect(shown.stdout).toContain('张三');
    expect(shown.stdout).not.toContain('13800138000');
    expect(shown.stdout).not.toContain('zhangsan@');
    expect(shown.stdout).toContain(`complaints show ${first} --reveal`);
    const doc = json<{ complainant: Complainant }>(db, ['show', first]);
    expect(doc.complainant).toEqual({
      name: '张三', anonymous: false, phone: '138****8000', email: 'z***@example.com', address: '上海市浦东****', org: null, masked: true,
    });
  });

  it('masks every ticket of another unit in list --json, a landline keeping its area code', () => {
    playAs(db, 'clerk', '客服部');
    const listed = json<{ tickets: { no: string; complainant: Complainant }[] }>(db, ['list']);
    expect(listed.tickets.map((t) => [t.no, t.complainant.phone, t.complainant.masked])).toEqual([
      [second, '021-****8888', true],
      [first, '138****8000', true],
    ]);
  });

  it('shows them to a handler of the ticket\'s unit, and to a supervisor of any unit', () => {
    playAs(db, 'handler', '物流部');
    const handler = json<{ complainant: Complainant }>(db, ['show', first]);
    expect(handler.complainant).toMatchObject({ phone: '13800138000', email: 'zhangsan@example.com', address: '上海市浦东新区世纪大道100号' });
    expect(handler.complainant.masked).toBeUndefined();
    playAs(db, 'handler', '客服部');
    expect(json<{ complainant: Complainant }>(db, ['show', first]).complainant.phone).toBe('138****8000');
    playAs(db, 'supervisor', '客服部');
    const supervisor = json<{ tickets: { complainant: Complainant }[] }>(db, ['list']);
    expect(supervisor.tickets.map((t) => t.complainant.phone)).toEqual(['021-68888888', '13800138000']);
  });

  it('says the same in Chinese', () => {
    playAs(db, 'clerk', '客服部');
    const shown = run(db, ['show', first], 'zh-CN');
    expect(shown.stdout).toContain('138****8000');
    expect(shown.stdout).toContain(`已脱敏（电话、邮箱、地址）：${first} 不属于您所在的责任单位。如需查看完整信息，请用 complaints show ${first} --reveal`);
  });

  it('names only what is masked, and offers --reveal only to a registered reader', () => {
    playAs(db, 'clerk', '客服部');
    expect(run(db, ['show', second]).stdout).toContain(`Masked (phone): ${second} is not your unit's ticket. complaints show ${second} --reveal shows them`);
    // root unregistered for a moment: it may read, masked, and is not offered what it would be refused.
    withRaw(db, (raw) => raw.prepare("UPDATE people SET login = 'root-away' WHERE login = 'root'").run());
    try {
      const shown = run(db, ['show', second]).stdout;
      expect(shown).toContain(`Masked (phone): ${second} is not your unit's ticket.`);
      expect(shown).not.toContain('--reveal');
    } finally {
      withRaw(db, (raw) => raw.prepare("UPDATE people SET login = 'root' WHERE login = 'root-away'").run());
    }
  });

  it('show --reveal shows them in clear to the clerk and records which it revealed', () => {
    playAs(db, 'clerk', '客服部');
    const before = eventsOf(db, 'personal_data_revealed');
    const doc = json<{ complainant: Complainant; events: { kind: string; actor: string; details: { fields: string[] } }[] }>(db, ['show', first, '--reveal']);
    expect(doc.complainant).toMatchObject({ phone: '13800138000', email: 'zhangsan@example.com', address: '上海市浦东新区世纪大道100号' });
    expect(doc.complainant.masked).toBeUndefined();
    expect(eventsOf(db, 'personal_data_revealed')).toBe(before + 1);
    const revealed = doc.events.at(-1)!;
    expect(revealed).toMatchObject({ kind: 'personal_data_revealed', actor: 'root', details: { fields: ['phone', 'email', 'address'] } });
    // Shown on the timeline, in both languages.
    expect(run(db, ['show', first, '--reveal']).stdout).toContain('contact details revealed');
    expect(run(db, ['show', first, '--reveal'], 'zh-CN').stdout).toContain('查看完整联系方式');
    expect(runCli(['verify'], { db, env: AS_ROOT }).status).toBe(0);
  });

  it('show --reveal records nothing when nothing was masked for the reader', () => {
    playAs(db, 'handler', '物流部');
    const before = eventsOf(db, 'personal_data_revealed');
    const digest = fileDigest(db);
    expect(run(db, ['show', second, '--reveal']).stdout).toContain('021-68888888');
    expect(eventsOf(db, 'personal_data_revealed')).toBe(before);
    expect(fileDigest(db)).toBe(digest);
  });

  it('show --reveal is refused to a login that is not registered, which sees them masked', () => {
    withRaw(db, (raw) => raw.prepare("UPDATE people SET login = 'someone' WHERE login = 'root'").run());
    try {
      const digest = fileDigest(db);
      const refused = run(db, ['show', first, '--reveal']);
      expect(refused.status).toBe(1);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(fileDigest(db)).toBe(digest);
      expect(json<{ complainant: Complainant }>(db, ['show', first]).complainant.phone).toBe('138****8000');
    } finally {
      withRaw(db, (raw) => raw.prepare("UPDATE people SET login = 'root' WHERE login = 'someone'").run());
    }
  });
});

function eventsOf(db: string, kind: string): number {
  return withRaw(db, (raw) => raw.prepare('SELECT count(*) FROM events WHERE kind = ?').pluck().get(kind) as number);
}
