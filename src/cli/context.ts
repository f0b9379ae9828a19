import { mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Instant } from '../domain/time.js';
import { TEXT_LIMITS } from './input.js';
import { t } from '../messages/index.js';
import { openStore, type Store } from '../store/database.js';
import { initialiseSettings, readSetting } from '../store/settings.js';
import type { Prompter } from '../ui/prompts.js';

/** Output streams and what kind of terminal we have (cli/cli's IOStreams). */
export interface IO {
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  /** Both stdin and stdout are terminals: a person is there to answer. */
  canPrompt: boolean;
  color: boolean;
}

export interface Context {
  io: IO;
  now(): Instant;
  actor: string;
  dbPath: string;
  /** Opens the database on first use (creating and migrating it as needed). */
  store(): Store;
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

export function resolveActor(globals: GlobalOptions, env: NodeJS.ProcessEnv): string {
  if (globals.as?.trim()) return globals.as.trim();
  if (env.COMPLAINTS_USER?.trim()) return env.COMPLAINTS_USER.trim();
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || 'unknown';
  }
}

export function processContext(globals: GlobalOptions): Context {
  const env = process.env;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const io: IO = {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stdoutIsTTY,
    canPrompt: Boolean(process.stdin.isTTY) && stdoutIsTTY,
    color: stdoutIsTTY && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb',
  };
  const dbPath = resolveDbPath(globals, env);
  let store: Store | null = null;
  return {
    io,
    now: () => Date.now(),
    actor: resolveActor(globals, env),
    dbPath,
    store() {
      if (store === null) {
        mkdirSync(dirname(dbPath), { recursive: true });
        store = openStore(dbPath, {
          onCreate: (path) => io.err(t('db_created', { path })),
          onMigrate: (from, to, copy) => io.err(t('db_migrated', { path: dbPath, from, to, copy })),
        });
        if (readSetting(store, 'timezone') === undefined) {
          initialiseSettings(store, Intl.DateTimeFormat().resolvedOptions().timeZone);
        }
      }
      return store;
    },
    async prompter() {
      const { inquirerPrompter } = await import('../ui/prompts.js');
      return inquirerPrompter({ maxLength: TEXT_LIMITS.text });
    },
  };
}
