import { peekOfficeLanguage as peekSqlite } from './sqlite/office-language.js';

/**
 * The office's language as its file stores it, or null when it cannot be read cheaply; the
 * engine's own reader does the work (the SQLite file is the one engine today).
 */
export function peekOfficeLanguage(location: string): string | null {
  return peekSqlite(location);
}
