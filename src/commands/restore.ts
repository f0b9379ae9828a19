import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { parsePastTime } from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { numbersToSkip, type LastNumbers } from '../domain/numbering.js';
import { t } from '../messages/index.js';
import { anchorFileFor, readAnchorFile, sameHistory, type NumberingFacts } from '../store/anchor.js';
import { reasonOf } from '../store/file-errors.js';
import { asideName, putInPlace, readNumberingFacts, skipNumbers, stageRestore } from '../store/restore.js';
import { loadCalendar } from '../store/settings.js';
import { formatTicketNo } from '../store/tickets.js';
import { verifyStore } from '../store/verify.js';
import { display } from '../ui/cells.js';

export interface RestoreOptions {
  anchor?: string[];
  at?: string;
}

/**
 * `complaints restore COPY [--anchor FILE]... [--at TIME]`: the copy, if it passes every check
 * `verify` makes, takes the database's place; the database is kept aside. Numbers the copy never
 * saw but someone may have been given (the replaced database knew them, or a later backup's anchor
 * line did) are skipped, and the skip is recorded. Nobody may be working meanwhile (README).
 */
export async function run(ctx: Context, copyArg: string, options: RestoreOptions): Promise<void> {
  if (copyArg.trim() === '') throw new UsageError('empty_text', { field: 'COPY' });
  const given = options.anchor ?? [];
  if (given.some((a) => a.trim() === '')) throw new UsageError('empty_text', { field: '--anchor' });

  // The office being replaced says who may replace it (its director); a lost or unreadable file
  // says nothing, and the folder's own permissions are what guard it then.
  await ctx.authorizeUnopened();
  const staged = await stageRestore(copyArg, ctx.dbPath, () => ctx.makeDbFolder());
  try {
    const problem = (await verifyStore(staged.store)).problems[0];
    if (problem !== undefined) throw new CannotDo('restore_check_failed', { path: staged.copy, reason: t(problem.key, problem.params) });
    const now = ctx.now();
    const at = options.at === undefined ? now : parsePastTime('--at', options.at, await staged.store.read(loadCalendar), now);

    const beside = anchorFileFor(staged.copy, ctx.dbPath);
    const anchorFiles = [...new Set([...given, ...(existsSync(beside) ? [beside] : [])])];
    // Lines of another office's database, backed up into the same folder, say nothing about this one.
    const anchors = anchorFiles
      .flatMap((file) => readAnchorFile(file))
      .filter((a) => sameHistory(a, staged.facts));
    const replaced = await replacedFacts(ctx);
    if (replaced === null && anchors.length === 0) ctx.io.err(t('restore_no_witness'));
    const witnesses: LastNumbers[] = [...(replaced ? [replaced.lastNumbers] : []), ...anchors.map((a) => a.lastNumbers)];
    const skipped = numbersToSkip(staged.facts.lastNumbers, witnesses);

    const aside = await asideName(ctx.dbPath, now);
    await skipNumbers(staged, skipped, {
      actor: ctx.actor, at, recordedAt: now,
      details: { restored_from: staged.copy, kept_as: existsSync(ctx.dbPath) ? aside : null, anchors: anchorFiles, replaced_chain_head: replaced?.chainHead ?? null },
    });
    const placed = await putInPlace(staged, ctx.dbPath, aside);

    ctx.io.out(t('restore_done', { copy: display(staged.copy), path: display(placed.location) }));
    if (placed.aside !== null) ctx.io.out(t('restore_kept', { aside: display(placed.aside) }));
    for (const r of skipped) {
      ctx.io.out(r.from === r.to
        ? t('restore_skipped_one', { no: formatTicketNo(r.year, r.from) })
        : t('restore_skipped', { from: formatTicketNo(r.year, r.from), to: formatTicketNo(r.year, r.to) }));
      ctx.io.out(t('restore_next', { year: r.year, next: formatTicketNo(r.year, r.to + 1) }));
    }
  } finally {
    await staged.discard();
  }
}


/** The numbers the database being replaced gave; it may be the damaged file the restore is for. */
async function replacedFacts(ctx: Context): Promise<NumberingFacts | null> {
  if (!existsSync(ctx.dbPath)) return null;
  try {
    return await readNumberingFacts(ctx.dbPath);
  } catch (e) {
    ctx.io.err(t('restore_live_unreadable', { path: display(ctx.dbPath), reason: reasonOf(e) }));
    return null;
  }
}
