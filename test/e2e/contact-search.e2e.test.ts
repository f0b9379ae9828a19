import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { openStore } from '../../src/store/store.js';
import { erasePersonalData, loadTicket } from '../../src/store/tickets.js';
import { logArgs, ROOT, runCli, runJson, runOk, TEMPLATE_EVENTS, tempDbPath, tempDir } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';

// Issue 12 items 2 and 5: a Chinese office's clerk types what the caller says, however the input
// method writes it, finds the caller again by phone or email, and hears of a complaint still open
// from the same caller before saving a second one.

const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
const zh = { LANG: 'zh_CN.UTF-8' };

interface Listed { total: number; tickets: { no: string }[] }
const numbers = (args: string[], db: string): string[] => runJson<Listed>(['list', ...args], { db }).tickets.map((t) => t.no).sort();

describe('a caller found by phone or email', () => {
  let db: string;

  beforeAll(() => {
    db = tempDbPath();
    // Full width from an input method, with the email in capitals.
    runOk([...logArgs({ name: '王芳', phone: '１３８００１３８０００', email: 'Wang.Fang@Example.CN', subject: '包裹未到' }), '--at', '2026-11-20 10:00'], { db });
    runOk([...logArgs({ name: '李雷', phone: '(010) 12345678', subject: '热水器漏水' }), '--at', '2026-11-20 11:00'], { db });
    runOk([...logArgs({ name: '张伟', phone: '+44 20 7946 0958', subject: 'Refund' }), '--at', '2026-11-20 12:00'], { db });
  });

  it('keeps each phone in its clean form', () => {
    const phones = ['C2026-00001', 'C2026-00002', 'C2026-00003'].map((no) => runJson<{ complainant: { phone: string } }>(['show', no], { db }).complainant.phone);
    expect(phones).toEqual(['13800138000', '010-12345678', '+44 20 7946 0958']);
  });

  it.each([
    ['13800138000', ['C2026-00001']],
    ['138 0013 8000', ['C2026-00001']],
    ['+86 138-0013-8000', ['C2026-00001']],
    ['１３８ ００１３ ８０００', ['C2026-00001']],
    ['0086 13800138000', ['C2026-00001']],
    ['010-12345678', ['C2026-00002']],
    ['+86 10 1234 5678', ['C2026-00002']],
    ['010 1234 5678 转 801', ['C2026-00002']],
    ['+44 (0)20 7946 0958', ['C2026-00003']],
    ['13900139000', []],
  ])('list --phone %s', (phone, found) => {
    expect(numbers(['--phone', phone], db)).toEqual(found);
  });

  it('list --search finds by phone, by email in any case, and still by words', () => {
    expect(numbers(['--search', '13800138000'], db)).toEqual(['C2026-00001']);
    expect(numbers(['--search', '138 0013 8000'], db)).toEqual(['C2026-00001']);
    expect(numbers(['--search', 'wang.fang@example.cn'], db)).toEqual(['C2026-00001']);
    expect(numbers(['--search', 'WANG.FANG@EXAMPLE.CN'], db)).toEqual(['C2026-00001']);
    expect(numbers(['--search', '热水器'], db)).toEqual(['C2026-00002']);
  });

  it('list --phone with no digits is refused naming what is accepted', () => {
    const r = runCli(['list', '--phone', 'none'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --phone: 'none' is not a phone number; ${en.phone_rule_form}\n`);
  });

  it('keeps the search keys out of the hashed event log', () => {
    const payloads = withRaw(db, (raw) => (raw.prepare('SELECT payload FROM events').pluck().all() as string[]).join('\n'));
    for (const leak of ['8613800138000', '13800138000', 'wang.fang@example.cn', '861012345678']) expect(payloads).not.toContain(leak);
    expect(runCli(['verify'], { db }).status).toBe(0);
  });
});

describe('the second complaint from a caller with one open', () => {
  it('says so on stderr before saving, in English, and saves it anyway', () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800138000' }), '--at', '2026-11-20 10:00'], { db });
    const r = runOk([...logArgs({ phone: '+86 138 0013 8000', subject: 'Still no parcel' }), '--at', '2026-11-21 09:00'], { db });
    expect(r.stderr).toBe(`${fill(en.open_same_contact, {
      contact: en.open_same_contact_phone,
      tickets: fill(en.open_same_contact_item, { no: 'C2026-00001', received: '2026-11-20 10:00' }),
    })}\n`);
    expect(r.stdout).toContain('Logged C2026-00002');
  });

  it('in Chinese, naming every open ticket of the same email', () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800138000', email: 'wang@example.cn' }), '--at', '2026-11-20 10:00'], { db });
    runOk([...logArgs({ phone: '13900139000', email: 'Wang@Example.cn' }), '--at', '2026-11-20 11:00'], { db });
    const r = runOk([...logArgs({ phone: '13700137000', email: 'WANG@example.cn' }), '--at', '2026-11-21 09:00'], { db, env: zh });
    const item = (no: string, received: string): string => fill(zhCN.open_same_contact_item, { no, received });
    expect(r.stderr).toBe(`${fill(zhCN.open_same_contact, {
      contact: zhCN.open_same_contact_email,
      tickets: [item('C2026-00002', '2026-11-20 11:00'), item('C2026-00001', '2026-11-20 10:00')].join(zhCN.item_separator),
    })}\n`);
  });

  it('log --json carries the numbers as open_same_contact, an empty list when there is none', () => {
    const db = tempDbPath();
    const first = runJson([...logArgs({ phone: '13800138000' }), '--at', '2026-11-20 10:00'], { db });
    expect(first.open_same_contact).toEqual([]);
    const second = runCli([...logArgs({ phone: '138-0013-8000' }), '--at', '2026-11-20 11:00', '--json'], { db });
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ no: 'C2026-00002', open_same_contact: ['C2026-00001'] });
    expect(second.stderr).toContain('C2026-00001');
  });

  it('says nothing but its error when the log is refused', () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800138000' }), '--at', '2026-11-20 10:00'], { db });
    const r = runCli([...logArgs({ phone: '13800138000' }), '--at', '2026-11-20 11:00', '--due', '2026-11-19 10:00'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --due/);
  });

  it('says nothing for another caller, or an anonymous one', () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800138000' }), '--at', '2026-11-20 10:00'], { db });
    expect(runOk([...logArgs({ phone: '13800138001' }), '--at', '2026-11-20 11:00'], { db }).stderr).toBe('');
    expect(runOk(['log', '--anonymous', '--channel', 'phone', '--category', 'delivery', '--subject', 'x', '--at', '2026-11-20 12:00'], { db }).stderr).toBe('');
  });
});

describe('erasing a person', () => {
  it('empties the search keys too: the caller is no longer found by phone or email', async () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800138000', email: 'wang@example.cn' }), '--at', '2026-11-20 10:00'], { db });
    expect(numbers(['--phone', '13800138000'], db)).toEqual(['C2026-00001']);
    const store = await openStore(db);
    try {
      await store.transact(async (d) => {
        await erasePersonalData(d, await loadTicket(d, 'C2026-00001'), { actor: 'dpo', at: Date.parse('2026-11-22T02:00:00Z'), recordedAt: Date.parse('2026-11-22T02:00:00Z'), reason: '客户要求删除个人信息' });
      });
    } finally {
      await store.close();
    }
    expect(withRaw(db, (raw) => raw.prepare('SELECT phone_key, email_key FROM tickets').all())).toEqual([{ phone_key: null, email_key: null }]);
    expect(numbers(['--phone', '13800138000'], db)).toEqual([]);
    expect(numbers(['--search', 'wang@example.cn'], db)).toEqual([]);
    // Nor does a new complaint from her number name the erased ticket.
    expect(runOk([...logArgs({ phone: '13800138000' }), '--at', '2026-11-22 11:00'], { db }).stderr).toBe('');
    expect(runCli(['verify'], { db }).status).toBe(0);
  });
});

describe("an office's file from the previous release", () => {
  let db: string;
  let verified: ReturnType<typeof runCli>;

  beforeAll(() => {
    db = join(tempDir(), 'office.db');
    writeFileSync(db, gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'storage-v2.db.gz'))));
    verified = runCli(['verify'], { db });
  }, 120_000);

  it('is upgraded to schema 6 and verifies green', () => {
    expect(verified.stderr).toContain(`upgraded ${db} from schema 4 to 7`);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(withRaw(db, (raw) => raw.pragma('user_version', { simple: true }))).toBe(7);
  });

  it('finds its callers by phone and email, however typed', () => {
    expect(numbers(['--phone', '+86 138 0013 8000'], db)).toEqual(['C2026-00041']);
    expect(numbers(['--phone', '131 2868 7867'], db)).toEqual(['C2026-00038']);
    expect(numbers(['--search', 'WANG@example.cn'], db)).toEqual(['C2026-00041']);
  });

  it('names its open ticket to the same caller, and not a closed one', () => {
    const open = runOk([...logArgs({ phone: '13800138000' }), '--at', '2026-11-24 10:00'], { db });
    expect(open.stderr).toMatch(/^Still open from the same phone: C2026-00041 \(received \d{4}-\d\d-\d\d \d\d:\d\d\)\n$/);
    const closed = runOk([...logArgs({ phone: '13128687867' }), '--at', '2026-11-24 10:05'], { db });
    expect(closed.stderr).toBe('');
    expect(runCli(['verify'], { db }).status).toBe(0);
  });
});

describe('Chinese input habits through the CLI', () => {
  it('full-width numbers, Chinese and slash dates, 元 and ¥ are read as meant', () => {
    const db = tempDbPath();
    const logged = runJson([...logArgs({ phone: '１３８００１３８０００', amount: '１，２３４．５元' }),
      '--received-at', '2026年11月20日 9点30分', '--at', '2026/11/20 10:00', '--due', '2026年11月27日'], { db });
    expect(logged).toMatchObject({
      no: 'C2026-00001', received_at: '2026-11-20T09:30:00+08:00', complainant: { phone: '13800138000' }, amount: 1234.5,
    });
    expect(runJson(['show', 'Ｃ２０２６－００００１'], { db })).toMatchObject({ no: 'C2026-00001' });
    expect(numbers(['--from', '2026年11月20日', '--to', '２０２６／１１／２１'], db)).toEqual(['C2026-00001']);
    expect(runJson([...logArgs({ phone: '13900139000', amount: '¥25' }), '--at', '2026-11-20 11:00'], { db })).toMatchObject({ amount: 25 });
  });

  it('a bad time or amount is refused naming the accepted forms, in Chinese too', () => {
    const db = tempDbPath();
    const time = runCli([...logArgs(), '--at', '2026年11月20日 下午3点'], { db, env: zh });
    expect(time.status).toBe(2);
    expect(time.stderr).toContain('YYYY年MM月DD日 HH:MM');
    const amount = runCli([...logArgs({ amount: '25美元' }), '--at', '2026-11-20 10:00'], { db });
    expect(amount.status).toBe(2);
    expect(amount.stderr).toBe(`error: ${fill(en.amount_not_yuan, { field: '--amount', value: '25美元' })}\n`);
  });

  it('1380013800 is refused with exit 2 naming the rule, and nothing is written', () => {
    const db = tempDbPath();
    const r = runCli([...logArgs({ phone: '1380013800' }), '--at', '2026-11-20 10:00'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --phone: '1380013800' is not a phone number; ${en.phone_rule_mobile}\n`);
    const events = (): unknown => withRaw(db, (raw) => raw.prepare('SELECT count(*) FROM events').pluck().get());
    expect(events()).toBe(TEMPLATE_EVENTS);
    const chinese = runCli([...logArgs({ phone: '1380013800' }), '--at', '2026-11-20 10:00'], { db, env: zh });
    expect(chinese.status).toBe(2);
    expect(chinese.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.bad_phone, { field: '--phone', value: '1380013800', rule: zhCN.phone_rule_mobile })}\n`);
    expect(events()).toBe(TEMPLATE_EVENTS);
    // After a ticket: still nothing written.
    runOk([...logArgs(), '--at', '2026-11-20 10:00'], { db });
    expect(runCli([...logArgs({ phone: '1380013800' }), '--at', '2026-11-20 11:00'], { db }).status).toBe(2);
    expect(runJson<Listed>(['list'], { db }).total).toBe(1);
    expect(events()).toBe(TEMPLATE_EVENTS + 1);
  });
});
