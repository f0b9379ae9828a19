import Table from 'cli-table3';
import type { Context } from '../cli/context.js';
import { parseChoice, parseDurationText } from '../cli/input.js';
import { STAGES } from '../domain/model.js';
import { SLA_COLUMNS, formatDuration, withStageDuration } from '../domain/sla.js';
import { t } from '../messages/index.js';
import { recomputeOpenDeadlines, recordSettingChange } from '../store/recompute.js';
import { loadPolicy, loadSla, writeSetting } from '../store/settings.js';
import { printJson } from '../ui/ticket-json.js';

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const sla = await (await ctx.store()).read(loadSla);
  const cell = (stage: (typeof STAGES)[number], column: (typeof SLA_COLUMNS)[number]): string => {
    const d = sla[stage][column];
    return d === null ? t('sla_urgent_resolve') : formatDuration(d);
  };
  if (options.json) {
    printJson(ctx.io.out, Object.fromEntries(STAGES.map((s) => [s, Object.fromEntries(SLA_COLUMNS.map((c) => [c, sla[s][c] === null ? null : cell(s, c)]))])));
    return;
  }
  const table = new Table({ head: [t('label_stage'), ...SLA_COLUMNS.map((c) => (c === 'urgent' ? t('sla_urgent_column') : c))], style: { head: [], border: [] } });
  for (const stage of STAGES) table.push([stage, ...SLA_COLUMNS.map((c) => cell(stage, c))]);
  ctx.io.out(table.toString());
}

/** A change applies to stages not yet done (recorded on each affected ticket); done stages keep their history. */
export async function set(ctx: Context, stageText: string, columnText: string, durationText: string): Promise<void> {
  const stage = parseChoice('stage', stageText.replace(/-/g, '_'), STAGES);
  const column = parseChoice('severity', columnText, SLA_COLUMNS);
  const duration = parseDurationText('duration', durationText, { deadline: true });
  const store = await ctx.store();
  const now = ctx.now();
  const count = await store.transact(async (db) => {
    // Read inside the transaction: two stages set at once must both stay set.
    const before = await loadSla(db);
    const after = withStageDuration(before, stage, column, duration);
    await writeSetting(db, 'sla', after);
    await recordSettingChange(db, { actor: ctx.actor, at: now, setting: `sla.${stage}.${column}`, before: before[stage][column], after: duration });
    return recomputeOpenDeadlines(db, await loadPolicy(db), { actor: ctx.actor, at: now, recordedAt: now, reason: `sla ${stage} ${column} ${formatDuration(duration)}`, reallocate: true });
  });
  ctx.io.out(t('sla_set', { stage, column, duration: formatDuration(duration) }));
  if (count > 0) ctx.io.out(t('deadlines_recomputed', { count }));
}
