import { SEVERITIES, type Severity } from '../domain/model.js';
import {
  LIST_NAMES, startsAfter, stageSlaText, type Labels, type ListItem, type ListName, type Lists, type Procedure, type ProcedureProblem,
  type StageRule, START_MOMENTS,
} from '../domain/procedure.js';
import { SLA_COLUMNS, stageAllowance, type Duration, type SlaColumn } from '../domain/sla.js';
import { en } from '../messages/en.js';
import { t, type MessageKey } from '../messages/index.js';
import { display } from './cells.js';
import { codeAndLabel, listLabel, listName, severityLabel, stageLabel } from './labels.js';
import { displayWidth, joinItems } from './format.js';
import { renderTable, wrapText, type TableColumn } from './table.js';

// The office's procedure as a person reads it (`lists show`, `stages show`, `procedure show`) and
// as data (`--json`). The page is a function of the lists and stages alone, in the office's order,
// with no version and no date: two offices with the same rules print the same page (issue 11:
// export → import reproduces it byte for byte).

/** The label an English reader sees: the office's own, else the catalogue's, else the code. */
function englishLabel(catalogueKey: string, own: string | null, code: string): string {
  return own ?? builtInEnglish(catalogueKey) ?? code;
}

/** The English catalogue's label for a code the product knows (`list_channel_phone`), else null. */
export function builtInEnglish(catalogueKey: string): string | null {
  return Object.hasOwn(en, catalogueKey) ? en[catalogueKey as keyof typeof en] : null;
}

function listItemDocument(list: ListName, item: ListItem): Record<string, unknown> {
  return {
    code: item.code,
    labels: { en: item.labels.en, zh: item.labels.zh },
    // zh: only the office's own until the Chinese catalogue exists.
    effective_labels: { en: englishLabel(`list_${list}_${item.code}`, item.labels.en, item.code), zh: item.labels.zh },
    retired: item.retired,
  };
}

export function listsDocument(lists: Lists, only?: ListName): Record<string, unknown> {
  const names = only === undefined ? LIST_NAMES : [only];
  return Object.fromEntries(names.map((name) => [name, lists[name].map((item) => listItemDocument(name, item))]));
}

export function stageDocument(rule: StageRule): Record<string, unknown> {
  return {
    code: rule.code,
    labels: { en: rule.labels.en, zh: rule.labels.zh },
    effective_labels: { en: englishLabel(`stage_${rule.code}`, rule.labels.en, rule.code), zh: rule.labels.zh },
    builtin: rule.builtin,
    start: rule.start,
    clock: rule.clock,
    pausable: rule.pausable,
    sla: stageSlaText(rule.sla),
    only_severity: rule.onlySeverities === null ? null : [...rule.onlySeverities],
    only_type: rule.onlyTypes === null ? null : [...rule.onlyTypes],
    retired: rule.retired,
  };
}

export function procedureDocument(p: Procedure): Record<string, unknown> {
  return { version: p.version, lists: listsDocument(p.lists), stages: p.stages.map(stageDocument) };
}

// ---------------------------------------------------------------------------------------------
// The page

export function renderList(list: ListName, items: readonly ListItem[], width = 100): string {
  const columns: TableColumn[] = [
    { head: t('procedure_head_code') }, { head: t('procedure_head_english'), wrap: { min: 10 } },
    { head: t('procedure_head_chinese'), wrap: { min: 8 } }, { head: t('procedure_head_retired') },
  ];
  // No rule between rows: a list, not a grid.
  const rows = items.map((item) => [
    display(item.code),
    display(englishLabel(`list_${list}_${item.code}`, item.labels.en, item.code)),
    display(item.labels.zh ?? ''),
    item.retired ? t('procedure_retired') : '',
  ]);
  return `${t('procedure_list_heading', { name: sentenceCase(listName(list)), list })}\n${renderTable(columns, rows, { width })}`;
}

/** `channels` → `Channels` for a title; a language without capitals is left as it is. */
function sentenceCase(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en') + text.slice(1);
}

export function renderLists(lists: Lists, only?: ListName, width = 100): string {
  return (only === undefined ? LIST_NAMES : [only]).map((name) => renderList(name, lists[name], width)).join('\n\n');
}

function labelText(code: string, labels: Labels, shown: string): string {
  return codeAndLabel(code, labels.zh === null ? shown : `${shown} / ${labels.zh}`);
}

/**
 * When the stage starts, as the lifecycle starts it: the built-in update at every reply, an office
 * stage at the first of its moment in each handling cycle (a reopened ticket starts a new cycle).
 */
function startText(rule: StageRule, stages: readonly StageRule[]): string {
  const after = startsAfter(rule);
  if (after !== null) return t('procedure_starts_after', { stage: stageLabel(after, stages) });
  if (rule.builtin && rule.start === 'reply') return t('procedure_starts_each_reply');
  return t(START_TEXT[rule.start as (typeof START_MOMENTS)[number]]);
}

const START_TEXT: Readonly<Record<(typeof START_MOMENTS)[number], MessageKey>> = {
  receipt: 'procedure_starts_receipt',
  assignment: 'procedure_starts_assignment',
  reply: 'procedure_starts_reply',
  close: 'procedure_starts_close',
  approval_request: 'procedure_starts_approval_request',
};

function appliesText(rule: StageRule, lists: Lists): string {
  const severities = rule.onlySeverities === null ? t('procedure_every_severity') : t('procedure_only_severities', { list: joinItems(rule.onlySeverities.map(severityLabel)) });
  const types = rule.onlyTypes === null
    ? t('procedure_every_type')
    : t('procedure_only_types', { list: joinItems(rule.onlyTypes.map((c) => listLabel('ticket_type', c, lists))) });
  return joinItems([severities, types]);
}

/** The severities the stage times, each with its duration. */
function timedSeverities(rule: StageRule): { severity: Severity; duration: Duration }[] {
  return SEVERITIES.filter((s) => rule.onlySeverities === null || rule.onlySeverities.includes(s))
    .flatMap((severity) => (rule.sla[severity] === null ? [] : [{ severity, duration: rule.sla[severity]! }]));
}

/** The clock a duration runs on, as the deadline is computed (only the clock is asked for, not the minutes). */
function clockOf(rule: StageRule, severity: Severity, urgent: boolean): 'working' | 'round-the-clock' {
  return stageAllowance(rule, severity, urgent, { minutesPerWorkingDay: 1 }).clock;
}

/** The stage's clock in plain words: office hours, round the clock, or each duration its own. */
function clockText(rule: StageRule): string {
  if (rule.clock === '24x7') return t('procedure_clock_24x7');
  const clocks = new Set(timedSeverities(rule).map(({ severity }) => clockOf(rule, severity, false)));
  if (clocks.size > 1) return t('procedure_clock_mixed');
  return t(clocks.has('round-the-clock') ? 'procedure_clock_round' : 'procedure_clock_office');
}

/** The durations that apply: a severity the stage does not time is left out; urgent is said apart. */
function durationsText(rule: StageRule): string {
  const text = stageSlaText(rule.sla);
  const applies = (column: SlaColumn): boolean => column !== 'urgent' && (rule.onlySeverities === null || rule.onlySeverities.includes(column));
  const severities = SLA_COLUMNS.filter(applies).map((column) => `${severityLabel(column)} ${text[column] ?? t('procedure_no_duration')}`);
  return [...severities, `${t('procedure_urgent_word')} ${urgentText(rule, text.urgent)}`].join(' · ');
}

/** Urgent tickets run round the clock (the Stages section says so once); a stage that does not says it. */
function urgentText(rule: StageRule, own: string | null): string {
  const first = timedSeverities(rule)[0]?.severity ?? 'general';
  const office = clockOf(rule, first, true) === 'working';
  if (own === null) return t(office ? 'procedure_urgent_own_office' : 'procedure_urgent_own');
  return office ? t('procedure_urgent_office', { duration: own }) : own;
}

/** One stage as a rule a clerk reads: what it is, when it starts, on which clock, for which tickets, how long. */
export function renderStage(rule: StageRule, stages: readonly StageRule[], lists: Lists, width = 100): string {
  const head = labelText(rule.code, rule.labels, stageLabel(rule.code, stages));
  const lines = [
    display(rule.retired ? `${head}  ${t('procedure_retired_stage')}` : head),
    ...clauseLines([startText(rule, stages), clockText(rule), t(rule.pausable ? 'procedure_pausable' : 'procedure_not_pausable')], width),
    `  ${display(appliesText(rule, lists))}`,
    `  ${durationsText(rule)}`,
  ];
  return fitLines(lines.join('\n'), width);
}

/** Every stage, after one line saying what the units mean. */
export function renderStages(stages: readonly StageRule[], lists: Lists, width = 100): string {
  return [fitLines(t('procedure_units'), width), ...stages.map((rule) => renderStage(rule, stages, lists, width))].join('\n\n');
}

/** The whole procedure as one page: its lists, then its stages with their SLA. */
export function renderProcedure(p: Pick<Procedure, 'lists' | 'stages'>, width = 100): string {
  return [
    t('procedure_title'),
    '',
    t('procedure_section_lists'),
    '',
    renderLists(p.lists, undefined, width),
    '',
    t('procedure_section_stages'),
    '',
    renderStages(p.stages, p.lists, width),
  ].join('\n');
}

/** A problem procedureProblems found, in the reader's words (a list by its name, not its code). */
export function problemText(problem: ProcedureProblem): string {
  const list = LIST_NAMES.find((name) => name === problem.params.list);
  return t(problem.key as MessageKey, list === undefined ? problem.params : { ...problem.params, list: listName(list) });
}

/** Lines wider than the terminal wrapped, each further line indented two more than its first. */
function fitLines(text: string, width: number): string {
  return text.split('\n').flatMap((line) => {
    if (displayWidth(line) <= width) return [line];
    const indent = /^ */.exec(line)![0];
    const [first, ...rest] = wrapText(line.slice(indent.length), width - indent.length - 2);
    return [`${indent}${first}`, ...rest.map((l) => `${indent}  ${l}`)];
  }).join('\n');
}

/** Clauses on a line two in, broken between clauses where the line would be wider than the terminal. */
function clauseLines(clauses: readonly string[], width: number): string[] {
  const separator = t('clause_separator');
  const lines: string[] = [];
  let line = '';
  clauses.forEach((clause, i) => {
    const piece = clause + (i < clauses.length - 1 ? separator : '');
    if (line !== '' && displayWidth(`  ${line}${piece.trimEnd()}`) > width) {
      lines.push(`  ${line.trimEnd()}`);
      line = `  ${piece}`;
    } else {
      line += piece;
    }
  });
  lines.push(`  ${line.trimEnd()}`);
  return lines;
}
