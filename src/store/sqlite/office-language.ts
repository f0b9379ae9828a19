import Sqlite from 'better-sqlite3';

/**
 * The office's language as its file stores it, read before the command line is parsed, so that
 * under cron (no locale) even a refused flag or a typed Chinese word is understood and answered in
 * the office's language (issue 12). Anything in the way (no file yet, not ours, locked, older than
 * the setting) is no answer: the command then opens the file as usual and says so itself.
 */
export function peekOfficeLanguage(path: string): string | null {
  try {
    const db = new Sqlite(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM settings WHERE key = 'language'").get() as { value: string } | undefined;
      const value: unknown = row === undefined ? null : JSON.parse(row.value);
      return typeof value === 'string' ? value : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}
