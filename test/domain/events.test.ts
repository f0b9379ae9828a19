import { describe, expect, it } from 'vitest';
import { applyCompact, compactChanges, foldPayloads, type CompactChanges } from '../../src/domain/event-payloads.js';
import { canonicalJson, same } from '../../src/domain/events.js';
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

/** What the store keeps: the compact changes serialised as canonical JSON and read back. */
const stored = (changes: CompactChanges): CompactChanges => JSON.parse(canonicalJson(changes)) as CompactChanges;
const asJson = (t: Ticket | null): unknown => JSON.parse(JSON.stringify(t));

// Events v2 (domain/event-payloads.ts): each event stores the new values it set, so the fold from
// the blank ticket is the truth. v1's before-values (and their staleness check) are gone with them.
describe('the event log is the truth', () => {
  const life = wholeLife();
  const events = life.map((t, i) => stored(compactChanges(i === 0 ? null : life[i - 1]!, t)));

  it('folding the events of a whole lifecycle reproduces the final ticket', () => {
    expect(life.at(-1)!.status).toBe('closed');
    expect(life.at(-1)!.reopenCount).toBe(1);
    expect(asJson(foldPayloads(events))).toEqual(asJson(life.at(-1)!));
  });

  it('every prefix of the events folds to the ticket of that moment', () => {
    for (let n = 1; n <= events.length; n++) {
      expect(asJson(foldPayloads(events.slice(0, n))), `after ${n} events`).toEqual(asJson(life[n - 1]!));
    }
    let state: Ticket | null = null;
    for (const [i, e] of events.entries()) {
      state = applyCompact(state, e);
      expect(same(state, life[i]!), `step ${i}`).toBe(true);
    }
  });

  it('records only what changed, new values only, deadlines one instance at a time', () => {
    const reply = compactChanges(life[2]!, life[3]!);
    // The status follows from the facts, so a reply that moves the ticket on need not store it.
    expect(life[3]!.status).toBe('in_progress');
    expect(Object.keys(reply.set).sort()).toEqual(['lastReplyAt', 'replyCount']);
    expect(reply.set).toEqual({ lastReplyAt: life[3]!.lastReplyAt, replyCount: 1 });
    expect(Object.keys(reply.deadlines).sort()).toEqual(['first_reply.1', 'update.1.1']);
    // Of a deadline that was there before, only the fields that changed.
    expect(reply.deadlines['first_reply.1']).toEqual({ doneAt: life[3]!.lastReplyAt });
    expect(compactChanges(life[5]!, life[5]!)).toEqual({ set: {}, deadlines: {} });
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { x: 2, y: 1 }] }, b: 1 }));
    expect(same({ b: 1, a: [1, { x: 2 }] }, { a: [1, { x: 2 }], b: 1 })).toBe(true);
    expect(same({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
