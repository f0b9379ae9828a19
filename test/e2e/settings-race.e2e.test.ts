import { describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, tempDbPath } from '../support/cli.js';
import { spawnCli } from '../support/writer.js';

// Two administrators changing different settings at the same moment must both keep their change:
// each command reads what it changes inside its own write transaction (issue 10: "policy and
// settings are read inside the transaction that uses them"). Read before the lock, the second
// writer would save the first one's "before" and silently undo it.

async function allAtOnce(db: string, commands: string[][]): Promise<void> {
  const runs = commands.map((args) => spawnCli(args, db));
  const results = await Promise.all(runs.map((r) => r.exited));
  results.forEach((r, i) => expect(r.code, `${commands[i]!.join(' ')}: ${runs[i]!.stderr()}`).toBe(0));
}

describe('settings changed at the same moment', () => {
  it('seven `calendar hours set`, one per weekday, all stick', async () => {
    const db = tempDbPath();
    expect(runCli(['calendar', 'timezone', 'set', 'Asia/Shanghai'], { db }).status).toBe(0);
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    await allAtOnce(db, days.map((d, i) => ['calendar', 'hours', 'set', d, `08:00-1${i}:00`]));
    const { week } = runJson<{ week: Record<string, string> }>(['calendar', 'show'], { db });
    expect(week).toEqual(Object.fromEntries(days.map((d, i) => [d, `08:00-1${i}:00`])));
  });

  it('five `sla set` on different stages all stick, and an open ticket is computed under all five', async () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-16 10:00' }), '--yes'], { db }).status).toBe(0);
    const stages: [string, string][] = [['assign', '3wh'], ['first_reply', '5wh'], ['update', '4wd'], ['resolve', '6wd'], ['callback', '2wd']];
    await allAtOnce(db, stages.map(([stage, d]) => ['sla', 'set', stage, 'general', d]));
    const sla = runJson<Record<string, Record<string, string | null>>>(['sla', 'show'], { db });
    expect(Object.fromEntries(stages.map(([stage]) => [stage, sla[stage]!.general]))).toEqual(Object.fromEntries(stages));
    // Logged Monday 10:00 in Shanghai: assign 3wh → 14:00 across lunch, first reply 5wh → 16:00,
    // resolve 6wd → the next Tuesday 10:00.
    const ticket = runJson<{ deadlines: Record<string, { due: string } | null> }>(['show', 'C2026-00001', '--as-of', '2026-11-16 10:30'], { db });
    expect(ticket.deadlines.assign?.due).toBe('2026-11-16T14:00:00+08:00');
    expect(ticket.deadlines.first_reply?.due).toBe('2026-11-16T16:00:00+08:00');
    expect(ticket.deadlines.resolve?.due).toBe('2026-11-24T10:00:00+08:00');
  });
});
