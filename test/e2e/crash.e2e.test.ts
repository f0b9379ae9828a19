import { describe, expect, it } from 'vitest';
import { logArgs, runCli, tempDbPath } from '../support/cli.js';
import { seededRandom, sleep } from '../support/random.js';
import { integrityCheck, sequence, ticketNumbers } from '../support/sqlite.js';
import { receipts, spawnCli, startWriter, writerScript, type Writer } from '../support/writer.js';

// A terminal closed in the middle of a save, a clerk's process killed by the OOM killer: SIGKILL
// gives SQLite no chance to clean up. Whatever a killed writer printed as a receipt must be in the
// file, the file must stay sound, and the chain and tickets must still verify.

const SEED = 20261123;

describe('writers killed with SIGKILL at random moments', () => {
  it('lose nothing they acknowledged and leave a database that verifies', async () => {
    const random = seededRandom(SEED);
    const db = tempDbPath();
    const script = await writerScript();
    const acknowledged: string[] = [];
    let kills = 0;

    const killAfter = async (w: Writer, ms: number): Promise<void> => {
      await sleep(ms);
      w.child.kill('SIGKILL');
      const end = await w.exited;
      if (end.signal === 'SIGKILL') kills++;
      else expect(end, w.stderr()).toEqual({ code: 0, signal: null });
      acknowledged.push(...receipts(w.stdout()));
    };

    // Long-lived writers (log, assign, reply, close in a loop), two at a time so one is often
    // waiting for the other's lock when it dies; killed while they are writing.
    for (let round = 0; round < 22; round++) {
      const writers = [startWriter(script, db, { tag: `r${round}a` }), startWriter(script, db, { tag: `r${round}b` })];
      await Promise.all(writers.map((w) => w.writing));
      await Promise.all(writers.map((w) => killAfter(w, Math.floor(random() * 120))));
    }
    // The CLI itself, killed anywhere from start-up to the receipt.
    for (let round = 0; round < 12; round++) {
      const clerks = [0, 1].map(() => spawnCli([...logArgs({ at: '2026-11-20 10:00' }), '--yes', '--json'], db));
      await Promise.all(clerks.map((w) => killAfter(w, 60 + Math.floor(random() * 200))));
    }

    const stored = ticketNumbers(db);
    expect(integrityCheck(db)).toBe('ok');
    // Numbers are taken inside the write transaction: a killed save gives its number back.
    expect(stored).toEqual(sequence(stored.length));
    const lost = acknowledged.filter((no) => !stored.includes(no));
    expect(lost).toEqual([]);
    const verify = runCli(['verify'], { db });
    expect(verify.stderr).toBe('');
    expect(verify.status, verify.stdout).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(40);
    // Saved but killed before the receipt reached the terminal: kept, though the clerk never saw the number.
    console.info(`crash: ${kills} SIGKILLs, ${acknowledged.length} receipts printed, ${stored.length} tickets stored, ${lost.length} lost`);
  }, 120_000);
});
