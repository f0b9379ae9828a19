import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { t } from '../messages/index.js';
import { backupDatabase, checkBackupTarget } from '../store/backup.js';
import { display } from '../ui/cells.js';

export interface BackupOptions {
  force?: boolean;
}

/**
 * `complaints backup FILE [--force]`: a consistent copy taken while clerks keep writing, and a line
 * in the anchor file beside it. An existing FILE is kept unless --force says otherwise: last
 * night's good copy must not be replaced by accident. The database itself is never a FILE.
 */
export async function run(ctx: Context, file: string, options: BackupOptions): Promise<void> {
  if (file.trim() === '') throw new UsageError('empty_text', { field: t('backup_file') });
  if (!existsSync(ctx.dbPath)) throw new CannotDo('no_database', { path: ctx.dbPath });
  const backup = { overwrite: Boolean(options.force), anchorAt: ctx.now() };
  // Refuse before opening anything, so a mistaken command touches nothing.
  checkBackupTarget(file, ctx.dbPath, backup);
  const result = await backupDatabase(await ctx.store(), file, backup);
  ctx.io.out(t('backup_done', { path: display(result.path), size: formatSize(result.bytes), anchor: display(result.anchor ?? '') }));
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return t('size_bytes', { count: bytes });
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return t('size_with_bytes', { size: `${value.toFixed(1)} ${units[unit]}`, count: bytes });
}
