import { describe, expect, it } from 'vitest';
import { logArgs, runCli, tempDbPath, TEMPLATE_EVENTS } from '../support/cli.js';
import { sleep } from '../support/random.js';
import { fileDigest, checkpoint, integrityCheck, openRaw, sequence, ticketNumbers, withRaw } from '../support/sqlite.js';
import { spawnCli } from '../support/writer.js';

// Eight clerks logging at once on one machine while handlers assign, reply and close, and a
// supervisor keeps listing, showing and verifying (SPEC §7: every command's writes are one
// BEGIN IMMEDIATE transaction; readers never block writers in WAL mode).

interface Step {
  args: string[];
  ok: (stdout: string) => boolean;
}

async function cli(db: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnCli(args, db, env);
  const end = await p.exited;
  return { code: end.code, stdout: p.stdout(), stderr: p.stderr() };
}

describe('many clerks on one file', () => {
  it('8 clerks logging 25 tickets each while others work them: no failures, 200 sequential numbers', async () => {
    const db = tempDbPath();
    expect(runCli(['list'], { db }).status).toBe(0); // creates the file once, as an installer would

    const CLERKS = 8;
    const EACH = 25;
    const failures: string[] = [];
    const receipts: string[][] = Array.from({ length: CLERKS }, () => []);
    const queue: string[] = [];
    let clerksDone = false;
    const worked = { assign: 0, reply: 0, close: 0, show: 0, list: 0, verify: 0 };

    const run = async (args: string[]): Promise<string | null> => {
      const r = await cli(db, args);
      if (r.code !== 0 || r.stderr !== '') {
        failures.push(`${args.slice(0, 2).join(' ')} → exit ${r.code}: ${r.stderr.trim()}`);
        return null;
      }
      return r.stdout;
    };

    const clerk = async (c: number): Promise<void> => {
      for (let i = 0; i < EACH; i++) {
        // Each its own caller: a second complaint from one with a ticket open is told so on stderr (issue 12).
        const phone = `138${String(c).padStart(2, '0')}${String(i).padStart(6, '0')}`;
        const out = await run([...logArgs({ subject: `Clerk ${c} complaint ${i}`, phone, at: '2026-11-20 10:00' }), '--yes', '--json']);
        if (out === null) continue;
        const no = (JSON.parse(out) as { no: string }).no;
        receipts[c]!.push(no);
        queue.push(no);
      }
    };

    const HANDLED = 12;
    let handled = 0;
    // A handler takes the next logged ticket and works it through; each ticket goes to one handler.
    const handler = async (): Promise<void> => {
      while (!clerksDone || queue.length > 0) {
        const no = queue.shift();
        if (no === undefined) {
          await sleep(20);
          continue;
        }
        // Enough to overlap the clerks' saves; the CPU goes to the 200 logs that are the point.
        if (clerksDone || handled >= HANDLED) break;
        handled++;
        const steps: [keyof typeof worked, string[]][] = [
          ['assign', ['assign', no, '--unit', 'Logistics', '--to', 'Li Lei', '--at', '2026-11-20 11:00']],
          ['reply', ['reply', no, '--via', 'phone', '--message', 'The courier has your parcel', '--at', '2026-11-20 12:00']],
          ['show', ['show', no, '--json']],
          ['close', ['close', no, '--resolution', 'Delivered', '--at', '2026-11-21 10:00']],
        ];
        for (const [kind, args] of steps) {
          if ((await run(args)) !== null) worked[kind]++;
        }
      }
    };

    // A supervisor reading all the while; verify must see one consistent state mid-write.
    const supervisor = async (): Promise<void> => {
      while (!clerksDone) {
        if ((await run(['list', '--json', '--limit', '1000'])) !== null) worked.list++;
        if ((await run(['verify'])) !== null) worked.verify++;
        await sleep(500);
      }
    };

    const started = Date.now();
    const others = Promise.all([handler(), handler(), supervisor()]);
    await Promise.all(Array.from({ length: CLERKS }, (_, c) => clerk(c)));
    clerksDone = true;
    await others;
    const seconds = (Date.now() - started) / 1000;

    expect(failures).toEqual([]);
    for (const mine of receipts) {
      expect(mine).toHaveLength(EACH);
      expect([...mine].sort()).toEqual(mine); // each clerk's numbers rise
    }
    const all = receipts.flat().sort();
    expect(new Set(all).size).toBe(CLERKS * EACH);
    expect(all).toEqual(sequence(CLERKS * EACH));
    expect(ticketNumbers(db)).toEqual(sequence(CLERKS * EACH));
    const listed = JSON.parse(runCli(['list', '--json', '--limit', '1000'], { db }).stdout) as { tickets?: { no: string }[] } | { no: string }[];
    const tickets = Array.isArray(listed) ? listed : (listed.tickets ?? []);
    expect(tickets.map((t) => t.no).sort()).toEqual(sequence(CLERKS * EACH));
    expect(worked.assign).toBeGreaterThan(0);
    expect(worked.close).toBe(worked.assign);
    expect(worked.verify).toBeGreaterThan(0);
    expect(integrityCheck(db)).toBe('ok');
    const verify = runCli(['verify'], { db });
    expect(verify.status, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`${CLERKS * EACH} tickets`);
    console.info(`concurrency: ${CLERKS} clerks × ${EACH} logs with 2 handlers and a supervisor in ${seconds.toFixed(1)} s; worked ${JSON.stringify(worked)}`);
  }, 180_000);

  it('a writer that cannot get the lock in time exits 1 with the busy message and saves nothing', async () => {
    const db = tempDbPath();
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { db }).status).toBe(0);
    checkpoint(db);
    const before = fileDigest(db);

    // Another clerk's save in progress: a write transaction held open by this test.
    const holder = openRaw(db);
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("INSERT INTO settings (key, value) VALUES ('held_by_test', '1')").run();
    try {
      const started = Date.now();
      const logged = await cli(db, [...logArgs({ at: '2026-11-20 10:00' }), '--yes'], { COMPLAINTS_BUSY_TIMEOUT_MS: '300' });
      const assigned = await cli(db, ['assign', 'C2026-00001', '--unit', 'Logistics', '--at', '2026-11-20 11:00'], { COMPLAINTS_BUSY_TIMEOUT_MS: '300' });
      const waited = Date.now() - started;
      for (const r of [logged, assigned]) {
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe('error: the database is busy (someone else is saving); nothing was saved, try again\n');
      }
      expect(waited).toBeGreaterThanOrEqual(600); // it did wait for the lock before giving up
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    checkpoint(db);
    expect(fileDigest(db)).toBe(before);
    // The number the busy clerk would have had is still free.
    expect(runCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes', '--json'], { db }).stdout).toContain('"no": "C2026-00002"');
    expect(withRaw(db, (raw) => raw.prepare('SELECT count(*) FROM events').pluck().get())).toBe(2 + TEMPLATE_EVENTS);
  }, 60_000);
});
