import { closeSync, openSync, readSync } from 'node:fs';
import { CannotDo, UsageError } from '../domain/errors.js';
import type { MessageKey } from '../messages/index.js';
import { display } from '../ui/cells.js';

/**
 * Reads at most `limit` bytes of `file` as UTF-8, refusing a longer one before it is parsed: a path
 * may name a huge export, a pipe or /dev/zero as easily as the small file a command expects.
 * `unreadable` ({file}, {reason}) is a CannotDo; `tooLarge` ({file}, {max}) a UsageError.
 */
export function readBoundedFile(file: string, limit: number, keys: { unreadable: MessageKey; tooLarge: MessageKey }): string {
  const unreadable = (e: unknown): CannotDo =>
    new CannotDo(keys.unreadable, { file: display(file), reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw unreadable(e);
  }
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length <= limit) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw new UsageError(keys.tooLarge, { file: display(file), max: `${limit / (1024 * 1024)} MB` });
    return buffer.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw unreadable(e);
  } finally {
    closeSync(fd);
  }
}
