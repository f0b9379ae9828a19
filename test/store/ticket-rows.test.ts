import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoTickets } from '../../src/domain/demo-data.js';
import { demoHistory } from '../../src/domain/demo-history.js';
import { canonicalJson } from '../../src/domain/events.js';
import { sealTicket } from '../../src/domain/personal.js';
import { deadlineRow, rowDeadline, rowTicket, ticketRow } from '../../src/store/ticket-rows.js';
import { at, policy } from '../support/office.js';

const seal = (v: string): string => createHmac('sha256', 'k').update(v).digest('base64url').slice(0, 16);

describe('a ticket as its row (schema 4)', () => {
  const tickets = [...demoTickets({ tickets: 200, months: 3, seed: 5, asOf: at('2026-11-20 12:00'), calendar: policy.calendar })]
    .flatMap((plan, i) => demoHistory(plan, `C2026-${String(i + 1).padStart(5, '0')}`, policy).map((s) => s.ticket));

  it('reads back as the same sealed ticket at every step of 200 histories, deadlines through their rows', () => {
    for (const clear of tickets) {
      const sealed = sealTicket(clear, seal, new Map());
      const dls = Object.entries(sealed.deadlines).map(([k, dl]) => deadlineRow(7, k, dl));
      expect(canonicalJson(rowTicket(ticketRow(sealed, clear), dls))).toBe(canonicalJson(sealed));
      for (const d of dls) expect(rowDeadline(d)).toEqual(sealed.deadlines[d.key]);
    }
  });

  it('repeats no column in `rest`, and holds the search copies in clear and nothing personal in clear elsewhere', () => {
    for (const clear of tickets.slice(0, 300)) {
      const row = ticketRow(sealTicket(clear, seal, new Map()), clear);
      const rest = JSON.parse(row.rest) as Record<string, unknown>;
      for (const f of ['no', 'status', 'subject', 'receivedAt', 'unit', 'cycle', 'deadlines']) expect(rest).not.toHaveProperty(f);
      expect(row.complainant_name).toBe(clear.complainant.name);
      if (clear.complainant.phone !== null) expect(row.rest).not.toContain(clear.complainant.phone);
    }
  });

  it('is small: the rest of a typical ticket is a few hundred bytes at most', () => {
    const sizes = tickets.map((t) => Buffer.byteLength(ticketRow(sealTicket(t, seal, new Map()), t).rest)).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(300);
  });
});
