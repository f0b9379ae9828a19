// Reading a failed file or SQLite operation, written once for every store module that turns one
// into a one-line refusal (sqlite/file.ts and errors.ts, output-file.ts, restore.ts, anchor.ts). Each keeps its own
// message; what counts as a full disk, and what the {reason} of a line is, is decided here.

/** The system's error code (ENOENT, EACCES, ...), or undefined for anything else (SQLite's codes included). */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** The disk, or this user's quota, is full: as the system reports it, or SQLite. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/** The first line of an error's message: the {reason} of a one-line refusal. */
export function reasonOf(e: unknown): string {
  return ((e as Error).message ?? String(e)).split('\n')[0] ?? '';
}
