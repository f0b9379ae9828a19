import { withoutIdleApprovalStage } from '../support/readings.js';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with scripts/release1-fixture/make.sh
import { readings } from '../../scripts/release1-fixture/expected.mjs';
import { cliEntry, ROOT, runCli, runOk, tempDir, testEnv } from '../support/cli.js';
import { payloadOf, rechain, unlockEvents } from '../support/events.js';
import { startInTerminal } from '../support/pty.js';
import { withRaw } from '../support/sqlite.js';

// Storage v2 (issue 10 §5): an office's file made by the release-1 build upgrades once, on open
// when small and by `complaints upgrade` when large, and afterwards says everything it said before.
// test/fixtures/release1.db.gz and release1-expected.json were made by the release-1 build
// (scripts/release1-fixture/make.sh).

const FIXTURE = join(ROOT, 'test', 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'release1-expected.json'), 'utf8')) as Readings;

interface Readings {
  list: unknown;
  tickets: Record<string, unknown>;
  reports: Record<string, unknown>;
  overdue: unknown;
}

/** A fresh copy of the release-1 office, in its own folder. */
function releaseOneOffice(): string {
  const db = join(tempDir(), 'office.db');
  writeFileSync(db, gunzipSync(readFileSync(join(FIXTURE, 'release1.db.gz'))));
  return db;
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface OldFacts {
  events: number;
  head: { event: number; hash: string };
  origin: string;
}

function oldFacts(db: string): OldFacts {
  return withRaw(db, (raw) => ({
    events: raw.prepare('SELECT count(*) FROM events').pluck().get() as number,
    head: JSON.parse(raw.prepare("SELECT value FROM settings WHERE key = 'event_chain_head'").pluck().get() as string) as OldFacts['head'],
    origin: raw.prepare('SELECT hash FROM events ORDER BY id LIMIT 1').pluck().get() as string,
  }));
}

describe('a release-1 office upgraded on open', () => {
  let db: string;
  let before: OldFacts;
  let verified: ReturnType<typeof runCli>;

  beforeAll(() => {
    db = releaseOneOffice();
    before = oldFacts(db);
    verified = runCli(['verify'], { db });
  });

  it('verifies green after the upgrade, which kept the file as it was aside and said so', () => {
    expect(verified.stderr).toContain(`upgraded ${db} from schema 3 to 7; the file as it was is kept as ${db}.schema-3.bak`);
    expect(verified.status, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^ok: 41 tickets, 240 events checked;/);
    expect(digest(`${db}.schema-3.bak`)).not.toBe(digest(db));
    expect(withRaw(`${db}.schema-3.bak`, (raw) => raw.pragma('user_version', { simple: true }))).toBe(3);
  });

  it('says the same of every ticket, every month and the overdue list as the release-1 build did', () => {
    const now = withoutIdleApprovalStage(readings(cliEntry(), db, testEnv()) as Readings);
    expect(Object.keys(now.tickets).sort()).toEqual(Object.keys(expected.tickets).sort());
    for (const no of Object.keys(expected.tickets)) {
      // The ticket document has said its type since issue 11; a release-1 ticket is a complaint.
      const { type, ...rest } = now.tickets[no] as Record<string, unknown>;
      expect(type, no).toBe('complaint');
      expect(rest, no).toEqual(expected.tickets[no]);
    }
    expect(now.reports).toEqual(expected.reports);
    expect(now.overdue).toEqual(expected.overdue);
    const list = now.list as { tickets: Record<string, unknown>[] };
    expect(list.tickets.every((t) => t.type === 'complaint')).toBe(true);
    expect({ ...list, tickets: list.tickets.map(({ type: _type, ...rest }) => rest) }).toEqual(expected.list);
  });

  it('re-encoded every event as format 2 and recorded the old chain as a last `upgraded` event', () => {
    withRaw(db, (raw) => {
      expect(raw.prepare('SELECT DISTINCT format FROM events').pluck().all()).toEqual([2]);
      const last = raw.prepare('SELECT id, kind, ticket_id, payload FROM events ORDER BY id DESC LIMIT 1').get() as { id: number; kind: string; ticket_id: number | null; payload: string };
      expect(last).toMatchObject({ id: before.head.event + 1, kind: 'upgraded', ticket_id: null });
      expect(JSON.parse(last.payload)).toEqual({ d: { from_format: 1, events: before.events, old_head: before.head, old_origin: before.origin } });
    });
  });

  it('keeps no personal value in the hashed log: the complainant, her phone, e-mail, address, description and notes are only beside it', () => {
    withRaw(db, (raw) => {
      const log = (raw.prepare('SELECT payload FROM events').pluck().all() as string[]).join('\n');
      for (const value of ['王芳', '13800138000', 'wang@example.cn', '世纪大道', '客户王芳多次来电', '等王芳提供照片']) {
        expect(log, value).not.toContain(value);
      }
      const kept = raw.prepare('SELECT value FROM personal_values').pluck().all() as string[];
      expect(kept).toContain('13800138000');
      expect(kept).toContain('客户王芳再次来电，电话13800138000');
    });
  });

  it('appended two lines to the anchor file: the kept copy with the old head, and the upgraded file, which vouches for the old one', () => {
    const anchor = `${db}.anchor`;
    const lines = readFileSync(anchor, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ copy: `${db}.schema-3.bak`, chain_head: before.head, origin: before.origin });
    expect(lines[1]).toMatchObject({ copy: db, chain_head: { event: before.head.event + 1 }, former_origin: before.origin });
    const r = runCli(['verify', '--against', anchor], { db });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('anchors: 1 lines from before the upgrade to storage v2 checked against the old chain head the upgrade recorded');
    // Without a line taken since the upgrade, the old lines cannot be tied to the file.
    const onlyOld = join(tempDir(), 'old.anchor');
    writeFileSync(onlyOld, `${JSON.stringify(lines[0])}\n`);
    const u = runCli(['verify', '--against', onlyOld], { db });
    expect(u.status).toBe(1);
    expect(u.stdout).toContain('anchors: 1 lines from before the upgrade to storage v2 cannot be tied to this file');
  });

  it('catches a rewrite of the upgraded log, row and chain made whole again, against its anchor lines', () => {
    const office = releaseOneOffice();
    runOk(['verify'], { db: office });
    withRaw(office, (raw) => {
      // An insider edits the first event and its ticket's row, and computes every later hash again.
      unlockEvents(raw);
      raw.prepare('UPDATE events SET payload = ? WHERE id = 1').run(payloadOf(raw, 1).replace('"subject":"', '"subject":"改'));
      rechain(raw, 1);
      raw.prepare("UPDATE tickets SET subject = '改' || subject WHERE id = (SELECT ticket_id FROM events WHERE id = 1)").run();
    });
    // The file alone cannot show it.
    expect(runCli(['verify'], { db: office }).status).toBe(0);
    const r = runCli(['verify', '--against', `${office}.anchor`], { db: office });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/anchor of .* was written for this database .* but its first event had another hash then/);
    expect(r.stdout).toContain('cannot be tied to this file');
  });

  it('is at least two and a half times smaller in the event log (hash and payload against hashes, details and changes)', () => {
    const v1 = withRaw(`${db}.schema-3.bak`, (raw) => raw.prepare('SELECT sum(length(CAST(details AS BLOB)) + length(CAST(changes AS BLOB)) + 128) FROM events').pluck().get() as number);
    const v2 = withRaw(db, (raw) => raw.prepare('SELECT sum(length(CAST(payload AS BLOB)) + length(hash)) FROM events').pluck().get() as number);
    expect(v2 * 2.5).toBeLessThan(v1);
  });
});

describe('a large release-1 office is upgraded by `complaints upgrade`', () => {
  // Any file with more events than this waits for `complaints upgrade` (100,000 by default).
  const env = { COMPLAINTS_UPGRADE_ON_OPEN_MAX_EVENTS: '100' };

  it('refuses every command in one line until then, writing nothing', () => {
    const db = releaseOneOffice();
    const was = digest(db);
    for (const args of [['list'], ['show', 'C2026-00001'], [...['note', 'C2026-00001', '--message', 'x']]]) {
      const r = runCli(args, { db, env });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(`error: ${db} holds 239 events in the release-1 format: upgrade it once with \`complaints --db ${db} upgrade\` (it keeps the file as it was aside)\n`);
      expect(r.stdout).toBe('');
    }
    expect(digest(db)).toBe(was);
    expect(readdirSync(join(db, '..'))).toEqual(['office.db']);
  });

  it('upgrade does it and says what it did; then the office reads as before', () => {
    const db = releaseOneOffice();
    const r = runCli(['upgrade'], { db, env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('upgraded 41 tickets and 239 events to storage v2');
    expect(r.stdout).toContain(`the file as it was is kept as ${db}.schema-3.bak`);
    const again = runCli(['upgrade'], { db, env });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`${db} is already up to date (schema 7)\n`);
    const now = withoutIdleApprovalStage(readings(cliEntry(), db, testEnv(env)) as Readings);
    expect(now.reports).toEqual(expected.reports);
    expect(runCli(['verify'], { db, env }).status).toBe(0);
  });

  it('shows a progress bar on a terminal, and on a file that is missing creates nothing', async () => {
    const db = releaseOneOffice();
    const terminal = startInTerminal(['--db', db, 'upgrade'], { env });
    const done = await terminal.finished(60_000);
    expect(done.status, done.screen).toBe(0);
    expect(done.screen).toMatch(/upgrading to storage v2 \[[^\]]*\] 100% \| 280\/280/);
    expect(done.screen).toContain('upgraded 41 tickets and 239 events to storage v2');
    const missing = join(tempDir(), 'nothing-here.db');
    const r = runCli(['upgrade'], { db: missing });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: no database at ${missing}: set one up with \`complaints init\`, or give --db PATH or set COMPLAINTS_DB\n`);
    expect(existsSync(missing)).toBe(false);
  });
});
