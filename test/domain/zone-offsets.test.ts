import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeZoneOffsets, formatIso, installZoneOffsets, offsetMinutes } from '../../src/domain/time.js';

// A zone's offsets kept in the database must answer exactly as Intl does, transitions included.

const FROM = Date.UTC(1990, 0, 1);
const TO = Date.UTC(2070, 0, 1);

describe('zone offset tables', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Shanghai', 'America/Sao_Paulo'])('%s: the table agrees with Intl everywhere in its range', (zone) => {
    const table = computeZoneOffsets(zone, FROM, TO, 'test');
    // Intl's answers before the table is installed, then the table's.
    const instants = fc.sample(fc.integer({ min: FROM, max: TO - 1 }), 2000);
    const transitions = table.changes.slice(1).flatMap(([t]) => [t - 1000, t, t + 1000]);
    const probes = [...instants, ...transitions];
    const expected = probes.map((t) => offsetMinutes(t, zone));
    installZoneOffsets(table);
    expect(probes.map((t) => offsetMinutes(t, zone))).toEqual(expected);
  });

  it('Berlin changes twice a year: last Sunday of March at 01:00 UTC, last Sunday of October at 01:00 UTC', () => {
    const table = computeZoneOffsets('Europe/Berlin', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1), 'test');
    expect(table.changes.map(([t, o]) => [new Date(t).toISOString(), o / 60_000])).toEqual([
      ['2026-01-01T00:00:00.000Z', 60],
      ['2026-03-29T01:00:00.000Z', 120],
      ['2026-10-25T01:00:00.000Z', 60],
    ]);
    installZoneOffsets(table);
    expect(formatIso(Date.UTC(2026, 2, 29, 1, 0), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
  });

  it('Shanghai has had one offset since 1991', () => {
    const table = computeZoneOffsets('Asia/Shanghai', Date.UTC(1992, 0, 1), TO, 'test');
    expect(table.changes).toEqual([[Date.UTC(1992, 0, 1), 8 * 3_600_000]]);
  });
});
