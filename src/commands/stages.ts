import type { Context } from '../cli/context.js';
import { parseChoice, parseDurationText, parseWordedChoice, printable, slaColumnWord, stageCode } from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { SEVERITIES, type Severity } from '../domain/model.js';
import {
  activeCodes, APPROVAL_STAGE, findStage, stageEntry, START_MOMENTS, STAGE_CLOCKS, withStage, type Procedure, type StageRule, type StageSla, type StageStart,
} from '../domain/procedure.js';
import { SLA_COLUMNS, type Duration, type SlaColumn } from '../domain/sla.js';
import { t } from '../messages/index.js';
import { loadLists, loadProcedure, loadStages, saveProcedure } from '../store/procedure.js';
import { display } from '../ui/cells.js';
import { codeAndLabel, stageLabel } from '../ui/labels.js';
import { renderStage, renderStages, stageDocument } from '../ui/procedure-view.js';
import { printJson } from '../ui/ticket-json.js';
import { givenLabels, parseCode, type LabelOptions } from './lists.js';
import { refuseProblems } from './procedure-checks.js';

// `stages`: what the office owes the complainant and by when (issue 11 §2). The five built-in
// stages may change their durations, clock and labels; the office's own stages may change
// everything and are retired, never deleted, so the deadlines they set stay readable.

export interface StageOptions extends LabelOptions {
  start?: string;
  sla?: string;
  clock?: string;
  pausable?: boolean;
  onlySeverity?: string;
  onlyType?: string;
}

/** A stage's code as typed: `site-visit` is `site_visit`, as in `sla set` and `done`. */
function parseStageCode(value: string): string {
  return parseCode('CODE', stageCode(value), value);
}

function startChoices(stages: readonly StageRule[], own: string): string {
  return [...START_MOMENTS, ...stages.filter((s) => s.code !== own && !s.retired).map((s) => `stage:${s.code}`)].join(', ');
}

/** receipt | assignment | reply | close | stage:CODE naming another stage the office has. */
function parseStart(value: string, stages: readonly StageRule[], own: string): StageStart {
  const text = value.trim().toLowerCase();
  if ((START_MOMENTS as readonly string[]).includes(text)) return text as StageStart;
  if (text.startsWith('stage:')) {
    const code = stageCode(text.slice('stage:'.length));
    if (code !== own && findStage(stages, code) !== undefined) return `stage:${code}`;
  }
  throw new UsageError('bad_choice', { field: '--start', value: printable(value), accepted: startChoices(stages, own) });
}

/**
 * `4wh`: the three severities (urgent tickets then take the severity's, round the clock);
 * `general=4wh,important=8wh,major=8wh,urgent=2h`: the columns named, the others as they were.
 */
function parseSla(value: string): Partial<Record<SlaColumn, Duration>> {
  if (!value.includes('=')) {
    const d = parseDurationText('--sla', value, { deadline: true });
    return { general: d, important: d, major: d };
  }
  const sla: Partial<Record<SlaColumn, Duration>> = {};
  for (const part of value.split(',')) {
    const [columnText = '', durationText, ...rest] = part.split('=');
    if (durationText === undefined || rest.length > 0) throw new UsageError('stages_sla_form', { value: printable(value) });
    const column = parseWordedChoice('--sla', columnText, SLA_COLUMNS, slaColumnWord);
    if (sla[column] !== undefined) throw new UsageError('stages_sla_twice', { column });
    sla[column] = parseDurationText(`--sla ${column}`, durationText, { deadline: true });
  }
  return sla;
}

/** `a,b` from `accepted`; `all` lifts the limit (null). */
function parseOnly<T extends string>(field: string, value: string, accepted: readonly T[], word?: (code: T) => string): T[] | null {
  if (value.trim().toLowerCase() === 'all') return null;
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new UsageError('empty_text', { field });
  return [...new Set(parts.map((p) => (word === undefined ? parseChoice(field, p, accepted) : parseWordedChoice(field, p, accepted, word))))];
}

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const { stages, lists } = await (await ctx.store()).read(async (db) => ({ stages: await loadStages(db), lists: await loadLists(db) }));
  if (options.json) printJson(ctx.io.out, stages.map(stageDocument));
  else ctx.io.out(renderStages(stages, lists, ctx.io.width));
}

/** Reads, changes and saves checked in one transaction; prints the stage as it now reads. */
async function changeStage(
  ctx: Context,
  change: (before: Procedure) => { rule: StageRule; was: StageRule | undefined; words: string },
): Promise<{ rule: StageRule; was: StageRule | undefined; after: Pick<Procedure, 'lists' | 'stages'>; recomputed: number }> {
  const store = await ctx.store();
  const now = ctx.now();
  return store.transact(async (db) => {
    const before = await loadProcedure(db);
    const { rule, was, words } = change(before);
    const after = withStage(before, rule);
    refuseProblems(after);
    const { recomputed } = await saveProcedure(db, before, after, {
      actor: ctx.actor, at: now, change: words, before: was === undefined ? null : stageEntry(was), after: stageEntry(rule),
    });
    return { rule, was, after, recomputed };
  });
}

function findOrRefuse(p: Procedure, code: string, codeText: string): StageRule {
  const rule = findStage(p.stages, code);
  if (rule === undefined) throw new UsageError('bad_choice', { field: 'CODE', value: printable(codeText), accepted: p.stages.map((s) => s.code).join(', ') });
  return rule;
}

/** `site_visit (site visit)`, or `plan` alone when the stage has no label but its code. */
function named(code: string, stages: readonly StageRule[]): string {
  return display(codeAndLabel(code, stageLabel(code, stages)));
}

function printChanged(ctx: Context, line: string, result: { rule: StageRule; after: Pick<Procedure, 'lists' | 'stages'>; recomputed: number }): void {
  ctx.io.out(line);
  ctx.io.out(renderStage(result.rule, result.after.stages, result.after.lists, ctx.io.width));
  if (result.recomputed > 0) ctx.io.out(t('deadlines_recomputed', { count: result.recomputed }));
}

export async function add(ctx: Context, codeText: string, options: StageOptions): Promise<void> {
  const code = parseStageCode(codeText);
  if (options.start === undefined) throw new UsageError('stages_add_needs', { flag: '--start', accepted: 'receipt, assignment, reply, close, stage:CODE' });
  if (options.sla === undefined) throw new UsageError('stages_add_needs', { flag: '--sla', accepted: '4wh, or general=4wh,important=8wh,major=8wh,urgent=2h' });
  const given = parseSla(options.sla);
  const sla: StageSla = { general: given.general ?? null, important: given.important ?? null, major: given.major ?? null, urgent: given.urgent ?? null };
  const clock = options.clock === undefined ? 'working' : parseChoice('--clock', options.clock, STAGE_CLOCKS);
  const onlySeverities = options.onlySeverity === undefined ? null : parseOnly('--only-severity', options.onlySeverity, SEVERITIES, (s) => `severity_${s}`);
  const result = await changeStage(ctx, (before) => {
    const was = findStage(before.stages, code);
    // A retired office stage is brought back with what is given now.
    if (was !== undefined && (was.builtin || !was.retired)) throw new CannotDo('stages_exists', { stage: code });
    const rule: StageRule = {
      code,
      labels: givenLabels(options, was?.labels ?? { en: null, zh: null }),
      builtin: false,
      start: parseStart(options.start!, before.stages, code),
      clock,
      pausable: Boolean(options.pausable),
      sla,
      onlySeverities,
      onlyTypes: options.onlyType === undefined ? null : parseOnly('--only-type', options.onlyType, activeCodes(before.lists.ticket_type)),
      retired: false,
    };
    return { rule, was, words: `stages add ${code}` };
  });
  printChanged(ctx, t(result.was === undefined ? 'stages_added' : 'stages_brought_back', { stage: named(code, result.after.stages) }), result);
}

export async function set(ctx: Context, codeText: string, options: StageOptions): Promise<void> {
  const code = parseStageCode(codeText);
  const given = [options.start, options.sla, options.clock, options.pausable, options.onlySeverity, options.onlyType, options.labelEn, options.labelZh];
  if (given.every((v) => v === undefined)) throw new UsageError('stages_set_nothing');
  const sla = options.sla === undefined ? {} : parseSla(options.sla);
  const clock = options.clock === undefined ? undefined : parseChoice('--clock', options.clock, STAGE_CLOCKS);
  const onlySeverities = options.onlySeverity === undefined ? undefined : parseOnly('--only-severity', options.onlySeverity, SEVERITIES, (s) => `severity_${s}`);
  const result = await changeStage(ctx, (before) => {
    const was = findOrRefuse(before, code, codeText);
    if (was.builtin) {
      const fixed = options.start !== undefined ? '--start' : options.onlySeverity !== undefined ? '--only-severity' : options.onlyType !== undefined ? '--only-type' : null;
      if (fixed !== null) throw new UsageError('stages_builtin_fixed', { stage: code, option: fixed });
    }
    // The approval stage is what a close awaiting approval runs (issue 13 §4): started by the request.
    if (code === APPROVAL_STAGE && options.start !== undefined) throw new UsageError('stages_approval_fixed', { option: '--start' });
    const rule: StageRule = {
      ...was,
      labels: givenLabels(options, was.labels),
      start: options.start === undefined ? was.start : parseStart(options.start, before.stages, code),
      clock: clock ?? was.clock,
      pausable: options.pausable ?? was.pausable,
      sla: { ...was.sla, ...sla },
      onlySeverities: onlySeverities === undefined ? was.onlySeverities : (onlySeverities as Severity[] | null),
      onlyTypes: options.onlyType === undefined ? was.onlyTypes : parseOnly('--only-type', options.onlyType, activeCodes(before.lists.ticket_type)),
    };
    return { rule, was, words: `stages set ${code}` };
  });
  printChanged(ctx, t('stages_changed', { stage: named(code, result.after.stages) }), result);
}

export async function retire(ctx: Context, codeText: string): Promise<void> {
  const code = parseStageCode(codeText);
  const result = await changeStage(ctx, (before) => {
    const was = findOrRefuse(before, code, codeText);
    if (was.builtin) throw new UsageError('stages_builtin_retire', { stage: code });
    if (code === APPROVAL_STAGE) throw new UsageError('stages_approval_retire');
    if (was.retired) throw new CannotDo('stages_already_retired', { stage: code });
    return { rule: { ...was, retired: true }, was, words: `stages retire ${code}` };
  });
  ctx.io.out(t('stages_retired', { stage: named(code, result.after.stages) }));
  if (result.recomputed > 0) ctx.io.out(t('deadlines_recomputed', { count: result.recomputed }));
}
