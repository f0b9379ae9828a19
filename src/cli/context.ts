import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../domain/errors.js';
import type { Instant } from '../domain/time.js';
import { languageSettled, parseLanguage, setLanguage, t } from '../messages/index.js';
import { openStore, prepareLocation, type Access, type Store } from '../store/store.js';
import { OFFICE_LANGUAGE, readSetting } from '../store/settings.js';
import { display } from '../ui/cells.js';
import { terminalWidth } from '../ui/table.js';
import type { Prompter } from '../ui/prompts.js';
import { printable, requireText, TEXT_LIMITS } from './input.js';

/** Output streams and what kind of terminal we have (cli/cli's IOStreams). */
export interface IO {
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  /** Both stdin and stdout are terminals: a person is there to answer. */
  canPrompt: boolean;
  color: boolean;
  /** Columns a table may take: the terminal's, else $COLUMNS, else 100 (src/ui/table.ts). */
  width?: number;
}

export interface Context {
  io: IO;
  now(): Instant;
  actor: string;
  dbPath: string;
  /**
   * Makes the database's folder, and any missing above it, as the program makes them (0700 at the
   * default location, 0770 elsewhere). `store()` does this first; `restore` puts a file there itself.
   */
  makeDbFolder(): void;
  /**
   * Opens the database on first use (migrating it as needed). A missing one is refused naming
   * `complaints init`: no file or folder is made.
   */
  store(): Promise<Store>;
  /** As store(), but a missing database is made, empty (`init`, `demo`); `created` says whether it was. */
  createStore(): Promise<{ store: Store; created: boolean }>;
  prompter(): Promise<Prompter>;
}

export interface GlobalOptions {
  db?: string;
  as?: string;
}

/** The documented default: one file per login, unless COMPLAINTS_DB points everyone at a shared one. */
export function defaultDbPath(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'complaints', 'complaints.db');
}

export function resolveDbPath(globals: GlobalOptions, env: NodeJS.ProcessEnv): string {
  return resolve(globals.db ?? (env.COMPLAINTS_DB || defaultDbPath(env)));
}

/**
 * Who is acting, as every event records it: `--as`, else $COMPLAINTS_USER, else the login name. The
 * name is shown to every later reader, so it passes the same text rule as a typed name; a bad one is
 * refused naming where it came from, before anything is opened.
 */
export function resolveActor(globals: GlobalOptions, env: NodeJS.ProcessEnv): string {
  if (globals.as?.trim()) return requireText('--as', globals.as, 'name');
  if (env.COMPLAINTS_USER?.trim()) return requireText('COMPLAINTS_USER', env.COMPLAINTS_USER, 'name');
  let login: string;
  try {
    login = userInfo().username;
  } catch {
    login = env.USER || env.LOGNAME || 'unknown';
  }
  try {
    return requireText('login', login, 'name');
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError('bad_login_name', { value: printable(login) });
    throw e;
  }
}

/**
 * The default location is one person's (XDG: $XDG_DATA_HOME is created 0700); a path given by
 * --db or COMPLAINTS_DB may be a folder an office shares through a group, hence 0770.
 */
function folderMode(dbPath: string, env: NodeJS.ProcessEnv): number {
  return dbPath === resolve(defaultDbPath(env)) ? 0o700 : 0o770;
}

/** `access` is what the command declared in cli/program.ts: 'read' if it never saves. */
export function processContext(globals: GlobalOptions, access: Access = 'write'): Context {
  const env = process.env;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const io: IO = {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stdoutIsTTY,
    canPrompt: Boolean(process.stdin.isTTY) && stdoutIsTTY,
    color: stdoutIsTTY && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb',
    width: terminalWidth(stdoutIsTTY ? process.stdout.columns : undefined, env),
  };
  const dbPath = resolveDbPath(globals, env);
  const makeDbFolder = (): void => prepareLocation(dbPath, folderMode(dbPath, env));
  let store: Promise<{ store: Store; created: boolean }> | null = null;
  const open = (create: boolean): Promise<{ store: Store; created: boolean }> => {
    store ??= (async () => {
      if (create) makeDbFolder();
      let created = false;
      const opened = await openStore(dbPath, {
        access,
        create,
        onCreate: () => {
          created = true;
        },
        onMigrate: (from, to, copy, anchor, rechained) => {
          io.err(t('db_migrated', { path: display(dbPath, 'line'), from, to, copy: display(copy, 'line') }));
          if (rechained && anchor !== null) io.err(t('upgrade_anchor', { anchor: display(anchor, 'line') }));
        },
      });
      await speakOfficeLanguage(opened);
      return { store: opened, created };
    })();
    // A failed open (busy, say) is not remembered: the next call tries again.
    store.catch(() => {
      store = null;
    });
    return store;
  };
  return {
    io,
    now: () => Date.now(),
    actor: resolveActor(globals, env),
    dbPath,
    makeDbFolder,
    store: async () => (await open(false)).store,
    createStore: () => open(true),
    async prompter() {
      const { inquirerPrompter } = await import('../ui/prompts.js');
      return inquirerPrompter({ maxLength: TEXT_LIMITS.text });
    },
  };
}

/**
 * When neither a flag, COMPLAINTS_LANG nor the locale chose a language (cron, `env -i`) and main.ts
 * could not read the office's own from the file before parsing, it is read here, once the file is
 * open, and spoken from here on (issue 12).
 */
async function speakOfficeLanguage(store: Store): Promise<void> {
  if (languageSettled()) return;
  const stored = await store.read((db) => readSetting<string>(db, OFFICE_LANGUAGE));
  const lang = stored === undefined ? null : parseLanguage(stored);
  if (lang !== null) await setLanguage(lang, { settled: true });
}
