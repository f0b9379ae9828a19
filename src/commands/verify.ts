import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { t } from '../messages/index.js';
import { readAnchorFile } from '../store/anchor.js';
import { openToOthers, verifyStore, type Finding } from '../store/verify.js';
import { display } from '../ui/cells.js';
import { printJson } from '../ui/ticket-json.js';

export interface VerifyOptions {
  json?: boolean;
  against?: string[];
}

/**
 * `complaints verify [--against ANCHOR]...`: integrity_check, the event hash chain, every ticket
 * against the fold of its events, the number counters, the anchor lines given, and whether the
 * file is open to other users. Exit 0 when all is well, 1 with one line per
 * problem otherwise (a file open to others is a warning: the records themselves are sound).
 */
export async function run(ctx: Context, options: VerifyOptions): Promise<number> {
  // Checking must never create an empty database where the real one was expected.
  if (!existsSync(ctx.dbPath)) throw new CannotDo('no_database', { path: ctx.dbPath });
  const given = options.against;
  if (given?.some((a) => a.trim() === '')) throw new UsageError('empty_text', { field: '--against' });
  // Read as restore reads them: a missing file or a line backup did not write stops here.
  const anchors = given === undefined ? undefined : [...new Set(given)].flatMap((file) => readAnchorFile(file));
  const report = await verifyStore(await ctx.store(), anchors);
  const warnings = openToOthers(ctx.dbPath);
  const ok = report.problems.length === 0;
  if (options.json) {
    printJson(ctx.io.out, {
      ok,
      tickets: report.tickets,
      events: report.events,
      head: report.head,
      anchors: report.anchors === null ? null : {
        checked: report.anchors.checked,
        replaced_by_restore: report.anchors.replacedByRestore,
        other_database: report.anchors.otherDatabase,
        before_upgrade: report.anchors.beforeUpgrade,
      },
      erased: report.erased,
      problems: report.problems.map((p) => findingDocument(p)),
      warnings: warnings.map((w) => ({ kind: 'file_mode', path: w.path, mode: w.mode, message: t('verify_open_to_others', w) })),
    });
    return ok ? 0 : 1;
  }
  // A finding quotes what the file holds, hostile text included: one safe line each.
  for (const p of report.problems) ctx.io.out(display(t(p.key, p.params)));
  for (const w of warnings) ctx.io.err(display(t('verify_open_to_others', w)));
  const a = report.anchors;
  if (a !== null) ctx.io.out(t('verify_anchors_checked', { checked: a.checked, replaced: a.replacedByRestore, other: a.otherDatabase }));
  if (a !== null && a.beforeUpgrade > 0) ctx.io.out(t('verify_anchors_before_upgrade', { count: a.beforeUpgrade }));
  if (report.erased > 0) ctx.io.out(t('verify_erased', { count: report.erased }));
  const counts = { tickets: report.tickets, events: report.events };
  if (ok) ctx.io.out(t('verify_ok', { ...counts, head: report.head.slice(0, 16) }));
  else ctx.io.out(t('verify_failed', { ...counts, count: report.problems.length }));
  return ok ? 0 : 1;
}

function findingDocument(p: Finding): Record<string, unknown> {
  return {
    kind: p.kind,
    event: p.event ?? null,
    ticket: p.ticket ?? null,
    message: t(p.key, p.params),
  };
}
