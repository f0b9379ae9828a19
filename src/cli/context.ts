import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { CannotDo, UsageError } from '../domain/errors.js';
import { commandRule, refusal, SYSTEM_COMMANDS, resolveIdentity, ticketRefusal, type CommandRule, type Identity, type Refusal } from '../domain/people.js';
import type { Instant } from '../domain/time.js';
import { languageSettled, parseLanguage, setLanguage, t } from '../messages/index.js';
import { openStore, prepareLocation, type Access, type Store } from '../store/store.js';
import { OFFICE_LANGUAGE, readSetting } from '../store/settings.js';
import { loadAccessToAct, type OfficeAccess } from '../store/access.js';
import { display } from '../ui/cells.js';
import { joinItems } from '../ui/format.js';
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
  /**
   * Who every event records as acting: the login, or "A for B" when a director acts for B (issue
   * 13). Final once the store is open; before that, the name asked for or the login.
   */
  readonly actor: string;
  /** The command as the permission table names it (`close`, `calendar hours`, `overdue --new`). */
  readonly command: string;
  /** Who is acting and what the office allows, settled when the store opens (the store() call checks it). */
  identity(): Identity;
  access(): OfficeAccess;
  /** The rule of the command in force: its rank, whether the system role may, whether unit-scoped. */
  rule(): CommandRule;
  /**
   * Refuses (exit 1, nothing written) a unit-scoped command on a ticket of `unit` by someone below
   * supervisor outside that unit; call with the ticket's unit once it is read, inside the transaction.
   */
  requireUnit(unit: string | null): void;
  /**
   * For the commands that must be allowed before the file is opened through the store (`upgrade`
   * migrates it, `restore` replaces it): checks the command against the people the file holds, read
   * as it is. A file with nobody registered, or none, allows it.
   */
  authorizeUnopened(): Promise<void>;
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

/** The name asked for by `--as` or COMPLAINTS_USER, checked as a typed name; null when neither. */
export function askedName(globals: GlobalOptions, env: NodeJS.ProcessEnv): string | null {
  if (globals.as?.trim()) return requireText('--as', globals.as, 'name');
  if (env.COMPLAINTS_USER?.trim()) return requireText('COMPLAINTS_USER', env.COMPLAINTS_USER, 'name');
  return null;
}

/**
 * The operating-system login running the program, checked as a name, and whether it comes from the
 * system's account database. An account with no passwd entry (a container, an LDAP outage) falls
 * back to $USER, which anyone can set: such a login is recorded as before but matches no registered
 * person (issue 13).
 */
export function osLogin(env: NodeJS.ProcessEnv): { name: string; trusted: boolean } {
  let login: string;
  let trusted = true;
  try {
    login = userInfo().username;
  } catch {
    login = env.USER || env.LOGNAME || 'unknown';
    trusted = false;
  }
  try {
    return { name: requireText('login', login, 'name'), trusted };
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError('bad_login_name', { value: printable(login) });
    throw e;
  }
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
 * The default location is one person's (XDG: $XDG_DATA_HOME is created 0700); a path given by
 * --db or COMPLAINTS_DB may be a folder an office shares through a group, hence 0770.
 */
function folderMode(dbPath: string, env: NodeJS.ProcessEnv): number {
  return dbPath === resolve(defaultDbPath(env)) ? 0o700 : 0o770;
}

/** `access` is what the command declared in cli/program.ts: 'read' if it never saves. */
export function processContext(globals: GlobalOptions, access: Access, command: string): Context {
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
  // Both checked before anything is opened: a bad --as is a usage error whoever runs it.
  const asked = askedName(globals, env);
  const { name: login, trusted } = osLogin(env);
  let settled: { identity: Identity; access: OfficeAccess; rule: CommandRule } | null = null;
  const whoIsActing = (): NonNullable<typeof settled> => {
    if (settled === null) throw new Error('who is acting is known once the store is open');
    return settled;
  };
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
        beforeMigrate: (s) => mayMigrate(s, { login, trusted, asked, command }),
        onMigrate: (from, to, copy, anchor, rechained) => {
          io.err(t('db_migrated', { path: display(dbPath, 'line'), from, to, copy: display(copy, 'line') }));
          if (rechained && anchor !== null) io.err(t('upgrade_anchor', { anchor: display(anchor, 'line') }));
        },
      });
      await speakOfficeLanguage(opened);
      settled = await authorize(opened, { login, trusted, asked, command });
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
    get actor() {
      return settled?.identity.actor ?? asked ?? login;
    },
    command,
    identity: () => whoIsActing().identity,
    access: () => whoIsActing().access,
    rule: () => whoIsActing().rule,
    async authorizeUnopened() {
      // Opened as it is (no migration, read-only): a file this command may not touch stays untouched.
      const { openReplaced } = await import('../store/restore.js');
      let live: Store;
      try {
        live = await openReplaced(dbPath);
      } catch {
        // None, damaged or not ours: nobody in it to ask; the folder's own permissions guard it.
        return;
      }
      try {
        settled = await authorize(live, { login, trusted, asked, command });
      } catch (e) {
        // A file older than schema 7 has no people table: nobody is registered in it.
        if (e instanceof CannotDo && /^(permission_|as_)/.test(e.key)) throw e;
      } finally {
        await live.close();
      }
    },
    requireUnit(unit) {
      const { identity, rule } = whoIsActing();
      const refused = ticketRefusal(identity, command, rule, unit);
      if (refused !== null) throw refusalError(refused);
    },
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

/** Who runs the command: the login (and whether the account database vouches for it), the name asked for, the command. */
interface Who {
  login: string;
  trusted: boolean;
  asked: string | null;
  command: string;
}

/**
 * Who is acting and whether the command is theirs to run (issue 13), read with the store's first
 * opening: one read of the people and the office's permission settings. A refusal is one line, exit 1,
 * before the command has written anything.
 */
async function authorize(
  store: Store,
  who: Who,
): Promise<{ identity: Identity; access: OfficeAccess; rule: CommandRule }> {
  return check(await store.read(loadAccessToAct), who);
}

function check(access: OfficeAccess, who: Who): { identity: Identity; access: OfficeAccess; rule: CommandRule } {
  const resolved = resolveIdentity({ login: who.login, root: process.getuid?.() === 0, asked: who.asked, loginTrusted: who.trusted }, access.people);
  if ('problem' in resolved) throw new CannotDo(resolved.problem.key, resolved.problem.params);
  const rule = commandRule(who.command, access.overrides);
  const refused = refusal(resolved.identity, who.command, rule);
  if (refused !== null) throw refusalError(refused);
  return { identity: resolved.identity, access, rule };
}

/**
 * Migrating a file is a change: once the office has people, only a registered person whose command
 * is allowed may cause it, so that an unregistered reader's `list` never writes (review of issue
 * 13). A file from before people (no people table) has nobody to ask.
 */
async function mayMigrate(store: Store, who: Who): Promise<void> {
  let access: OfficeAccess;
  try {
    access = await store.read(loadAccessToAct);
  } catch {
    return;
  }
  const { identity } = check(access, who);
  if (identity.officeHasPeople && identity.person === null) throw new CannotDo('migrate_needs_person', { path: store.location, login: who.login });
}

/** A refusal as its one line: the rank said in the language spoken. */
export function refusalError(r: Refusal): CannotDo {
  const params: Record<string, string> = { ...r.params };
  if (r.key === 'permission_needs_role') params.role = t(`role_${r.params.role}`);
  if (r.key === 'permission_system_only') params.allowed = joinItems(SYSTEM_COMMANDS);
  return new CannotDo(r.key, params);
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
