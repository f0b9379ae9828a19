import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoTickets } from '../../src/domain/demo-data.js';
import { demoHistory, type HistoryStep } from '../../src/domain/demo-history.js';
import {
  applyCompact, BLANK_TICKET, compactChanges, decodePayload, DETAILS_BY_KIND, detailsProblem, encodePayload, foldPayloads,
} from '../../src/domain/event-payloads.js';
import { canonicalJson } from '../../src/domain/events.js';
import { EVENT_KINDS, type EventKind } from '../../src/domain/model.js';
import {
  isSeal, PERSONAL_TICKET_FIELDS, sealDetails, sealsIn, sealTicket, unsealDetails, unsealTicket,
} from '../../src/domain/personal.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { at, policy } from '../support/office.js';

const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const sealer = (key: string) => (v: string): string => createHmac('sha256', key).update(v).digest('base64url').slice(0, 16);

/** Realistic histories: the demo's plans, replayed through the lifecycle as the commands do. */
function histories(count: number, seed: number): HistoryStep[][] {
  const plans = demoTickets({ tickets: count, months: 3, seed, asOf: at('2026-11-20 12:00'), calendar: policy.calendar });
  return [...plans].map((plan, i) => demoHistory(plan, `C2026-${String(i + 1).padStart(5, '0')}`, policy));
}

/** What the store does with each step: seal, diff against the sealed ticket before, encode. */
function encodeHistory(history: HistoryStep[], seal: (v: string) => string, kept: Map<string, string>): { kind: EventKind; text: string }[] {
  let before: Ticket | null = null;
  return history.map((step) => {
    const after = sealTicket(step.ticket, seal, kept);
    const text = encodePayload(sealDetails(step.kind, step.details, seal, kept), compactChanges(before, after));
    before = after;
    return { kind: step.kind, text };
  });
}

describe('events v2: the fold of the stored payloads is the ticket', () => {
  const all = histories(300, 7);

  it('every ticket of 300 demo histories folds back, personal fields sealed then unsealed, at every step', () => {
    let steps = 0;
    for (const history of all) {
      const kept = new Map<string, string>();
      const encoded = encodeHistory(history, sealer('k'), kept);
      let folded: Ticket | null = null;
      encoded.forEach((e, i) => {
        const decoded = decodePayload(e.kind, e.text);
        if (!decoded.ok) throw new Error(`${e.kind}: ${decoded.field}`);
        folded = applyCompact(folded, decoded.payload.changes);
        expect(asJson(unsealTicket(folded, kept))).toEqual(asJson(history[i]!.ticket));
        expect(unsealDetails(e.kind, decoded.payload.details, kept)).toEqual(history[i]!.details);
        steps++;
      });
    }
    expect(steps).toBeGreaterThan(1500);
  });

  it('covers every kind the demo writes, and each stored text is canonical (re-encoding gives the same bytes)', () => {
    const kinds = new Set<string>();
    for (const history of all) {
      for (const e of encodeHistory(history, sealer('k'), new Map())) {
        kinds.add(e.kind);
        expect(canonicalJson(JSON.parse(e.text))).toBe(e.text);
      }
    }
    expect([...kinds].sort()).toEqual(['assigned', 'callback_failed', 'closed', 'extended', 'held', 'logged', 'noted', 'reopened', 'replied', 'resumed', 'surveyed']);
  });

  it('no personal value reaches the stored text: only seals, one per value', () => {
    for (const history of all.slice(0, 50)) {
      const kept = new Map<string, string>();
      const texts = encodeHistory(history, sealer('k'), kept).map((e) => e.text).join('\n');
      const first = history[0]!.ticket;
      for (const v of [first.complainant.name, first.complainant.phone, first.description, first.demand]) {
        // Staff names (an assignee) are not the complainant's data, and the demo draws both from one pool.
        const staff = history.some((s) => s.details.assignee === v || s.actor === v);
        if (v !== null && v.length > 0 && !staff) expect(texts).not.toContain(JSON.stringify(v));
      }
      for (const step of history) {
        if (step.kind === 'replied' || step.kind === 'noted') expect(texts).not.toContain(JSON.stringify(step.details.message));
      }
      expect([...sealsIn(texts.split('\n').map((t) => JSON.parse(t)))].sort()).toEqual([...kept.keys()].sort());
    }
  });

  it('is compact: at least 4x smaller than the v1 changes with before and after of whole deadline objects', () => {
    let v2 = 0;
    let v1 = 0;
    for (const history of all) {
      v2 += encodeHistory(history, sealer('k'), new Map()).reduce((n, e) => n + Buffer.byteLength(e.text), 0);
      history.forEach((s, i) => {
        v1 += Buffer.byteLength(canonicalJson(s.details)) + Buffer.byteLength(canonicalJson(v1Changes(i === 0 ? null : history[i - 1]!.ticket, s.ticket)));
      });
    }
    expect(v2 * 4).toBeLessThan(v1);
  });

  it('an erased ticket (its values gone) unseals to nulls, and its sealed fold is unchanged', () => {
    const history = all.find((h) => h[0]!.ticket.complainant.phone !== null)!;
    const kept = new Map<string, string>();
    const encoded = encodeHistory(history, sealer('k'), kept);
    const folded = foldPayloads(encoded.map((e) => {
      const decoded = decodePayload(e.kind, e.text);
      if (!decoded.ok) throw new Error(decoded.field);
      return decoded.payload.changes;
    }))!;
    const erased = unsealTicket(folded, new Map());
    expect(erased.complainant.phone).toBeNull();
    expect(erased.complainant.name).toBeNull();
    expect(erased.subject).toBe(history.at(-1)!.ticket.subject);
    expect(isSeal(folded.complainant.phone)).toBe(true);
  });

  it('a different key gives different seals for the same person (no lookup across tickets)', () => {
    const history = all[0]!;
    const a = encodeHistory(history, sealer('key-a'), new Map())[0]!.text;
    const b = encodeHistory(history, sealer('key-b'), new Map())[0]!.text;
    expect(a).not.toBe(b);
  });
});

function v1Changes(before: Ticket | null, after: Ticket): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [f, v] of Object.entries(after)) {
    if (f === 'deadlines') continue;
    out[f] = [before === null ? null : (before as unknown as Record<string, unknown>)[f], v];
  }
  for (const [k, dl] of Object.entries(after.deadlines)) {
    const old = before?.deadlines[k] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(dl)) out[`deadlines.${k}`] = [old, dl];
  }
  return out;
}

describe('events v2: every kind has its own typed payload', () => {
  const samples: Record<EventKind, Record<string, unknown>> = {
    logged: { channel: 'phone', severity_given: null, severity_suggested: 'general' },
    assigned: { unit: '物流部', assignee: null },
    replied: { via: 'sms', message: '已告知' },
    noted: { message: '客户来电催问' },
    extended: { to: at('2026-11-27 18:00'), reason: '协商延期' },
    closed: { resolution: '已补发', fault: 'company', root_cause: null, action: null, compensation: 50, compensation_kind: 'cash' },
    surveyed: { score: 4, comment: null },
    callback_failed: { comment: null },
    reopened: { reason: '仍未解决' },
    held: { reason: 'waiting-customer', note: null },
    resumed: {},
    deadlines_recomputed: { reason: 'calendar' },
    settings_changed: { setting: 'sla.resolve.general', before: '5wd', after: '4wd' },
    numbers_skipped: { restored_from: '/b/c.db', kept_as: null, anchors: [], replaced_chain_head: null, skipped: [{ year: 2026, from: 'C2026-00004', to: 'C2026-00006' }] },
    upgraded: { from_format: 1, events: 12, old_head: { event: 12, hash: 'ab' }, old_origin: 'cd' },
    personal_data_erased: { reason: '客户要求删除个人信息' },
    stage_done: { stage: 'site_visit', note: '已上门查看' },
    procedure_changed: { version: 2, change: 'lists add channel fax', before: null, after: { code: 'fax' }, digest: 'ab12' },
    people_changed: { change: 'people add', login: 'lilei', before: null, after: { name: '李雷', role: 'handler' } },
    units_changed: { change: 'units rename', unit: '物流部', before: { name: '物流布' }, after: { name: '物流部' } },
    unit_renamed: { from: '物流布', to: '物流部' },
    approval_requested: {
      resolution: '赔偿客户', fault: 'company', root_cause: null, action: null, compensation: 20000, compensation_kind: 'cash',
      needs: 'director', reasons: ['compensation'],
    },
    approved: { note: '同意', rank: 'director' },
    approval_rejected: { reason: '金额过高' },
    personal_data_revealed: { fields: ['phone'] },
  };

  it('round-trips each of the kinds, sealed or not', () => {
    expect(Object.keys(DETAILS_BY_KIND).sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of EVENT_KINDS) {
      const kept = new Map<string, string>();
      const sealed = sealDetails(kind, samples[kind], sealer('k'), kept);
      const decoded = decodePayload(kind, encodePayload(sealed));
      expect(decoded.ok, kind).toBe(true);
      if (decoded.ok) expect(unsealDetails(kind, decoded.payload.details, kept)).toEqual(samples[kind]);
    }
  });

  it('refuses a payload that is not its kind: a missing field, an extra one, a wrong type, a code not in code form (lists are office data, issue 11)', () => {
    expect(detailsProblem('replied', { via: 'sms' })).toBe('message');
    expect(detailsProblem('replied', { via: 'sms', message: 'x', extra: 1 })).toBe('extra');
    expect(detailsProblem('replied', { via: 'Pigeon post', message: 'x' })).toBe('via');
    expect(detailsProblem('surveyed', { score: '5', comment: null })).toBe('score');
    expect(detailsProblem('noted', { message: { $q: 'x' } })).toBe('message');
    expect(decodePayload('assigned', '{"d":{"assignee":null,"unit":"x"},"s":{"status":"lost"}}')).toEqual({ ok: false, field: 's.status' });
    expect(decodePayload('assigned', '{"d":{"assignee":null,"unit":"x"},"s":{"colour":1}}')).toEqual({ ok: false, field: 's.colour' });
    expect(decodePayload('assigned', '{"d":{"assignee":null,"unit":"x"},"dl":{"assign.1":{"size":1}}}')).toEqual({ ok: false, field: 'dl.assign.1.size' });
    expect(decodePayload('assigned', '{"d":{"assignee":null,"unit":"x"},"z":1}')).toEqual({ ok: false, field: 'z' });
    expect(decodePayload('assigned', 'not json')).toEqual({ ok: false, field: 'payload' });
  });

  it('the blank ticket has every field a real ticket has, so a logged event sets only what differs', () => {
    const t = histories(1, 3)[0]![0]!.ticket;
    expect(Object.keys(BLANK_TICKET).sort()).toEqual(Object.keys(t).sort());
    expect(PERSONAL_TICKET_FIELDS.every((p) => p.split('.')[0]! in BLANK_TICKET)).toBe(true);
  });

  it('a removed deadline is stored as null and folds away', () => {
    const t = histories(1, 3)[0]![0]!.ticket;
    const key = Object.keys(t.deadlines)[0]!;
    const without = { ...t, deadlines: { ...t.deadlines } };
    delete without.deadlines[key];
    const c = compactChanges(t, without);
    expect(c.deadlines[key]).toBeNull();
    expect(Object.keys(c.set)).toEqual([]);
    expect(applyCompact(t, c).deadlines[key]).toBeUndefined();
  });
});
