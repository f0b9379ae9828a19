import fc from 'fast-check';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as assign } from '../../src/commands/assign.js';
import { run as close } from '../../src/commands/close.js';
import { run as extend } from '../../src/commands/extend.js';
import { hold, resume } from '../../src/commands/hold.js';
import { run as log } from '../../src/commands/log.js';
import { run as note } from '../../src/commands/note.js';
import { run as reopen } from '../../src/commands/reopen.js';
import { run as reply } from '../../src/commands/reply.js';
import { run as survey } from '../../src/commands/survey.js';
import { ComplaintsError } from '../../src/domain/errors.js';
import { openStore } from '../../src/store/store.js';
import { numberingFacts } from '../../src/store/anchor.js';
import { skipNumbers } from '../../src/store/restore.js';
import { verifyStore, type VerifyReport } from '../../src/store/verify.js';
import { missingDbPath, tempDir } from '../support/cli.js';
import { testContext, type TestContext } from '../support/context.js';
import { forgeEvent, payloadOf, rechain, rehashedEdit, unlockEvents } from '../support/events.js';
import { withRaw } from '../support/sqlite.js';

// verify folds every ticket's events again and compares (git-bug's Compile()): it must find
// nothing in any history the commands can produce, and something in any edit made behind their back.

async function verifyFile(db: string): Promise<VerifyReport> {
  const store = await openStore(db);
  try {
    return await verifyStore(store);
  } finally {
    await store.close();
  }
}

const complainant = { name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', yes: true } as const;

/** One ticket through its whole life, and a second one left open on hold. */
async function workedDatabase(): Promise<string> {
  const db = missingDbPath();
  const ctx = testContext(db);
  await log(ctx, { ...complainant, subject: 'Parcel two weeks late', amount: '120', at: '2026-11-16 09:30' });
  await log(ctx, { ...complainant, name: '陈静', subject: '发票金额错误', category: 'billing', urgent: true, at: '2026-11-16 10:00' });
  await assign(ctx, 'C2026-00001', { unit: 'Logistics', to: 'Li Lei', at: '2026-11-16 10:30' });
  await reply(ctx, 'C2026-1', { via: 'phone', message: 'Courier found the parcel', at: '2026-11-16 11:00' });
  await hold(ctx, 'C2026-00001', { reason: 'waiting-customer', note: 'photos of the box', at: '2026-11-16 14:00' });
  await resume(ctx, 'C2026-00001', { at: '2026-11-17 10:00' });
  await note(ctx, 'C2026-00001', { message: 'Photos received', at: '2026-11-17 10:05' });
  await extend(ctx, 'C2026-00001', { to: '2026-11-27', reason: 'Complainant agreed to wait for stock', at: '2026-11-17 11:00' });
  await close(ctx, 'C2026-00001', { resolution: 'Replacement delivered', fault: 'third-party', compensation: '50', compensationKind: 'cash', at: '2026-11-18 16:00' });
  await survey(ctx, 'C2026-00001', { unreachable: true, at: '2026-11-19 10:00' });
  await survey(ctx, 'C2026-00001', { score: '2', comment: 'Too slow', at: '2026-11-19 15:00' });
  await reopen(ctx, 'C2026-00001', { reason: 'The replacement is broken too', at: '2026-11-20 09:00' });
  await reply(ctx, 'C2026-00001', { via: 'visit', message: 'Engineer visited', at: '2026-11-20 15:00' });
  await assign(ctx, 'C2026-00002', { unit: 'Finance', at: '2026-11-16 10:20' });
  await hold(ctx, 'C2026-00002', { reason: 'waiting-third-party', at: '2026-11-16 12:00' });
  await ctx.close();
  return db;
}

describe('verify finds nothing wrong in what the commands write', () => {
  it('a ticket through its whole life and another on hold', async () => {
    const report = await verifyFile(await workedDatabase());
    expect(report.problems).toEqual([]);
    expect(report.tickets).toBe(2);
    expect(report.events).toBe(15);
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('any sequence of operations, valid or refused', async () => {
    const op = fc.record({
      kind: fc.constantFrom('log', 'assign', 'reply', 'note', 'extend', 'close', 'survey', 'unreachable', 'reopen', 'hold', 'resume'),
      ticket: fc.integer({ min: 1, max: 3 }),
      minutes: fc.integer({ min: 1, max: 600 }),
      score: fc.integer({ min: 1, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const db = join(tempDir(), 'prop.db');
        const ctx = testContext(db);
        let clock = Date.UTC(2026, 10, 2, 1, 0); // 2026-11-02 09:00 in Shanghai
        let logged = 0;
        try {
          for (const o of ops) {
            clock += o.minutes * 60_000;
            const at = `${new Date(clock).toISOString().slice(0, 19)}Z`;
            const no = `C2026-${o.ticket}`;
            try {
              if (o.kind === 'log' || logged === 0) {
                await log(ctx, { ...complainant, subject: `Complaint ${logged + 1}`, urgent: o.score === 5, at });
                logged++;
                continue;
              }
              if (o.ticket > logged) continue;
              if (o.kind === 'assign') await assign(ctx, no, { unit: `Unit ${o.score}`, at });
              if (o.kind === 'reply') await reply(ctx, no, { via: 'email', message: 'Update sent', at });
              if (o.kind === 'note') await note(ctx, no, { message: 'Checked the batch', at });
              if (o.kind === 'extend') await extend(ctx, no, { to: new Date(clock + 3 * 86_400_000).toISOString().slice(0, 10), reason: 'agreed', at });
              if (o.kind === 'close') await close(ctx, no, { resolution: 'Solved', at });
              if (o.kind === 'survey') await survey(ctx, no, { score: String(o.score), at });
              if (o.kind === 'unreachable') await survey(ctx, no, { unreachable: true, at });
              if (o.kind === 'reopen') await reopen(ctx, no, { reason: 'Again', at });
              if (o.kind === 'hold') await hold(ctx, no, { reason: 'other', at });
              if (o.kind === 'resume') await resume(ctx, no, { at });
            } catch (e) {
              if (!(e instanceof ComplaintsError)) throw e; // refused transitions change nothing
            }
          }
          expect((await verifyStore(await ctx.store())).problems).toEqual([]);
        } finally {
          await ctx.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('verify finds edits made behind the program', () => {
  let worked: string;
  beforeAll(async () => {
    worked = await workedDatabase();
  });

  function edited(sql: string, ...params: unknown[]): string {
    const db = join(tempDir(), 'edited.db');
    copyFileSync(worked, db);
    withRaw(db, (raw) => {
      unlockEvents(raw);
      raw.exec('PRAGMA foreign_keys = OFF;');
      raw.prepare(sql).run(...params);
    });
    return db;
  }

  /** A copy of the worked database changed by `edit` with the raw connection, triggers dropped. */
  function editedWith(edit: (raw: Parameters<Parameters<typeof withRaw>[1]>[0]) => void): string {
    const db = join(tempDir(), 'edited.db');
    copyFileSync(worked, db);
    withRaw(db, (raw) => {
      unlockEvents(raw);
      edit(raw);
    });
    return db;
  }

  it.each([
    ['at', 'UPDATE events SET at = at + 60000 WHERE id = 4'],
    ['recorded_at', 'UPDATE events SET recorded_at = 0 WHERE id = 4'],
    ['actor', "UPDATE events SET actor = 'director' WHERE id = 4"],
    ['kind', "UPDATE events SET kind = 'noted' WHERE id = 4"],
    ['format', 'UPDATE events SET format = 3 WHERE id = 4'],
    ['payload (details)', `UPDATE events SET payload = json_set(payload, '$.d.via', 'email') WHERE id = 4`],
    ['payload (personal detail)', `UPDATE events SET payload = json_set(payload, '$.d.message', 'nothing') WHERE id = 4`],
    ['payload (changes)', `UPDATE events SET payload = json_remove(payload, '$.s', '$.dl') WHERE id = 4`],
    ['ticket_id', 'UPDATE events SET ticket_id = 2 WHERE id = 4'],
    ['hash', 'UPDATE events SET hash = zeroblob(32) WHERE id = 4'],
    ['unparsable JSON', `UPDATE events SET payload = '{oops' WHERE id = 4`],
  ])('event column %s changed: the chain names event 4 of C2026-00001', async (_column, sql) => {
    const report = await verifyFile(edited(sql));
    expect(report.problems[0]).toMatchObject({ kind: 'chain', key: 'verify_chain_hash', event: 4 });
    expect(report.problems[0]!.params.ticket).toMatch(/^C2026-0000[12]$/);
  });

  it('an event removed from the middle breaks the hash of the next one', async () => {
    const report = await verifyFile(edited('DELETE FROM events WHERE id = 7'));
    expect(report.problems[0]).toEqual({
      kind: 'chain', key: 'verify_chain_hash', event: 8, ticket: 'C2026-00001', params: { event: 8, ticket: 'C2026-00001', previous: 6 },
    });
  });

  it('an edited event re-hashed to hide it breaks the hash of the next one, which names it', async () => {
    const db = editedWith((raw) => rehashedEdit(raw, 4, payloadOf(raw, 4).replace('"via":"phone"', '"via":"email"')));
    const report = await verifyFile(db);
    expect(report.problems).toEqual([
      { kind: 'chain', key: 'verify_chain_hash', event: 5, ticket: 'C2026-00001', params: { event: 5, ticket: 'C2026-00001', previous: 4 } },
    ]);
  });

  it('a payload that is not its kind, re-hashed and chained again, is named by the field', async () => {
    // The last event (C2026-00002 put on hold): edited, its hash and the recorded head computed
    // again, so only the payload's shape is left to catch it.
    const db = editedWith((raw) => {
      raw.prepare('UPDATE events SET payload = ? WHERE id = 15').run(payloadOf(raw, 15).replace('"reason":"waiting-third-party"', '"reason":"lunch"'));
      rechain(raw, 15);
    });
    const report = await verifyFile(db);
    expect(report.problems).toEqual([
      { kind: 'chain', key: 'verify_event_payload', event: 15, ticket: 'C2026-00002', params: { event: 15, ticket: 'C2026-00002', kind: 'held', field: 'd.reason' } },
      // The fold goes on without the payload it cannot read, so the row (on hold) no longer agrees either.
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_column', ticket: 'C2026-00002', params: expect.objectContaining({ column: 'on_hold' }) }),
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_snapshot', ticket: 'C2026-00002', params: expect.objectContaining({ field: 'hold' }) }),
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_deadline', ticket: 'C2026-00002', params: expect.objectContaining({ key: 'resolve.1' }) }),
    ]);
  });

  it.each([
    ['status', "'closed'"], ['severity', "'major'"], ['unit', "'Sales'"], ['assignee', "'Nobody'"], ['subject', "'Nothing happened'"],
    ['received_at', 'received_at - 1'], ['reopen_count', '0'], ['compensation_cents', '0'], ['survey_score', '5'], ['on_hold', '1'],
  ])('ticket column %s changed: verify names C2026-00001 and the column', async (column, value) => {
    const report = await verifyFile(edited(`UPDATE tickets SET ${column} = ${value} WHERE no = 'C2026-00001'`));
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_column', ticket: 'C2026-00001', params: expect.objectContaining({ column }) }));
    expect(report.problems.every((p) => p.ticket === 'C2026-00001')).toBe(true);
  });

  it('a deadline row removed, added or moved is named', async () => {
    const removed = await verifyFile(edited("DELETE FROM deadlines WHERE ticket_id = 2 AND key LIKE 'resolve%'"));
    expect(removed.problems).toEqual([expect.objectContaining({ key: 'verify_ticket_deadline', ticket: 'C2026-00002', params: expect.objectContaining({ found: 'missing' }) })]);
    const added = await verifyFile(edited("INSERT INTO deadlines (ticket_id, key, stage, cycle, due) VALUES (2, 'callback.9', 'callback', 9, 0)"));
    expect(added.problems).toEqual([expect.objectContaining({ key: 'verify_ticket_deadline', ticket: 'C2026-00002', params: expect.objectContaining({ key: 'callback.9' }) })]);
    const moved = await verifyFile(edited("UPDATE deadlines SET done_at = 1795000000000 WHERE ticket_id = 2 AND key LIKE 'resolve%'"));
    expect(moved.problems).toHaveLength(1);
  });

  it('a forged event appended with a correct hash, and the row edited to match, is caught by its payload', async () => {
    // v2 events carry new values only, so a forgery that sets them consistently is a real event as
    // far as the chain and the fold go; what cannot be forged is a payload its kind does not hold.
    const db = editedWith((raw) => {
      forgeEvent(raw, { ticketId: 2, at: 1_795_000_000_000, actor: 'clerk1', kind: 'assigned', details: {}, changes: { set: { unit: 'Sales' }, deadlines: {} } });
      raw.prepare("UPDATE tickets SET unit = 'Sales' WHERE id = 2").run();
    });
    const report = await verifyFile(db);
    expect(report.problems).toEqual([
      { kind: 'chain', key: 'verify_event_payload', event: 16, ticket: 'C2026-00002', params: { event: 16, ticket: 'C2026-00002', kind: 'assigned', field: 'd.unit' } },
      // and the fold, without the event it cannot read, disagrees with the edited row.
      { kind: 'ticket', key: 'verify_ticket_column', ticket: 'C2026-00002', params: { no: 'C2026-00002', column: 'unit', found: '"Sales"', expected: '"Finance"' } },
    ]);
  });

  it('a forged event that changes a field without the row edited to match names the column', async () => {
    const db = editedWith((raw) => {
      forgeEvent(raw, {
        ticketId: 2, at: 1_795_000_000_000, actor: 'clerk1', kind: 'assigned', details: { unit: 'Sales', assignee: null },
        changes: { set: { unit: 'Sales' }, deadlines: {} },
      });
    });
    const report = await verifyFile(db);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_column', ticket: 'C2026-00002', params: { no: 'C2026-00002', column: 'unit', found: '"Finance"', expected: '"Sales"' } }),
    ]);
  });

  it('a ticket with no events at all is named', async () => {
    const report = await verifyFile(edited('DELETE FROM events WHERE ticket_id = 2'));
    expect(report.problems).toContainEqual(expect.objectContaining({ key: 'verify_ticket_no_events', ticket: 'C2026-00002' }));
  });

  it('an event whose stored text was re-spaced, its content unchanged, is named (stored bytes are the hashed bytes)', async () => {
    const report = await verifyFile(edited(`UPDATE events SET payload = replace(payload, '":', '": ') WHERE id = 4`));
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'chain', key: 'verify_event_reformatted', event: 4, ticket: 'C2026-00001', params: { event: 4, ticket: 'C2026-00001' } }),
    ]);
  });

  it("a year's counter set back below a number given is named", async () => {
    const report = await verifyFile(edited('UPDATE ticket_counters SET last = 1 WHERE year = 2026'));
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'counter', key: 'verify_counter_behind_ticket', ticket: 'C2026-00002', params: { year: 2026, last: 1, no: 'C2026-00002' } }),
    ]);
    expect((await verifyFile(edited('DELETE FROM ticket_counters'))).problems).toHaveLength(1);
  });

  it('a second logged event, chained and recorded as the head like any other, is named', async () => {
    const db = editedWith((raw) => {
      forgeEvent(raw, { ticketId: 2, at: 1_795_000_000_000, actor: 'clerk1', kind: 'logged', details: { channel: 'phone', severity_given: null, severity_suggested: 'general' } });
    });
    expect((await verifyFile(db)).problems).toEqual([
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_logged_again', event: 16, ticket: 'C2026-00002' }),
    ]);
  });

  it('a ticket whose history does not start with logged is named', async () => {
    const report = await verifyFile(edited("UPDATE events SET kind = 'noted' WHERE id = 2"));
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'ticket', key: 'verify_ticket_first_not_logged', event: 2, ticket: 'C2026-00002', params: { no: 'C2026-00002', event: 2, kind: 'noted' } }),
    );
  });
});

describe('verify and the numbers a restore skipped', () => {
  /** The worked database after a restore skipped C2026-00003..C2026-00007, its counter then set to `counter`. */
  async function skipped(counter: number): Promise<VerifyReport> {
    const db = await workedDatabase();
    const store = await openStore(db);
    try {
      await skipNumbers({ store, copy: db, facts: await store.read(numberingFacts), discard: async () => undefined }, [{ year: 2026, from: 3, to: 7 }], {
        actor: 'admin', at: 1_795_000_000_000, recordedAt: 1_795_000_000_000,
        details: { restored_from: '/backup/monday.db', kept_as: null, anchors: [], replaced_chain_head: null },
      });
    } finally {
      await store.close();
    }
    withRaw(db, (raw) => raw.prepare('UPDATE ticket_counters SET last = ?').run(counter));
    return await verifyFile(db);
  }

  it('the skipped range is a legitimate gap, not a finding', async () => {
    expect((await skipped(7)).problems).toEqual([]);
  });

  it('a counter set back below the end of the skipped range is named', async () => {
    expect((await skipped(2)).problems).toEqual([
      expect.objectContaining({ kind: 'counter', key: 'verify_counter_behind_skip', event: 16, params: { year: 2026, last: 2, event: 16, to: 'C2026-00007' } }),
    ]);
  });
});
