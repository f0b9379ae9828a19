import { spawn, type ChildProcess } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cliEntry, ROOT, tempDir, testEnv } from './cli.js';

// The looping writer (writer-main.ts) bundled to plain JavaScript in a temp folder. node_modules
// and schema/ are linked beside it so it finds better-sqlite3 and the migrations as the program does.

let built: Promise<string> | null = null;

export function writerScript(): Promise<string> {
  built ??= (async () => {
    const dir = tempDir('complaints-writer-');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    symlinkSync(join(ROOT, 'schema'), join(dir, 'schema'), 'dir');
    const outfile = join(dir, 'writer.mjs');
    await build({
      entryPoints: [join(ROOT, 'test', 'support', 'writer-main.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['better-sqlite3'],
      logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return outfile;
  })();
  return built;
}

export interface Writer {
  child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the receipts printed once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the first receipt is printed: the writer is past start-up and writing. */
  writing: Promise<void>;
}

export function startWriter(script: string, db: string, options: { count?: number; tag?: string } = {}): Writer {
  const child = spawn(process.execPath, [script, db, String(options.count ?? 'Infinity'), options.tag ?? ''], {
    env: testEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markWriting: () => void = () => {};
  const writing = new Promise<void>((resolve) => (markWriting = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (/C\d{4}-\d{5}/.test(out)) markWriting();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      markWriting();
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited, writing };
}

/** The ticket numbers a process printed as receipts ("Logged C2026-00042" or a JSON "no"). */
export function receipts(stdout: string): string[] {
  return [...stdout.matchAll(/Logged (C\d{4}-\d{5})|"no": "(C\d{4}-\d{5})"/g)].map((m) => m[1] ?? m[2]!);
}

/** Runs the built CLI without waiting, for tests that need several at once or need to kill one. */
export function spawnCli(args: readonly string[], db: string, env: NodeJS.ProcessEnv = {}): Writer {
  const child = spawn(process.execPath, [cliEntry(), '--db', db, ...args], {
    env: testEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited, writing: Promise.resolve() };
}
