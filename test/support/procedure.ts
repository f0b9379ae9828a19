import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { runCli, runOk } from './cli.js';

// What the procedure commands' end-to-end tests read besides the CLI's output: the event log as
// recorded, and that a refused command left the office as it was.

/** Each event's kind and what the user said (the payload's `d`), in the order recorded. */
export function recordedEvents(db: string): { kind: string; details: Record<string, unknown> }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = sqlite.prepare('SELECT kind, payload FROM events ORDER BY id').all() as { kind: string; payload: string }[];
    return rows.map((r) => ({ kind: r.kind, details: (JSON.parse(r.payload) as { d: Record<string, unknown> }).d }));
  } finally {
    sqlite.close();
  }
}

/** What a refused command must leave as it was: the procedure (its version too) and the event log. */
function state(db: string): { procedure: string; events: number } {
  return { procedure: runOk(['procedure', 'show', '--json'], { db }).stdout, events: recordedEvents(db).length };
}

/** Runs a command that must be refused: nothing on stdout, nothing changed; its exit status and error line. */
export function refused(db: string, args: string[]): { status: number | null; stderr: string } {
  const before = state(db);
  const r = runCli(args, { db });
  expect(r.stdout).toBe('');
  expect(state(db)).toEqual(before);
  return { status: r.status, stderr: r.stderr.trim() };
}
