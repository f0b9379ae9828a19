import { beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/sla.js';
import type { ReportDocument } from '../../src/domain/report.js';
import { withListItem, withStage, type ListItem, type Procedure, type StageRule } from '../../src/domain/procedure.js';
import { loadProcedure, saveProcedure } from '../../src/store/procedure.js';
import { initialiseSettings } from '../../src/store/settings.js';
import { openStore } from '../../src/store/store.js';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';
import { at } from '../support/office.js';
import { KEY, startInTerminal } from '../support/pty.js';

// Issue 11: the office's own lists and stages where tickets are logged, shown and counted. The
// procedure is changed through the store (the `lists` and `stages` commands are another part of
// the issue); every ticket goes in and comes out through the built CLI.

/** Changes the office's procedure as the `lists` and `stages` commands will: one saveProcedure. */
async function changeProcedure(path: string, change: (p: Procedure) => Procedure): Promise<void> {
  const store = await openStore(path);
  try {
    await initialiseSettings(store, 'Asia/Shanghai');
    await store.transact(async (db) => {
      const before = await loadProcedure(db);
      await saveProcedure(db, before, change(before), { actor: 'admin', at: at('2026-11-02 09:00'), change: 'test', before: null, after: null });
    });
  } finally {
    await store.close();
  }
}

const item = (code: string, en: string | null, zh: string | null = null, retired = false): ListItem => ({ code, labels: { en, zh }, retired });

function officeStage(code: string, en: string, sla: string, extra: Partial<StageRule> = {}): StageRule {
  const d = parseDuration(sla)!;
  return {
    code, labels: { en, zh: null }, builtin: false, start: 'receipt', clock: 'working', pausable: false,
    sla: { general: d, important: d, major: d, urgent: null }, onlySeverities: null, onlyTypes: null, retired: false, ...extra,
  };
}

interface Listed {
  total: number;
  tickets: { no: string; channel: string; category: string; type: string }[];
}

const log = (db: string, overrides: Record<string, string | true>, when: string): { no: string; type: string } =>
  runJson<{ no: string; type: string }>([...logArgs(overrides), '--at', when], { db });

describe('a channel the office added: fax', () => {
  const db = tempDbPath();
  let fax: string;

  beforeAll(async () => {
    // The office puts fax first in its list: the report follows the office's order.
    await changeProcedure(db, (p) => ({ ...p, lists: { ...p.lists, channel: [item('fax', 'Fax', '传真'), ...p.lists.channel] } }));
    log(db, { channel: 'email' }, '2026-11-16 09:30');
    fax = log(db, { channel: 'fax' }, '2026-11-16 10:00').no;
    log(db, { channel: 'phone' }, '2026-11-16 10:30');
  });

  it('is accepted by log and shown by its label, the JSON keeping the code', () => {
    expect(runJson(['show', fax], { db })).toMatchObject({ channel: 'fax' });
    const shown = runOk(['show', fax, '--as-of', '2026-11-16 11:00'], { db }).stdout;
    expect(shown).toMatch(/^Channel\s+Fax$/m);
  });

  it('is listed by list --channel fax, and an unknown channel is refused', () => {
    const listed = runJson<Listed>(['list', '--channel', 'fax'], { db });
    expect(listed.total).toBe(1);
    expect(listed.tickets[0]).toMatchObject({ no: fax, channel: 'fax' });
    const r = runCli(['list', '--channel', 'telex'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --channel: 'telex' is not accepted; use one of: fax, phone, email,/);
  });

  it('is counted in the report by channel, in the office order; labelled in the table, a code in JSON and CSV', () => {
    const args = ['report', '--month', '2026-11', '--as-of', '2026-12-01 09:00'];
    const report = runJson<ReportDocument>(args, { db });
    expect(report.by_channel.map((c) => [c.channel, c.received])).toEqual([['fax', 1], ['phone', 1], ['email', 1]]);
    const table = runOk(args, { db }).stdout;
    const byChannel = table.slice(table.indexOf('By channel'));
    expect(byChannel).toMatch(/│ Fax /);
    const csv = runOk([...args, '--format', 'csv'], { db }).stdout;
    expect(csv).toMatch(/\r\nfax,1,/);
  });

  it('is offered in the message when the channel is missing', () => {
    const args = logArgs();
    const i = args.indexOf('--channel');
    const r = runCli([...args.slice(0, i), ...args.slice(i + 2), '--at', '2026-11-16 11:00'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --channel (fax, phone, email, web, letter, visit, social, forum, internal, other) is required (there is no terminal to ask for it)\n');
  });
});

describe('at a terminal', () => {
  it('log offers the office\'s active channels by their labels and stores the code', async () => {
    const db = tempDbPath();
    await changeProcedure(db, (p) => ({
      ...p, lists: { ...p.lists, channel: [item('fax', 'Fax', '传真'), ...p.lists.channel.map((i) => (i.code === 'phone' ? { ...i, retired: true } : i))] },
    }));
    const term = startInTerminal(['--db', db, 'log', '--at', '2026-11-16 10:00', '--yes', '--name', 'Wang Fang', '--phone', '13800000000',
      '--category', 'price', '--subject', 'Charged twice', '--description', 'twice', '--demand', 'refund', '--amount', '0', '--severity', 'general']);
    try {
      // fax first, the retired phone not offered: email is one down.
      await term.waitFor('How did the complaint come in?');
      await term.waitFor('❯ Fax');
      term.type(`${KEY.down}${KEY.enter}`);
      await term.waitFor('✔ How did the complaint come in? email');
      await term.waitFor('Logged C2026-00001.');
      expect((await term.finished()).status).toBe(0);
    } finally {
      term.kill();
    }
    expect(runJson(['show', 'C2026-00001'], { db })).toMatchObject({ channel: 'email' });
  }, 15_000);
});

describe('a category the office retired', () => {
  const db = tempDbPath();
  let old: string;

  beforeAll(async () => {
    old = log(db, { category: 'price' }, '2026-11-16 10:00').no;
    log(db, { category: 'delivery' }, '2026-11-16 10:30');
    await changeProcedure(db, (p) => withListItem(p, 'category', item('price', null, null, true)));
  });

  it('is refused by log in one line naming the active categories, writing nothing', () => {
    const r = runCli([...logArgs({ category: 'price' }), '--at', '2026-11-17 10:00'], { db });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: --category: 'price' is retired; use one of: product, service, delivery, staff, billing, other\n");
    expect(runJson<Listed>(['list'], { db }).total).toBe(2);
  });

  it('still finds its old tickets with list --category, and show still reads them', () => {
    const listed = runJson<Listed>(['list', '--category', 'price'], { db });
    expect(listed.tickets.map((t) => t.no)).toEqual([old]);
    const shown = runOk(['show', old], { db }).stdout;
    expect(shown).toMatch(/^Category\s+price$/m);
  });

  it('is left out of the missing-field message', () => {
    const args = logArgs();
    const i = args.indexOf('--category');
    const r = runCli([...args.slice(0, i), ...args.slice(i + 2), '--at', '2026-11-17 10:00'], { db });
    expect(r.stderr).toBe('error: --category (product, service, delivery, staff, billing, other) is required (there is no terminal to ask for it)\n');
  });
});

describe('ticket types', () => {
  const db = tempDbPath();
  let suggestion: string;
  let complaint: string;

  beforeAll(() => {
    complaint = log(db, {}, '2026-11-16 10:00').no;
    suggestion = log(db, { type: 'suggestion' }, '2026-11-16 10:30').no;
  });

  it('log --type suggestion is stored; a complaint unless said', () => {
    expect(runJson(['show', suggestion], { db })).toMatchObject({ type: 'suggestion' });
    expect(runJson(['show', complaint], { db })).toMatchObject({ type: 'complaint' });
    expect(runOk(['show', suggestion], { db }).stdout).toMatch(/^Type\s+suggestion$/m);
  });

  it('list --type filters by it', () => {
    expect(runJson<Listed>(['list', '--type', 'suggestion'], { db }).tickets.map((t) => t.no)).toEqual([suggestion]);
    expect(runJson<Listed>(['list', '--type', 'complaint'], { db }).tickets.map((t) => t.no)).toEqual([complaint]);
    expect(runJson<Listed>(['list', '--type', 'complaint,suggestion'], { db }).total).toBe(2);
  });

  it('an unknown type is refused naming the active ones', () => {
    const r = runCli([...logArgs({ type: 'praise' }), '--at', '2026-11-16 11:00'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: --type: 'praise' is not accepted; use one of: complaint, inquiry, suggestion, warning\n");
    expect(runCli(['list', '--type', 'praise'], { db }).status).toBe(2);
  });
});

describe('an office stage with its own label', () => {
  const db = tempDbPath();
  let no: string;

  beforeAll(async () => {
    await changeProcedure(db, (p) => withStage(
      withStage(p, officeStage('site_visit', 'Site visit', '1wh')),
      // Applies to major tickets only: none is due in the month, and it is listed all the same.
      officeStage('expert_review', 'Expert review', '2wd', { onlySeverities: ['major'], sla: { general: null, important: null, major: parseDuration('2wd')!, urgent: null } }),
    ));
    // Monday 10:00: a site visit within one working hour, by 11:00.
    no = log(db, {}, '2026-11-16 10:00').no;
  });

  it('show and show --explain name it by its label', () => {
    const shown = runOk(['show', no, '--as-of', '2026-11-16 10:30', '--explain'], { db }).stdout;
    expect(shown).toMatch(/│ Site visit\s+│ 2026-11-16 11:00 /);
    expect(shown).toMatch(/^Site visit: /m);
    expect(shown).not.toContain('site_visit');
  });

  it('list shows it as the next deadline', () => {
    expect(runOk(['list', '--as-of', '2026-11-16 10:30'], { db }).stdout).toContain('Site visit 2026-11-16 11:00');
  });

  it('overdue names it by its label', () => {
    const r = runOk(['overdue', '--as-of', '2026-11-16 11:30'], { db });
    expect(r.stdout).toMatch(/C2026-00001 .*Site visit late by 30m/);
  });

  it('the report table lists it after the built-in stages, in the office order', () => {
    const args = ['report', '--month', '2026-11', '--as-of', '2026-12-01 09:00'];
    const report = runJson<ReportDocument>(args, { db });
    expect(Object.keys(report.timeliness)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'approval', 'site_visit', 'expert_review']);
    expect(report.timeliness['site_visit']).toEqual({ due: 1, met: 0, rate: 0 });
    const table = runOk(args, { db }).stdout;
    expect(table).toMatch(/│ Site visit\s+│\s+1 │\s+0 │\s+0\.0% │/);
    expect(table).toMatch(/│ Expert review\s+│\s+0 │/);
    const md = runOk([...args, '--format', 'md'], { db }).stdout;
    expect(md).toContain('| Site visit | 1 | 0 | 0.0% |');
  });
});

describe('reply and close with the office\'s own methods, faults and kinds', () => {
  const db = tempDbPath();
  let no: string;

  beforeAll(async () => {
    await changeProcedure(db, (p) => withListItem(withListItem(withListItem(p,
      'reply_method', item('wechat', 'WeChat', '微信')),
    'fault', item('supplier', 'Supplier')),
    'compensation_kind', item('voucher', 'Voucher')));
    no = log(db, {}, '2026-11-16 10:00').no;
  });

  it('reply --via takes an office method; show labels it, JSON keeps the code', () => {
    runOk(['reply', no, '--via', 'wechat', '--message', 'parcel found', '--at', '2026-11-16 11:00'], { db });
    const shown = runOk(['show', no], { db }).stdout;
    expect(shown).toContain('via: WeChat');
    const doc = runJson<{ events: { kind: string; details: Record<string, unknown> }[] }>(['show', no], { db });
    expect(doc.events.at(-1)).toMatchObject({ kind: 'replied', details: { via: 'wechat' } });
    const r = runCli(['reply', no, '--via', 'pigeon', '--message', 'x'], { db });
    expect(r.stderr).toBe("error: --via: 'pigeon' is not accepted; use one of: phone, visit, letter, email, sms, social, wechat\n");
  });

  it('close --fault and --compensation-kind take the office\'s codes; show labels them', () => {
    runOk(['close', no, '--resolution', 'voucher sent', '--fault', 'supplier', '--compensation-kind', 'voucher', '--at', '2026-11-16 15:00'], { db });
    const shown = runOk(['show', no], { db }).stdout;
    expect(shown).toMatch(/^Fault\s+Supplier$/m);
    expect(shown).toMatch(/^Compensation\s+— Voucher$/m);
    expect(runJson(['show', no], { db })).toMatchObject({ fault: 'supplier', compensation: { amount: null, kind: 'voucher' } });
  });
});
