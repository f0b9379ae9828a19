import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, officeAt, type CliResult } from './cli.js';

// Real operating-system accounts for the tests of who may do what (issue 13 §Tests): each test file
// makes its own throwaway accounts and group, a copy of the build they can read (a checkout under
// /root is not readable by them), and one group-shared office file, and runs the CLI as each account
// with runuser: who is acting is the login, with no COMPLAINTS_USER shortcut. The test runs as root.

/** useradd and userdel edit /etc/passwd and /etc/group: one at a time across parallel test files. */
const LOCK = '/tmp/complaints-accounts.lock';

function locked(command: string, args: readonly string[]): void {
  const r = spawnSync('flock', [LOCK, command, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.error?.message ?? ''}`);
}

/** A system command's full path (runuser lives in /usr/sbin, outside the accounts' PATH). */
function which(command: string): string {
  return spawnSync('which', [command], { encoding: 'utf8' }).stdout.trim() || command;
}

/** A copy of the built program that any account can read and run: dist, schema, and the runtime modules bundling leaves out. */
function copyBuild(into: string): string {
  const dist = process.env.COMPLAINTS_TEST_DIST ?? 'dist';
  cpSync(join(ROOT, dist), join(into, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'schema'), join(into, 'schema'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(into, 'package.json'));
  // better-sqlite3 is a native addon (external to the bundle), found through `bindings`;
  // chinese-days' holiday years are read at run time (commands/calendar.ts).
  const modules = join(into, 'node_modules');
  const sqlite = join(ROOT, 'node_modules', 'better-sqlite3');
  for (const part of ['package.json', 'lib', join('build', 'Release', 'better_sqlite3.node')]) {
    cpSync(join(sqlite, part), join(modules, 'better-sqlite3', part), { recursive: true });
  }
  for (const name of ['bindings', 'file-uri-to-path', 'chinese-days']) {
    if (existsSync(join(ROOT, 'node_modules', name))) cpSync(join(ROOT, 'node_modules', name), join(modules, name), { recursive: true });
  }
  spawnSync('chmod', ['-R', 'a+rX', into]);
  return join(into, 'dist', 'main.js');
}

export interface SharedOffice {
  /** The group owning the office file; every account made is in it. */
  group: string;
  /** The group-shared office file (a new office, as tempDbPath makes one). */
  db: string;
  /** Makes a throwaway account in the office's group; its login. `label` only makes it readable in failures. */
  account(label: string): string;
  /** Runs the built CLI as `login`: COMPLAINTS_DB and LANG as a shared office sets them, no COMPLAINTS_USER. */
  runAs(login: string, args: readonly string[], options?: { lang?: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult;
  /** As runAs, without waiting: several refusals checked at once. */
  runAsAsync(login: string, args: readonly string[], options?: { lang?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** Removes the accounts, the group and the copies. */
  remove(): void;
}

/** A new group-shared office with its own group and a readable copy of the build (call in beforeAll). */
export function sharedOffice(): SharedOffice {
  const tag = `cq${Math.random().toString(36).slice(2, 7)}`;
  const group = `${tag}g`;
  locked('groupadd', [group]);
  const accounts: string[] = [];
  const home = mkdtempSync(join(tmpdir(), `complaints-${tag}-`));
  chmodSync(home, 0o755);
  const entry = copyBuild(join(home, 'app'));
  // The office's folder: the group's, setgid so the WAL and backups SQLite makes there stay the group's.
  const folder = join(home, 'office');
  mkdirSync(folder);
  const db = officeAt(join(folder, 'complaints.db'));
  spawnSync('chgrp', ['-R', group, folder]);
  chmodSync(folder, 0o2770);
  chmodSync(db, 0o660);
  let n = 0;
  const envFor = (options: { lang?: string; env?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv => ({
    PATH: '/usr/local/bin:/usr/bin:/bin', COMPLAINTS_DB: db, LANG: options.lang === 'zh-CN' ? 'zh_CN.UTF-8' : 'en_US.UTF-8',
    TZ: 'Asia/Shanghai', NO_COLOR: '1', ...options.env,
  });
  return {
    group,
    db,
    account(label) {
      const login = `${tag}${++n}${label.replace(/[^a-z]/g, '').slice(0, 8)}`;
      locked('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '-g', group, login]);
      accounts.push(login);
      return login;
    },
    runAs(login, args, options = {}) {
      const r = spawnSync(which('runuser'), ['-u', login, '--', process.execPath, entry, ...args], {
        env: envFor(options), cwd: home, encoding: 'utf8', input: options.input ?? '', timeout: 60_000,
      });
      if (r.error !== undefined) throw r.error;
      return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    runAsAsync(login, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(which('runuser'), ['-u', login, '--', process.execPath, entry, ...args], { env: envFor(options), cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    },
    remove() {
      for (const login of accounts.splice(0)) locked('userdel', [login]);
      locked('groupdel', [group]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
