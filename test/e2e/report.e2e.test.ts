import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignTicket, closeTicket, logTicket, recordFailedCallback, reopenTicket, replyToTicket, surveyTicket, type LogInput, type Policy,
} from '../../src/domain/lifecycle.js';
import type { Category, Channel, EventKind } from '../../src/domain/model.js';
import type { ReportDocument } from '../../src/domain/report.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { parseTimeInput, toLocal } from '../../src/domain/time.js';
import { openStore, type Db, type Store } from '../../src/store/store.js';
import { loadPolicy } from '../../src/store/procedure.js';
import { initialiseSettings, writeSetting } from '../../src/store/settings.js';
import { formatTicketNo, loadTicket, recordTicketChange, takeTicketNo } from '../../src/store/tickets.js';
import { runCli, runJson, tempDbPath, tempDir } from '../support/cli.js';
import { parseCsv } from '../support/csv.js';

// A month built by hand, with the figures a person computes on paper (office in Shanghai, default
// hours Mon–Fri 09:00–12:00 and 13:00–18:00, default SLA). The tickets go in through the same
// lifecycle operations and store writer as the commands; the report is read through the CLI.

const TZ = 'Asia/Shanghai';
const local = (text: string): number => {
  const parsed = parseTimeInput(text, TZ);
  if (parsed?.kind !== 'instant') throw new Error(`bad time ${text}`);
  return parsed.at;
};

/**
 * Writes through the store in the order the build callback asks, each step its own transaction.
 * The store is asynchronous; the callback reads like the paper month, so each step is queued and
 * `log` gives the number the file will give (checked as it is taken).
 */
class Office {
  private work: Promise<unknown> = Promise.resolve();
  private readonly last = new Map<number, number>();

  constructor(readonly store: Store, readonly policy: Policy, counters: readonly { year: number; last: number }[]) {
    for (const c of counters) this.last.set(c.year, c.last);
  }

  /** Queues fn after every step before it. */
  step(fn: (db: Db) => Promise<unknown>): void {
    this.work = this.work.then(() => this.store.transact(fn));
  }

  done(): Promise<unknown> {
    return this.work;
  }

  log(received: string, fields: { unit?: string; category?: Category; channel?: Channel } = {}): string {
    const at = local(received);
    const input: LogInput = {
      complainant: { name: '王芳', anonymous: false, phone: '13800000000', email: null, address: null, org: null },
      channel: fields.channel ?? 'phone', category: fields.category ?? 'delivery', subject: '投诉', description: null, demand: null,
      amountCents: null, product: null, batch: null, receivedAt: at, customerDue: null, unit: fields.unit ?? null, assignee: null,
      severity: null, urgent: false, safety: false, external: false, group: false,
    };
    const year = toLocal(at, TZ).year;
    const seq = (this.last.get(year) ?? 0) + 1;
    this.last.set(year, seq);
    const expected = formatTicketNo(year, seq);
    this.step(async (db) => {
      const no = await takeTicketNo(db, year);
      if (no !== expected) throw new Error(`test setup: the file gave ${no}, not ${expected}`);
      const ticket = logTicket(input, no, 'clerk1', at, this.policy);
      const details = { channel: input.channel, severity_given: null, severity_suggested: ticket.severitySuggested };
      await recordTicketChange(db, null, ticket, { kind: 'logged', actor: 'clerk1', at, recordedAt: at, details });
    });
    return expected;
  }

  private change(no: string, when: string, kind: EventKind, details: Record<string, unknown>, op: (t: Ticket, at: number) => Ticket): void {
    const at = local(when);
    this.step(async (db) => {
      const existing = await loadTicket(db, no);
      await recordTicketChange(db, existing, op(existing.ticket, at), { kind, actor: 'handler', at, recordedAt: at, details });
    });
  }

  assign(no: string, when: string, unit: string): void {
    this.change(no, when, 'assigned', { unit, assignee: null }, (t, at) => assignTicket(t, { unit, assignee: null }, at));
  }
  reply(no: string, when: string): void {
    this.change(no, when, 'replied', { via: 'phone', message: '已回复' }, (t, at) => replyToTicket(t, at, this.policy));
  }
  close(no: string, when: string, compensation: number | null = null): void {
    const input = {
      resolution: '已处理', fault: null, rootCause: null, action: null,
      compensationCents: compensation === null ? null : compensation * 100, compensationKind: compensation === null ? null : 'cash' as const,
    };
    // The details `close` records (commands/close.ts): the report reads the compensation from them.
    const details = { resolution: '已处理', fault: null, root_cause: null, action: null, compensation, compensation_kind: input.compensationKind };
    this.change(no, when, 'closed', details, (t, at) => closeTicket(t, input, at, this.policy));
  }
  survey(no: string, when: string, score: number): void {
    this.change(no, when, 'surveyed', { score, comment: null }, (t, at) => surveyTicket(t, { score, comment: null }, at));
  }
  unreachable(no: string, when: string): void {
    this.change(no, when, 'callback_failed', { comment: null }, (t, at) => recordFailedCallback(t, at));
  }
  reopen(no: string, when: string): void {
    this.change(no, when, 'reopened', { reason: '再次投诉' }, (t, at) => reopenTicket(t, at, this.policy));
  }
}

async function buildOffice(path: string, build: (office: Office) => void): Promise<void> {
  const store = await openStore(path);
  try {
    await initialiseSettings(store, TZ);
    const { policy, counters } = await store.read(async (db) => ({
      policy: await loadPolicy(db),
      counters: await db.all(db.qb.selectFrom('ticket_counters').select(['year', 'last'])),
    }));
    const office = new Office(store, policy, counters);
    build(office);
    await office.done();
  } finally {
    await store.close();
  }
}

const report = (db: string, ...args: string[]): ReportDocument => runJson<ReportDocument>(['report', ...args], { db });

describe('October 2026, built by hand', () => {
  const db = tempDbPath();
  let oct: ReportDocument;

  beforeAll(async () => {
    await buildOffice(db, (o) => {
      // A: 00:30 on 1 October in Shanghai is 30 September in UTC; it belongs to October.
      const a = o.log('2026-10-01 00:30', { unit: '物流部' });
      o.reply(a, '2026-10-01 10:00');
      o.close(a, '2026-10-02 10:00', 100);
      o.unreachable(a, '2026-10-02 14:00');
      o.survey(a, '2026-10-02 15:00', 5);
      // B: received the evening before October; answered late, closed late, surveyed in November.
      const b = o.log('2026-09-30 23:30', { unit: '物流部' });
      o.reply(b, '2026-10-01 15:00');
      o.close(b, '2026-10-09 10:00');
      o.survey(b, '2026-11-02 10:00', 2);
      // C: closed, dissatisfied, reopened (a second complaint), closed again and satisfied.
      const c = o.log('2026-10-12 09:00', { unit: '财务部', category: 'billing', channel: 'web' });
      o.reply(c, '2026-10-12 10:00');
      o.close(c, '2026-10-13 10:00', 20);
      o.survey(c, '2026-10-13 11:00', 3);
      o.reopen(c, '2026-10-14 09:00');
      o.reply(c, '2026-10-14 10:00');
      o.close(c, '2026-10-15 10:00', 50);
      o.survey(c, '2026-10-15 11:00', 4);
      // D: never assigned, never answered.
      o.log('2026-10-20 10:00', { channel: 'email', category: 'other' });
      // E: received on the last Friday evening, closed in November.
      const e = o.log('2026-10-30 17:00', { unit: '客服中心', category: 'service', channel: 'visit' });
      o.reply(e, '2026-10-30 17:30');
      o.close(e, '2026-11-03 10:00');
      // F: 23:30 on 31 October, still open.
      o.log('2026-10-31 23:30', { unit: '质量部', category: 'product' });
      // G: 00:30 on 1 November is still 31 October in UTC; it belongs to November.
      o.log('2026-11-01 00:30', { unit: '质量部', category: 'product' });
      // H: September, for the period before: 财务部 dissatisfied then too.
      const h = o.log('2026-09-10 10:00', { unit: '财务部', category: 'billing' });
      o.reply(h, '2026-09-10 11:00');
      o.close(h, '2026-09-11 10:00');
      o.survey(h, '2026-09-11 15:00', 2);
    });
    oct = report(db, '--month', '2026-10', '--as-of', '2026-11-20 18:00');
  });

  it('names the period in office time', () => {
    expect(oct.period).toEqual({ kind: 'month', label: '2026-10', from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00' });
    expect(oct.as_of).toBe('2026-11-20T18:00:00+08:00');
  });

  it('counts received by local date, closed by any close in the month, and what was open at its end', () => {
    expect(oct.received).toBe(5); // A C D E F; not B (30 Sep), not G (1 Nov local)
    expect(oct.closed).toBe(3); // A, B, and C once though closed twice
    expect(oct.closure_rate).toBe(3 / 5); // A, C, E closed by 20 November
    expect(oct.open_at_end).toBe(3); // D, E, F
  });

  it('counts surveys taken in the month, not those of its closes taken later', () => {
    expect(oct.satisfaction).toEqual({ surveyed: 3, satisfied: 2, rate: 2 / 3 }); // A 5, C 3, C 4; B's is November's
    expect(oct.callback_rate).toBe(1); // 3 surveys ÷ 3 closed
    expect(oct.unreachable_attempts).toBe(1);
    expect(oct.reopened).toBe(1);
  });

  it('adds the compensation of every close, the reopened ticket twice', () => {
    expect(oct.compensation_total).toBe(170);
  });

  it('measures resolution in working hours over every close', () => {
    // A 9 h (Thu 09:00–Fri 10:00), B 49 h, C 9 h and again 9 h after the reopen.
    expect(oct.resolution_hours).toEqual({ mean: 19, median: 9 });
  });

  it('judges each deadline that fell due in the month', () => {
    expect(oct.timeliness.assign).toEqual({ due: 5, met: 4, rate: 0.8 });
    expect(oct.timeliness.first_reply).toEqual({ due: 5, met: 3, rate: 0.6 });
    expect(oct.timeliness.update).toEqual({ due: 4, met: 3, rate: 0.75 });
    expect(oct.timeliness.resolve).toEqual({ due: 5, met: 3, rate: 0.6 });
    expect(oct.timeliness.callback).toEqual({ due: 4, met: 3, rate: 0.75 });
  });

  it('breaks the same figures down by unit, category, channel and severity', () => {
    const unit = (name: string | null) => oct.by_unit.find((u) => u.unit === name)!;
    expect(unit('物流部')).toMatchObject({ received: 1, closed: 2, satisfaction: { surveyed: 1, satisfied: 1, rate: 1 }, compensation_total: 100 });
    expect(unit('财务部')).toMatchObject({ received: 1, closed: 1, reopened: 1, satisfaction: { surveyed: 2, satisfied: 1, rate: 0.5 } });
    expect(unit(null)).toMatchObject({ received: 1, open_at_end: 1, timeliness: { first_reply: { due: 1, met: 0, rate: 0 } } });
    expect(oct.by_unit.reduce((s, u) => s + u.received, 0)).toBe(oct.received);
    expect(oct.by_category.find((c) => c.category === 'billing')).toMatchObject({ received: 1, closed: 1 });
    expect(oct.by_channel.find((c) => c.channel === 'web')).toMatchObject({ received: 1 });
    expect(oct.by_severity).toEqual([expect.objectContaining({ severity: 'general', received: 5, closed: 3 })]);
  });

  it('flags the unit below 90% satisfied this month and last, and gives last month for comparison', () => {
    expect(oct.flagged_units).toEqual([{ unit: '财务部', rate: 0.5, surveyed: 2, previous_rate: 0, previous_surveyed: 1 }]);
    expect(oct.previous).toMatchObject({ period: { label: '2026-09' }, received: 2, closed: 1, satisfaction: { surveyed: 1, satisfied: 0, rate: 0 } });
  });

  it("November has G, B's late survey and E's close", () => {
    const nov = report(db, '--month', '2026-11', '--as-of', '2026-11-20 18:00');
    expect(nov.received).toBe(1);
    expect(nov.closed).toBe(1);
    expect(nov.satisfaction).toEqual({ surveyed: 1, satisfied: 0, rate: 0 });
    // Open at the end of a month still running: as it stands now.
    expect(nov.open_at_end).toBe(3); // D, F, G
  });

  it('a bare --month is the previous month, and --unit narrows every figure', () => {
    expect(report(db, '--month', '--as-of', '2026-11-20 18:00').period.label).toBe('2026-10');
    const only = report(db, '--month', '2026-10', '--as-of', '2026-11-20 18:00', '--unit', '财务部');
    expect(only).toMatchObject({ unit: '财务部', received: 1, closed: 1, compensation_total: 70, reopened: 1 });
    expect(only.by_unit.map((u) => u.unit)).toEqual(['财务部']);
  });

  it('last month does not change when a ticket closed in it is reopened later', async () => {
    const path = join(tempDir(), 'copy.db');
    await buildOffice(path, (o) => {
      const a = o.log('2026-10-05 10:00', { unit: '物流部' });
      o.reply(a, '2026-10-05 11:00');
      o.close(a, '2026-10-06 10:00', 30);
      o.survey(a, '2026-10-06 15:00', 5);
    });
    const before = report(path, '--month', '2026-10', '--as-of', '2026-11-20 18:00');
    await buildOffice(path, (o) => o.reopen('C2026-00001', '2026-11-05 09:00'));
    const after = report(path, '--month', '2026-10', '--as-of', '2026-11-20 18:00');
    for (const key of ['closed', 'satisfaction', 'compensation_total', 'resolution_hours', 'open_at_end'] as const) {
      expect(after[key]).toEqual(before[key]);
    }
    // As of today the ticket is open again, so fewer of October's complaints are closed.
    expect(before.closure_rate).toBe(1);
    expect(after.closure_rate).toBe(0);
    // But as of a date before the reopen it was closed.
    expect(report(path, '--month', '2026-10', '--as-of', '2026-11-01 09:00').closure_rate).toBe(1);
  });
});

describe('other periods and formats', () => {
  const db = tempDbPath();
  beforeAll(async () => {
    await buildOffice(db, (o) => {
      // 质量部 below 90% in December 2025 and January 2026; 客服中心 below in January only.
      const d1 = o.log('2025-12-15 10:00', { unit: '质量部', category: 'product' });
      o.reply(d1, '2025-12-15 11:00');
      o.close(d1, '2025-12-16 10:00');
      o.survey(d1, '2025-12-16 11:00', 3);
      for (const [unit, score] of [['质量部', 2], ['质量部', 5], ['客服中心', 1]] as const) {
        const n = o.log('2026-01-12 10:00', { unit, category: 'product' });
        o.reply(n, '2026-01-12 11:00');
        o.close(n, '2026-01-13 10:00');
        o.survey(n, '2026-01-13 11:00', score);
      }
    });
  });

  it('flags a unit across the year boundary, December to January', async () => {
    const jan = report(db, '--month', '2026-01', '--as-of', '2026-11-20 18:00');
    expect(jan.previous.period.label).toBe('2025-12');
    expect(jan.flagged_units).toEqual([{ unit: '质量部', rate: 0.5, surveyed: 2, previous_rate: 0, previous_surveyed: 1 }]);
  });

  it('the flag threshold is an office setting', async () => {
    const path = join(tempDir(), 'lenient.db');
    await buildOffice(path, (o) => {
      for (const [when, score] of [['2025-12-15', 3], ['2026-01-12', 2], ['2026-01-13', 5]] as const) {
        const n = o.log(`${when} 10:00`, { unit: '质量部' });
        o.reply(n, `${when} 11:00`);
        o.close(n, `${when} 12:00`);
        o.survey(n, `${when} 14:00`, score);
      }
    });
    const flagged = (): string[] => report(path, '--month', '2026-01', '--as-of', '2026-11-20 18:00').flagged_units.map((f) => f.unit);
    expect(flagged()).toEqual(['质量部']);
    await buildOffice(path, (o) => o.step((db) => writeSetting(db, 'report_flag_threshold', 0.5)));
    // 50% satisfied in January is not below a 50% line.
    expect(flagged()).toEqual([]);
  });

  it('an empty month has zero counts and null rates, never NaN or 0%', () => {
    const june = report(db, '--month', '2026-06', '--as-of', '2026-11-20 18:00');
    expect(june).toMatchObject({ received: 0, closed: 0, closure_rate: null, callback_rate: null, satisfaction: { surveyed: 0, satisfied: 0, rate: null } });
    expect(june.timeliness.first_reply).toEqual({ due: 0, met: 0, rate: null });
    expect(june.resolution_hours).toEqual({ mean: null, median: null });
    expect(june.by_unit).toEqual([]);
    const table = runCli(['report', '--month', '2026-06', '--as-of', '2026-11-20 18:00'], { db });
    expect(table.status).toBe(0);
    const headline = table.stdout.slice(0, table.stdout.indexOf('Timeliness by stage'));
    expect(headline).toMatch(/Satisfaction\s*│\s*—/);
    expect(table.stdout).not.toMatch(/NaN/);
    expect(headline).not.toMatch(/[^\d.]0\.0%/);
  });

  it('weeks, quarters, years and ranges name their periods', () => {
    expect(report(db, '--week', '2026-W03', '--as-of', '2026-11-20 18:00')).toMatchObject({ period: { label: '2026-W03', from: '2026-01-12T00:00:00+08:00' }, received: 3 });
    expect(report(db, '--quarter', '2026-Q1', '--as-of', '2026-11-20 18:00')).toMatchObject({ received: 3, previous: { period: { label: '2025-Q4' }, received: 1 } });
    expect(report(db, '--year', '2025', '--as-of', '2026-11-20 18:00').received).toBe(1);
    const range = report(db, '--from', '2025-12-15', '--to', '2026-01-13', '--as-of', '2026-11-20 18:00');
    expect(range.period).toMatchObject({ kind: 'range', label: '2025-12-15..2026-01-12' });
    expect(range.received).toBe(4);
  });

  it('refuses a bad period with exit 2 and one line naming the flag', () => {
    for (const args of [['--month', '2026-13'], ['--week', '2026-W60'], ['--quarter', '2026-Q5'], ['--month', '2026-10', '--year', '2026'], ['--from', '2026-10-01'], ['--format', 'pdf']]) {
      const r = runCli(['report', ...args], { db });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('the table marks rates against the 95% and 90% targets and charts 12 months', () => {
    const r = runCli(['report', '--month', '2026-01', '--as-of', '2026-11-20 18:00'], { db });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Complaints report 2026-01');
    expect(r.stdout).toMatch(/Satisfaction\s*│\s*33\.3% ✗/);
    expect(r.stdout).toMatch(/First reply on time\s*│\s*100\.0% ✓/);
    expect(r.stdout).toContain('质量部');
    expect(r.stdout).toMatch(/2025-02 .*\n(.*\n){10}\s*2026-01 /);
  });

  it('csv parses back into its sections, Chinese and quotes intact', () => {
    const r = runCli(['report', '--month', '2026-01', '--as-of', '2026-11-20 18:00', '--format', 'csv'], { db });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('\uFEFF')).toBe(true);
    const sections = r.stdout.slice(1).split('\r\n\r\n').map((block) => parseCsv(block));
    const byUnit = sections.find((s) => s[0]![0] === 'By unit')!;
    expect(byUnit[1]).toEqual(['Unit', 'Received', 'Closed', 'Closure rate', 'Open at end', 'Surveyed', 'Satisfaction', 'First reply on time', 'Reopened', 'Unreachable callbacks', 'Compensation', 'Mean hours']);
    expect(byUnit.find((row) => row[0] === '质量部')?.slice(1, 3)).toEqual(['2', '2']);
    const headline = sections.find((s) => s[0]![0] === 'Headline figures')!;
    expect(headline.find((row) => row[0] === 'Compensation')?.[1]).toBe('0.00');
    // Every row of a section has as many fields as its header.
    for (const s of sections.slice(1)) for (const row of s.slice(2)) expect(row).toHaveLength(s[1]!.length);
  });

  it('md has a table per section', () => {
    const r = runCli(['report', '--month', '2026-01', '--as-of', '2026-11-20 18:00', '--format', 'md'], { db });
    expect(r.stdout).toContain('# Complaints report 2026-01');
    expect(r.stdout).toMatch(/\| Unit \| Received \|.*\n\|( --- \|| ---: \|)+\n\| 质量部 \| 2 \|/);
  });

  it('html is one standalone, well-formed page with the figures, escaped, for A4', async () => {
    const out = join(tempDir(), 'bulletin.html');
    await buildOffice(db, (o) => o.log('2026-01-20 10:00', { unit: '<script>alert(1)</script>&' }));
    const r = runCli(['report', '--month', '2026-01', '--as-of', '2026-11-20 18:00', '--format', 'html', '--output', out], { db });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('@page { size: A4');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)|<link|@import|src=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;');
    expect(html).toContain('质量部');
    expect(html).toContain('<svg');
    expect(html).toContain('33.3%');
    expect(balancedTags(html)).toEqual([]);
  });

  it('--json is one document with the SPEC §6 names', () => {
    const r = runCli(['report', '--month', '2026-01', '--as-of', '2026-11-20 18:00', '--json'], { db });
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['period', 'received', 'closed', 'closure_rate', 'open_at_end', 'satisfaction', 'callback_rate', 'timeliness', 'reopened',
      'compensation_total', 'resolution_hours', 'by_unit', 'by_category', 'by_channel', 'by_severity', 'flagged_units', 'previous']) {
      expect(doc, key).toHaveProperty(key);
    }
    expect(Object.keys(doc.timeliness as object)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'approval']);
  });
});

/** Open tags left unclosed or closed unopened (void elements aside). */
function balancedTags(html: string): string[] {
  const voids = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of html.replace(/<!DOCTYPE[^>]*>/i, '').replace(/<style>[\s\S]*?<\/style>/, '').matchAll(/<(\/?)([a-zA-Z0-9]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    const tag = name!.toLowerCase();
    if (selfClosing || (voids.has(tag) && !closing)) continue;
    if (!closing) stack.push(tag);
    else if (stack.at(-1) === tag) stack.pop();
    else problems.push(`</${tag}> while <${stack.at(-1)}> open`);
  }
  return [...problems, ...stack.map((t) => `<${t}> not closed`)];
}

