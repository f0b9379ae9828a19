import { beforeAll, describe, expect, it } from 'vitest';
import { logArgs, runCli, runJson, runOk, tempDbPath, TEMPLATE_EVENTS } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';

// Issue 11 §3: every change of the procedure is audited, and each ticket event records the
// procedure version it was computed under. The log also commits to the procedure itself (a digest
// of its lists and stages), so `verify` tells a change made outside the program.

/** The events after those of the new office's settings. */
function payloads(db: string): { kind: string; payload: Record<string, unknown> }[] {
  return withRaw(db, (raw) => (raw.prepare('SELECT kind, payload FROM events WHERE id > ? ORDER BY id').all(TEMPLATE_EVENTS) as { kind: string; payload: string }[])
    .map((r) => ({ kind: r.kind, payload: JSON.parse(r.payload) as Record<string, unknown> })));
}

describe('the procedure in the event log', () => {
  let db: string;

  beforeAll(() => {
    db = tempDbPath();
    runOk([...logArgs(), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'], { db });
    runOk(['sla', 'set', 'first_reply', 'general', '6wh'], { db });
    runOk([...logArgs({ subject: 'Second parcel late' }), '--received-at', '2026-11-24 10:00', '--at', '2026-11-24 10:05'], { db });
  });

  it('records the change as procedure_changed, version 2, and each ticket event the version it was computed under', () => {
    const events = payloads(db);
    expect(events.map((e) => e.kind)).toEqual(['logged', 'procedure_changed', 'deadlines_recomputed', 'logged']);
    expect(events[0]!.payload.p).toBe(1);
    expect(events[1]!.payload.d).toMatchObject({ version: 2, change: 'sla first_reply general 6wh', before: '4wh', after: '6wh' });
    expect(events[1]!.payload.d).toHaveProperty('digest', expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(events[2]!.payload.p).toBe(2);
    expect(events[3]!.payload.p).toBe(2);
    expect(runJson<{ deadlines: { first_reply: { due: string } } }>(['show', 'C2026-00001', '--json'], { db }).deadlines.first_reply.due).toBe('2026-11-24T16:00:00+08:00');
  });

  it('verifies green', () => {
    const r = runCli(['verify'], { db });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('names stages changed in the tables behind the log\'s back', () => {
    const copy = `${db}.tampered.db`;
    withRaw(db, (raw) => raw.exec(`VACUUM INTO '${copy}'`));
    withRaw(copy, (raw) => raw.exec("UPDATE stages SET sla_general = '1wh' WHERE code = 'first_reply'"));
    const r = runCli(['verify'], { db: copy });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(`the lists and stages are not those event ${2 + TEMPLATE_EVENTS} recorded for procedure version 2: they were changed outside the program`);
  });

  it('names a procedure version the log never reached', () => {
    const copy = `${db}.version.db`;
    withRaw(db, (raw) => raw.exec(`VACUUM INTO '${copy}'`));
    withRaw(copy, (raw) => raw.exec("UPDATE settings SET value = '3' WHERE key = 'procedure_version'"));
    const r = runCli(['verify'], { db: copy });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('the procedure is at version 3, but the event log records its changes up to version 2');
  });

  it('names stages changed in the tables of an office that never changed its procedure', () => {
    const fresh = tempDbPath();
    runOk([...logArgs(), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'], { db: fresh });
    expect(runCli(['verify'], { db: fresh }).status).toBe(0);
    withRaw(fresh, (raw) => raw.exec("UPDATE stages SET sla_general = '1m' WHERE code = 'first_reply'"));
    const r = runCli(['verify'], { db: fresh });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('the lists and stages are not those every office starts with, changed only as the event log records: they were changed outside the program');
  });

  it('a new label moves no deadline: the change is audited, nothing is recomputed', () => {
    const before = payloads(db).length;
    runOk(['stages', 'set', 'first_reply', '--label-en', 'First answer'], { db });
    expect(payloads(db).slice(before).map((e) => e.kind)).toEqual(['procedure_changed']);
    expect(runCli(['verify'], { db }).status).toBe(0);
  });
});

describe('a reply while the ticket is on hold', () => {
  it('says the next update falls due once the hold ends, not "due by paused"', () => {
    const db = tempDbPath();
    runOk([...logArgs({ unit: 'Logistics' }), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'], { db });
    runOk(['hold', 'C2026-00001', '--reason', 'waiting-customer', '--at', '2026-11-24 10:00'], { db });
    const r = runOk(['reply', 'C2026-00001', '--via', 'phone', '--message', 'We are waiting for your photos', '--at', '2026-11-24 11:00'], { db });
    expect(r.stdout).toBe('Reply recorded on C2026-00001. The next update falls due once the hold ends.\n');
  });
});

describe('a note on a stage met', () => {
  it('is kept like every free text of a ticket: sealed in the log, its value beside it, shown in clear', () => {
    const db = tempDbPath();
    runOk(['stages', 'add', 'site_visit', '--start', 'assignment', '--sla', '3wh'], { db });
    runOk([...logArgs({ unit: 'Logistics' }), '--received-at', '2026-11-24 09:00', '--at', '2026-11-24 09:05'], { db });
    runOk(['done', 'C2026-00001', 'site_visit', '--note', '王芳在家，13800000000', '--at', '2026-11-24 11:00'], { db });
    const done = payloads(db).find((e) => e.kind === 'stage_done')!;
    expect(done.payload.d).toEqual({ stage: 'site_visit', note: { $p: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) } });
    expect(JSON.stringify(payloads(db))).not.toContain('13800000000');
    expect(runOk(['show', 'C2026-00001'], { db }).stdout).toContain('王芳在家，13800000000');
  });
});
