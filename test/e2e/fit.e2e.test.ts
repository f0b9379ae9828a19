import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { displayWidth } from '../../src/ui/format.js';
import { join } from 'node:path';
import { logArgs, runCli, runJson, runOk, tempDbPath, tempDir } from '../support/cli.js';

// Issue 12 §6 (fit and finish) and §1's "human output never shows a raw code": tables as wide as
// the terminal ($COLUMNS here, as under cron or a pipe), statuses and severities in words, a legend
// for list's marks, and a stage in the minute it falls due is due now, not "late by 0m".

const ZH = { LANG: 'zh_CN.UTF-8' };
const EN = { LANG: 'en_US.UTF-8' };
const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);

let db: string;

beforeAll(() => {
  db = tempDbPath();
  // Monday 2026-11-23, office hours 09:00-12:00 and 13:00-18:00: a general ticket's first reply
  // (4 working hours) received at 09:00 is due at 14:00.
  runOk([...logArgs({
    name: '王芳', channel: 'phone', category: 'delivery', severity: 'important', urgent: true,
    subject: '快递延误两周仍未送达，客户多次来电催促并要求退还运费', unit: '售后服务部华东区客户服务中心', to: '张三',
    'received-at': '2026-11-23 09:00', at: '2026-11-23 09:00', yes: true,
  })], { db });
  runOk([...logArgs({
    channel: 'email', category: 'billing', severity: 'general', unit: 'Customer Service Centre (East China region)', to: 'Li Lei',
    subject: 'Charged twice for the same order and the refund has still not arrived after three weeks',
    'received-at': '2026-11-23 09:00', at: '2026-11-23 09:00', yes: true,
  })], { db });
  runOk(['hold', 'C2026-00002', '--reason', 'waiting-customer', '--at', '2026-11-23 09:30'], { db });
  runOk([...logArgs({ channel: 'web', category: 'product', subject: 'Screen cracked on arrival', 'received-at': '2026-11-23 09:00', at: '2026-11-23 09:00', yes: true })], { db });
  runOk(['assign', 'C2026-00003', '--unit', '质量部', '--to', '赵六', '--at', '2026-11-23 09:10'], { db });
  runOk(['reply', 'C2026-00001', '--via', 'phone', '--message', '已联系快递公司', '--at', '2026-11-23 09:20'], { db });
  // Received at 14:00: its first reply falls due at the office's close, 18:00.
  runOk([...logArgs({ channel: 'letter', category: 'service', severity: 'general', subject: 'Rude driver', 'received-at': '2026-11-23 14:00', at: '2026-11-23 14:00', yes: true })], { db });
});

const COMMANDS: [string, string[]][] = [
  ['list', ['list', '--as-of', '2026-11-23 15:00']],
  ['overdue', ['overdue', '--as-of', '2026-11-25 15:00']],
  ['report table', ['report', '--month', '2026-11', '--as-of', '2026-11-30 10:00']],
  ['calendar show', ['calendar', 'show']],
  ['sla show', ['sla', 'show']],
  ['lists show', ['lists', 'show']],
  ['show', ['show', 'C2026-00001', '--as-of', '2026-11-23 15:00']],
  ['stages show', ['stages', 'show']],
];

describe('tables fit the terminal', () => {
  for (const [language, env] of [['en', EN], ['zh', ZH]] as const) {
    for (const columns of [100, 80]) {
      it(`${language} at COLUMNS=${columns}: no line of ${COMMANDS.map(([name]) => name).join(', ')} is wider (CJK = 2)`, () => {
        for (const [name, args] of COMMANDS) {
          const out = runOk(args, { db, env: { ...env, COLUMNS: String(columns) } }).stdout;
          const wide = out.split('\n').filter((line) => displayWidth(line) > columns);
          expect({ name, wide }).toEqual({ name, wide: [] });
        }
      });
    }
  }

  it('a wide terminal gets every column, each row on one line', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 15:00'], { db, env: { ...EN, COLUMNS: '250' } }).stdout;
    expect(out).toContain('2026-11-23 09:00');
    expect(out).toContain('Customer Service Centre (East China region)');
    expect(out.split('\n').filter((line) => line.startsWith('│'))).toHaveLength(1 + 4);
  });

  it('list draws no rule between rows; a narrow one leaves out the time received first', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 15:00'], { db, env: { ...ZH, COLUMNS: '80' } }).stdout;
    expect(out.split('\n').filter((line) => line.startsWith('├'))).toHaveLength(1);
    expect(out).not.toContain(zhCN.label_received);
    expect(out).toContain(zhCN.label_subject);
  });

  it('the report says which figures it left out at this width', () => {
    const out = runOk(['report', '--month', '2026-11', '--as-of', '2026-11-30 10:00'], { db, env: { ...ZH, COLUMNS: '80' } }).stdout;
    expect(out).toContain(fill(zhCN.report_columns_left_out, { columns: [zhCN.report_short_reopened, zhCN.report_short_unreachable, zhCN.report_short_compensation].join('、') }));
  });
});

describe('words, not codes', () => {
  it('list: statuses, severities and stages by their labels, in Chinese', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 15:00'], { db, env: { ...ZH, COLUMNS: '200' } }).stdout;
    for (const word of [zhCN.status_in_progress, zhCN.status_assigned, zhCN.severity_important, zhCN.severity_general]) expect(out).toContain(word);
    expect(out).not.toMatch(/\b(in_progress|assigned|important|general|first_reply|update)\b/);
  });

  it('list in English says "in progress", not in_progress', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 15:00'], { db, env: { ...EN, COLUMNS: '200' } }).stdout;
    expect(out).toContain('in progress');
    expect(out).not.toContain('in_progress');
  });

  it('report table, md and html name channels and severities by their labels; CSV keeps the codes', () => {
    const period = ['report', '--month', '2026-11', '--as-of', '2026-11-30 10:00'];
    for (const format of ['table', 'md', 'html']) {
      const out = runOk([...period, '--format', format], { db, env: { ...ZH, COLUMNS: '200' } }).stdout;
      expect({ format, phone: out.includes(zhCN.list_channel_phone), important: out.includes(zhCN.severity_important) }).toEqual({ format, phone: true, important: true });
      expect({ format, codes: out.match(/\b(phone|email|important|general|delivery)\b/g) }).toEqual({ format, codes: null });
    }
    const csv = runOk([...period, '--format', 'csv'], { db, env: ZH }).stdout;
    expect(csv).toMatch(/\nphone,/);
    expect(csv).toMatch(/\nimportant,/);
  });

  it('sla show and calendar show: severities, weekdays and closed days in Chinese', () => {
    const sla = runOk(['sla', 'show'], { db, env: ZH }).stdout;
    for (const word of [zhCN.severity_general, zhCN.severity_important, zhCN.severity_major, zhCN.sla_urgent_column]) expect(sla).toContain(word);
    expect(sla).not.toMatch(/\b(general|important|major|urgent)\b/);
    const cal = runOk(['calendar', 'show'], { db, env: ZH }).stdout;
    expect(cal).toContain(`${zhCN.label_week} ${zhCN.calendar_weekday_sat}`);
    expect(cal).toContain(zhCN.calendar_closed);
    expect(cal).not.toMatch(/\b(sun|sat|closed)\b/);
  });

  it('show: why a ticket is on hold, in words, in its status and its timeline', () => {
    const zh = runOk(['show', 'C2026-00002', '--as-of', '2026-11-23 10:00'], { db, env: ZH }).stdout;
    expect(zh).toContain(fill(zhCN.status_on_hold, { status: zhCN.status_assigned, hold: zhCN.label_hold, reason: zhCN['hold_reason_waiting-customer'] }));
    expect(zh).toContain(`${zhCN.detail_reason}：${zhCN['hold_reason_waiting-customer']}`);
    expect(zh).not.toContain('waiting-customer');
    const english = runOk(['show', 'C2026-00002', '--as-of', '2026-11-23 10:00'], { db, env: EN }).stdout;
    expect(english).toContain('reason: waiting for the customer');
    expect(english).not.toContain('waiting-customer');
  });

  it("backup's receipt gives the size in the reader's words", () => {
    const out = runOk(['backup', join(tempDir(), 'copy.db')], { db, env: ZH }).stdout;
    expect(out).toMatch(/（[\d.]+ KB，\d+ 字节）/);
    expect(out).not.toContain('bytes');
  });

  it('stages show: severities by their words and Chinese separators', () => {
    const out = runOk(['stages', 'show'], { db, env: { ...ZH, COLUMNS: '200' } }).stdout;
    expect(out).toContain(`${zhCN.severity_general} 2wh · ${zhCN.severity_important} 2wh · ${zhCN.severity_major} 1wh · ${zhCN.procedure_urgent_word} 30m`);
    expect(out).toContain(`${zhCN.procedure_every_severity}、${zhCN.procedure_every_type}`);
    expect(out).not.toContain('; ');
  });
});

describe("list's marks have a legend", () => {
  it('urgent and on hold are explained under the table, and only the marks that appear', () => {
    const zh = runOk(['list', '--as-of', '2026-11-23 10:00'], { db, env: ZH }).stdout.split('\n');
    expect(zh).toContain([fill(zhCN.list_legend_urgent, { mark: '!' }), fill(zhCN.list_legend_hold, { mark: '*' })].join(zhCN.legend_separator));
    const english = runOk(['list', '--as-of', '2026-11-23 10:00'], { db, env: EN }).stdout.split('\n');
    expect(english).toContain('! urgent, * on hold');
    const onlyUrgent = runOk(['list', '--as-of', '2026-11-23 10:00', '--severity', 'important'], { db, env: EN }).stdout.split('\n');
    expect(onlyUrgent).toContain('! urgent');
    expect(onlyUrgent.join('\n')).not.toContain('on hold');
  });

  it('a deadline already passed is marked and explained', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 14:01', '--severity', 'general'], { db, env: EN }).stdout;
    expect(out).toMatch(/\^ first reply/);
    expect(out.split('\n')).toContain('* on hold, ^ past due');
  });
});

describe('late by 0m is not late', () => {
  // C2026-00003: general, first reply due 2026-11-23 14:00.
  it('overdue: a stage due this minute reads due now, in English and Chinese', () => {
    // --within shows what comes due; C2026-00003's first reply comes due at 14:00 itself.
    const english = runOk(['overdue', '--as-of', '2026-11-23 14:00', '--within', '1h'], { db, env: EN }).stdout;
    expect(english).toMatch(/C2026-00003 .*first reply due now/);
    expect(english).not.toMatch(/late by 0m/);
    const zh = runOk(['overdue', '--as-of', '2026-11-23 14:00', '--within', '1h'], { db, env: ZH }).stdout;
    expect(zh).toContain(`${zhCN.stage_first_reply} ${zhCN.overdue_due_now}`);
    expect(zh).not.toContain(fill(zhCN.overdue_late, { time: fill(zhCN.minutes_only, { m: '0' }) }));
  });

  it('due this minute is not yet overdue for --exit-code, --json or --new: the next cron run reports it late, once', () => {
    const office = tempDbPath();
    // Logged Monday 10:00: assignment falls due at 12:00 (two working hours).
    runOk([...logArgs(), '--at', '2026-11-23 10:00'], { db: office, env: EN });
    const dueNow = runCli(['overdue', '--as-of', '2026-11-23 12:00:30', '--exit-code'], { db: office, env: EN });
    expect(dueNow.status).toBe(0);
    const doc = runJson<{ tickets: { stages: { stage: string; state: string }[] }[] }>(['overdue', '--as-of', '2026-11-23 12:00:30', '--within', '1h'], { db: office, env: EN });
    expect(doc.tickets[0]!.stages.find((s) => s.stage === 'assign')?.state).toBe('due_soon');
    expect(runCli(['overdue', '--as-of', '2026-11-23 12:01', '--exit-code'], { db: office, env: EN }).status).toBe(3);
    // Cron fires on the minute: the run at 12:00:20 does not call it late, the 12:30 run does, and the 13:00 run not again.
    expect(runCli(['overdue', '--new', '--as-of', '2026-11-23 12:00:20'], { db: office, env: EN }).stdout).not.toMatch(/assign late/);
    expect(runCli(['overdue', '--new', '--as-of', '2026-11-23 12:30'], { db: office, env: EN }).stdout).toMatch(/C2026-00001 .*assign late since 2026-11-23 12:00/);
    expect(runCli(['overdue', '--new', '--as-of', '2026-11-23 13:00'], { db: office, env: EN }).stdout).not.toMatch(/assign/);
  });

  it('a minute later it is late by 1m', () => {
    const out = runOk(['overdue', '--as-of', '2026-11-23 14:01'], { db, env: EN }).stdout;
    expect(out).toMatch(/first reply late by 1m/);
  });

  it('past due with no working time since: late since the due time, never late by 0m', () => {
    // C2026-00004's first reply fell due at 18:00, the close; by 20:00 no working minute has passed.
    const english = runOk(['overdue', '--as-of', '2026-11-23 20:00'], { db, env: EN }).stdout;
    expect(english).toMatch(/C2026-00004 .*first reply late since 2026-11-23 18:00/);
    expect(english).not.toMatch(/late by 0m/);
    const zh = runOk(['overdue', '--as-of', '2026-11-23 20:00'], { db, env: ZH }).stdout;
    expect(zh).toContain(`${zhCN.stage_first_reply} ${fill(zhCN.overdue_late_since, { due: '2026-11-23 18:00' })}`);
  });

  it('show: the first reply due this minute is due now, not missed', () => {
    const english = runOk(['show', 'C2026-00003', '--as-of', '2026-11-23 14:00'], { db, env: EN }).stdout;
    expect(english).toMatch(/│ first reply +│ 2026-11-23 14:00 │ — +│ due now +│/);
    const zh = runOk(['show', 'C2026-00003', '--as-of', '2026-11-23 14:00'], { db, env: ZH }).stdout;
    expect(zh).toContain(zhCN.state_due_now);
    expect(zh).not.toContain(zhCN.state_missed);
  });

  it('list: not marked past due in its minute', () => {
    const out = runOk(['list', '--as-of', '2026-11-23 14:00', '--severity', 'general'], { db, env: EN }).stdout;
    expect(out).not.toContain('past due');
    expect(en.list_legend_late).toBe('{mark} past due');
  });
});
