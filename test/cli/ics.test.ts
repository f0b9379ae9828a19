import { describe, expect, it } from 'vitest';
import { allDayDates, IcsTooBig } from '../../src/cli/ics.js';

// The .ics reader (issue 9 item 9): linear in the file, bounded in what it expands to.

const LIMITS = { events: 20_000, dates: 50_000, first: '2000-01-01', last: '2036-12-31' };

function calendar(events: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');
}

const day = (uid: string, date: string, extra: string[] = []): string[] => [`UID:${uid}`, `DTSTART;VALUE=DATE:${date}`, ...extra];

describe('reading all-day events from an .ics file', () => {
  it('takes all-day events, whole multi-day ones, and skips timed ones', () => {
    const text = calendar([
      day('a', '20261224', ['DTEND;VALUE=DATE:20261226']),
      ['UID:b', 'DTSTART:20261210T090000Z', 'DTEND:20261210T100000Z'],
      day('c', '20270101'),
    ]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: ['2026-12-24', '2026-12-25', '2027-01-01'], outside: 0 });
  });

  it('closes the day a recurring holiday was moved to, not the day it was moved from', () => {
    // Yearly on 1 May; in 2027 the office closes on 3 May instead (an override with RECURRENCE-ID).
    const text = calendar([
      day('may', '20260501', ['RRULE:FREQ=YEARLY;COUNT=3']),
      day('may', '20270503', ['RECURRENCE-ID;VALUE=DATE:20270501']),
    ]);
    expect(allDayDates(text, LIMITS).dates).toEqual(['2026-05-01', '2027-05-03', '2028-05-01']);
  });

  it('leaves out, and counts, dates outside the years the office keeps', () => {
    const text = calendar([day('old', '19991231'), day('new', '20370101'), day('ok', '20261001')]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: ['2026-10-01'], outside: 2 });
  });

  it('is linear: 20,000 events (which took about a minute before) in a few seconds', () => {
    const events = Array.from({ length: 20_000 }, (_, i) => day(`e${i}`, `${2000 + (i % 30)}0101`, [`SUMMARY:Holiday ${i}`]));
    const text = calendar(events);
    const started = performance.now();
    const { dates } = allDayDates(text, LIMITS);
    const seconds = (performance.now() - started) / 1000;
    expect(dates).toHaveLength(30);
    expect(seconds).toBeLessThan(10);
  });

  it('refuses more events than the limit before parsing', () => {
    const text = calendar(Array.from({ length: 20_001 }, (_, i) => day(`e${i}`, '20260101')));
    expect(() => allDayDates(text, LIMITS)).toThrow(IcsTooBig);
    try {
      allDayDates(text, LIMITS);
    } catch (e) {
      expect(e).toMatchObject({ what: 'events', limit: 20_000 });
    }
  });

  it('refuses events that expand to more dates than the limit: a holiday lasting to 9999, daily recurrences', () => {
    for (const text of [
      calendar([day('forever', '20260101', ['DTEND;VALUE=DATE:99991231'])]),
      calendar(Array.from({ length: 200 }, (_, i) => day(`d${i}`, '20260101', ['RRULE:FREQ=DAILY']))),
    ]) {
      const started = performance.now();
      expect(() => allDayDates(text, LIMITS)).toThrow(expect.objectContaining({ what: 'dates', limit: 50_000 }));
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });

  it('stops a holiday at the end of the calendar rather than failing', () => {
    const text = calendar([day('end', '99991228', ['DURATION:P10D'])]);
    expect(allDayDates(text, LIMITS)).toEqual({ dates: [], outside: 4 });
  });
});
