import type { Context } from '../cli/context.js';
import { parseDurationText, parseWordedChoice, slaColumnWord, stageCode } from '../cli/input.js';
import { UsageError } from '../domain/errors.js';
import { stageSlaText, withStage } from '../domain/procedure.js';
import { SLA_COLUMNS, formatDuration } from '../domain/sla.js';
import { t } from '../messages/index.js';
import { loadProcedure, loadStages, saveProcedure } from '../store/procedure.js';
import { display } from '../ui/cells.js';
import { codeAndLabel, severityLabel, stageLabel } from '../ui/labels.js';
import { renderTable, type TableColumn } from '../ui/table.js';
import { printJson } from '../ui/ticket-json.js';
import { refuseProblems } from './procedure-checks.js';

// `sla` is the deadline table of the office's stages (its procedure's SLA, issue 11): the built-in
// five and the office's own that are not retired.

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const stages = (await (await ctx.store()).read(loadStages)).filter((s) => !s.retired);
  if (options.json) {
    printJson(ctx.io.out, Object.fromEntries(stages.map((s) => [s.code, stageSlaText(s.sla)])));
    return;
  }
  const columns: TableColumn[] = [
    { head: t('label_stage'), wrap: { min: 10 } },
    ...SLA_COLUMNS.map((c) => ({ head: c === 'urgent' ? t('sla_urgent_column') : severityLabel(c), ...(c === 'urgent' ? { wrap: { min: 10 } } : {}) })),
  ];
  // Each stage by its code, as `sla set` takes it, and its label in the reader's language.
  const rows = stages.map((s) => {
    const text = stageSlaText(s.sla);
    return [display(codeAndLabel(s.code, stageLabel(s.code, stages))), ...SLA_COLUMNS.map((c) => text[c] ?? (c === 'urgent' ? t('sla_urgent_resolve') : '—'))];
  });
  ctx.io.out(renderTable(columns, rows, { width: ctx.io.width ?? 100 }));
}

/** A change applies to stages not yet done (recorded on each affected ticket); done stages keep their history. */
export async function set(ctx: Context, stageText: string, columnText: string, durationText: string): Promise<void> {
  const code = stageCode(stageText);
  const column = parseWordedChoice('severity', columnText, SLA_COLUMNS, slaColumnWord);
  const duration = parseDurationText('duration', durationText, { deadline: true });
  const store = await ctx.store();
  const now = ctx.now();
  let stage = code;
  const { recomputed } = await store.transact(async (db) => {
    // Read inside the transaction: two stages set at once must both stay set.
    const before = await loadProcedure(db);
    stage = stageLabel(code, before.stages);
    const rule = before.stages.find((s) => s.code === code && !s.retired);
    if (rule === undefined) {
      throw new UsageError('bad_choice', { field: 'stage', value: stageText, accepted: before.stages.filter((s) => !s.retired).map((s) => s.code).join(', ') });
    }
    const after = withStage(before, { ...rule, sla: { ...rule.sla, [column]: duration } });
    refuseProblems(after);
    return saveProcedure(db, before, after, {
      actor: ctx.actor, at: now, change: `sla ${code} ${column} ${formatDuration(duration)}`,
      before: rule.sla[column] === null ? null : formatDuration(rule.sla[column]!), after: formatDuration(duration),
    });
  });
  const columnLabel = column === 'urgent' ? t('procedure_urgent_word') : severityLabel(column);
  ctx.io.out(t('sla_set', { stage: display(stage), column: columnLabel, duration: formatDuration(duration) }));
  if (recomputed > 0) ctx.io.out(t('deadlines_recomputed', { count: recomputed }));
}
