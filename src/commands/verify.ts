import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { CannotDo } from '../domain/errors.js';
import { t } from '../messages/index.js';
import { openToOthers, verifyStore, type Finding } from '../store/verify.js';
import { display } from '../ui/cells.js';
import { printJson } from '../ui/ticket-json.js';

export interface VerifyOptions {
  json?: boolean;
}

/**
 * `complaints verify`: integrity_check, the event hash chain, every ticket against the fold of its
 * events, and whether the file is open to other users. Exit 0 when all is well, 1 with one line per
 * problem otherwise (a file open to others is a warning: the records themselves are sound).
 */
export function run(ctx: Context, options: VerifyOptions): number {
  // Checking must never create an empty database where the real one was expected.
  if (!existsSync(ctx.dbPath)) throw new CannotDo('no_database', { path: ctx.dbPath });
  const report = verifyStore(ctx.store());
  const warnings = openToOthers(ctx.dbPath);
  const ok = report.problems.length === 0;
  if (options.json) {
    printJson(ctx.io.out, {
      ok,
      tickets: report.tickets,
      events: report.events,
      head: report.head,
      problems: report.problems.map((p) => findingDocument(p)),
      warnings: warnings.map((w) => ({ kind: 'file_mode', path: w.path, mode: w.mode, message: t('verify_open_to_others', w) })),
    });
    return ok ? 0 : 1;
  }
  // A finding quotes what the file holds, hostile text included: one safe line each.
  for (const p of report.problems) ctx.io.out(display(t(p.key, p.params)));
  for (const w of warnings) ctx.io.err(display(t('verify_open_to_others', w)));
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
