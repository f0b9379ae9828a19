import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROCEDURE, importedProcedure, procedureProblems, withListItem, withStage, type Procedure, type StageRule,
} from '../../src/domain/procedure.js';
import { parseDuration } from '../../src/domain/sla.js';

const d = (text: string) => parseDuration(text)!;

/** An office stage as `stages add site_visit --start assignment --sla 3wh --only-severity major` makes it. */
function siteVisit(over: Partial<StageRule> = {}): StageRule {
  return {
    code: 'site_visit', labels: { en: 'site visit', zh: null }, builtin: false, start: 'assignment', clock: 'working', pausable: false,
    sla: { general: null, important: null, major: d('3wh'), urgent: null }, onlySeverities: ['major'], onlyTypes: null, retired: false, ...over,
  };
}

const withSiteVisit = (over: Partial<StageRule> = {}): Procedure => withStage(DEFAULT_PROCEDURE, siteVisit(over));
const builtin = (code: string): StageRule => DEFAULT_PROCEDURE.stages.find((s) => s.code === code)!;
const problemsOf = (p: Pick<Procedure, 'lists' | 'stages'>) => procedureProblems(p).map((x) => [x.path, x.key]);

describe('checking a procedure before it is saved', () => {
  it('finds nothing wrong with the procedure every office starts from, nor with a well-made office stage', () => {
    expect(procedureProblems(DEFAULT_PROCEDURE)).toEqual([]);
    expect(procedureProblems(withSiteVisit())).toEqual([]);
  });

  it.each<[string, () => Pick<Procedure, 'lists' | 'stages'>, [string, string]]>([
    ['a code that is not one', () => withListItem(DEFAULT_PROCEDURE, 'channel', { code: 'Fax Machine', labels: { en: null, zh: null }, retired: false }), ['lists.channel[9].code', 'procedure_bad_code']],
    ['a stage code with a hyphen', () => withSiteVisit({ code: 'site-visit' }), ['stages[6].code', 'procedure_bad_code']],
    ['a code twice in a list', () => ({ ...DEFAULT_PROCEDURE, lists: { ...DEFAULT_PROCEDURE.lists, channel: [...DEFAULT_PROCEDURE.lists.channel, { code: 'phone', labels: { en: null, zh: null }, retired: false }] } }), ['lists.channel[9].code', 'procedure_duplicate_code']],
    ['a zero duration', () => withSiteVisit({ sla: { general: null, important: null, major: d('0wh'), urgent: null } }), ['stages[6].sla.major', 'procedure_bad_duration']],
    ['a duration over a year', () => withSiteVisit({ sla: { general: null, important: null, major: d('400d'), urgent: null } }), ['stages[6].sla.major', 'procedure_bad_duration']],
    ['no duration for a severity it applies to', () => withSiteVisit({ onlySeverities: ['important', 'major'] }), ['stages[6].sla.important', 'procedure_missing_duration']],
    ['a start that names no stage', () => withSiteVisit({ start: 'stage:nope' }), ['stages[6].start', 'procedure_unknown_start']],
    ['a start that is no moment', () => withSiteVisit({ start: 'lunch' as StageRule['start'] }), ['stages[6].start', 'procedure_unknown_start']],
    ['a stage that waits for itself', () => withSiteVisit({ start: 'stage:site_visit' }), ['stages[6].start', 'procedure_unknown_start']],
    ['two stages waiting for each other', () => withStage(withSiteVisit({ start: 'stage:notice' }), siteVisit({ code: 'notice', start: 'stage:site_visit' })), ['stages[6].start', 'procedure_start_loop']],
    ['a ticket type the office does not have', () => withSiteVisit({ onlyTypes: ['nope'] }), ['stages[6].only_type', 'procedure_unknown_type']],
    ['a severity there is not', () => withSiteVisit({ onlySeverities: ['critical' as 'major'] }), ['stages[6].only_severity', 'procedure_unknown_severity']],
    ['a built-in stage removed', () => ({ ...DEFAULT_PROCEDURE, stages: DEFAULT_PROCEDURE.stages.filter((s) => s.code !== 'callback') }), ['stages', 'procedure_builtin_missing']],
    ['a built-in stage moved', () => withStage(DEFAULT_PROCEDURE, { ...builtin('resolve'), start: 'assignment' }), ['stages[3].start', 'procedure_builtin_start']],
    ['a built-in stage retired', () => withStage(DEFAULT_PROCEDURE, { ...builtin('assign'), retired: true }), ['stages[0]', 'procedure_builtin_fixed']],
    ['a built-in stage limited to some tickets', () => withStage(DEFAULT_PROCEDURE, { ...builtin('first_reply'), onlySeverities: ['major'] }), ['stages[1]', 'procedure_builtin_fixed']],
    ['every code of a list retired', () => ({ ...DEFAULT_PROCEDURE, lists: { ...DEFAULT_PROCEDURE.lists, fault: DEFAULT_PROCEDURE.lists.fault.map((i) => ({ ...i, retired: true })) } }), ['lists.fault', 'procedure_list_empty']],
    ['a label over 60 characters', () => withSiteVisit({ labels: { en: null, zh: '很'.repeat(61) } }), ['stages[6].label_zh', 'procedure_label_too_long']],
  ])('refuses %s, naming where', (_what, make, [path, key]) => {
    expect(problemsOf(make())).toContainEqual([path, key]);
  });
});

describe('importing a procedure document', () => {
  const fax = { code: 'fax', labels: { en: 'Fax', zh: '传真' }, retired: false };

  it("replaces the office's lists and stages, keeping retired what the document lacks, after the document's own", () => {
    const office = withSiteVisit();
    const channel = [fax, ...DEFAULT_PROCEDURE.lists.channel.filter((i) => i.code !== 'forum')];
    const after = importedProcedure(office, { lists: { channel }, stages: [...DEFAULT_PROCEDURE.stages] });
    expect(after.lists.channel.map((i) => [i.code, i.retired])).toEqual([...channel.map((i) => [i.code, false]), ['forum', true]]);
    // Lists the document does not give stay as they are.
    expect(after.lists.fault).toBe(office.lists.fault);
    expect(after.stages.map((s) => [s.code, s.retired])).toEqual([...DEFAULT_PROCEDURE.stages.map((s) => [s.code, false]), ['site_visit', true]]);
    expect(procedureProblems(after)).toEqual([]);
  });

  it('does not make up a built-in stage the document lacks: the result is refused', () => {
    const after = importedProcedure(DEFAULT_PROCEDURE, { lists: {}, stages: DEFAULT_PROCEDURE.stages.slice(1) });
    expect(problemsOf(after)).toEqual([['stages', 'procedure_builtin_missing']]);
  });

  it('keeps the stages when the document gives none', () => {
    const office = withSiteVisit();
    expect(importedProcedure(office, { lists: {}, stages: null }).stages).toBe(office.stages);
  });
});
