import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, missingDbPath, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';

// Issue 12 §1: the office speaks Chinese when its locale, COMPLAINTS_LANG or --lang says so; cron's
// C.UTF-8 says nothing. The expected lines come from the catalogues themselves.

const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
const LOG = [...logArgs(), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'];

describe('the language a command speaks', () => {
  it('a Chinese locale: the receipt line in Chinese', () => {
    const r = runOk(LOG, { db: tempDbPath(), env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.stdout.split('\n')[0]).toBe(fill(zhCN.logged, { no: 'C2026-00001' }));
    expect(r.stdout).toMatch(/[\u4e00-\u9fff]/);
  });

  it("cron's C.UTF-8 says nothing: English", () => {
    const r = runOk(LOG, { db: tempDbPath(), env: { LANG: 'C.UTF-8' } });
    expect(r.stdout.split('\n')[0]).toBe(fill(en.logged, { no: 'C2026-00001' }));
  });

  it('COMPLAINTS_LANG over an English locale, and --lang over both', () => {
    const db = tempDbPath();
    const zh = runOk(LOG, { db, env: { LANG: 'en_US.UTF-8', COMPLAINTS_LANG: 'zh-CN' } });
    expect(zh.stdout.split('\n')[0]).toBe(fill(zhCN.logged, { no: 'C2026-00001' }));
    const english = runOk(['--lang', 'en', ...LOG], { db, env: { LC_ALL: 'zh_CN.UTF-8', COMPLAINTS_LANG: 'zh-CN' } });
    expect(english.stdout.split('\n')[0]).toBe(fill(en.logged, { no: 'C2026-00002' }));
  });

  it('an error line in Chinese, with its exit code', () => {
    const db = tempDbPath();
    runOk(LOG, { db });
    const r = runCli(['show', 'C2026-00099'], { db, env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.no_such_ticket, { no: 'C2026-00099' })}\n`);
  });

  it('show labels the built-in codes in Chinese', () => {
    const db = tempDbPath();
    runOk(LOG, { db });
    const r = runOk(['show', 'C2026-00001'], { db, env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.stdout).toContain(zhCN.list_channel_phone);
    expect(r.stdout).toContain(zhCN.list_category_delivery);
  });

  it('refuses a language it does not speak, naming where it was asked for', () => {
    const db = tempDbPath();
    const flag = runCli(['--lang', 'fr', 'list'], { db });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe("error: --lang: 'fr' is not accepted; use one of: en, zh-CN\n");
    const env = runCli(['list'], { db, env: { COMPLAINTS_LANG: 'fr' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toBe("error: COMPLAINTS_LANG: 'fr' is not accepted; use one of: en, zh-CN\n");
  });

  it('show, its timeline and overdue say statuses, severities, events and times in words, not codes', () => {
    const db = tempDbPath();
    const zh = { LANG: 'zh_CN.UTF-8' };
    runOk([...logArgs({ amount: '600' }), '--received-at', '2026-11-16 09:00', '--at', '2026-11-16 09:05'], { db });
    runOk(['assign', 'C2026-00001', '--unit', '物流部', '--at', '2026-11-16 10:00'], { db });
    runOk(['extend', 'C2026-00001', '--to', '2026-11-30 18:00', '--reason', '协商', '--at', '2026-11-16 10:30'], { db });
    const show = runOk(['show', 'C2026-00001', '--as-of', '2026-11-20 12:00'], { db, env: zh }).stdout;
    for (const text of [zhCN.status_assigned, zhCN.severity_important, zhCN.event_logged, zhCN.event_extended]) expect(show).toContain(text);
    expect(show).toContain(fill(zhCN.detail_line, { key: zhCN.detail_to, value: '2026-11-30 18:00' }));
    expect(show).not.toMatch(/\b(assigned|important|logged|extended|severity_suggested)\b|1796/);
    const overdue = runOk(['overdue', '--as-of', '2026-11-20 12:00'], { db, env: zh }).stdout;
    expect(overdue).toContain(fill(zhCN.minutes_hours, { h: '27', m: '00' }));
    expect(overdue).toContain(zhCN.severity_important);
  });

  it('takes a choice by its Chinese label, stored as its code (issue 12 §2)', () => {
    const db = tempDbPath();
    const zh = { LANG: 'zh_CN.UTF-8' };
    runOk(['lists', 'add', 'channel', 'fax', '--label-en', 'Fax', '--label-zh', '传真'], { db });
    const t = runJson<{ no: string; channel: string; category: string; severity: string }>(
      ['log', '--name', '王芳', '--phone', '13800138000', '--channel', '电话', '--category', '配送', '--severity', '重要', '--subject', '包裹未到', '--json'], { db, env: zh });
    expect([t.channel, t.category, t.severity]).toEqual(['phone', 'delivery', 'important']);
    // The office's own labels, in either language and in full-width letters, whatever language is spoken.
    const fax = runJson<{ channel: string }>([...logArgs({ channel: '传真' }), '--json'], { db });
    expect(fax.channel).toBe('fax');
    expect(runJson<{ channel: string }>([...logArgs({ channel: 'Ｆａｘ' }), '--json'], { db }).channel).toBe('fax');
    const listed = runJson<{ total: number }>(['list', '--channel', '电话', '--json'], { db, env: zh });
    expect(listed.total).toBe(1);
    const reply = runCli(['reply', t.no, '--via', '上门', '--message', '已上门查看'], { db, env: zh });
    expect(reply.status).toBe(0);
    const bad = runCli(['log', '--name', '王芳', '--phone', '13800138000', '--channel', '飞鸽', '--category', '配送', '--subject', 'x'], { db, env: zh });
    expect(bad.status).toBe(2);
  });
});

describe("a Chinese office's file speaks Chinese from the first word under cron's C.UTF-8 (issue 12 review)", () => {
  const CRON = { LANG: 'C.UTF-8' };
  const chineseOffice = (): string => {
    const db = tempDbPath();
    runOk(['office', 'set', 'language', 'zh-CN'], { db });
    runOk([...logArgs(), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'], { db });
    return db;
  };

  it('a flag refused before the file is opened is refused in Chinese', () => {
    const db = chineseOffice();
    const r = runCli([...logArgs({ amount: '25美元' }), '--at', '2026-11-24 10:00'], { db, env: CRON });
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(zhCN.error_prefix)).toBe(true);
    expect(runCli(['lst'], { db, env: CRON }).stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.unknown_command, { value: 'lst' })}${fill(zhCN.did_you_mean, { suggestion: 'list' })}\n`);
  });

  it('the words tables show can be typed back: statuses, severities, hold reasons, the urgent column', () => {
    const db = chineseOffice();
    expect(runJson<{ total: number }>(['list', '--status', `${zhCN.status_new}、${zhCN.status_assigned}`, '--severity', zhCN.severity_general], { db, env: CRON }).total).toBe(1);
    expect(runJson<{ total: number }>(['list', '--status', 'closed'], { db, env: CRON }).total).toBe(0);
    const held = runCli(['hold', 'C2026-00001', '--reason', zhCN['hold_reason_waiting-customer'], '--at', '2026-11-24 10:00'], { db, env: CRON });
    expect(held.status).toBe(0);
    expect(runJson<{ on_hold: { reason: string } }>(['show', 'C2026-00001'], { db }).on_hold.reason).toBe('waiting-customer');
    const sla = runCli(['sla', 'set', 'assign', zhCN.procedure_urgent_word, '1h'], { db, env: CRON });
    expect(sla.stdout.split('\n')[0]).toBe(fill(zhCN.sla_set, { stage: zhCN.stage_assign, column: zhCN.procedure_urgent_word, duration: '1h' }));
  });

  it('init with --lang zh-CN on a UTC machine sets up a Beijing office with the official holidays', () => {
    const db = missingDbPath();
    runOk(['--lang', 'zh-CN', 'init', '--yes', '--at', '2026-11-16 09:00'], { db, env: { ...CRON, TZ: 'UTC' } });
    const cal = runJson<{ timezone: string; holidays: string[] }>(['calendar', 'show', '--year', '2026'], { db });
    expect(cal.timezone).toBe('Asia/Shanghai');
    expect(cal.holidays).toContain('2026-10-01');
  });
});
