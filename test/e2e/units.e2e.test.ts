import { userInfo } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/domain/report.js';
import { logArgs, runCli, runJson, runOk, tempDbPath } from '../support/cli.js';
import { withRaw } from '../support/sqlite.js';
import { KEY, startInTerminal } from '../support/pty.js';

// Issue 13 §1: the office's units. Once one is registered, a ticket goes only to a registered unit
// (a typo is refused naming the nearest), filters take registered names in any width or case, and a
// rename carries the unit's tickets, people and reports to the new name while history keeps the old.

interface UnitsDoc {
  units: { name: string; leader: string | null; parent: string | null; retired: boolean; open: number }[];
}
interface Event {
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}
interface TicketDoc {
  no: string;
  unit: string | null;
  events: Event[];
}

const AS_OF = '2026-11-30 18:00';

const eventCount = (db: string): number => withRaw(db, (raw) => raw.prepare('SELECT count(*) FROM events').pluck().get() as number);
const lastEvent = (db: string): { kind: string; payload: string } =>
  withRaw(db, (raw) => raw.prepare('SELECT kind, payload FROM events ORDER BY id DESC LIMIT 1').get() as { kind: string; payload: string });
const log = (db: string, when: string, extra: Record<string, string | true> = {}): string =>
  runJson<{ no: string }>([...logArgs(extra), '--at', when], { db }).no;
const show = (db: string, no: string): TicketDoc => runJson<TicketDoc>(['show', no], { db });
const units = (db: string): UnitsDoc['units'] => runJson<UnitsDoc>(['units', 'list'], { db }).units;
const report = (db: string, ...args: string[]): ReportDocument =>
  runJson<ReportDocument>(['report', '--month', '2026-11', '--as-of', AS_OF, ...args], { db });
const listed = (db: string, ...args: string[]): string[] =>
  runJson<{ tickets: { no: string }[] }>(['list', '--as-of', AS_OF, ...args], { db }).tickets.map((tk) => tk.no).sort();

/** Runs a command expected to be refused: its exit code, its one line, and the file untouched. */
function refused(db: string, args: string[], lang = 'en'): { status: number | null; stderr: string } {
  const before = eventCount(db);
  const r = runCli(['--lang', lang, ...args], { db });
  expect(eventCount(db)).toBe(before);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  return { status: r.status, stderr: r.stderr };
}

describe('an office with no units registered', () => {
  const db = tempDbPath();

  it('keeps free text for --unit, as before', () => {
    const no = log(db, '2026-11-16 09:00', { unit: '随便什么部' });
    runOk(['assign', no, '--unit', '另一个部', '--at', '2026-11-16 10:00'], { db });
    expect(show(db, no).unit).toBe('另一个部');
    expect(listed(db, '--unit', '另一个部')).toEqual([no]);
  });

  it('says so in units list, in both languages', () => {
    expect(runOk(['units', 'list'], { db }).stdout).toContain('No units are registered: --unit takes any name.');
    expect(runOk(['--lang', 'zh-CN', 'units', 'list'], { db }).stdout).toContain('尚未登记责任单位：--unit 可填任意名称。');
    expect(units(db)).toEqual([]);
  });

  it('refuses rename and retire, naming how to register', () => {
    const r = refused(db, ['units', 'retire', '物流部']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('complaints units import-existing');
  });
});

describe('units add, list and retire', () => {
  const db = tempDbPath();

  it('registers a unit with a leader (any name while nobody is registered) and a parent, one units_changed event each', () => {
    const before = eventCount(db);
    expect(runOk(['units', 'add', '运营中心', '--leader', '张总'], { db }).stdout).toBe('Registered the unit 运营中心.\n');
    expect(runOk(['--lang', 'zh-CN', 'units', 'add', '物流部', '--parent', '运营中心'], { db }).stdout).toBe('已登记责任单位：物流部。\n');
    expect(eventCount(db)).toBe(before + 2);
    const ev = lastEvent(db);
    expect(ev.kind).toBe('units_changed');
    expect(ev.payload).toContain('物流部');
    expect(units(db)).toEqual([
      { name: '运营中心', leader: '张总', parent: null, retired: false, open: 0 },
      { name: '物流部', leader: null, parent: '运营中心', retired: false, open: 0 },
    ]);
    const table = runOk(['units', 'list'], { db }).stdout;
    expect(table).toContain('Parent unit');
    expect(table).toMatch(/物流部\s+│\s+│ 运营中心/);
  });

  it('refuses the same name again in another width or case (exit 1), and a parent that is not a unit (exit 2, nearest named)', () => {
    let r = refused(db, ['units', 'add', '物流部']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('物流部 is already a unit of this office');
    r = refused(db, ['units', 'add', '仓储部', '--parent', '物流布']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--parent: there is no unit '物流布' in this office; did you mean 物流部?");
    r = refused(db, ['units', 'add', ' ']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('NAME');
  });

  it('counts open tickets per unit, and retiring keeps them with it', () => {
    const no = log(db, '2026-11-16 09:00', { unit: '物流部' });
    expect(units(db).find((u) => u.name === '物流部')?.open).toBe(1);
    expect(runOk(['units', 'retire', '物流部'], { db }).stdout).toBe('Retired 物流部: no new ticket goes to it; open tickets that stay with it: 1.\n');
    expect(units(db).find((u) => u.name === '物流部')).toMatchObject({ retired: true, open: 1 });
    expect(show(db, no).unit).toBe('物流部');
    expect(refused(db, ['units', 'retire', '物流部']).status).toBe(1);
  });

  it('a retired unit takes no new ticket but still filters and reports', () => {
    let r = refused(db, [...logArgs({ unit: '物流部' }), '--at', '2026-11-17 09:00']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--unit: 物流部 has been retired and takes no new tickets.');
    r = refused(db, [...logArgs({ unit: '物流部' }), '--at', '2026-11-17 09:00'], 'zh-CN');
    expect(r.stderr).toContain('--unit：物流部已撤销，不能再分派投诉单。');
    expect(listed(db, '--unit', '物流部')).toHaveLength(1);
    expect(report(db, '--unit', '物流部').unit).toBe('物流部');
    expect(runCli(['overdue', '--as-of', AS_OF, '--unit', '物流部'], { db }).status).not.toBe(2);
  });

  it('brings a retired unit back with add, refusing a parent under it (no cycles)', () => {
    runOk(['units', 'add', '仓储组', '--parent', '运营中心'], { db });
    runOk(['units', 'retire', '运营中心'], { db });
    // 运营中心 → 物流部 would make 物流部 (under 运营中心) the parent of its own parent.
    runOk(['units', 'add', '物流部'], { db });
    const r = refused(db, ['units', 'add', '运营中心', '--parent', '物流部']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--parent: 物流部 is 运营中心 or one of its units; a unit cannot belong to itself.');
    expect(runOk(['units', 'add', '运营中心'], { db }).stdout).toBe('运营中心 is in use again: new tickets may go to it.\n');
    expect(units(db).map((u) => [u.name, u.retired])).toEqual([['运营中心', false], ['物流部', false], ['仓储组', false]]);
  });
});

describe('only known units once any is registered (the "done when")', () => {
  const db = tempDbPath();
  let no: string;

  beforeAll(() => {
    runOk(['units', 'add', '物流部'], { db });
    runOk(['units', 'add', 'QA'], { db });
    no = log(db, '2026-11-16 09:00');
  });

  it('refuses assign --unit 物流布 with "did you mean 物流部", exit 2, nothing written (en and zh)', () => {
    let r = refused(db, ['assign', no, '--unit', '物流布', '--at', '2026-11-16 10:00']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: --unit: there is no unit '物流布' in this office; did you mean 物流部?\n");
    r = refused(db, ['assign', no, '--unit', '物流布', '--at', '2026-11-16 10:00'], 'zh-CN');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('是不是要找物流部');
    expect(show(db, no).unit).toBeNull();
  });

  it('names the units there are when nothing is near', () => {
    const r = refused(db, ['assign', no, '--unit', '财务部', '--at', '2026-11-16 10:00']);
    expect(r.stderr).toContain("there is no unit '财务部' in this office; its units are: 物流部, QA (complaints units list).");
  });

  it('stores the registered name for any width or case typed', () => {
    runOk(['assign', no, '--unit', '物流部', '--at', '2026-11-16 10:00'], { db });
    expect(show(db, no).unit).toBe('物流部');
    const other = log(db, '2026-11-16 11:00', { unit: 'qa' });
    expect(show(db, other).unit).toBe('QA');
  });

  it('filters list, overdue and report by the registered name, refusing a typo', () => {
    expect(listed(db, '--unit', '物流部')).toEqual([no]);
    expect(listed(db, '--unit', 'ｑａ,物流部')).toHaveLength(2);
    expect(report(db, '--unit', 'qa').unit).toBe('QA');
    for (const args of [['list', '--unit', '物流布'], ['overdue', '--as-of', AS_OF, '--unit', '物流布'], ['report', '--month', '2026-11', '--as-of', AS_OF, '--unit', '物流布']]) {
      const r = refused(db, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('did you mean 物流部?');
    }
    expect(refused(db, ['log', ...logArgs({ unit: '物流布' }).slice(1), '--at', '2026-11-17 09:00']).status).toBe(2);
  });
});

describe('assign at a terminal, once units are registered', () => {
  const db = tempDbPath();

  it('offers the units that take tickets to pick from, not a retired one', async () => {
    for (const name of ['物流部', '仓储组', '质量部']) runOk(['units', 'add', name], { db });
    runOk(['units', 'retire', '仓储组'], { db });
    const no = log(db, '2026-11-16 09:00');
    const term = startInTerminal(['--db', db, '--lang', 'zh-CN', 'assign', no, '--at', '2026-11-16 10:00']);
    try {
      await term.waitFor('由哪个责任单位处理？');
      await term.waitFor('❯ 物流部');
      term.type(`${KEY.down}${KEY.enter}`);
      await term.waitFor('✔ 由哪个责任单位处理？ 质量部');
      expect((await term.finished()).status).toBe(0);
    } finally {
      term.kill();
    }
    expect(show(db, no).unit).toBe('质量部');
  }, 20_000);
});

describe('units rename', () => {
  const db = tempDbPath();
  const tickets: string[] = [];
  let elsewhere: string;

  beforeAll(() => {
    tickets.push(log(db, '2026-11-03 09:00', { unit: '物流部' }));
    tickets.push(log(db, '2026-11-04 09:00'));
    runOk(['assign', tickets[1]!, '--unit', '物流部', '--at', '2026-11-04 10:00'], { db });
    elsewhere = log(db, '2026-11-05 09:00', { unit: '质量部' });
    runOk(['units', 'import-existing'], { db });
    runOk(['units', 'add', '仓储组', '--parent', '物流部'], { db });
  });

  it('moves every ticket of the unit to the new name with a unit_renamed event, in one change', () => {
    const before = eventCount(db);
    const r = runOk(['units', 'rename', '物流部', '物流配送部'], { db });
    expect(r.stdout).toBe('Renamed 物流部 to 物流配送部; tickets now under 物流配送部: 2. Their earlier events still say 物流部.\n');
    // One event per ticket and the unit's own.
    expect(eventCount(db)).toBe(before + 3);
    for (const no of tickets) {
      const doc = show(db, no);
      expect(doc.unit).toBe('物流配送部');
      expect(doc.events.at(-1)).toMatchObject({ kind: 'unit_renamed', details: { from: '物流部', to: '物流配送部' } });
      expect(JSON.stringify(doc.events.slice(0, -1))).not.toContain('物流配送部');
    }
    // History keeps the name the ticket went to.
    expect(show(db, tickets[1]!).events.find((e) => e.kind === 'assigned')?.details).toMatchObject({ unit: '物流部' });
    expect(runOk(['show', tickets[0]!], { db }).stdout).toContain('unit renamed: 物流部 → 物流配送部');
    expect(runOk(['--lang', 'zh-CN', 'show', tickets[0]!], { db }).stdout).toContain('责任单位更名：物流部 → 物流配送部');
    expect(show(db, elsewhere).unit).toBe('质量部');
    expect(units(db).map((u) => [u.name, u.parent])).toEqual([['物流配送部', null], ['质量部', null], ['仓储组', '物流配送部']]);
  });

  it('reports and lists under the new name only, and verify agrees', () => {
    const byUnit = report(db).by_unit.map((row) => [row.unit, row.received]);
    expect(byUnit).toContainEqual(['物流配送部', 2]);
    expect(byUnit.map(([unit]) => unit)).not.toContain('物流部');
    expect(listed(db, '--unit', '物流配送部')).toEqual([...tickets].sort());
    // The old name is no unit any more: refused, with the new one near enough to be named.
    expect(refused(db, ['list', '--unit', '物流部']).status).toBe(2);
    expect(runCli(['verify'], { db }).status).toBe(0);
  });

  it('accepts the same name in another case or width (a correction), refuses another unit\'s name and the same name', () => {
    runOk(['units', 'add', 'qa'], { db });
    runOk(['units', 'rename', 'QA', 'Qa'], { db });
    expect(units(db).map((u) => u.name)).toContain('Qa');
    let r = refused(db, ['units', 'rename', '物流配送部', '质量部']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('质量部 is another unit of this office; choose another name.');
    r = refused(db, ['units', 'rename', '物流配送部', '质量部'], 'zh-CN');
    expect(r.stderr).toContain('已有名为“质量部”的责任单位，请换一个名称。');
    r = refused(db, ['units', 'rename', '物流配送布', '物流']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('OLD');
    expect(refused(db, ['units', 'rename', 'Qa', 'Qa']).status).toBe(1);
  });
});

describe('units import-existing', () => {
  const db = tempDbPath();

  it('registers the names used on tickets in first-use order, one per width/case, skipping registered ones', () => {
    log(db, '2026-11-03 09:00', { unit: '质量部' });
    const second = log(db, '2026-11-03 10:00');
    log(db, '2026-11-03 11:00', { unit: '物流部' });
    log(db, '2026-11-03 12:00', { unit: '物流部' });
    runOk(['assign', second, '--unit', '客服中心', '--at', '2026-11-03 13:00'], { db });
    runOk(['units', 'add', '质量部'], { db });
    const before = eventCount(db);
    expect(runOk(['units', 'import-existing'], { db }).stdout).toBe('Registered 2 unit(s) already in use: 客服中心, 物流部.\n');
    expect(eventCount(db)).toBe(before + 2);
    expect(units(db).map((u) => u.name)).toEqual(['质量部', '客服中心', '物流部']);
    expect(runOk(['--lang', 'zh-CN', 'units', 'import-existing'], { db }).stdout).toBe('在用的单位名称均已登记。\n');
    expect(eventCount(db)).toBe(before + 2);
  });
});

describe('a unit spelt in two widths or cases before it was registered', () => {
  const db = tempDbPath();

  it('is one unit once registered: the other spelling moves to it with a unit_renamed event, one report row', () => {
    const first = log(db, '2026-11-03 09:00', { unit: 'QA' });
    const second = log(db, '2026-11-03 10:00', { unit: 'ｑａ' });
    expect(report(db).by_unit.map((row) => row.unit)).toEqual(expect.arrayContaining(['QA', 'ｑａ']));
    expect(runOk(['units', 'import-existing'], { db }).stdout).toBe('Registered 1 unit(s) already in use: QA.\n');
    expect(show(db, second).unit).toBe('QA');
    expect(show(db, second).events.at(-1)).toMatchObject({ kind: 'unit_renamed', details: { from: 'ｑａ', to: 'QA' } });
    expect(show(db, first).events.at(-1)?.kind).toBe('logged');
    expect(report(db).by_unit.map((row) => [row.unit, row.received])).toEqual([['QA', 2]]);
    expect(runCli(['verify'], { db }).status).toBe(0);
  });
});

describe('units once people are registered', () => {
  const db = tempDbPath();
  const me = userInfo().username;

  beforeAll(() => {
    // The people commands are another part of issue 13: the rows are put in as they will.
    withRaw(db, (raw) => {
      raw.prepare("INSERT INTO people (login, name, role, unit, position) VALUES (?, '管理员', 'director', NULL, 1)").run(me);
      raw.prepare("INSERT INTO people (login, name, role, unit, position) VALUES ('lilei', '李雷', 'handler', '仓储部', 2)").run();
    });
  });

  const asMe = { env: { COMPLAINTS_USER: me } };

  it('takes a leader only among the registered people', () => {
    const before = eventCount(db);
    const r = runCli(['units', 'add', '物流部', '--leader', 'hanmeimei'], { db, ...asMe });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --leader: hanmeimei is not a registered, active person of this office (complaints people list).\n');
    expect(eventCount(db)).toBe(before);
    runOk(['units', 'add', '物流部', '--leader', 'lilei'], { db, ...asMe });
  });

  it('imports the units people belong to, and a rename carries them', () => {
    expect(runOk(['units', 'import-existing'], { db, ...asMe }).stdout).toBe('Registered 1 unit(s) already in use: 仓储部.\n');
    runOk(['units', 'rename', '仓储部', '仓储物流部'], { db, ...asMe });
    expect(withRaw(db, (raw) => raw.prepare("SELECT unit FROM people WHERE login = 'lilei'").pluck().get())).toBe('仓储物流部');
  });
});
