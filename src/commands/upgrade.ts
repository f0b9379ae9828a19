import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { CannotDo } from '../domain/errors.js';
import { t } from '../messages/index.js';
import { openStore, type UpgradeSummary } from '../store/store.js';
import { display } from '../ui/cells.js';

/**
 * `complaints upgrade`: brings an older database to this release once, however large, with a
 * progress bar on a terminal (issue 10 §5). A release-1 file over the on-open limit is refused by
 * every other command until this has run; a small one is upgraded by any command.
 */
export async function run(ctx: Context): Promise<void> {
  // Never create an empty database where the real one was expected.
  if (!existsSync(ctx.dbPath)) throw new CannotDo('no_database', { path: ctx.dbPath });
  const bar = ctx.io.stdoutIsTTY && process.stderr.isTTY ? await progressBar() : null;
  const started = performance.now();
  let kept: { copy: string; anchor: string | null } | null = null;
  let result: { summary: UpgradeSummary | null; version: number } | null = null;
  const store = await openStore(ctx.dbPath, {
    onMigrate: (_from, _to, copy, anchor, rechained) => {
      kept = { copy, anchor: rechained ? anchor : null };
    },
    upgrade: {
      progress: (done, total) => {
        if (bar === null) return;
        if (bar.getTotal() !== total) bar.start(total, 0);
        bar.update(done);
      },
      finished: (r) => {
        result = r;
      },
    },
  }).finally(() => bar?.stop());
  await store.close();
  // Who may upgrade is asked of the file as it now is (issue 13): a file older than schema 7 has
  // nobody registered, as any command's on-open upgrade finds; a current one is refused here, unchanged.
  await (await ctx.store()).close();
  const done = result as { summary: UpgradeSummary | null; version: number } | null;
  const copy = kept as { copy: string; anchor: string | null } | null;
  if (done === null || done.summary === null || copy === null) {
    ctx.io.out(t('upgrade_current', { path: display(ctx.dbPath), version: done?.version ?? '?' }));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  ctx.io.out(t('upgrade_done', { tickets: done.summary.tickets, events: done.summary.events, seconds, copy: display(copy.copy) }));
  if (copy.anchor !== null) ctx.io.out(t('upgrade_anchor', { anchor: display(copy.anchor) }));
}

/** cli-progress on stderr, loaded only here: no other command pays for it. */
async function progressBar(): Promise<import('cli-progress').SingleBar> {
  // A CommonJS package: its exports arrive as the default export.
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  return new SingleBar({ format: `${t('upgrade_progress')} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
}
