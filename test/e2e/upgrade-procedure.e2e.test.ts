import { expectReadsAsMadeBy, withoutIdleApprovalStage } from '../support/readings.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with scripts/release1-fixture/make.sh
import { readings } from '../../scripts/release1-fixture/expected.mjs';
import { cliEntry, ROOT, runCli, runJson, tempDir, testEnv } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';

// Schema 5 (issue 11): the procedure as data. An office's file made by the previous release
// (storage v2, schema 4: test/fixtures/storage-v2.db.gz, made by the build at 1ef44f5 with
// scripts/release1-fixture/make.sh) and one made by release 1 (schema 3) both upgrade on open; the
// office's SLA table moves into its stages, the CHECK lists leave the tickets and deadlines tables,
// and every ticket, month and overdue list reads as the build that made the file read it.

const FIXTURE = join(ROOT, 'test', 'fixtures');

interface Readings {
  list: { tickets: Record<string, unknown>[] };
  tickets: Record<string, Record<string, unknown>>;
  reports: Record<string, unknown>;
  overdue: unknown;
}

function office(fixture: string): string {
  const db = join(tempDir(), 'office.db');
  writeFileSync(db, gunzipSync(readFileSync(join(FIXTURE, `${fixture}.db.gz`))));
  return db;
}

/** What the office's file holds of its procedure, read beside the program. */
function procedureFacts(db: string) {
  return withRaw(db, (raw) => ({
    version: raw.pragma('user_version', { simple: true }) as number,
    stages: raw.prepare('SELECT code, builtin, start, clock, pausable, sla_general, sla_important, sla_major, sla_urgent FROM stages ORDER BY position').all(),
    lists: raw.prepare('SELECT list, count(*) AS codes FROM list_items GROUP BY list ORDER BY list').all(),
    slaSetting: raw.prepare("SELECT count(*) FROM settings WHERE key = 'sla'").pluck().get() as number,
    procedureVersion: raw.prepare("SELECT value FROM settings WHERE key = 'procedure_version'").pluck().get() as string,
    schema: (raw.prepare("SELECT group_concat(sql, ';') FROM sqlite_master WHERE name IN ('tickets', 'deadlines')").pluck().get() as string),
  }));
}

describe.each([
  // The release-1 file gains the `upgraded` event of its conversion to events v2.
  ['storage-v2', 4, 239],
  ['release1', 3, 240],
])('an office made at schema %s (%i) upgraded on open to the procedure as data', (fixture, from, events) => {
  let db: string;
  let verified: ReturnType<typeof runCli>;

  beforeAll(() => {
    db = office(fixture);
    verified = runCli(['verify'], { db });
  });

  it('verifies green after the upgrade, which kept the file as it was aside', () => {
    expect(verified.stderr).toContain(`upgraded ${db} from schema ${from} to 7; the file as it was is kept as ${db}.schema-${from}.bak`);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^ok: 41 tickets, ${events} events checked;`));
    expect(existsSync(`${db}.schema-${from}.bak`)).toBe(true);
  });

  it('moves the office\'s SLA table, its 4wd resolve for general tickets included, into the five built-in stages, and adds the approval stage', () => {
    const facts = procedureFacts(db);
    expect(facts.version).toBe(7);
    expect(facts.slaSetting).toBe(0);
    expect(facts.procedureVersion).toBe('1');
    expect(facts.stages).toEqual([
      { code: 'assign', builtin: 1, start: 'receipt', clock: 'working', pausable: 0, sla_general: '2wh', sla_important: '2wh', sla_major: '1wh', sla_urgent: '30m' },
      { code: 'first_reply', builtin: 1, start: 'receipt', clock: 'working', pausable: 0, sla_general: '4wh', sla_important: '8wh', sla_major: '8wh', sla_urgent: '2h' },
      { code: 'update', builtin: 1, start: 'reply', clock: 'working', pausable: 1, sla_general: '3wd', sla_important: '3wd', sla_major: '3wd', sla_urgent: '1d' },
      { code: 'resolve', builtin: 1, start: 'receipt', clock: 'working', pausable: 1, sla_general: '4wd', sla_important: '7wd', sla_major: '7wd', sla_urgent: null },
      { code: 'callback', builtin: 1, start: 'close', clock: 'working', pausable: 0, sla_general: '1wd', sla_important: '1wd', sla_major: '1wd', sla_urgent: '1wd' },
      // issue 13: seed 004 §3.7.3.4, internal approval within one working day
      { code: 'approval', builtin: 0, start: 'approval_request', clock: 'working', pausable: 0, sla_general: '1wd', sla_important: '1wd', sla_major: '1wd', sla_urgent: null },
    ]);
    expect(facts.lists).toEqual([
      { list: 'category', codes: 7 }, { list: 'channel', codes: 9 }, { list: 'compensation_kind', codes: 4 },
      { list: 'fault', codes: 4 }, { list: 'reply_method', codes: 6 }, { list: 'ticket_type', codes: 4 },
    ]);
    expect(runJson(['sla', 'show', '--json'], { db })).toMatchObject({ resolve: { general: '4wd', important: '7wd', urgent: null } });
  });

  it('leaves no fixed list of channels, categories or stages in the tables', () => {
    const { schema } = procedureFacts(db);
    expect(schema).toContain('channel             TEXT NOT NULL,');
    expect(schema).not.toMatch(/CHECK \((channel|category|stage) IN/);
    expect(schema).toContain("type                TEXT NOT NULL DEFAULT 'complaint'");
    expect(withRaw(db, (raw) => raw.prepare('SELECT type, count(*) AS n FROM tickets GROUP BY type').all())).toEqual([{ type: 'complaint', n: 41 }]);
  });
});

// test/e2e/upgrade.e2e.test.ts reads the release-1 office through (schema 3 to 5) the same way.
describe('the storage-v2 office after the upgrade to schema 5', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'storage-v2-expected.json'), 'utf8')) as Readings;

  it('says the same of every ticket, every month and the overdue list as the build that made the file', () => {
    const db = office('storage-v2');
    const now = withoutIdleApprovalStage(readings(cliEntry(), db, testEnv()) as Readings);
    expect(Object.keys(now.tickets).sort()).toEqual(Object.keys(expected.tickets).sort());
    for (const no of Object.keys(expected.tickets)) {
      const { type, ...rest } = now.tickets[no]!;
      expect(type, no).toBe('complaint');
      expect(rest, no).toEqual(expected.tickets[no]);
    }
    expect(now.reports).toEqual(expected.reports);
    expect(now.overdue).toEqual(expected.overdue);
    expect({ ...now.list, tickets: now.list.tickets.map(({ type: _type, ...rest }) => rest) }).toEqual(expected.list);
  });
});

// Schema 6 (issue 12): the phone and email search keys. The previous release's office (schema 5:
// test/fixtures/procedure-v5.db.gz, made by the build at 3dbee98 with make.sh, an office list item,
// an office stage and a phone typed as "+86 (138) 0013-8001" included) upgrades on open, its keys
// filled from the personal values, and reads as that build read it.
describe('the previous release\'s office (schema 5) upgraded to schema 7', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'procedure-v5-expected.json'), 'utf8')) as Readings;
  let db: string;
  let verified: ReturnType<typeof runCli>;

  beforeAll(() => {
    db = office('procedure-v5');
    verified = runCli(['verify'], { db });
  });

  it('verifies green after the upgrade, which kept the file as it was aside', () => {
    expect(verified.stderr).toContain(`upgraded ${db} from schema 5 to 7; the file as it was is kept as ${db}.schema-5.bak`);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    // 242 events, and the procedure_changed that adds the approval stage to this office's own procedure (version 2 → 3).
    expect(verified.stdout).toMatch(/^ok: 42 tickets, 243 events checked;/);
    expect(procedureFacts(db).version).toBe(7);
  });

  it('says the same of every ticket, every month and the overdue list as the build that made the file', () => {
    expectReadsAsMadeBy(db, expected);
  });

  it('finds the callers by phone however it is written, and by email in any case', () => {
    const numbers = (args: string[]): string[] => runJson<{ tickets: { no: string; subject: string }[] }>(['list', ...args], { db }).tickets.map((t) => t.subject);
    expect(numbers(['--phone', '13800138001'])).toEqual(['传真投诉']);
    expect(numbers(['--phone', '＋８６ １３８ ００１３ ８００１'])).toEqual(['传真投诉']);
    expect(numbers(['--search', 'zhao.liu@example.cn'])).toEqual(['传真投诉']);
    expect(numbers(['--phone', '138-0013-8000'])).toContain('包裹两周未到');
  });
});
