import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoTickets, seededRandom } from '../../src/domain/demo-data.js';
import {
  buildReport, combineTallies, figures, flaggedUnits, isoWeekOf, isoWeeksInYear, median, monthPeriod, periodBefore, periodContaining,
  previousCalendarPeriod, quarterPeriod, rangePeriod, rate, tallyClosureEvents, trendMonths, weekPeriod, yearPeriod, emptyTally,
} from '../../src/domain/report.js';
import { formatIso, startOfLocalDay } from '../../src/domain/time.js';
import { defaultCalendar } from '../../src/domain/working-time.js';
import type { TallyRow } from '../../src/domain/report.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const iso = (t: number, tz = SHANGHAI): string => formatIso(t, tz);
const at = (text: string): number => Date.parse(text);

describe('report periods in office local time', () => {
  it('a month runs from local midnight on the 1st to local midnight on the next 1st', () => {
    const oct = monthPeriod(2026, 10, SHANGHAI);
    expect(oct.label).toBe('2026-10');
    expect(iso(oct.from)).toBe('2026-10-01T00:00:00+08:00');
    expect(iso(oct.to)).toBe('2026-11-01T00:00:00+08:00');
    // 00:30 on 1 November in Shanghai is still 31 October in UTC, yet belongs to November.
    const halfPastMidnight = at('2026-10-31T16:30:00Z');
    expect(halfPastMidnight >= oct.to).toBe(true);
    expect(periodContaining('month', halfPastMidnight, SHANGHAI).label).toBe('2026-11');
  });

  it('December runs into the next year, and a bare --month on 5 January means December', () => {
    const dec = monthPeriod(2026, 12, SHANGHAI);
    expect(iso(dec.to)).toBe('2027-01-01T00:00:00+08:00');
    expect(previousCalendarPeriod('month', at('2027-01-05T02:00:00Z'), SHANGHAI).label).toBe('2026-12');
    expect(periodBefore(monthPeriod(2027, 1, SHANGHAI), SHANGHAI).label).toBe('2026-12');
  });

  it('a month with a clock change is 743 or 745 hours long', () => {
    const march = monthPeriod(2026, 3, BERLIN);
    expect((march.to - march.from) / 3_600_000).toBe(31 * 24 - 1);
    const oct = monthPeriod(2026, 10, BERLIN);
    expect((oct.to - oct.from) / 3_600_000).toBe(31 * 24 + 1);
  });

  it('weeks are ISO weeks starting Monday; quarters and years are calendar ones', () => {
    expect(isoWeekOf('2026-01-01')).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOf('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
    const w = weekPeriod(2026, 43, SHANGHAI);
    expect(iso(w.from)).toBe('2026-10-19T00:00:00+08:00');
    expect(iso(w.to)).toBe('2026-10-26T00:00:00+08:00');
    expect(previousCalendarPeriod('week', at('2026-11-23T02:00:00Z'), SHANGHAI).label).toBe('2026-W47');
    const q = quarterPeriod(2026, 4, SHANGHAI);
    expect([iso(q.from), iso(q.to)]).toEqual(['2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00']);
    expect(periodBefore(quarterPeriod(2026, 1, SHANGHAI), SHANGHAI).label).toBe('2025-Q4');
    expect(periodBefore(yearPeriod(2026, SHANGHAI), SHANGHAI).label).toBe('2025');
  });

  it('the period before a range of whole days is as many days just before it', () => {
    const r = rangePeriod(startOfLocalDay('2026-10-10', SHANGHAI), startOfLocalDay('2026-10-20', SHANGHAI), '2026-10-10..2026-10-19');
    const before = periodBefore(r, SHANGHAI);
    expect(before.label).toBe('2026-09-30..2026-10-09');
    expect(before.to).toBe(r.from);
    expect(before.to - before.from).toBe(r.to - r.from);
  });

  it('the trend is the twelve months ending with the period, each following the one before', () => {
    const months = trendMonths(monthPeriod(2026, 10, SHANGHAI), SHANGHAI);
    expect(months.map((m) => m.label)).toEqual([
      '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
    ]);
    for (let i = 1; i < months.length; i++) expect(months[i]!.from).toBe(months[i - 1]!.to);
  });

  it('months tile time without gaps or overlaps, in any zone (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1990, max: 2060 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(SHANGHAI, BERLIN, 'America/New_York', 'UTC'),
      (year, month, tz) => {
        const p = monthPeriod(year, month, tz);
        const next = periodContaining('month', p.to, tz);
        expect(next.from).toBe(p.to);
        expect(periodBefore(next, tz)).toEqual(p);
        expect(periodContaining('month', p.to - 1, tz).label).toBe(p.label);
      }));
  });
});

describe('figures from tallies', () => {
  it('a rate is null, never NaN or 0%, when there is nothing to divide', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 4)).toBe(0.75);
    const empty = figures(emptyTally());
    expect(empty.closure_rate).toBeNull();
    expect(empty.satisfaction.rate).toBeNull();
    expect(empty.callback_rate).toBeNull();
    expect(empty.timeliness.first_reply).toEqual({ due: 0, met: 0, rate: null });
    expect(empty.resolution_hours).toEqual({ mean: null, median: null });
    expect(JSON.stringify(empty)).not.toMatch(/NaN/);
  });

  it('the median of an even count is the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('breakdowns add up to the totals', () => {
    const t = combineTallies([
      { unit: '物流部', category: 'delivery', channel: 'phone', severity: 'general', tally: { received: 3, closed: 2, timeliness: { first_reply: { due: 3, met: 2 } } } },
      { unit: '财务部', category: 'billing', channel: 'web', severity: 'important', tally: { received: 2, surveyed: 2, satisfied: 1 } },
      { unit: '物流部', category: 'delivery', channel: 'web', severity: 'general', tally: { received: 1, timeliness: { first_reply: { due: 1, met: 1 } } } },
    ]);
    expect(t.total.received).toBe(6);
    expect(t.byUnit.get('物流部')!.received).toBe(4);
    expect(t.byUnit.get('物流部')!.timeliness.first_reply).toEqual({ due: 4, met: 3 });
    expect(t.byChannel.get('web')!.received).toBe(3);
    expect(t.bySeverity.get('important')!.satisfied).toBe(1);
  });

  it('a ticket closed twice in the period counts once as closed, but both closes pay compensation', () => {
    const group = { unit: '售后服务部', category: 'product', channel: 'phone', severity: 'general' } as const;
    const { rows, resolutionMinutes } = tallyClosureEvents([
      { ...group, ticketId: 7, kind: 'closed', compensation: 50, resolutionMinutes: 120, score: null },
      { ...group, ticketId: 7, kind: 'surveyed', compensation: null, resolutionMinutes: null, score: 2 },
      { ...group, ticketId: 7, kind: 'closed', compensation: 100.5, resolutionMinutes: 60, score: null },
    ]);
    const t = combineTallies(rows).total;
    expect(t.closed).toBe(1);
    expect(t.compensationCents).toBe(15050);
    expect(t.surveyed).toBe(1);
    expect(t.satisfied).toBe(0);
    expect(resolutionMinutes).toEqual([120, 60]);
  });
});

describe('flagged units (seed 000: below the line two periods running)', () => {
  const tally = (surveyed: number, satisfied: number) => ({ surveyed, satisfied });
  it('flags a unit below 90% in both periods, not one that recovered or had no surveys', () => {
    const current = new Map<string | null, { surveyed: number; satisfied: number }>([
      ['物流部', tally(10, 8)], ['财务部', tally(10, 8)], ['质量部', tally(4, 3)], ['客服中心', tally(10, 10)], [null, tally(2, 0)],
    ]);
    const previous = new Map<string | null, { surveyed: number; satisfied: number }>([
      ['物流部', tally(5, 4)], ['财务部', tally(10, 9)], ['质量部', tally(0, 0)], ['客服中心', tally(10, 5)], [null, tally(2, 0)],
    ]);
    expect(flaggedUnits(current, previous, 0.9)).toEqual([{ unit: '物流部', rate: 0.8, surveyed: 10, previous_rate: 0.8, previous_surveyed: 5 }]);
    // Exactly at the line is not below it.
    expect(flaggedUnits(new Map([['财务部', tally(10, 9)]]), new Map([['财务部', tally(10, 8)]]), 0.9)).toEqual([]);
  });
});

describe('demo data', () => {
  const options = { tickets: 300, months: 3, seed: 42, asOf: at('2026-11-20T10:00:00Z'), calendar: defaultCalendar(SHANGHAI) };

  it('the same seed gives the same office; another seed another', () => {
    const a = [...demoTickets(options)];
    const b = [...demoTickets(options)];
    const c = [...demoTickets({ ...options, seed: 43 })];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('plans are in receipt order, in time order, never past the as-of time', () => {
    let last = -Infinity;
    for (const plan of demoTickets(options)) {
      expect(plan.input.receivedAt).toBeGreaterThanOrEqual(last);
      last = plan.input.receivedAt;
      expect(plan.loggedAt).toBeGreaterThanOrEqual(plan.input.receivedAt);
      let prev = plan.loggedAt;
      for (const s of plan.steps) {
        expect(s.at).toBeGreaterThanOrEqual(prev);
        expect(s.at).toBeLessThanOrEqual(options.asOf);
        prev = s.at;
      }
    }
  });

  it('the generator is uniform enough to trust: a million draws average one half', () => {
    const r = seededRandom(1);
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) sum += r.next();
    expect(sum / 1_000_000).toBeCloseTo(0.5, 2);
  });
});

describe("the report in the office's order (issue 11)", () => {
  const oct = monthPeriod(2026, 10, SHANGHAI);
  const row = (category: string, channel: string, timeliness: TallyRow['tally']['timeliness'] = {}): TallyRow =>
    ({ unit: null, category, channel, severity: 'general', tally: { received: 1, timeliness } });
  const report = (rows: TallyRow[], stages: { code: string; retired: boolean }[]) => buildReport({
    period: oct, previousPeriod: periodBefore(oct, SHANGHAI), asOf: oct.to, tz: SHANGHAI, unit: null, threshold: 0.9,
    current: combineTallies(rows), currentMedianMinutes: null, previous: combineTallies([]), previousMedianMinutes: null, trend: [],
    order: { categories: ['staff', 'price', 'product'], channels: ['fax', 'phone'], stages },
  });

  it('breakdowns follow the office list, then codes the list no longer has, in code order', () => {
    const r = report([row('product', 'phone'), row('zoning', 'telex'), row('staff', 'fax'), row('attic', 'phone')], []);
    expect(r.by_category.map((c) => c.category)).toEqual(['staff', 'product', 'attic', 'zoning']);
    expect(r.by_channel.map((c) => c.channel)).toEqual(['fax', 'phone', 'telex']);
  });

  it('timeliness: built-in stages first, then office stages in procedure order; a retired one only when something fell due', () => {
    const r = report([row('staff', 'fax', { site_visit: { due: 2, met: 1 }, old_check: { due: 1, met: 1 } })], [
      { code: 'assign', retired: false }, { code: 'plan', retired: false }, { code: 'old_check', retired: true },
      { code: 'site_visit', retired: false }, { code: 'gone', retired: true },
    ]);
    expect(Object.keys(r.timeliness)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'plan', 'old_check', 'site_visit']);
    expect(r.timeliness['plan']).toEqual({ due: 0, met: 0, rate: null });
    expect(r.timeliness['site_visit']).toEqual({ due: 2, met: 1, rate: 0.5 });
    expect(Object.keys(r.previous.timeliness)).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'plan', 'site_visit']);
  });
});
