import {
  BUILTIN_STAGES, CATEGORIES, CHANNELS, COMPENSATION_KINDS, FAULTS, REPLY_CHANNELS, SEVERITIES, TICKET_TYPES,
  type BuiltinStage, type Severity,
} from './model.js';
import { formatDuration, isDeadlineLength, isDurationWithinBounds, parseDuration, SLA_COLUMNS, type Duration, type SlaColumn } from './sla.js';

// The office's procedure as data (issue 11): its lists (what a ticket may say) and its stages (what
// it owes the complainant, and by when). The five seeds are five offices with five procedures; the
// defaults below are the one the product had built in (SPEC §1, §4), every office starts from them.

// ---------------------------------------------------------------------------------------------
// Lists

export const LIST_NAMES = ['channel', 'category', 'reply_method', 'ticket_type', 'fault', 'compensation_kind'] as const;
export type ListName = (typeof LIST_NAMES)[number];

export const LANGUAGE_CODES = ['en', 'zh'] as const;
export type LabelLanguage = (typeof LANGUAGE_CODES)[number];

/** A label the office gave; null: the message catalogue's label for a code it knows, else the code. */
export type Labels = Readonly<Record<LabelLanguage, string | null>>;
export const NO_LABELS: Labels = Object.freeze({ en: null, zh: null });

export interface ListItem {
  code: string;
  labels: Labels;
  /** No new ticket may use it; tickets that did still read, filter and count under it. */
  retired: boolean;
}

export type Lists = Readonly<Record<ListName, readonly ListItem[]>>;

/** Codes travel in JSON, flags and CSV: short ASCII, lower case, words joined by `-` or `_`. */
const CODE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
export const CODE_MAX_LENGTH = 32;
export const LABEL_MAX_LENGTH = 60;

export function isCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= CODE_MAX_LENGTH && CODE.test(value);
}

const items = (codes: readonly string[]): ListItem[] => codes.map((code) => ({ code, labels: NO_LABELS, retired: false }));

export const DEFAULT_LISTS: Lists = {
  channel: items(CHANNELS),
  category: items(CATEGORIES),
  reply_method: items(REPLY_CHANNELS),
  // seed 004 §3.6: 投诉、咨询、建议、预警
  ticket_type: items(TICKET_TYPES),
  fault: items(FAULTS),
  compensation_kind: items(COMPENSATION_KINDS),
};

/** Codes a new ticket may take, in the office's order. */
export function activeCodes(list: readonly ListItem[]): string[] {
  return list.filter((i) => !i.retired).map((i) => i.code);
}

export function hasCode(list: readonly ListItem[], code: string): boolean {
  return list.some((i) => i.code === code);
}

// ---------------------------------------------------------------------------------------------
// Stages

/**
 * What starts a stage's clock. The built-in stages start where the lifecycle starts them (SPEC §4);
 * an office stage starts at one of these moments of a handling cycle, once per cycle.
 */
export type StageStart = 'receipt' | 'assignment' | 'reply' | 'close' | 'approval_request' | `stage:${string}`;
/** `approval_request`: a close awaiting approval (issue 13 §4) was requested. */
export const START_MOMENTS = ['receipt', 'assignment', 'reply', 'close', 'approval_request'] as const;

/**
 * `working`: each duration runs on the clock its unit names (`wh`, `wd` working time; `m`, `h`,
 * `d` round the clock). `24x7`: the stage runs round the clock whatever the unit, as an urgent
 * ticket's stages do (a `wd` is then 24 hours).
 */
export const STAGE_CLOCKS = ['working', '24x7'] as const;
export type StageClock = (typeof STAGE_CLOCKS)[number];

export type StageSla = Readonly<Record<SlaColumn, Duration | null>>;

export interface StageRule {
  code: string;
  labels: Labels;
  builtin: boolean;
  start: StageStart;
  clock: StageClock;
  /** Stops while the ticket is on hold. */
  pausable: boolean;
  /**
   * One duration per severity, and `urgent`: the duration for urgent tickets, 24×7 (null: the
   * severity's own, run 24×7). A severity the stage does not apply to may have none.
   */
  sla: StageSla;
  /** null: every severity. */
  onlySeverities: readonly Severity[] | null;
  /** null: every ticket type. */
  onlyTypes: readonly string[] | null;
  /** Starts on no new ticket; deadlines it already set run on and can still be met. */
  retired: boolean;
}

const d = (text: string): Duration => parseDuration(text)!;

function builtin(code: BuiltinStage, start: StageStart, pausable: boolean, sla: Record<SlaColumn, string | null>): StageRule {
  return {
    code, labels: NO_LABELS, builtin: true, start, clock: 'working', pausable, onlySeverities: null, onlyTypes: null, retired: false,
    sla: { general: d(sla.general!), important: d(sla.important!), major: d(sla.major!), urgent: sla.urgent === null ? null : d(sla.urgent) },
  };
}

/** The code of the stage a close awaiting approval runs (issue 13 §4). */
export const APPROVAL_STAGE = 'approval';

/**
 * seed 004 §3.7.3.4: internal approval within one working day. An office stage, not a built-in one:
 * the office may change its durations, or retire it (requests then have no deadline).
 */
export function approvalStageRule(): StageRule {
  return {
    code: APPROVAL_STAGE, labels: NO_LABELS, builtin: false, start: 'approval_request', clock: 'working', pausable: false,
    onlySeverities: null, onlyTypes: null, retired: false, sla: { general: d('1wd'), important: d('1wd'), major: d('1wd'), urgent: null },
  };
}

// Seeds 000, 001, 002, 004 as distilled in SPEC §4. seed 004 §3.7: a complaint waiting on the
// complainant or an outside party stops the resolve and update clocks; the office's own first
// response and assignment do not wait.
export const DEFAULT_STAGES: readonly StageRule[] = [
  builtin('assign', 'receipt', false, { general: '2wh', important: '2wh', major: '1wh', urgent: '30m' }),
  builtin('first_reply', 'receipt', false, { general: '4wh', important: '8wh', major: '8wh', urgent: '2h' }),
  // seed 004 §3.7: progress to the complainant at least every 3 working days
  builtin('update', 'reply', true, { general: '3wd', important: '3wd', major: '3wd', urgent: '1d' }),
  builtin('resolve', 'receipt', true, { general: '5wd', important: '7wd', major: '7wd', urgent: null }),
  builtin('callback', 'close', false, { general: '1wd', important: '1wd', major: '1wd', urgent: '1wd' }),
  approvalStageRule(),
];

/** Where each built-in stage starts: the lifecycle starts them there, so an office cannot move it. */
export const BUILTIN_STARTS: Readonly<Record<BuiltinStage, StageStart>> = {
  assign: 'receipt', first_reply: 'receipt', update: 'reply', resolve: 'receipt', callback: 'close',
};

export function isBuiltinStage(code: string): code is BuiltinStage {
  return (BUILTIN_STAGES as readonly string[]).includes(code);
}

export interface Procedure {
  /** Goes up by one with every change; each ticket event records the one it was computed under. */
  version: number;
  lists: Lists;
  stages: readonly StageRule[];
}

export const DEFAULT_PROCEDURE: Procedure = { version: 1, lists: DEFAULT_LISTS, stages: DEFAULT_STAGES };

export function findStage(stages: readonly StageRule[], code: string): StageRule | undefined {
  return stages.find((s) => s.code === code);
}

/** The stage this one waits for (`stage:CODE`), or null when it starts at a moment of the cycle. */
export function startsAfter(rule: Pick<StageRule, 'start'>): string | null {
  return rule.start.startsWith('stage:') ? rule.start.slice('stage:'.length) : null;
}

/** Whether the stage sets a deadline on a ticket of this severity and type. */
export function stageApplies(rule: StageRule, ticket: { severity: Severity; type: string }): boolean {
  if (rule.retired) return false;
  if (rule.onlySeverities !== null && !rule.onlySeverities.includes(ticket.severity)) return false;
  return rule.onlyTypes === null || rule.onlyTypes.includes(ticket.type);
}

// ---------------------------------------------------------------------------------------------
// Checking a procedure: before it is saved, from a command or an imported document. Each problem
// names where it is (a path such as `stages[5].sla.general`) and what is wrong, as a message key.

export type ProblemKey =
  | 'procedure_bad_code' | 'procedure_duplicate_code' | 'procedure_bad_duration' | 'procedure_missing_duration'
  | 'procedure_unknown_start' | 'procedure_start_loop' | 'procedure_unknown_type' | 'procedure_unknown_severity'
  | 'procedure_builtin_missing' | 'procedure_builtin_start' | 'procedure_builtin_fixed' | 'procedure_list_empty'
  | 'procedure_label_too_long';

export interface ProcedureProblem {
  path: string;
  key: ProblemKey;
  params: Readonly<Record<string, string | number>>;
}

/** Every problem of a procedure, in document order; empty when it can be saved. */
export function procedureProblems(p: Pick<Procedure, 'lists' | 'stages'>): ProcedureProblem[] {
  const problems: ProcedureProblem[] = [];
  const problem = (path: string, key: ProblemKey, params: ProcedureProblem['params'] = {}): void => {
    problems.push({ path, key, params });
  };
  for (const name of LIST_NAMES) {
    const list = p.lists[name];
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const path = `lists.${name}[${i}]`;
      if (!isCode(item.code)) problem(`${path}.code`, 'procedure_bad_code', { value: String(item.code) });
      else if (seen.has(item.code)) problem(`${path}.code`, 'procedure_duplicate_code', { value: item.code });
      seen.add(item.code);
      labelProblems(item.labels, path, problem);
    });
    if (activeCodes(list).length === 0) problem(`lists.${name}`, 'procedure_list_empty', { list: name });
  }
  const codes = new Set<string>();
  p.stages.forEach((rule, i) => {
    const path = `stages[${i}]`;
    if (!isCode(rule.code) || rule.code.includes('-')) problem(`${path}.code`, 'procedure_bad_code', { value: String(rule.code) });
    else if (codes.has(rule.code)) problem(`${path}.code`, 'procedure_duplicate_code', { value: rule.code });
    codes.add(rule.code);
  });
  for (const code of BUILTIN_STAGES) {
    if (!p.stages.some((s) => s.code === code)) problem('stages', 'procedure_builtin_missing', { stage: code });
  }
  p.stages.forEach((rule, i) => {
    const path = `stages[${i}]`;
    labelProblems(rule.labels, path, problem);
    if (isBuiltinStage(rule.code)) {
      if (rule.start !== BUILTIN_STARTS[rule.code]) problem(`${path}.start`, 'procedure_builtin_start', { stage: rule.code, start: BUILTIN_STARTS[rule.code] });
      if (rule.retired || rule.onlySeverities !== null || rule.onlyTypes !== null) problem(path, 'procedure_builtin_fixed', { stage: rule.code });
    } else {
      const after = startsAfter(rule);
      if (after === null ? !(START_MOMENTS as readonly string[]).includes(rule.start) : !codes.has(after) || after === rule.code) {
        problem(`${path}.start`, 'procedure_unknown_start', { value: rule.start });
      }
    }
    for (const severity of rule.onlySeverities ?? []) {
      if (!(SEVERITIES as readonly string[]).includes(severity)) problem(`${path}.only_severity`, 'procedure_unknown_severity', { value: severity });
    }
    for (const type of rule.onlyTypes ?? []) {
      if (!hasCode(p.lists.ticket_type, type)) problem(`${path}.only_type`, 'procedure_unknown_type', { value: type });
    }
    for (const column of SLA_COLUMNS) {
      const duration = rule.sla[column];
      if (duration === null) {
        const needed = column !== 'urgent' && (rule.onlySeverities === null || rule.onlySeverities.includes(column as Severity));
        if (needed) problem(`${path}.sla.${column}`, 'procedure_missing_duration', { stage: rule.code, column });
      } else if (!isDeadlineLength(duration) || !isDurationWithinBounds(duration)) {
        problem(`${path}.sla.${column}`, 'procedure_bad_duration', { value: formatDuration(duration) });
      }
    }
  });
  // A chain of stages each waiting for the next never starts: refuse it rather than keep it.
  p.stages.forEach((rule, i) => {
    const seen = new Set<string>([rule.code]);
    let next = startsAfter(rule);
    while (next !== null) {
      if (seen.has(next)) {
        problem(`stages[${i}].start`, 'procedure_start_loop', { stage: rule.code });
        break;
      }
      seen.add(next);
      const after = findStage(p.stages, next);
      next = after === undefined ? null : startsAfter(after);
    }
  });
  return problems;
}

function labelProblems(labels: Labels, path: string, problem: (path: string, key: ProblemKey, params?: ProcedureProblem['params']) => void): void {
  for (const lang of LANGUAGE_CODES) {
    const label = labels[lang];
    if (label !== null && [...label].length > LABEL_MAX_LENGTH) problem(`${path}.label_${lang}`, 'procedure_label_too_long', { max: LABEL_MAX_LENGTH });
  }
}

// ---------------------------------------------------------------------------------------------
// Changes, each returning the next procedure (the version is the store's to count).

export function withListItem(p: Procedure, list: ListName, item: ListItem): Procedure {
  const current = p.lists[list];
  const at = current.findIndex((i) => i.code === item.code);
  const next = at === -1 ? [...current, item] : current.map((i, n) => (n === at ? item : i));
  return { ...p, lists: { ...p.lists, [list]: next } };
}

export function withStage(p: Procedure, rule: StageRule): Procedure {
  const at = p.stages.findIndex((s) => s.code === rule.code);
  const stages = at === -1 ? [...p.stages, rule] : p.stages.map((s, n) => (n === at ? rule : s));
  return { ...p, stages };
}

export function stageSlaText(sla: StageSla): Record<SlaColumn, string | null> {
  return Object.fromEntries(SLA_COLUMNS.map((c) => [c, sla[c] === null ? null : formatDuration(sla[c]!)])) as Record<SlaColumn, string | null>;
}

/**
 * What an imported document makes of the office's procedure (issue 11 §3): the document's lists
 * and stages replace the office's, in the document's order; a list the document does not give
 * stays as it is. A code or an office stage the office has and the document lacks is kept,
 * retired, after the document's own: tickets that used it must still read, filter and count
 * under it. A built-in stage the document lacks is not made up: the document is refused for it.
 */
export function importedProcedure(
  current: Pick<Procedure, 'lists' | 'stages'>,
  document: { lists: Partial<Record<ListName, readonly ListItem[]>>; stages: readonly StageRule[] | null },
): Pick<Procedure, 'lists' | 'stages'> {
  const lists = Object.fromEntries(LIST_NAMES.map((name) => {
    const given = document.lists[name];
    if (given === undefined) return [name, current.lists[name]];
    const kept = current.lists[name].filter((i) => !hasCode(given, i.code)).map((i) => ({ ...i, retired: true }));
    return [name, [...given, ...kept]];
  })) as Record<ListName, readonly ListItem[]>;
  if (document.stages === null) return { lists, stages: current.stages };
  const given = document.stages;
  // The approval stage is kept as it is: a document written before it existed (issue 13) does not
  // mean to stop timing approvals.
  const kept = current.stages.filter((s) => !s.builtin && findStage(given, s.code) === undefined)
    .map((s) => (s.code === APPROVAL_STAGE ? s : { ...s, retired: true }));
  return { lists, stages: [...given, ...kept] };
}

// ---------------------------------------------------------------------------------------------
// A list item and a stage as the exchange document and the audit log (`procedure_changed`) carry
// them: the office's words (`label_en`, `only_severity`), durations as the office writes them.

/** A list item: labels and `retired` only when set. */
export function listItemEntry(i: ListItem): Record<string, unknown> {
  return {
    code: i.code,
    ...(i.labels.en === null ? {} : { label_en: i.labels.en }),
    ...(i.labels.zh === null ? {} : { label_zh: i.labels.zh }),
    ...(i.retired ? { retired: true } : {}),
  };
}

/** A stage: every field. */
export function stageEntry(s: StageRule): Record<string, unknown> {
  return {
    code: s.code,
    label_en: s.labels.en,
    label_zh: s.labels.zh,
    builtin: s.builtin,
    start: s.start,
    clock: s.clock,
    pausable: s.pausable,
    sla: stageSlaText(s.sla),
    only_severity: s.onlySeverities,
    only_type: s.onlyTypes,
    retired: s.retired,
  };
}
