import { describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/domain/report.js';
import { runCli, runJson, tempDbPath } from '../support/cli.js';

// `complaints demo` then `complaints report --month`: what a newcomer tries first.

const AS_OF = '2026-11-20 18:00';

describe('demo', () => {
  const db = tempDbPath();
  let summary: { tickets: number; events: number; open: number };

  it('fills an empty database and says what it made', () => {
    summary = runJson(['demo', '--tickets', '600', '--months', '4', '--seed', '7', '--as-of', AS_OF], { db });
    expect(summary.tickets).toBe(600);
    expect(summary.events).toBeGreaterThan(600 * 4);
    expect(summary.open).toBeGreaterThan(0);
    expect(summary.open).toBeLessThan(120);
  });

  it('refuses a database that already has tickets, changing nothing', () => {
    const r = runCli(['demo', '--tickets', '10', '--as-of', AS_OF], { db });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/already holds 600 tickets/);
    expect(runJson<{ total: number }>(['list', '--limit', '1'], { db }).total).toBe(600);
  });

  it('gives a report with sensible figures, and the same seed gives the same figures', () => {
    const oct = runJson<ReportDocument>(['report', '--month', '2026-10', '--as-of', AS_OF], { db });
    expect(oct.received).toBeGreaterThan(100);
    expect(oct.closed).toBeGreaterThan(100);
    expect(oct.closure_rate).toBeGreaterThan(0.9);
    expect(oct.satisfaction.rate).toBeGreaterThan(0.75);
    expect(oct.satisfaction.rate).toBeLessThan(1);
    expect(oct.timeliness.first_reply.rate).toBeGreaterThan(0.8);
    expect(oct.reopened).toBeGreaterThan(0);
    expect(oct.unreachable_attempts).toBeGreaterThan(0);
    expect(oct.compensation_total).toBeGreaterThan(0);
    expect(oct.by_unit.map((u) => u.unit).sort()).toEqual(['客服中心', '售后服务部', '物流部', '财务部', '质量部'].sort());
    expect(oct.by_category.length).toBeGreaterThanOrEqual(6);
    expect(oct.by_severity.map((s) => s.severity)).toContain('important');
    // Some tickets are still open, and some of those are late, at the demo's "now".
    const overdue = runJson<{ tickets: unknown[] }>(['overdue', '--as-of', AS_OF], { db });
    expect(overdue.tickets.length).toBeGreaterThan(0);

    const again = tempDbPath();
    runJson(['demo', '--tickets', '600', '--months', '4', '--seed', '7', '--as-of', AS_OF], { db: again });
    const same = runJson<ReportDocument>(['report', '--month', '2026-10', '--as-of', AS_OF], { db: again });
    expect(same).toEqual(oct);
    const other = tempDbPath();
    runJson(['demo', '--tickets', '600', '--months', '4', '--seed', '8', '--as-of', AS_OF], { db: other });
    expect(runJson<ReportDocument>(['report', '--month', '2026-10', '--as-of', AS_OF], { db: other })).not.toEqual(oct);
  });

  it('the demo data passes verify: hash chain and tickets agree with their events', () => {
    const r = runCli(['verify'], { db });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('refuses bad numbers with exit 2', () => {
    expect(runCli(['demo', '--tickets', '0'], { db: tempDbPath() }).status).toBe(2);
    expect(runCli(['demo', '--months', 'x'], { db: tempDbPath() }).status).toBe(2);
  });
});
