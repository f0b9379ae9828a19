import { describe, expect, it } from 'vitest';
import { applyChanges, canonicalJson, diffTickets, foldEvents, staleBefore, type Changes } from '../../src/domain/events.js';
import {
  assignTicket, closeTicket, extendTicket, holdTicket, logTicket, recordFailedCallback, reopenTicket, replyToTicket,
  resumeTicket, surveyTicket, type CloseInput
} from '../../src/domain/lifecycle.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { at, policy } from '../support/office.js';


const resolution: CloseInput = {
  resolution: '已补发', fault: 'company', rootCause: 'warehouse mix-up', action: 'recount stock', compensationCents: 5000, compensationKind: 'cash',
};

/** Every snapshot of one ticket's whole life: two handling cycles, holds, an extension, surveys. */
function wholeLife(): Ticket[] {
  const steps: ((t: Ticket) => Ticket)[] = [
    (t) => assignTicket(t, { unit: 'Logistics', assignee: null }, at('2026-11-16 10:30')),
    (t) => assignTicket(t, { unit: 'Logistics', assignee: 'Li Lei' }, at('2026-11-16 11:00')),
    (t) => replyToTicket(t, at('2026-11-16 14:00'), policy),
    (t) => holdTicket(t, { reason: 'waiting-customer', note: 'photos of the damage' }, at('2026-11-17 09:00'), policy),
    (t) => resumeTicket(t, at('2026-11-17 15:00'), policy),
    (t) => extendTicket(t, { to: at('2026-11-27 18:00'), reason: 'agreed by phone' }, at('2026-11-17 15:30')),
    (t) => replyToTicket(t, at('2026-11-18 10:00'), policy),
    (t) => closeTicket(t, resolution, at('2026-11-18 16:00'), policy),
    (t) => recordFailedCallback(t, at('2026-11-19 10:00')),
    (t) => surveyTicket(t, { score: 2, comment: '还是坏的' }, at('2026-11-19 14:00')),
    (t) => reopenTicket(t, at('2026-11-20 09:00'), policy),
    (t) => holdTicket(t, { reason: 'waiting-third-party', note: null }, at('2026-11-20 10:00'), policy),
    (t) => closeTicket(t, { ...resolution, compensationCents: null, compensationKind: 'apology' }, at('2026-11-20 17:00'), policy),
  ];
  const first = logTicket(
    {
      complainant: { name: '王芳', anonymous: false, phone: '13800000000', email: 'wang@example.cn', address: '上海市', org: null },
      channel: 'phone', category: 'product', subject: '包裹延误', description: '两周未到', demand: '退运费', amountCents: 2_000_000,
      product: 'kettle', batch: 'B-7', receivedAt: at('2026-11-16 10:00'), customerDue: at('2026-11-25 18:00'), unit: null, assignee: null,
      severity: null, urgent: false, safety: false, external: false, group: false,
    },
    'C2026-00001', 'clerk1', at('2026-11-16 10:05'), policy,
  );
  const life = [first];
  for (const step of steps) life.push(step(life.at(-1)!));
  return life;
}

/** What the store keeps: changes serialised as JSON and read back. */
const stored = (changes: Changes): Changes => JSON.parse(canonicalJson(changes)) as Changes;
const asJson = (t: Ticket | null): unknown => JSON.parse(JSON.stringify(t));

describe('the event log is the truth', () => {
  const life = wholeLife();
  const events = life.map((t, i) => ({ changes: stored(diffTickets(i === 0 ? null : life[i - 1]!, t)) }));

  it('folding the events of a whole lifecycle reproduces the final snapshot', () => {
    expect(life.at(-1)!.status).toBe('closed');
    expect(life.at(-1)!.reopenCount).toBe(1);
    expect(asJson(foldEvents(events))).toEqual(asJson(life.at(-1)!));
  });

  it('every prefix of the events folds to the snapshot of that moment', () => {
    for (let n = 1; n <= events.length; n++) {
      expect(asJson(foldEvents(events.slice(0, n))), `after ${n} events`).toEqual(asJson(life[n - 1]!));
    }
  });

  it("each event's recorded before-values match the state it applies to", () => {
    let state: Ticket | null = null;
    for (const e of events) {
      expect(staleBefore(state, e.changes)).toBeNull();
      state = applyChanges(state, e.changes);
    }
    // A tampered before-value is pointed out by field.
    const tampered = { ...events[3]!.changes, status: ['closed', events[3]!.changes.status?.[1] ?? 'in_progress'] as [unknown, unknown] };
    expect(staleBefore(foldEvents(events.slice(0, 3)), tampered)).toBe('status');
  });

  it('records only what changed, deadlines one instance at a time', () => {
    const replyDiff = diffTickets(life[2]!, life[3]!);
    expect(Object.keys(replyDiff).sort()).toEqual(
      ['deadlines.first_reply.1', 'deadlines.update.1.1', 'lastReplyAt', 'replyCount', 'status'].sort(),
    );
    expect(replyDiff.status).toEqual(['assigned', 'in_progress']);
    expect(diffTickets(life[5]!, life[5]!)).toEqual({});
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { x: 2, y: 1 }] }, b: 1 }));
  });
});
