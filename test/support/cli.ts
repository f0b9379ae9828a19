import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs the built CLI as a separate process, as a clerk or cron would. `npm test` builds first.

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled entry point; COMPLAINTS_TEST_DIST points at another build (e.g. dist-x). */
export function cliEntry(): string {
  return join(ROOT, process.env.COMPLAINTS_TEST_DIST ?? 'dist', 'main.js');
}

export function tempDir(prefix = 'complaints-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A path for a database that does not exist yet, in its own temp folder (nothing but `init`, `demo` and `restore` makes one). */
export function missingDbPath(): string {
  return join(tempDir(), 'complaints.db');
}

/**
 * What every test assumed of a new file before `complaints init` (issue 12): an office in Shanghai,
 * no holidays, the default hours, English. Set up once per test process by the build under test,
 * then copied: a CLI run per test would cost the suite seconds.
 */
export const TEMPLATE_INIT = ['init', '--yes', '--timezone', 'Asia/Shanghai', '--lang', 'en', '--holidays', 'none', '--at', '2024-01-01 09:00'] as const;
/** The audited settings changes TEMPLATE_INIT writes (timezone, week, language): a new office's events. */
export const TEMPLATE_EVENTS = 3;
let template: string | null = null;

function templateOffice(): string {
  if (template === null) {
    const db = missingDbPath();
    const r = runCli(TEMPLATE_INIT, { db });
    if (r.status !== 0) throw new Error(`complaints ${TEMPLATE_INIT.join(' ')} exited ${r.status}: ${r.stderr}`);
    template = db;
  }
  return template;
}

/** A new office's database (see TEMPLATE_INIT), in its own temp folder, as `init` leaves it. */
export function tempDbPath(): string {
  return officeAt(missingDbPath());
}

/** A new office's database (see TEMPLATE_INIT) at `db`, its folder made if missing; `db` returned. */
export function officeAt(db: string): string {
  mkdirSync(dirname(db), { recursive: true });
  copyFileSync(templateOffice(), db);
  return db;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment every test run gets: the office in Shanghai, a fixed actor, no colour. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'Asia/Shanghai', COMPLAINTS_USER: 'clerk1', NO_COLOR: '1', LANG: 'en_US.UTF-8', ...extra };
  delete env.COMPLAINTS_DB;
  // The locale of whoever runs the tests must not choose the language: LANG above does, unless a test says.
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'COMPLAINTS_LANG']) if (!(name in extra)) delete env[name];
  return env;
}

export function runCli(args: readonly string[], options: { db?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const argv = options.db === undefined ? [...args] : ['--db', options.db, ...args];
  const spawnOptions: SpawnSyncOptions = { env: testEnv(options.env), encoding: 'utf8', input: options.input ?? '', timeout: 60_000 };
  const r = spawnSync(process.execPath, [cliEntry(), ...argv], spawnOptions);
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs a step a test builds on, failing loudly with the command and its stderr when it did not succeed. */
export function runOk(args: readonly string[], options: { db?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = runCli(args, options);
  if (r.status !== 0) throw new Error(`complaints ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/** Runs and parses stdout as JSON, failing loudly with stderr when the command failed. */
export function runJson<T = Record<string, unknown>>(args: readonly string[], options: { db?: string; env?: NodeJS.ProcessEnv } = {}): T {
  const r = runCli([...args, '--json'], options);
  if (r.status !== 0) throw new Error(`complaints ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The minimal flags of a valid `log`, overridable. */
export function logArgs(overrides: Record<string, string | true> = {}): string[] {
  const fields: Record<string, string | true> = {
    name: 'Wang Fang', phone: '13800000000', channel: 'phone', category: 'delivery', subject: 'Parcel two weeks late', ...overrides,
  };
  const args = ['log'];
  for (const [k, v] of Object.entries(fields)) {
    if (v === true) args.push(`--${k}`);
    else args.push(`--${k}`, v);
  }
  return args;
}
