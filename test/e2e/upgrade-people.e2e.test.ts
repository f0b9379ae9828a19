import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, runJson, runOk, tempDir } from '../support/cli.js';
import { expectReadsAsMadeBy, type Readings } from '../support/readings.js';
import { withRaw } from '../support/sqlite.js';

// Schema 7 (issue 13): units, people and the approval stage. The previous release's office
// (schema 6: test/fixtures/office-v6.db.gz, made by the build at a59af39 with
// scripts/release1-fixture/make.sh; its procedure changed to version 4 by an office list item and
// stage) upgrades on open, verifies green, reads as that build read it, and then takes people,
// units and approvals like a new office.

const FIXTURE = join(ROOT, 'test', 'fixtures');
// Who acts is the login (root), not the suite's usual COMPLAINTS_USER, once people are registered.
const env = { COMPLAINTS_USER: '' };

describe("the previous release's office (schema 6) upgraded to schema 7", () => {
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'office-v6-expected.json'), 'utf8')) as Readings;
  let db: string;
  let verified: ReturnType<typeof runCli>;

  beforeAll(() => {
    db = join(tempDir(), 'office.db');
    writeFileSync(db, gunzipSync(readFileSync(join(FIXTURE, 'office-v6.db.gz'))));
    verified = runCli(['verify'], { db });
  });

  it('verifies green after the upgrade, which kept the file as it was aside and recorded the approval stage as a change of the procedure', () => {
    expect(verified.stderr).toContain(`upgraded ${db} from schema 6 to 7; the file as it was is kept as ${db}.schema-6.bak`);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    // The 246 events made by the previous build, and the procedure_changed that adds the approval stage (version 4 → 5).
    expect(verified.stdout).toMatch(/^ok: 42 tickets, 247 events checked;/);
    const last = withRaw(db, (raw) => raw.prepare('SELECT kind, payload FROM events ORDER BY id DESC LIMIT 1').get() as { kind: string; payload: string });
    expect(last.kind).toBe('procedure_changed');
    expect(JSON.parse(last.payload)).toMatchObject({ d: { version: 5, change: 'upgrade: approval stage', before: null, after: { code: 'approval', start: 'approval_request' } } });
    expect(withRaw(db, (raw) => raw.prepare('SELECT code FROM stages ORDER BY position').pluck().all())).toEqual(['assign', 'first_reply', 'update', 'resolve', 'callback', 'acknowledge', 'approval']);
    expect(withRaw(db, (raw) => [raw.prepare('SELECT count(*) FROM people').pluck().get(), raw.prepare('SELECT count(*) FROM units').pluck().get()])).toEqual([0, 0]);
  });

  it('says the same of every ticket, every month and the overdue list as the build that made the file', () => {
    expectReadsAsMadeBy(db, expected);
  });

  it('then registers its people and the units its tickets already name, and a large compensation awaits approval', () => {
    runOk(['people', 'add', 'root', '--name', '王总', '--role', 'director'], { db, env });
    expect(runOk(['units', 'import-existing'], { db, env }).stdout).toContain('物流部');
    runOk(['people', 'add', 'lilei', '--name', '李雷', '--role', 'handler', '--unit', '物流部'], { db, env });
    const open = runJson<{ tickets: { no: string }[] }>(['list', '--unit', '物流部', '--status', 'assigned,in_progress', '--as-of', '2026-11-20 12:00'], { db, env }).tickets[0]!.no;
    withRaw(db, (raw) => raw.prepare("UPDATE people SET role = 'handler', unit = '物流部' WHERE login = 'root'").run());
    withRaw(db, (raw) => raw.prepare("UPDATE people SET role = 'director' WHERE login = 'lilei'").run());
    const closing = runCli(['close', open, '--resolution', '按货值赔偿', '--compensation', '20000', '--compensation-kind', 'cash', '--at', '2026-11-20 11:00'], { db, env });
    expect(closing.status, closing.stderr).toBe(0);
    expect(closing.stdout).toContain(`${open} awaits approval by a director`);
    expect(runCli(['verify'], { db, env }).status).toBe(0);
  });
});
