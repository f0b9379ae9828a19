import { afterEach, describe, expect, it } from 'vitest';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, runJson, runOk, tempDbPath } from '../support/cli.js';
import { KEY, startInTerminal, type Terminal } from '../support/pty.js';

// Issue 12 §5, seed 003 §5.2.3 复述给客户确认: at the read-back the clerk, with the complainant still
// on the line, may correct any field and read the ticket back again; only an explicit, confirmed
// Cancel (or Ctrl-C) throws the complaint away.

const AT = '2026-11-16 10:00';
const running: Terminal[] = [];
afterEach(() => {
  for (const t of running.splice(0)) t.kill();
});

const GIVEN = ['--name', 'Wang Fang', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery',
  '--subject', 'Parcel late', '--description', 'Not arrived', '--demand', 'Refund'];

function logInTerminal(db: string, extra: string[], env?: NodeJS.ProcessEnv): Terminal {
  const t = startInTerminal(['--db', db, 'log', '--at', AT, ...extra], env === undefined ? {} : { env });
  running.push(t);
  return t;
}

interface Shown {
  channel: string;
  category: string;
  severity: string;
  severity_suggested: string;
  amount: number | null;
  complainant: { phone: string | null };
  events: { kind: string }[];
}
interface Listed { total: number }

describe('correcting a field at the read-back', () => {
  it('the phone, refused when wrong, corrected, read back again and saved: one logged event', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general']);
    await term.waitFor('Please confirm with the complainant:');
    // Save, Correct a field, Cancel: Save is where the list starts.
    await term.answer('❯ Save', `${KEY.down}${KEY.enter}`);
    // The fields as entered, with what each holds: complainant, then phone.
    await term.waitFor('Which field?');
    await term.answer('Phone: 13800000000', `${KEY.down}${KEY.enter}`);
    // The line starts with the number as it is, to edit; the flag's own check applies.
    await term.waitFor('13800000000');
    term.type(`${KEY.backspace.repeat(9)}${KEY.enter}`);
    await term.waitFor("'13' is not a phone number");
    term.type(`900000000${KEY.enter}`);
    await term.waitFor('Please confirm with the complainant:');
    await term.waitFor(/Phone\s+13900000000/);
    await term.answer('❯ Save', KEY.enter);
    await term.waitFor('Logged C2026-00001.');
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);

    const ticket = runJson<Shown>(['show', 'C2026-00001'], { db });
    expect(ticket.complainant.phone).toBe('13900000000');
    expect(ticket.events.map((e) => e.kind)).toEqual(['logged']);
  }, 20_000);

  it('a choice field by its Chinese label (LANG=zh_CN.UTF-8): the field list and the choices speak Chinese, the code is stored', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general'], { LANG: 'zh_CN.UTF-8' });
    await term.waitFor(zhCN.readback_title);
    await term.answer(`❯ ${zhCN.readback_save}`, `${KEY.down}${KEY.enter}`);
    await term.waitFor(zhCN.readback_pick_field);
    // 投诉人, 电话, 电子邮件, 受理类型, 投诉渠道, 投诉类别: five down.
    await term.answer(`${zhCN.label_category}：${zhCN.list_category_delivery}`, `${KEY.down.repeat(5)}${KEY.enter}`);
    // The list starts on the category as it is (配送); 价格 is one up.
    await term.answer(`❯ ${zhCN.list_category_delivery}`, `${KEY.up}${KEY.enter}`);
    await term.waitFor(`✔ ${zhCN.prompt_category} ${zhCN.list_category_price}`);
    await term.waitFor(zhCN.readback_title);
    await term.waitFor(new RegExp(`${zhCN.label_category}\\s+${zhCN.list_category_price}`));
    await term.answer(`❯ ${zhCN.readback_save}`, KEY.enter);
    await term.waitFor('C2026-00001');
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);
    expect(screen).not.toMatch(/Save|Correct a field|Which field/);
    const ticket = runJson<Shown>(['show', 'C2026-00001'], { db });
    expect(ticket).toMatchObject({ category: 'price', channel: 'phone' });
    expect(ticket.events.map((e) => e.kind)).toEqual(['logged']);
  }, 20_000);

  it('a corrected amount asks the severity again with the new suggestion, as the first pass does', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '100']);
    await term.answer('❯ general (suggested)', KEY.enter);
    await term.answer('❯ Save', `${KEY.down}${KEY.enter}`);
    await term.waitFor('Which field?');
    // complainant, phone, email, type, channel, category, subject, description, demand, amount: nine down.
    await term.answer('Amount claimed: 100.00', `${KEY.down.repeat(9)}${KEY.enter}`);
    await term.waitFor('100.00');
    term.type(`${KEY.backspace.repeat(6)}600${KEY.enter}`);
    await term.answer('❯ important (suggested: amount ≥ 500)', KEY.enter);
    await term.waitFor(/Amount claimed\s+600\.00/);
    await term.waitFor(/Severity\s+important/);
    await term.answer('❯ Save', KEY.enter);
    await term.waitFor('Logged C2026-00001.');
    expect((await term.finished()).status).toBe(0);
    const ticket = runJson<Shown>(['show', 'C2026-00001'], { db });
    expect(ticket).toMatchObject({ amount: 600, severity: 'important', severity_suggested: 'important' });
  }, 20_000);
});

describe('cancelling at the read-back', () => {
  it('Cancel, then yes to discard: nothing written, exit 1, cancelled', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general']);
    await term.answer('❯ Save', `${KEY.down.repeat(2)}${KEY.enter}`);
    await term.answer('Discard this complaint? (y/N)', `y${KEY.enter}`);
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(1);
    expect(screen).toContain('error: cancelled: nothing was saved');
    expect(screen).not.toContain('Logged');
    expect(runJson<Listed>(['list'], { db }).total).toBe(0);
  }, 20_000);

  it('Cancel, then No (the default): back to the read-back, and Save still saves', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general']);
    await term.answer('❯ Save', `${KEY.down.repeat(2)}${KEY.enter}`);
    await term.answer('Discard this complaint? (y/N)', KEY.enter);
    await term.waitFor('Please confirm with the complainant:');
    await term.answer('❯ Save', KEY.enter);
    await term.waitFor('Logged C2026-00001.');
    expect((await term.finished()).status).toBe(0);
    expect(runJson<Listed>(['list'], { db }).total).toBe(1);
  }, 20_000);
});

describe('the same caller calling again (issue 12 §5)', () => {
  it("the open ticket's number is said before the read-back, while the caller is on the line, and not again after the save", async () => {
    const db = tempDbPath();
    runOk([...logArgs({ phone: '13800000000' }), '--received-at', '2026-11-13 09:00', '--at', '2026-11-13 09:05', '--yes'], { db });
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general']);
    // In this order: the notice, then the read-back.
    await term.waitFor('Still open from the same phone: C2026-00001 (received 2026-11-13 09:00)');
    await term.waitFor('Please confirm with the complainant:');
    await term.answer('❯ Save', KEY.enter);
    await term.waitFor('Logged C2026-00002.');
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);
    expect(screen.split('Still open from the same phone').length - 1).toBe(1);
  }, 20_000);
});

describe('a yes/no question in Chinese', () => {
  it('says what y and n mean in Chinese, and answers 是', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, [...GIVEN, '--amount', '0', '--severity', 'general'], { LANG: 'zh_CN.UTF-8' });
    await term.answer(`❯ ${zhCN.readback_save}`, `${KEY.down.repeat(2)}${KEY.enter}`);
    await term.answer(`${zhCN.readback_discard} (${zhCN.confirm_hint_default_no})`, `y${KEY.enter}`);
    await term.waitFor(`${zhCN.readback_discard} ${zhCN.answer_yes}`);
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(1);
    expect(screen).not.toMatch(/y\/N|Yes/);
    expect(runJson<Listed>(['list'], { db }).total).toBe(0);
  }, 20_000);
});
