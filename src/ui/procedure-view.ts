import Table from 'cli-table3';
import {
  LIST_NAMES, startsAfter, stageSlaText, type Labels, type ListItem, type ListName, type Lists, type Procedure, type StageRule,
} from '../domain/procedure.js';
import { SLA_COLUMNS, type SlaColumn } from '../domain/sla.js';
import { en } from '../messages/en.js';
import { t, type MessageKey } from '../messages/index.js';
import { display } from './cells.js';
import { listLabel, stageLabel } from './labels.js';

// The office's procedure as a person reads it (`lists show`, `stages show`, `procedure show`) and
// as data (`--json`). The page is a function of the lists and stages alone, in the office's order,
// with no version and no date: two offices with the same rules print the same page (issue 11:
// export → import reproduces it byte for byte).

/** The label an English reader sees: the office's own, else the catalogue's, else the code. */
function englishLabel(catalogueKey: string, own: string | null, code: string): string {
  return own ?? (Object.hasOwn(en, catalogueKey) ? en[catalogueKey as keyof typeof en] : code);
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

const LIST_HEADINGS: Record<ListName, MessageKey> = {
  channel: 'procedure_list_channel',
  category: 'procedure_list_category',
  reply_method: 'procedure_list_reply_method',
  ticket_type: 'procedure_list_ticket_type',
  fault: 'procedure_list_fault',
  compensation_kind: 'procedure_list_compensation_kind',
};

export function renderList(list: ListName, items: readonly ListItem[]): string {
  const table = new Table({
    head: [t('procedure_head_code'), t('procedure_head_english'), t('procedure_head_chinese'), ''],
    style: { head: [], border: [] },
    // No rule between rows: a list, not a grid.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const item of items) {
    table.push([
      display(item.code),
      display(englishLabel(`list_${list}_${item.code}`, item.labels.en, item.code)),
      display(item.labels.zh ?? ''),
      item.retired ? t('procedure_retired') : '',
    ]);
  }
  return `${t(LIST_HEADINGS[list], { list })}\n${table.toString()}`;
}

export function renderLists(lists: Lists, only?: ListName): string {
  return (only === undefined ? LIST_NAMES : [only]).map((name) => renderList(name, lists[name])).join('\n\n');
}

function labelText(code: string, labels: Labels, shown: string): string {
  const zh = labels.zh === null ? '' : ` / ${labels.zh}`;
  return shown === code && zh === '' ? code : `${code} (${shown}${zh})`;
}

function startText(rule: StageRule, stages: readonly StageRule[]): string {
  const after = startsAfter(rule);
  if (after !== null) return t('procedure_starts_after', { stage: stageLabel(after, stages) });
  return t(`procedure_starts_${rule.start}` as MessageKey);
}

function appliesText(rule: StageRule, lists: Lists): string {
  const severities = rule.onlySeverities === null ? t('procedure_every_severity') : t('procedure_only_severities', { list: rule.onlySeverities.join(', ') });
  const types = rule.onlyTypes === null
    ? t('procedure_every_type')
    : t('procedure_only_types', { list: rule.onlyTypes.map((c) => listLabel('ticket_type', c, lists)).join(', ') });
  return `${severities}, ${types}`;
}

/** The durations that apply: a severity the stage does not time is left out. */
function durationsText(rule: StageRule): string {
  const text = stageSlaText(rule.sla);
  const applies = (column: SlaColumn): boolean => column === 'urgent' || rule.onlySeverities === null || rule.onlySeverities.includes(column);
  return SLA_COLUMNS.filter(applies).map((column) => {
    const value = text[column] ?? (column === 'urgent' ? t('procedure_urgent_own') : t('procedure_no_duration'));
    return `${column} ${value}`;
  }).join(' · ');
}

/** One stage as a rule a clerk reads: what it is, when it starts, on which clock, for which tickets, how long. */
export function renderStage(rule: StageRule, stages: readonly StageRule[], lists: Lists): string {
  const head = labelText(rule.code, rule.labels, stageLabel(rule.code, stages));
  const lines = [
    display(rule.retired ? `${head}  ${t('procedure_retired_stage')}` : head),
    `  ${startText(rule, stages)}; ${t(rule.clock === '24x7' ? 'procedure_clock_24x7' : 'procedure_clock_working')}; ${t(rule.pausable ? 'procedure_pausable' : 'procedure_not_pausable')}`,
    `  ${display(appliesText(rule, lists))}`,
    `  ${durationsText(rule)}`,
  ];
  return lines.join('\n');
}

export function renderStages(stages: readonly StageRule[], lists: Lists): string {
  return stages.map((rule) => renderStage(rule, stages, lists)).join('\n\n');
}

/** The whole procedure as one page: its lists, then its stages with their SLA. */
export function renderProcedure(p: Pick<Procedure, 'lists' | 'stages'>): string {
  return [
    t('procedure_title'),
    '',
    t('procedure_section_lists'),
    '',
    renderLists(p.lists),
    '',
    t('procedure_section_stages'),
    '',
    renderStages(p.stages, p.lists),
  ].join('\n');
}
